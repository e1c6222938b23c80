// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-pairing-text.h"

#include "openiot-pairing-window.h"

/*
 * OpenIotPairingWindow:
 *
 * The pairing wizard: reach the hub (a pairing link or an address), enter
 * the pairing code, let libopeniot register this device over TLS-SRP, and
 * ask the person to trust the hub's certificate. Nothing is stored before
 * they press "Trust This Hub"; then the pin is saved, the hub is added to
 * the application and "paired" is emitted.
 *
 * A whole link (code and fingerprint) needs one confirmation only: the
 * "confirm" page shows the fingerprint the link names, and Pair runs
 * TLS-SRP and saves at once when the hub both proved the code and has
 * that certificate. There is nothing left for a person to compare.
 *
 * A link for a hub that is already paired (the same fingerprint) leads to
 * "known" instead, which offers to open that hub ("open-hub") or to pair
 * again, for a hub that has forgotten this device.
 *
 * Pages of one GtkStack, in order: "reach", "code" or "confirm" (or
 * "known"), "progress", "trust", "success". Every step that waits runs with
 * self->cancellable, which Cancel, Escape and closing the window cancel.
 * Each page has one Cancel: the header's, or its own where Cancel means
 * something else (stop and go back on "progress", store nothing on
 * "trust").
 */

struct _OpenIotPairingWindow
{
  AdwWindow             parent_instance;

  OpenIotApplication   *application;
  GCancellable         *cancellable;

  /* Where to pair: a link (from the caller or pasted), or a typed host
   * and pairing port. Exactly one of link and host is set past "reach". */
  OpenIotPairingLink   *link;
  char                 *host;
  guint16               pairing_port;

  OpenIotIdentity      *identity;
  OpenIotPairingResult *result;
  /* Made from result on "Trust": the very record saved is the one added */
  OpenIotHubRecord     *record;
  /* The page the progress page's Cancel returns to. */
  const char           *return_page;
  /* Where pairing starts and its errors are said: "code" or "confirm" */
  const char           *input_page;
  gulong                loading_handler;
  gulong                known_handler;
  /* The paired hub a link leads to, on "known" */
  OpenIotHub           *known_hub;
  /* "Pair Again" was pressed: the link is not checked against the list */
  gboolean              pair_again;
  /* The pretty host name arrives later; never overwrite a typed name. */
  gboolean              name_edited;
  gboolean              setting_name;

  /* Hubs announced on the local network, while "reach" is possible */
  OpenIotDiscovery     *discovery;

  GtkButton            *back_button;
  GtkButton            *cancel_button;
  GtkLabel             *reach_description_label;
  GtkWidget            *searching_box;
  GtkSpinner           *searching_spinner;
  GtkLabel             *searching_label;
  AdwPreferencesGroup  *nearby_group;
  GtkListBox           *nearby_list;
  GtkStack             *stack;
  AdwEntryRow          *link_row;
  AdwEntryRow          *address_row;
  GtkLabel             *link_error_label;
  GtkLabel             *address_error_label;
  GtkButton            *continue_button;
  GtkLabel             *code_description_label;
  GtkWidget            *error_box;
  GtkLabel             *error_title_label;
  GtkLabel             *error_label;
  AdwEntryRow          *code_row;
  AdwEntryRow          *name_row;
  GtkButton            *pair_button;
  GtkLabel             *confirm_title_label;
  GtkWidget            *confirm_error_box;
  GtkLabel             *confirm_error_title_label;
  GtkLabel             *confirm_error_label;
  GtkLabel             *confirm_fingerprint_label;
  GtkWidget            *confirm_match_box;
  GtkLabel             *confirm_match_label;
  AdwEntryRow          *confirm_name_row;
  GtkButton            *confirm_button;
  GtkSpinner           *spinner;
  GtkLabel             *progress_label;
  GtkButton            *stop_button;
  GtkLabel             *trust_title_label;
  GtkLabel             *fingerprint_label;
  GtkWidget            *verification_box;
  GtkImage             *verification_icon;
  GtkLabel             *verification_label;
  GtkLabel             *trust_error_label;
  GtkButton            *trust_button;
  GtkButton            *distrust_button;
  AdwStatusPage        *success_page;
  AdwPreferencesGroup  *addresses_group;
  GtkButton            *done_button;
  AdwStatusPage        *known_page;
  GtkButton            *open_hub_button;
  GtkButton            *pair_again_button;
  /* Rows added to addresses_group, so that a second success (never, but
   * cheap to be safe) does not list them twice. */
  GPtrArray            *address_rows;
};

