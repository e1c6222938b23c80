// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "openiot-consumed-thing.h"
#include "openiot-enums.h"
#include "openiot-error.h"
#include "openiot-text.h"
#include "openiot-fingerprint.h"
#include "openiot-hub-connection-private.h"
#include "openiot-protocol-private.h"
#include "openiot-service-info.h"

#include "openiot-hub-private.h"

/**
 * OpenIotHub:
 *
 * A paired hub as an app sees it: its record and pinned connection, what
 * is known of it right now (online, offline, certificate changed, this
 * device removed) and its services.
 *
 * Every failure of a request to the hub, from here or from a Thing of
 * it, goes through [method@OpenIot.Hub.report_error] so that one state
 * tells the whole app to block on a certificate change. A changed
 * certificate is accepted only by [method@OpenIot.Hub.accept_certificate_async]
 * with the very fingerprint the user was shown.
 */

G_DEFINE_FINAL_TYPE (OpenIotHub, openiot_hub, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORD,
  PROP_CONNECTION,
  PROP_STATUS,
  PROP_MONITORED,
  PROP_OFFLINE_SINCE,
  PROP_STATUS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
forget_presented_certificate (OpenIotHub *self)
{
  g_clear_pointer (&self->presented_fingerprint, g_free);
  g_clear_pointer (&self->presented_pem, g_free);
  g_clear_pointer (&self->presented_since, g_date_time_unref);
  self->rotation_verified = FALSE;
}

static void
set_state (OpenIotHub      *self,
           OpenIotHubStatus  state)
{
  if (self->state == state)
    return;
  self->state = state;

  if (state == OPENIOT_HUB_STATUS_OFFLINE && self->offline_since == NULL)
    {
      self->offline_since = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }
  else if (state == OPENIOT_HUB_STATUS_ONLINE && self->offline_since != NULL)
    {
      g_clear_pointer (&self->offline_since, g_date_time_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }
  if (state == OPENIOT_HUB_STATUS_ONLINE)
    /* The hub answers with the pinned certificate: whatever was
     * presented meanwhile (an impostor that left) is history. */
    forget_presented_certificate (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
  _openiot_hub_schedule_attempt (self);
}

static void
set_record (OpenIotHub       *self,
            OpenIotHubRecord *record)
{
  g_set_object (&self->record, record);
  g_clear_object (&self->connection);
  self->connection = openiot_hub_connection_new (record, self->identity);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

void
_openiot_hub_notify_status_text (OpenIotHub *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
}

/**
 * openiot_hub_report_error:
 * @error: why a request to this hub failed
 *
 * Updates the hub's state from a failed request: a certificate change
 * blocks the hub, a removal marks it, an unreachable hub is offline.
 */
void
openiot_hub_report_error (OpenIotHub   *self,
                          const GError *error)
{
  g_return_if_fail (OPENIOT_IS_HUB (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_error (&self->error);
  self->error = g_error_copy (error);

  if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_CERTIFICATE_CHANGED))
    {
      const char *presented = openiot_hub_connection_get_presented_fingerprint (self->connection);

      if (!openiot_fingerprint_equal (presented, self->presented_fingerprint))
        {
          g_free (self->presented_fingerprint);
          self->presented_fingerprint = g_strdup (presented);
          g_free (self->presented_pem);
          self->presented_pem =
            g_strdup (openiot_hub_connection_get_presented_certificate_pem (self->connection));
          g_clear_pointer (&self->presented_since, g_date_time_unref);
          self->presented_since = g_date_time_new_now_utc ();
        }
      self->rotation_verified = openiot_hub_connection_get_rotation_verified (self->connection);
      set_state (self, OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED);
      /* The same state, maybe another kind of change */
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
    }
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_REGISTERED))
    set_state (self, OPENIOT_HUB_STATUS_NOT_REGISTERED);
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE))
    set_state (self, OPENIOT_HUB_STATUS_OFFLINE);
}

