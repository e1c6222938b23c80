// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Names (issue 15), against a real hub under Xvfb: the hub page renames
 * the hub (a nickname kept on this device, shown in the sidebar and the
 * title, kept in the pin store, reset to the hub's own name) and this
 * device on the hub (the admin's list shows it). Each Rename is active
 * only for a valid, changed name; a rename in flight shows a spinner and
 * can be cancelled; a failure says what to do. Screenshots rename-* at
 * phone and desktop sizes go to the build directory.
 */
#include "config.h"

#include <string.h>

#include "openiot-application.h"
#include "openiot-hub-page.h"
#include "openiot-test-app.h"
#include "openiot-test-hub.h"
#include "openiot-test-ui.h"
#include "openiot-window.h"

static OpenIotApplication *app;

typedef struct
{
  OpenIotWindow  *window;
  OpenIotHubPage *page;
  OpenIotHub     *hub;
} Scene;

static GtkWidget *
page_child (Scene      *scene,
            const char *name)
{
  return openiot_test_ui_template_child (scene->page, OPENIOT_TYPE_HUB_PAGE, name);
}

static gboolean
action_enabled (Scene      *scene,
                const char *action)
{
  /* The buttons carry the action: enabled action, sensitive button */
  gboolean enabled = FALSE;
  gboolean nickname = g_str_equal (action, "hub.rename-hub");
  GtkWidget *row = page_child (scene, nickname ? "nickname_row" : "device_name_row");
  GtkWidget *button = NULL;

  for (GtkWidget *w = gtk_widget_get_first_child (row); w != NULL && button == NULL; )
    {
      /* depth-first search for the button with this action */
      if (GTK_IS_ACTIONABLE (w) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
        button = w;
      else if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != row && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == row ? NULL : gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (button);
  enabled = gtk_widget_is_sensitive (button);
  return enabled;
}

static const char *
row_text (Scene      *scene,
          const char *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (page_child (scene, row)));
}

static void
type_into (Scene      *scene,
           const char *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child (scene, row)), text);
  openiot_test_ui_iterate (50);
}

static gboolean
device_name_known (gpointer data)
{
  Scene *scene = data;

  return gtk_widget_get_sensitive (page_child (scene, "device_name_row"));
}

static gboolean
nickname_is (gpointer data)
{
  Scene *scene = ((gpointer *) data)[0];
  const char *expected = ((gpointer *) data)[1];

  OpenIotHubRecord *record = openiot_hub_get_record (scene->hub);

  return g_strcmp0 (openiot_hub_record_get_nickname (record), expected) == 0;
}

static gboolean
rename_done (gpointer data)
{
  Scene *scene = data;

  GtkStack *stack = GTK_STACK (page_child (scene, "device_name_stack"));

  return g_str_equal (gtk_stack_get_visible_child_name (stack), "idle");
}

static const char *
message_text (Scene *scene)
{
  GtkWidget *label = page_child (scene, "device_name_message");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static gboolean
admin_lists (OpenIotTestHub *test_hub,
             const char     *name)
{
  g_autoptr(JsonNode) clients = openiot_test_hub_admin (test_hub, "clients", NULL);
  JsonArray *array = json_node_get_array (clients);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *client = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (client, "name"), name) == 0)
        return TRUE;
    }
  return FALSE;
}

static const char *
sidebar_title (Scene *scene)
{
  GtkWidget *list = openiot_test_ui_template_child (scene->window, OPENIOT_TYPE_WINDOW,
                                                    "hubs_list");
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
}

static const char *
page_title (Scene *scene)
{
  return adw_window_title_get_title (ADW_WINDOW_TITLE (page_child (scene, "window_title")));
}

/* The hub page scrolled so that the names are in view */
static void
screenshots (Scene      *scene,
             const char *name,
             const char *row)
{
  const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%dx%d", name, sizes[i][0], sizes[i][1]);

      gtk_window_set_default_size (GTK_WINDOW (scene->window), sizes[i][0], sizes[i][1]);
      openiot_test_ui_iterate (300);
      if (sizes[i][0] < 500)
        openiot_window_show_hub (scene->window, scene->hub);  /* a narrow leaflet shows the page */
      openiot_test_ui_iterate (300);
      openiot_test_ui_scroll_to (page_child (scene, row), 120);
      openiot_test_ui_iterate (300);
      openiot_test_ui_wait_for_frame (GTK_WINDOW (scene->window));
      openiot_test_ui_screenshot (GTK_WINDOW (scene->window), file);
    }
}

