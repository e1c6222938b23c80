// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean _openiot_json_is_plain (const char *data,
                                 gsize       size);
gboolean  _openiot_json_load      (JsonParser  *parser,
                                   const char  *data,
                                   gsize        size,
                                   GError     **error);
JsonNode *_openiot_json_from_data (const char  *data,
                                   gsize        size,
                                   GError     **error);

G_END_DECLS
