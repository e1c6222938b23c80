// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_VALUE_EDITOR (openiot_value_editor_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotValueEditor, openiot_value_editor, OPENIOT, VALUE_EDITOR, GObject)

OpenIotValueEditor *openiot_value_editor_new       (OpenIotDataSchema  *schema,
                                                    const char         *title,
                                                    const char         *description,
                                                    gboolean            editable);
void                openiot_value_editor_set_reachable (OpenIotValueEditor *self,
                                                        gboolean            reachable);
const char         *openiot_value_editor_get_title (OpenIotValueEditor *self);
GtkWidget          *openiot_value_editor_get_row   (OpenIotValueEditor *self);
GtkWidget          *openiot_value_editor_get_control (OpenIotValueEditor *self);
JsonNode           *openiot_value_editor_get_value (OpenIotValueEditor *self);
void                openiot_value_editor_set_value (OpenIotValueEditor *self,
                                                    JsonNode           *value);
void                openiot_value_editor_set_busy  (OpenIotValueEditor *self,
                                                    gboolean            busy);
gboolean            openiot_value_editor_get_busy  (OpenIotValueEditor *self);

G_END_DECLS
