// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-action-row.h"
#include "openiot-application.h"
#include "openiot-age-text.h"
#include "openiot-error-text.h"
#include "openiot-event-row.h"
#include "openiot-history-graph.h"
#include "openiot-toast.h"
#include "openiot-value-editor.h"

#include "openiot-banner.h"
#include "openiot-thing-page.h"

/*
 * OpenIotThingPage:
 *
 * A Thing of a hub, drawn from its Thing Description: properties as rows
 * fit for their schema, the recent values of numeric observable ones as
 * graphs, actions as small forms, events as a live log.
 *
 * It shows the cached description and last known values at once (marked
 * with their age), then asks the hub; values stay live over SSE (or by
 * polling); an offline hub leaves the last values on screen, marked
 * stale, and the page comes back to life by itself when the hub answers
 * again. A certificate change blocks the page until the user decides.
 */
struct _OpenIotThingPage
{
  GtkBox                parent_instance;

  AdwWindowTitle       *window_title;
  OpenIotBanner        *banner;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *error_page;
  AdwStatusPage        *blocked_page;
  GtkButton            *blocked_button;
  AdwPreferencesPage   *preferences;

  OpenIotThingSession  *session;       /* the Thing's live state (libopeniot) */
  OpenIotHub           *hub;
  GBytes               *shown_td;
  OpenIotThing         *shown_thing;
  GPtrArray            *groups;         /* AdwPreferencesGroup */
  GHashTable           *editors;        /* property name → OpenIotValueEditor */
  GPtrArray            *action_rows;
  GHashTable           *event_rows;     /* event name → OpenIotEventRow */
  OpenIotActivityLog   *activity;       /* the hub's, kept by the app's notifier */
  GHashTable           *graphs;         /* property name → OpenIotHistoryGraph */
  GCancellable         *cancellable;    /* writes */
  gboolean              live;
  guint                 age_timer;
  gulong                status_handler;
  gboolean              defer_rest;     /* while the cached state is shown */
  gboolean              rest_pending;   /* history, actions, events */
  GdkFrameClock        *start_clock;    /* the session starts after its frame */
  gulong                start_handler;
  gint64                start_frame;
  guint                 start_timeout;
};

G_DEFINE_FINAL_TYPE (OpenIotThingPage, openiot_thing_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A hub that must not be used hides the values altogether: they could
 * come from an impostor's session, and a user deciding about a
 * certificate should see that decision, not data. */
static void
show_blocked (OpenIotThingPage *self,
              const char       *title,
              const char       *description,
              const char       *button,
              const char       *action,
              gboolean          alarming)
{
  /* An unverified certificate may be an attack: it reads as a warning,
   * and nothing suggests trusting it. A signed renewal is a calm notice. */
  adw_status_page_set_icon_name (self->blocked_page,
                                 alarming ? "dialog-warning-symbolic" : "channel-secure-symbolic");
  if (alarming)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->blocked_page), "alarming");
      gtk_widget_remove_css_class (GTK_WIDGET (self->blocked_button), "suggested-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->blocked_page), "alarming");
      gtk_widget_add_css_class (GTK_WIDGET (self->blocked_button), "suggested-action");
    }
  adw_status_page_set_title (self->blocked_page, title);
  adw_status_page_set_description (self->blocked_page, description);
  gtk_button_set_label (self->blocked_button, button);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->blocked_button), action);
  openiot_banner_hide (self->banner);
  gtk_stack_set_visible_child_name (self->stack, "blocked");
}

/* Writes and actions that could only fail are insensitive while the
 * hub cannot be reached; the banner says why, once. */
