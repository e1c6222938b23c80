// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-observation"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "openiot-enums.h"
#include "openiot-error.h"
#include "openiot-json-private.h"
#include "openiot-protocol-private.h"
#include "openiot-sse-parser.h"

#include <libsoup/soup.h>

#include "openiot-observation-private.h"

#define READ_CHUNK            8192
#define FIRST_RETRY_MS        1000
#define MAX_RETRY_MS          30000
#define DEFAULT_POLL_SECONDS  5
/* A long-poll that has not failed this long reached the service. */
#define LONG_POLL_SETTLE_MS   1000
/* The least time between two long-polls: a service that answers at once,
 * every time, is asked at most five times a second. */
#define LONG_POLL_MIN_GAP_MS  200

typedef enum
{
  WATCH_STREAM,     /* server-sent events on one long response */
  WATCH_LONG_POLL,  /* one value per answer; asked again at once */
  WATCH_POLL,       /* a property read at intervals */
} WatchMode;

/**
 * OpenIotObservation:
 *
 * Follows a property's value or an event of a Thing as it happens.
 *
 * It reads the form's server-sent events and, when the stream breaks (the
 * hub restarted, the network changed), reconnects by itself with a
 * growing delay, sending `Last-Event-ID` so that the service replays what
 * was missed. A form with the `longpoll` subprotocol is asked again after
 * each answer (every answer is one value or event; `204` is none), with
 * the same growing delay after a failure, and at once when the network
 * changes. A property with neither is read at intervals instead. It
 * gives up only when retrying cannot help: the hub's certificate changed
 * or this device was removed (state %OPENIOT_OBSERVATION_FAILED, see
 * [method@OpenIot.Observation.get_error]).
 */
struct _OpenIotObservation
{
  GObject                  parent_instance;

  OpenIotHubConnection    *connection;
  WatchMode                mode;
  char                    *path;
  OpenIotObservationState  state;
  GError                  *error;
  GCancellable            *cancellable;
  OpenIotSseParser        *parser;
  GInputStream            *stream;
  char                    *last_event_id;
  JsonNode                *last_polled;
  guint                    retry_ms;
  guint                    server_retry_ms;
  guint                    poll_seconds;
  guint                    timer;
  guint                    settle_timer;
  gint64                   long_poll_started;
  gulong                   network_handler;
};

G_DEFINE_FINAL_TYPE (OpenIotObservation, openiot_observation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

enum {
  VALUE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_stream (OpenIotObservation *self);
static void poll_once (OpenIotObservation *self);
static void long_poll_once (OpenIotObservation *self);

static void
set_state (OpenIotObservation      *self,
           OpenIotObservationState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
emit_value (OpenIotObservation *self,
            const char         *data)
{
  g_autoptr(JsonNode) value = _openiot_json_from_data (data, strlen (data), NULL);

  if (value == NULL)
    {
      /* Not JSON: hand it on as the text it is rather than lose it. */
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, data);
    }
  g_signal_emit (self, signals[VALUE], 0, value);
}

/* Certificate changes and removal need the user; retrying cannot help. */
static gboolean
is_final (const GError *error)
{
  return g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_CERTIFICATE_CHANGED) ||
         g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_REGISTERED) ||
         g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED);
}

static gboolean
on_retry_timer (gpointer user_data)
{
  OpenIotObservation *self = user_data;

  self->timer = 0;
  switch (self->mode)
    {
    case WATCH_STREAM:
      connect_stream (self);
      break;
    case WATCH_LONG_POLL:
      long_poll_once (self);
      break;
    case WATCH_POLL:
    default:
      poll_once (self);
      break;
    }
  return G_SOURCE_REMOVE;
}

/* Records why the last attempt failed and schedules the next one, or
 * gives up when only the user can help. */
