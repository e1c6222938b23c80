// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "openiot-consumed-thing.h"
#include "openiot-hub.h"
#include "openiot-value-history.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_THING_SESSION (openiot_thing_session_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotThingSession, openiot_thing_session, OPENIOT, THING_SESSION, GObject)

OpenIotThingSession  *openiot_thing_session_new                  (OpenIotHub           *hub,
                                                                  const char           *service_id);
OpenIotThingSession  *openiot_thing_session_new_primary          (OpenIotHub           *hub,
                                                                  const char           *service_id);
void                  openiot_thing_session_load_cached          (OpenIotThingSession  *self);
void                  openiot_thing_session_start                (OpenIotThingSession  *self);
void                  openiot_thing_session_stop                 (OpenIotThingSession  *self);
void                  openiot_thing_session_refresh              (OpenIotThingSession  *self);
OpenIotHub           *openiot_thing_session_get_hub              (OpenIotThingSession  *self);
const char           *openiot_thing_session_get_service_id       (OpenIotThingSession  *self);
OpenIotThing         *openiot_thing_session_get_thing            (OpenIotThingSession  *self);
OpenIotInteraction   *openiot_thing_session_get_primary          (OpenIotThingSession  *self);
OpenIotConsumedThing *openiot_thing_session_get_consumed_thing   (OpenIotThingSession  *self);
JsonObject           *openiot_thing_session_get_values           (OpenIotThingSession  *self);
GDateTime            *openiot_thing_session_get_updated          (OpenIotThingSession  *self);
OpenIotValueHistory  *openiot_thing_session_get_history          (OpenIotThingSession  *self);
gboolean              openiot_thing_session_get_live             (OpenIotThingSession  *self);
gboolean              openiot_thing_session_get_loading          (OpenIotThingSession  *self);
void                  openiot_thing_session_write_property_async (OpenIotThingSession  *self,
                                                                  const char           *name,
                                                                  JsonNode             *value,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
gboolean              openiot_thing_session_write_property_finish (OpenIotThingSession *self,
                                                                   GAsyncResult        *result,
                                                                   GError             **error);

G_END_DECLS
