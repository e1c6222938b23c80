// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Actions as people meet them, against a real hub and the demo lock and
 * thermostat under Xvfb: buttons named after the action, "Lock"
 * insensitive while locked, "Unlock" asking first (Cancel changes
 * nothing), the result right in the row, "Boost" with its form.
 * Screenshots at phone and desktop sizes, light and dark, go to the build
 * directory.
 */
#include "config.h"

#include "openiot-action-row.h"
#include "openiot-test-app.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-value-editor.h"
#include "openiot-window.h"

static OpenIotApplication *app;

typedef struct
{
  OpenIotWindow    *window;
  OpenIotHub       *hub;
  OpenIotThingPage *page;
} Scene;

static gboolean
thermostat_live (gpointer data)
{
  Scene *scene = data;

  return openiot_thing_page_get_live (scene->page) &&
         openiot_thing_page_get_action (scene->page, "boost") != NULL;
}

static GtkWindow *
press_unlock (Scene *scene)
{
  OpenIotActionRow *unlock = openiot_thing_page_get_action (scene->page, "unlock");

  return openiot_test_ui_click_for_dialog (openiot_action_row_get_button (unlock));
}

static void
test_actions (void)
{
  g_autoptr(OpenIotTestHub) test_hub = openiot_test_hub_start ();
  OpenIotActionRow *lock, *unlock, *boost;
  GtkWindow *dialog;
  Scene scene = { 0 };

  openiot_test_hub_start_service (test_hub, "lock");
  openiot_test_hub_start_service (test_hub, "thermostat");
  openiot_test_app_wait_loaded (app);
  scene.window = openiot_test_app_open_window (app, 1280, 800);
  scene.hub = openiot_test_app_pair (app, test_hub);
  scene.page = OPENIOT_THING_PAGE (
    gtk_widget_get_template_child (GTK_WIDGET (scene.window), OPENIOT_TYPE_WINDOW, "thing_page"));
  openiot_window_show_hub (scene.window, scene.hub);
  openiot_window_show_service (scene.window, "lock", "Front door lock");
  openiot_test_ui_wait_until (openiot_test_app_lock_locked, scene.page, "the locked lock, live");

  /* Named after the action; the one that would do nothing is insensitive,
   * and the one that opens the door looks like it */
  lock = openiot_thing_page_get_action (scene.page, "lock");
  unlock = openiot_thing_page_get_action (scene.page, "unlock");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (openiot_action_row_get_button (unlock))), ==,
                   "Unlock");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (openiot_action_row_get_button (lock))), ==,
                   "Lock");
  g_assert_false (gtk_widget_get_sensitive (openiot_action_row_get_button (lock)));
  g_assert_true (gtk_widget_get_sensitive (openiot_action_row_get_button (unlock)));
  g_assert_true (gtk_widget_has_css_class (openiot_action_row_get_button (unlock),
                                           "destructive-action"));
  g_assert_false (gtk_widget_has_css_class (openiot_action_row_get_button (unlock),
                                            "suggested-action"));
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "thing-lock");
  openiot_test_ui_set_dark (TRUE);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "thing-lock-dark");
  openiot_test_ui_set_dark (FALSE);

  /* Unlock asks first, naming the device; Cancel is the default and
   * changes nothing. Light, then dark. */
  for (guint i = 0; i < 4; i++)
    {
      const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };
      gboolean dark = i >= 2;
      g_autofree char *file = g_strdup_printf ("confirm-unlock%s-%dx%d", dark ? "-dark" : "",
                                               sizes[i % 2][0], sizes[i % 2][1]);

      openiot_test_ui_set_dark (dark);
      gtk_window_set_default_size (GTK_WINDOW (scene.window), sizes[i % 2][0], sizes[i % 2][1]);
      openiot_test_ui_iterate (300);
      dialog = press_unlock (&scene);
      g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                       "Unlock “Front door lock”?");
      g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                       "cancel");
      openiot_test_ui_screenshot (dialog, file);
      openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "cancel");
      openiot_test_ui_iterate (500);
    }
  openiot_test_ui_set_dark (FALSE);
  g_assert_null (openiot_action_row_get_output (unlock));
  g_assert_cmpstr (openiot_test_app_lock_state (scene.page), ==, "locked");

  /* Confirmed: it runs, and the result is right in the row */
  dialog = press_unlock (&scene);
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "run");
  openiot_test_ui_wait_until (openiot_test_app_action_answered, unlock, "the unlock result");
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (unlock)),
                                   "State: "));
  openiot_test_ui_wait_until (openiot_test_app_lock_unlocked, scene.page, "the lock to open");
  openiot_test_ui_iterate (300);
  g_assert_false (gtk_widget_get_sensitive (openiot_action_row_get_button (unlock)));
  g_assert_true (gtk_widget_get_sensitive (openiot_action_row_get_button (lock)));
  /* The row with the result in view on a phone too */
  openiot_test_ui_screenshots_of (GTK_WINDOW (scene.window), "action-result", GTK_WIDGET (unlock));
  openiot_test_ui_set_dark (TRUE);
  openiot_test_ui_screenshots_of (GTK_WINDOW (scene.window), "action-result-dark",
                                  GTK_WIDGET (unlock));
  openiot_test_ui_set_dark (FALSE);

  /* An action with a form: its button is named after it too, and asks
   * nothing */
  openiot_window_show_service (scene.window, "thermostat", "Living-room thermostat");
  openiot_test_ui_wait_until (thermostat_live, &scene, "the thermostat");
  boost = openiot_thing_page_get_action (scene.page, "boost");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (openiot_action_row_get_button (boost))), ==,
                   "Boost");
  g_assert_true (gtk_widget_get_sensitive (openiot_action_row_get_button (boost)));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (boost), TRUE);
  g_signal_emit_by_name (openiot_action_row_get_button (boost), "clicked");
  g_assert_null (openiot_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  openiot_test_ui_wait_until (openiot_test_app_action_answered, boost, "the boost result");
  g_assert_true (g_str_has_prefix (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (boost)),
                                   "Until: "));
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "action-result-boost");

  gtk_window_destroy (GTK_WINDOW (scene.window));
  g_object_unref (scene.hub);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);

  g_test_add_func ("/app/actions", test_actions);

  return g_test_run ();
}
