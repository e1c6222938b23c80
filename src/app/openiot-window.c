// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-window"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-pairing-window.h"

#include "openiot-window.h"

struct _OpenIotWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkStack             *hubs_stack;
  AdwStatusPage        *empty_page;
  GtkButton            *pair_button;
  AdwStatusPage        *no_selection_page;
};

G_DEFINE_FINAL_TYPE (OpenIotWindow, openiot_window, ADW_TYPE_APPLICATION_WINDOW)

/**
 * openiot_window_pair:
 * @link: (nullable): an openiot:// pairing link to start from
 *
 * Opens the pairing wizard.
 */
void
openiot_window_pair (OpenIotWindow *self,
                     const char    *link)
{
  OpenIotApplication *application = OPENIOT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  OpenIotPairingWindow *wizard = openiot_pairing_window_new (GTK_WINDOW (self), application, link);

  gtk_window_present (GTK_WINDOW (wizard));
}

static void
pair_hub_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  openiot_window_pair (OPENIOT_WINDOW (widget), NULL);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OpenIotWindow *self = OPENIOT_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
save_window_state (OpenIotWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
openiot_window_close_request (GtkWindow *window)
{
  save_window_state (OPENIOT_WINDOW (window));

  return GTK_WINDOW_CLASS (openiot_window_parent_class)->close_request (window);
}

static void
openiot_window_dispose (GObject *object)
{
  OpenIotWindow *self = OPENIOT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OPENIOT_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (openiot_window_parent_class)->dispose (object);
}

static void
openiot_window_class_init (OpenIotWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = openiot_window_dispose;
  window_class->close_request = openiot_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/openiot/Client/ui/openiot-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, hubs_stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, pair_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, no_selection_page);

  gtk_widget_class_install_action (widget_class, "win.pair-hub", NULL, pair_hub_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.pair-hub", NULL);
}

static void
openiot_window_init (OpenIotWindow *self)
{
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("org.openiot.Client");
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

OpenIotWindow *
openiot_window_new (OpenIotApplication *application)
{
  return g_object_new (OPENIOT_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
