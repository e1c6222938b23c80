// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_BANNER (openiot_banner_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotBanner, openiot_banner, OPENIOT, BANNER, GtkWidget)

void openiot_banner_show (OpenIotBanner *self,
                          const char    *text,
                          const char    *button,
                          const char    *action,
                          gboolean       error);
void openiot_banner_hide (OpenIotBanner *self);

G_END_DECLS
