// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "openiot-hubd-pairing.h"
#include "openiot-hubd-proxy.h"
#include "openiot-hubd-registry.h"
#include "openiot-hubd-state.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_ADMIN (openiot_hubd_admin_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdAdmin, openiot_hubd_admin, OPENIOT, HUBD_ADMIN, GObject)

typedef struct
{
  OpenIotHubdState    *state;
  OpenIotHubdRegistry *registry;
  OpenIotHubdPairing  *pairing;
  OpenIotHubdProxy    *proxy;
  JsonNode           *addresses;
  const char         *link_host;
  guint16             port;
  guint16             pairing_port;
} OpenIotHubdAdminContext;

OpenIotHubdAdmin *openiot_hubd_admin_new    (const OpenIotHubdAdminContext *context);
gboolean         openiot_hubd_admin_listen (OpenIotHubdAdmin              *self,
                                           const char                   *socket_path,
                                           GError                      **error);

G_END_DECLS
