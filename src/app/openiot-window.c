// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-window"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-certificate-dialog.h"
#include "openiot-hub-page.h"
#include "openiot-pairing-window.h"
#include "openiot-thing-page.h"
#include "openiot-toast.h"
#include "openiot-window-private.h"

#include "openiot-window.h"

/*
 * OpenIotWindow:
 *
 * The hubs in a sidebar, and for the selected hub its page, then a
 * Thing's page. An AdwLeaflet shows one pane at phone width and two on a
 * desktop; a second, always folded leaflet goes from the hub to a Thing
 * and back, with the back button or a swipe.
 */

G_DEFINE_FINAL_TYPE (OpenIotWindow, openiot_window, ADW_TYPE_APPLICATION_WINDOW)

static OpenIotApplication *
get_application (OpenIotWindow *self)
{
  return OPENIOT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

/**
 * openiot_window_show_hub:
 * @hub: (nullable): the hub to show
 */
void
openiot_window_show_hub (OpenIotWindow *self,
                         OpenIotHub    *hub)
{
  GListModel *hubs = openiot_application_get_hubs (get_application (self));

  openiot_thing_page_clear (self->thing_page);
  openiot_hub_page_set_hub (self->hub_page, hub);
  adw_leaflet_set_visible_child (self->content_leaflet, GTK_WIDGET (self->hub_page));
  gtk_stack_set_visible_child_name (self->content_stack, hub ? "hub" : "none");
  if (hub == NULL)
    {
      /* On a phone the empty pane would be a dead end: back to the list. */
      gtk_list_box_unselect_all (self->hubs_list);
      adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (hubs); i++)
    {
      g_autoptr(OpenIotHub) item = g_list_model_get_item (hubs, i);

      if (item == hub)
        gtk_list_box_select_row (self->hubs_list,
                                 gtk_list_box_get_row_at_index (self->hubs_list, i));
    }
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/**
 * openiot_window_show_service:
 *
 * Shows a Thing of the hub on screen.
 */
void
openiot_window_show_service (OpenIotWindow *self,
                             const char    *service_id,
                             const char    *title)
{
  OpenIotHub *hub = openiot_hub_page_get_hub (self->hub_page);

  if (hub == NULL)
    return;
  openiot_thing_page_show (self->thing_page, hub, service_id, title);
  adw_leaflet_set_visible_child (self->content_leaflet, GTK_WIDGET (self->thing_page));
}

static void
on_paired (OpenIotPairingWindow *wizard,
           OpenIotHub           *hub,
           OpenIotWindow        *self)
{
  openiot_window_show_hub (self, hub);
}

/**
 * openiot_window_pair:
 * @link: (nullable): an openiot:// pairing link to start from
 *
 * Opens the pairing wizard.
 */
void
openiot_window_pair (OpenIotWindow *self,
                     const char    *link)
{
  OpenIotPairingWindow *wizard =
      openiot_pairing_window_new (GTK_WINDOW (self), get_application (self), link);

  g_signal_connect_object (wizard, "paired", G_CALLBACK (on_paired), self, 0);
  /* A link for a hub paired already: the wizard offers to show it */
  g_signal_connect_object (wizard, "open-hub", G_CALLBACK (on_paired), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
}

static void
pair_hub_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  openiot_window_pair (OPENIOT_WINDOW (widget), NULL);
}

static void
go_back_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OpenIotWindow *self = OPENIOT_WINDOW (widget);

  if (adw_leaflet_get_visible_child (self->content_leaflet) == GTK_WIDGET (self->thing_page))
    adw_leaflet_navigate (self->content_leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  else
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Leaving a Thing (button or swipe) stops its streams. */
static void
on_content_child_changed (OpenIotWindow *self)
{
  if (adw_leaflet_get_visible_child (self->content_leaflet) == GTK_WIDGET (self->hub_page) &&
      !adw_leaflet_get_child_transition_running (self->content_leaflet))
    openiot_thing_page_clear (self->thing_page);
}

static void
on_service_activated (OpenIotWindow *self,
                      const char    *service_id,
                      const char    *title)
{
  openiot_window_show_service (self, service_id, title);
}

static void
review_certificate_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  OpenIotWindow *self = OPENIOT_WINDOW (widget);
  OpenIotHub *hub = openiot_hub_page_get_hub (self->hub_page);

  if (hub == NULL || openiot_hub_get_status (hub) != OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED)
    return;
  gtk_window_present (GTK_WINDOW (openiot_certificate_dialog_new (GTK_WINDOW (self), hub)));
}

static void
on_hub_removed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OpenIotWindow) self = user_data;
  OpenIotHub *hub = OPENIOT_HUB (source);
  const char *name = openiot_hub_record_get_display_name (openiot_hub_get_record (hub));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean told_hub = FALSE;

  if (!openiot_hub_remove_finish (hub, result, &told_hub, &error))
    {
      message = g_strdup_printf (_("Could not remove the hub: %s"), error->message);
      openiot_toast_show (GTK_WIDGET (self->toast_overlay), message);
      return;
    }

  message = told_hub ? g_strdup_printf (_("Removed “%s”"), name)
                     : g_strdup_printf (_("Removed “%s” here; the hub could not be told, so "
                                          "revoke this device there"),
                                        name);
  openiot_toast_show (GTK_WIDGET (self->toast_overlay), message);
  openiot_window_show_hub (self, NULL);
  openiot_application_remove_hub (get_application (self), hub);
}

