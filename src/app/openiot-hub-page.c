// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-application.h"

#include "openiot-banner.h"
#include "openiot-error-text.h"
#include "openiot-hub-page.h"
#include "openiot-service-row.h"
#include "openiot-toast.h"

/*
 * OpenIotHubPage:
 *
 * A paired hub: an overview of its services (what each is, its main
 * value, live; a switch for a light), how it is reached right now (local network
 * or Internet, which address), the certificate it is pinned to and how
 * it was verified, and this device's registration. A certificate change
 * or a removal shows as a banner that leads to the decision. Both names
 * are edited here (issue 15): the hub's nickname, kept on this device, and
 * this device's name on the hub, which the hub keeps.
 */
struct _OpenIotHubPage
{
  GtkBox          parent_instance;

  AdwWindowTitle *window_title;
  GtkWidget      *back_button;
  OpenIotBanner        *banner;
  GtkStack       *services_stack;
  GtkFlowBox     *services_grid;
  GtkLabel       *services_empty;
  GtkStack       *activity_stack;
  GtkListBox     *activity_list;
  AdwActionRow   *status_row;
  AdwActionRow   *route_row;
  AdwActionRow   *addresses_row;
  AdwActionRow   *fingerprint_row;
  AdwActionRow   *verification_row;
  AdwActionRow   *paired_row;
  AdwActionRow   *client_row;
  AdwPreferencesGroup *nickname_group;
  AdwEntryRow    *nickname_row;
  GtkWidget      *nickname_reset_button;
  GtkLabel       *nickname_error;
  AdwEntryRow    *device_name_row;
  GtkStack       *device_name_stack;
  GtkSpinner     *device_name_spinner;
  GtkLabel       *device_name_message;

  OpenIotHub     *hub;
  GSignalGroup   *hub_signals;
  GSignalGroup   *connection_signals;
  GSignalGroup   *services_signals;
  GListModel     *activity;       /* the last entries of the hub's log */
  GCancellable   *cancellable;
  GCancellable   *rename_cancellable;  /* a device rename in flight */
  GCancellable   *fetch_cancellable;   /* a fetch of this device's name in flight */
  char           *device_name;         /* as the hub lists this device; NULL: not known yet */
};

G_DEFINE_FINAL_TYPE (OpenIotHubPage, openiot_hub_page, GTK_TYPE_BOX)

