// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The pairing exchange inside the SRP session (docs/protocol.md,
 * "Pairing"), written and read here only: the client and the hub share
 * these, so that a field added to it is added once. */

GBytes   *_openiot_pairing_request_new   (const char  *device_name,
                                          const char  *certificate_pem);
gboolean  _openiot_pairing_request_parse (GBytes      *body,
                                          char       **device_name,
                                          char       **certificate_pem,
                                          GError     **error);
JsonNode *_openiot_pairing_reply_new     (const char  *hub_id,
                                          const char  *hub_name,
                                          const char  *fingerprint,
                                          const char  *certificate_pem,
                                          JsonNode    *addresses,
                                          guint16      port);
GBytes   *_openiot_pairing_reply_for     (JsonNode    *reply,
                                          const char  *client_id);

G_END_DECLS
