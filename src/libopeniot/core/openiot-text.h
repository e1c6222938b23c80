// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

char *openiot_text_escape_for_terminal (const char *text,
                                        gssize      length);
char *openiot_text_format_when         (GDateTime  *when,
                                        gboolean    seconds);

G_END_DECLS
