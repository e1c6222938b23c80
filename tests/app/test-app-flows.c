// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The app against a real hub with real demo services and the session's
 * real gnome-keyring, under Xvfb: a paired hub's page, a live thermostat,
 * a write, a certificate change refused then accepted, the hub going away
 * and coming back, and removing the hub. Screenshots of every state at
 * phone and desktop sizes go to the build directory.
 */
#include "config.h"

#include "openiot-application.h"
#include "openiot-certificate-dialog.h"
#include "openiot-hub-page.h"
#include "openiot-pairing-window.h"
#include "openiot-test-app.h"
#include "openiot-test-hub.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-value-editor.h"
#include "openiot-window.h"

static OpenIotApplication *app;
static OpenIotHub *current_hub;

static GtkWidget *
window_child (OpenIotWindow *window,
              const char    *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), OPENIOT_TYPE_WINDOW,
                                                    name));
}

static GtkWidget *
wizard_child (GtkWindow  *wizard,
              const char *name)
{
  return openiot_test_ui_template_child (wizard, OPENIOT_TYPE_PAIRING_WINDOW, name);
}

static void
click (GtkWindow  *wizard,
       const char *button)
{
  openiot_test_ui_click (wizard_child (wizard, button));
}

typedef struct
{
  GtkWindow  *wizard;
  const char *page;
} WizardPage;

static gboolean
wizard_on_page (gpointer data)
{
  WizardPage *wp = data;

  return g_strcmp0 (
           gtk_stack_get_visible_child_name (GTK_STACK (wizard_child (wp->wizard, "stack"))),
           wp->page) == 0;
}

static gboolean
one_hub (gpointer data)
{
  return g_list_model_get_n_items (openiot_application_get_hubs (app)) == 1;
}

/* First start: no hubs; the wizard from the window's own action, the
 * hub's address and code typed in, trusted, done. */
static OpenIotHub *
pair_through_wizard (OpenIotWindow  *window,
                     OpenIotTestHub *test_hub)
{
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (test_hub);
  g_autofree char *address = g_strdup_printf ("[::1]:%u", test_hub->port + 1);
  WizardPage wp = { 0 };

  g_assert_cmpuint (g_list_model_get_n_items (openiot_application_get_hubs (app)), ==, 0);
  openiot_test_ui_iterate (300);
  openiot_test_ui_screenshot (GTK_WINDOW (window), "first-start");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.pair-hub", NULL));
  openiot_test_ui_iterate (100);
  wp.wizard = openiot_test_ui_find_toplevel (OPENIOT_TYPE_PAIRING_WINDOW);
  g_assert_nonnull (wp.wizard);
  openiot_test_ui_wait_for_frame (wp.wizard);

  gtk_editable_set_text (GTK_EDITABLE (wizard_child (wp.wizard, "address_row")), address);
  click (wp.wizard, "continue_button");
  gtk_editable_set_text (GTK_EDITABLE (wizard_child (wp.wizard, "code_row")),
                         openiot_pairing_link_get_code (link));
  gtk_editable_set_text (GTK_EDITABLE (wizard_child (wp.wizard, "name_row")), "UI test");
  click (wp.wizard, "pair_button");
  wp.page = "trust";
  openiot_test_app_wait_until (current_hub, wizard_on_page, &wp, "the trust page");
  click (wp.wizard, "trust_button");
  wp.page = "success";
  openiot_test_app_wait_until (current_hub, wizard_on_page, &wp, "the success page");
  click (wp.wizard, "done_button");
  openiot_test_app_wait_until (current_hub, one_hub, NULL, "the hub in the list");

  return g_list_model_get_item (openiot_application_get_hubs (app), 0);
}

typedef struct
{
  OpenIotWindow    *window;
  OpenIotHub       *hub;
  OpenIotThingPage *thing_page;
} Scene;

static gboolean
services_listed (gpointer data)
{
  Scene *scene = data;

  return g_list_model_get_n_items (openiot_hub_get_services (scene->hub)) == 2;
}

