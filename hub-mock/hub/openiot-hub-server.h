// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

#include "openiot-hub-pairing.h"
#include "openiot-hub-proxy.h"
#include "openiot-hub-registry.h"
#include "openiot-hub-state.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_SERVER (openiot_hub_server_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubServer, openiot_hub_server, OPENIOT, HUB_SERVER, GObject)

OpenIotHubServer *openiot_hub_server_new    (OpenIotHubState    *state,
                                             OpenIotHubRegistry *registry,
                                             OpenIotHubPairing  *pairing,
                                             OpenIotHubProxy    *proxy,
                                             guint16             port,
                                             guint16             pairing_port,
                                             JsonNode           *addresses);
gboolean          openiot_hub_server_listen (OpenIotHubServer   *self,
                                             GSocketAddress     *address,
                                             GError            **error);
void              openiot_hub_server_set_idle_timeout (OpenIotHubServer *self,
                                                       guint             seconds);

G_END_DECLS
