// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_BACKGROUND (openiot_background_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotBackground, openiot_background, OPENIOT, BACKGROUND, GObject)

OpenIotBackground *openiot_background_new      (GApplication      *application,
                                                GSettings         *settings);
gboolean           openiot_background_get_held (OpenIotBackground *self);

G_END_DECLS