enum {
  SERVICE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
scope_text (const char *scope)
{
  if (g_strcmp0 (scope, OPENIOT_ADDRESS_SCOPE_GLOBAL) == 0)
    return _("Internet");
  return _("Local network");
}

static const char *
verification_text (OpenIotVerification verification)
{
  switch (verification)
    {
    case OPENIOT_VERIFICATION_LINK_FINGERPRINT:
      return _("It matched the pairing link, and the hub proved it knew the pairing code.");
    case OPENIOT_VERIFICATION_PAIRING_CODE:
      return _("The hub proved it knew the pairing code.");
    case OPENIOT_VERIFICATION_TRUST_ON_FIRST_USE:
    default:
      return _("Not verified: trusted the first time it was seen.");
    }
}

static void
show_route (OpenIotHubPage *self)
{
  OpenIotHubConnection *connection = openiot_hub_get_connection (self->hub);
  const char *address = openiot_hub_connection_get_address (connection);
  g_autofree char *text = NULL;

  switch (openiot_hub_connection_get_route (connection))
    {
    case OPENIOT_NETWORK_ROUTE_LOCAL_NETWORK:
      /* Translators: how the hub is reached, then its address */
      text = g_strdup_printf (_("Local network · %s"), address);
      break;
    case OPENIOT_NETWORK_ROUTE_INTERNET:
      text = g_strdup_printf (_("Internet · %s"), address);
      break;
    case OPENIOT_NETWORK_ROUTE_NONE:
    default:
      text = g_strdup (_("Not connected yet"));
      break;
    }
  adw_action_row_set_subtitle (self->route_row, text);
}

static void
show_status (OpenIotHubPage *self)
{
  const GError *error = openiot_hub_get_error (self->hub);
  g_autofree char *text = openiot_hub_dup_status_text (self->hub);
  g_autofree char *reason = NULL;

  switch (openiot_hub_get_status (self->hub))
    {
    case OPENIOT_HUB_STATUS_OFFLINE:
      reason = error ? openiot_error_text (error) : g_strdup (_("The hub is not reachable."));
      openiot_banner_show (self->banner, reason, _("_Retry Now"), "hub.refresh", FALSE);
      break;
    case OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED:
      if (openiot_hub_get_rotation_verified (self->hub))
        openiot_banner_show (self->banner,
                             _("The hub renewed its certificate and signed the new one with the "
                               "one you trust. Nothing is sent to it until you review the change."),
                             _("_Review…"), "win.review-certificate", FALSE);
      else
        openiot_banner_show (self->banner,
                             _("Unverified certificate: something not proven to be your hub "
                               "answered. This may be an attack. Nothing is sent to it; this "
                               "clears by itself when your hub is back."),
                             _("_Review…"), "win.review-certificate", TRUE);
      break;
    case OPENIOT_HUB_STATUS_NOT_REGISTERED:
      openiot_banner_show (self->banner,
                           _("This device was removed from the hub. Pair it again, or remove the "
                             "hub here."),
                           _("_Pair Again…"), "win.pair-hub", FALSE);
      break;
    case OPENIOT_HUB_STATUS_ONLINE:
    case OPENIOT_HUB_STATUS_CONNECTING:
    case OPENIOT_HUB_STATUS_UNKNOWN:
    default:
      openiot_banner_hide (self->banner);
      break;
    }
  adw_action_row_set_subtitle (self->status_row, text);
  adw_window_title_set_subtitle (self->window_title, text);
}

/* Names: one rule for both, the device-name rule of the protocol */
static gboolean
name_is_valid (const char *name)
{
  return openiot_check_device_name (name, NULL);
}

static void
show_message (GtkLabel   *label,
              const char *text,
              gboolean    is_error)
{
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
  gtk_label_set_text (label, text ? text : "");
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
    }
}

static char *
invalid_name_text (void)
{
  /* The protocol's limit, not a copy of it (ngettext: the plural of
   * "bytes" follows the number in some languages) */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "A name is 1 to %d byte on one line, without control "
                                       "characters. Shorten or change it.",
                                       "A name is 1 to %d bytes on one line, without control "
                                       "characters. Shorten or change it.",
                                       OPENIOT_DEVICE_NAME_MAX_BYTES),
                          OPENIOT_DEVICE_NAME_MAX_BYTES);
}

/* Rename is possible only for a valid name that differs from the current
 * one: the button says so before anything is tried. */
static void
update_nickname_actions (OpenIotHubPage *self)
{
  OpenIotHubRecord *record = self->hub ? openiot_hub_get_record (self->hub) : NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->nickname_row));
  gboolean valid = name_is_valid (text);
  gboolean changed =
      record != NULL && g_strcmp0 (text, openiot_hub_record_get_display_name (record)) != 0;

  gboolean nicknamed = record != NULL && openiot_hub_record_get_nickname (record) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hub.rename-hub",
                                 record != NULL && valid && changed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hub.reset-nickname", nicknamed);
  gtk_widget_set_visible (self->nickname_reset_button, nicknamed);
  if (!valid && changed)
    {
      g_autofree char *invalid = *text == '\0' ? NULL : invalid_name_text ();

      gtk_widget_add_css_class (GTK_WIDGET (self->nickname_row), "error");
      show_message (self->nickname_error,
                    invalid == NULL ? _("Type a name, or use the hub’s own name.") : invalid,
                    TRUE);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->nickname_row), "error");
      show_message (self->nickname_error, NULL, FALSE);
    }
}

