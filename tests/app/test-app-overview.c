// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The hub page's overview against a real hub and the four demo services
 * under Xvfb: one row per service with the icon of its kind and its
 * primary value, live; the light switched from its row (and read back
 * from the hub through the library); a switch that fails goes back and
 * says why; the lock's one-tap action, the one that changes its state,
 * asking first to unlock (Cancel does nothing); a service that went down
 * says when it was last seen. Tiles in two columns on a desktop, one on
 * a phone. Screenshots overview-* at phone and desktop sizes, light and dark.
 */
#include "config.h"

#include <signal.h>

#include "openiot-hub-page.h"
#include "openiot-service-row.h"
#include "openiot-test-app.h"
#include "openiot-test-ui.h"
#include "openiot-window.h"

static OpenIotApplication *app;

/* In the order they are started: the test stops the light by its index. */
static const char * const services[] = { "thermostat", "lock", "light", "meter" };
#define LIGHT 2

typedef struct
{
  OpenIotWindow  *window;
  OpenIotHub     *hub;
  OpenIotHubPage *hub_page;
  GtkFlowBox     *grid;
} Scene;

static OpenIotServiceRow *
find_row (Scene      *scene,
          const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (scene->grid));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (OPENIOT_IS_SERVICE_ROW (child) &&
        g_strcmp0 (openiot_service_info_get_id (
                     openiot_service_row_get_service (OPENIOT_SERVICE_ROW (child))),
                   id) == 0)
      return OPENIOT_SERVICE_ROW (child);
  return NULL;
}

static gboolean
all_values_shown (gpointer data)
{
  Scene *scene = data;

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      OpenIotServiceRow *row = find_row (scene, services[i]);

      if (row == NULL || openiot_service_row_get_value_text (row)[0] == '\0' ||
          g_strcmp0 (openiot_service_row_get_subtitle (row), "Live") != 0)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GtkSwitch *toggle;
  gboolean   expected;
} SwitchWait;

static gboolean
switch_settled (gpointer data)
{
  SwitchWait *wait = data;

  return gtk_widget_get_sensitive (GTK_WIDGET (wait->toggle)) &&
         gtk_switch_get_state (wait->toggle) == wait->expected &&
         gtk_switch_get_active (wait->toggle) == wait->expected;
}

static gboolean
read_light_on (Scene *scene)
{
  g_autoptr(JsonNode) value = openiot_test_app_read_property (scene->hub, "light", "on");

  return json_node_get_boolean (value);
}

static char *
read_lock_state (Scene *scene)
{
  g_autoptr(JsonNode) value = openiot_test_app_read_property (scene->hub, "lock", "state");

  return g_strdup (json_node_get_string (value));
}

typedef struct
{
  OpenIotServiceRow *row;
  const char        *value;
  const char        *action;
} ActionWait;

/* The row shows @value, and offers @action, ready for a tap */
static gboolean
action_offered (gpointer data)
{
  ActionWait *wait = data;
  GtkWidget *button = GTK_WIDGET (openiot_service_row_get_action_button (wait->row));

  return g_strcmp0 (openiot_service_row_get_value_text (wait->row), wait->value) == 0 &&
         gtk_widget_get_visible (button) && gtk_widget_get_sensitive (button) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (button)), wait->action) == 0;
}

/* How many columns the tiles make: how many start left of the first
 * tile's right edge, on its line */
static guint
count_columns (Scene *scene)
{
  GtkWidget *grid = GTK_WIDGET (scene->grid);
  GtkWidget *first = gtk_widget_get_first_child (grid);
  graphene_point_t origin;
  guint columns = 0;

  g_assert_true (gtk_widget_compute_point (first, grid, &GRAPHENE_POINT_INIT (0, 0), &origin));
  for (GtkWidget *child = first; child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      graphene_point_t point;

      g_assert_true (gtk_widget_compute_point (child, grid, &GRAPHENE_POINT_INIT (0, 0), &point));
      if (point.y == origin.y)
        columns++;
    }
  return columns;
}

/* A tile's action button that asks first: the question, drawn */
static GtkWindow *
tap_for_dialog (OpenIotServiceRow *row)
{
  GtkButton *button = openiot_service_row_get_action_button (row);

  return openiot_test_ui_click_for_dialog (GTK_WIDGET (button));
}

static gboolean
light_down (gpointer data)
{
  Scene *scene = data;
  OpenIotServiceRow *row = find_row (scene, "light");

  return row != NULL && g_str_has_prefix (openiot_service_row_get_subtitle (row),
                                          "Not answering · last seen ");
}

