// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "openiot-notifier.h"

/*
 * OpenIotNotifier:
 *
 * Follows the events of every paired hub for as long as the app runs (an
 * OpenIotEventWatch each, which keeps the hub's activity log) and tells
 * people of the ones they want to hear of with a desktop notification:
 * alarms by default (openiot_interaction_get_is_alarm(), a jammed lock, an
 * overload), any other event they switch on, none they switch off
 * (docs/notifications.md). Clicking one opens the Thing (app.show-thing).
 */
struct _OpenIotNotifier
{
  GObject       parent_instance;

  GApplication *application;   /* unowned: it owns this */
  GListModel   *hubs;
  GHashTable   *watches;       /* OpenIotHub → OpenIotEventWatch */
  GSettings    *settings;
  guint         start_delay;
};

/* The event streams wait this long after the app starts: a connection
 * each, they would otherwise compete with the first page's values for the
 * hub and the link (bench/RESULTS.md, issue 17). */
#define START_DELAY_SECONDS 2

G_DEFINE_FINAL_TYPE (OpenIotNotifier, openiot_notifier, G_TYPE_OBJECT)

/* "<hub id>/<service id>/<event>": what the settings list */
static char *
event_key (OpenIotHub         *hub,
           const char         *service_id,
           OpenIotInteraction *event)
{
  return g_strdup_printf ("%s/%s/%s", openiot_hub_record_get_id (openiot_hub_get_record (hub)),
                          service_id,
                          openiot_interaction_get_name (event));
}

static gboolean
settings_list_contains (GSettings  *settings,
                        const char *key,
                        const char *item)
{
  g_auto(GStrv) list = g_settings_get_strv (settings, key);

  return g_strv_contains ((const char * const *) list, item);
}

static void
settings_list_set (GSettings  *settings,
                   const char *key,
                   const char *item,
                   gboolean    present)
{
  g_auto(GStrv) list = g_settings_get_strv (settings, key);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; list[i] != NULL; i++)
    if (!g_str_equal (list[i], item))
      g_strv_builder_add (builder, list[i]);
  if (present)
    g_strv_builder_add (builder, item);
  result = g_strv_builder_end (builder);
  g_settings_set_strv (settings, key, (const char * const *) result);
}

/**
 * openiot_notifier_get_wanted:
 *
 * Returns: whether people are told when @event happens
 */
gboolean
openiot_notifier_get_wanted (OpenIotNotifier    *self,
                             OpenIotHub         *hub,
                             const char         *service_id,
                             OpenIotInteraction *event)
{
  g_autofree char *key = event_key (hub, service_id, event);

  if (settings_list_contains (self->settings, "notify-events", key))
    return TRUE;
  if (settings_list_contains (self->settings, "quiet-events", key))
    return FALSE;
  return openiot_interaction_get_is_alarm (event);
}

void
openiot_notifier_set_wanted (OpenIotNotifier    *self,
                             OpenIotHub         *hub,
                             const char         *service_id,
                             OpenIotInteraction *event,
                             gboolean            wanted)
{
  g_autofree char *key = event_key (hub, service_id, event);

  settings_list_set (self->settings, "notify-events", key, wanted);
  settings_list_set (self->settings, "quiet-events", key, !wanted);
}

static void
on_event (OpenIotEventWatch    *watch,
          OpenIotActivityEntry *entry,
          OpenIotInteraction   *event,
          OpenIotNotifier      *self)
{
  OpenIotHub *hub = openiot_event_watch_get_hub (watch);
  const char *hub_id = openiot_hub_record_get_id (openiot_hub_get_record (hub));
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self->application));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *hub_line = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (!openiot_notifier_get_wanted (self, hub, openiot_activity_entry_get_service_id (entry),
                                    event))
    return;
  /* Someone looking at the app sees it there */
  if (window != NULL && gtk_window_is_active (window))
    return;

  /* TRANSLATORS: a notification's title: a device, then what happened
   * ("Front door lock: Jammed") */
  title = g_strdup_printf (_("%s: %s"), openiot_activity_entry_get_service_title (entry),
                           openiot_activity_entry_get_event_title (entry));
  notification = g_notification_new (title);
  /* Which hub, by the name the user gave it here: two homes may each
   * have a front door */
  /* TRANSLATORS: the last line of a notification; %s is the hub's name or nickname */
  hub_line = g_strdup_printf (_("Hub “%s”"),
                              openiot_hub_record_get_display_name (openiot_hub_get_record (hub)));
  if (openiot_activity_entry_get_text (entry) != NULL)
    body = g_strdup_printf ("%s\n%s", openiot_activity_entry_get_text (entry), hub_line);
  g_notification_set_body (notification, body != NULL ? body : hub_line);
  if (openiot_interaction_get_is_alarm (event))
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-thing", "(ss)", hub_id,
                                                openiot_activity_entry_get_service_id (entry));
  /* One notification per event of a device: a new one replaces the last */
  id = g_strdup_printf ("event/%s/%s", openiot_activity_entry_get_service_id (entry),
                        openiot_activity_entry_get_event (entry));
  g_application_send_notification (self->application, id, notification);
}

