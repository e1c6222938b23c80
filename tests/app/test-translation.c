// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The app in another language, as a person with LANGUAGE=de (or fr) would
 * see it on a phone: the empty window, the pairing wizard, and a paired
 * hub with a live thermostat, all at 360 px. Every label on screen must
 * show all of its text (German is long), and screenshots of each state go
 * to the build directory as translated-LANG-….png. Then issue 15's pages
 * in this language, at 360 px (checked the same way) and 1280 px:
 * overview-LANG-…, thing-lock-, confirm-unlock-, action-result-,
 * activity-hub-, activity-lock-, rename-…-LANG- and history-LANG-….png.
 *
 * meson runs this once per language with LANGUAGE=LANG, LC_ALL=C.UTF-8 and
 * OPENIOT_LOCALE_DIR=<build>/po, where the build compiles the .mo files.
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "openiot-action-row.h"
#include "openiot-application.h"
#include "openiot-event-row.h"
#include "openiot-history-graph.h"
#include "openiot-hub-page.h"
#include "openiot-pairing-window.h"
#include "openiot-service-row.h"
#include "openiot-test-app.h"
#include "openiot-test-hub.h"
#include "openiot-test-ui.h"
#include "openiot-thing-page.h"
#include "openiot-value-editor.h"
#include "openiot-window.h"

/* What each language must show: a few strings a person sees first,
 * written out here so the test proves the catalogue is really used. */
typedef struct
{
  const char *language;
  const char *no_hubs;         /* the empty window's title */
  const char *pair_hub;        /* the wizard's title */
  const char *reach_your_hub;  /* the wizard's first page */
  const char *reached_through; /* a row of the hub page */
  const char *live;            /* the thermostat's subtitle */
} Expected;

static const Expected expectations[] = {
  { "de", "Noch keine Hubs", "Hub koppeln", "Ihren Hub erreichen", "Erreicht über", "Live" },
  { "fr", "Aucun hub pour l’instant", "Associer un hub", "Accéder à votre hub", "Accessible via",
    "En direct" },
};

/* The demo thermostat's and lock's titles, from their Thing Descriptions */
#define THERMOSTAT "Living-room thermostat"
#define LOCK "Front door lock"

/* What the devices call themselves, not ours to translate (see
 * collect_cut_labels) */
static const char * const thermostat_texts[] = { THERMOSTAT, NULL };
static const char * const lock_texts[] = { LOCK, NULL };

static const Expected *expected;
static OpenIotApplication *app;
static OpenIotHub *current_hub;

/* Every label a person can see shows all of its text: none is ellipsized
 * or wider than its space. Collects them all so one run names each one.
 * @device_texts are what devices call themselves: not ours to translate,
 * and a long one is cut in every language. */
static void
collect_cut_labels (GtkWidget          *widget,
                    const char * const *device_texts,
                    GString            *cut)
{
  const char *text;

  if (!gtk_widget_is_drawable (widget))
    return;

  text = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : NULL;
  if (text != NULL && *text != '\0' &&
      (device_texts == NULL || !g_strv_contains (device_texts, text)) &&
      !openiot_test_ui_label_fits (GTK_LABEL (widget)))
    g_string_append_printf (cut, "\n  “%s” (%d px wide)", gtk_label_get_text (GTK_LABEL (widget)),
                            gtk_widget_get_width (widget));

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_cut_labels (child, device_texts, cut);
}

/* At 360 × 720: nothing forces the window wider, no text is cut off,
 * then a screenshot @file.png, with @scroll_target (if any) near the top.
 * @name says which state, in the message of a failure. */
static void
check_phone_as (GtkWindow          *window,
                const char         *name,
                const char         *file,
                const char * const *device_texts,
                GtkWidget          *scroll_target)
{
  g_autoptr(GString) cut = g_string_new (NULL);
  int minimum;

  gtk_window_set_default_size (window, 360, 720);
  openiot_test_ui_iterate (300);
  if (scroll_target != NULL)
    {
      openiot_test_ui_scroll_to (scroll_target, 60);
      openiot_test_ui_iterate (100);
    }
  openiot_test_ui_wait_for_frame (window);

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);

  collect_cut_labels (GTK_WIDGET (window), device_texts, cut);
  openiot_test_ui_screenshot (window, file);
  if (cut->len > 0)
    g_error ("%s (%s): text cut off at 360 px:%s", name, expected->language, cut->str);
}