static void
on_remove_response (AdwMessageDialog *dialog,
                    const char       *response,
                    OpenIotWindow    *self)
{
  OpenIotHub *hub = g_object_get_data (G_OBJECT (dialog), "openiot-hub");

  if (g_strcmp0 (response, "remove") == 0)
    openiot_hub_remove_async (hub, NULL, on_hub_removed, g_object_ref (self));
}

static void
remove_hub_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OpenIotWindow *self = OPENIOT_WINDOW (widget);
  OpenIotHub *hub = openiot_hub_page_get_hub (self->hub_page);
  GtkWidget *dialog;
  const char *name;

  if (hub == NULL)
    return;

  name = openiot_hub_record_get_display_name (openiot_hub_get_record (hub));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove This Hub?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("This device stops using “%s”, and the hub forgets this "
                                    "device. To use the hub again, pair it again with a new "
                                    "code."),
                                  name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove",
                                    _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "openiot-hub", g_object_ref (hub), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* F5 and Ctrl+R refresh what is shown. The pages own their refresh
 * actions, which a key bound at the window level cannot reach. */
static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  OpenIotWindow *self = OPENIOT_WINDOW (widget);

  if (adw_leaflet_get_visible_child (self->content_leaflet) == GTK_WIDGET (self->thing_page))
    gtk_widget_activate_action (GTK_WIDGET (self->thing_page), "thing.refresh", NULL);
  else if (openiot_hub_page_get_hub (self->hub_page) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->hub_page), "hub.refresh", NULL);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  openiot_application_reload (get_application (OPENIOT_WINDOW (widget)));
}

static const char *
status_icon_name (OpenIotHub *hub)
{
  switch (openiot_hub_get_status (hub))
    {
    case OPENIOT_HUB_STATUS_ONLINE:
      return "network-server-symbolic";
    case OPENIOT_HUB_STATUS_OFFLINE:
      return "network-offline-symbolic";
    case OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED:
      return openiot_hub_get_rotation_verified (hub) ? "dialog-information-symbolic"
                                                     : "dialog-warning-symbolic";
    case OPENIOT_HUB_STATUS_NOT_REGISTERED:
      return "action-unavailable-symbolic";
    case OPENIOT_HUB_STATUS_CONNECTING:
    case OPENIOT_HUB_STATUS_UNKNOWN:
    default:
      return "network-server-symbolic";
    }
}

/* Every row tells its hub's own status, selected or not, from the one
 * status model of OpenIotHub. */
static void
update_hub_row (GtkWidget  *row,
                GParamSpec *pspec,
                OpenIotHub *hub)
{
  GtkImage *icon = g_object_get_data (G_OBJECT (row), "openiot-status-icon");
  g_autofree char *status = openiot_hub_dup_status_text (hub);
  gboolean alarming = openiot_hub_get_status (hub) == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED &&
                      !openiot_hub_get_rotation_verified (hub);

  OpenIotHubRecord *record = openiot_hub_get_record (hub);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 openiot_hub_record_get_display_name (record));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), status);
  gtk_image_set_from_icon_name (icon, status_icon_name (hub));
  if (alarming)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
}

static GtkWidget *
create_hub_row (gpointer item,
                gpointer user_data)
{
  OpenIotHub *hub = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "openiot-status-icon", icon);
  update_hub_row (row, NULL, hub);
  g_signal_connect_object (hub, "notify::status-text", G_CALLBACK (update_hub_row), row,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (hub, "notify::record", G_CALLBACK (update_hub_row), row,
                           G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (row), "openiot-hub", g_object_ref (hub), g_object_unref);
  return row;
}

static void
on_hub_activated (OpenIotWindow *self,
                  GtkListBoxRow *row)
{
  openiot_window_show_hub (self, g_object_get_data (G_OBJECT (row), "openiot-hub"));
}