static void
show_nickname (OpenIotHubPage *self)
{
  OpenIotHubRecord *record = openiot_hub_get_record (self->hub);
  g_autofree char *description = NULL;

  /* A group's description is markup (libadwaita 1.2); the name is the
   * hub's, not markup: "Anna & Tom" would fail to parse, "<b>" would
   * style. */
  /* TRANSLATORS: under the nickname of a hub; %s is the name the hub gives itself */
  description = g_markup_printf_escaped (_("The nickname stays on this device. The hub calls "
                                           "itself “%s”."),
                                         openiot_hub_record_get_name (record));
  adw_preferences_group_set_description (self->nickname_group, description);
  gtk_editable_set_text (GTK_EDITABLE (self->nickname_row),
                         openiot_hub_record_get_display_name (record));
  update_nickname_actions (self);
}

static void
on_nickname_changed (OpenIotHubPage *self)
{
  update_nickname_actions (self);
}

static void
on_nickname_set (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OpenIotHubPage) self = user_data;
  OpenIotHub *hub = OPENIOT_HUB (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!openiot_hub_set_nickname_finish (hub, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || hub != self->hub)
        return;
      /* Rename was disabled while this ran: the name is still there to
       * try again */
      update_nickname_actions (self);
      message = g_strdup_printf (_("The name could not be saved: %s"), error->message);
      show_message (self->nickname_error, message, TRUE);
      return;
    }
  if (hub != self->hub)
    return;
  /* TRANSLATORS: a toast after the user renamed a hub */
  message = g_strdup_printf (_("The hub is now called “%s” here"),
                             openiot_hub_record_get_display_name (openiot_hub_get_record (hub)));
  openiot_toast_show (GTK_WIDGET (self), message);
}

static void
set_nickname (OpenIotHubPage *self,
              const char     *nickname)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hub.rename-hub", FALSE);
  openiot_hub_set_nickname_async (self->hub, nickname, self->cancellable, on_nickname_set,
                                  g_object_ref (self));
}

static void
rename_hub_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OpenIotHubPage *self = OPENIOT_HUB_PAGE (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->nickname_row));

  if (self->hub != NULL && name_is_valid (text))
    set_nickname (self, text);
}

static void
reset_nickname_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  OpenIotHubPage *self = OPENIOT_HUB_PAGE (widget);

  if (self->hub != NULL)
    set_nickname (self, NULL);
}

/* This device's name on the hub: asked of the hub, changed on the hub */
static void
update_device_name_actions (OpenIotHubPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->device_name_row));
  gboolean busy = self->rename_cancellable != NULL;
  gboolean valid = name_is_valid (text);
  gboolean changed = self->device_name != NULL && g_strcmp0 (text, self->device_name) != 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hub.rename-device", !busy && valid && changed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "hub.cancel-rename-device", busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->device_name_row), self->device_name != NULL);
  gtk_editable_set_editable (GTK_EDITABLE (self->device_name_row), !busy);
  if (!busy && !valid && changed)
    {
      g_autofree char *invalid = invalid_name_text ();

      gtk_widget_add_css_class (GTK_WIDGET (self->device_name_row), "error");
      show_message (self->device_name_message, invalid, TRUE);
    }
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->device_name_row), "error");
}

static void
show_device_name (OpenIotHubPage *self,
                  const char     *name)
{
  g_free (self->device_name);
  self->device_name = g_strdup (name);
  gtk_editable_set_text (GTK_EDITABLE (self->device_name_row), name ? name : "");
  update_device_name_actions (self);
}

static void
on_device_name_changed (OpenIotHubPage *self)
{
  if (self->rename_cancellable == NULL)
    show_message (self->device_name_message, NULL, FALSE);
  update_device_name_actions (self);
}