/* The same, as translated-LANG-@name-360x720.png */
static void
check_phone (GtkWindow          *window,
             const char         *name,
             const char * const *device_texts)
{
  g_autofree char *file = g_strdup_printf ("translated-%s-%s-360x720", expected->language, name);

  check_phone_as (window, name, file, device_texts, NULL);
}

/* check_phone_as() at 360 × 720, then a screenshot at 1280 × 800, as
 * @name-LANG-360x720.png and @name-LANG-1280x800.png. The window is left
 * at desktop size: on a phone the window shows one page of its leaflet,
 * so the caller shows the page again before the next. */
static void
screenshots (GtkWindow          *window,
             const char         *name,
             const char * const *device_texts,
             GtkWidget          *scroll_target)
{
  g_autofree char *phone = g_strdup_printf ("%s-%s-360x720", name, expected->language);
  g_autofree char *desktop = g_strdup_printf ("%s-%s-1280x800", name, expected->language);

  check_phone_as (window, name, phone, device_texts, scroll_target);

  gtk_window_set_default_size (window, 1280, 800);
  openiot_test_ui_iterate (300);
  if (scroll_target != NULL)
    {
      openiot_test_ui_scroll_to (scroll_target, 60);
      openiot_test_ui_iterate (100);
    }
  openiot_test_ui_wait_for_frame (window);
  openiot_test_ui_screenshot (window, desktop);
}

static void
test_empty_window (void)
{
  OpenIotWindow *window;

  openiot_test_app_wait_loaded (app);
  g_assert_null (openiot_application_get_error (app));

  window = openiot_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  check_phone (GTK_WINDOW (window), "window-empty", NULL);

  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (
                     openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "empty_page"))),
                   ==, expected->no_hubs);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_pairing_window (void)
{
  OpenIotPairingWindow *wizard;

  openiot_test_app_wait_loaded (app);

  wizard = openiot_pairing_window_new (NULL, app, NULL);
  gtk_window_present (GTK_WINDOW (wizard));
  check_phone (GTK_WINDOW (wizard), "pairing-reach", NULL);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (wizard)), ==, expected->pair_hub);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (
                     openiot_test_ui_template_child (wizard, OPENIOT_TYPE_PAIRING_WINDOW,
                                                     "stack"))),
                   ==, "reach");

  /* A bad address: the longest sentences of the first page */
  gtk_editable_set_text (GTK_EDITABLE (openiot_test_ui_template_child (
                           wizard, OPENIOT_TYPE_PAIRING_WINDOW, "address_row")),
                         "not an address");
  g_signal_emit_by_name (openiot_test_ui_template_child (wizard, OPENIOT_TYPE_PAIRING_WINDOW,
                                                         "continue_button"),
                         "clicked");
  check_phone (GTK_WINDOW (wizard), "pairing-bad-address", NULL);

  gtk_window_destroy (GTK_WINDOW (wizard));
}

static gboolean
label_shows (gpointer data)
{
  return gtk_widget_is_drawable (data);
}

/* The wizard opened from a whole pairing link, on its one question. */
static void
test_pairing_code (void)
{
  g_autoptr(OpenIotTestHub) test_hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (test_hub);
  g_autofree char *uri = openiot_pairing_link_to_string (link);
  OpenIotPairingWindow *wizard;

  openiot_test_app_wait_loaded (app);
  wizard = openiot_pairing_window_new (NULL, app, uri);
  gtk_window_present (GTK_WINDOW (wizard));
  openiot_test_app_wait_until (
    current_hub, label_shows,
    openiot_test_ui_template_child (wizard, OPENIOT_TYPE_PAIRING_WINDOW, "confirm_title_label"),
    "the confirm page");
  check_phone (GTK_WINDOW (wizard), "pairing-confirm", NULL);

  gtk_window_destroy (GTK_WINDOW (wizard));
}

static gboolean
services_listed (gpointer data)
{
  return g_list_model_get_n_items (openiot_hub_get_services (data)) == 2;
}

