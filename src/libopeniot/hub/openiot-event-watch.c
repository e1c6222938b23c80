// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-event-watch"

#include "config.h"

#include "openiot-consumed-thing.h"
#include "openiot-json.h"
#include "openiot-observation.h"
#include "openiot-service-info.h"

#include "openiot-event-watch.h"

/**
 * OpenIotEventWatch:
 *
 * Follows every event of every service of a hub, for as long as it runs:
 * each goes to the hub's [class@OpenIot.ActivityLog] and is announced by
 * [signal@OpenIot.EventWatch::event] (an app raises notifications from
 * it). Services that come and go are followed and let go; a Thing's
 * description comes from the cache, else from the hub. A certificate
 * change or removal stops it until the hub may be used again.
 */
struct _OpenIotEventWatch
{
  GObject             parent_instance;

  OpenIotHub         *hub;
  OpenIotActivityLog *log;
  GHashTable         *services;   /* service id → ServiceWatch */
  GCancellable       *cancellable;
  gulong              services_handler;
  gulong              status_handler;
};

G_DEFINE_FINAL_TYPE (OpenIotEventWatch, openiot_event_watch, G_TYPE_OBJECT)

enum {
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  OpenIotEventWatch    *watch;     /* unowned */
  char                 *service_id;
  OpenIotConsumedThing *thing;
  GPtrArray            *observations;
} ServiceWatch;

static void
service_watch_free (ServiceWatch *service)
{
  for (guint i = 0; i < service->observations->len; i++)
    {
      g_signal_handlers_disconnect_by_data (service->observations->pdata[i], service);
      openiot_observation_stop (service->observations->pdata[i]);
    }
  g_ptr_array_unref (service->observations);
  g_clear_object (&service->thing);
  g_free (service->service_id);
  g_free (service);
}

static void
on_event (OpenIotObservation *observation,
          JsonNode           *data,
          ServiceWatch       *service)
{
  OpenIotEventWatch *self = service->watch;
  OpenIotThing *thing = openiot_consumed_thing_get_thing (service->thing);
  OpenIotInteraction *event = g_object_get_data (G_OBJECT (observation), "openiot-event");
  OpenIotDataSchema *schema = openiot_interaction_get_schema (event);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  g_autoptr(OpenIotActivityEntry) entry = NULL;

  if (!JSON_NODE_HOLDS_NULL (data))
    text = schema != NULL ? openiot_data_schema_format_value (schema, data)
                          : openiot_json_to_string (data);
  entry = openiot_activity_entry_new (now, service->service_id, openiot_thing_get_title (thing),
                                      openiot_interaction_get_name (event),
                                      openiot_interaction_get_title (event),
                                      text);
  openiot_activity_log_add (self->log, entry);
  g_signal_emit (self, signals[EVENT], 0, entry, event);
}

static void
follow (ServiceWatch         *service,
        OpenIotConsumedThing *thing)
{
  GListModel *events = openiot_thing_get_interactions (openiot_consumed_thing_get_thing (thing),
                                                       OPENIOT_INTERACTION_EVENT);

  g_set_object (&service->thing, thing);
  for (guint i = 0; i < g_list_model_get_n_items (events); i++)
    {
      g_autoptr(OpenIotInteraction) event = g_list_model_get_item (events, i);
      g_autoptr(OpenIotObservation) observation =
        openiot_consumed_thing_observe (thing, OPENIOT_INTERACTION_EVENT,
                                        openiot_interaction_get_name (event), NULL);

      if (observation == NULL)
        continue;  /* not reachable, or in a form this library cannot follow */
      g_object_set_data_full (G_OBJECT (observation), "openiot-event", g_object_ref (event),
                              g_object_unref);
      g_signal_connect (observation, "value", G_CALLBACK (on_event), service);
      openiot_observation_start (observation);
      g_ptr_array_add (service->observations, g_steal_pointer (&observation));
    }
}

typedef struct
{
  OpenIotEventWatch *watch;
  char              *service_id;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_object_unref (fetch->watch);
  g_free (fetch->service_id);
  g_free (fetch);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;
  OpenIotEventWatch *self = fetch->watch;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotConsumedThing) thing =
    openiot_hub_fetch_thing_finish (OPENIOT_HUB (source), result, &error);
  ServiceWatch *service = g_hash_table_lookup (self->services, fetch->service_id);

  if (thing == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No description of %s to follow its events: %s", fetch->service_id, error->message);
  /* Let go of meanwhile, or followed already */
  if (thing != NULL && service != NULL && service->thing == NULL)
    follow (service, thing);
  fetch_free (fetch);
}

static void
watch_service (OpenIotEventWatch *self,
               const char        *service_id)
{
  g_autoptr(OpenIotThing) cached = NULL;
  ServiceWatch *service = g_new0 (ServiceWatch, 1);
  Fetch *fetch;

  service->watch = self;
  service->service_id = g_strdup (service_id);
  service->observations = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_insert (self->services, service->service_id, service);

  if ((cached = openiot_hub_load_cached_thing (self->hub, service_id)))
    {
      g_autoptr(OpenIotConsumedThing) thing =
        openiot_consumed_thing_new (openiot_hub_get_connection (self->hub), cached);

      follow (service, thing);
      return;
    }
  fetch = g_new0 (Fetch, 1);
  fetch->watch = g_object_ref (self);
  fetch->service_id = g_strdup (service_id);
  openiot_hub_fetch_thing_async (self->hub, service_id, self->cancellable, on_fetched, fetch);
}

