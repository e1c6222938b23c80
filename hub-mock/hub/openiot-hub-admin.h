// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "openiot-hub-pairing.h"
#include "openiot-hub-proxy.h"
#include "openiot-hub-registry.h"
#include "openiot-hub-state.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_ADMIN (openiot_hub_admin_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubAdmin, openiot_hub_admin, OPENIOT, HUB_ADMIN, GObject)

typedef struct
{
  OpenIotHubState    *state;
  OpenIotHubRegistry *registry;
  OpenIotHubPairing  *pairing;
  OpenIotHubProxy    *proxy;
  JsonNode           *addresses;
  const char         *link_host;
  guint16             port;
  guint16             pairing_port;
} OpenIotHubAdminContext;

OpenIotHubAdmin *openiot_hub_admin_new    (const OpenIotHubAdminContext *context);
gboolean         openiot_hub_admin_listen (OpenIotHubAdmin              *self,
                                           const char                   *socket_path,
                                           GError                      **error);

G_END_DECLS
