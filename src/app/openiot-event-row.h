// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_EVENT_ROW (openiot_event_row_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotEventRow, openiot_event_row, OPENIOT, EVENT_ROW, AdwExpanderRow)

GtkWidget *openiot_event_row_new   (OpenIotInteraction *event);
void       openiot_event_row_add_entry         (OpenIotEventRow      *self,
                                                OpenIotActivityEntry *entry);
GtkSwitch *openiot_event_row_get_notify_switch (OpenIotEventRow      *self);
const char *openiot_event_row_get_name         (OpenIotEventRow      *self);
guint      openiot_event_row_get_count (OpenIotEventRow *self);

G_END_DECLS
