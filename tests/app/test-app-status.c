// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The app tells the truth about every paired hub, and recovers by
 * itself, against two real hubs under Xvfb: the shown hub stops and comes
 * back, an impostor takes its port and leaves, the hub renews its
 * certificate; the other hub's row keeps telling its own state all along.
 * No click is made to recover: only the hubs' own monitoring runs.
 * Screenshots at phone and desktop sizes go to the build directory.
 */
#include "config.h"

#include "openiot-application.h"
#include "openiot-certificate-dialog.h"
#include "openiot-test-app.h"
#include "openiot-test-hub.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-value-editor.h"
#include "openiot-window.h"

static OpenIotApplication *app;

typedef struct
{
  OpenIotWindow    *window;
  OpenIotHub       *shown;      /* hub A, its thermostat on screen */
  OpenIotHub       *other;      /* hub B, only in the sidebar */
  OpenIotThingPage *thing_page;
} Scene;

static GtkWidget *
window_child (OpenIotWindow *window,
              const char    *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), OPENIOT_TYPE_WINDOW,
                                                    name));
}

static const char *
row_subtitle (Scene *scene,
              int    index)
{
  GtkListBox *list = GTK_LIST_BOX (window_child (scene->window, "hubs_list"));

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_list_box_get_row_at_index (list, index)));
}

static gboolean
both_online (gpointer data)
{
  Scene *scene = data;

  return openiot_hub_get_status (scene->shown) == OPENIOT_HUB_STATUS_ONLINE &&
         openiot_hub_get_status (scene->other) == OPENIOT_HUB_STATUS_ONLINE;
}

static gboolean
shown_offline (gpointer data)
{
  Scene *scene = data;

  return openiot_hub_get_status (scene->shown) == OPENIOT_HUB_STATUS_OFFLINE &&
         !openiot_thing_page_get_live (scene->thing_page);
}

static gboolean
thing_live (gpointer data)
{
  Scene *scene = data;
  GObject *temperature = openiot_thing_page_get_editor (scene->thing_page, "temperature");

  return openiot_hub_get_status (scene->shown) == OPENIOT_HUB_STATUS_ONLINE &&
         openiot_thing_page_get_live (scene->thing_page) && temperature != NULL &&
         openiot_value_editor_get_value (OPENIOT_VALUE_EDITOR (temperature)) != NULL;
}

static gboolean
blocked_by_impostor (gpointer data)
{
  Scene *scene = data;

  return openiot_hub_get_status (scene->shown) == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED &&
         !openiot_hub_get_rotation_verified (scene->shown);
}

static gboolean
blocked_by_renewal (gpointer data)
{
  Scene *scene = data;

  return openiot_hub_get_status (scene->shown) == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED &&
         openiot_hub_get_rotation_verified (scene->shown);
}

static GtkWidget *
thing_child (Scene      *scene,
             const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (scene->thing_page),
                                                    OPENIOT_TYPE_THING_PAGE, name));
}

static void
assert_controls_sensitive (Scene    *scene,
                           gboolean  sensitive)
{
  GObject *target = openiot_thing_page_get_editor (scene->thing_page, "targetTemperature");
  OpenIotActionRow *boost = openiot_thing_page_get_action (scene->thing_page, "boost");

  g_assert_cmpint (
    gtk_widget_get_sensitive (openiot_value_editor_get_control (OPENIOT_VALUE_EDITOR (target))), ==,
    sensitive);
  g_assert_cmpint (gtk_widget_get_sensitive (GTK_WIDGET (boost)), ==, sensitive);
}

static GtkWidget *
dialog_child (GtkWindow  *dialog,
              const char *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                    OPENIOT_TYPE_CERTIFICATE_DIALOG, name));
}

/* The dialog names the kind of change, and Tab visits only the
 * comparison box and the buttons: the fingerprints are read and copied.
 * Seen over a phone-sized window and a desktop one. */
static void
review_certificate (Scene      *scene,
                    const char *heading,
                    const char *screenshot)
{
  const char * const unvisited[] = { "previous_label", "presented_label", "previous_copy",
                                    "presented_copy" };
  const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%dx%d", screenshot, sizes[s][0], sizes[s][1]);
      GtkWindow *dialog;

      gtk_window_set_default_size (GTK_WINDOW (scene->window), sizes[s][0], sizes[s][1]);
      openiot_test_ui_iterate (300);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene->window),
                                                 "win.review-certificate", NULL));
      openiot_test_ui_iterate (200);
      dialog = openiot_test_ui_find_toplevel (OPENIOT_TYPE_CERTIFICATE_DIALOG);
      g_assert_nonnull (dialog);
      openiot_test_ui_wait_for_frame (dialog);
      g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, heading);
      for (guint i = 0; i < G_N_ELEMENTS (unvisited); i++)
        g_assert_false (gtk_widget_get_focusable (dialog_child (dialog, unvisited[i])));
      g_assert_true (gtk_widget_get_focusable (dialog_child (dialog, "confirm_check")));
      /* the row that lets the sentence wrap is no second Tab stop */
      g_assert_false (gtk_widget_get_focusable (
        gtk_widget_get_ancestor (dialog_child (dialog, "confirm_check"), GTK_TYPE_LIST_BOX_ROW)));
      openiot_test_ui_screenshot (dialog, file);
      openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "keep");
      openiot_test_ui_iterate (200);
    }
}

