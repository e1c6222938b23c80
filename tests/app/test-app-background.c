// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Run in background (issue 15), the app run for real (g_application_run)
 * against a real hub and a demo lock that always jams, under Xvfb with a
 * stand-in notification server and a stand-in Background portal on the
 * private session bus:
 *
 * - the portal refuses: the setting goes back off and the window says why
 *   (a notification, when there is no window yet); it allows: the app is
 *   held;
 * - with the setting on, the window closed, the app keeps running: a new
 *   launch shows a window; the lock jams, a notification arrives, and
 *   activating it opens the lock's page in a new window;
 * - with the setting off, closing that window quits the app (the run
 *   returns).
 */
#include "config.h"

#include <string.h>

#include "openiot-application.h"
#include "openiot-fake-notifications.h"
#include "openiot-test-bus.h"
#include "openiot-test-app.h"
#include "openiot-test-hub.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-window.h"

static OpenIotApplication *app;

/* org.freedesktop.portal.Background, answering as told */
static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "      <arg type='o' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static guint      portal_response;
static gboolean   portal_background;
static guint      portal_requests;

static void
on_portal_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  g_autoptr(GVariant) options = NULL;
  g_autofree char *unique = g_strdup (sender + 1);
  g_autofree char *handle = NULL;
  const char *token = "t";
  GVariantBuilder results;

  portal_requests++;
  g_variant_get (parameters, "(&s@a{sv})", NULL, &options);
  g_variant_lookup (options, "handle_token", "&s", &token);
  g_strdelimit (unique, ".", '_');
  handle = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", unique, token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", handle));

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background", g_variant_new_boolean (portal_background));
  g_variant_builder_add (&results, "{sv}", "autostart", g_variant_new_boolean (FALSE));
  g_dbus_connection_emit_signal (connection, NULL, handle, "org.freedesktop.portal.Request",
                                 "Response", g_variant_new ("(ua{sv})", portal_response, &results),
                                 NULL);
}

static void
serve_portal (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  const GDBusInterfaceVTable vtable = { on_portal_call, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;

  g_dbus_connection_register_object (bus, "/org/freedesktop/portal/desktop", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  openiot_test_bus_own_name (bus, "org.freedesktop.portal.Desktop");
}

static gboolean
setting_off (gpointer settings)
{
  return !g_settings_get_boolean (settings, "run-in-background");
}

static gboolean
held (gpointer data)
{
  return openiot_background_get_held (openiot_application_get_background (app));
}

static gboolean
refusal_shown (gpointer data)
{
  return openiot_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

/* Inside a Flatpak the portal decides: a refusal turns the setting off
 * and says so in words, an answer of yes holds the app */
static void
test_portal (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  OpenIotWindow *window;
  GtkWindow *dialog;

  openiot_test_app_wait_loaded (app);
  g_setenv ("OPENIOT_BACKGROUND_PORTAL", "1", TRUE);
  portal_response = 1;  /* the user said no */
  portal_background = FALSE;

  /* No window yet (a refusal at start-up): a notification says it */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  openiot_test_ui_wait_until (setting_off, settings, "the refused setting to go back off");
  openiot_test_ui_wait_until (openiot_fake_notifications_seen, "Cannot Run in Background\n",
                              "the refusal as a notification");
  g_assert_cmpuint (portal_requests, ==, 1);

  window = openiot_test_app_open_window (app, 360, 720);
  openiot_test_ui_wait_for_frame (GTK_WINDOW (window));

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "run-in-background"));
  g_action_group_change_action_state (G_ACTION_GROUP (app), "run-in-background",
                                      g_variant_new_boolean (TRUE));
  openiot_test_ui_wait_until (setting_off, settings, "the refused setting to go back off");
  g_assert_cmpuint (portal_requests, ==, 2);
  g_assert_false (held (NULL));
  openiot_test_ui_wait_until (refusal_shown, NULL, "the refusal said in the window");
  dialog = openiot_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_true (gtk_window_get_transient_for (dialog) == GTK_WINDOW (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "switch it on again"));
  openiot_test_ui_wait_for_frame (dialog);
  openiot_test_ui_screenshot (dialog, "background-refused-360x720");
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "close");
  openiot_test_ui_iterate (200);

  portal_response = 0;
  portal_background = TRUE;
  g_settings_set_boolean (settings, "run-in-background", TRUE);
  openiot_test_ui_wait_until (held, NULL, "the app held once the portal allowed it");
  g_assert_cmpuint (portal_requests, ==, 3);
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_false (held (NULL));

  g_unsetenv ("OPENIOT_BACKGROUND_PORTAL");
  gtk_window_destroy (GTK_WINDOW (window));
  openiot_test_ui_iterate (100);
}

