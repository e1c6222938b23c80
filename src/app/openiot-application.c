// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-window.h"

#include "openiot-application.h"

struct _OpenIotApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (OpenIotApplication, openiot_application, ADW_TYPE_APPLICATION)

static OpenIotWindow *
get_or_create_window (OpenIotApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (openiot_window_new (self));

  return OPENIOT_WINDOW (window);
}

static void
openiot_application_activate (GApplication *app)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (app);

  gtk_window_present (GTK_WINDOW (get_or_create_window (self)));
}

static void
show_about (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  OpenIotApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Open-IoT developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Open-IoT"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Open-IoT developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Reach your smart home through your own hub, without a cloud."),
                         "website", "https://github.com/open-iot/open-iot",
                         "issue-url", "https://github.com/open-iot/open-iot/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit (GSimpleAction *action,
      GVariant      *parameter,
      gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", show_about },
  { "quit", quit },
};

static void
openiot_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (openiot_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
openiot_application_class_init (OpenIotApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = openiot_application_activate;
  app_class->startup = openiot_application_startup;
}

static void
openiot_application_init (OpenIotApplication *self)
{
}

OpenIotApplication *
openiot_application_new (void)
{
  /* The resources live under one path whatever the profile's app id, so
   * the Devel build finds the same templates and shortcuts window. */
  return g_object_new (OPENIOT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/org/openiot/Client",
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