/* Whether a label under @root shows @text as it is (not parsed as markup) */
static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
toast_shown (gpointer data)
{
  Scene *scene = data;

  return shows_label (GTK_WIDGET (scene->window), "The hub is now called “Anna & Tom <b>” here");
}

static void
stored_nickname_is (const char *expected)
{
  OpenIotPinStore *store = openiot_application_get_pin_store (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  openiot_pin_store_list_async (store, NULL, openiot_test_ui_store_result, &result);
  openiot_test_ui_wait_until (openiot_test_ui_result_ready, &result, "the stored hubs");
  records = openiot_pin_store_list_finish (store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (openiot_hub_record_get_nickname (records->pdata[0]), ==, expected);
}

static void
test_names (void)
{
  g_autoptr(OpenIotTestHub) test_hub = openiot_test_hub_start ();
  g_autofree char *too_long = g_strnfill (65, 'x');
  gpointer cellar[] = { NULL, "Cellar" };
  gpointer none[] = { NULL, NULL };
  gpointer markup[] = { NULL, "Anna & Tom <b>" };
  AdwPreferencesGroup *group;
  Scene scene = { 0 };

  openiot_test_hub_start_service (test_hub, "thermostat");
  openiot_test_app_wait_loaded (app);
  scene.window = openiot_test_app_open_window (app, 1280, 800);
  scene.hub = openiot_test_app_pair (app, test_hub);
  scene.page = OPENIOT_HUB_PAGE (openiot_test_ui_template_child (scene.window, OPENIOT_TYPE_WINDOW,
                                                                  "hub_page"));
  cellar[0] = none[0] = markup[0] = &scene;
  openiot_test_app_wait_until (scene.hub, openiot_test_app_hub_online, scene.hub, "the hub online");
  openiot_window_show_hub (scene.window, scene.hub);
  openiot_test_app_wait_until (scene.hub, device_name_known, &scene,
                               "this device's name on the hub");

  /* Both rows start with the names as they are: nothing to rename yet */
  g_assert_cmpstr (row_text (&scene, "nickname_row"), ==, "Test Hub");
  g_assert_cmpstr (row_text (&scene, "device_name_row"), ==, "UI test");
  g_assert_false (action_enabled (&scene, "hub.rename-hub"));
  g_assert_false (action_enabled (&scene, "hub.rename-device"));
  g_assert_false (gtk_widget_get_visible (page_child (&scene, "nickname_reset_button")));

  /* The hub's nickname: refused names never enable Rename, and say why */
  type_into (&scene, "nickname_row", "");
  g_assert_false (action_enabled (&scene, "hub.rename-hub"));
  g_assert_true (gtk_widget_get_visible (page_child (&scene, "nickname_error")));
  type_into (&scene, "nickname_row", too_long);
  g_assert_false (action_enabled (&scene, "hub.rename-hub"));
  g_assert_true (gtk_widget_has_css_class (page_child (&scene, "nickname_row"), "error"));
  screenshots (&scene, "rename-nickname-refused", "nickname_row");
  type_into (&scene, "nickname_row", "Cellar");
  g_assert_true (action_enabled (&scene, "hub.rename-hub"));
  g_assert_false (gtk_widget_get_visible (page_child (&scene, "nickname_error")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.page), "hub.rename-hub", NULL));
  openiot_test_ui_wait_until (nickname_is, cellar, "the nickname saved");
  openiot_test_ui_iterate (100);
  g_assert_cmpstr (page_title (&scene), ==, "Cellar");
  g_assert_cmpstr (sidebar_title (&scene), ==, "Cellar");
  g_assert_true (gtk_widget_get_visible (page_child (&scene, "nickname_reset_button")));
  group = ADW_PREFERENCES_GROUP (page_child (&scene, "nickname_group"));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (group), "“Test Hub”"));
  stored_nickname_is ("Cellar");
  screenshots (&scene, "rename-nickname", "nickname_row");

  /* A name is text, not markup: the title, the sidebar and the toast show
   * it as typed (a markup parse would warn, and fail this test) */
  type_into (&scene, "nickname_row", "Anna & Tom <b>");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.page), "hub.rename-hub", NULL));
  openiot_test_ui_wait_until (nickname_is, markup, "the nickname with markup saved");
  openiot_test_ui_iterate (100);
  g_assert_cmpstr (page_title (&scene), ==, "Anna & Tom <b>");
  g_assert_cmpstr (sidebar_title (&scene), ==, "Anna & Tom <b>");
  g_assert_true (shows_label (GTK_WIDGET (scene.window), "Anna & Tom <b>"));
  /* after the toast before it, which has the overlay until it times out */
  openiot_test_ui_wait_until (toast_shown, &scene, "the toast with the name");
  g_assert_false (shows_label (GTK_WIDGET (scene.window), "Anna & Tom "));

  /* This device's name on the hub: refused here first */
  type_into (&scene, "device_name_row", "tab\there");
  g_assert_false (action_enabled (&scene, "hub.rename-device"));
  g_assert_nonnull (message_text (&scene));
  screenshots (&scene, "rename-device-refused", "device_name_row");
  type_into (&scene, "device_name_row", "Anna’s desktop");
  g_assert_true (action_enabled (&scene, "hub.rename-device"));
  g_assert_null (message_text (&scene));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.page), "hub.rename-device", NULL));
  g_assert_false (rename_done (&scene));  /* the spinner and Cancel show */
  g_assert_false (action_enabled (&scene, "hub.rename-device"));
  openiot_test_app_wait_until (scene.hub, rename_done, &scene, "the hub to rename this device");
  g_assert_cmpstr (message_text (&scene), ==, "The hub now lists this device as “Anna’s desktop”.");
  g_assert_false (gtk_widget_has_css_class (page_child (&scene, "device_name_message"), "error"));
  g_assert_true (admin_lists (test_hub, "Anna’s desktop"));
  g_assert_false (admin_lists (test_hub, "UI test"));
  g_assert_false (action_enabled (&scene, "hub.rename-device"));
  screenshots (&scene, "rename-device", "device_name_row");

  /* Cancelled while in flight: the page says so and shows what the hub has */
  type_into (&scene, "device_name_row", "Never sent");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.page), "hub.rename-device", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.page), "hub.cancel-rename-device",
                                             NULL));
  openiot_test_app_wait_until (scene.hub, rename_done, &scene, "the rename cancelled");
  g_assert_nonnull (strstr (message_text (&scene), "cancelled"));
  g_assert_false (admin_lists (test_hub, "Never sent"));

  /* The hub away: the reason in words, the button ready to try again */
  openiot_test_hub_stop (test_hub);
  type_into (&scene, "device_name_row", "Try later");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.page), "hub.rename-device", NULL));
  openiot_test_app_wait_until (scene.hub, rename_done, &scene, "the rename to fail");
  g_assert_true (gtk_widget_has_css_class (page_child (&scene, "device_name_message"), "error"));
  g_test_message ("offline rename: %s", message_text (&scene));
  g_assert_true (action_enabled (&scene, "hub.rename-device"));
  screenshots (&scene, "rename-device-offline", "device_name_row");

  /* Back to the hub's own name, everywhere and in the store */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scene.page), "hub.reset-nickname", NULL));
  openiot_test_ui_wait_until (nickname_is, none, "the nickname reset");
  openiot_test_ui_iterate (100);
  g_assert_cmpstr (page_title (&scene), ==, "Test Hub");
  g_assert_cmpstr (sidebar_title (&scene), ==, "Test Hub");
  g_assert_false (gtk_widget_get_visible (page_child (&scene, "nickname_reset_button")));
  stored_nickname_is (NULL);

  gtk_window_destroy (GTK_WINDOW (scene.window));
  g_object_unref (scene.hub);
}

int
main (int   argc,
      char *argv[])
{
  app = openiot_test_app_init (&argc, &argv);

  g_test_add_func ("/app/names", test_names);

  return g_test_run ();
}
