// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Notifications and the activity log against a real hub and a demo lock
 * that always jams, under Xvfb with a stand-in notification server on the
 * private session bus: an alarm (the lock jammed) raises a notification
 * while the window is away, and an event that is no alarm does not; both
 * are in the hub page's Recent Activity and in the lock's event rows;
 * the log is kept in the cache (a new log object reads it back); the
 * switch of an event decides its notifications. Screenshots activity-*,
 * light and dark.
 */
#include "config.h"

#include "openiot-event-row.h"
#include "openiot-fake-notifications.h"
#include "openiot-hub-page.h"
#include "openiot-test-app.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-window.h"

static OpenIotApplication *app;

typedef struct
{
  OpenIotActivityLog *log;
  const char         *event;
} LogWait;

static gboolean
logged (gpointer data)
{
  LogWait *wait = data;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (wait->log)); i++)
    {
      g_autoptr(OpenIotActivityEntry) entry = g_list_model_get_item (G_LIST_MODEL (wait->log), i);

      if (g_str_equal (openiot_activity_entry_get_event (entry), wait->event))
        return TRUE;
    }
  return FALSE;
}

static gboolean
row_shows_entry (gpointer data)
{
  return openiot_event_row_get_count (data) > 0;
}

static void
test_activity (void)
{
  g_autoptr(OpenIotTestHub) test_hub = NULL;
  g_autoptr(OpenIotActivityLog) kept = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_auto(GStrv) quiet = NULL;
  OpenIotActivityLog *log;
  OpenIotWindow *window;
  OpenIotThingPage *thing_page;
  OpenIotHubPage *hub_page;
  GtkWidget *row;
  OpenIotHub *hub;
  LogWait wait;

  openiot_fake_notifications_serve ();
  g_setenv ("OPENIOT_TEST_JAM_PROBABILITY", "1", TRUE);
  test_hub = openiot_test_hub_start ();
  openiot_test_hub_start_service (test_hub, "lock");
  openiot_test_app_wait_loaded (app);
  window = openiot_test_app_open_window (app, 1280, 800);
  hub = openiot_test_app_pair (app, test_hub);
  log = openiot_application_get_activity_log (app, hub);
  g_assert_nonnull (log);

  /* The window closed (the app held, as while it runs in the
   * background): the lock jams, and a notification says so */
  g_application_hold (G_APPLICATION (app));
  gtk_window_destroy (GTK_WINDOW (window));
  openiot_test_ui_iterate (
    3000); /* the event streams open (2 s after the app starts, then a handshake) */
  openiot_test_app_invoke (hub, "lock", "unlock");
  wait = (LogWait) { log, "jammed" };
  openiot_test_ui_wait_until (logged, &wait, "the jam in the activity log");
  openiot_test_ui_wait_until (openiot_fake_notifications_seen, "Front door lock: Jammed\n",
                              "a notification of the jam");
  g_assert_true (openiot_fake_notifications_seen ("Front door lock: Jammed\nThe bolt is stuck; "
                                                  "lock again to retry"));
  /* The lock's state changed too: logged, but no alarm, so no notification */
  wait = (LogWait) { log, "stateChanged" };
  openiot_test_ui_wait_until (logged, &wait, "the state change in the log");
  openiot_test_ui_iterate (500);
  for (guint id = 1; id <= openiot_fake_notifications_count (); id++)
    g_assert_true (g_str_has_prefix (openiot_fake_notifications_get (id),
                                     "Front door lock: Jammed"));

  /* The hub page lists it, newest first */
  window = openiot_test_app_open_window (app, 1280, 800);
  g_application_release (G_APPLICATION (app));
  openiot_window_show_hub (window, hub);
  hub_page =
    OPENIOT_HUB_PAGE (openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "hub_page"));
  openiot_test_ui_iterate (300);
  row = gtk_widget_get_first_child (openiot_test_ui_template_child (hub_page, OPENIOT_TYPE_HUB_PAGE,
                                                                    "activity_list"));
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                   "Front door lock: "));
  openiot_test_ui_screenshots (GTK_WINDOW (window), "activity-hub");
  openiot_test_ui_set_dark (TRUE);
  openiot_test_ui_screenshots (GTK_WINDOW (window), "activity-hub-dark");
  openiot_test_ui_set_dark (FALSE);

  /* The lock's page shows its logged events; the jam notifies by default */
  openiot_window_show_service (window, "lock", NULL);
  thing_page =
    OPENIOT_THING_PAGE (openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "thing_page"));
  openiot_test_ui_iterate (300);
  row = GTK_WIDGET (openiot_thing_page_get_event (thing_page, "jammed"));
  g_assert_nonnull (row);
  openiot_test_ui_wait_until (row_shows_entry, row, "the jam in the lock's event row");
  g_assert_true (
    gtk_switch_get_active (openiot_event_row_get_notify_switch (OPENIOT_EVENT_ROW (row))));
  g_assert_false (gtk_switch_get_active (openiot_event_row_get_notify_switch (
    OPENIOT_EVENT_ROW (openiot_thing_page_get_event (thing_page, "stateChanged")))));
  /* The event rows in view: they are below the actions */
  openiot_test_ui_screenshots_of (GTK_WINDOW (window), "activity-lock", row);
  openiot_test_ui_set_dark (TRUE);
  openiot_test_ui_screenshots_of (GTK_WINDOW (window), "activity-lock-dark", row);
  openiot_test_ui_set_dark (FALSE);

  /* Switched off: remembered as a quiet event */
  gtk_switch_set_active (openiot_event_row_get_notify_switch (OPENIOT_EVENT_ROW (row)), FALSE);
  quiet = g_settings_get_strv (settings, "quiet-events");
  g_assert_cmpuint (g_strv_length (quiet), ==, 1);
  g_assert_true (g_str_has_suffix (quiet[0], "/lock/jammed"));

  /* Kept: another log object of the same hub reads it back */
  kept = openiot_activity_log_new (openiot_hub_get_cache (hub),
                                   openiot_hub_record_get_id (openiot_hub_get_record (hub)));
  wait = (LogWait) { kept, "jammed" };
  g_assert_true (logged (&wait));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (hub);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);
  g_test_add_func ("/app/activity", test_activity);

  return g_test_run ();
}
