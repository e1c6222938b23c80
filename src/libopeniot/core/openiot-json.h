// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char *openiot_json_to_string (JsonNode *node);

G_END_DECLS