static void
update_controls (OpenIotThingPage *self,
                 OpenIotHubStatus  status)
{
  gboolean usable = status != OPENIOT_HUB_STATUS_OFFLINE &&
                    status != OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED &&
                    status != OPENIOT_HUB_STATUS_NOT_REGISTERED;
  GHashTableIter iter;
  gpointer editor;

  g_hash_table_iter_init (&iter, self->editors);
  while (g_hash_table_iter_next (&iter, NULL, &editor))
    if (g_object_get_data (editor, "openiot-writable") != NULL)
      openiot_value_editor_set_reachable (editor, usable);
  for (guint i = 0; i < self->action_rows->len; i++)
    {
      GtkWidget *row = self->action_rows->pdata[i];

      gtk_widget_set_sensitive (row, usable &&
                                g_object_get_data (G_OBJECT (row), "openiot-usable") != NULL);
    }
}

/* The subtitle says how fresh the values are; the banner why when stale. */
static void
update_state (OpenIotThingPage *self)
{
  OpenIotHubStatus status =
      self->hub ? openiot_hub_get_status (self->hub) : OPENIOT_HUB_STATUS_UNKNOWN;
  GDateTime *updated = self->session ? openiot_thing_session_get_updated (self->session) : NULL;
  g_autofree char *age = openiot_age_text (updated);
  g_autofree char *stale = NULL;

  update_controls (self, status);

  if (status == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED)
    {
      adw_window_title_set_subtitle (self->window_title, _("Blocked"));
      if (openiot_hub_get_rotation_verified (self->hub))
        show_blocked (self, _("The Hub Renewed Its Certificate"),
                      _("The hub signed its new certificate with the one you trust. Nothing is "
                        "sent to it, and its last known values are hidden, until you review the "
                        "new certificate."),
                      _("_Review Certificate…"), "win.review-certificate", FALSE);
      else
        show_blocked (self, _("Unverified Certificate — Maybe an Attack"),
                      _("Something that is not proven to be your hub answered at its address. "
                        "Nothing is sent to it. If you did not reset the hub yourself, do not "
                        "trust it: this page unblocks by itself when your hub is back."),
                      _("_Review Certificate…"), "win.review-certificate", TRUE);
      return;
    }
  if (status == OPENIOT_HUB_STATUS_NOT_REGISTERED)
    {
      adw_window_title_set_subtitle (self->window_title, _("Removed from the hub"));
      show_blocked (self, _("This Device Was Removed"),
                    _("The hub no longer accepts this device. Pair it again with a new code from "
                      "the hub to use it."),
                    _("_Pair Again…"), "win.pair-hub", FALSE);
      return;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "blocked") == 0)
    gtk_stack_set_visible_child_name (self->stack, self->shown_td != NULL ? "content" : "loading");
  if (self->live)
    {
      adw_window_title_set_subtitle (self->window_title, _("Live"));
      openiot_banner_hide (self->banner);
      return;
    }

  /* TRANSLATORS: the subtitle of a device whose values are not live; %s is
   * "just now", "5 minutes ago"… */
  stale = updated ? g_strdup_printf (_("Updated %s"), age) : g_strdup (_("Connecting…"));
  adw_window_title_set_subtitle (self->window_title, stale);
  if (status == OPENIOT_HUB_STATUS_OFFLINE)
    {
      g_autofree char *text = updated
        ? g_strdup_printf (_("The hub is not reachable. These values are from %s; they update "
                             "by themselves when it is back."), age)
        : g_strdup (_("The hub is not reachable. Check that it is on, and your network."));
      openiot_banner_show (self->banner, text, _("_Retry"), "thing.refresh", FALSE);
    }
}

static gboolean
on_age_timer (gpointer user_data)
{
  OpenIotThingPage *self = user_data;
  GHashTableIter iter;
  gpointer graph;

  update_state (self);
  /* The graphs' right edge is now, values or not */
  g_hash_table_iter_init (&iter, self->graphs);
  while (g_hash_table_iter_next (&iter, NULL, &graph))
    openiot_history_graph_update (graph);
  return G_SOURCE_CONTINUE;
}

static void
set_live (OpenIotThingPage *self,
          gboolean          live)
{
  if (self->live != live)
    {
      self->live = live;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
    }
  update_state (self);
}