static void
on_services (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHub *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) services = NULL;

  self->attempts_in_flight--;
  services = openiot_hub_connection_list_services_finish (OPENIOT_HUB_CONNECTION (source), result,
                                                          &error);
  if (services == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->failures++;
      openiot_hub_report_error (self, error);
      if (self->state == OPENIOT_HUB_STATUS_CONNECTING)
        set_state (self, OPENIOT_HUB_STATUS_OFFLINE);
      _openiot_hub_schedule_attempt (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_list_store_splice (self->services, 0, g_list_model_get_n_items (G_LIST_MODEL (self->services)),
                       services->pdata, services->len);
  self->failures = 0;
  g_clear_error (&self->error);
  set_state (self, OPENIOT_HUB_STATUS_ONLINE);
  _openiot_hub_schedule_attempt (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * openiot_hub_refresh_async:
 *
 * Asks the hub for its services; the state follows the answer.
 */
void
openiot_hub_refresh_async (OpenIotHub          *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OPENIOT_IS_HUB (self));

  g_task_set_source_tag (task, openiot_hub_refresh_async);
  /* Offline and blocked stay what they are until the answer says
   * otherwise: a retry is not news. */
  self->attempts_in_flight++;
  if (self->state == OPENIOT_HUB_STATUS_UNKNOWN)
    set_state (self, OPENIOT_HUB_STATUS_CONNECTING);
  else
    _openiot_hub_notify_status_text (self);
  openiot_hub_connection_list_services_async (self->connection, cancellable, on_services,
                                              g_object_ref (task));
}

gboolean
openiot_hub_refresh_finish (OpenIotHub    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * openiot_hub_set_monitored:
 * @monitored: whether to keep the status of the hub current
 *
 * A monitored hub keeps its status true by itself: it is asked at once,
 * again after 1, 2, 3 and then every 5 seconds while it is offline or
 * blocked by a certificate change (so that it recovers without a click
 * when it returns, or when an impostor leaves), every 30 seconds while
 * it is online, and at once when the network changes. A device removed
 * from the hub is not asked again.
 */
void
openiot_hub_set_monitored (OpenIotHub *self,
                           gboolean    monitored)
{
  g_return_if_fail (OPENIOT_IS_HUB (self));

  monitored = !!monitored;
  if (self->monitored == monitored)
    return;
  self->monitored = monitored;

  if (monitored)
    _openiot_hub_start_monitoring (self);
  else
    _openiot_hub_stop_monitoring (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITORED]);
}

gboolean
openiot_hub_get_monitored (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), FALSE);
  return self->monitored;
}

/**
 * openiot_hub_get_offline_since:
 *
 * Returns: (nullable) (transfer none): when the hub was first found
 *   unreachable, while it still is
 */
GDateTime *
openiot_hub_get_offline_since (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return self->offline_since;
}

static char *
offline_text (OpenIotHub *self)
{
  /* A time of day for today, a date and time before */
  g_autofree char *since = openiot_text_format_when (self->offline_since, FALSE);
  gint64 remaining;
  guint seconds;

  if (self->next_attempt == 0)
    {
      if (self->attempts_in_flight > 0)
        /* Translators: %s is a time of day or a date */
        return g_strdup_printf (_("Offline since %s · trying again…"), since);
      /* Translators: %s is a time of day or a date */
      return g_strdup_printf (_("Offline since %s"), since);
    }

  remaining = self->next_attempt - g_get_monotonic_time ();
  seconds = (guint) MAX (1, (remaining + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  /* Translators: %s is a time of day or a date, %u a number of seconds */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline since %s · retrying in %u second",
                                       "Offline since %s · retrying in %u seconds", seconds),
                          since, seconds);
}

