// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The pairing wizard against a real hub and the session's real
 * gnome-keyring, under Xvfb: found on the network (Avahi's D-Bus API on
 * the test's private bus), by link, by address and code, a wrong code,
 * a bad link, an unreachable hub and Cancel while pairing. The buttons are
 * pressed as a person would; screenshots of each
 * page at phone and desktop sizes go to the build directory.
 */
#include "config.h"

#include "openiot-application.h"
#include "openiot-fake-avahi.h"
#include "openiot-hub-page.h"
#include "openiot-pairing-window.h"
#include "openiot-test-app.h"
#include "openiot-test-hub.h"
#include "openiot-test-ui.h"
#include "openiot-window.h"

/* One application per process: a GApplication registers on the bus once */
static OpenIotApplication *app;

typedef struct
{
  OpenIotPairingWindow *wizard;
  OpenIotHub           *paired;
  guint                 n_paired;
  const char           *page;  /* for wait_until */
} Wizard;

static void
on_paired (OpenIotPairingWindow *wizard,
           OpenIotHub           *hub,
           Wizard               *w)
{
  g_set_object (&w->paired, hub);
  w->n_paired++;
}

static GtkWidget *
child (Wizard     *w,
       const char *name)
{
  return openiot_test_ui_template_child (w->wizard, OPENIOT_TYPE_PAIRING_WINDOW, name);
}

static const char *
page (Wizard *w)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (w, "stack")));
}

static gboolean
on_page (gpointer data)
{
  Wizard *w = data;

  return g_strcmp0 (page (w), w->page) == 0;
}

static void
wait_for_page (Wizard     *w,
               const char *name)
{
  w->page = name;
  openiot_test_ui_wait_within (on_page, w, 40, name);
}

static const char *
text (Wizard     *w,
      const char *name)
{
  GtkWidget *widget = child (w, name);

  if (GTK_IS_LABEL (widget))
    return gtk_label_get_text (GTK_LABEL (widget));
  return gtk_editable_get_text (GTK_EDITABLE (widget));
}

static void
set_text (Wizard     *w,
          const char *name,
          const char *value)
{
  gtk_editable_set_text (GTK_EDITABLE (child (w, name)), value);
}

static void
press (Wizard     *w,
       const char *name)
{
  openiot_test_ui_click (child (w, name));
}

/* Buttons saying Cancel that a person can see now, header included */
static guint
count_cancels (GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Cancel") == 0)
    n++;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n += count_cancels (c);
  return n;
}

static void
assert_one_cancel (Wizard *w)
{
  openiot_test_ui_wait_for_frame (GTK_WINDOW (w->wizard));
  if (count_cancels (GTK_WIDGET (w->wizard)) != 1)
    g_error ("page %s shows %u Cancel buttons", page (w), count_cancels (GTK_WIDGET (w->wizard)));
}

/* Every page the wizard showed, in order: "reach,confirm,progress,…" */
static void
on_visible_page (GtkStack   *stack,
                 GParamSpec *pspec,
                 GString    *pages)
{
  if (pages->len > 0)
    g_string_append_c (pages, ',');
  g_string_append (pages, gtk_stack_get_visible_child_name (stack));
}

static void
open_wizard (Wizard     *w,
             const char *link)
{
  openiot_test_app_wait_loaded (app);
  g_assert_null (openiot_application_get_error (app));

  w->wizard = openiot_pairing_window_new (NULL, app, link);
  g_object_add_weak_pointer (G_OBJECT (w->wizard), (gpointer *) &w->wizard);
  g_signal_connect (w->wizard, "paired", G_CALLBACK (on_paired), w);
  gtk_window_set_default_size (GTK_WINDOW (w->wizard), 360, 720);
  gtk_window_present (GTK_WINDOW (w->wizard));
  openiot_test_ui_wait_for_frame (GTK_WINDOW (w->wizard));
}

static void
close_wizard (Wizard *w)
{
  if (w->wizard != NULL)
    gtk_window_destroy (GTK_WINDOW (w->wizard));
  g_assert_null (w->wizard);
  g_clear_object (&w->paired);
}

/* At 360 px nothing may force the window wider, and the labels that
 * matter must show all of their text. */
static void
assert_fits_phone (Wizard             *w,
                   const char * const *labels)
{
  int minimum;

  gtk_widget_measure (GTK_WIDGET (w->wizard), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (w->wizard)), <=, 360);
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      GtkWidget *label = child (w, labels[i]);

      if (gtk_widget_get_visible (label) && !openiot_test_ui_label_fits (GTK_LABEL (label)))
        g_error ("label %s does not fit at 360 px: “%s”", labels[i],
                 gtk_label_get_text (GTK_LABEL (label)));
    }
}

