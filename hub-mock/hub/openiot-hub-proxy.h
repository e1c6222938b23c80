// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

#include "openiot-hub-client.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_PROXY (openiot_hub_proxy_get_type ())

/* Seconds a service may take to send its response headers */
#define OPENIOT_HUB_PROXY_DEFAULT_RESPONSE_TIMEOUT 300

G_DECLARE_FINAL_TYPE (OpenIotHubProxy, openiot_hub_proxy, OPENIOT, HUB_PROXY, GObject)

OpenIotHubProxy *openiot_hub_proxy_new              (const char        *services_dir);
void             openiot_hub_proxy_set_response_timeout (OpenIotHubProxy *self,
                                                         guint            seconds);
const char      *openiot_hub_proxy_get_services_dir (OpenIotHubProxy   *self);
SoupSession     *openiot_hub_proxy_get_session      (OpenIotHubProxy   *self,
                                                     const char        *service_id);
void             openiot_hub_proxy_forward          (OpenIotHubProxy   *self,
                                                     SoupServerMessage *msg,
                                                     const char        *service_id,
                                                     const char        *path,
                                                     OpenIotHubClient  *client);

G_END_DECLS