static gboolean
blocked (gpointer data)
{
  Scene *scene = data;

  return openiot_hub_get_status (scene->hub) == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED;
}

static void
test_overview (void)
{
  g_autoptr(OpenIotTestHub) test_hub = openiot_test_hub_start ();
  OpenIotServiceRow *thermostat, *lock, *light, *meter;
  SwitchWait wait;
  ActionWait action_wait;
  GtkWidget *lock_button;
  GtkWindow *dialog;
  char *state;
  gboolean was_on;
  Scene scene = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    openiot_test_hub_start_service (test_hub, services[i]);
  openiot_test_app_wait_loaded (app);
  scene.window = openiot_test_app_open_window (app, 1280, 800);
  scene.hub = openiot_test_app_pair (app, test_hub);
  scene.hub_page = OPENIOT_HUB_PAGE (
    gtk_widget_get_template_child (GTK_WIDGET (scene.window), OPENIOT_TYPE_WINDOW, "hub_page"));
  scene.grid = GTK_FLOW_BOX (openiot_test_ui_template_child (scene.hub_page, OPENIOT_TYPE_HUB_PAGE,
                                                             "services_grid"));
  openiot_window_show_hub (scene.window, scene.hub);
  openiot_test_ui_wait_until (all_values_shown, &scene, "every service's value, live");

  /* The icon of each kind (from the demo's @type) and its primary value */
  thermostat = find_row (&scene, "thermostat");
  lock = find_row (&scene, "lock");
  light = find_row (&scene, "light");
  meter = find_row (&scene, "meter");
  g_assert_cmpstr (openiot_service_row_get_icon_name (thermostat), ==,
                   "openiot-thermometer-symbolic");
  g_assert_cmpstr (openiot_service_row_get_icon_name (lock), ==, "system-lock-screen-symbolic");
  g_assert_cmpstr (openiot_service_row_get_icon_name (light), ==, "display-brightness-symbolic");
  g_assert_cmpstr (openiot_service_row_get_icon_name (meter), ==, "thunderbolt-symbolic");
  g_assert_true (g_str_has_suffix (openiot_service_row_get_value_text (thermostat), " °C"));
  g_assert_cmpstr (openiot_service_row_get_value_text (lock), ==, "Locked");
  g_assert_true (g_str_has_suffix (openiot_service_row_get_value_text (meter), " W"));
  was_on = read_light_on (&scene);
  g_assert_cmpstr (openiot_service_row_get_value_text (light), ==, was_on ? "On" : "Off");

  /* No one-tap action where the TD does not make one clear: the light
   * has its switch, the thermostat's and the meter's only action takes
   * an input */
  lock_button = GTK_WIDGET (openiot_service_row_get_action_button (lock));
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (g_strcmp0 (services[i], "lock") != 0)
      g_assert_false (gtk_widget_get_visible (
        GTK_WIDGET (openiot_service_row_get_action_button (find_row (&scene, services[i])))));

  /* Only a writable on/off has a switch */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (light))));
  g_assert_false (
    gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (thermostat))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (lock))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (meter))));

  /* Switched from the overview: the hub has it, the row says it */
  wait = (SwitchWait) { openiot_service_row_get_toggle (light), !was_on };
  gtk_switch_set_active (wait.toggle, !was_on);
  /* Not before the light took it, and not twice meanwhile */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (wait.toggle)));
  g_assert_cmpint (gtk_switch_get_state (wait.toggle), ==, was_on);
  openiot_test_ui_wait_until (switch_settled, &wait, "the light to switch");
  g_assert_cmpint (read_light_on (&scene), ==, !was_on);
  g_assert_cmpstr (openiot_service_row_get_value_text (light), ==, !was_on ? "On" : "Off");

  /* The lock offers the action that changes its state: Unlock while
   * locked, asking first as the Thing page does; Cancel does nothing */
  action_wait = (ActionWait) { lock, "Locked", "Unlock" };
  openiot_test_ui_wait_until (action_offered, &action_wait, "Unlock beside the locked lock");
  g_assert_true (gtk_widget_has_css_class (lock_button, "destructive-action"));
  /* Tiles: two columns on a desktop, one on a phone */
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "overview");
  g_assert_cmpuint (count_columns (&scene), ==, 2);
  gtk_window_set_default_size (GTK_WINDOW (scene.window), 360, 720);
  openiot_test_ui_iterate (300);
  openiot_test_ui_wait_for_frame (GTK_WINDOW (scene.window));
  g_assert_cmpuint (count_columns (&scene), ==, 1);
  dialog = tap_for_dialog (lock);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "Unlock “Front door lock”?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  openiot_test_ui_screenshot (dialog, "overview-confirm-unlock-360x720");
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "cancel");
  openiot_test_ui_iterate (500);
  state = read_lock_state (&scene);
  g_assert_cmpstr (state, ==, "locked");
  g_clear_pointer (&state, g_free);
  g_assert_true (action_offered (&action_wait));

  /* Confirmed, it opens: the row offers Lock, which asks nothing */
  dialog = tap_for_dialog (lock);
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "run");
  action_wait = (ActionWait) { lock, "Unlocked", "Lock" };
  openiot_test_ui_wait_until (action_offered, &action_wait, "Lock beside the unlocked lock");
  state = read_lock_state (&scene);
  g_assert_cmpstr (state, ==, "unlocked");
  g_clear_pointer (&state, g_free);
  g_assert_false (gtk_widget_has_css_class (lock_button, "destructive-action"));
  openiot_test_ui_screenshot (GTK_WINDOW (scene.window), "overview-unlocked-360x720");
  openiot_test_ui_click (lock_button);
  g_assert_null (openiot_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_false (gtk_widget_get_sensitive (lock_button));  /* once at a time */
  action_wait = (ActionWait) { lock, "Locked", "Unlock" };
  openiot_test_ui_wait_until (action_offered, &action_wait, "the lock locked again");

  /* Unlocked elsewhere while "Unlock?" is open: the button turns to Lock
   * meanwhile, and confirming sends neither (the person agreed to
   * Unlock, which is done); a toast says why */
  dialog = tap_for_dialog (lock);
  /* As another device would: the action sent by its own request */
  openiot_test_app_invoke (scene.hub, "lock", "unlock");
  action_wait = (ActionWait) { lock, "Unlocked", "Lock" };
  openiot_test_ui_wait_until (action_offered, &action_wait,
                              "Lock offered while the question is open");
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "run");
  openiot_test_ui_iterate (500);
  state = read_lock_state (&scene);
  g_assert_cmpstr (state, ==, "unlocked");
  g_clear_pointer (&state, g_free);
  g_assert_true (action_offered (&action_wait));
  openiot_test_ui_click (lock_button);
  action_wait = (ActionWait) { lock, "Locked", "Unlock" };
  openiot_test_ui_wait_until (action_offered, &action_wait, "the lock locked once more");

  openiot_test_ui_set_dark (TRUE);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "overview-dark");
  openiot_test_ui_set_dark (FALSE);
  /* Large text (GNOME's 1.25 text scaling factor) on a phone */
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", (int) (96 * 1.25 * 1024), NULL);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "overview-large-text");
  gtk_settings_reset_property (gtk_settings_get_default (), "gtk-xft-dpi");

  /* The light goes away: the switch goes back to what the light last
   * was, and the row, once the hub says so, says when it was last seen */
  g_subprocess_send_signal (test_hub->services->pdata[LIGHT], SIGTERM);
  g_subprocess_wait (test_hub->services->pdata[LIGHT], NULL, NULL);
  wait = (SwitchWait) { openiot_service_row_get_toggle (light), !was_on };
  gtk_switch_set_active (wait.toggle, was_on);
  openiot_test_ui_iterate (100);
  openiot_test_ui_wait_until (switch_settled, &wait, "the switch to go back");
  openiot_hub_page_refresh (scene.hub_page);
  openiot_test_ui_wait_until (light_down, &scene, "the light shown as down");
  light = find_row (&scene, "light");
  g_assert_cmpstr (openiot_service_row_get_title (light), ==, "Kitchen light");
  g_assert_cmpstr (openiot_service_row_get_value_text (light), ==, !was_on ? "On" : "Off");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (openiot_service_row_get_toggle (light))));
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "overview-down");

  /* A hub that must not be used shows no values, as its Thing pages */
  json_node_unref (openiot_test_hub_admin (test_hub, "rotate-certificate", NULL));
  openiot_hub_page_refresh (scene.hub_page);
  openiot_test_ui_wait_until (blocked, &scene, "the renewed certificate to be noticed");
  openiot_test_ui_iterate (300);
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    {
      OpenIotServiceRow *row = find_row (&scene, services[i]);

      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (row))));
      g_assert_cmpstr (openiot_service_row_get_value_text (row), ==, "");
      g_assert_cmpstr (openiot_service_row_get_subtitle (row), ==, "Blocked");
    }

  gtk_window_destroy (GTK_WINDOW (scene.window));
  g_object_unref (scene.hub);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);
  g_test_add_func ("/app/overview", test_overview);

  return g_test_run ();
}