/* A request about this device's name, and the cancellable it was sent
 * with: its answer counts only while that is still the page's (another
 * hub, or a later request, made it stale). */
typedef struct
{
  OpenIotHubPage *self;
  GCancellable   *cancellable;
} NameRequest;

static NameRequest *
name_request_new (OpenIotHubPage *self,
                  GCancellable   *cancellable)
{
  NameRequest *request = g_new0 (NameRequest, 1);

  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (cancellable);
  return request;
}

static void
name_request_free (NameRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NameRequest, name_request_free)

static void
on_device_name_fetched (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(NameRequest) request = user_data;
  OpenIotHubPage *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  name = openiot_hub_connection_fetch_device_name_finish (OPENIOT_HUB_CONNECTION (source), result,
                                                          &error);
  if (request->cancellable != self->fetch_cancellable)
    return;  /* a later fetch, or another hub, replaced this one */
  g_clear_object (&self->fetch_cancellable);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->hub == NULL ||
      OPENIOT_HUB_CONNECTION (source) != openiot_hub_get_connection (self->hub))
    return;
  if (name == NULL)
    {
      /* Not an error of its own: the banner tells why the hub is not answering */
      show_message (self->device_name_message,
                    _("This device’s name on the hub shows, and can be changed, once the hub "
                      "answers."),
                    FALSE);
      return;
    }
  show_message (self->device_name_message, NULL, FALSE);
  show_device_name (self, name);
}

static void
cancel_fetch_device_name (OpenIotHubPage *self)
{
  g_autoptr(GCancellable) fetch = g_steal_pointer (&self->fetch_cancellable);

  if (fetch != NULL)
    g_cancellable_cancel (fetch);
}

/* One fetch at a time: a status that flaps, or a new hub, asks again,
 * and the answer to the last question is the one shown. */
static void
fetch_device_name (OpenIotHubPage *self)
{
  cancel_fetch_device_name (self);
  if (self->hub == NULL || self->rename_cancellable != NULL)
    return;
  self->fetch_cancellable = g_cancellable_new ();
  openiot_hub_connection_fetch_device_name_async (openiot_hub_get_connection (self->hub),
                                                  self->fetch_cancellable, on_device_name_fetched,
                                                  name_request_new (self, self->fetch_cancellable));
}

static void
on_device_renamed (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(NameRequest) request = user_data;
  OpenIotHubPage *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  gboolean cancelled;

  name = openiot_hub_connection_rename_device_finish (OPENIOT_HUB_CONNECTION (source), result,
                                                      &error);
  cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* A page that moved on to another hub cancelled this one; a rename
   * started there since is not this one's to end */
  if (request->cancellable != self->rename_cancellable)
    return;
  g_clear_object (&self->rename_cancellable);
  gtk_spinner_stop (self->device_name_spinner);
  gtk_stack_set_visible_child_name (self->device_name_stack, "idle");

  if (name != NULL)
    {
      show_device_name (self, name);
      message = g_strdup_printf (_("The hub now lists this device as “%s”."), name);
      show_message (self->device_name_message, message, FALSE);
      return;
    }

  if (cancelled)
    {
      /* The request may have reached the hub before the cancel: ask it */
      message = g_strdup (_("Renaming was cancelled. The name below is what the hub lists."));
      show_message (self->device_name_message, message, FALSE);
      fetch_device_name (self);
      return;
    }

  message = openiot_error_text (error);
  show_message (self->device_name_message, message, TRUE);
  update_device_name_actions (self);
}

static void
rename_device_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OpenIotHubPage *self = OPENIOT_HUB_PAGE (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->device_name_row));

  if (self->hub == NULL || self->rename_cancellable != NULL || !name_is_valid (text))
    return;

  cancel_fetch_device_name (self);  /* the rename's answer is the name */
  self->rename_cancellable = g_cancellable_new ();
  gtk_stack_set_visible_child_name (self->device_name_stack, "busy");
  gtk_spinner_start (self->device_name_spinner);
  show_message (self->device_name_message, _("Asking the hub to rename this device…"), FALSE);
  update_device_name_actions (self);
  openiot_hub_connection_rename_device_async (openiot_hub_get_connection (self->hub), text,
                                              self->rename_cancellable, on_device_renamed,
                                              name_request_new (self, self->rename_cancellable));
}

