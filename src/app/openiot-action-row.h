// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_ACTION_ROW (openiot_action_row_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotActionRow, openiot_action_row, OPENIOT, ACTION_ROW, AdwExpanderRow)

GtkWidget *openiot_action_row_new      (OpenIotInteraction *action);
void       openiot_action_row_set_thing (OpenIotActionRow     *self,
                                         OpenIotConsumedThing *thing);
void       openiot_action_row_run      (OpenIotActionRow   *self);
const char *openiot_action_row_get_name   (OpenIotActionRow *self);
JsonNode   *openiot_action_row_get_output (OpenIotActionRow *self);
GtkWidget  *openiot_action_row_get_button (OpenIotActionRow *self);
void        openiot_action_row_set_redundant (OpenIotActionRow *self,
                                              gboolean          redundant);

G_END_DECLS
