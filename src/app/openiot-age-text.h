// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *openiot_age_text (GDateTime *when);

G_END_DECLS