/* Phone first (and checked), then desktop, then back to the phone. */
static void
screenshots (Wizard             *w,
             const char         *name,
             const char * const *labels)
{
  const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%dx%d", name, sizes[i][0], sizes[i][1]);

      gtk_window_set_default_size (GTK_WINDOW (w->wizard), sizes[i][0], sizes[i][1]);
      openiot_test_ui_iterate (300);
      openiot_test_ui_wait_for_frame (GTK_WINDOW (w->wizard));
      if (sizes[i][0] == 360)
        assert_fits_phone (w, labels);
      openiot_test_ui_screenshot (GTK_WINDOW (w->wizard), file);
    }
  gtk_window_set_default_size (GTK_WINDOW (w->wizard), 360, 720);
  openiot_test_ui_iterate (100);
}

static OpenIotHubRecord *
find_pin (const char *fingerprint)
{
  OpenIotPinStore *store = openiot_application_get_pin_store (app);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  openiot_pin_store_list_async (store, NULL, openiot_test_ui_store_result, &result);
  openiot_test_ui_wait_within (openiot_test_ui_result_ready, &result, 40, "pin list");
  records = openiot_pin_store_list_finish (store, result, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < records->len; i++)
    if (openiot_fingerprint_equal (openiot_hub_record_get_fingerprint (records->pdata[i]),
                                   fingerprint))
      return g_object_ref (records->pdata[i]);
  return NULL;
}

/* Trust page → Trust → success page, and what that must have done. */
static void
trust_and_check (Wizard     *w,
                 const char *fingerprint,
                 const char *screenshot_name)
{
  g_autoptr(OpenIotHubRecord) pin = NULL;
  g_autofree char *grouped = openiot_fingerprint_format_grouped (fingerprint);
  const char * const trust_labels[] = { "trust_title_label", "fingerprint_label",
                                       "verification_label", NULL };
  const char * const success_labels[] = { NULL };

  g_assert_cmpstr (text (w, "fingerprint_label"), ==, grouped);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (w, "fingerprint_label"))));
  g_assert_true (gtk_widget_has_css_class (child (w, "fingerprint_label"), "monospace"));
  g_assert_cmpstr (text (w, "trust_title_label"), ==, "Trust “Test Hub”?");
  if (screenshot_name != NULL)
    screenshots (w, screenshot_name, trust_labels);

  /* Trusting is a deliberate click: neither Enter nor the focus is on
   * Trust, and the page has one Cancel */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (w->wizard)) !=
                 child (w, "trust_button"));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (w->wizard)) ==
                 child (w, "distrust_button"));
  g_assert_false (gtk_widget_has_focus (child (w, "trust_button")));
  assert_one_cancel (w);

  /* Nothing is stored before Trust */
  g_assert_null (find_pin (fingerprint));
  g_assert_cmpuint (w->n_paired, ==, 0);

  press (w, "trust_button");
  wait_for_page (w, "success");

  g_assert_cmpuint (w->n_paired, ==, 1);
  g_assert_nonnull (w->paired);
  g_assert_cmpstr (openiot_hub_record_get_name (openiot_hub_get_record (w->paired)), ==,
                   "Test Hub");
  pin = find_pin (fingerprint);
  g_assert_nonnull (pin);
  g_assert_cmpstr (openiot_hub_record_get_id (pin), ==,
                   openiot_hub_record_get_id (openiot_hub_get_record (w->paired)));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (w, "success_page"))), ==,
                   "Paired with “Test Hub”");
  if (screenshot_name != NULL)
    screenshots (w, "pairing-success", success_labels);

  /* Done closes the wizard */
  press (w, "done_button");
  openiot_test_ui_iterate (50);
  g_assert_null (w->wizard);
}