/**
 * openiot_hub_dup_status_text:
 *
 * The status as one short sentence for people, the same in every view
 * (and in the CLI): "Online", "Offline since 18:40 · retrying in 3
 * seconds", "Blocked: the hub renewed its certificate", "Blocked: unverified
 * certificate, maybe an attack", "This device was removed from the hub".
 *
 * Returns: (transfer full): the text
 */
char *
openiot_hub_dup_status_text (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);

  switch (self->state)
    {
    case OPENIOT_HUB_STATUS_ONLINE:
      return g_strdup (_("Online"));
    case OPENIOT_HUB_STATUS_OFFLINE:
      if (self->offline_since != NULL)
        return offline_text (self);
      return g_strdup (_("Offline"));
    case OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED:
      return g_strdup (self->rotation_verified
                         ? _("Blocked: the hub renewed its certificate")
                         : _("Blocked: unverified certificate, maybe an attack"));
    case OPENIOT_HUB_STATUS_NOT_REGISTERED:
      return g_strdup (_("This device was removed from the hub"));
    case OPENIOT_HUB_STATUS_CONNECTING:
    case OPENIOT_HUB_STATUS_UNKNOWN:
    default:
      return g_strdup (_("Connecting…"));
    }
}

/* A new nickname: not set_record(), the pin and addresses are the same,
 * and a new connection would drop the streams that run on this one. */
void
_openiot_hub_apply_renamed_record (OpenIotHub       *self,
                                   OpenIotHubRecord *record)
{
  g_set_object (&self->record, record);
  _openiot_hub_connection_rename_record (self->connection, record);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
}

/* An accepted certificate: a new pin, so a new connection, and the hub is
 * asked again from scratch. */
void
_openiot_hub_apply_accepted_record (OpenIotHub       *self,
                                    OpenIotHubRecord *record)
{
  forget_presented_certificate (self);
  g_clear_error (&self->error);
  set_record (self, record);
  self->failures = 0;
  set_state (self, OPENIOT_HUB_STATUS_UNKNOWN);
  if (self->monitored && self->attempts_in_flight == 0)
    _openiot_hub_attempt_now (self);
}

typedef struct
{
  gboolean told_hub;
} RemoveData;

static void
on_pin_removed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHub *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!openiot_pin_store_remove_finish (OPENIOT_PIN_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!openiot_thing_cache_forget_hub (self->cache, openiot_hub_record_get_id (self->record),
                                       &error))
    g_warning ("Could not empty the cache of hub %s: %s", openiot_hub_record_get_id (self->record),
               error->message);
  g_task_return_boolean (task, TRUE);
}

static void
on_unregistered (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHub *self = g_task_get_source_object (task);
  RemoveData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  body =
    openiot_hub_connection_send_finish (OPENIOT_HUB_CONNECTION (source), result, &status, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Removed already counts as told. */
  data->told_hub = (body != NULL && (status == 204 || status == 200)) ||
                   g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_REGISTERED);
  if (!data->told_hub)
    g_debug ("Could not unregister from %s: %s", openiot_hub_record_get_name (self->record),
             error ? error->message : "unexpected status");

  openiot_pin_store_remove_async (self->pin_store, openiot_hub_record_get_id (self->record),
                                  g_task_get_cancellable (task), on_pin_removed,
                                  g_object_ref (task));
}

/**
 * openiot_hub_remove_async:
 *
 * Unpairs: tells the hub to forget this device (when it can be reached
 * and still presents the pinned certificate), then forgets the hub's pin
 * and cache here.
 */
void
openiot_hub_remove_async (OpenIotHub          *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OPENIOT_IS_HUB (self));

  g_task_set_source_tag (task, openiot_hub_remove_async);
  g_task_set_task_data (task, g_new0 (RemoveData, 1), g_free);
  openiot_hub_connection_send_async (self->connection, "DELETE", OPENIOT_PATH_REGISTRATION, NULL,
                                     NULL, cancellable, on_unregistered, g_object_ref (task));
}

