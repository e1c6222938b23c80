// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "openiot-application.h"
#include "openiot-window.h"
#include "openiot-test-app.h"
#include "openiot-test-ui.h"

/* One application per process, as in the real app: a GApplication can
 * only be registered on the bus once. */
static OpenIotApplication *app;

typedef struct
{
  OpenIotApplication *app;
  OpenIotWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  openiot_test_app_wait_loaded (app);
  g_assert_null (openiot_application_get_error (app));
  fixture->app = app;
  fixture->window = openiot_window_new (fixture->app);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
}

static GtkWidget *
template_child (Fixture    *fixture,
                const char *name)
{
  return openiot_test_ui_template_child (fixture->window, OPENIOT_TYPE_WINDOW, name);
}

static void
show_at_size (Fixture *fixture,
              int      width,
              int      height)
{
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, height);
  gtk_window_present (GTK_WINDOW (fixture->window));
  openiot_test_ui_wait_for_frame (GTK_WINDOW (fixture->window));
}

static void
assert_empty_state (Fixture *fixture)
{
  AdwStatusPage *empty = ADW_STATUS_PAGE (template_child (fixture, "empty_page"));
  GtkWidget *pair = template_child (fixture, "pair_button");
  GtkStack *stack = GTK_STACK (template_child (fixture, "hubs_stack"));

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (empty)));
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "No Hubs Yet");
  g_assert_true (gtk_widget_is_drawable (pair));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (pair)), ==, "win.pair-hub");
  g_assert_true (gtk_widget_is_sensitive (pair));
}

static void
test_window_phone (Fixture       *fixture,
                   gconstpointer  data)
{
  AdwLeaflet *leaflet;
  int minimum;

  show_at_size (fixture, 360, 720);
  leaflet = ADW_LEAFLET (template_child (fixture, "leaflet"));

  /* One pane on a phone, and nothing forces the window wider than it */
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (leaflet)), <=, 360);

  assert_empty_state (fixture);
  openiot_test_ui_screenshot (GTK_WINDOW (fixture->window), "window-empty-360x720");
}

static void
test_window_desktop (Fixture       *fixture,
                     gconstpointer  data)
{
  AdwLeaflet *leaflet;

  show_at_size (fixture, 1280, 800);
  leaflet = ADW_LEAFLET (template_child (fixture, "leaflet"));

  /* Two panes on a desktop: the hubs list and the hub page side by side */
  g_assert_false (adw_leaflet_get_folded (leaflet));
  g_assert_true (gtk_widget_is_drawable (template_child (fixture, "content_stack")));
  /* With no hub at all the content pane stays quiet: the sidebar's empty
   * state is the one thing to read */
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "no_selection_page")));

  assert_empty_state (fixture);
  openiot_test_ui_screenshot (GTK_WINDOW (fixture->window), "window-empty-1280x800");
}

static void
test_window_about_and_shortcuts (Fixture       *fixture,
                                 gconstpointer  data)
{
  GtkWindow *about;
  GtkWindow *shortcuts;

  show_at_size (fixture, 1280, 800);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  openiot_test_ui_iterate (100);
  about = openiot_test_ui_find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Open-IoT");
  openiot_test_ui_screenshot (about, "about-window");
  gtk_window_destroy (about);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay",
                                             NULL));
  openiot_test_ui_iterate (100);
  shortcuts = openiot_test_ui_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW);
  g_assert_nonnull (shortcuts);
  openiot_test_ui_screenshot (shortcuts, "shortcuts-window");
  gtk_window_destroy (shortcuts);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);

  g_test_add ("/app/window/phone", Fixture, NULL, fixture_set_up, test_window_phone,
              fixture_tear_down);
  g_test_add ("/app/window/desktop", Fixture, NULL, fixture_set_up, test_window_desktop,
              fixture_tear_down);
  g_test_add ("/app/window/about-and-shortcuts", Fixture, NULL, fixture_set_up,
              test_window_about_and_shortcuts, fixture_tear_down);

  return g_test_run ();
}