/* "Unlock" is insensitive while the lock says it is unlocked. */
static void
update_action_states (OpenIotThingPage *self)
{
  if (self->shown_thing == NULL)
    return;
  for (guint i = 0; i < self->action_rows->len; i++)
    {
      OpenIotActionRow *row = self->action_rows->pdata[i];
      const char *name = openiot_action_row_get_name (row);
      JsonObject *values = openiot_thing_session_get_values (self->session);

      openiot_action_row_set_redundant (row, openiot_thing_action_is_redundant (self->shown_thing,
                                                                                name, values));
    }
}

/* A value to show; a write on its way wins over what the device says
 * meanwhile. */
static void
show_value (OpenIotThingPage *self,
            const char       *name,
            JsonNode         *value)
{
  OpenIotValueEditor *editor = g_hash_table_lookup (self->editors, name);
  OpenIotHistoryGraph *graph = g_hash_table_lookup (self->graphs, name);

  if (editor != NULL && !openiot_value_editor_get_busy (editor))
    openiot_value_editor_set_value (editor, value);
  if (graph != NULL)
    openiot_history_graph_update (graph);
  update_action_states (self);
}

typedef struct
{
  OpenIotThingPage   *page;
  OpenIotValueEditor *editor;
} Write;

static void
write_free (Write *write)
{
  g_object_unref (write->page);
  g_object_unref (write->editor);
  g_free (write);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Write *write = user_data;
  OpenIotThingPage *self = write->page;
  OpenIotThingSession *session = OPENIOT_THING_SESSION (source);
  g_autoptr(GError) error = NULL;

  openiot_value_editor_set_busy (write->editor, FALSE);
  if (!openiot_thing_session_write_property_finish (session, result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *reason = openiot_error_text (error);
      /* TRANSLATORS: %s is a property's title ("Target temperature"), then why it failed */
      g_autofree char *message = g_strdup_printf (_("Could not set %s: %s"),
                                                  openiot_value_editor_get_title (write->editor),
                                                  reason);
      const char *name = g_object_get_data (G_OBJECT (write->editor), "openiot-property");
      JsonObject *values = openiot_thing_session_get_values (session);

      /* Roll back to what the device last said. */
      openiot_value_editor_set_value (write->editor, json_object_get_member (values, name));
      openiot_toast_show (GTK_WIDGET (self), message);
      update_state (self);
    }
  write_free (write);
}

static void
on_editor_changed (OpenIotValueEditor *editor,
                   JsonNode           *value,
                   OpenIotThingPage   *self)
{
  const char *property;
  Write *write;

  if (self->session == NULL)
    return;

  write = g_new0 (Write, 1);
  write->page = g_object_ref (self);
  write->editor = g_object_ref (editor);
  openiot_value_editor_set_busy (editor, TRUE);
  property = g_object_get_data (G_OBJECT (editor), "openiot-property");
  openiot_thing_session_write_property_async (self->session, property, value, self->cancellable,
                                              on_written, write);
}

static void
clear_rows (OpenIotThingPage *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    adw_preferences_page_remove (self->preferences, self->groups->pdata[i]);
  g_ptr_array_set_size (self->groups, 0);
  g_hash_table_remove_all (self->editors);
  g_hash_table_remove_all (self->event_rows);
  g_hash_table_remove_all (self->graphs);
  g_ptr_array_set_size (self->action_rows, 0);
  self->rest_pending = FALSE;
  g_clear_pointer (&self->shown_td, g_bytes_unref);
  g_clear_object (&self->shown_thing);
}

static AdwPreferencesGroup *
add_group (OpenIotThingPage *self,
           const char       *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_page_add (self->preferences, ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->groups, group);
  return ADW_PREFERENCES_GROUP (group);
}

static OpenIotNotifier *
get_notifier (OpenIotThingPage *self)
{
  OpenIotApplication *application = openiot_application_from_widget (GTK_WIDGET (self));

  return application != NULL ? openiot_application_get_notifier (application) : NULL;
}

static void
on_notify_switch (GtkSwitch        *toggle,
                  GParamSpec       *pspec,
                  OpenIotThingPage *self)
{
  OpenIotNotifier *notifier = get_notifier (self);
  OpenIotInteraction *event = g_object_get_data (G_OBJECT (toggle), "openiot-event");

  if (notifier != NULL && self->hub != NULL)
    openiot_notifier_set_wanted (notifier, self->hub,
                                 openiot_thing_session_get_service_id (self->session), event,
                                 gtk_switch_get_active (toggle));
}

/* The event's switch says, and sets, whether a notification comes */
static void
follow_notify_switch (OpenIotThingPage   *self,
                      OpenIotEventRow    *row,
                      OpenIotInteraction *event)
{
  OpenIotNotifier *notifier = get_notifier (self);
  GtkSwitch *toggle = openiot_event_row_get_notify_switch (row);
  const char *service_id;

  if (notifier == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (toggle), FALSE);
      return;
    }
  g_object_set_data_full (G_OBJECT (toggle), "openiot-event", g_object_ref (event), g_object_unref);
  service_id = openiot_thing_session_get_service_id (self->session);
  gtk_switch_set_active (toggle,
                         openiot_notifier_get_wanted (notifier, self->hub, service_id, event));
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (on_notify_switch), self, 0);
}