G_DEFINE_FINAL_TYPE (OpenIotPairingWindow, openiot_pairing_window, ADW_TYPE_WINDOW)

enum {
  PAIRED,
  OPEN_HUB,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_pairing (OpenIotPairingWindow *self);
static void save_result   (OpenIotPairingWindow *self,
                           const char           *return_page);

/* One asynchronous step. It carries the cancellable it ran with: a result
 * that arrives after the person pressed Cancel (or closed the window) is
 * dropped even when the operation itself finished just before. */
typedef struct
{
  OpenIotPairingWindow *self;
  GCancellable         *cancellable;
} Step;

static Step *
step_new (OpenIotPairingWindow *self)
{
  Step *step = g_new0 (Step, 1);

  step->self = g_object_ref (self);
  step->cancellable = g_object_ref (self->cancellable);
  return step;
}

static void
step_free (Step *step)
{
  g_object_unref (step->self);
  g_object_unref (step->cancellable);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Step, step_free)

static gboolean
step_is_stale (Step *step)
{
  return g_cancellable_is_cancelled (step->cancellable);
}

static char *
get_device_name (OpenIotPairingWindow *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static void
show_page (OpenIotPairingWindow *self,
           const char           *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static void
show_progress (OpenIotPairingWindow *self,
               const char           *what,
               const char           *return_page)
{
  gtk_label_set_text (self->progress_label, what);
  self->return_page = return_page;
  show_page (self, "progress");
}

/* Header buttons, spinner, Enter's default and focus follow the page. */
static void
on_page_changed (OpenIotPairingWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  GtkWidget *default_widget = NULL;
  GtkWidget *focus = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          g_strcmp0 (page, "code") == 0 || g_strcmp0 (page, "confirm") == 0);
  /* "progress" and "trust" have a Cancel of their own; a second one in
   * the header, meaning something else, would make people guess. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          g_strcmp0 (page, "reach") == 0 || g_strcmp0 (page, "code") == 0 ||
                          g_strcmp0 (page, "confirm") == 0 || g_strcmp0 (page, "known") == 0);
  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (page, "progress") == 0);

  if (g_strcmp0 (page, "reach") == 0)
    {
      default_widget = GTK_WIDGET (self->continue_button);
      focus = GTK_WIDGET (self->link_row);
    }
  else if (g_strcmp0 (page, "code") == 0)
    {
      g_autofree char *code = openiot_pairing_text_normalize_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));

      default_widget = GTK_WIDGET (self->pair_button);
      /* With the code from a link, Enter pairs at once */
      focus = code ? GTK_WIDGET (self->pair_button) : GTK_WIDGET (self->code_row);
    }
  else if (g_strcmp0 (page, "confirm") == 0)
    {
      /* The link said which hub; Enter pairs, and pairing checks it */
      default_widget = GTK_WIDGET (self->confirm_button);
      focus = GTK_WIDGET (self->confirm_button);
    }
  else if (g_strcmp0 (page, "progress") == 0)
    focus = GTK_WIDGET (self->stop_button);
  else if (g_strcmp0 (page, "trust") == 0)
    {
      /* Trusting is a deliberate click: Enter (and a stray Space) lands
       * on Cancel, which stores nothing. */
      default_widget = GTK_WIDGET (self->distrust_button);
      focus = GTK_WIDGET (self->distrust_button);
    }
  else if (g_strcmp0 (page, "known") == 0)
    {
      default_widget = GTK_WIDGET (self->open_hub_button);
      focus = GTK_WIDGET (self->open_hub_button);
    }
  else if (g_strcmp0 (page, "success") == 0)
    {
      default_widget = GTK_WIDGET (self->done_button);
      focus = GTK_WIDGET (self->done_button);
    }

  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);

  /* The stack may have passed focus to the selectable fingerprint on the
   * way, which selects it all: show it unselected, ready to be read. */
  gtk_label_select_region (self->fingerprint_label, 0, 0);
}

static void
update_reach_actions (OpenIotPairingWindow *self)
{
  g_autofree char *link = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_row))));
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.continue", *link != '\0' || *address != '\0');
}

static void
update_code_actions (OpenIotPairingWindow *self)
{
  g_autofree char *code = openiot_pairing_text_normalize_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  g_autofree char *name = get_device_name (self);
  gboolean name_ok = openiot_check_device_name (name, NULL);

  if (name_ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->confirm_name_row), "error");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->confirm_name_row), "error");
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.pair", code != NULL && name_ok);
}

