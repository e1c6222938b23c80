// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *openiot_pairing_text_explain_link         (const char    *text);
const char *openiot_pairing_text_scope                (const char    *scope);
char       *openiot_pairing_text_pretty_name          (const char    *machine_info);
gboolean    openiot_pairing_text_explain_error        (const GError  *error,
                                                       const char    *host,
                                                       char         **title,
                                                       char         **detail);

G_END_DECLS
