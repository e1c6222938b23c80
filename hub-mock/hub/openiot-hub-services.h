// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "openiot-hub-proxy.h"

G_BEGIN_DECLS

void      openiot_hub_services_list_async  (OpenIotHubProxy      *proxy,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
JsonNode *openiot_hub_services_list_finish (GAsyncResult         *result,
                                            GError              **error);
GStrv     openiot_hub_services_scan        (OpenIotHubProxy      *proxy);

G_END_DECLS
