// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-thing-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-observation.h"
#include "openiot-thing-cache.h"
#include "openiot-thing-summary.h"
#include "openiot-value-history.h"

#include "openiot-thing-session.h"

/**
 * OpenIotThingSession:
 *
 * The live state of one Thing on a paired hub, for a view to draw: its
 * description and last values from the cache at once, then the values
 * read from the hub (on the cached description, the description itself
 * checked meanwhile: one round trip less), kept live by observing every
 * observable property, and cached again when it stops. Its events are an
 * [class@OpenIot.EventWatch]'s to follow, which logs them for the whole
 * hub. The numbers of observable properties that come live (read or
 * observed) go to its [class@OpenIot.ValueHistory], kept when it stops.
 *
 * It follows the hub's status: a certificate change or a removal stops
 * everything until the user decides; a hub back online, or a certificate
 * accepted, brings it back by itself. Errors go to
 * [method@OpenIot.Hub.report_error]; [signal@OpenIot.ThingSession::load-failed]
 * says when there is no description to show at all.
 *
 * A session made with [ctor@OpenIot.ThingSession.new_primary] is the
 * overview's: it reads and follows only the Thing's main value
 * ([method@OpenIot.Thing.get_primary_property]), one request and one
 * stream a Thing, and trusts the cached description (the Thing page's
 * session checks it). It keeps no history, and caches its one value
 * into the values the Thing page's session may be caching meanwhile,
 * at least once a minute while it comes live: the cache's time is when
 * a service that goes down was last seen.
 */
struct _OpenIotThingSession
{
  GObject               parent_instance;

  OpenIotHub           *hub;
  char                 *service_id;
  OpenIotThing         *thing;
  OpenIotConsumedThing *consumed;
  GPtrArray            *observations;
  JsonObject           *values;
  GDateTime            *updated;
  OpenIotValueHistory  *history;
  GCancellable         *cancellable;
  gulong                status_handler;
  gboolean              live;
  gboolean              fetching;
  gboolean              reading;
  gboolean              started_from_cache;
  gboolean              loaded;        /* the cache's description and values */
  gboolean              primary_only;
  gint64                saved;         /* monotonic, µs */
};

G_DEFINE_FINAL_TYPE (OpenIotThingSession, openiot_thing_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_THING,
  PROP_CONSUMED_THING,
  PROP_LIVE,
  PROP_UPDATED,
  N_PROPS
};

enum {
  VALUE_CHANGED,
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void read_values (OpenIotThingSession *self);

/* The cache's time is the "last seen" of a service that goes down: kept
 * within a minute of the last value, without a write for every one. */
#define SAVE_INTERVAL (60 * G_USEC_PER_SEC)

/* The one property a primary-only session reads and follows */
static OpenIotInteraction *
get_primary (OpenIotThingSession *self)
{
  return self->thing ? openiot_thing_get_primary_property (self->thing) : NULL;
}

static void
set_live (OpenIotThingSession *self,
          gboolean             live)
{
  if (self->live == live)
    return;
  self->live = live;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

static void
touch (OpenIotThingSession *self)
{
  g_clear_pointer (&self->updated, g_date_time_unref);
  self->updated = g_date_time_new_now_utc ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UPDATED]);
}

static void
store_value (OpenIotThingSession *self,
             const char          *name,
             JsonNode            *value)
{
  json_object_set_member (self->values, name, json_node_copy (value));
  g_signal_emit (self, signals[VALUE_CHANGED], 0, name, value);
}

/* A value from the hub just now: a number of an observable property
 * goes to the history too. */
static void
store_live_value (OpenIotThingSession *self,
                  const char          *name,
                  JsonNode            *value,
                  GDateTime           *now)
{
  OpenIotInteraction *property = openiot_thing_lookup (self->thing, OPENIOT_INTERACTION_PROPERTY,
                                                       name);
  GType type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;

  if (property != NULL && !self->primary_only && openiot_interaction_get_observable (property) &&
      (type == G_TYPE_DOUBLE || type == G_TYPE_INT64))
    openiot_value_history_add (self->history, self->service_id, name, now,
                               json_node_get_double (value));
  store_value (self, name, value);
}

