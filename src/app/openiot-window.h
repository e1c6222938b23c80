// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "openiot-application.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_WINDOW (openiot_window_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotWindow, openiot_window, OPENIOT, WINDOW, AdwApplicationWindow)

OpenIotWindow *openiot_window_new  (OpenIotApplication *application);
void           openiot_window_pair (OpenIotWindow      *self,
                                    const char         *link);
void           openiot_window_show_hub     (OpenIotWindow *self,
                                            OpenIotHub    *hub);
void           openiot_window_show_service (OpenIotWindow *self,
                                            const char    *service_id,
                                            const char    *title);
void           openiot_window_start_bench  (OpenIotWindow *self,
                                            const char    *show);

G_END_DECLS
