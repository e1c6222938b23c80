// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-hub-record.h"
#include "openiot-identity.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_CONNECTION (openiot_hub_connection_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubConnection, openiot_hub_connection, OPENIOT, HUB_CONNECTION, GObject)

OpenIotHubConnection *openiot_hub_connection_new                      (OpenIotHubRecord     *record,
                                                                       OpenIotIdentity      *identity);
void                  openiot_hub_connection_send_async               (OpenIotHubConnection *self,
                                                                       const char           *method,
                                                                       const char           *path,
                                                                       const char           *content_type,
                                                                       GBytes               *body,
                                                                       GCancellable         *cancellable,
                                                                       GAsyncReadyCallback   callback,
                                                                       gpointer              user_data);
GBytes               *openiot_hub_connection_send_finish              (OpenIotHubConnection *self,
                                                                       GAsyncResult         *result,
                                                                       guint                *status,
                                                                       GError              **error);
const char           *openiot_hub_connection_get_presented_fingerprint (OpenIotHubConnection *self);
const char           *openiot_hub_connection_get_presented_certificate_pem (OpenIotHubConnection *self);
gboolean              openiot_hub_connection_get_rotation_verified    (OpenIotHubConnection *self);

G_END_DECLS