typedef struct
{
  OpenIotTestHub *test_hub;
  OpenIotHub     *hub;
  GSettings      *settings;
  guint           stage;
} Run;

static gboolean
lock_page_shown (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  OpenIotThingPage *page;
  GtkWidget *leaflet;

  if (window == NULL)
    return FALSE;
  page = OPENIOT_THING_PAGE (openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW,
                                                             "thing_page"));
  leaflet = openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "content_leaflet");
  return adw_leaflet_get_visible_child (ADW_LEAFLET (leaflet)) == GTK_WIDGET (page) &&
         openiot_thing_page_get_event (page, "jammed") != NULL;
}

/* Stage 2, with no window left: the lock jams, a notification comes, a
 * click on it shows the lock; then, the setting off, closing quits */
static gboolean
jam_and_click (gpointer data)
{
  Run *run = data;
  GtkWindow *window;
  guint id;

  g_assert_cmpuint (run->stage, ==, 1);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  /* Started again (what a second launch asks of the running app): a
   * window; closed again, still held */
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_nonnull (window);
  gtk_window_destroy (window);
  openiot_test_ui_iterate (100);
  g_assert_true (held (NULL));

  openiot_test_app_invoke (run->hub, "lock", "unlock");
  openiot_test_app_wait_until (run->hub, openiot_fake_notifications_seen,
                               "Front door lock: Jammed\n", "a notification of the jam");
  id = openiot_fake_notifications_find ("Front door lock: Jammed\n");
  /* It names the hub as the user calls it */
  g_assert_true (g_str_has_suffix (openiot_fake_notifications_get (id), "\nHub “Front Door Hub”"));

  openiot_fake_notifications_click (id);
  openiot_test_app_wait_until (run->hub, lock_page_shown, NULL, "the lock's page after the click");
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  gtk_window_set_default_size (window, 1280, 800);
  openiot_test_ui_screenshots (window, "background-notification-opened");

  /* Off: nothing holds the app but its window */
  g_settings_set_boolean (run->settings, "run-in-background", FALSE);
  g_assert_false (held (NULL));
  run->stage = 2;
  gtk_window_destroy (window);
  return G_SOURCE_REMOVE;
}

/* Stage 1, from the app's own activation: pair, switch on, close */
static void
on_activate (GApplication *application,
             Run          *run)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_func (application, on_activate, run);
  g_assert_nonnull (window);
  openiot_test_app_wait_loaded (app);
  run->hub = openiot_test_app_pair (app, run->test_hub);
  openiot_hub_set_nickname_async (run->hub, "Front Door Hub", NULL, openiot_test_ui_store_result,
                                  &result);
  openiot_test_ui_wait_until (openiot_test_ui_result_ready, &result, "the nickname saved");
  g_assert_true (openiot_hub_set_nickname_finish (run->hub, result, &error));
  g_assert_no_error (error);
  g_settings_set_boolean (run->settings, "run-in-background", TRUE);
  g_assert_true (held (NULL));
  gtk_window_destroy (window);
  run->stage = 1;
  /* The event streams open 2 s after the app starts, then a handshake;
   * a run that is not held has returned by then. */
  g_timeout_add_seconds (4, jam_and_click, run);
}

static gboolean
too_long (gpointer data)
{
  g_error ("the app did not quit when its window closed with run-in-background off (stage %u)",
           ((Run *) data)->stage);
  return G_SOURCE_REMOVE;
}

static void
test_run_in_background (void)
{
  g_autoptr(OpenIotTestHub) test_hub = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  Run run = { 0 };
  guint guard;
  int status;

  g_setenv ("OPENIOT_TEST_JAM_PROBABILITY", "1", TRUE);
  test_hub = openiot_test_hub_start ();
  openiot_test_hub_start_service (test_hub, "lock");
  run = (Run) { test_hub, NULL, settings, 0 };

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &run);
  guard = g_timeout_add_seconds (90, too_long, &run);
  status = g_application_run (G_APPLICATION (app), 0, NULL);
  g_source_remove (guard);

  /* It returned: after the second stage, not when the window first closed */
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (run.stage, ==, 2);
  g_clear_object (&run.hub);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);
  openiot_fake_notifications_serve ();
  serve_portal ();

  g_test_add_func ("/app/background/portal", test_portal);
  g_test_add_func ("/app/background/run", test_run_in_background);

  return g_test_run ();
}