static void
set_row_error (AdwEntryRow *row,
               GtkLabel    *label,
               const char  *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
on_reach_changed (OpenIotPairingWindow *self)
{
  set_row_error (self->link_row, self->link_error_label, NULL);
  set_row_error (self->address_row, self->address_error_label, NULL);
  update_reach_actions (self);
}

static void
on_reach_activated (OpenIotPairingWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.continue", NULL);
}

static void
on_code_changed (OpenIotPairingWindow *self)
{
  update_code_actions (self);
}

static void
on_name_changed (OpenIotPairingWindow *self)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  update_code_actions (self);
}

static void
on_code_activated (OpenIotPairingWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.pair", NULL);
}

static void
clear_error (OpenIotPairingWindow *self)
{
  gtk_widget_set_visible (self->error_box, FALSE);
  gtk_widget_set_visible (self->confirm_error_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_error_label), FALSE);
}

/* Says on the page pairing started from what went wrong and what to do
 * about it. */
static void
show_error (OpenIotPairingWindow *self,
            const GError         *error)
{
  const char *host = self->link ? openiot_pairing_link_get_host (self->link) : self->host;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  gboolean code_is_dead = openiot_pairing_text_explain_error (error, host, &title, &detail);

  /* A link whose code the hub refused (or closed) is of no further use,
   * but the hub is still the one the link names: the code it shows now,
   * typed on the code page, pairs with the link's fingerprint checked as
   * before. An impostor is no matter of codes: said where it happened. */
  if (g_strcmp0 (self->input_page, "confirm") == 0 &&
      !(code_is_dead && !g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED)))
    {
      /* Another hub answered: no reassurance, and no Pair to try it
       * again; Cancel is the way out. */
      gboolean attack = g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED);

      gtk_label_set_text (self->confirm_error_title_label, title);
      gtk_label_set_text (self->confirm_error_label, detail);
      gtk_widget_set_visible (self->confirm_error_box, TRUE);
      gtk_widget_set_visible (self->confirm_match_box, !attack);
      gtk_widget_set_visible (GTK_WIDGET (self->confirm_button), !attack);
      show_page (self, "confirm");
      return;
    }

  /* The name stays as typed; a code the hub refused is of no further use */
  if (code_is_dead)
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");

  self->input_page = "code";
  gtk_label_set_text (self->error_title_label, title);
  gtk_label_set_text (self->error_label, detail);
  gtk_widget_set_visible (self->error_box, TRUE);
  show_page (self, "code");
}

/* Says what is wrong under the row that holds it, and goes there. */
static void
show_reach_error (OpenIotPairingWindow *self,
                  AdwEntryRow          *row,
                  const char           *message)
{
  show_page (self, "reach");
  if (row == self->link_row)
    set_row_error (self->link_row, self->link_error_label, message);
  else
    set_row_error (self->address_row, self->address_error_label, message);
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* Step 2 for a whole link: one question, with the fingerprint the link
 * names; pairing checks that the hub has it. */
static void
show_confirm (OpenIotPairingWindow *self)
{
  const char *name = openiot_pairing_link_get_name (self->link);
  g_autofree char *title = NULL;
  g_autofree char *grouped = openiot_fingerprint_format_grouped (openiot_pairing_link_get_fingerprint (self->link));

  if (name != NULL && *name != '\0')
    title = g_strdup_printf (_("Pair with “%s”?"), name);
  else
    title = g_strdup_printf (_("Pair with the hub at %s?"), openiot_pairing_link_get_host (self->link));
  gtk_label_set_text (self->confirm_title_label, title);
  gtk_label_set_text (self->confirm_fingerprint_label, grouped);
  gtk_widget_set_visible (self->confirm_match_box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_button), TRUE);
  self->input_page = "confirm";
  show_page (self, "confirm");
}

/* The paired hub with the certificate the link names, if any */
static OpenIotHub *
find_known_hub (OpenIotPairingWindow *self)
{
  GListModel *hubs = openiot_application_get_hubs (self->application);
  const char *fingerprint = self->link ? openiot_pairing_link_get_fingerprint (self->link) : NULL;

  if (fingerprint == NULL)
    return NULL;

  for (guint i = 0; i < g_list_model_get_n_items (hubs); i++)
    {
      g_autoptr(OpenIotHub) hub = g_list_model_get_item (hubs, i);

      if (openiot_fingerprint_equal (openiot_hub_record_get_fingerprint (openiot_hub_get_record (hub)), fingerprint))
        return hub;
    }
  return NULL;
}