/* The first @count entries of the hub's activity (the newest) that are
 * this Thing's events, into their rows, oldest first */
static void
show_logged_events (OpenIotThingPage *self,
                    guint             count)
{
  const char *service_id =
      self->session ? openiot_thing_session_get_service_id (self->session) : NULL;

  for (guint i = count; i > 0; i--)
    {
      g_autoptr(OpenIotActivityEntry) entry =
          g_list_model_get_item (G_LIST_MODEL (self->activity), i - 1);
      GtkWidget *row;

      if (g_strcmp0 (openiot_activity_entry_get_service_id (entry), service_id) == 0 &&
          (row = g_hash_table_lookup (self->event_rows, openiot_activity_entry_get_event (entry))))
        openiot_event_row_add_entry (OPENIOT_EVENT_ROW (row), entry);
    }
}

static void
on_activity (GListModel       *activity,
             guint             position,
             guint             removed,
             guint             added,
             OpenIotThingPage *self)
{
  /* New entries come first; the oldest falling off is no news */
  if (position == 0)
    show_logged_events (self, added);
}

static void
build_properties (OpenIotThingPage *self,
                  OpenIotThing     *thing)
{
  GListModel *properties = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_PROPERTY);
  AdwPreferencesGroup *group;

  if (g_list_model_get_n_items (properties) == 0)
    return;
  group = add_group (self, _("Properties"));
  for (guint i = 0; i < g_list_model_get_n_items (properties); i++)
    {
      g_autoptr(OpenIotInteraction) property = g_list_model_get_item (properties, i);
      g_autofree char *subtitle = NULL;
      g_autoptr(GError) unusable = NULL;
      gboolean usable = openiot_interaction_get_readable (property) ||
                        openiot_interaction_get_writable (property);
      OpenIotValueEditor *editor;

      /* Why not, in the library's words: off the hub, or only as CBOR */
      if (!usable &&
          !openiot_interaction_check_operation (property, OPENIOT_OPERATION_READ_PROPERTY,
                                                &unusable))
        subtitle = g_strdup (unusable->message);
      editor = openiot_value_editor_new (openiot_interaction_get_schema (property),
                                         openiot_interaction_get_title (property), subtitle,
                                         openiot_interaction_get_writable (property));
      g_object_set_data_full (G_OBJECT (editor), "openiot-property",
                              g_strdup (openiot_interaction_get_name (property)), g_free);
      g_signal_connect_object (editor, "changed", G_CALLBACK (on_editor_changed), self, 0);
      gtk_widget_set_sensitive (openiot_value_editor_get_row (editor), usable);
      if (openiot_interaction_get_writable (property))
        g_object_set_data (G_OBJECT (editor), "openiot-writable", GINT_TO_POINTER (TRUE));
      adw_preferences_group_add (group, openiot_value_editor_get_row (editor));
      g_hash_table_insert (self->editors, g_strdup (openiot_interaction_get_name (property)),
                           editor);
    }
}