static void
fail (OpenIotObservation *self,
      GError             *error)
{
  guint delay;

  g_clear_error (&self->error);
  self->error = error;
  g_clear_object (&self->stream);
  g_clear_handle_id (&self->settle_timer, g_source_remove);

  if (is_final (error))
    {
      set_state (self, OPENIOT_OBSERVATION_FAILED);
      return;
    }

  if (self->mode != WATCH_POLL)
    {
      delay = MAX (self->retry_ms, self->server_retry_ms);
      self->retry_ms = MIN (self->retry_ms * 2, MAX_RETRY_MS);
      set_state (self, OPENIOT_OBSERVATION_RECONNECTING);
      g_debug ("Watching %s: %s; again in %u ms", self->path, error->message, delay);
    }
  else
    delay = self->poll_seconds * 1000;

  self->timer = g_timeout_add (delay, on_retry_timer, self);
}

static void
on_event (OpenIotSseParser   *parser,
          const char         *type,
          const char         *data,
          const char         *id,
          OpenIotObservation *self)
{
  g_free (self->last_event_id);
  self->last_event_id = g_strdup (id);
  emit_value (self, data);
}

static void
on_retry_changed (OpenIotSseParser   *parser,
                  GParamSpec         *pspec,
                  OpenIotObservation *self)
{
  int retry = openiot_sse_parser_get_retry_ms (parser);

  self->server_retry_ms = retry > 0 ? (guint) MIN (retry, MAX_RETRY_MS) : 0;
}

static void
on_chunk (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(OpenIotObservation) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk =
    g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize len;
  const char *data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (chunk == NULL || g_bytes_get_size (chunk) == 0)
    {
      fail (self, error != NULL ? g_steal_pointer (&error)
                                : g_error_new_literal (OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE,
                                                       _("The event stream ended.")));
      return;
    }

  data = g_bytes_get_data (chunk, &len);
  openiot_sse_parser_feed (self->parser, data, len);
  if (self->stream != NULL)
    g_input_stream_read_bytes_async (self->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                     self->cancellable,
                                     on_chunk, g_object_ref (self));
}

static void
on_stream_opened (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OpenIotObservation) self = user_data;
  g_autoptr(GError) error = NULL;
  GInputStream *stream =
    openiot_hub_connection_open_stream_finish (OPENIOT_HUB_CONNECTION (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (stream == NULL)
    {
      fail (self, g_steal_pointer (&error));
      return;
    }

  self->stream = stream;
  self->retry_ms = FIRST_RETRY_MS;
  g_clear_error (&self->error);
  set_state (self, OPENIOT_OBSERVATION_LIVE);
  g_input_stream_read_bytes_async (self->stream, READ_CHUNK, G_PRIORITY_DEFAULT, self->cancellable,
                                   on_chunk, g_object_ref (self));
}

static void
connect_stream (OpenIotObservation *self)
{
  /* A fresh parser: a half-received event of the broken stream is lost
   * (the service replays it, since its id was never confirmed). */
  if (self->parser != NULL)
    g_signal_handlers_disconnect_by_data (self->parser, self);
  g_clear_object (&self->parser);
  self->parser = openiot_sse_parser_new ();
  g_signal_connect (self->parser, "event", G_CALLBACK (on_event), self);
  g_signal_connect (self->parser, "notify::retry-ms", G_CALLBACK (on_retry_changed), self);

  if (self->state != OPENIOT_OBSERVATION_RECONNECTING)
    set_state (self, OPENIOT_OBSERVATION_CONNECTING);
  openiot_hub_connection_open_stream_async (self->connection, self->path, self->last_event_id,
                                            self->cancellable, on_stream_opened,
                                            g_object_ref (self));
}

/* The answer to a poll or long-poll, or NULL when there is none: the
 * observation was stopped, or the failure is handled (fail()). */
static GBytes *
finish_request (OpenIotObservation *self,
                GAsyncResult       *result,
                guint              *status_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  body = openiot_hub_connection_send_finish (self->connection, result, &status, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;
  if (body == NULL || !_openiot_protocol_response_error (status, body, &error))
    {
      fail (self, g_steal_pointer (&error));
      return NULL;
    }
  if (status_out != NULL)
    *status_out = status;
  return g_steal_pointer (&body);
}

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OpenIotObservation) self = user_data;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GBytes) body = NULL;

  if (!(body = finish_request (self, result, NULL)))
    return;

  g_clear_error (&self->error);
  set_state (self, OPENIOT_OBSERVATION_POLLING);
  value = g_bytes_get_size (body)
            ? _openiot_json_from_data (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)
            : json_node_new (JSON_NODE_NULL);
  if (value != NULL && (self->last_polled == NULL || !json_node_equal (value, self->last_polled)))
    {
      g_clear_pointer (&self->last_polled, json_node_unref);
      self->last_polled = json_node_ref (value);
      g_signal_emit (self, signals[VALUE], 0, value);
    }
  self->timer = g_timeout_add_seconds (self->poll_seconds, on_retry_timer, self);
}