/* Opening the link of a hub this device already pairs with: say so, and
 * offer the hub rather than a second pairing. */
static gboolean
show_known (OpenIotPairingWindow *self)
{
  OpenIotHub *hub = self->pair_again ? NULL : find_known_hub (self);
  g_autofree char *title = NULL;

  if (hub == NULL)
    return FALSE;

  g_set_object (&self->known_hub, hub);
  title = g_strdup_printf (_("“%s” Is Already Paired"), openiot_hub_record_get_name (openiot_hub_get_record (hub)));
  adw_status_page_set_title (self->known_page, title);
  adw_status_page_set_description (self->known_page,
                                   _("This device already knows this hub and its certificate, so there is "
                                     "nothing to pair. Open it to see its devices."));
  show_page (self, "known");
  return TRUE;
}

/* The app loads its paired hubs as it starts; a link that came with it
 * (the wizard opened at once) is checked against them once they are in. */
static void
on_hubs_loaded (OpenIotPairingWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (openiot_application_get_loading (self->application))
    return;
  g_clear_signal_handler (&self->known_handler, self->application);
  if (g_strcmp0 (page, "confirm") == 0)
    show_known (self);
}

/* Step 2 for a link: its code (as the hub shows it) and the hub's name;
 * with a fingerprint, the one confirmation instead. */
static void
use_link (OpenIotPairingWindow *self,
          OpenIotPairingLink   *link)
{
  const char *name = openiot_pairing_link_get_name (link);
  g_autofree char *code = openiot_pairing_text_format_code (openiot_pairing_link_get_code (link));
  g_autofree char *description = NULL;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->link, openiot_pairing_link_unref);
  self->link = openiot_pairing_link_ref (link);

  if (name != NULL && *name != '\0')
    description = g_strdup_printf (_("The pairing link for “%s” came with this code. Check that the hub "
                                     "shows the same code, then pair."), name);
  else
    description = g_strdup_printf (_("The pairing link for the hub at %s came with this code. Check that "
                                     "the hub shows the same code, then pair."),
                                   openiot_pairing_link_get_host (link));
  gtk_label_set_text (self->code_description_label, description);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
  clear_error (self);

  if (openiot_pairing_link_get_fingerprint (link) != NULL)
    {
      self->pair_again = FALSE;
      if (show_known (self))
        return;
      show_confirm (self);
      if (openiot_application_get_loading (self->application) && self->known_handler == 0)
        self->known_handler = g_signal_connect_swapped (self->application, "notify::loading",
                                                        G_CALLBACK (on_hubs_loaded), self);
      return;
    }
  self->input_page = "code";
  show_page (self, "code");
}

static GtkWidget *
create_nearby_row (gpointer item,
                   gpointer user_data)
{
  OpenIotDiscoveredHub *hub = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), openiot_discovered_hub_get_name (hub));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  subtitle = openiot_discovered_hub_get_pairing_open (hub)
    /* TRANSLATORS: %s is an address such as fd00::10 */
    ? g_strdup_printf (_("%s · ready to pair"), openiot_discovered_hub_get_address (hub))
    : g_strdup (openiot_discovered_hub_get_address (hub));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "openiot-discovered-hub", g_object_ref (hub), g_object_unref);
  return row;
}

/* Hubs found: "Pick your hub" and the list. None yet, while the network
 * is being searched: say so, so that an empty page does not read as
 * "there is nothing". Without Avahi nothing is searched, and nothing is
 * promised. */
static void
on_nearby_changed (OpenIotPairingWindow *self)
{
  gboolean found = g_list_model_get_n_items (G_LIST_MODEL (self->discovery)) > 0;
  gboolean searching = !found && openiot_discovery_get_available (self->discovery);

  gtk_widget_set_visible (GTK_WIDGET (self->nearby_group), found);
  gtk_widget_set_visible (self->searching_box, searching);
  gtk_spinner_set_spinning (self->searching_spinner, searching);
  gtk_label_set_text (self->reach_description_label,
                      found ? _("Pick your hub, paste the pairing link it shows, or type its address.")
                            : _("Paste the pairing link your hub shows, or type its address."));
}

