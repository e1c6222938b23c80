// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * OpenIotObservationState:
 * @OPENIOT_OBSERVATION_STOPPED: not started, or stopped
 * @OPENIOT_OBSERVATION_CONNECTING: opening the event stream
 * @OPENIOT_OBSERVATION_LIVE: the event stream is open
 * @OPENIOT_OBSERVATION_POLLING: no event stream is offered; reading the
 *   property at intervals
 * @OPENIOT_OBSERVATION_RECONNECTING: the stream broke; waiting to reconnect
 * @OPENIOT_OBSERVATION_FAILED: stopped for good: the hub's certificate
 *   changed or this device was removed; see the error
 *
 * Where an [class@OpenIot.Observation] stands.
 */
typedef enum
{
  OPENIOT_OBSERVATION_STOPPED,
  OPENIOT_OBSERVATION_CONNECTING,
  OPENIOT_OBSERVATION_LIVE,
  OPENIOT_OBSERVATION_POLLING,
  OPENIOT_OBSERVATION_RECONNECTING,
  OPENIOT_OBSERVATION_FAILED,
} OpenIotObservationState;

#define OPENIOT_TYPE_OBSERVATION (openiot_observation_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotObservation, openiot_observation, OPENIOT, OBSERVATION, GObject)

void                     openiot_observation_start             (OpenIotObservation *self);
void                     openiot_observation_stop              (OpenIotObservation *self);
OpenIotObservationState  openiot_observation_get_state         (OpenIotObservation *self);
const GError            *openiot_observation_get_error         (OpenIotObservation *self);
const char              *openiot_observation_get_last_event_id (OpenIotObservation *self);
void                     openiot_observation_set_poll_interval (OpenIotObservation *self,
                                                                guint               seconds);

G_END_DECLS