/* A whole link (code and fingerprint): one question, then paired. */
static void
test_link_one_step (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  g_autofree char *uri = openiot_pairing_link_to_string (link);
  const char *fingerprint = openiot_pairing_link_get_fingerprint (link);
  g_autofree char *grouped = openiot_fingerprint_format_grouped (fingerprint);
  g_autoptr(GString) pages = g_string_new (NULL);
  g_autoptr(OpenIotHubRecord) pin = NULL;
  const char * const confirm_labels[] = { "confirm_title_label", "confirm_fingerprint_label",
                                          "confirm_match_label", NULL };
  const char * const success_labels[] = { NULL };
  Wizard w = { 0 };

  g_assert_nonnull (fingerprint);
  open_wizard (&w, uri);
  g_signal_connect (child (&w, "stack"), "notify::visible-child-name",
                    G_CALLBACK (on_visible_page), pages);

  /* Straight to "Pair with Test Hub?", with the link's fingerprint grouped
   * as the hub shows it; no code to check, nothing else to press first */
  g_assert_cmpstr (page (&w), ==, "confirm");
  g_assert_cmpstr (text (&w, "confirm_title_label"), ==, "Pair with “Test Hub”?");
  g_assert_cmpstr (text (&w, "confirm_fingerprint_label"), ==, grouped);
  g_assert_true (gtk_widget_has_css_class (child (&w, "confirm_fingerprint_label"), "monospace"));
  g_assert_nonnull (strstr (text (&w, "confirm_match_label"), "matches the link"));
  g_assert_false (gtk_widget_get_mapped (child (&w, "code_row")));
  g_assert_cmpstr (text (&w, "confirm_name_row"), ==, text (&w, "name_row"));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (w.wizard)) ==
                 child (&w, "confirm_button"));
  g_assert_true (gtk_widget_has_css_class (child (&w, "confirm_button"), "suggested-action"));
  assert_one_cancel (&w);
  screenshots (&w, "pair-link-one-step-confirm", confirm_labels);

  /* The device's name can still be changed here */
  set_text (&w, "confirm_name_row", "Hall Tablet");
  g_assert_cmpstr (text (&w, "name_row"), ==, "Hall Tablet");

  /* Pair: TLS-SRP, the fingerprint checked, saved, done. No code page,
   * no trust page, nothing stored before the press. */
  g_assert_null (find_pin (fingerprint));
  press (&w, "confirm_button");
  g_assert_cmpstr (page (&w), ==, "progress");
  assert_one_cancel (&w);
  wait_for_page (&w, "success");
  g_assert_null (strstr (pages->str, "trust"));
  g_assert_null (strstr (pages->str, "code"));

  g_assert_cmpuint (w.n_paired, ==, 1);
  pin = find_pin (fingerprint);
  g_assert_nonnull (pin);
  g_assert_cmpstr (openiot_hub_record_get_id (pin), ==,
                   openiot_hub_record_get_id (openiot_hub_get_record (w.paired)));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (&w, "success_page"))), ==,
                   "Paired with “Test Hub”");
  g_assert_nonnull (
    strstr (adw_status_page_get_description (ADW_STATUS_PAGE (child (&w, "success_page"))),
            "matches the link"));
  g_assert_cmpuint (count_cancels (GTK_WIDGET (w.wizard)), ==, 0);
  screenshots (&w, "pair-link-one-step-success", success_labels);

  /* The hub lists this device under the name given on that page */
  {
    g_autoptr(JsonNode) clients = openiot_test_hub_admin (hub, "clients", NULL);
    JsonArray *array = json_node_get_array (clients);

    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                    "name"), ==,
                     "Hall Tablet");
  }

  press (&w, "done_button");
  openiot_test_ui_iterate (50);
  g_assert_null (w.wizard);
  close_wizard (&w);
}

/* A whole link whose hub turns out to be another, or whose code is no
 * longer open: nothing saved, and the way on said where it happened. */
static void
test_link_one_step_errors (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  const char *code = openiot_pairing_link_get_code (link);
  g_autoptr(OpenIotPairingLink) impostor = NULL;
  g_autoptr(OpenIotPairingLink) stale = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *wrong = NULL;
  const char *other = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
  const char * const error_labels[] = { "confirm_error_title_label", "confirm_error_label", NULL };
  Wizard w = { 0 };

  /* The hub answering is not the one whose fingerprint the link names */
  impostor = openiot_pairing_link_new (openiot_pairing_link_get_host (link),
                                       openiot_pairing_link_get_pairing_port (link),
                                       openiot_pairing_link_get_port (link), code, other,
                                       openiot_pairing_link_get_name (link), NULL);
  uri = openiot_pairing_link_to_string (impostor);
  open_wizard (&w, uri);
  g_assert_cmpstr (page (&w), ==, "confirm");
  press (&w, "confirm_button");
  openiot_test_ui_wait_within ((OpenIotTestCondition) gtk_widget_get_visible,
                               child (&w, "confirm_error_box"), 40,
                               "error");
  g_assert_cmpstr (page (&w), ==, "confirm");
  g_assert_cmpstr (text (&w, "confirm_error_title_label"), ==, "This May Be an Attack");
  /* No green check, no Pair to try the impostor again: Cancel only */
  g_assert_false (gtk_widget_get_visible (child (&w, "confirm_match_box")));
  g_assert_false (gtk_widget_get_visible (child (&w, "confirm_button")));
  assert_one_cancel (&w);
  g_assert_cmpuint (w.n_paired, ==, 0);
  g_assert_null (find_pin (other));
  screenshots (&w, "pairing-link-impostor", error_labels);
  close_wizard (&w);

  /* A link whose code the hub refuses: on to the code page, where the
   * code the hub shows now pairs, the link's fingerprint checked as
   * before, and with no trust page after */
  g_clear_pointer (&link, openiot_pairing_link_unref);
  link = openiot_test_hub_open_code (hub);
  code = openiot_pairing_link_get_code (link);
  wrong = g_strdup_printf ("%08u", (atoi (code) + 1) % 100000000);
  stale = openiot_pairing_link_new (openiot_pairing_link_get_host (link),
                                    openiot_pairing_link_get_pairing_port (link),
                                    openiot_pairing_link_get_port (link), wrong,
                                    openiot_pairing_link_get_fingerprint (link),
                                    openiot_pairing_link_get_name (link), NULL);
  g_free (uri);
  uri = openiot_pairing_link_to_string (stale);
  open_wizard (&w, uri);
  press (&w, "confirm_button");
  wait_for_page (&w, "code");
  g_assert_true (gtk_widget_get_visible (child (&w, "error_box")));
  g_assert_cmpstr (text (&w, "error_title_label"), ==, "Wrong Pairing Code");
  g_assert_cmpstr (text (&w, "code_row"), ==, "");
  assert_one_cancel (&w);
  set_text (&w, "code_row", code);
  press (&w, "pair_button");
  wait_for_page (&w, "success");
  g_assert_cmpuint (w.n_paired, ==, 1);
  g_assert_nonnull (find_pin (openiot_pairing_link_get_fingerprint (link)));
  close_wizard (&w);
}

