// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include "openiot-data-schema.h"
#include "openiot-form.h"

G_BEGIN_DECLS

/**
 * OpenIotInteractionKind:
 * @OPENIOT_INTERACTION_PROPERTY: a property: a value to read, write, observe
 * @OPENIOT_INTERACTION_ACTION: an action to invoke
 * @OPENIOT_INTERACTION_EVENT: an event to subscribe to
 *
 * The kinds of interaction affordances of WoT TD 1.1 §5.3.1.
 */
typedef enum
{
  OPENIOT_INTERACTION_PROPERTY,
  OPENIOT_INTERACTION_ACTION,
  OPENIOT_INTERACTION_EVENT,
} OpenIotInteractionKind;

#define OPENIOT_TYPE_INTERACTION (openiot_interaction_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotInteraction, openiot_interaction, OPENIOT, INTERACTION, GObject)

OpenIotInteractionKind  openiot_interaction_get_kind          (OpenIotInteraction *self);
const char             *openiot_interaction_get_name          (OpenIotInteraction *self);
const char             *openiot_interaction_get_title         (OpenIotInteraction *self);
const char             *openiot_interaction_get_description   (OpenIotInteraction *self);
OpenIotDataSchema      *openiot_interaction_get_schema        (OpenIotInteraction *self);
OpenIotDataSchema      *openiot_interaction_get_output_schema (OpenIotInteraction *self);
gboolean                openiot_interaction_get_observable    (OpenIotInteraction *self);
gboolean                openiot_interaction_get_writable      (OpenIotInteraction *self);
gboolean                openiot_interaction_get_readable      (OpenIotInteraction *self);
GPtrArray              *openiot_interaction_get_forms         (OpenIotInteraction *self);
OpenIotForm            *openiot_interaction_find_form         (OpenIotInteraction *self,
                                                               OpenIotOperation    operation);
OpenIotForm            *openiot_interaction_check_operation   (OpenIotInteraction *self,
                                                               OpenIotOperation    operation,
                                                               GError            **error);
gboolean                openiot_interaction_get_reachable     (OpenIotInteraction *self);
const char * const     *openiot_interaction_get_semantic_types (OpenIotInteraction *self);
gboolean                openiot_interaction_get_needs_confirmation (OpenIotInteraction *self);
gboolean                openiot_interaction_get_is_alarm      (OpenIotInteraction *self);

G_END_DECLS
