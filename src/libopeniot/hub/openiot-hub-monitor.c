// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#include "openiot-hub-private.h"

/* When a monitored hub is asked again (see openiot_hub_set_monitored()):
 * a timer after each answer, a one-second tick while the status text
 * counts down, and the network monitor. Apart from openiot-hub.c, which
 * keeps the state these follow. */

/* Seconds between attempts while a hub is offline or blocked, one step
 * per failed attempt: quick at first (a hub that restarts is back within
 * seconds), then steady without hammering it. */
static const guint retry_delays[] = { 1, 2, 3, 5 };
/* An online hub is asked again this often, so that a hub that went away
 * quietly (no event stream open) shows as offline within this time. */
#define HEARTBEAT_SECONDS 30

static void
on_monitor_refreshed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  openiot_hub_refresh_finish (OPENIOT_HUB (source), result, NULL);  /* the status tells */
}

void
_openiot_hub_attempt_now (OpenIotHub *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->next_attempt = 0;
  openiot_hub_refresh_async (self, self->monitor_cancellable, on_monitor_refreshed, NULL);
}

static gboolean
on_retry (gpointer user_data)
{
  OpenIotHub *self = user_data;

  self->retry_source = 0;
  _openiot_hub_attempt_now (self);
  return G_SOURCE_REMOVE;
}

/* While offline the status text counts down to the next attempt. */
static gboolean
on_tick (gpointer user_data)
{
  OpenIotHub *self = user_data;

  _openiot_hub_notify_status_text (self);
  return G_SOURCE_CONTINUE;
}

static guint
next_delay (OpenIotHub *self)
{
  guint step = self->failures > 0 ? self->failures - 1 : 0;

  if (self->state == OPENIOT_HUB_STATUS_ONLINE)
    return HEARTBEAT_SECONDS;
  return retry_delays[MIN (step, G_N_ELEMENTS (retry_delays) - 1)];
}

/* Plans the next attempt of a monitored hub from its state: none while
 * one is under way (its answer plans the next) or once this device was
 * removed (only pairing again helps). */
void
_openiot_hub_schedule_attempt (OpenIotHub *self)
{
  gboolean counting_down;
  guint delay;

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->next_attempt = 0;
  counting_down = FALSE;

  if (self->monitored && self->attempts_in_flight == 0 &&
      self->state != OPENIOT_HUB_STATUS_NOT_REGISTERED)
    {
      delay = next_delay (self);
      self->next_attempt = g_get_monotonic_time () + delay * G_USEC_PER_SEC;
      self->retry_source = g_timeout_add_seconds (delay, on_retry, self);
      counting_down = self->state == OPENIOT_HUB_STATUS_OFFLINE;
    }

  if (counting_down && self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, on_tick, self);
  else if (!counting_down)
    g_clear_handle_id (&self->tick_source, g_source_remove);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  OpenIotHub *self = user_data;

  /* The connection races the addresses again; a hub that was offline
   * may be reachable over the new network right now. */
  if (self->state != OPENIOT_HUB_STATUS_ONLINE &&
      self->state != OPENIOT_HUB_STATUS_NOT_REGISTERED &&
      self->attempts_in_flight == 0 && available)
    {
      self->failures = 0;
      _openiot_hub_attempt_now (self);
    }
}

void
_openiot_hub_start_monitoring (OpenIotHub *self)
{
  self->monitor_cancellable = g_cancellable_new ();
  self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect_object (self->network_monitor, "network-changed",
                           G_CALLBACK (on_network_changed), self, 0);
  if (self->attempts_in_flight == 0)
    _openiot_hub_attempt_now (self);
}

void
_openiot_hub_stop_monitoring (OpenIotHub *self)
{
  g_cancellable_cancel (self->monitor_cancellable);
  g_clear_object (&self->monitor_cancellable);
  if (self->network_monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->network_monitor, self);
  g_clear_object (&self->network_monitor);
  _openiot_hub_schedule_attempt (self);
}