static void
poll_once (OpenIotObservation *self)
{
  openiot_hub_connection_send_async (self->connection, "GET", self->path, NULL, NULL,
                                     self->cancellable,
                                     on_polled, g_object_ref (self));
}

static void
on_long_polled (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OpenIotObservation) self = user_data;
  g_autoptr(GBytes) body = NULL;
  gint64 elapsed_ms;
  guint status = 0;

  if (!(body = finish_request (self, result, &status)))
    return;

  g_clear_handle_id (&self->settle_timer, g_source_remove);
  self->retry_ms = FIRST_RETRY_MS;
  g_clear_error (&self->error);
  set_state (self, OPENIOT_OBSERVATION_LIVE);
  /* 204: the service had nothing to say within its wait */
  if (status != SOUP_STATUS_NO_CONTENT && g_bytes_get_size (body) > 0)
    {
      g_autofree char *data = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

      emit_value (self, data);
    }

  /* The signal handler may have stopped the observation. */
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  elapsed_ms = (g_get_monotonic_time () - self->long_poll_started) / 1000;
  if (elapsed_ms >= LONG_POLL_MIN_GAP_MS)
    long_poll_once (self);
  else
    self->timer = g_timeout_add (LONG_POLL_MIN_GAP_MS - elapsed_ms, on_retry_timer, self);
}

static gboolean
on_long_poll_settled (gpointer user_data)
{
  OpenIotObservation *self = user_data;

  self->settle_timer = 0;
  g_clear_error (&self->error);
  self->retry_ms = FIRST_RETRY_MS;
  set_state (self, OPENIOT_OBSERVATION_LIVE);
  return G_SOURCE_REMOVE;
}

static void
long_poll_once (OpenIotObservation *self)
{
  if (self->state != OPENIOT_OBSERVATION_RECONNECTING && self->state != OPENIOT_OBSERVATION_LIVE)
    set_state (self, OPENIOT_OBSERVATION_CONNECTING);
  if (self->state != OPENIOT_OBSERVATION_LIVE && self->settle_timer == 0)
    self->settle_timer = g_timeout_add (LONG_POLL_SETTLE_MS, on_long_poll_settled, self);
  self->long_poll_started = g_get_monotonic_time ();
  openiot_hub_connection_long_poll_async (self->connection, self->path, self->cancellable,
                                          on_long_polled, g_object_ref (self));
}

/* A long-poll waiting on a network that went away would hang until its
 * timeout: ask again at once, through the connection's new session. */
static void
on_network_changed (GNetworkMonitor    *monitor,
                    gboolean            available,
                    OpenIotObservation *self)
{
  if (self->cancellable == NULL || self->mode != WATCH_LONG_POLL)
    return;
  g_debug ("Network changed; long-polling %s again", self->path);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_handle_id (&self->timer, g_source_remove);
  long_poll_once (self);
}

/**
 * openiot_observation_start:
 *
 * Starts following; values arrive through [signal@OpenIot.Observation::value].
 */
void
openiot_observation_start (OpenIotObservation *self)
{
  g_return_if_fail (OPENIOT_IS_OBSERVATION (self));

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->retry_ms = FIRST_RETRY_MS;
  on_retry_timer (self);
}

/**
 * openiot_observation_stop:
 *
 * Closes the stream, or stops polling. It can be started again; it then
 * resumes after the last event received.
 */
