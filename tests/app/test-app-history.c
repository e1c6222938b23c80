// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The Thing page's history graphs against a real hub and the demo
 * thermostat under Xvfb: the temperature's live values become a graph
 * with its range in words for screen readers; a number that did not
 * change yet says there is not enough data; the samples are still there
 * in a new window (kept in the cache when the page closed).
 * Screenshots history-* at phone and desktop sizes, light and dark.
 */
#include "config.h"

#include "openiot-history-graph.h"
#include "openiot-test-app.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-window.h"

static OpenIotApplication *app;

static OpenIotThingPage *
open_thermostat (OpenIotWindow *window,
                 OpenIotHub    *hub)
{
  OpenIotThingPage *page = OPENIOT_THING_PAGE (
    gtk_widget_get_template_child (GTK_WIDGET (window), OPENIOT_TYPE_WINDOW, "thing_page"));

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  openiot_window_show_hub (window, hub);
  openiot_window_show_service (window, "thermostat", "Living-room thermostat");
  return page;
}

static gboolean
page_live (gpointer data)
{
  return openiot_thing_page_get_live (data) &&
         openiot_thing_page_get_history_graph (data, "temperature") != NULL;
}

static gboolean
enough_samples (gpointer data)
{
  OpenIotHistoryGraph *graph = openiot_thing_page_get_history_graph (data, "temperature");

  /* The demo ticks every 200 ms, the history keeps one sample per 10 s */
  return graph != NULL && openiot_history_graph_get_n_samples (graph) >= 3;
}

/* Screenshots at phone and desktop sizes, scrolled down to the graph:
 * the graphs are below the properties */
static void
screenshots_of_graph (GtkWindow           *window,
                      OpenIotHistoryGraph *graph,
                      const char          *name)
{
  const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%dx%d", name, sizes[i][0], sizes[i][1]);

      gtk_window_set_default_size (window, sizes[i][0], sizes[i][1]);
      openiot_test_ui_iterate (300);
      /* The section's title above it in view too */
      openiot_test_ui_scroll_to (GTK_WIDGET (graph), 60);
      openiot_test_ui_iterate (100);
      openiot_test_ui_wait_for_frame (window);
      openiot_test_ui_screenshot (window, file);
    }
}

static void
test_history (void)
{
  g_autoptr(OpenIotTestHub) test_hub = openiot_test_hub_start ();
  OpenIotWindow *window;
  OpenIotThingPage *page;
  OpenIotHistoryGraph *temperature, *target;
  OpenIotHub *hub;
  guint kept;

  openiot_test_hub_start_service (test_hub, "thermostat");
  openiot_test_app_wait_loaded (app);
  window = openiot_window_new (app);
  hub = openiot_test_app_pair (app, test_hub);
  page = open_thermostat (window, hub);
  openiot_test_ui_wait_within (page_live, page, 20, "live thermostat values");

  /* Only the numbers the session follows have a graph */
  g_assert_nonnull (openiot_thing_page_get_history_graph (page, "humidity"));
  g_assert_null (openiot_thing_page_get_history_graph (page, "mode"));
  g_assert_null (openiot_thing_page_get_history_graph (page, "occupancy"));

  /* The target is read once and does not change by itself */
  target = openiot_thing_page_get_history_graph (page, "targetTemperature");
  g_assert_cmpuint (openiot_history_graph_get_n_samples (target), <, 2);
  g_assert_cmpstr (openiot_history_graph_get_summary (target), ==,
                   "Target temperature over the last hour: not enough data yet");

  openiot_test_ui_wait_within (enough_samples, page, 40, "three samples of the temperature");
  temperature = openiot_thing_page_get_history_graph (page, "temperature");
  g_assert_true (g_str_has_prefix (openiot_history_graph_get_summary (temperature),
                                   "Temperature over the last hour: "));
  g_assert_true (g_str_has_suffix (openiot_history_graph_get_summary (temperature), " °C"));
  g_assert_nonnull (strstr (openiot_history_graph_get_summary (temperature), " °C to "));
  g_assert_cmpuint (openiot_history_graph_get_hours (temperature), ==, 1);

  screenshots_of_graph (GTK_WINDOW (window), temperature, "history");
  openiot_test_ui_set_dark (TRUE);
  screenshots_of_graph (GTK_WINDOW (window), temperature, "history-dark");
  openiot_test_ui_set_dark (FALSE);

  /* The last 24 hours hold the same samples here */
  kept = openiot_history_graph_get_n_samples (temperature);
  openiot_history_graph_set_hours (temperature, 24);
  g_assert_cmpuint (openiot_history_graph_get_n_samples (temperature), >=, kept);
  g_assert_true (g_str_has_prefix (openiot_history_graph_get_summary (temperature),
                                   "Temperature over the last 24 hours: "));

  /* Closed and opened again in a new window: the samples were kept */
  gtk_window_destroy (GTK_WINDOW (window));
  openiot_test_ui_iterate (100);
  window = openiot_window_new (app);
  page = open_thermostat (window, hub);
  /* Drawn from the cache, before the hub answered: the graphs are built
   * as the page's first frame ends, before its session sends anything */
  openiot_test_ui_wait_for_frame (GTK_WINDOW (window));
  temperature = openiot_thing_page_get_history_graph (page, "temperature");
  g_assert_nonnull (temperature);
  g_assert_cmpuint (openiot_history_graph_get_n_samples (temperature), >=, kept);
  g_assert_true (g_str_has_prefix (openiot_history_graph_get_summary (temperature),
                                   "Temperature over the last hour: "));

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (hub);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);
  g_test_add_func ("/app/history", test_history);

  return g_test_run ();
}