static void
store_values (OpenIotThingSession *self,
              JsonObject          *values)
{
  g_autoptr(GList) names = json_object_get_members (values);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (GList *l = names; l != NULL; l = l->next)
    store_live_value (self, l->data, json_object_get_member (values, l->data), now);
}

/* Only the main value, into what the cache holds now: the Thing page's
 * session may have cached newer values of the others. */
static void
save_primary_value (OpenIotThingSession *self)
{
  OpenIotThingCache *cache = openiot_hub_get_cache (self->hub);
  const char *hub_id = openiot_hub_record_get_id (openiot_hub_get_record (self->hub));
  OpenIotInteraction *primary = get_primary (self);
  const char *name = primary ? openiot_interaction_get_name (primary) : NULL;
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(GError) error = NULL;

  if (name == NULL || !json_object_has_member (self->values, name))
    return;
  self->saved = g_get_monotonic_time ();
  if ((values = openiot_thing_cache_load_values (cache, hub_id, self->service_id, NULL)) == NULL)
    values = json_object_new ();
  json_object_set_member (values, name, json_object_dup_member (self->values, name));
  if (!openiot_thing_cache_save_values (cache, hub_id, self->service_id, values, &error))
    g_debug ("Value not cached: %s", error->message);
}

static void
save_values (OpenIotThingSession *self)
{
  const char *hub_id = openiot_hub_record_get_id (openiot_hub_get_record (self->hub));
  g_autoptr(GError) error = NULL;

  if (self->primary_only)
    {
      save_primary_value (self);
      return;
    }
  if (!openiot_value_history_save (self->history, &error))
    g_debug ("History not kept: %s", error->message);
  g_clear_error (&error);
  if (json_object_get_size (self->values) == 0)
    return;
  if (!openiot_thing_cache_save_values (openiot_hub_get_cache (self->hub), hub_id,
                                        self->service_id, self->values, &error))
    g_debug ("Values not cached: %s", error->message);
}

/* A primary-only session's value, kept within SAVE_INTERVAL of the last
 * one without a write for each */
static void
save_if_due (OpenIotThingSession *self)
{
  if (g_get_monotonic_time () - self->saved >= SAVE_INTERVAL)
    save_values (self);
}

static void
report (OpenIotThingSession *self,
        const GError        *error)
{
  openiot_hub_report_error (self->hub, error);
}

static void
stop_observations (OpenIotThingSession *self)
{
  for (guint i = 0; i < self->observations->len; i++)
    {
      g_signal_handlers_disconnect_by_data (self->observations->pdata[i], self);
      openiot_observation_stop (self->observations->pdata[i]);
    }
  g_ptr_array_set_size (self->observations, 0);
}

static void
on_property_value (OpenIotObservation  *observation,
                   JsonNode            *value,
                   OpenIotThingSession *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  store_live_value (self, g_object_get_data (G_OBJECT (observation), "openiot-name"), value, now);
  touch (self);
  if (self->primary_only)
    save_if_due (self);
}

/* Live again after a break: what changed meanwhile is read at once. */
static void
on_observation_state (OpenIotObservation  *observation,
                      GParamSpec          *pspec,
                      OpenIotThingSession *self)
{
  OpenIotObservationState state = openiot_observation_get_state (observation);

  if (state == OPENIOT_OBSERVATION_LIVE || state == OPENIOT_OBSERVATION_POLLING)
    {
      /* One read for all observations that come back together. */
      if (!self->live && !self->reading)
        read_values (self);
    }
  else if (state == OPENIOT_OBSERVATION_RECONNECTING || state == OPENIOT_OBSERVATION_FAILED)
    {
      if (openiot_observation_get_error (observation) != NULL)
        report (self, openiot_observation_get_error (observation));
      set_live (self, FALSE);
    }
}

static void
observe (OpenIotThingSession *self,
         const char          *name)
{
  g_autoptr(OpenIotObservation) observation =
    openiot_consumed_thing_observe (self->consumed, OPENIOT_INTERACTION_PROPERTY, name, NULL);

  if (observation == NULL)
    return;
  g_object_set_data_full (G_OBJECT (observation), "openiot-name", g_strdup (name), g_free);
  g_signal_connect (observation, "value", G_CALLBACK (on_property_value), self);
  g_signal_connect (observation, "notify::state", G_CALLBACK (on_observation_state), self);
  openiot_observation_start (observation);
  g_ptr_array_add (self->observations, g_steal_pointer (&observation));
}

