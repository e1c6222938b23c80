// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "openiot-hub-registry.h"
#include "openiot-hub-state.h"

G_BEGIN_DECLS

#define OPENIOT_HUB_PAIRING_DEFAULT_TTL  300

#define OPENIOT_TYPE_HUB_PAIRING (openiot_hub_pairing_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubPairing, openiot_hub_pairing, OPENIOT, HUB_PAIRING, GObject)

OpenIotHubPairing *openiot_hub_pairing_new        (OpenIotHubState    *state,
                                                   OpenIotHubRegistry *registry,
                                                   guint16             port,
                                                   JsonNode           *addresses);
gboolean           openiot_hub_pairing_listen     (OpenIotHubPairing  *self,
                                                   GSocketAddress     *address,
                                                   GError            **error);
char              *openiot_hub_pairing_open       (OpenIotHubPairing  *self,
                                                   guint               ttl_seconds,
                                                   GDateTime         **expires);
void               openiot_hub_pairing_get_status (OpenIotHubPairing  *self,
                                                   gboolean           *open,
                                                   guint              *attempts_left,
                                                   gint64             *expires_in);
gboolean           openiot_hub_pairing_check_request (GBytes   *body,
                                                      char    **name,
                                                      char    **certificate_pem,
                                                      GError  **error);
JsonNode          *openiot_hub_pairing_status_to_json (OpenIotHubPairing *self,
                                                       guint16            pairing_port);
JsonNode          *openiot_hub_pairing_status_to_admin_json (OpenIotHubPairing *self,
                                                             guint16            pairing_port);

G_END_DECLS
