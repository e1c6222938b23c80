// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_APPLICATION (openiot_application_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotApplication, openiot_application, OPENIOT, APPLICATION, AdwApplication)

OpenIotApplication *openiot_application_new (void);

G_END_DECLS