/* Enter in either name row applies that name */
static void
on_name_activated (OpenIotHubPage *self,
                   AdwEntryRow    *row)
{
  gboolean nickname = row == self->nickname_row;

  gtk_widget_activate_action (GTK_WIDGET (self),
                              nickname ? "hub.rename-hub" : "hub.rename-device", NULL);
}

static void
cancel_rename_device_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  OpenIotHubPage *self = OPENIOT_HUB_PAGE (widget);

  g_cancellable_cancel (self->rename_cancellable);
}

static void
show_record (OpenIotHubPage *self)
{
  OpenIotHubRecord *record = openiot_hub_get_record (self->hub);
  const char * const *addresses = openiot_hub_record_get_addresses (record);
  const char * const *scopes = openiot_hub_record_get_scopes (record);
  g_autoptr(GString) list = g_string_new (NULL);
  g_autofree char *fingerprint =
      openiot_fingerprint_format_grouped (openiot_hub_record_get_fingerprint (record));
  g_autoptr(GDateTime) local = g_date_time_to_local (openiot_hub_record_get_paired (record));
  g_autofree char *paired = g_date_time_format (local, "%x %X");

  adw_window_title_set_title (self->window_title, openiot_hub_record_get_display_name (record));
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    g_string_append_printf (list, "%s%s (%s)", i ? "\n" : "", addresses[i],
                            scope_text (scopes != NULL &&
                                        i < g_strv_length ((GStrv) scopes) ? scopes[i] : NULL));
  adw_action_row_set_subtitle (self->addresses_row, list->str);
  adw_action_row_set_subtitle (self->fingerprint_row, fingerprint);
  adw_action_row_set_subtitle (self->verification_row,
                               verification_text (openiot_hub_record_get_verification (record)));
  adw_action_row_set_subtitle (self->paired_row, paired);
  adw_action_row_set_subtitle (self->client_row, openiot_hub_record_get_client_id (record));
  show_nickname (self);
}

static GtkWidget *
create_service_row (gpointer item,
                    gpointer user_data)
{
  OpenIotHubPage *self = user_data;

  return openiot_service_row_new (self->hub, item);
}

static void
on_services_changed (GListModel     *services,
                     guint           position,
                     guint           removed,
                     guint           added,
                     OpenIotHubPage *self)
{
  gboolean empty = g_list_model_get_n_items (services) == 0;

  gtk_label_set_text (self->services_empty,
                      openiot_hub_get_status (self->hub) == OPENIOT_HUB_STATUS_ONLINE
                        ? _("The hub has no services yet.")
                        : _("The services show once the hub answers."));
  gtk_stack_set_visible_child_name (self->services_stack, empty ? "empty" : "list");
}

static void
on_service_activated (OpenIotHubPage  *self,
                      GtkFlowBoxChild *tile)
{
  OpenIotServiceInfo *service = openiot_service_row_get_service (OPENIOT_SERVICE_ROW (tile));

  g_signal_emit (self, signals[SERVICE_ACTIVATED], 0, openiot_service_info_get_id (service),
                 openiot_service_info_get_title (service));
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  openiot_hub_refresh_finish (OPENIOT_HUB (source), result, NULL);  /* the status tells */
}

/**
 * openiot_hub_page_refresh:
 *
 * Asks the hub for its services again.
 */
void
openiot_hub_page_refresh (OpenIotHubPage *self)
{
  if (self->hub != NULL)
    openiot_hub_refresh_async (self->hub, self->cancellable, on_refreshed, NULL);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  openiot_hub_page_refresh (OPENIOT_HUB_PAGE (widget));
}