/* Loading (the keyring may ask to be unlocked), a failure that says what
 * to do, no hubs yet, or the list; on a desktop the first hub opens. */
static void
update_sidebar (OpenIotWindow *self)
{
  OpenIotApplication *application = get_application (self);
  GListModel *hubs = openiot_application_get_hubs (application);
  const GError *error = openiot_application_get_error (application);
  guint n_hubs = g_list_model_get_n_items (hubs);

  if (openiot_application_get_loading (application))
    gtk_stack_set_visible_child_name (self->hubs_stack, "loading");
  else if (error != NULL)
    {
      g_autofree char *message = g_markup_escape_text (error->message, -1);  /* markup */

      adw_status_page_set_description (self->error_page, message);
      gtk_stack_set_visible_child_name (self->hubs_stack, "error");
    }
  else
    gtk_stack_set_visible_child_name (self->hubs_stack, n_hubs == 0 ? "empty" : "list");
  /* With no hub at all, "pick a hub" beside "no hubs yet" says nothing:
   * the sidebar's empty state is the one thing to read. */
  gtk_widget_set_visible (GTK_WIDGET (self->no_selection_page), n_hubs > 0);

  if (n_hubs > 0 && openiot_hub_page_get_hub (self->hub_page) == NULL &&
      !adw_leaflet_get_folded (self->leaflet))
    {
      g_autoptr(OpenIotHub) first = g_list_model_get_item (hubs, 0);

      openiot_window_show_hub (self, first);
    }
}

static void
on_hubs_changed (OpenIotWindow *self)
{
  update_sidebar (self);
  _openiot_window_bench_show_service (self);
}

static void
on_folded (OpenIotWindow *self)
{
  openiot_hub_page_set_show_back (self->hub_page, adw_leaflet_get_folded (self->leaflet));
}

static void
save_window_state (OpenIotWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set (self->settings, "window-size", "(ii)", width, height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
openiot_window_close_request (GtkWindow *window)
{
  save_window_state (OPENIOT_WINDOW (window));

  return GTK_WINDOW_CLASS (openiot_window_parent_class)->close_request (window);
}

/* After construction: GtkWindow:application is no construct property. */
static void
follow_application (OpenIotWindow *self)
{
  OpenIotApplication *application = get_application (self);
  GListModel *hubs = openiot_application_get_hubs (application);

  gtk_list_box_bind_model (self->hubs_list, hubs, create_hub_row, NULL, NULL);
  g_signal_connect_object (hubs, "items-changed", G_CALLBACK (on_hubs_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (application, "notify::loading", G_CALLBACK (on_hubs_changed), self,
                           G_CONNECT_SWAPPED);
  update_sidebar (self);
}

static void
openiot_window_dispose (GObject *object)
{
  OpenIotWindow *self = OPENIOT_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), OPENIOT_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->bench_show, g_free);
  g_clear_handle_id (&self->bench_write_poll, g_source_remove);

  G_OBJECT_CLASS (openiot_window_parent_class)->dispose (object);
}

static void
openiot_window_class_init (OpenIotWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = openiot_window_dispose;
  window_class->close_request = openiot_window_close_request;

  g_type_ensure (OPENIOT_TYPE_HUB_PAGE);
  g_type_ensure (OPENIOT_TYPE_THING_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openiot/Client/ui/openiot-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, hubs_stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, pair_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, hubs_list);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, no_selection_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, content_leaflet);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, hub_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotWindow, thing_page);
  gtk_widget_class_bind_template_callback (widget_class, on_hub_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_service_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_content_child_changed);

  gtk_widget_class_install_action (widget_class, "win.pair-hub", NULL, pair_hub_action);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, go_back_action);
  gtk_widget_class_install_action (widget_class, "win.review-certificate", NULL,
                                   review_certificate_action);
  gtk_widget_class_install_action (widget_class, "win.remove-hub", NULL, remove_hub_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.pair-hub",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh",
                                       NULL);
}

static void
openiot_window_init (OpenIotWindow *self)
{
  int width, height;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("org.openiot.Client");
  g_settings_get (self->settings, "window-size", "(ii)", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (on_folded), self,
                           G_CONNECT_SWAPPED);
  on_folded (self);

  if (g_str_has_suffix (APP_ID, ".Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

OpenIotWindow *
openiot_window_new (OpenIotApplication *application)
{
  OpenIotWindow *self = g_object_new (OPENIOT_TYPE_WINDOW, "application", application, NULL);

  follow_application (self);
  return self;
}
