// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-hub-record.h"
#include "openiot-identity.h"

G_BEGIN_DECLS

/**
 * OpenIotNetworkRoute:
 * @OPENIOT_NETWORK_ROUTE_NONE: no request has reached the hub yet
 * @OPENIOT_NETWORK_ROUTE_LOCAL_NETWORK: the hub answered on this network
 *   (link-local, unique-local or private address)
 * @OPENIOT_NETWORK_ROUTE_INTERNET: the hub answered on a global address
 *
 * The path the last request took to the hub.
 */
typedef enum
{
  OPENIOT_NETWORK_ROUTE_NONE,
  OPENIOT_NETWORK_ROUTE_LOCAL_NETWORK,
  OPENIOT_NETWORK_ROUTE_INTERNET,
} OpenIotNetworkRoute;

#define OPENIOT_TYPE_HUB_CONNECTION (openiot_hub_connection_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubConnection, openiot_hub_connection, OPENIOT, HUB_CONNECTION,
                      GObject)

OpenIotHubConnection *openiot_hub_connection_new (OpenIotHubRecord *record,
                                                  OpenIotIdentity  *identity);
void openiot_hub_connection_send_async (OpenIotHubConnection *self,
                                        const char           *method,
                                        const char           *path,
                                        const char           *content_type,
                                        GBytes               *body,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GBytes *openiot_hub_connection_send_finish (OpenIotHubConnection  *self,
                                            GAsyncResult          *result,
                                            guint                 *status,
                                            GError               **error);
void openiot_hub_connection_long_poll_async (OpenIotHubConnection *self,
                                             const char           *path,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
void openiot_hub_connection_open_stream_async (OpenIotHubConnection *self,
                                               const char           *path,
                                               const char           *last_event_id,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
GInputStream *openiot_hub_connection_open_stream_finish (OpenIotHubConnection  *self,
                                                         GAsyncResult          *result,
                                                         GError               **error);
void openiot_hub_connection_fetch_device_name_async (OpenIotHubConnection *self,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
char *openiot_hub_connection_fetch_device_name_finish (OpenIotHubConnection  *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);
void openiot_hub_connection_list_services_async (OpenIotHubConnection *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray *openiot_hub_connection_list_services_finish (OpenIotHubConnection  *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);
void openiot_hub_connection_check_async (OpenIotHubConnection *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean openiot_hub_connection_check_finish (OpenIotHubConnection  *self,
                                              GAsyncResult          *result,
                                              GError               **error);
void openiot_hub_connection_rename_device_async (OpenIotHubConnection *self,
                                                 const char           *name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char *openiot_hub_connection_rename_device_finish (OpenIotHubConnection  *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);
OpenIotHubRecord *openiot_hub_connection_get_record (OpenIotHubConnection *self);
OpenIotNetworkRoute openiot_hub_connection_get_route (OpenIotHubConnection *self);
const char *openiot_hub_connection_get_address (OpenIotHubConnection *self);
const char *openiot_hub_connection_get_presented_fingerprint (OpenIotHubConnection *self);
const char *openiot_hub_connection_get_presented_certificate_pem (OpenIotHubConnection *self);
gboolean openiot_hub_connection_get_rotation_verified (OpenIotHubConnection *self);

void openiot_hub_connection_trust_pins_only (void);
void openiot_hub_connection_use_http1_only (void);

G_END_DECLS
