// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "openiot-hubd-proxy.h"

G_BEGIN_DECLS

void      openiot_hubd_services_list_async  (OpenIotHubdProxy      *proxy,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonNode *openiot_hubd_services_list_finish (GAsyncResult         *result,
                                            GError              **error);
GStrv     openiot_hubd_services_scan        (OpenIotHubdProxy      *proxy);

G_END_DECLS