/* A graph for each number that the session follows (and so keeps in its
 * history), in a group of its own: under the properties' rows, a graph
 * would push the next property off a phone's screen. */
static void
build_history (OpenIotThingPage *self,
               OpenIotThing     *thing)
{
  GListModel *properties = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_PROPERTY);
  AdwPreferencesGroup *group = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (properties); i++)
    {
      g_autoptr(OpenIotInteraction) property = g_list_model_get_item (properties, i);
      OpenIotDataType type =
          openiot_data_schema_get_data_type (openiot_interaction_get_schema (property));
      GtkWidget *graph, *row;

      if (!openiot_interaction_get_observable (property) ||
          (type != OPENIOT_DATA_TYPE_NUMBER && type != OPENIOT_DATA_TYPE_INTEGER))
        continue;
      if (group == NULL)
        group = add_group (self, _("History"));
      graph = openiot_history_graph_new (openiot_thing_session_get_history (self->session),
                                         openiot_thing_session_get_service_id (self->session),
                                         property);
      row = g_object_new (ADW_TYPE_PREFERENCES_ROW, "activatable", FALSE, "child", graph,
                          "title", openiot_interaction_get_title (property), NULL);
      adw_preferences_group_add (group, row);
      g_hash_table_insert (self->graphs, g_strdup (openiot_interaction_get_name (property)), graph);
    }
}

static void
build_actions_and_events (OpenIotThingPage *self,
                          OpenIotThing     *thing)
{
  GListModel *actions = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_ACTION);
  GListModel *events = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_EVENT);
  AdwPreferencesGroup *group;
  guint logged;

  if (g_list_model_get_n_items (actions) > 0)
    {
      group = add_group (self, _("Actions"));
      for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
        {
          g_autoptr(OpenIotInteraction) action = g_list_model_get_item (actions, i);
          GtkWidget *row = openiot_action_row_new (action);
          g_autoptr(GError) unusable = NULL;

          if (openiot_interaction_check_operation (action, OPENIOT_OPERATION_INVOKE_ACTION,
                                                   &unusable))
            g_object_set_data (G_OBJECT (row), "openiot-usable", GINT_TO_POINTER (TRUE));
          else
            adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), unusable->message);
          gtk_widget_set_sensitive (row, unusable == NULL);
          adw_preferences_group_add (group, row);
          g_ptr_array_add (self->action_rows, row);
        }
    }

  if (g_list_model_get_n_items (events) > 0)
    {
      group = add_group (self, _("Events"));
      for (guint i = 0; i < g_list_model_get_n_items (events); i++)
        {
          g_autoptr(OpenIotInteraction) event = g_list_model_get_item (events, i);
          GtkWidget *row = openiot_event_row_new (event);

          adw_preferences_group_add (group, row);
          g_hash_table_insert (self->event_rows, g_strdup (openiot_interaction_get_name (event)),
                               row);
          follow_notify_switch (self, OPENIOT_EVENT_ROW (row), event);
        }
      logged = self->activity ? g_list_model_get_n_items (G_LIST_MODEL (self->activity)) : 0;
      show_logged_events (self, logged);
    }
}

static void on_session_consumed (OpenIotThingSession *session,
                                 GParamSpec          *pspec,
                                 OpenIotThingPage    *self);

/* What is under the properties: below the first screen but on a tall
 * window, and built after the first frame when the page opens */
static void
build_rest (OpenIotThingPage *self,
            OpenIotThing     *thing)
{
  self->rest_pending = FALSE;
  build_history (self, thing);
  build_actions_and_events (self, thing);
  on_session_consumed (self->session, NULL, self);
  update_action_states (self);
}