/* Every observable property, or the main value only */
static void
start_observations (OpenIotThingSession *self)
{
  GListModel *properties = openiot_thing_get_interactions (self->thing,
                                                           OPENIOT_INTERACTION_PROPERTY);

  stop_observations (self);
  if (self->primary_only)
    {
      OpenIotInteraction *primary = get_primary (self);

      if (primary != NULL && openiot_interaction_get_observable (primary))
        observe (self, openiot_interaction_get_name (primary));
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (properties); i++)
    {
      g_autoptr(OpenIotInteraction) property = g_list_model_get_item (properties, i);

      if (openiot_interaction_get_observable (property))
        observe (self, openiot_interaction_get_name (property));
    }
}

static void
on_all_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OpenIotThingSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) values =
    openiot_consumed_thing_read_all_properties_finish (OPENIOT_CONSUMED_THING (source),
                                                       result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* stopped */
  self->reading = FALSE;
  if (values == NULL)
    {
      report (self, error);
      set_live (self, FALSE);
      return;
    }

  store_values (self, values);
  touch (self);
  save_values (self);
  set_live (self, TRUE);
}

static void
on_primary_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(OpenIotThingSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value =
    openiot_consumed_thing_read_property_finish (OPENIOT_CONSUMED_THING (source), result, &error);
  OpenIotInteraction *primary;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* stopped */
  self->reading = FALSE;
  if (value == NULL)
    {
      report (self, error);
      set_live (self, FALSE);
      return;
    }
  if ((primary = get_primary (self)) == NULL)
    return;  /* another description meanwhile */
  store_value (self, openiot_interaction_get_name (primary), value);
  touch (self);
  /* As for the observed values: the cache is loaded and written on the
   * main thread, once per tile of the overview, so at most once a
   * minute; stopping saves the last one. */
  save_if_due (self);
  set_live (self, TRUE);
}

static void
read_values (OpenIotThingSession *self)
{
  if (self->primary_only)
    {
      OpenIotInteraction *primary = get_primary (self);

      if (primary == NULL || !openiot_interaction_get_readable (primary))
        return;
      self->reading = TRUE;
      openiot_consumed_thing_read_property_async (self->consumed,
                                                  openiot_interaction_get_name (primary),
                                                  self->cancellable, on_primary_read,
                                                  g_object_ref (self));
      return;
    }
  self->reading = TRUE;
  openiot_consumed_thing_read_all_properties_async (self->consumed, self->cancellable, on_all_read,
                                                    g_object_ref (self));
}

/* A description to use: shown (notify::thing, then its values), its
 * values read and followed. */
static void
use_thing (OpenIotThingSession  *self,
           OpenIotConsumedThing *consumed)
{
  OpenIotThing *thing = openiot_consumed_thing_get_thing (consumed);

  if (g_set_object (&self->consumed, consumed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSUMED_THING]);
  if (self->thing == NULL ||
      !g_bytes_equal (openiot_thing_get_bytes (self->thing), openiot_thing_get_bytes (thing)))
    {
      g_set_object (&self->thing, thing);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THING]);
    }
  read_values (self);
  start_observations (self);
}

static void
on_thing_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OpenIotThingSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotConsumedThing) consumed =
    openiot_hub_fetch_thing_finish (OPENIOT_HUB (source), result, &error);
  OpenIotThing *thing;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* stopped */
  self->fetching = FALSE;
  if (consumed == NULL)
    {
      report (self, error);
      if (self->thing == NULL)
        g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  thing = openiot_consumed_thing_get_thing (consumed);
  /* Started from the cache, the values are being read and streamed on the
   * cached description already: if it is still right, leave them be. */
  if (self->started_from_cache && self->consumed != NULL &&
      g_bytes_equal (openiot_thing_get_bytes (self->thing), openiot_thing_get_bytes (thing)))
    {
      self->started_from_cache = FALSE;
      return;
    }
  self->started_from_cache = FALSE;
  use_thing (self, consumed);
}

