// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

void      openiot_hub_http_respond_error_with_reason (SoupServerMessage  *msg,
                                                      guint               status,
                                                      const char         *error,
                                                      const char         *reason,
                                                      const char         *format,
                                                      ...) G_GNUC_PRINTF (5, 6);
void      openiot_hub_http_respond_json              (SoupServerMessage  *msg,
                                                      guint               status,
                                                      JsonNode           *node);
void      openiot_hub_http_respond_builder           (SoupServerMessage  *msg,
                                                      JsonBuilder        *builder);
JsonNode *openiot_hub_http_parse_body                (SoupServerMessage  *msg,
                                                      GError            **error);
gboolean  openiot_hub_http_is_hop_by_hop             (const char         *header);
void      openiot_hub_http_pause                     (SoupServerMessage  *msg);
void      openiot_hub_http_unpause                   (SoupServerMessage  *msg);

/* An error with no machine-readable reason */
#define openiot_hub_http_respond_error(msg, status, error, ...) \
  openiot_hub_http_respond_error_with_reason (msg, status, error, NULL, __VA_ARGS__)

G_END_DECLS