/* Pairs with a whole link through the wizard, as a person would. */
static void
pair_by_link (OpenIotTestHub *hub)
{
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  g_autofree char *uri = openiot_pairing_link_to_string (link);
  Wizard w = { 0 };

  open_wizard (&w, uri);
  press (&w, "confirm_button");
  wait_for_page (&w, "success");
  press (&w, "done_button");
  openiot_test_ui_iterate (50);
  close_wizard (&w);
}

static OpenIotHub *
find_hub (const char *fingerprint)
{
  GListModel *hubs = openiot_application_get_hubs (app);

  for (guint i = 0; i < g_list_model_get_n_items (hubs); i++)
    {
      g_autoptr(OpenIotHub) hub = g_list_model_get_item (hubs, i);

      if (openiot_fingerprint_equal (
            openiot_hub_record_get_fingerprint (openiot_hub_get_record (hub)), fingerprint))
        return hub;
    }
  return NULL;
}

/* The link of a hub paired already: said so, with the hub one click away
 * in the main window; or paired again, for a hub that forgot us. */
static void
test_already_paired (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autofree char *uri = NULL;
  const char * const no_labels[] = { NULL };
  OpenIotWindow *window;
  OpenIotHub *known;
  guint n_hubs;
  Wizard w = { 0 };

  pair_by_link (hub);
  link = openiot_test_hub_open_code (hub);
  uri = openiot_pairing_link_to_string (link);
  known = find_hub (openiot_pairing_link_get_fingerprint (link));
  g_assert_nonnull (known);
  n_hubs = g_list_model_get_n_items (openiot_application_get_hubs (app));

  /* From the main window, as an opened link does */
  window = openiot_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  openiot_window_pair (window, uri);
  w.wizard = OPENIOT_PAIRING_WINDOW (openiot_test_ui_find_toplevel (OPENIOT_TYPE_PAIRING_WINDOW));
  g_assert_nonnull (w.wizard);
  g_object_add_weak_pointer (G_OBJECT (w.wizard), (gpointer *) &w.wizard);
  gtk_window_set_default_size (GTK_WINDOW (w.wizard), 360, 720);
  openiot_test_ui_wait_for_frame (GTK_WINDOW (w.wizard));

  g_assert_cmpstr (page (&w), ==, "known");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (child (&w, "known_page"))), ==,
                   "“Test Hub” Is Already Paired");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (w.wizard)) ==
                 child (&w, "open_hub_button"));
  assert_one_cancel (&w);
  screenshots (&w, "pairing-already-paired", no_labels);

  /* Open Hub: the wizard closes and the main window shows that hub */
  press (&w, "open_hub_button");
  openiot_test_ui_iterate (50);
  g_assert_null (w.wizard);
  g_assert_true (openiot_hub_page_get_hub (OPENIOT_HUB_PAGE (gtk_widget_get_template_child (
                   GTK_WIDGET (window), OPENIOT_TYPE_WINDOW, "hub_page"))) == known);
  g_assert_cmpuint (g_list_model_get_n_items (openiot_application_get_hubs (app)), ==, n_hubs);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Pair Again: the one confirmation, and the hub is replaced, not added */
  open_wizard (&w, uri);
  g_assert_cmpstr (page (&w), ==, "known");
  press (&w, "pair_again_button");
  g_assert_cmpstr (page (&w), ==, "confirm");
  press (&w, "confirm_button");
  wait_for_page (&w, "success");
  g_assert_cmpuint (w.n_paired, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (openiot_application_get_hubs (app)), ==, n_hubs);
  close_wizard (&w);
}

