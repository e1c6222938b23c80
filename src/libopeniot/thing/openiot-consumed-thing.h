// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include "openiot-hub-connection.h"
#include "openiot-observation.h"
#include "openiot-thing.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_CONSUMED_THING (openiot_consumed_thing_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotConsumedThing, openiot_consumed_thing, OPENIOT, CONSUMED_THING,
                      GObject)

void openiot_consumed_thing_fetch_async (OpenIotHubConnection *connection,
                                         const char           *service_id,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
OpenIotConsumedThing *openiot_consumed_thing_fetch_finish (GAsyncResult  *result,
                                                           GError       **error);
OpenIotConsumedThing *openiot_consumed_thing_new (OpenIotHubConnection *connection,
                                                  OpenIotThing         *thing);
OpenIotThing *openiot_consumed_thing_get_thing (OpenIotConsumedThing *self);
OpenIotHubConnection *openiot_consumed_thing_get_connection (OpenIotConsumedThing *self);

void openiot_consumed_thing_read_property_async (OpenIotConsumedThing *self,
                                                 const char           *name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
JsonNode *openiot_consumed_thing_read_property_finish (OpenIotConsumedThing  *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
void openiot_consumed_thing_read_all_properties_async (OpenIotConsumedThing *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
JsonObject *openiot_consumed_thing_read_all_properties_finish (OpenIotConsumedThing  *self,
                                                               GAsyncResult          *result,
                                                               GError               **error);
void openiot_consumed_thing_write_property_async (OpenIotConsumedThing *self,
                                                  const char           *name,
                                                  JsonNode             *value,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean openiot_consumed_thing_write_property_finish (OpenIotConsumedThing  *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
void openiot_consumed_thing_invoke_action_async (OpenIotConsumedThing *self,
                                                 const char           *name,
                                                 JsonNode             *input,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
JsonNode *openiot_consumed_thing_invoke_action_finish (OpenIotConsumedThing  *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
OpenIotObservation   *openiot_consumed_thing_observe              (OpenIotConsumedThing   *self,
                                                                   OpenIotInteractionKind  kind,
                                                                   const char             *name,
                                                                   GError                **error);

G_END_DECLS
