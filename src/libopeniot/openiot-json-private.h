// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean _openiot_json_is_plain (const char *data,
                                 gsize       size);

G_END_DECLS
