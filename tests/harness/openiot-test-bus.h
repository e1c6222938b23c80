// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void openiot_test_bus_own_name (GDBusConnection *bus,
                                const char      *name);

G_END_DECLS
