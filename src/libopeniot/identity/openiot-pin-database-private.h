// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_PIN_DATABASE (_openiot_pin_database_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotPinDatabase, _openiot_pin_database, OPENIOT, PIN_DATABASE,
                      GTlsDatabase)

GTlsDatabase *_openiot_pin_database_get_default         (void);
void          _openiot_pin_database_set_process_default (void);

G_END_DECLS