/* Builds the rows for a Thing Description, unless they show it already. */
static void
show_thing (OpenIotThingPage *self,
            OpenIotThing     *thing)
{
  GBytes *td = openiot_thing_get_bytes (thing);
  JsonObject *values = openiot_thing_session_get_values (self->session);
  g_autoptr(GList) names = NULL;

  adw_window_title_set_title (self->window_title, openiot_thing_get_title (thing));
  if (self->shown_td != NULL && g_bytes_equal (self->shown_td, td))
    return;

  clear_rows (self);
  self->shown_td = g_bytes_ref (td);
  g_set_object (&self->shown_thing, thing);
  if (openiot_thing_get_description (thing) != NULL)
    {
      /* A group's description is always markup (libadwaita 1.2). */
      g_autofree char *description = g_markup_escape_text (openiot_thing_get_description (thing),
                                                           -1);

      adw_preferences_group_set_description (add_group (self, NULL), description);
    }
  build_properties (self, thing);
  if (self->defer_rest)
    self->rest_pending = TRUE;
  else
    build_rest (self, thing);

  names = json_object_get_members (values);
  for (GList *l = names; l != NULL; l = l->next)
    show_value (self, l->data, json_object_get_member (values, l->data));
  gtk_spinner_stop (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "content");
  update_state (self);  /* a blocked hub keeps the values hidden */
}

static void
on_session_thing (OpenIotThingSession *session,
                  GParamSpec          *pspec,
                  OpenIotThingPage    *self)
{
  if (openiot_thing_session_get_thing (session) != NULL)
    show_thing (self, openiot_thing_session_get_thing (session));
}

static void
on_session_value (OpenIotThingSession *session,
                  const char          *name,
                  JsonNode            *value,
                  OpenIotThingPage    *self)
{
  show_value (self, name, value);
}

static void
on_session_live (OpenIotThingSession *session,
                 GParamSpec          *pspec,
                 OpenIotThingPage    *self)
{
  set_live (self, openiot_thing_session_get_live (session));
}

/* The actions run on the Thing the session uses, while there is one. */
static void
on_session_consumed (OpenIotThingSession *session,
                     GParamSpec          *pspec,
                     OpenIotThingPage    *self)
{
  for (guint i = 0; i < self->action_rows->len; i++)
    openiot_action_row_set_thing (self->action_rows->pdata[i],
                                  openiot_thing_session_get_consumed_thing (session));
}

