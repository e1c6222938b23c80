// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "openiot-application.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_PAIRING_WINDOW (openiot_pairing_window_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotPairingWindow, openiot_pairing_window, OPENIOT, PAIRING_WINDOW,
                      AdwWindow)

OpenIotPairingWindow *openiot_pairing_window_new (GtkWindow          *parent,
                                                  OpenIotApplication *application,
                                                  const char         *link);

G_END_DECLS
