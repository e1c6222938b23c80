// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef gboolean (*OpenIotTestCondition) (gpointer data);

gboolean   openiot_test_ui_wait             (OpenIotTestCondition  condition,
                                             gpointer              data,
                                             guint                 seconds);
void       openiot_test_ui_wait_until       (OpenIotTestCondition  condition,
                                             gpointer              data,
                                             const char           *what);
void       openiot_test_ui_wait_within      (OpenIotTestCondition  condition,
                                             gpointer              data,
                                             guint                 seconds,
                                             const char           *what);
gboolean   openiot_test_ui_result_ready     (gpointer              result_location);
void       openiot_test_ui_store_result     (GObject              *source,
                                             GAsyncResult         *result,
                                             gpointer              result_location);

void       openiot_test_ui_wait_for_frame   (GtkWindow  *window);
void       openiot_test_ui_iterate          (guint       milliseconds);
void       openiot_test_ui_screenshot       (GtkWindow  *window,
                                             const char *name);
void       openiot_test_ui_screenshots      (GtkWindow  *window,
                                             const char *name);
void       openiot_test_ui_screenshots_of   (GtkWindow  *window,
                                             const char *name,
                                             GtkWidget  *scroll_target);
void       openiot_test_ui_set_dark         (gboolean    dark);
void       openiot_test_ui_scroll_to        (GtkWidget  *widget,
                                             double      above);
GtkWindow *openiot_test_ui_find_toplevel    (GType       type);
GtkWidget *openiot_test_ui_template_child   (gpointer    widget,
                                             GType       widget_type,
                                             const char *name);
void       openiot_test_ui_click            (GtkWidget  *button);
GtkWindow *openiot_test_ui_click_for_dialog (GtkWidget  *button);
gboolean   openiot_test_ui_label_fits       (GtkLabel   *label);
void       openiot_test_ui_respond          (AdwMessageDialog *dialog,
                                             const char       *response);

G_END_DECLS
