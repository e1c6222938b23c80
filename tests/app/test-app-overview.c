// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The hub page's overview against a real hub and the four demo services
 * under Xvfb: one row per service with the icon of its kind and its
 * primary value, live; the light switched from its row (and read back
 * from the hub through the library); a switch that fails goes back and
 * says why; a service that went down says when it was last seen.
 * Screenshots overview-* at phone and desktop sizes, light and dark.
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
  GtkListBox     *list;
} Scene;

static OpenIotServiceRow *
find_row (Scene      *scene,
          const char *id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (scene->list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (OPENIOT_IS_SERVICE_ROW (child) &&
        g_strcmp0 (openiot_service_info_get_id (openiot_service_row_get_service (OPENIOT_SERVICE_ROW (child))), id) == 0)
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
          g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Live") != 0)
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

/* What the hub says, not what the row shows: a fresh request through the
 * library, as the CLI's `openiot get light on` makes. */
static gboolean
read_light_on (Scene *scene)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OpenIotConsumedThing) light = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  openiot_consumed_thing_fetch_async (openiot_hub_get_connection (scene->hub), "light", NULL,
                                      openiot_test_ui_store_result, &result);
  openiot_test_ui_wait_until (openiot_test_ui_result_ready, &result, "the light's description");
  light = openiot_consumed_thing_fetch_finish (result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  openiot_consumed_thing_read_property_async (light, "on", NULL, openiot_test_ui_store_result, &result);
  openiot_test_ui_wait_until (openiot_test_ui_result_ready, &result, "the light's value");
  value = openiot_consumed_thing_read_property_finish (light, result, &error);
  g_assert_no_error (error);
  return json_node_get_boolean (value);
}

static gboolean
light_down (gpointer data)
{
  Scene *scene = data;
  OpenIotServiceRow *row = find_row (scene, "light");

  return row != NULL && g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
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
  AdwStyleManager *style = adw_style_manager_get_default ();
  OpenIotServiceRow *thermostat, *lock, *light, *meter;
  SwitchWait wait;
  gboolean was_on;
  Scene scene = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    openiot_test_hub_start_service (test_hub, services[i]);
  openiot_test_app_wait_loaded (app);
  scene.window = openiot_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (scene.window), 1280, 800);
  gtk_window_present (GTK_WINDOW (scene.window));
  scene.hub = openiot_test_app_pair (app, test_hub);
  scene.hub_page = OPENIOT_HUB_PAGE (gtk_widget_get_template_child (GTK_WIDGET (scene.window), OPENIOT_TYPE_WINDOW,
                                                                    "hub_page"));
  scene.list = GTK_LIST_BOX (gtk_widget_get_template_child (GTK_WIDGET (scene.hub_page), OPENIOT_TYPE_HUB_PAGE,
                                                            "services_list"));
  openiot_window_show_hub (scene.window, scene.hub);
  openiot_test_ui_wait_until (all_values_shown, &scene, "every service's value, live");

  /* The icon of each kind (from the demo's @type) and its primary value */
  thermostat = find_row (&scene, "thermostat");
  lock = find_row (&scene, "lock");
  light = find_row (&scene, "light");
  meter = find_row (&scene, "meter");
  g_assert_cmpstr (openiot_service_row_get_icon_name (thermostat), ==, "openiot-thermometer-symbolic");
  g_assert_cmpstr (openiot_service_row_get_icon_name (lock), ==, "system-lock-screen-symbolic");
  g_assert_cmpstr (openiot_service_row_get_icon_name (light), ==, "display-brightness-symbolic");
  g_assert_cmpstr (openiot_service_row_get_icon_name (meter), ==, "thunderbolt-symbolic");
  g_assert_true (g_str_has_suffix (openiot_service_row_get_value_text (thermostat), " °C"));
  g_assert_cmpstr (openiot_service_row_get_value_text (lock), ==, "Locked");
  g_assert_true (g_str_has_suffix (openiot_service_row_get_value_text (meter), " W"));
  was_on = read_light_on (&scene);
  g_assert_cmpstr (openiot_service_row_get_value_text (light), ==, was_on ? "On" : "Off");

  /* Only a writable on/off has a switch */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (light))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (thermostat))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (lock))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (openiot_service_row_get_toggle (meter))));

  /* Switched from the overview: the hub has it, the row says it */
  wait = (SwitchWait) { openiot_service_row_get_toggle (light), !was_on };
  gtk_switch_set_active (wait.toggle, !was_on);
  openiot_test_ui_wait_until (switch_settled, &wait, "the light to switch");
  g_assert_cmpint (read_light_on (&scene), ==, !was_on);
  g_assert_cmpstr (openiot_service_row_get_value_text (light), ==, !was_on ? "On" : "Off");

  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "overview");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "overview-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
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
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (light)), ==, "Kitchen light");
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
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Blocked");
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