static gboolean
thing_live (gpointer data)
{
  OpenIotThingPage *page = data;
  GObject *temperature = openiot_thing_page_get_editor (page, "temperature");

  return openiot_thing_page_get_live (page) && temperature != NULL &&
         openiot_value_editor_get_value (OPENIOT_VALUE_EDITOR (temperature)) != NULL;
}

static gboolean
thing_stale (gpointer data)
{
  return !openiot_thing_page_get_live (data);
}

/* Issue 15's pages in this language */

/* Every tile of the overview shows its value, live */
static gboolean
overview_live (gpointer data)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (data); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (OPENIOT_IS_SERVICE_ROW (child))
      {
        OpenIotServiceRow *row = OPENIOT_SERVICE_ROW (child);

        if (openiot_service_row_get_value_text (row)[0] == '\0' ||
            g_strcmp0 (openiot_service_row_get_subtitle (row), expected->live) != 0)
          return FALSE;
        n++;
      }
  return n == 2;
}

static gboolean
has_child (gpointer data)
{
  return gtk_widget_get_first_child (data) != NULL;
}

static gboolean
event_row_has_entry (gpointer data)
{
  return data != NULL && openiot_event_row_get_count (data) > 0;
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static gboolean
device_rename_done (gpointer data)
{
  return g_str_equal (gtk_stack_get_visible_child_name (data), "idle");
}

static gboolean
enough_samples (gpointer data)
{
  OpenIotHistoryGraph *graph = openiot_thing_page_get_history_graph (data, "temperature");

  /* One sample per 10 s */
  return graph != NULL && openiot_history_graph_get_n_samples (graph) >= 3;
}

static gboolean
has_unlock (gpointer data)
{
  return openiot_thing_page_get_action (data, "unlock") != NULL;
}

/* Unlock pressed on the lock's page: the question, drawn. The page builds
 * its actions a frame after its values. */
static GtkWindow *
press_unlock (OpenIotThingPage *page)
{
  OpenIotActionRow *unlock;

  openiot_test_ui_wait_until (has_unlock, page, "the lock's actions");
  unlock = openiot_thing_page_get_action (page, "unlock");
  return openiot_test_ui_click_for_dialog (openiot_action_row_get_button (unlock));
}

/* The overview, the lock (its page, the question before Unlock, the
 * result), the activity the unlock left, the names and the thermostat's
 * history, each at 360 px (all text shown) and 1280 px */
static void
issue_15_pages (OpenIotWindow *window,
                OpenIotHub    *hub)
{
  OpenIotHubPage *hub_page =
    OPENIOT_HUB_PAGE (openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "hub_page"));
  OpenIotThingPage *thing_page =
    OPENIOT_THING_PAGE (openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "thing_page"));
  GtkWidget *grid = openiot_test_ui_template_child (hub_page, OPENIOT_TYPE_HUB_PAGE,
                                                    "services_grid");
  GtkWidget *activity = openiot_test_ui_template_child (hub_page, OPENIOT_TYPE_HUB_PAGE,
                                                        "activity_list");
  GtkWidget *nickname = openiot_test_ui_template_child (hub_page, OPENIOT_TYPE_HUB_PAGE,
                                                        "nickname_row");
  GtkWidget *device_name = openiot_test_ui_template_child (hub_page, OPENIOT_TYPE_HUB_PAGE,
                                                           "device_name_row");
  g_autofree char *too_long = g_strnfill (65, 'x');
  g_autofree char *hub_name = NULL;
  OpenIotActionRow *unlock;
  GtkWindow *dialog;

  /* The hub back after test_hub_and_thing stopped it: its Things are
   * live again at once, but the hub's own status waits for its next try
   * (up to 30 s). Refreshed, as a person would with the button. */
  openiot_window_show_hub (window, hub);
  openiot_hub_page_refresh (hub_page);
  openiot_test_app_wait_until (hub, openiot_test_app_hub_online, hub, "the hub online again");
  openiot_test_app_wait_until (hub, overview_live, grid, "the overview, live");
  screenshots (GTK_WINDOW (window), "overview", lock_texts, NULL);

  openiot_window_show_service (window, "lock", LOCK);
  openiot_test_app_wait_until (hub, openiot_test_app_lock_locked, thing_page,
                               "the locked lock, live");
  screenshots (GTK_WINDOW (window), "thing-lock", lock_texts, NULL);

  /* Cancelled, at each size */
  for (guint i = 0; i < 2; i++)
    {
      const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };
      g_autofree char *file = g_strdup_printf ("confirm-unlock-%s-%dx%d", expected->language,
                                               sizes[i][0], sizes[i][1]);
      g_autoptr(GString) cut = g_string_new (NULL);

      gtk_window_set_default_size (GTK_WINDOW (window), sizes[i][0], sizes[i][1]);
      openiot_test_ui_iterate (300);
      if (i == 0)
        openiot_window_show_service (window, "lock", LOCK);
      dialog = press_unlock (thing_page);
      if (i == 0)
        collect_cut_labels (GTK_WIDGET (dialog), NULL, cut);
      openiot_test_ui_screenshot (dialog, file);
      if (cut->len > 0)
        g_error ("confirm-unlock (%s): text cut off at 360 px:%s", expected->language, cut->str);
      openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "cancel");
      openiot_test_ui_iterate (500);
    }

  /* Confirmed: the result in the row */
  unlock = openiot_thing_page_get_action (thing_page, "unlock");
  dialog = press_unlock (thing_page);
  openiot_test_ui_respond (ADW_MESSAGE_DIALOG (dialog), "run");
  openiot_test_app_wait_until (hub, openiot_test_app_action_answered, unlock, "the unlock result");
  openiot_test_app_wait_until (hub, openiot_test_app_lock_unlocked, thing_page, "the lock to open");
  openiot_test_ui_iterate (300);
  screenshots (GTK_WINDOW (window), "action-result", lock_texts, GTK_WIDGET (unlock));

  /* What the unlock left in the activity log: the lock's state changed */
  openiot_test_app_wait_until (hub, event_row_has_entry,
                               openiot_thing_page_get_event (thing_page, "stateChanged"),
                               "the state change in the lock's events");
  openiot_window_show_service (window, "lock", LOCK);
  screenshots (GTK_WINDOW (window), "activity-lock", lock_texts,
               GTK_WIDGET (openiot_thing_page_get_event (thing_page, "stateChanged")));
  openiot_window_show_hub (window, hub);
  openiot_test_app_wait_until (hub, has_child, activity, "the hub page's recent activity");
  screenshots (GTK_WINDOW (window), "activity-hub", lock_texts, activity);

  /* The names: a nickname refused (the longest sentence), then this
   * device renamed on the hub */
  hub_name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (nickname)));
  gtk_editable_set_text (GTK_EDITABLE (nickname), too_long);
  openiot_test_ui_iterate (50);
  openiot_window_show_hub (window, hub);
  screenshots (GTK_WINDOW (window), "rename-nickname-refused", NULL,
               gtk_widget_get_ancestor (nickname, ADW_TYPE_PREFERENCES_GROUP));
  gtk_editable_set_text (GTK_EDITABLE (nickname), hub_name);
  openiot_test_app_wait_until (hub, widget_sensitive, device_name, "this device's name on the hub");
  gtk_editable_set_text (GTK_EDITABLE (device_name), "Annas Rechner");
  openiot_test_ui_iterate (50);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (hub_page), "hub.rename-device", NULL));
  openiot_test_app_wait_until (
    hub, device_rename_done,
    openiot_test_ui_template_child (hub_page, OPENIOT_TYPE_HUB_PAGE, "device_name_stack"),
    "the hub to rename this device");
  openiot_window_show_hub (window, hub);
  screenshots (GTK_WINDOW (window), "rename-device", NULL,
               gtk_widget_get_ancestor (device_name, ADW_TYPE_PREFERENCES_GROUP));

  /* The thermostat's history, scrolled to the temperature's graph */
  openiot_window_show_service (window, "thermostat", THERMOSTAT);
  openiot_test_app_wait_until (hub, thing_live, thing_page, "the thermostat, live");
  openiot_test_ui_wait_within (enough_samples, thing_page, 40, "three samples of the temperature");
  openiot_window_show_service (window, "thermostat", THERMOSTAT);
  screenshots (GTK_WINDOW (window), "history", thermostat_texts,
               GTK_WIDGET (openiot_thing_page_get_history_graph (thing_page, "temperature")));
}

