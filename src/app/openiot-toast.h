// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void openiot_toast_show (GtkWidget  *widget,
                         const char *message);

G_END_DECLS
