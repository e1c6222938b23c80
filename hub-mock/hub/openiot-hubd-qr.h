// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *openiot_hubd_qr_render_terminal (const char *text);

G_END_DECLS