/* Follows the services the hub lists now, and lets go of the others */
static void
sync_services (OpenIotEventWatch *self)
{
  GListModel *services = openiot_hub_get_services (self->hub);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer id;

  for (guint i = 0; i < g_list_model_get_n_items (services); i++)
    {
      g_autoptr(OpenIotServiceInfo) info = g_list_model_get_item (services, i);
      const char *service_id = openiot_service_info_get_id (info);

      g_hash_table_add (listed, (gpointer) g_intern_string (service_id));
      if (!g_hash_table_contains (self->services, service_id))
        watch_service (self, service_id);
    }

  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (listed, g_intern_string (id)))
      g_hash_table_iter_remove (&iter);
}

static void
on_services_changed (GListModel        *services,
                     guint              position,
                     guint              removed,
                     guint              added,
                     OpenIotEventWatch *self)
{
  sync_services (self);
}

/* Nothing is followed while the hub must not be used; all of it again
 * once it may (a certificate accepted makes a new connection). */
static void
on_hub_status (OpenIotHub        *hub,
               GParamSpec        *pspec,
               OpenIotEventWatch *self)
{
  switch (openiot_hub_get_status (hub))
    {
    case OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED:
    case OPENIOT_HUB_STATUS_NOT_REGISTERED:
      g_hash_table_remove_all (self->services);
      break;
    case OPENIOT_HUB_STATUS_ONLINE:
      sync_services (self);
      break;
    default:
      break;
    }
}

/**
 * openiot_event_watch_start:
 *
 * Follows the events of the services the hub lists, now and as they
 * change ([method@OpenIot.Hub.refresh_async] lists them).
 */
void
openiot_event_watch_start (OpenIotEventWatch *self)
{
  g_return_if_fail (OPENIOT_IS_EVENT_WATCH (self));

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->services_handler = g_signal_connect (openiot_hub_get_services (self->hub), "items-changed",
                                             G_CALLBACK (on_services_changed), self);
  self->status_handler = g_signal_connect (self->hub, "notify::status", G_CALLBACK (on_hub_status),
                                           self);
  on_hub_status (self->hub, NULL, self);
}

/**
 * openiot_event_watch_stop:
 *
 * Lets go of every event stream.
 */
void
openiot_event_watch_stop (OpenIotEventWatch *self)
{
  g_return_if_fail (OPENIOT_IS_EVENT_WATCH (self));

  if (self->cancellable == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_signal_handler (&self->services_handler, openiot_hub_get_services (self->hub));
  g_clear_signal_handler (&self->status_handler, self->hub);
  g_hash_table_remove_all (self->services);
}

/**
 * openiot_event_watch_get_hub:
 *
 * Returns: (transfer none): the hub watched
 */
OpenIotHub *
openiot_event_watch_get_hub (OpenIotEventWatch *self)
{
  g_return_val_if_fail (OPENIOT_IS_EVENT_WATCH (self), NULL);
  return self->hub;
}

/**
 * openiot_event_watch_get_log:
 *
 * Returns: (transfer none): the hub's activity log
 */
OpenIotActivityLog *
openiot_event_watch_get_log (OpenIotEventWatch *self)
{
  g_return_val_if_fail (OPENIOT_IS_EVENT_WATCH (self), NULL);
  return self->log;
}

/**
 * openiot_event_watch_new:
 * @hub: a paired hub
 *
 * Returns: (transfer full): the watch, with the hub's activity log loaded
 *   from its cache; call [method@OpenIot.EventWatch.start]
 */
OpenIotEventWatch *
openiot_event_watch_new (OpenIotHub *hub)
{
  OpenIotEventWatch *self;

  g_return_val_if_fail (OPENIOT_IS_HUB (hub), NULL);

  self = g_object_new (OPENIOT_TYPE_EVENT_WATCH, NULL);
  self->hub = g_object_ref (hub);
  self->log = openiot_activity_log_new (openiot_hub_get_cache (hub),
                                        openiot_hub_record_get_id (openiot_hub_get_record (hub)));
  return self;
}

static void
openiot_event_watch_dispose (GObject *object)
{
  OpenIotEventWatch *self = OPENIOT_EVENT_WATCH (object);

  if (self->hub != NULL)
    openiot_event_watch_stop (self);

  G_OBJECT_CLASS (openiot_event_watch_parent_class)->dispose (object);
}

static void
openiot_event_watch_finalize (GObject *object)
{
  OpenIotEventWatch *self = OPENIOT_EVENT_WATCH (object);

  g_clear_object (&self->hub);
  g_clear_object (&self->log);
  g_hash_table_unref (self->services);

  G_OBJECT_CLASS (openiot_event_watch_parent_class)->finalize (object);
}

static void
openiot_event_watch_class_init (OpenIotEventWatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_event_watch_dispose;
  object_class->finalize = openiot_event_watch_finalize;

  /**
   * OpenIotEventWatch::event:
   * @self: the watch
   * @entry: what happened, as the activity log keeps it
   * @event: the event of the service's Thing Description
   *
   * An event happened; it is in the log already.
   */
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, OPENIOT_TYPE_ACTIVITY_ENTRY, OPENIOT_TYPE_INTERACTION);
}

static void
openiot_event_watch_init (OpenIotEventWatch *self)
{
  self->services = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) service_watch_free);
}