/* A link without a fingerprint vouches only for the code: its code page,
 * then the trust page, as by address. */
static void
test_link_without_fingerprint (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) full = openiot_test_hub_open_code (hub);
  g_autoptr(OpenIotPairingLink) link = openiot_pairing_link_new (
    openiot_pairing_link_get_host (full), openiot_pairing_link_get_pairing_port (full),
    openiot_pairing_link_get_port (full), openiot_pairing_link_get_code (full), NULL,
    openiot_pairing_link_get_name (full), NULL);
  g_autofree char *uri = openiot_pairing_link_to_string (link);
  const char *code = openiot_pairing_link_get_code (link);
  g_autofree char *shown = g_strdup_printf ("%.4s %.4s", code, code + 4);
  const char * const code_labels[] = { "code_description_label", NULL };
  Wizard w = { 0 };

  open_wizard (&w, uri);

  /* Straight to the code, as the hub shows it, with the hub's name */
  g_assert_cmpstr (page (&w), ==, "code");
  g_assert_cmpstr (text (&w, "code_row"), ==, shown);
  g_assert_nonnull (strstr (text (&w, "code_description_label"), "Test Hub"));
  g_assert_cmpint (adw_entry_row_get_input_purpose (ADW_ENTRY_ROW (child (&w, "code_row"))), ==,
                   GTK_INPUT_PURPOSE_DIGITS);
  g_assert_cmpstr (text (&w, "name_row"), !=, "");
  g_assert_true (gtk_widget_has_css_class (child (&w, "pair_button"), "suggested-action"));
  assert_one_cancel (&w);
  screenshots (&w, "pairing-code", code_labels);

  press (&w, "pair_button");
  wait_for_page (&w, "trust");
  g_assert_cmpstr (text (&w, "verification_label"), ==,
                   "Verified with the pairing code: the hub proved it knows it.");
  g_assert_true (gtk_widget_has_css_class (child (&w, "verification_box"), "success"));

  trust_and_check (&w, openiot_pairing_link_get_fingerprint (full), "pairing-trust");
  close_wizard (&w);
}

static void
test_wrong_code_then_address (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  const char *code = openiot_pairing_link_get_code (link);
  g_autofree char *wrong = g_strdup_printf ("%08u", (atoi (code) + 1) % 100000000);
  g_autofree char *wrong_shown = g_strdup_printf ("%.4s %.4s", wrong, wrong + 4);
  g_autofree char *address = g_strdup_printf ("[::1]:%u", hub->port + 1);
  const char * const reach_labels[] = { NULL };
  const char * const error_labels[] = { "error_title_label", "error_label", NULL };
  Wizard w = { 0 };

  open_wizard (&w, NULL);
  g_assert_cmpstr (page (&w), ==, "reach");
  g_assert_false (gtk_widget_is_sensitive (child (&w, "continue_button")));
  screenshots (&w, "pairing-reach", reach_labels);

  set_text (&w, "address_row", address);
  press (&w, "continue_button");
  g_assert_cmpstr (page (&w), ==, "code");
  g_assert_true (gtk_widget_get_visible (child (&w, "back_button")));

  /* Pair is enabled only with a whole code, written as the hub shows it */
  set_text (&w, "code_row", "1234 567");
  g_assert_false (gtk_widget_is_sensitive (child (&w, "pair_button")));
  set_text (&w, "code_row", wrong_shown);
  g_assert_true (gtk_widget_is_sensitive (child (&w, "pair_button")));
  set_text (&w, "name_row", "Kitchen Tablet");

  press (&w, "pair_button");
  wait_for_page (&w, "code");
  openiot_test_ui_wait_within ((OpenIotTestCondition) gtk_widget_get_visible,
                               child (&w, "error_box"), 40, "error");
  g_assert_cmpstr (text (&w, "error_title_label"), ==, "Wrong Pairing Code");
  g_assert_nonnull (strstr (text (&w, "error_label"), "4 tries left"));
  g_assert_true (gtk_widget_has_css_class (child (&w, "error_label"), "error"));
  /* The name stays, the refused code goes */
  g_assert_cmpstr (text (&w, "code_row"), ==, "");
  g_assert_cmpstr (text (&w, "name_row"), ==, "Kitchen Tablet");
  g_assert_false (gtk_widget_is_sensitive (child (&w, "pair_button")));
  screenshots (&w, "pairing-error", error_labels);

  /* The right code, typed without the space */
  set_text (&w, "code_row", code);
  press (&w, "pair_button");
  g_assert_false (gtk_widget_get_visible (child (&w, "error_box")));
  wait_for_page (&w, "trust");
  g_assert_cmpstr (text (&w, "verification_label"), ==,
                   "Verified with the pairing code: the hub proved it knows it.");

  trust_and_check (&w, openiot_pairing_link_get_fingerprint (link), NULL);
  close_wizard (&w);

  /* The hub lists this device under the name typed */
  {
    g_autoptr(JsonNode) clients = openiot_test_hub_admin (hub, "clients", NULL);
    JsonArray *array = json_node_get_array (clients);

    g_assert_cmpuint (json_array_get_length (array), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0),
                                                    "name"), ==,
                     "Kitchen Tablet");
  }
}