static void
on_session_load_failed (OpenIotThingSession *session,
                        const GError        *error,
                        OpenIotThingPage    *self)
{
  /* A status page's description is markup; the message may be a service's. */
  g_autofree char *text = openiot_error_text (error);
  g_autofree char *message = g_markup_escape_text (text, -1);

  gtk_spinner_stop (self->loading_spinner);
  adw_status_page_set_title (self->error_page, _("Could Not Load This Device"));
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
on_refresh_clicked (OpenIotThingPage *self)
{
  if (self->session != NULL)
    openiot_thing_session_refresh (self->session);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  on_refresh_clicked (OPENIOT_THING_PAGE (widget));
}

static void
on_hub_status (OpenIotHub       *hub,
               GParamSpec       *pspec,
               OpenIotThingPage *self)
{
  update_state (self);
}

static void
cancel_session_start (OpenIotThingPage *self)
{
  /* A clock disposed with its window has let go of the handler already */
  if (self->start_clock != NULL &&
      g_signal_handler_is_connected (self->start_clock, self->start_handler))
    g_signal_handler_disconnect (self->start_clock, self->start_handler);
  self->start_handler = 0;
  g_clear_object (&self->start_clock);
  g_clear_handle_id (&self->start_timeout, g_source_remove);
}

static void
start_session (OpenIotThingPage *self)
{
  cancel_session_start (self);
  if (self->rest_pending)
    build_rest (self, self->shown_thing);
  if (self->session != NULL)
    openiot_thing_session_start (self->session);
}

static void
on_start_after_paint (GdkFrameClock    *clock,
                      OpenIotThingPage *self)
{
  /* not the frame that was ending as the page was shown */
  if (gdk_frame_clock_get_frame_counter (clock) > self->start_frame)
    start_session (self);
}

static gboolean
on_start_timeout (gpointer user_data)
{
  OpenIotThingPage *self = user_data;

  self->start_timeout = 0;
  start_session (self);
  return G_SOURCE_REMOVE;
}

/* The cached state is drawn before anything is sent: I/O sources run
 * before a frame (GDK_PRIORITY_REDRAW), so requests sent at once had
 * their TLS handshakes and replies handled first, and at a small RTT the
 * hub's values came before the cached ones could be drawn (bench/,
 * "values"). The session starts at the end of the next frame; at once
 * when the window is not on screen (no frame comes), and after 100 ms
 * if a frame does not come. */
static void
schedule_session_start (OpenIotThingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GdkFrameClock *clock = root != NULL && gtk_widget_get_mapped (GTK_WIDGET (root))
                         ? gtk_widget_get_frame_clock (GTK_WIDGET (root)) : NULL;

  if (clock == NULL)
    {
      start_session (self);
      return;
    }
  self->start_clock = g_object_ref (clock);
  self->start_frame = gdk_frame_clock_get_frame_counter (clock);
  self->start_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_start_after_paint),
                                          self);
  self->start_timeout = g_timeout_add (100, on_start_timeout, self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * openiot_thing_page_show:
 * @title: (nullable): the service's title, until its description is known
 *
 * Shows a service of a hub: its last known state at once (drawn in the
 * next frame), then live.
 */
void
openiot_thing_page_show (OpenIotThingPage *self,
                         OpenIotHub       *hub,
                         const char       *service_id,
                         const char       *title)
{
  OpenIotApplication *application = openiot_application_from_widget (GTK_WIDGET (self));

  openiot_thing_page_clear (self);
  self->hub = g_object_ref (hub);
  self->cancellable = g_cancellable_new ();
  self->status_handler = g_signal_connect (hub, "notify::status", G_CALLBACK (on_hub_status), self);
  adw_window_title_set_title (self->window_title, title ? title : service_id);

  /* The Thing's events, as the app's notifier logs them */
  if (application != NULL &&
      g_set_object (&self->activity, openiot_application_get_activity_log (application, hub)))
    g_signal_connect (self->activity, "items-changed", G_CALLBACK (on_activity), self);

  self->session = openiot_thing_session_new (hub, service_id);
  g_signal_connect (self->session, "notify::thing", G_CALLBACK (on_session_thing), self);
  g_signal_connect (self->session, "notify::live", G_CALLBACK (on_session_live), self);
  g_signal_connect (self->session, "notify::consumed-thing", G_CALLBACK (on_session_consumed),
                    self);
  g_signal_connect_swapped (self->session, "notify::updated", G_CALLBACK (update_state), self);
  g_signal_connect (self->session, "value-changed", G_CALLBACK (on_session_value), self);
  g_signal_connect (self->session, "load-failed", G_CALLBACK (on_session_load_failed), self);
  /* The cached state is shown in here, then drawn before anything is sent */
  self->defer_rest = TRUE;
  openiot_thing_session_load_cached (self->session);
  self->defer_rest = FALSE;

  if (openiot_thing_session_get_thing (self->session) == NULL)
    {
      gtk_spinner_start (self->loading_spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }
  update_state (self);
  /* "Updated 2 minutes ago" never lags more than 10 s */
  self->age_timer = g_timeout_add_seconds (10, on_age_timer, self);
  schedule_session_start (self);
}

/**
 * openiot_thing_page_clear:
 *
 * Stops everything: streams, requests, timers; the last values are cached.
 */
void
openiot_thing_page_clear (OpenIotThingPage *self)
{
  cancel_session_start (self);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      openiot_thing_session_stop (self->session);
      g_clear_object (&self->session);
    }
  if (self->activity != NULL)
    g_signal_handlers_disconnect_by_data (self->activity, self);
  g_clear_object (&self->activity);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->age_timer, g_source_remove);
  if (self->hub != NULL)
    g_clear_signal_handler (&self->status_handler, self->hub);
  g_clear_object (&self->hub);
  set_live (self, FALSE);
  clear_rows (self);
  openiot_banner_hide (self->banner);
}