/**
 * openiot_thing_session_refresh:
 *
 * Asks the hub again: the description, then all values.
 */
void
openiot_thing_session_refresh (OpenIotThingSession *self)
{
  g_return_if_fail (OPENIOT_IS_THING_SESSION (self));

  if (self->cancellable == NULL)
    return;  /* not started */
  if (openiot_hub_get_status (self->hub) == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED)
    {
      stop_observations (self);
      return;
    }
  self->fetching = TRUE;
  openiot_hub_fetch_thing_async (self->hub, self->service_id, self->cancellable, on_thing_fetched,
                                 g_object_ref (self));
}

/* A certificate change or a removal stops everything at once; an
 * accepted certificate (a new connection) or a hub back online brings it
 * back. */
static void
on_hub_status (OpenIotHub          *hub,
               GParamSpec          *pspec,
               OpenIotThingSession *self)
{
  switch (openiot_hub_get_status (hub))
    {
    case OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED:
    case OPENIOT_HUB_STATUS_NOT_REGISTERED:
      stop_observations (self);
      if (self->consumed != NULL)
        {
          g_clear_object (&self->consumed);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONSUMED_THING]);
        }
      set_live (self, FALSE);
      break;
    case OPENIOT_HUB_STATUS_UNKNOWN:
    case OPENIOT_HUB_STATUS_ONLINE:
      /* Without a consumed Thing nothing observes the hub: after an
       * accepted certificate, ask again. */
      if (self->consumed == NULL && !self->fetching)
        openiot_thing_session_refresh (self);
      else if (self->consumed != NULL && !self->live &&
               openiot_hub_get_status (hub) == OPENIOT_HUB_STATUS_ONLINE)
        /* The hub is back: reconnect now, not when the streams' own
         * back-off next tries. */
        start_observations (self);
      break;
    default:
      break;
    }
}

/**
 * openiot_thing_session_load_cached:
 *
 * Loads the cached description and values, and sends nothing: all there
 * is to show of a service that is down. [method@OpenIot.ThingSession.start]
 * does it first.
 */
void
openiot_thing_session_load_cached (OpenIotThingSession *self)
{
  OpenIotThingCache *cache;
  const char *hub_id;
  g_autoptr(OpenIotThing) cached = NULL;
  g_autoptr(JsonObject) values = NULL;
  GDateTime *updated = NULL;

  g_return_if_fail (OPENIOT_IS_THING_SESSION (self));

  if (self->loaded)
    return;
  self->loaded = TRUE;
  cache = openiot_hub_get_cache (self->hub);
  hub_id = openiot_hub_record_get_id (openiot_hub_get_record (self->hub));
  if ((values = openiot_thing_cache_load_values (cache, hub_id, self->service_id, &updated)))
    {
      json_object_unref (self->values);
      self->values = g_steal_pointer (&values);
      g_clear_pointer (&self->updated, g_date_time_unref);
      self->updated = updated;
    }
  if ((cached = openiot_hub_load_cached_thing (self->hub, self->service_id)) && self->thing == NULL)
    {
      self->thing = g_steal_pointer (&cached);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THING]);
    }
}

/**
 * openiot_thing_session_start:
 *
 * Loads the cached description and values (at once, before anything is
 * sent), then reads the values, follows them and checks the description.
 */
void
openiot_thing_session_start (OpenIotThingSession *self)
{
  g_return_if_fail (OPENIOT_IS_THING_SESSION (self));

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->status_handler = g_signal_connect (self->hub, "notify::status", G_CALLBACK (on_hub_status),
                                           self);

  openiot_thing_session_load_cached (self);
  if (self->thing != NULL)
    {
      g_autoptr(OpenIotConsumedThing) consumed =
        openiot_consumed_thing_new (openiot_hub_get_connection (self->hub), self->thing);

      /* Values first, on the cached description, the description checked
       * meanwhile: one round trip less to live values (bench/RESULTS.md) */
      self->started_from_cache = TRUE;
      use_thing (self, consumed);
    }
  /* The overview's sessions trust the cache: as many requests as Things */
  if (!(self->primary_only && self->started_from_cache))
    openiot_thing_session_refresh (self);
}

