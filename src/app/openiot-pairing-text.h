// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The hub's pairing port unless an address says otherwise (docs/protocol.md) */
#define OPENIOT_PAIRING_DEFAULT_PORT    8444
#define OPENIOT_PAIRING_CODE_LENGTH     8
/* The hub refuses longer device names (docs/protocol.md, "Pairing") */
#define OPENIOT_PAIRING_MAX_DEVICE_NAME 64

char       *openiot_pairing_text_normalize_code       (const char    *text);
char       *openiot_pairing_text_format_code          (const char    *code);
gboolean    openiot_pairing_text_device_name_is_valid (const char    *name);
gboolean    openiot_pairing_text_parse_address        (const char    *address,
                                                       char         **host,
                                                       guint16       *port);
gboolean    openiot_pairing_text_looks_like_link      (const char    *text);
const char *openiot_pairing_text_explain_link         (const char    *text);
const char *openiot_pairing_text_scope                (const char    *scope);
char       *openiot_pairing_text_pretty_name          (const char    *machine_info);
gboolean    openiot_pairing_text_explain_error        (const GError  *error,
                                                       const char    *host,
                                                       char         **title,
                                                       char         **detail);

G_END_DECLS