static void
use_address (OpenIotPairingWindow *self,
             const char           *host,
             guint16               pairing_port,
             const char           *announced_name)
{
  g_autofree char *description = NULL;

  g_clear_pointer (&self->link, openiot_pairing_link_unref);
  g_free (self->host);
  self->host = g_strdup (host);
  self->pairing_port = pairing_port;

  /* An announced name is what the network says, not what the hub proved:
   * it only helps the person match the code to the box. */
  if (announced_name != NULL)
    description = g_strdup_printf (_("Type the 8-digit code that “%s” (%s) shows."), announced_name, host);
  else
    description = g_strdup_printf (_("Type the 8-digit code the hub at %s shows."), host);
  gtk_label_set_text (self->code_description_label, description);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  clear_error (self);
  self->input_page = "code";
  show_page (self, "code");
}

static void
on_nearby_activated (OpenIotPairingWindow *self,
                     GtkListBoxRow        *row)
{
  OpenIotDiscoveredHub *hub = g_object_get_data (G_OBJECT (row), "openiot-discovered-hub");

  use_address (self, openiot_discovered_hub_get_address (hub), openiot_discovered_hub_get_pairing_port (hub),
               openiot_discovered_hub_get_name (hub));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);
  g_autofree char *link_text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_row))));
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
  g_autofree char *host = NULL;
  guint16 port;

  /* A link pasted into the address row is still a link, and belongs in
   * the link row, where what is wrong with it is said. */
  if (*link_text == '\0' && openiot_pairing_text_looks_like_link (address))
    {
      g_free (link_text);
      link_text = g_steal_pointer (&address);
      gtk_editable_set_text (GTK_EDITABLE (self->link_row), link_text);
      gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
    }

  if (*link_text != '\0')
    {
      /* The parser's English says what is wrong for logs and the CLI;
       * people get one plain sentence about what to do. */
      g_autoptr(GError) error = NULL;
      g_autoptr(OpenIotPairingLink) link = openiot_pairing_link_parse (link_text, &error);

      if (link == NULL)
        {
          g_debug ("Pairing link refused: %s", error->message);
          show_reach_error (self, self->link_row, openiot_pairing_text_explain_link (link_text));
          return;
        }
      use_link (self, link);
    }
  else if (openiot_pairing_link_parse_address (address, &host, &port, NULL))
    use_address (self, host, port, NULL);
  else
    {
      g_autofree char *message =
        g_strdup_printf (_("“%s” is not an address. Write it as hub.local, 192.0.2.10, fd00::10 or "
                           "[fd00::10]:8444."), address);

      show_reach_error (self, self->address_row, message);
    }
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_page (OPENIOT_PAIRING_WINDOW (widget), "reach");
}

static void
disconnect_loading (OpenIotPairingWindow *self)
{
  if (self->loading_handler != 0)
    g_clear_signal_handler (&self->loading_handler, self->application);
}

/* The progress page's Cancel: stop what runs and go back one step. */
static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  disconnect_loading (self);
  show_page (self, self->return_page ? self->return_page : self->input_page);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  /* dispose cancels whatever still runs */
  gtk_window_close (GTK_WINDOW (widget));
}

static void
show_trust (OpenIotPairingWindow *self)
{
  OpenIotPairingResult *result = self->result;
  g_autofree char *title = g_strdup_printf (_("Trust “%s”?"), openiot_pairing_result_get_hub_name (result));
  g_autofree char *grouped = openiot_fingerprint_format_grouped (openiot_pairing_result_get_fingerprint (result));
  const char *verification;
  gboolean verified = TRUE;

  switch (openiot_pairing_result_get_verification (result))
    {
    case OPENIOT_VERIFICATION_LINK_FINGERPRINT:
      verification = _("Matches the pairing link, and the hub proved it knows the pairing code.");
      break;
    case OPENIOT_VERIFICATION_PAIRING_CODE:
      verification = _("Verified with the pairing code: the hub proved it knows it.");
      break;
    case OPENIOT_VERIFICATION_TRUST_ON_FIRST_USE:
    default:
      verification = _("Not verified. Compare the fingerprint with the one your hub shows before you trust it.");
      verified = FALSE;
      break;
    }

  gtk_label_set_text (self->trust_title_label, title);
  gtk_label_set_text (self->fingerprint_label, grouped);
  gtk_label_set_text (self->verification_label, verification);
  gtk_image_set_from_icon_name (self->verification_icon,
                                verified ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (self->verification_box, verified ? "warning" : "success");
  gtk_widget_add_css_class (self->verification_box, verified ? "success" : "warning");
  clear_error (self);
  show_page (self, "trust");
}

static void
on_paired (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  OpenIotPairingWindow *self = step->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotPairingResult) result = openiot_pair_finish (res, &error);

  if (step_is_stale (step))
    return;

  if (result == NULL)
    {
      show_error (self, error);
      return;
    }

  g_clear_pointer (&self->result, openiot_pairing_result_unref);
  self->result = g_steal_pointer (&result);

  /* The hub proved the code and has the certificate the link names: the
   * person already said yes to exactly this, so ask nothing more. */
  if (openiot_pairing_result_get_verification (self->result) == OPENIOT_VERIFICATION_LINK_FINGERPRINT)
    save_result (self, self->input_page);
  else
    show_trust (self);
}