static void
test_hub_and_thing (void)
{
  g_autoptr(OpenIotTestHub) test_hub = openiot_test_hub_start ();
  OpenIotWindow *window;
  OpenIotHubPage *hub_page;
  OpenIotThingPage *thing_page;
  g_autoptr(OpenIotHub) hub = NULL;

  openiot_test_hub_start_service (test_hub, "thermostat");
  openiot_test_hub_start_service (test_hub, "lock");
  openiot_test_app_wait_loaded (app);

  window = openiot_test_app_open_window (app, 360, 720);
  hub = current_hub = openiot_test_app_pair (app, test_hub);
  hub_page =
    OPENIOT_HUB_PAGE (openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "hub_page"));
  thing_page =
    OPENIOT_THING_PAGE (openiot_test_ui_template_child (window, OPENIOT_TYPE_WINDOW, "thing_page"));

  openiot_window_show_hub (window, hub);
  openiot_test_app_wait_until (current_hub, services_listed, hub, "the services");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                     openiot_test_ui_template_child (hub_page, OPENIOT_TYPE_HUB_PAGE,
                                                     "route_row"))),
                   ==, expected->reached_through);
  check_phone (GTK_WINDOW (window), "hub-page", NULL);

  openiot_window_show_service (window, "thermostat", THERMOSTAT);
  openiot_test_app_wait_until (current_hub, thing_live, thing_page, "live thermostat values");
  g_assert_cmpstr (openiot_thing_page_get_state_text (thing_page), ==, expected->live);
  check_phone (GTK_WINDOW (window), "thing-thermostat", thermostat_texts);

  /* The hub goes away: the last values stay, with how old they are and a
   * banner that says why */
  openiot_test_hub_stop (test_hub);
  openiot_test_app_wait_until (current_hub, thing_stale, thing_page, "stale values");
  openiot_test_ui_iterate (500);
  check_phone (GTK_WINDOW (window), "thing-offline", thermostat_texts);
  openiot_test_hub_restart (test_hub);
  openiot_test_app_wait_until (current_hub, thing_live, thing_page,
                               "live again after the hub came back");

  issue_15_pages (window, hub);

  /* The question before removing a hub, a dialog of long sentences */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-hub", NULL));
  openiot_test_ui_iterate (200);
  {
    GtkWindow *dialog = openiot_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    g_autofree char *file = g_strdup_printf ("translated-%s-remove-hub-dialog", expected->language);

    g_assert_nonnull (dialog);
    openiot_test_ui_wait_for_frame (dialog);
    openiot_test_ui_screenshot (dialog, file);
    gtk_window_destroy (dialog);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  const char *language = g_getenv ("LANGUAGE");
  const char *messages_locale;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  /* As the app's main() does, from the environment meson gives. Not
   * gtk_test_init(): it forces en_US.UTF-8, absent on a fresh Debian. */
  gtk_disable_setlocale ();
  g_assert_nonnull (setlocale (LC_ALL, ""));
  /* glibc ignores LANGUAGE when LC_MESSAGES is C or POSIX; C.UTF-8 is
   * fine, and is there on every Debian 12 without the locales package */
  messages_locale = setlocale (LC_MESSAGES, NULL);
  g_assert_cmpstr (messages_locale, !=, "C");
  g_assert_cmpstr (messages_locale, !=, "POSIX");
  g_assert_nonnull (g_getenv ("OPENIOT_LOCALE_DIR"));
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("OPENIOT_LOCALE_DIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (guint i = 0; i < G_N_ELEMENTS (expectations); i++)
    if (g_strcmp0 (language, expectations[i].language) == 0)
      expected = &expectations[i];
  if (expected == NULL)
    g_error ("LANGUAGE=%s: no expected strings for it in %s", language ? language : "(unset)",
             __FILE__);

  gtk_init ();
  app = openiot_test_app_new ();

  g_test_add_func ("/app/translation/empty-window", test_empty_window);
  g_test_add_func ("/app/translation/pairing-window", test_pairing_window);
  g_test_add_func ("/app/translation/pairing-code", test_pairing_code);
  g_test_add_func ("/app/translation/hub-and-thing", test_hub_and_thing);

  return g_test_run ();
}