static void
on_progress_label (GtkLabel   *label,
                   GParamSpec *pspec,
                   GString    *said)
{
  g_string_append_printf (said, "%s\n", gtk_label_get_text (label));
}

/* A host name typed as the address goes to libopeniot as it is, which
 * resolves it; "localhost:PORT" pairs. */
static void
test_pair_by_localhost (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  g_autofree char *address = g_strdup_printf ("localhost:%u", hub->port + 1);
  g_autoptr(GString) said = g_string_new (NULL);
  Wizard w = { 0 };

  open_wizard (&w, NULL);
  g_signal_connect (child (&w, "progress_label"), "notify::label", G_CALLBACK (on_progress_label),
                    said);
  set_text (&w, "address_row", address);
  press (&w, "continue_button");
  g_assert_cmpstr (page (&w), ==, "code");
  g_assert_nonnull (strstr (text (&w, "code_description_label"), "localhost"));
  set_text (&w, "code_row", openiot_pairing_link_get_code (link));
  press (&w, "pair_button");
  wait_for_page (&w, "trust");
  g_assert_cmpstr (text (&w, "verification_label"), ==,
                   "Verified with the pairing code: the hub proved it knows it.");
  /* No lookup of its own in the wizard: the library resolves the name */
  g_assert_null (strstr (said->str, "Looking up"));
  trust_and_check (&w, openiot_pairing_link_get_fingerprint (link), NULL);
  close_wizard (&w);
}

static gboolean
nearby_shown (gpointer data)
{
  Wizard *w = data;

  return gtk_widget_get_visible (child (w, "nearby_group")) &&
         gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (w, "nearby_list")), 0) != NULL;
}

/* The hub announces itself; picking it leads to its code, and the code
 * (not the announcement) is what verifies it. */
static void
test_found_on_network (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  g_autofree char *pairing_port = g_strdup_printf ("pairing-port=%u", hub->port + 1);
  const char * const txt[] = { "id=test-hub", "api=1", "pairing=open", pairing_port, NULL };
  const char * const reach_labels[] = { NULL };
  OpenIotFakeAvahi *avahi = openiot_fake_avahi_new (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"), TRUE);
  GtkListBoxRow *row;
  Wizard w = { 0 };

  openiot_fake_avahi_announce (avahi, 1, 1, "Test Hub", "::1", hub->port, txt);
  open_wizard (&w, NULL);
  openiot_test_ui_wait_within (nearby_shown, &w, 40, "the hub found on the network");
  row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (child (&w, "nearby_list")), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Test Hub");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "::1 · ready to pair");
  screenshots (&w, "pairing-reach-nearby", reach_labels);

  g_signal_emit_by_name (child (&w, "nearby_list"), "row-activated", row);
  g_assert_cmpstr (page (&w), ==, "code");
  g_assert_nonnull (strstr (text (&w, "code_description_label"), "“Test Hub”"));
  set_text (&w, "code_row", openiot_pairing_link_get_code (link));
  press (&w, "pair_button");
  wait_for_page (&w, "trust");
  g_assert_cmpstr (text (&w, "verification_label"), ==,
                   "Verified with the pairing code: the hub proved it knows it.");
  trust_and_check (&w, openiot_pairing_link_get_fingerprint (link), NULL);
  close_wizard (&w);
  openiot_fake_avahi_free (avahi);
}

static double
top_of (Wizard     *w,
        const char *name)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (child (w, name), GTK_WIDGET (w->wizard), &bounds));
  return bounds.origin.y;
}

static gboolean
shows_error (Wizard     *w,
             const char *label)
{
  return gtk_widget_get_visible (child (w, label)) && gtk_widget_get_mapped (child (w, label));
}

/* What is wrong with a link is said in plain words right under the link
 * row, never in the parser's English and never under Address. */
static gboolean
searching_shown (gpointer data)
{
  Wizard *w = data;

  return gtk_widget_get_mapped (child (w, "searching_box"));
}

