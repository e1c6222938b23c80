// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean openiot_demo_schema_validate (JsonObject  *schema,
                                       JsonNode    *value,
                                       const char  *path,
                                       GError     **error);

G_END_DECLS
