// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "openiot-hubd-registry.h"
#include "openiot-hubd-state.h"

G_BEGIN_DECLS

#define OPENIOT_HUBD_PAIRING_DEFAULT_TTL  300

#define OPENIOT_TYPE_HUBD_PAIRING (openiot_hubd_pairing_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdPairing, openiot_hubd_pairing, OPENIOT, HUBD_PAIRING, GObject)

OpenIotHubdPairing *openiot_hubd_pairing_new        (OpenIotHubdState    *state,
                                                   OpenIotHubdRegistry *registry,
                                                   guint16             port,
                                                   JsonNode           *addresses);
gboolean           openiot_hubd_pairing_listen     (OpenIotHubdPairing  *self,
                                                   GSocketAddress     *address,
                                                   GError            **error);
char              *openiot_hubd_pairing_open       (OpenIotHubdPairing  *self,
                                                   guint               ttl_seconds,
                                                   GDateTime         **expires);
gboolean           openiot_hubd_pairing_check_request (GBytes   *body,
                                                      char    **name,
                                                      char    **certificate_pem,
                                                      GError  **error);
JsonNode          *openiot_hubd_pairing_status_to_json (OpenIotHubdPairing *self,
                                                       guint16            pairing_port,
                                                       const char        *address);
JsonNode          *openiot_hubd_pairing_status_to_admin_json (OpenIotHubdPairing *self,
                                                             guint16            pairing_port);

G_END_DECLS