/* One watch per paired hub, made and let go with the list */
static void
on_hubs_changed (GListModel      *hubs,
                 guint            position,
                 guint            removed,
                 guint            added,
                 OpenIotNotifier *self)
{
  g_autoptr(GHashTable) listed = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer hub;

  for (guint i = 0; i < g_list_model_get_n_items (hubs); i++)
    {
      g_autoptr(OpenIotHub) item = g_list_model_get_item (hubs, i);

      g_hash_table_add (listed, item);
      if (!g_hash_table_contains (self->watches, item))
        {
          OpenIotEventWatch *watch = openiot_event_watch_new (item);

          g_signal_connect (watch, "event", G_CALLBACK (on_event), self);
          g_hash_table_insert (self->watches, g_object_ref (item), watch);
          if (self->start_delay == 0)
            openiot_event_watch_start (watch);
        }
    }

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, &hub, NULL))
    if (!g_hash_table_contains (listed, hub))
      g_hash_table_iter_remove (&iter);
}

static gboolean
on_start_delay (gpointer user_data)
{
  OpenIotNotifier *self = user_data;
  GHashTableIter iter;
  gpointer watch;

  self->start_delay = 0;
  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, NULL, &watch))
    openiot_event_watch_start (watch);
  return G_SOURCE_REMOVE;
}

/**
 * openiot_notifier_get_log:
 *
 * Returns: (transfer none) (nullable): the activity log of a paired hub
 */
OpenIotActivityLog *
openiot_notifier_get_log (OpenIotNotifier *self,
                          OpenIotHub      *hub)
{
  OpenIotEventWatch *watch = g_hash_table_lookup (self->watches, hub);

  return watch != NULL ? openiot_event_watch_get_log (watch) : NULL;
}

static void
watch_free (OpenIotEventWatch *watch)
{
  g_signal_handlers_disconnect_matched (watch, G_SIGNAL_MATCH_FUNC, 0, 0, NULL, on_event, NULL);
  openiot_event_watch_stop (watch);
  g_object_unref (watch);
}

/**
 * openiot_notifier_new:
 * @application: the app, which sends the notifications
 * @hubs: its paired hubs (OpenIotHub), followed as they change
 */
OpenIotNotifier *
openiot_notifier_new (GApplication *application,
                      GListModel   *hubs)
{
  OpenIotNotifier *self = g_object_new (OPENIOT_TYPE_NOTIFIER, NULL);

  self->application = application;
  self->hubs = g_object_ref (hubs);
  self->start_delay = g_timeout_add_seconds (START_DELAY_SECONDS, on_start_delay, self);
  g_signal_connect (hubs, "items-changed", G_CALLBACK (on_hubs_changed), self);
  on_hubs_changed (hubs, 0, 0, 0, self);
  return self;
}

static void
openiot_notifier_dispose (GObject *object)
{
  OpenIotNotifier *self = OPENIOT_NOTIFIER (object);

  g_clear_handle_id (&self->start_delay, g_source_remove);
  if (self->hubs != NULL)
    g_signal_handlers_disconnect_by_data (self->hubs, self);
  g_clear_object (&self->hubs);
  g_hash_table_remove_all (self->watches);

  G_OBJECT_CLASS (openiot_notifier_parent_class)->dispose (object);
}

static void
openiot_notifier_finalize (GObject *object)
{
  OpenIotNotifier *self = OPENIOT_NOTIFIER (object);

  g_hash_table_unref (self->watches);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (openiot_notifier_parent_class)->finalize (object);
}

static void
openiot_notifier_class_init (OpenIotNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_notifier_dispose;
  object_class->finalize = openiot_notifier_finalize;
}

static void
openiot_notifier_init (OpenIotNotifier *self)
{
  self->watches = g_hash_table_new_full (NULL, NULL, g_object_unref, (GDestroyNotify) watch_free);
  self->settings = g_settings_new (APP_ID);
}
