// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-pairing-text.h"

#include "openiot-pairing-window-private.h"

/* Step 1, "reach": where the hub is. A pairing link (pasted, or the one
 * the wizard opened with), a typed address, or a hub announced on the
 * local network; then, for a link that names the hub's certificate, the
 * one confirmation ("confirm"), or "known" when that hub is paired
 * already. */

static void
update_reach_actions (OpenIotPairingWindow *self)
{
  g_autofree char *link = _openiot_pairing_window_dup_row_text (self->link_row);
  g_autofree char *address = _openiot_pairing_window_dup_row_text (self->address_row);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.continue", *link != '\0' ||
                                 *address != '\0');
}

static void
set_row_error (AdwEntryRow *row,
               GtkLabel    *label,
               const char  *message)
{
  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  _openiot_pairing_window_set_row_style_error (row, message != NULL);
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

/* Says what is wrong under the row that holds it, and goes there. */
static void
show_reach_error (OpenIotPairingWindow *self,
                  AdwEntryRow          *row,
                  const char           *message)
{
  _openiot_pairing_window_show_page (self, "reach");
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
  g_autofree char *grouped =
      openiot_fingerprint_format_grouped (openiot_pairing_link_get_fingerprint (self->link));

  if (name != NULL && *name != '\0')
    title = g_strdup_printf (_("Pair with “%s”?"), name);
  else
    title = g_strdup_printf (_("Pair with the hub at %s?"),
                             openiot_pairing_link_get_host (self->link));
  gtk_label_set_text (self->confirm_title_label, title);
  gtk_label_set_text (self->confirm_fingerprint_label, grouped);
  gtk_widget_set_visible (self->confirm_match_box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_button), TRUE);
  self->input_page = "confirm";
  _openiot_pairing_window_show_page (self, "confirm");
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
      OpenIotHubRecord *record = openiot_hub_get_record (hub);

      if (openiot_fingerprint_equal (openiot_hub_record_get_fingerprint (record), fingerprint))
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
  title = g_strdup_printf (_("“%s” Is Already Paired"),
                           openiot_hub_record_get_display_name (openiot_hub_get_record (hub)));
  adw_status_page_set_title (self->known_page, title);
  adw_status_page_set_description (self->known_page,
                                   _("This device already knows this hub and its certificate, so "
                                     "there is nothing to pair. Open it to see its devices."));
  _openiot_pairing_window_show_page (self, "known");
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
  g_autofree char *code = openiot_pairing_code_format (openiot_pairing_link_get_code (link));
  g_autofree char *description = NULL;

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->link, openiot_pairing_link_unref);
  self->link = openiot_pairing_link_ref (link);

  if (name != NULL && *name != '\0')
    description =
        g_strdup_printf (_("The pairing link for “%s” came with this code. Check that the hub "
                           "shows the same code, then pair."),
                         name);
  else
    description =
        g_strdup_printf (_("The pairing link for the hub at %s came with this code. Check that the "
                           "hub shows the same code, then pair."),
                         openiot_pairing_link_get_host (link));
  gtk_label_set_text (self->code_description_label, description);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), code);
  _openiot_pairing_window_clear_error (self);

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
  _openiot_pairing_window_show_page (self, "code");
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
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "openiot-discovered-hub", g_object_ref (hub),
                          g_object_unref);
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
                      found ? _("Pick your hub, paste the pairing link it shows, or type its "
                                "address.")
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
    description = g_strdup_printf (_("Type the 8-digit code that “%s” (%s) shows."),
                                   announced_name, host);
  else
    description = g_strdup_printf (_("Type the 8-digit code the hub at %s shows."), host);
  gtk_label_set_text (self->code_description_label, description);
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  _openiot_pairing_window_clear_error (self);
  self->input_page = "code";
  _openiot_pairing_window_show_page (self, "code");
}

static void
on_nearby_activated (OpenIotPairingWindow *self,
                     GtkListBoxRow        *row)
{
  OpenIotDiscoveredHub *hub = g_object_get_data (G_OBJECT (row), "openiot-discovered-hub");

  use_address (self, openiot_discovered_hub_get_address (hub),
               openiot_discovered_hub_get_pairing_port (hub),
               openiot_discovered_hub_get_name (hub));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);
  g_autofree char *link_text = _openiot_pairing_window_dup_row_text (self->link_row);
  g_autofree char *address = _openiot_pairing_window_dup_row_text (self->address_row);
  g_autofree char *host = NULL;
  guint16 port;

  /* A link pasted into the address row is still a link, and belongs in
   * the link row, where what is wrong with it is said. */
  if (*link_text == '\0' && openiot_pairing_link_looks_like (address))
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
      g_autofree char *message = g_strdup_printf (_("“%s” is not an address. Write it as "
                                                    "hub.local, 192.0.2.10, fd00::10 or "
                                                    "[fd00::10]:8444."),
                                                  address);

      show_reach_error (self, self->address_row, message);
    }
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
  _openiot_pairing_window_emit_open_hub (self, hub);
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

void
_openiot_pairing_window_reach_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_reach_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reach_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_nearby_activated);

  gtk_widget_class_install_action (widget_class, "wizard.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "wizard.open-hub", NULL, open_hub_action);
  gtk_widget_class_install_action (widget_class, "wizard.pair-again", NULL, pair_again_action);
}

void
_openiot_pairing_window_reach_init (OpenIotPairingWindow *self)
{
  self->discovery = openiot_discovery_new ();
  gtk_list_box_bind_model (self->nearby_list, G_LIST_MODEL (self->discovery), create_nearby_row,
                           NULL, NULL);
  g_signal_connect_swapped (self->discovery, "items-changed", G_CALLBACK (on_nearby_changed), self);
  g_signal_connect_swapped (self->discovery, "notify::available", G_CALLBACK (on_nearby_changed),
                            self);
  on_nearby_changed (self);
  openiot_discovery_start (self->discovery);

  update_reach_actions (self);
}