/* No hub found yet: the page says it is searching, and does not ask to
 * pick one from a list that is not there. */
static void
test_searching (void)
{
  const char * const reach_labels[] = { "reach_description_label", NULL };
  OpenIotFakeAvahi *avahi = openiot_fake_avahi_new (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"), TRUE);
  const char * const txt[] = { "id=test-hub", "api=1", "pairing=open", "pairing-port=8444", NULL };
  Wizard w = { 0 };

  open_wizard (&w, NULL);
  openiot_test_ui_wait_within (searching_shown, &w, 40, "the searching state");
  g_assert_false (gtk_widget_get_visible (child (&w, "nearby_group")));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (child (&w, "searching_spinner"))));
  g_assert_cmpstr (text (&w, "searching_label"), ==, "Searching the local network…");
  g_assert_null (strstr (text (&w, "reach_description_label"), "Pick"));
  assert_one_cancel (&w);
  screenshots (&w, "pair-searching", reach_labels);

  /* A hub appears: now there is one to pick */
  openiot_fake_avahi_announce (avahi, 1, 1, "Test Hub", "::1", 8443, txt);
  openiot_test_ui_wait_within (nearby_shown, &w, 40, "the hub found on the network");
  g_assert_false (gtk_widget_get_visible (child (&w, "searching_box")));
  g_assert_nonnull (strstr (text (&w, "reach_description_label"), "Pick your hub"));
  screenshots (&w, "pair-searching-found", reach_labels);

  /* And gone again: searching once more */
  openiot_fake_avahi_withdraw (avahi, 1, 1, "Test Hub");
  openiot_test_ui_wait_within (searching_shown, &w, 40, "the searching state again");
  g_assert_false (gtk_widget_get_visible (child (&w, "nearby_group")));
  close_wizard (&w);
  openiot_fake_avahi_free (avahi);
}

static void
test_bad_link (void)
{
  const char * const error_labels[] = { "link_error_label", NULL };
  Wizard w = { 0 };

  open_wizard (&w, "openiot://[::1]:8444/?code=12");
  g_assert_cmpstr (page (&w), ==, "reach");
  openiot_test_ui_wait_for_frame (GTK_WINDOW (w.wizard));
  g_assert_true (shows_error (&w, "link_error_label"));
  g_assert_false (shows_error (&w, "address_error_label"));
  g_assert_cmpstr (text (&w, "link_error_label"), ==,
                   "This link is incomplete — copy it again from the hub.");
  g_assert_true (gtk_widget_has_css_class (child (&w, "link_row"), "error"));
  g_assert_false (gtk_widget_has_css_class (child (&w, "address_row"), "error"));
  /* Under the link, above the address */
  g_assert_cmpfloat (top_of (&w, "link_row"), <, top_of (&w, "link_error_label"));
  g_assert_cmpfloat (top_of (&w, "link_error_label"), <, top_of (&w, "address_row"));
  g_assert_cmpstr (text (&w, "link_row"), ==, "openiot://[::1]:8444/?code=12");
  screenshots (&w, "pairing-link-error", error_labels);

  /* Typing clears it */
  set_text (&w, "link_row", "https://example.com/");
  g_assert_false (gtk_widget_get_visible (child (&w, "link_error_label")));
  g_assert_false (gtk_widget_has_css_class (child (&w, "link_row"), "error"));

  /* Not a pairing link at all */
  press (&w, "continue_button");
  g_assert_true (gtk_widget_get_visible (child (&w, "link_error_label")));
  g_assert_nonnull (strstr (text (&w, "link_error_label"), "This is not a pairing link."));

  /* A link pasted into the address row moves to the link row, and is
   * judged there */
  set_text (&w, "link_row", "");
  set_text (&w, "address_row", "openiot://[::1]:8444/?code=1234");
  press (&w, "continue_button");
  g_assert_cmpstr (page (&w), ==, "reach");
  g_assert_cmpstr (text (&w, "link_row"), ==, "openiot://[::1]:8444/?code=1234");
  g_assert_cmpstr (text (&w, "address_row"), ==, "");
  g_assert_true (gtk_widget_get_visible (child (&w, "link_error_label")));
  g_assert_false (gtk_widget_get_visible (child (&w, "address_error_label")));
  g_assert_cmpstr (text (&w, "link_error_label"), ==,
                   "This link is incomplete — copy it again from the hub.");

  /* An address that is none: said under the address */
  set_text (&w, "link_row", "");
  set_text (&w, "address_row", "not an address!");
  press (&w, "continue_button");
  g_assert_cmpstr (page (&w), ==, "reach");
  g_assert_false (gtk_widget_get_visible (child (&w, "link_error_label")));
  g_assert_true (gtk_widget_get_visible (child (&w, "address_error_label")));
  g_assert_true (gtk_widget_has_css_class (child (&w, "address_row"), "error"));
  g_assert_nonnull (strstr (text (&w, "address_error_label"), "is not an address"));
  close_wizard (&w);
}

