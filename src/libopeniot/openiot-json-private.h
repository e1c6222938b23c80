// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* json-glib's parser recurses once per level: deeper documents are refused
 * before it sees them (a TD of 100k '[' crashed the hub, issue 16). */
#define OPENIOT_JSON_MAX_DEPTH 64

gboolean _openiot_json_is_plain (const char *data,
                                 gsize       size);

G_END_DECLS