static gboolean
thing_live (gpointer data)
{
  Scene *scene = data;
  GObject *temperature = openiot_thing_page_get_editor (scene->thing_page, "temperature");

  return openiot_thing_page_get_live (scene->thing_page) && temperature != NULL &&
         openiot_value_editor_get_value (OPENIOT_VALUE_EDITOR (temperature)) != NULL;
}

static gboolean
thing_stale (gpointer data)
{
  Scene *scene = data;

  return !openiot_thing_page_get_live (scene->thing_page);
}

static gboolean
certificate_changed (gpointer data)
{
  Scene *scene = data;

  return openiot_hub_get_status (scene->hub) == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED;
}

static gboolean
accepted (gpointer data)
{
  Scene *scene = data;

  return openiot_hub_get_status (scene->hub) != OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED;
}

static gboolean
no_hubs (gpointer data)
{
  return g_list_model_get_n_items (openiot_application_get_hubs (app)) == 0;
}

static double
read_target (OpenIotHub *hub)
{
  g_autoptr(JsonNode) value = openiot_test_app_read_property (hub, "thermostat",
                                                              "targetTemperature");

  return json_node_get_double (value);
}

static gboolean
target_is_22 (gpointer data)
{
  return read_target (data) == 22.0;
}

static void
test_flows (void)
{
  g_autoptr(OpenIotTestHub) test_hub = openiot_test_hub_start ();
  g_autoptr(JsonNode) rotated = NULL;
  OpenIotValueEditor *target;
  GtkWindow *dialog;
  Scene scene = { 0 };

  openiot_test_hub_start_service (test_hub, "thermostat");
  openiot_test_hub_start_service (test_hub, "lock");
  openiot_test_app_wait_loaded (app);

  scene.window = openiot_test_app_open_window (app, 1280, 800);
  scene.hub = current_hub = pair_through_wizard (scene.window, test_hub);
  scene.thing_page = OPENIOT_THING_PAGE (window_child (scene.window, "thing_page"));

  /* The hub page lists the services */
  openiot_window_show_hub (scene.window, scene.hub);
  openiot_test_app_wait_until (current_hub, services_listed, &scene, "the services");
  g_assert_cmpint (openiot_hub_get_status (scene.hub), ==, OPENIOT_HUB_STATUS_ONLINE);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "hub-page");

  /* The thermostat, live */
  openiot_window_show_service (scene.window, "thermostat", "Living-room thermostat");
  openiot_test_app_wait_until (current_hub, thing_live, &scene, "live thermostat values");
  g_assert_cmpstr (openiot_thing_page_get_state_text (scene.thing_page), ==, "Live");
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "thing-thermostat");

  /* A write through the spin button reaches the device */
  target =
    OPENIOT_VALUE_EDITOR (openiot_thing_page_get_editor (scene.thing_page, "targetTemperature"));
  g_assert_nonnull (target);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (openiot_value_editor_get_control (target)), 22);
  openiot_test_app_wait_until (current_hub, target_is_22, scene.hub, "the write to land");

  /* An action with input: its form, Run, and the output shown */
  {
    OpenIotActionRow *boost = openiot_thing_page_get_action (scene.thing_page, "boost");

    g_assert_nonnull (boost);
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (boost), TRUE);
    openiot_action_row_run (boost);
    openiot_test_app_wait_until (current_hub, openiot_test_app_action_answered, boost,
                                 "the boost action's output");
    g_assert_true (JSON_NODE_HOLDS_OBJECT (openiot_action_row_get_output (boost)));
    openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "thing-action");
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (boost), FALSE);
  }

  /* The hub rotates its certificate: everything blocks, a dialog decides */
  rotated = openiot_test_hub_admin (test_hub, "rotate-certificate", NULL);
  gtk_widget_activate_action (GTK_WIDGET (scene.window), "hub.refresh", NULL);
  openiot_hub_page_refresh (OPENIOT_HUB_PAGE (window_child (scene.window, "hub_page")));
  openiot_test_app_wait_until (current_hub, certificate_changed, &scene, "the certificate change");
  g_assert_true (openiot_hub_get_rotation_verified (scene.hub));
  openiot_test_ui_iterate (300);
  g_assert_false (openiot_thing_page_get_live (scene.thing_page));
  /* Blocked means no values shown either, only the decision to make */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_template_child (
                     GTK_WIDGET (scene.thing_page), OPENIOT_TYPE_THING_PAGE, "stack"))), ==,
                     "blocked");
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "thing-blocked");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.window), "win.review-certificate",
                                             NULL));
  openiot_test_ui_iterate (200);
  dialog = openiot_test_ui_find_toplevel (OPENIOT_TYPE_CERTIFICATE_DIALOG);
  g_assert_nonnull (dialog);
  openiot_test_ui_wait_for_frame (dialog);
  openiot_test_ui_screenshot (dialog, "certificate-dialog");
  /* The safe choice is the default: accepting is not even enabled yet */
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "keep");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "accept"));
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "keep");
  openiot_test_ui_iterate (300);
  g_assert_null (openiot_test_ui_find_toplevel (OPENIOT_TYPE_CERTIFICATE_DIALOG));
  g_assert_cmpint (openiot_hub_get_status (scene.hub), ==, OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.window), "win.review-certificate",
                                             NULL));
  openiot_test_ui_iterate (200);
  dialog = openiot_test_ui_find_toplevel (OPENIOT_TYPE_CERTIFICATE_DIALOG);
  gtk_check_button_set_active (
    GTK_CHECK_BUTTON (gtk_widget_get_template_child (
      GTK_WIDGET (dialog), OPENIOT_TYPE_CERTIFICATE_DIALOG, "confirm_check")),
    TRUE);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "accept"));
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "accept");
  openiot_test_app_wait_until (current_hub, accepted, &scene, "the new certificate to be pinned");
  openiot_test_app_wait_until (current_hub, thing_live, &scene, "live again after accepting");
  g_assert_cmpstr (openiot_hub_record_get_fingerprint (openiot_hub_get_record (scene.hub)), ==,
                   json_object_get_string_member (json_node_get_object (rotated), "certificate"));

  /* The hub goes away: last values stay, marked stale; it comes back: live */
  openiot_test_hub_stop (test_hub);
  openiot_test_app_wait_until (current_hub, thing_stale, &scene, "stale values");
  openiot_test_ui_iterate (500);
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "thing-offline");
  openiot_test_hub_restart (test_hub);
  openiot_test_app_wait_until (current_hub, thing_live, &scene,
                               "live again after the hub came back");

  /* Opened again: the last values are on screen at once, from the cache,
   * before any answer; then live */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.window), "win.go-back", NULL));
  openiot_window_show_service (scene.window, "thermostat", "Living-room thermostat");
  g_assert_false (openiot_thing_page_get_live (scene.thing_page));
  g_assert_nonnull (openiot_thing_page_get_editor (scene.thing_page, "temperature"));
  g_assert_nonnull (openiot_value_editor_get_value (
    OPENIOT_VALUE_EDITOR (openiot_thing_page_get_editor (scene.thing_page, "temperature"))));
  openiot_test_app_wait_until (current_hub, thing_live, &scene,
                               "live values after opening from the cache");

  /* Remove the hub: it forgets this device, and so does the app */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.window), "win.go-back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.window), "win.remove-hub", NULL));
  openiot_test_ui_iterate (200);
  dialog = openiot_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  openiot_test_ui_screenshot (dialog, "remove-hub-dialog");
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "remove");
  openiot_test_app_wait_until (current_hub, no_hubs, NULL, "the hub to be removed");
  {
    g_autoptr(JsonNode) clients = openiot_test_hub_admin (test_hub, "clients", NULL);
    JsonArray *list = json_node_get_array (clients);

    for (guint i = 0; i < json_array_get_length (list); i++)
      g_assert_true (json_object_get_boolean_member (json_array_get_object_element (list, i),
                                                     "revoked"));
  }
  openiot_test_ui_screenshots (GTK_WINDOW (scene.window), "after-remove");

  gtk_window_destroy (GTK_WINDOW (scene.window));
  current_hub = NULL;
  g_object_unref (scene.hub);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);

  g_test_add_func ("/app/flows", test_flows);

  return g_test_run ();
}