/* The link to pair with: the one given (with the code as typed now), or
 * one made from the typed address. A host name stays a name: libopeniot
 * resolves it and races its addresses, link-local last. */
static OpenIotPairingLink *
make_link (OpenIotPairingWindow *self,
           const char           *code)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) extra = NULL;
  const char *host = self->link ? openiot_pairing_link_get_host (self->link) : self->host;
  guint16 pairing_port = self->link ? openiot_pairing_link_get_pairing_port (self->link) : self->pairing_port;
  guint16 port = self->link ? openiot_pairing_link_get_port (self->link) : 0;

  if (self->link != NULL)
    {
      const char * const *addresses = openiot_pairing_link_get_addresses (self->link);

      for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
        if (g_hostname_is_ip_address (addresses[i]) && !g_str_equal (addresses[i], host))
          g_strv_builder_add (builder, addresses[i]);
    }
  extra = g_strv_builder_end (builder);

  return openiot_pairing_link_new (host, pairing_port, port, code,
                                   self->link ? openiot_pairing_link_get_fingerprint (self->link) : NULL,
                                   self->link ? openiot_pairing_link_get_name (self->link) : NULL,
                                   (const char * const *) extra);
}

static void
pair_with (OpenIotPairingWindow *self)
{
  g_autofree char *code = openiot_pairing_text_normalize_code (gtk_editable_get_text (GTK_EDITABLE (self->code_row)));
  g_autofree char *name = get_device_name (self);
  g_autoptr(OpenIotPairingLink) link = NULL;

  /* The code and name were checked before Pair was enabled; only a change
   * while the key was being made could get here without them. */
  if (code == NULL || !openiot_check_device_name (name, NULL))
    {
      show_page (self, self->input_page);
      return;
    }

  link = make_link (self, code);
  show_progress (self, _("Checking the code with the hub…"), self->input_page);
  openiot_pair_async (link, name, openiot_identity_get_certificate_pem (self->identity),
                      self->cancellable, on_paired, step_new (self));
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  OpenIotPairingWindow *self = step->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotIdentity) identity = openiot_application_load_identity_finish (OPENIOT_APPLICATION (source),
                                                                                  res, &error);

  if (step_is_stale (step))
    return;

  if (identity == NULL)
    {
      show_error (self, error);
      return;
    }
  g_set_object (&self->identity, identity);
  pair_with (self);
}

static void
on_application_loading (OpenIotPairingWindow *self)
{
  if (openiot_application_get_loading (self->application))
    return;
  disconnect_loading (self);
  start_pairing (self);
}

static void
start_pairing (OpenIotPairingWindow *self)
{
  g_autofree char *name = get_device_name (self);

  show_progress (self, _("Making this device’s key…"), self->input_page);

  /* The application loads (or makes) this device's identity when it
   * starts. Asking at the same time would make a second key on first use,
   * and the hub would then know a certificate this device does not use. */
  if (openiot_application_get_loading (self->application))
    {
      if (self->loading_handler == 0)
        self->loading_handler = g_signal_connect_swapped (self->application, "notify::loading",
                                                          G_CALLBACK (on_application_loading), self);
      return;
    }

  openiot_application_load_identity_async (self->application, name, self->cancellable,
                                           on_identity_loaded, step_new (self));
}

static void
pair_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);

  clear_error (self);
  start_pairing (self);
}

