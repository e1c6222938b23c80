// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

#include "openiot-hubd-client.h"
#include "openiot-hubd-upstream.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_PROXY (openiot_hubd_proxy_get_type ())

/* Seconds a service may take to send its response headers */
#define OPENIOT_HUBD_PROXY_DEFAULT_RESPONSE_TIMEOUT 300

G_DECLARE_FINAL_TYPE (OpenIotHubdProxy, openiot_hubd_proxy, OPENIOT, HUBD_PROXY, GObject)

OpenIotHubdProxy    *openiot_hubd_proxy_new                  (const char        *services_dir);
void                 openiot_hubd_proxy_set_response_timeout (OpenIotHubdProxy  *self,
                                                              guint              seconds);
const char          *openiot_hubd_proxy_get_services_dir     (OpenIotHubdProxy  *self);
OpenIotHubdUpstream *openiot_hubd_proxy_get_upstream         (OpenIotHubdProxy  *self,
                                                              const char        *service_id);
void                 openiot_hubd_proxy_forward              (OpenIotHubdProxy  *self,
                                                              SoupServerMessage *msg,
                                                              const char        *service_id,
                                                              const char        *path,
                                                              OpenIotHubdClient *client);

G_END_DECLS
