// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

#include "openiot-hubd-pairing.h"
#include "openiot-hubd-proxy.h"
#include "openiot-hubd-registry.h"
#include "openiot-hubd-state.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_SERVER (openiot_hubd_server_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdServer, openiot_hubd_server, OPENIOT, HUBD_SERVER, GObject)

OpenIotHubdServer *openiot_hubd_server_new    (OpenIotHubdState    *state,
                                             OpenIotHubdRegistry *registry,
                                             OpenIotHubdPairing  *pairing,
                                             OpenIotHubdProxy    *proxy,
                                             guint16             port,
                                             guint16             pairing_port,
                                             JsonNode           *addresses);
gboolean          openiot_hubd_server_listen (OpenIotHubdServer   *self,
                                             GSocketAddress     *address,
                                             GError            **error);
void              openiot_hubd_server_set_idle_timeout (OpenIotHubdServer *self,
                                                       guint             seconds);

G_END_DECLS