static void
on_pin_saved (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  OpenIotPairingWindow *self = step->self;
  OpenIotHubRecord *record = self->record;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char * const *addresses;
  const char * const *scopes;
  OpenIotHub *hub;

  if (!openiot_pin_store_save_finish (OPENIOT_PIN_STORE (source), res, &error))
    {
      g_autofree char *message = NULL;

      if (step_is_stale (step))
        return;

      if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING))
        message = g_strdup_printf (_("The hub could not be saved: the keyring is not available. Unlock it "
                                     "(for example in Passwords and Keys) and press Trust again.\n\nDetails: %s"),
                                   error->message);
      else
        message = g_strdup_printf (_("The hub could not be saved. Details: %s"), error->message);
      /* Also after one-step pairing: the hub has registered this device
       * and the code is spent, so Trust (saving again) is the way on. */
      show_trust (self);
      gtk_label_set_text (self->trust_error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->trust_error_label), TRUE);
      return;
    }

  /* Saved, even if the person pressed Cancel a moment too late: the
   * application's list must match the pin store either way. */
  hub = openiot_application_add_hub (self->application, record, self->identity);
  if (step_is_stale (step))
    return;

  title = g_strdup_printf (_("Paired with “%s”"), openiot_hub_record_get_name (record));
  adw_status_page_set_title (self->success_page, title);
  if (openiot_pairing_result_get_verification (self->result) == OPENIOT_VERIFICATION_LINK_FINGERPRINT)
    adw_status_page_set_description (self->success_page,
                                     _("The hub matches the link and proved it knows the code. This device "
                                       "remembers its certificate and checks it every time."));
  else
    adw_status_page_set_description (self->success_page,
                                     _("This device remembers the hub’s certificate and checks it every time."));

  for (guint i = 0; i < self->address_rows->len; i++)
    adw_preferences_group_remove (self->addresses_group, self->address_rows->pdata[i]);
  g_ptr_array_set_size (self->address_rows, 0);

  addresses = openiot_hub_record_get_addresses (record);
  scopes = openiot_hub_record_get_scopes (record);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), addresses[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), openiot_pairing_text_scope (scopes ? scopes[i] : NULL));
      adw_preferences_group_add (self->addresses_group, row);
      g_ptr_array_add (self->address_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->addresses_group), self->address_rows->len > 0);

  show_page (self, "success");
  g_signal_emit (self, signals[PAIRED], 0, hub);
}

/* The only place anything is stored: after the person said they trust
 * it, on the trust page or, for a whole link, by pressing Pair. */
static void
save_result (OpenIotPairingWindow *self,
             const char           *return_page)
{
  g_autofree char *what = NULL;

  g_assert (self->result != NULL);

  g_clear_object (&self->record);
  self->record = openiot_hub_record_new_from_pairing (self->result);
  what = g_strdup_printf (_("Saving “%s”…"), openiot_hub_record_get_name (self->record));
  clear_error (self);
  show_progress (self, what, return_page);
  openiot_pin_store_save_async (openiot_application_get_pin_store (self->application), self->record,
                                self->cancellable, on_pin_saved, step_new (self));
}

static void
trust_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);

  if (self->result != NULL)
    save_result (self, "trust");
}

static void
open_hub_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);
  g_autoptr(OpenIotHub) hub = self->known_hub ? g_object_ref (self->known_hub) : NULL;

  if (hub == NULL)
    return;
  g_signal_emit (self, signals[OPEN_HUB], 0, hub);
  gtk_window_close (GTK_WINDOW (self));
}

static void
pair_again_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);

  self->pair_again = TRUE;
  g_clear_object (&self->known_hub);
  show_confirm (self);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
on_machine_info_loaded (GObject      *source,
                        GAsyncResult *res,
                        gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  OpenIotPairingWindow *self = step->self;
  g_autofree char *contents = NULL;
  g_autofree char *pretty = NULL;

  if (!g_file_load_contents_finish (G_FILE (source), res, &contents, NULL, NULL, NULL) || step_is_stale (step))
    return;

  if ((pretty = openiot_pairing_text_pretty_name (contents)) == NULL || self->name_edited)
    return;

  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), pretty);
  self->setting_name = FALSE;
}

/* PRETTY_HOSTNAME ("Anna's Laptop") is what people call the machine;
 * the host name ("anna-laptop") is shown until it arrives, and stays when
 * there is none. */
static void
load_device_name (OpenIotPairingWindow *self)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/etc/machine-info");

  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), g_get_host_name ());
  self->setting_name = FALSE;

  g_file_load_contents_async (file, self->cancellable, on_machine_info_loaded, step_new (self));
}