/**
 * openiot_thing_page_get_state_text:
 *
 * Returns: what the subtitle says (for tests and accessibility)
 */
const char *
openiot_thing_page_get_state_text (OpenIotThingPage *self)
{
  return adw_window_title_get_subtitle (self->window_title);
}

/**
 * openiot_thing_page_get_live:
 *
 * Returns: whether the values on screen are live
 */
gboolean
openiot_thing_page_get_live (OpenIotThingPage *self)
{
  return self->live;
}

/**
 * openiot_thing_page_get_editor:
 *
 * Returns: (nullable) (transfer none): the OpenIotValueEditor of a property
 */
GObject *
openiot_thing_page_get_editor (OpenIotThingPage *self,
                               const char       *property)
{
  return g_hash_table_lookup (self->editors, property);
}

/**
 * openiot_thing_page_get_event:
 *
 * Returns: (nullable) (transfer none): the row of an event
 */
OpenIotEventRow *
openiot_thing_page_get_event (OpenIotThingPage *self,
                              const char       *event)
{
  return g_hash_table_lookup (self->event_rows, event);
}

/**
 * openiot_thing_page_get_history_graph:
 *
 * Returns: (nullable) (transfer none): the graph of a property's recent
 *   values
 */
OpenIotHistoryGraph *
openiot_thing_page_get_history_graph (OpenIotThingPage *self,
                                      const char       *property)
{
  return g_hash_table_lookup (self->graphs, property);
}

/**
 * openiot_thing_page_get_action:
 *
 * Returns: (nullable) (transfer none): the row of an action
 */
OpenIotActionRow *
openiot_thing_page_get_action (OpenIotThingPage *self,
                               const char       *action)
{
  for (guint i = 0; i < self->action_rows->len; i++)
    if (g_strcmp0 (openiot_action_row_get_name (self->action_rows->pdata[i]), action) == 0)
      return self->action_rows->pdata[i];
  return NULL;
}

static void
openiot_thing_page_dispose (GObject *object)
{
  OpenIotThingPage *self = OPENIOT_THING_PAGE (object);

  if (self->groups != NULL)
    openiot_thing_page_clear (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), OPENIOT_TYPE_THING_PAGE);

  G_OBJECT_CLASS (openiot_thing_page_parent_class)->dispose (object);
}

static void
openiot_thing_page_finalize (GObject *object)
{
  OpenIotThingPage *self = OPENIOT_THING_PAGE (object);

  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->editors, g_hash_table_unref);
  g_clear_pointer (&self->action_rows, g_ptr_array_unref);
  g_clear_pointer (&self->event_rows, g_hash_table_unref);
  g_clear_pointer (&self->graphs, g_hash_table_unref);

  G_OBJECT_CLASS (openiot_thing_page_parent_class)->finalize (object);
}

static void
openiot_thing_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OpenIotThingPage *self = OPENIOT_THING_PAGE (object);

  switch (prop_id)
    {
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_thing_page_class_init (OpenIotThingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = openiot_thing_page_dispose;
  object_class->finalize = openiot_thing_page_finalize;
  object_class->get_property = openiot_thing_page_get_property;

  /* Whether the values on screen came from the hub just now and stay
   * live (tests and the start-up benchmark wait for it). */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (OPENIOT_TYPE_BANNER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openiot/Client/ui/openiot-thing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, banner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, blocked_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, blocked_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotThingPage, preferences);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
  gtk_widget_class_install_action (widget_class, "thing.refresh", NULL, refresh_action);
}

static void
openiot_thing_page_init (OpenIotThingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->groups = g_ptr_array_new ();
  self->editors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->action_rows = g_ptr_array_new ();
  self->event_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->graphs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
