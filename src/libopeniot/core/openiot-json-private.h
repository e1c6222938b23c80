// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib's parser recurses once per level: deeper documents are refused
 * before it sees them (a TD of 100k '[' crashed the hub, issue 16). */
#define OPENIOT_JSON_MAX_DEPTH 64

gboolean _openiot_json_is_plain (const char *data,
                                 gsize       size);
gboolean  _openiot_json_load      (JsonParser  *parser,
                                   const char  *data,
                                   gsize        size,
                                   GError     **error);
JsonNode *_openiot_json_from_data (const char  *data,
                                   gsize        size,
                                   GError     **error);
void      _openiot_json_add_strings (GStrvBuilder *builder,
                                     JsonNode     *node);

G_END_DECLS