#define SHOWN_ACTIVITY 10

/* "Front door lock: Jammed", when and what it said */
static GtkWidget *
create_activity_row (gpointer item,
                     gpointer user_data)
{
  OpenIotActivityEntry *entry = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = openiot_text_format_when (openiot_activity_entry_get_time (entry), FALSE);
  /* TRANSLATORS: a device, then what happened ("Front door lock: Jammed") */
  g_autofree char *title = g_strdup_printf (_("%s: %s"),
                                            openiot_activity_entry_get_service_title (entry),
                                            openiot_activity_entry_get_event_title (entry));
  const char *text = openiot_activity_entry_get_text (entry);
  /* Translators: an event's time and data, e.g. "14:03:12 — 21.5 °C" */
  g_autofree char *subtitle = text ? g_strdup_printf (_("%s — %s"), when, text) : g_strdup (when);

  /* The titles and data are the services' text, not markup */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
on_activity_changed (GListModel     *activity,
                     guint           position,
                     guint           removed,
                     guint           added,
                     OpenIotHubPage *self)
{
  gtk_stack_set_visible_child_name (self->activity_stack,
                                    g_list_model_get_n_items (activity) > 0 ? "list" : "empty");
}

/* The last entries of the hub's activity log, newest first */
static void
show_activity (OpenIotHubPage *self)
{
  OpenIotApplication *application = openiot_application_from_widget (GTK_WIDGET (self));
  OpenIotActivityLog *log = application && self->hub
                                ? openiot_application_get_activity_log (application, self->hub)
                                : NULL;

  if (self->activity != NULL)
    g_signal_handlers_disconnect_by_data (self->activity, self);
  g_clear_object (&self->activity);
  gtk_list_box_bind_model (self->activity_list, NULL, NULL, NULL, NULL);
  if (log == NULL)
    {
      gtk_stack_set_visible_child_name (self->activity_stack, "empty");
      return;
    }
  self->activity = G_LIST_MODEL (gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (log)), 0,
                                                           SHOWN_ACTIVITY));
  gtk_list_box_bind_model (self->activity_list, self->activity, create_activity_row, NULL, NULL);
  g_signal_connect (self->activity, "items-changed", G_CALLBACK (on_activity_changed), self);
  on_activity_changed (self->activity, 0, 0, 0, self);
}

