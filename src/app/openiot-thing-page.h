// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

#include "openiot-action-row.h"
#include "openiot-event-row.h"
#include "openiot-history-graph.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_THING_PAGE (openiot_thing_page_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotThingPage, openiot_thing_page, OPENIOT, THING_PAGE, GtkBox)

void        openiot_thing_page_show    (OpenIotThingPage *self,
                                        OpenIotHub       *hub,
                                        const char       *service_id,
                                        const char       *title);
void        openiot_thing_page_clear   (OpenIotThingPage *self);
const char *openiot_thing_page_get_state_text (OpenIotThingPage *self);
gboolean    openiot_thing_page_get_live   (OpenIotThingPage *self);
GObject    *openiot_thing_page_get_editor (OpenIotThingPage *self,
                                           const char       *property);
OpenIotActionRow *openiot_thing_page_get_action (OpenIotThingPage *self,
                                                 const char       *action);
OpenIotEventRow  *openiot_thing_page_get_event  (OpenIotThingPage *self,
                                                 const char       *event);
OpenIotHistoryGraph *openiot_thing_page_get_history_graph (OpenIotThingPage *self,
                                                           const char       *property);

G_END_DECLS
