// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-hub-record.h"
#include "openiot-interaction.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_THING (openiot_thing_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotThing, openiot_thing, OPENIOT, THING, GObject)

OpenIotThing       *openiot_thing_new_from_bytes    (GBytes                 *bytes,
                                                     const char             *service_id,
                                                     GError                **error);
OpenIotThing       *openiot_thing_new_for_hub       (GBytes                 *bytes,
                                                     const char             *service_id,
                                                     OpenIotHubRecord       *record,
                                                     GError                **error);
const char         *openiot_thing_get_service_id    (OpenIotThing           *self);
const char         *openiot_thing_get_id            (OpenIotThing           *self);
const char         *openiot_thing_get_title         (OpenIotThing           *self);
const char         *openiot_thing_get_description   (OpenIotThing           *self);
const char * const *openiot_thing_get_semantic_types (OpenIotThing          *self);
GBytes             *openiot_thing_get_bytes         (OpenIotThing           *self);
GListModel         *openiot_thing_get_interactions  (OpenIotThing           *self,
                                                     OpenIotInteractionKind  kind);
OpenIotInteraction *openiot_thing_lookup            (OpenIotThing           *self,
                                                     OpenIotInteractionKind  kind,
                                                     const char             *name);
OpenIotForm        *openiot_thing_find_form         (OpenIotThing           *self,
                                                     OpenIotOperation        operation);
const char * const *openiot_thing_get_warnings      (OpenIotThing           *self);

G_END_DECLS
