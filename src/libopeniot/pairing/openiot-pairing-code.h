// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

char *openiot_pairing_code_normalize (const char *text);
char *openiot_pairing_code_format    (const char *code);

G_END_DECLS