/**
 * openiot_hub_remove_finish:
 * @told_hub: (out) (optional): whether the hub was told to forget this
 *   device; if not, its admin should revoke it there
 */
gboolean
openiot_hub_remove_finish (OpenIotHub    *self,
                           GAsyncResult  *result,
                           gboolean      *told_hub,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  if (told_hub != NULL)
    *told_hub = ((RemoveData *) g_task_get_task_data (G_TASK (result)))->told_hub;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * openiot_hub_new:
 * @cache: where its Things are cached
 *
 * Returns: (transfer full): the hub
 */
OpenIotHub *
openiot_hub_new (OpenIotHubRecord  *record,
                 OpenIotIdentity   *identity,
                 OpenIotPinStore   *pin_store,
                 OpenIotThingCache *cache)
{
  OpenIotHub *self;

  g_return_val_if_fail (OPENIOT_IS_HUB_RECORD (record), NULL);
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (identity), NULL);

  self = g_object_new (OPENIOT_TYPE_HUB, NULL);
  self->identity = g_object_ref (identity);
  self->pin_store = g_object_ref (pin_store);
  self->cache = g_object_ref (cache);
  set_record (self, record);
  return self;
}

/**
 * openiot_hub_get_record:
 *
 * Returns: (transfer none): what this device knows of the hub
 */
OpenIotHubRecord *
openiot_hub_get_record (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return self->record;
}

/**
 * openiot_hub_get_connection:
 *
 * Returns: (transfer none): the connection pinned to the hub's certificate;
 *   a new one after a certificate was accepted
 */
OpenIotHubConnection *
openiot_hub_get_connection (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return self->connection;
}

/**
 * openiot_hub_get_cache:
 *
 * Returns: (transfer none): the cache of its Things
 */
OpenIotThingCache *
openiot_hub_get_cache (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return self->cache;
}

/**
 * openiot_hub_load_cached_thing:
 * @service_id: one of its services
 *
 * Returns: (transfer full) (nullable): the service's Thing Description as
 *   it was last fetched, or %NULL when none is cached
 */
OpenIotThing *
openiot_hub_load_cached_thing (OpenIotHub *self,
                               const char *service_id)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return openiot_thing_cache_load_thing (self->cache, self->record, service_id);
}

static void
on_thing_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHub *self = g_task_get_source_object (task);
  GError *error = NULL;
  OpenIotConsumedThing *thing = openiot_consumed_thing_fetch_finish (result, &error);
  g_autoptr(GError) save_error = NULL;

  if (thing == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!openiot_thing_cache_save_thing (self->cache, openiot_hub_record_get_id (self->record),
                                       openiot_consumed_thing_get_thing (thing), &save_error))
    g_debug ("Description not cached: %s", save_error->message);
  g_task_return_pointer (task, thing, g_object_unref);
}

/**
 * openiot_hub_fetch_thing_async:
 * @service_id: one of its services
 *
 * Fetches the service's Thing Description from the hub and keeps it in
 * the cache, for [method@OpenIot.Hub.load_cached_thing] next time.
 */
void
openiot_hub_fetch_thing_async (OpenIotHub          *self,
                               const char          *service_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OPENIOT_IS_HUB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, openiot_hub_fetch_thing_async);
  openiot_consumed_thing_fetch_async (self->connection, service_id, cancellable, on_thing_fetched,
                                      g_steal_pointer (&task));
}

/**
 * openiot_hub_fetch_thing_finish:
 *
 * Returns: (transfer full): the Thing, ready to use
 */
OpenIotConsumedThing *
openiot_hub_fetch_thing_finish (OpenIotHub    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

OpenIotHubStatus
openiot_hub_get_status (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), OPENIOT_HUB_STATUS_UNKNOWN);
  return self->state;
}

/**
 * openiot_hub_get_error:
 *
 * Returns: (nullable): why the last request failed
 */
const GError *
openiot_hub_get_error (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return self->error;
}

