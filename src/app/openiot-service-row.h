// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_SERVICE_ROW (openiot_service_row_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotServiceRow, openiot_service_row, OPENIOT, SERVICE_ROW, GtkFlowBoxChild)

GtkWidget          *openiot_service_row_new            (OpenIotHub         *hub,
                                                        OpenIotServiceInfo *service);
OpenIotServiceInfo *openiot_service_row_get_service    (OpenIotServiceRow  *self);
const char         *openiot_service_row_get_icon_name  (OpenIotServiceRow  *self);
const char         *openiot_service_row_get_title      (OpenIotServiceRow  *self);
const char         *openiot_service_row_get_subtitle   (OpenIotServiceRow  *self);
const char         *openiot_service_row_get_value_text (OpenIotServiceRow  *self);
GtkSwitch          *openiot_service_row_get_toggle     (OpenIotServiceRow  *self);
GtkButton          *openiot_service_row_get_action_button (OpenIotServiceRow *self);

G_END_DECLS