static void
test_unreachable (void)
{
  Wizard w = { 0 };

  /* A name (which the library resolves) on port 1, refused at once. Enter
   * in each row moves on, as the default button would. */
  open_wizard (&w, NULL);
  set_text (&w, "address_row", "localhost:1");
  g_signal_emit_by_name (child (&w, "address_row"), "entry-activated");
  g_assert_cmpstr (page (&w), ==, "code");
  set_text (&w, "code_row", "1234 5678");
  g_signal_emit_by_name (child (&w, "code_row"), "entry-activated");
  openiot_test_ui_wait_within ((OpenIotTestCondition) gtk_widget_get_visible,
                               child (&w, "error_box"), 40, "error");
  g_assert_cmpstr (page (&w), ==, "code");
  g_assert_cmpstr (text (&w, "error_title_label"), ==, "Hub Not Reachable");
  /* Not the code's fault: it stays */
  g_assert_cmpstr (text (&w, "code_row"), ==, "1234 5678");

  /* Back to the first page keeps what was typed */
  press (&w, "back_button");
  g_assert_cmpstr (page (&w), ==, "reach");
  g_assert_cmpstr (text (&w, "address_row"), ==, "localhost:1");
  close_wizard (&w);
}

static void
test_cancel (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  g_autofree char *uri = openiot_pairing_link_to_string (link);
  Wizard w = { 0 };

  open_wizard (&w, uri);

  /* Cancel on the progress page stops pairing and goes back to the
   * question it came from */
  press (&w, "confirm_button");
  g_assert_cmpstr (page (&w), ==, "progress");
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (child (&w, "spinner"))));
  openiot_test_ui_screenshot (GTK_WINDOW (w.wizard), "pairing-progress-360x720");
  press (&w, "stop_button");
  g_assert_cmpstr (page (&w), ==, "confirm");
  openiot_test_ui_iterate (1000);
  g_assert_cmpstr (page (&w), ==, "confirm");
  g_assert_cmpuint (w.n_paired, ==, 0);

  /* Escape closes the wizard, and nothing was stored */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.wizard), "wizard.cancel", NULL));
  openiot_test_ui_iterate (50);
  g_assert_null (w.wizard);
  g_assert_null (find_pin (openiot_pairing_link_get_fingerprint (link)));
  close_wizard (&w);

  /* Cancel on the trust page (by address): the hub registered this
   * device, but the app stores nothing */
  g_clear_pointer (&link, openiot_pairing_link_unref);
  link = openiot_test_hub_open_code (hub);
  open_wizard (&w, NULL);
  {
    g_autofree char *address = g_strdup_printf ("[::1]:%u", hub->port + 1);

    set_text (&w, "address_row", address);
  }
  press (&w, "continue_button");
  set_text (&w, "code_row", openiot_pairing_link_get_code (link));
  press (&w, "pair_button");
  wait_for_page (&w, "trust");
  press (&w, "distrust_button");
  openiot_test_ui_iterate (50);
  g_assert_null (w.wizard);
  g_assert_null (find_pin (openiot_pairing_link_get_fingerprint (link)));
  g_assert_cmpuint (w.n_paired, ==, 0);
  close_wizard (&w);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  /* Avahi lives on the system bus; here, the test's private bus stands in
   * for it (before anything connects to a system bus). */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", g_getenv ("DBUS_SESSION_BUS_ADDRESS"), TRUE);
  app = openiot_test_app_init (&argc, &argv);
  openiot_test_app_wait_loaded (app);

  g_test_add_func ("/app/pairing-window/link-one-step", test_link_one_step);
  g_test_add_func ("/app/pairing-window/link-without-fingerprint", test_link_without_fingerprint);
  g_test_add_func ("/app/pairing-window/link-one-step-errors", test_link_one_step_errors);
  g_test_add_func ("/app/pairing-window/already-paired", test_already_paired);
  g_test_add_func ("/app/pairing-window/found-on-network", test_found_on_network);
  g_test_add_func ("/app/pairing-window/wrong-code-then-address", test_wrong_code_then_address);
  g_test_add_func ("/app/pairing-window/searching", test_searching);
  g_test_add_func ("/app/pairing-window/localhost", test_pair_by_localhost);
  g_test_add_func ("/app/pairing-window/bad-link", test_bad_link);
  g_test_add_func ("/app/pairing-window/unreachable", test_unreachable);
  g_test_add_func ("/app/pairing-window/cancel", test_cancel);

  return g_test_run ();
}
