// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The app's side of a UI test: the one application of the test process,
 * waits that say what the app or its hub was doing when they time out,
 * and, for tests about what comes after pairing, a real pairing through
 * the library with the app's own identity, the pin saved in the app's
 * store, the hub added to its list.
 */
#include "config.h"

#include "openiot-action-row.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-value-editor.h"

#include "openiot-test-app.h"

/**
 * openiot_test_app_new:
 *
 * libadwaita without animations (screenshots show where things end up),
 * and the app, registered: one per process, a GApplication registers on
 * the bus once. For a test that initialises GTK itself (gtk_init(), to
 * keep the locale it was given); others call openiot_test_app_init().
 *
 * Returns: (transfer full): the app
 */
OpenIotApplication *
openiot_test_app_new (void)
{
  g_autoptr(GError) error = NULL;
  OpenIotApplication *app;

  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = openiot_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

/**
 * openiot_test_app_init:
 *
 * GTK and libadwaita for a UI test, without animations (screenshots show
 * where things end up), and the app, registered.
 *
 * Returns: (transfer full): the app
 */
OpenIotApplication *
openiot_test_app_init (int    *argc,
                       char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  return openiot_test_app_new ();
}

static gboolean
app_loaded (gpointer app)
{
  return !openiot_application_get_loading (app);
}

/* Until the app has read its hubs from the store */
void
openiot_test_app_wait_loaded (OpenIotApplication *app)
{
  openiot_test_ui_wait_until (app_loaded, app, "the app to load");
}

/**
 * openiot_test_app_open_window:
 * @width: 1280 × 800 for a desktop, 360 × 720 for a phone: the sizes the
 *   screenshots are taken at
 *
 * A new main window of @app, on screen (it may not have been drawn yet).
 *
 * Returns: (transfer none): the window, which the test destroys
 */
OpenIotWindow *
openiot_test_app_open_window (OpenIotApplication *app,
                              int                 width,
                              int                 height)
{
  OpenIotWindow *window = openiot_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* openiot_test_ui_wait_until() for a test with a paired @hub (or NULL):
 * a timeout says what the hub's last error was. */
void
openiot_test_app_wait_until (OpenIotHub           *hub,
                             OpenIotTestCondition  condition,
                             gpointer              data,
                             const char           *what)
{
  if (!openiot_test_ui_wait (condition, data, 40))
    g_error ("timed out waiting for %s (hub: %s)", what, hub && openiot_hub_get_error (hub)
             ? openiot_hub_get_error (hub)->message : "no error");
}

/* The result of an async call that stores it in @result; a timeout says
 * what @hub's (or NULL's) last error was. */
static gpointer
wait_for_result (OpenIotHub    *hub,
                 GAsyncResult **result,
                 const char    *what)
{
  openiot_test_app_wait_until (hub, openiot_test_ui_result_ready, result, what);
  return *result;
}

/**
 * openiot_test_app_pair:
 *
 * Returns: (transfer full): the app's new hub
 */
OpenIotHub *
openiot_test_app_pair (OpenIotApplication *app,
                       OpenIotTestHub     *test_hub)
{
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (test_hub);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(OpenIotPairingResult) paired = NULL;
  g_autoptr(OpenIotHubRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  OpenIotPinStore *store = openiot_application_get_pin_store (app);

  openiot_application_load_identity_async (app, "UI test", NULL, openiot_test_ui_store_result,
                                           &result);
  identity = openiot_application_load_identity_finish (app,
                                                       wait_for_result (NULL, &result,
                                                                        "the identity"),
                                                       &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  openiot_pair_async (link, "UI test", openiot_identity_get_certificate_pem (identity), NULL,
                      openiot_test_ui_store_result, &result);
  paired = openiot_pair_finish (wait_for_result (NULL, &result, "pairing"), &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  record = openiot_hub_record_new_from_pairing (paired);
  openiot_pin_store_save_async (store, record, NULL, openiot_test_ui_store_result, &result);
  g_assert_true (openiot_pin_store_save_finish (store, wait_for_result (NULL, &result, "the pin"),
                                                &error));
  g_assert_no_error (error);

  return g_object_ref (openiot_application_add_hub (app, record, identity));
}

/* @service_id's Thing, fetched through the library as another client
 * would (not through the window): what the hub says, not what a page
 * shows. A timeout says what the hub's last error was. */
static OpenIotConsumedThing *
fetch_thing (OpenIotHub *hub,
             const char *service_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  OpenIotConsumedThing *thing;

  openiot_consumed_thing_fetch_async (openiot_hub_get_connection (hub), service_id, NULL,
                                      openiot_test_ui_store_result, &result);
  thing = openiot_consumed_thing_fetch_finish (wait_for_result (hub, &result, "the TD"), &error);
  g_assert_no_error (error);
  return thing;
}

/* Invokes @action of @service_id through the library, as another client
 * would (not through the window), and waits for its answer. */
void
openiot_test_app_invoke (OpenIotHub *hub,
                         const char *service_id,
                         const char *action)
{
  g_autoptr(OpenIotConsumedThing) thing = fetch_thing (hub, service_id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(GError) error = NULL;

  openiot_consumed_thing_invoke_action_async (thing, action, NULL, NULL,
                                              openiot_test_ui_store_result, &result);
  output = openiot_consumed_thing_invoke_action_finish (thing,
                                                        wait_for_result (hub, &result, action),
                                                        &error);
  g_assert_no_error (error);
}

/**
 * openiot_test_app_read_property:
 *
 * Reads @name of @service_id through the library, as another client would
 * (the CLI's `openiot get`): what the hub says, not what a page shows.
 *
 * Returns: (transfer full): the value
 */
JsonNode *
openiot_test_app_read_property (OpenIotHub *hub,
                                const char *service_id,
                                const char *name)
{
  g_autoptr(OpenIotConsumedThing) thing = fetch_thing (hub, service_id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *value;

  openiot_consumed_thing_read_property_async (thing, name, NULL, openiot_test_ui_store_result,
                                              &result);
  value = openiot_consumed_thing_read_property_finish (thing,
                                                       wait_for_result (hub, &result, name),
                                                       &error);
  g_assert_no_error (error);
  return value;
}

/* Conditions for openiot_test_ui_wait_until() and
 * openiot_test_app_wait_until() that more than one test waits for */

/* For openiot_test_app_wait_until(): @hub is online */
gboolean
openiot_test_app_hub_online (gpointer hub)
{
  return openiot_hub_get_status (hub) == OPENIOT_HUB_STATUS_ONLINE;
}

/* For openiot_test_app_wait_until(): @action_row shows the answer of the
 * action it sent */
gboolean
openiot_test_app_action_answered (gpointer action_row)
{
  return openiot_action_row_get_output (action_row) != NULL;
}

/* The demo lock's state as its Thing page shows it, or NULL before the
 * page has a value */
const char *
openiot_test_app_lock_state (OpenIotThingPage *page)
{
  GObject *editor = openiot_thing_page_get_editor (page, "state");
  JsonNode *value = editor ? openiot_value_editor_get_value (OPENIOT_VALUE_EDITOR (editor)) : NULL;

  return value && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_string (value) : NULL;
}

/* For openiot_test_app_wait_until(): the lock's @thing_page is live and
 * shows it locked (as the demo lock starts) */
gboolean
openiot_test_app_lock_locked (gpointer thing_page)
{
  return openiot_thing_page_get_live (thing_page) &&
         g_strcmp0 (openiot_test_app_lock_state (thing_page), "locked") == 0;
}

/* For openiot_test_app_wait_until(): the lock's @thing_page shows it
 * unlocked */
gboolean
openiot_test_app_lock_unlocked (gpointer thing_page)
{
  return g_strcmp0 (openiot_test_app_lock_state (thing_page), "unlocked") == 0;
}
