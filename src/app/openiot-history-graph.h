// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gtk/gtk.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HISTORY_GRAPH (openiot_history_graph_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHistoryGraph, openiot_history_graph, OPENIOT, HISTORY_GRAPH, GtkWidget)

GtkWidget  *openiot_history_graph_new           (OpenIotValueHistory *history,
                                                 const char          *service_id,
                                                 OpenIotInteraction  *property);
void        openiot_history_graph_update        (OpenIotHistoryGraph *self);
void        openiot_history_graph_set_hours     (OpenIotHistoryGraph *self,
                                                 guint                hours);
guint       openiot_history_graph_get_hours     (OpenIotHistoryGraph *self);
guint       openiot_history_graph_get_n_samples (OpenIotHistoryGraph *self);
const char *openiot_history_graph_get_summary   (OpenIotHistoryGraph *self);

G_END_DECLS
