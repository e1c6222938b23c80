// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "openiot-background.h"

/*
 * OpenIotBackground:
 *
 * "Run in background" (issue 15, docs/notifications.md): while the
 * run-in-background setting is on, the application is held, so closing
 * its last window leaves it running with its event watches, and
 * notifications still arrive; a notification or a new launch shows a
 * window again. Off, nothing holds it and closing the window quits.
 *
 * Inside a Flatpak the Background portal must agree first
 * (org.freedesktop.portal.Background.RequestBackground): the compositor
 * may otherwise end a windowless app. When it refuses, the setting goes
 * back off and the user is told why, in the window they switched it on in.
 */
struct _OpenIotBackground
{
  GObject       parent_instance;

  GApplication *application;  /* not owned: the application owns this */
  GSettings    *settings;
  GCancellable *cancellable;
  guint         response_id;  /* the portal request's Response signal */
  gboolean      held;
};

G_DEFINE_FINAL_TYPE (OpenIotBackground, openiot_background, G_TYPE_OBJECT)

#define PORTAL_BUS_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH     "/org/freedesktop/portal/desktop"

static void
set_held (OpenIotBackground *self,
          gboolean           held)
{
  if (self->held == held)
    return;
  self->held = held;
  if (held)
    g_application_hold (self->application);
  else
    g_application_release (self->application);
}

/* OPENIOT_BACKGROUND_PORTAL=1 asks the portal outside a Flatpak too: for
 * tests, with a stand-in portal on their private bus. */
static gboolean
needs_portal (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS) ||
         g_strcmp0 (g_getenv ("OPENIOT_BACKGROUND_PORTAL"), "1") == 0;
}

static void
refuse (OpenIotBackground *self,
        const char        *message)
{
  GtkApplication *application = GTK_IS_APPLICATION (self->application)
                                   ? GTK_APPLICATION (self->application) : NULL;
  GtkWindow *window = application ? gtk_application_get_active_window (application) : NULL;

  g_message ("Not running in the background: %s", message);
  set_held (self, FALSE);
  g_settings_set_boolean (self->settings, "run-in-background", FALSE);
  /* A dialog, not a toast: the user just asked for this and the reason
   * with what to do is too long to catch in passing */
  if (window != NULL)
    {
      GtkWidget *dialog = adw_message_dialog_new (window, _("Cannot Run in Background"), message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      /* Refused at start-up, before any window: the user still hears why */
      g_autoptr(GNotification) notification = g_notification_new (_("Cannot Run in Background"));

      g_notification_set_body (notification, message);
      g_application_send_notification (self->application, "background-refused", notification);
    }
}

static void
stop_waiting (OpenIotBackground *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (self->application);

  if (self->response_id != 0 && bus != NULL)
    g_dbus_connection_signal_unsubscribe (bus, self->response_id);
  self->response_id = 0;
}

static void
on_portal_response (GDBusConnection *bus,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  OpenIotBackground *self = user_data;
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  guint32 response = 2;

  stop_waiting (self);
  if (g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    g_variant_get (parameters, "(u@a{sv})", &response, &results);
  if (results != NULL)
    g_variant_lookup (results, "background", "b", &background);

  if (response == 0 && background)
    set_held (self, TRUE);
  else if (g_settings_get_boolean (self->settings, "run-in-background"))
    refuse (self, response == 1
                    ? _("Running in the background was not allowed. Notifications arrive only "
                        "while Open-IoT is open; allow it in your system’s settings for apps and "
                        "switch it on again.")
                    : _("The system did not allow Open-IoT to run in the background. "
                        "Notifications arrive only while it is open; allow it in your system’s "
                        "settings for apps and try again."));
}

static void
on_portal_called (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OpenIotBackground) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* the answer comes as the request's Response signal */

  stop_waiting (self);
  if (g_settings_get_boolean (self->settings, "run-in-background"))
    refuse (self, _("Open-IoT could not ask the system to let it run in the background (no portal "
                    "answered). Notifications arrive only while it is open."));
}

/* The request's object path is known before the call (the portal spec's
 * handle_token): subscribe first, so that a fast answer is not missed. */
static void
request_background (OpenIotBackground *self)
{
  GDBusConnection *bus = g_application_get_dbus_connection (self->application);
  g_autofree char *sender = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder options;

  if (bus == NULL)
    {
      refuse (self, _("Open-IoT could not ask the system to let it run in the background (no "
                      "session bus). Notifications arrive only while it is open."));
      return;
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  stop_waiting (self);
  self->cancellable = g_cancellable_new ();

  sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  token = g_strdup_printf ("openiot%u", g_random_int ());
  path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);
  self->response_id = g_dbus_connection_signal_subscribe (bus, PORTAL_BUS_NAME,
                                                          "org.freedesktop.portal.Request",
                                                          "Response", path, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                                          on_portal_response, self, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Tell you of events of your devices while "
                                                 "the window is closed")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_PATH, "org.freedesktop.portal.Background",
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                          on_portal_called, g_object_ref (self));
}

static void
on_setting_changed (OpenIotBackground *self)
{
  if (!g_settings_get_boolean (self->settings, "run-in-background"))
    {
      g_cancellable_cancel (self->cancellable);
      stop_waiting (self);
      set_held (self, FALSE);
    }
  else if (needs_portal ())
    request_background (self);
  else
    set_held (self, TRUE);
}

/**
 * openiot_background_new:
 * @application: the application to hold while the setting is on
 * @settings: the app's settings (the run-in-background key)
 *
 * Returns: (transfer full): the background keeper; the caller (the
 *   application) owns it
 */
OpenIotBackground *
openiot_background_new (GApplication *application,
                        GSettings    *settings)
{
  OpenIotBackground *self = g_object_new (OPENIOT_TYPE_BACKGROUND, NULL);

  self->application = application;
  self->settings = g_object_ref (settings);
  g_signal_connect_swapped (settings, "changed::run-in-background",
                            G_CALLBACK (on_setting_changed), self);
  on_setting_changed (self);
  return self;
}

/* Whether the app is held now: for tests */
gboolean
openiot_background_get_held (OpenIotBackground *self)
{
  return self->held;
}

static void
openiot_background_dispose (GObject *object)
{
  OpenIotBackground *self = OPENIOT_BACKGROUND (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    {
      stop_waiting (self);
      g_signal_handlers_disconnect_by_data (self->settings, self);
    }
  g_clear_object (&self->settings);
  /* An application that goes away has no use count to give back */
  self->held = FALSE;

  G_OBJECT_CLASS (openiot_background_parent_class)->dispose (object);
}

static void
openiot_background_class_init (OpenIotBackgroundClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = openiot_background_dispose;
}

static void
openiot_background_init (OpenIotBackground *self)
{
}
