// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_PAGE (openiot_hub_page_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubPage, openiot_hub_page, OPENIOT, HUB_PAGE, GtkBox)

void        openiot_hub_page_set_hub       (OpenIotHubPage *self,
                                            OpenIotHub     *hub);
OpenIotHub *openiot_hub_page_get_hub       (OpenIotHubPage *self);
void        openiot_hub_page_set_show_back (OpenIotHubPage *self,
                                            gboolean        show_back);
void        openiot_hub_page_refresh       (OpenIotHubPage *self);

G_END_DECLS
