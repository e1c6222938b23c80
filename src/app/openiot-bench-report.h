// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void openiot_bench_report_first_frame (gint64 now);

G_END_DECLS