static void
openiot_pairing_window_dispose (GObject *object)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (object);

  /* Closing the window stops whatever was running */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  disconnect_loading (self);
  if (self->known_handler != 0)
    g_clear_signal_handler (&self->known_handler, self->application);
  if (self->discovery != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->discovery, self);
      openiot_discovery_stop (self->discovery);
      g_clear_object (&self->discovery);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), OPENIOT_TYPE_PAIRING_WINDOW);

  G_OBJECT_CLASS (openiot_pairing_window_parent_class)->dispose (object);
}

static void
openiot_pairing_window_finalize (GObject *object)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (object);

  g_clear_object (&self->application);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->link, openiot_pairing_link_unref);
  g_clear_pointer (&self->host, g_free);
  g_clear_object (&self->identity);
  g_clear_pointer (&self->result, openiot_pairing_result_unref);
  g_clear_object (&self->record);
  g_clear_object (&self->known_hub);
  g_clear_pointer (&self->address_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (openiot_pairing_window_parent_class)->finalize (object);
}

static void
openiot_pairing_window_class_init (OpenIotPairingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = openiot_pairing_window_dispose;
  object_class->finalize = openiot_pairing_window_finalize;

  /**
   * OpenIotPairingWindow::paired:
   * @hub: the hub, already saved and added to the application
   *
   * Emitted once the person trusted the hub and its pin was saved.
   */
  signals[PAIRED] = g_signal_new ("paired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, OPENIOT_TYPE_HUB);

  /**
   * OpenIotPairingWindow::open-hub:
   * @hub: a hub that was paired already
   *
   * Emitted when the person opened a link of a hub this device already
   * pairs with, and asked to see that hub. The wizard closes.
   */
  signals[OPEN_HUB] = g_signal_new ("open-hub", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, OPENIOT_TYPE_HUB);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/openiot/Client/ui/openiot-pairing-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, reach_description_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, searching_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, searching_spinner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, searching_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, nearby_group);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, nearby_list);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, link_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, link_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, code_description_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, error_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, error_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, code_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, pair_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_error_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_error_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_match_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_match_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_name_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, trust_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, verification_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, verification_icon);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, verification_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, trust_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, trust_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, distrust_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, success_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, addresses_group);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, done_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, known_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, open_hub_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, pair_again_button);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reach_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reach_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_nearby_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_code_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);

  gtk_widget_class_install_action (widget_class, "wizard.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.pair", NULL, pair_action);
  gtk_widget_class_install_action (widget_class, "wizard.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "wizard.trust", NULL, trust_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "wizard.open-hub", NULL, open_hub_action);
  gtk_widget_class_install_action (widget_class, "wizard.pair-again", NULL, pair_again_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
}

static void
openiot_pairing_window_init (OpenIotPairingWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->address_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->input_page = "code";

  /* The device's name, on whichever page pairing starts from */
  g_object_bind_property (self->name_row, "text", self->confirm_name_row, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->discovery = openiot_discovery_new ();
  gtk_list_box_bind_model (self->nearby_list, G_LIST_MODEL (self->discovery), create_nearby_row, NULL, NULL);
  g_signal_connect_swapped (self->discovery, "items-changed", G_CALLBACK (on_nearby_changed), self);
  g_signal_connect_swapped (self->discovery, "notify::available", G_CALLBACK (on_nearby_changed), self);
  on_nearby_changed (self);
  openiot_discovery_start (self->discovery);

  update_reach_actions (self);
  update_code_actions (self);
}

/**
 * openiot_pairing_window_new:
 * @parent: (nullable): the window the wizard belongs to
 * @application: the application, which owns identity, pins and hubs
 * @link: (nullable): an `openiot://` pairing link to start from
 *
 * Opens on "Reach your hub", or with @link straight on the pairing code
 * it carries.
 *
 * Returns: (transfer none): a new wizard; GTK owns toplevels
 */
OpenIotPairingWindow *
openiot_pairing_window_new (GtkWindow          *parent,
                            OpenIotApplication *application,
                            const char         *link)
{
  OpenIotPairingWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OPENIOT_IS_APPLICATION (application), NULL);

  /* Not gtk_window_set_application: the application takes its active
   * window for the main window, and the wizard must never be that. */
  self = g_object_new (OPENIOT_TYPE_PAIRING_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->application = g_object_ref (application);
  load_device_name (self);

  if (link != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->link_row), link);
      gtk_widget_activate_action (GTK_WIDGET (self), "wizard.continue", NULL);
    }
  else
    on_page_changed (self);

  return self;
}