static void
test_status (void)
{
  g_autoptr(OpenIotTestHub) hub_a = openiot_test_hub_start ();
  g_autoptr(OpenIotTestHub) hub_b = openiot_test_hub_start ();
  g_autoptr(OpenIotTestHub) impostor = NULL;
  g_autoptr(JsonNode) rotated = NULL;
  Scene scene = { 0 };

  openiot_test_hub_start_service (hub_a, "thermostat");
  openiot_test_app_wait_loaded (app);

  scene.window = openiot_test_app_open_window (app, 1280, 800);
  scene.shown = openiot_test_app_pair (app, hub_a);
  scene.other = openiot_test_app_pair (app, hub_b);
  scene.thing_page = OPENIOT_THING_PAGE (window_child (scene.window, "thing_page"));

  /* Both hubs' rows tell their own state, selected or not */
  openiot_test_ui_wait_within (both_online, &scene, 20, "both hubs online");
  openiot_window_show_hub (scene.window, scene.shown);
  openiot_window_show_service (scene.window, "thermostat", "Living-room thermostat");
  openiot_test_ui_wait_within (thing_live, &scene, 20, "live thermostat values");
  assert_controls_sensitive (&scene, TRUE);
  g_assert_cmpstr (row_subtitle (&scene, 0), ==, "Online");
  g_assert_cmpstr (row_subtitle (&scene, 1), ==, "Online");

  /* Hub A stops: every view says offline, since when and when it tries
   * again; controls that could only fail are insensitive; B is online */
  openiot_test_hub_stop (hub_a);
  openiot_test_ui_wait_within (shown_offline, &scene, 20, "hub A offline");
  openiot_test_ui_iterate (1500);
  g_assert_true (g_str_has_prefix (row_subtitle (&scene, 0), "Offline since "));
  /* counting down to the next attempt, or making it */
  g_assert_true (strstr (row_subtitle (&scene, 0), "retrying in") != NULL ||
                 strstr (row_subtitle (&scene, 0), "trying again") != NULL);
  g_assert_nonnull (openiot_hub_get_offline_since (scene.shown));
  g_assert_cmpstr (row_subtitle (&scene, 1), ==, "Online");
  assert_controls_sensitive (&scene, FALSE);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "status-offline");

  /* It comes back: live again within 10 s, without a click */
  openiot_test_hub_restart (hub_a);
  openiot_test_ui_wait_within (thing_live, &scene, 10,
                               "hub A and its thermostat live again by themselves");
  g_assert_cmpstr (row_subtitle (&scene, 0), ==, "Online");
  g_assert_null (openiot_hub_get_offline_since (scene.shown));
  assert_controls_sensitive (&scene, TRUE);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "status-recovered");

  /* An impostor takes its port: blocked, and it reads as a warning */
  openiot_test_hub_stop (hub_a);
  impostor = openiot_test_hub_start_on_port (hub_a->port);
  openiot_test_ui_wait_within (blocked_by_impostor, &scene, 20, "the impostor to be refused");
  openiot_test_ui_iterate (300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (thing_child (&scene, "stack"))),
                   ==, "blocked");
  g_assert_true (gtk_widget_has_css_class (thing_child (&scene, "blocked_page"), "alarming"));
  g_assert_false (gtk_widget_has_css_class (thing_child (&scene, "blocked_button"),
                                            "suggested-action"));
  g_assert_cmpstr (row_subtitle (&scene, 0), ==,
                   "Blocked: unverified certificate, maybe an attack");
  g_assert_cmpstr (row_subtitle (&scene, 1), ==, "Online");
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "blocked-impostor");
  review_certificate (&scene, "Unverified Certificate", "certificate-impostor");

  /* The impostor leaves, the real hub is back: unblocked by itself */
  g_clear_pointer (&impostor, openiot_test_hub_free);
  openiot_test_hub_restart (hub_a);
  openiot_test_ui_wait_within (thing_live, &scene, 15,
                               "unblocked by itself once the real hub is back");
  g_assert_null (openiot_hub_get_presented_fingerprint (scene.shown));

  /* A signed renewal, found by F5: blocked, as a calm notice */
  rotated = openiot_test_hub_admin (hub_a, "rotate-certificate", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.window), "win.refresh", NULL));
  openiot_test_ui_wait_within (blocked_by_renewal, &scene, 20, "the renewal to be noticed");
  openiot_test_ui_iterate (300);
  g_assert_false (gtk_widget_has_css_class (thing_child (&scene, "blocked_page"), "alarming"));
  g_assert_true (gtk_widget_has_css_class (thing_child (&scene, "blocked_button"),
                                           "suggested-action"));
  g_assert_cmpstr (row_subtitle (&scene, 0), ==, "Blocked: the hub renewed its certificate");
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "blocked-renewal");
  review_certificate (&scene, "The Hub Renewed Its Certificate", "certificate-renewal");

  gtk_window_destroy (GTK_WINDOW (scene.window));
  g_object_unref (scene.shown);
  g_object_unref (scene.other);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);

  g_test_add_func ("/app/status", test_status);

  return g_test_run ();
}