void
openiot_hub_page_set_hub (OpenIotHubPage *self,
                          OpenIotHub     *hub)
{
  GListModel *services;

  if (self->hub == hub)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cancel_fetch_device_name (self);
  if (self->rename_cancellable != NULL)
    {
      g_autoptr(GCancellable) rename = g_steal_pointer (&self->rename_cancellable);

      g_cancellable_cancel (rename);
      gtk_spinner_stop (self->device_name_spinner);
      gtk_stack_set_visible_child_name (self->device_name_stack, "idle");
    }
  show_message (self->device_name_message, NULL, FALSE);
  show_device_name (self, NULL);
  g_set_object (&self->hub, hub);
  g_signal_group_set_target (self->hub_signals, hub);
  g_signal_group_set_target (self->services_signals, hub ? openiot_hub_get_services (hub) : NULL);
  gtk_flow_box_bind_model (self->services_grid, NULL, NULL, NULL, NULL);
  show_activity (self);
  if (hub == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  g_signal_group_set_target (self->connection_signals, openiot_hub_get_connection (hub));
  services = openiot_hub_get_services (hub);
  gtk_flow_box_bind_model (self->services_grid, services, create_service_row, self, NULL);
  on_services_changed (services, 0, 0, 0, self);
  show_record (self);
  show_status (self);
  show_route (self);
  openiot_hub_page_refresh (self);
  fetch_device_name (self);
}

OpenIotHub *
openiot_hub_page_get_hub (OpenIotHubPage *self)
{
  return self->hub;
}

void
openiot_hub_page_set_show_back (OpenIotHubPage *self,
                                gboolean        show_back)
{
  gtk_widget_set_visible (self->back_button, show_back);
}

/* An accepted certificate makes a new record and a new connection. */
static void
on_record_changed (OpenIotHubPage *self)
{
  show_record (self);
  g_signal_group_set_target (self->connection_signals, openiot_hub_get_connection (self->hub));
  show_route (self);
}

static void
on_status_changed (OpenIotHubPage *self)
{
  show_status (self);
  on_services_changed (openiot_hub_get_services (self->hub), 0, 0, 0, self);
  if (openiot_hub_get_status (self->hub) == OPENIOT_HUB_STATUS_UNKNOWN)
    openiot_hub_page_refresh (self);
  if (openiot_hub_get_status (self->hub) == OPENIOT_HUB_STATUS_ONLINE && self->device_name == NULL)
    fetch_device_name (self);
}

static void
openiot_hub_page_dispose (GObject *object)
{
  OpenIotHubPage *self = OPENIOT_HUB_PAGE (object);

  openiot_hub_page_set_hub (self, NULL);
  g_clear_object (&self->hub_signals);
  g_clear_object (&self->connection_signals);
  g_clear_object (&self->services_signals);
  g_clear_pointer (&self->device_name, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), OPENIOT_TYPE_HUB_PAGE);

  G_OBJECT_CLASS (openiot_hub_page_parent_class)->dispose (object);
}

static void
openiot_hub_page_class_init (OpenIotHubPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = openiot_hub_page_dispose;

  g_type_ensure (OPENIOT_TYPE_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openiot/Client/ui/openiot-hub-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, banner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, services_stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, services_grid);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, services_empty);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, route_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, addresses_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, fingerprint_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, verification_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, paired_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, client_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, activity_stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, activity_list);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, nickname_group);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, nickname_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, nickname_reset_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, nickname_error);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, device_name_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, device_name_stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, device_name_spinner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHubPage, device_name_message);
  gtk_widget_class_bind_template_callback (widget_class, on_service_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_nickname_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_device_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_activated);
  gtk_widget_class_install_action (widget_class, "hub.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "hub.rename-hub", NULL, rename_hub_action);
  gtk_widget_class_install_action (widget_class, "hub.reset-nickname", NULL, reset_nickname_action);
  gtk_widget_class_install_action (widget_class, "hub.rename-device", NULL, rename_device_action);
  gtk_widget_class_install_action (widget_class, "hub.cancel-rename-device", NULL,
                                   cancel_rename_device_action);

  /**
   * OpenIotHubPage::service-activated:
   * @id: the service's id
   * @title: its title
   */
  signals[SERVICE_ACTIVATED] =
    g_signal_new ("service-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
openiot_hub_page_init (OpenIotHubPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->hub_signals = g_signal_group_new (OPENIOT_TYPE_HUB);
  g_signal_group_connect_swapped (self->hub_signals, "notify::status",
                                  G_CALLBACK (on_status_changed), self);
  g_signal_group_connect_swapped (self->hub_signals, "notify::status-text",
                                  G_CALLBACK (show_status), self);
  g_signal_group_connect_swapped (self->hub_signals, "notify::record",
                                  G_CALLBACK (on_record_changed), self);
  self->connection_signals = g_signal_group_new (OPENIOT_TYPE_HUB_CONNECTION);
  g_signal_group_connect_swapped (self->connection_signals, "notify::route",
                                  G_CALLBACK (show_route), self);
  g_signal_group_connect_swapped (self->connection_signals, "notify::address",
                                  G_CALLBACK (show_route), self);
  self->services_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect (self->services_signals, "items-changed",
                          G_CALLBACK (on_services_changed), self);
  update_nickname_actions (self);
  update_device_name_actions (self);
}