/**
 * openiot_thing_session_stop:
 *
 * Stops everything (requests, streams) and caches the last values.
 */
void
openiot_thing_session_stop (OpenIotThingSession *self)
{
  g_return_if_fail (OPENIOT_IS_THING_SESSION (self));

  if (self->cancellable == NULL)
    return;
  save_values (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_signal_handler (&self->status_handler, self->hub);
  stop_observations (self);
  self->fetching = self->reading = self->started_from_cache = FALSE;
  /* Started again, it starts from the cache again, as the first time */
  self->loaded = FALSE;
  set_live (self, FALSE);
}

typedef struct
{
  char     *name;
  JsonNode *value;
} Write;

static void
write_free (Write *write)
{
  g_free (write->name);
  json_node_unref (write->value);
  g_free (write);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotThingSession *self = g_task_get_source_object (task);
  GError *error = NULL;
  Write *write;

  if (!openiot_consumed_thing_write_property_finish (OPENIOT_CONSUMED_THING (source), result,
                                                     &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report (self, error);
      g_task_return_error (task, error);
      return;
    }
  write = g_task_get_task_data (task);
  store_value (self, write->name, write->value);
  g_task_return_boolean (task, TRUE);
}

/**
 * openiot_thing_session_write_property_async:
 *
 * Writes a property; once the device took it, it is the stored value
 * ([signal@OpenIot.ThingSession::value-changed]).
 */
void
openiot_thing_session_write_property_async (OpenIotThingSession *self,
                                            const char          *name,
                                            JsonNode            *value,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Write *write;

  g_return_if_fail (OPENIOT_IS_THING_SESSION (self));
  g_return_if_fail (name != NULL && value != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, openiot_thing_session_write_property_async);
  write = g_new0 (Write, 1);
  write->name = g_strdup (name);
  write->value = json_node_copy (value);
  g_task_set_task_data (task, write, (GDestroyNotify) write_free);
  if (self->consumed == NULL)
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE,
                               _("The hub cannot be used now. Try again when it is back."));
      return;
    }
  openiot_consumed_thing_write_property_async (self->consumed, name, value, cancellable, on_written,
                                               g_steal_pointer (&task));
}

gboolean
openiot_thing_session_write_property_finish (OpenIotThingSession  *self,
                                             GAsyncResult         *result,
                                             GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * openiot_thing_session_get_hub:
 *
 * Returns: (transfer none): the hub the Thing is on
 */
OpenIotHub *
openiot_thing_session_get_hub (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return self->hub;
}

const char *
openiot_thing_session_get_service_id (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return self->service_id;
}

/**
 * openiot_thing_session_get_thing:
 *
 * Returns: (transfer none) (nullable): the description shown: the
 *   cached one, then the hub's
 */
OpenIotThing *
openiot_thing_session_get_thing (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return self->thing;
}

/**
 * openiot_thing_session_get_consumed_thing:
 *
 * Returns: (transfer none) (nullable): the Thing to use (invoke its
 *   actions), while the hub may be used
 */
OpenIotConsumedThing *
openiot_thing_session_get_consumed_thing (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return self->consumed;
}

/**
 * openiot_thing_session_get_values:
 *
 * Returns: (transfer none): the last known value of each property
 */
JsonObject *
openiot_thing_session_get_values (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return self->values;
}

/**
 * openiot_thing_session_get_updated:
 *
 * Returns: (transfer none) (nullable): when a value last came from the
 *   hub (the cache's time until then)
 */
GDateTime *
openiot_thing_session_get_updated (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return self->updated;
}

/**
 * openiot_thing_session_get_history:
 *
 * Returns: (transfer none): the recent values of the Thing's numeric
 *   observable properties (its service's part of the hub's history)
 */
OpenIotValueHistory *
openiot_thing_session_get_history (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return self->history;
}

/**
 * openiot_thing_session_get_live:
 *
 * Returns: whether the values are the hub's and followed now
 */
gboolean
openiot_thing_session_get_live (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), FALSE);
  return self->live;
}

/**
 * openiot_thing_session_get_loading:
 *
 * Returns: whether there is no description yet and one is being fetched
 */