/**
 * openiot_hub_get_services:
 *
 * Returns: (transfer none): its services, [class@OpenIot.ServiceInfo], as
 *   of the last refresh
 */
GListModel *
openiot_hub_get_services (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return G_LIST_MODEL (self->services);
}

/**
 * openiot_hub_get_presented_fingerprint:
 *
 * Returns: (nullable): while the certificate changed, the fingerprint of
 *   the certificate the hub presents now
 */
const char *
openiot_hub_get_presented_fingerprint (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return self->presented_fingerprint;
}

/**
 * openiot_hub_get_presented_since:
 *
 * Returns: (nullable) (transfer none): when this device first saw it
 */
GDateTime *
openiot_hub_get_presented_since (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), NULL);
  return self->presented_since;
}

/**
 * openiot_hub_get_rotation_verified:
 *
 * Returns: whether the presented certificate carries a rotation proof
 *   signed by the pinned one
 */
gboolean
openiot_hub_get_rotation_verified (OpenIotHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB (self), FALSE);
  return self->rotation_verified;
}

static void
openiot_hub_finalize (GObject *object)
{
  OpenIotHub *self = OPENIOT_HUB (object);

  g_clear_object (&self->record);
  g_clear_object (&self->identity);
  g_clear_object (&self->pin_store);
  g_clear_object (&self->cache);
  g_clear_object (&self->connection);
  g_clear_object (&self->services);
  g_clear_error (&self->error);
  g_free (self->presented_fingerprint);
  g_free (self->presented_pem);
  g_clear_pointer (&self->presented_since, g_date_time_unref);
  g_clear_pointer (&self->offline_since, g_date_time_unref);

  G_OBJECT_CLASS (openiot_hub_parent_class)->finalize (object);
}

static void
openiot_hub_dispose (GObject *object)
{
  OpenIotHub *self = OPENIOT_HUB (object);

  /* Pending attempts hold a reference; only timers are left to stop */
  openiot_hub_set_monitored (self, FALSE);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);

  G_OBJECT_CLASS (openiot_hub_parent_class)->dispose (object);
}

static void
openiot_hub_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  OpenIotHub *self = OPENIOT_HUB (object);

  switch (prop_id)
    {
    case PROP_MONITORED:
      openiot_hub_set_monitored (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_hub_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  OpenIotHub *self = OPENIOT_HUB (object);

  switch (prop_id)
    {
    case PROP_RECORD:
      g_value_set_object (value, self->record);
      break;
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->state);
      break;
    case PROP_MONITORED:
      g_value_set_boolean (value, self->monitored);
      break;
    case PROP_OFFLINE_SINCE:
      g_value_set_boxed (value, self->offline_since);
      break;
    case PROP_STATUS_TEXT:
      g_value_take_string (value, openiot_hub_dup_status_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_hub_class_init (OpenIotHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_hub_dispose;
  object_class->finalize = openiot_hub_finalize;
  object_class->get_property = openiot_hub_get_property;
  object_class->set_property = openiot_hub_set_property;

  properties[PROP_RECORD] =
    g_param_spec_object ("record", NULL, NULL, OPENIOT_TYPE_HUB_RECORD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, OPENIOT_TYPE_HUB_CONNECTION,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, OPENIOT_TYPE_HUB_STATUS, OPENIOT_HUB_STATUS_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * OpenIotHub:monitored:
   *
   * Whether the hub keeps its status current by itself; see
   * [method@OpenIot.Hub.set_monitored].
   */
  properties[PROP_MONITORED] =
    g_param_spec_boolean ("monitored", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE_SINCE] =
    g_param_spec_boxed ("offline-since", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * OpenIotHub:status-text:
   *
   * [method@OpenIot.Hub.dup_status_text]; notified when it changes,
   * every second while it counts down to the next attempt.
   */
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_hub_init (OpenIotHub *self)
{
  self->services = g_list_store_new (OPENIOT_TYPE_SERVICE_INFO);
}