void
openiot_observation_stop (OpenIotObservation *self)
{
  g_return_if_fail (OPENIOT_IS_OBSERVATION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_handle_id (&self->settle_timer, g_source_remove);
  g_clear_object (&self->stream);
  set_state (self, OPENIOT_OBSERVATION_STOPPED);
}

OpenIotObservationState
openiot_observation_get_state (OpenIotObservation *self)
{
  g_return_val_if_fail (OPENIOT_IS_OBSERVATION (self), OPENIOT_OBSERVATION_STOPPED);
  return self->state;
}

/**
 * openiot_observation_get_error:
 *
 * Returns: (nullable): why the last attempt failed, while reconnecting or
 *   after it failed for good
 */
const GError *
openiot_observation_get_error (OpenIotObservation *self)
{
  g_return_val_if_fail (OPENIOT_IS_OBSERVATION (self), NULL);
  return self->error;
}

/**
 * openiot_observation_get_last_event_id:
 *
 * Returns: (nullable): the id of the last event received
 */
const char *
openiot_observation_get_last_event_id (OpenIotObservation *self)
{
  g_return_val_if_fail (OPENIOT_IS_OBSERVATION (self), NULL);
  return self->last_event_id;
}

/**
 * openiot_observation_set_poll_interval:
 * @seconds: how often to read a property that offers no event stream
 */
void
openiot_observation_set_poll_interval (OpenIotObservation *self,
                                       guint               seconds)
{
  g_return_if_fail (OPENIOT_IS_OBSERVATION (self));
  self->poll_seconds = MAX (seconds, 1);
}

/* Watches @watch (server-sent events or a long-poll) when given, else
 * reads @poll at intervals. */
OpenIotObservation *
_openiot_observation_new (OpenIotHubConnection *connection,
                          OpenIotForm          *watch,
                          OpenIotForm          *poll)
{
  OpenIotObservation *self = g_object_new (OPENIOT_TYPE_OBSERVATION, NULL);

  g_return_val_if_fail (watch != NULL || poll != NULL, NULL);

  self->connection = g_object_ref (connection);
  if (watch == NULL)
    self->mode = WATCH_POLL;
  else if (g_strcmp0 (openiot_form_get_subprotocol (watch), "longpoll") == 0)
    self->mode = WATCH_LONG_POLL;
  else
    self->mode = WATCH_STREAM;
  self->path = g_strdup (openiot_form_get_path (watch != NULL ? watch : poll));
  self->network_handler = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  return self;
}

static void
openiot_observation_dispose (GObject *object)
{
  OpenIotObservation *self = OPENIOT_OBSERVATION (object);

  openiot_observation_stop (self);
  g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
  if (self->parser != NULL)
    g_signal_handlers_disconnect_by_data (self->parser, self);

  G_OBJECT_CLASS (openiot_observation_parent_class)->dispose (object);
}

static void
openiot_observation_finalize (GObject *object)
{
  OpenIotObservation *self = OPENIOT_OBSERVATION (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->parser);
  g_free (self->path);
  g_free (self->last_event_id);
  g_clear_error (&self->error);
  g_clear_pointer (&self->last_polled, json_node_unref);

  G_OBJECT_CLASS (openiot_observation_parent_class)->finalize (object);
}

static void
openiot_observation_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OpenIotObservation *self = OPENIOT_OBSERVATION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_observation_class_init (OpenIotObservationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_observation_dispose;
  object_class->finalize = openiot_observation_finalize;
  object_class->get_property = openiot_observation_get_property;

  /**
   * OpenIotObservation:state:
   *
   * Live, polling, reconnecting, or failed for good.
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, OPENIOT_TYPE_OBSERVATION_STATE,
                       OPENIOT_OBSERVATION_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OpenIotObservation::value:
   * @self: the observation
   * @value: the property's new value, or the event's data
   *
   * A new value or event arrived.
   */
  signals[VALUE] =
    g_signal_new ("value", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE);
}

static void
openiot_observation_init (OpenIotObservation *self)
{
  self->poll_seconds = DEFAULT_POLL_SECONDS;
  self->retry_ms = FIRST_RETRY_MS;
}