gboolean
openiot_thing_session_get_loading (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), FALSE);
  return self->thing == NULL && self->fetching;
}

/**
 * openiot_thing_session_new_primary:
 * @hub: a paired hub
 * @service_id: one of its services
 *
 * A session for an overview: only the Thing's main value, read and
 * followed.
 *
 * Returns: (transfer full): the session; call
 *   [method@OpenIot.ThingSession.start]
 */
OpenIotThingSession *
openiot_thing_session_new_primary (OpenIotHub *hub,
                                   const char *service_id)
{
  OpenIotThingSession *self = openiot_thing_session_new (hub, service_id);

  if (self != NULL)
    self->primary_only = TRUE;
  return self;
}

/**
 * openiot_thing_session_get_primary:
 *
 * Returns: (transfer none) (nullable): the Thing's main value
 *   ([method@OpenIot.Thing.get_primary_property]), once there is a
 *   description
 */
OpenIotInteraction *
openiot_thing_session_get_primary (OpenIotThingSession *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_SESSION (self), NULL);
  return get_primary (self);
}

/**
 * openiot_thing_session_new:
 * @hub: a paired hub
 * @service_id: one of its services
 *
 * Returns: (transfer full): the session; call
 *   [method@OpenIot.ThingSession.start]
 */
OpenIotThingSession *
openiot_thing_session_new (OpenIotHub *hub,
                           const char *service_id)
{
  OpenIotThingSession *self;

  g_return_val_if_fail (OPENIOT_IS_HUB (hub), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);

  self = g_object_new (OPENIOT_TYPE_THING_SESSION, NULL);
  self->hub = g_object_ref (hub);
  self->service_id = g_strdup (service_id);
  self->history =
    openiot_value_history_new (openiot_hub_get_cache (hub),
                               openiot_hub_record_get_id (openiot_hub_get_record (hub)));
  return self;
}

static void
openiot_thing_session_dispose (GObject *object)
{
  OpenIotThingSession *self = OPENIOT_THING_SESSION (object);

  if (self->hub != NULL)
    openiot_thing_session_stop (self);

  G_OBJECT_CLASS (openiot_thing_session_parent_class)->dispose (object);
}

static void
openiot_thing_session_finalize (GObject *object)
{
  OpenIotThingSession *self = OPENIOT_THING_SESSION (object);

  g_clear_object (&self->hub);
  g_free (self->service_id);
  g_clear_object (&self->thing);
  g_clear_object (&self->consumed);
  g_clear_pointer (&self->observations, g_ptr_array_unref);
  g_clear_pointer (&self->values, json_object_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (openiot_thing_session_parent_class)->finalize (object);
}

static void
openiot_thing_session_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  OpenIotThingSession *self = OPENIOT_THING_SESSION (object);

  switch (prop_id)
    {
    case PROP_THING:
      g_value_set_object (value, self->thing);
      break;
    case PROP_CONSUMED_THING:
      g_value_set_object (value, self->consumed);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_thing_session_class_init (OpenIotThingSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_thing_session_dispose;
  object_class->finalize = openiot_thing_session_finalize;
  object_class->get_property = openiot_thing_session_get_property;

  properties[PROP_THING] =
    g_param_spec_object ("thing", NULL, NULL, OPENIOT_TYPE_THING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONSUMED_THING] =
    g_param_spec_object ("consumed-thing", NULL, NULL, OPENIOT_TYPE_CONSUMED_THING,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED] =
    g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OpenIotThingSession::value-changed:
   * @self: the session
   * @name: the property
   * @value: its new value
   *
   * A property's value came: from the cache's description being shown,
   * a read, an observation or a write the device took.
   */
  signals[VALUE_CHANGED] =
    g_signal_new ("value-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, JSON_TYPE_NODE);

  /**
   * OpenIotThingSession::load-failed:
   * @self: the session
   * @error: why
   *
   * The description could not be fetched and none was cached: there is
   * nothing to show.
   */
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
openiot_thing_session_init (OpenIotThingSession *self)
{
  self->observations = g_ptr_array_new_with_free_func (g_object_unref);
  self->values = json_object_new ();
}
