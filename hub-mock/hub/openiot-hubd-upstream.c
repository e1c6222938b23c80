// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "openiot-hubd-response-reader.h"
#include "openiot-hubd-service-socket.h"

#include "openiot-hubd-upstream.h"

/* One read: also the largest piece of body handed on at once */
#define READ_BYTES (16 * 1024)
/* A kept-alive connection to a service socket costs next to nothing to
 * open again; an idle one is closed after this long. */
#define IDLE_SECONDS 2
#define MAX_IDLE_CONNECTIONS 64

/*
 * The proxy's HTTP/1.1 client to one service's UNIX socket (issue 16,
 * bench/RESULTS.md): libsoup 3.2's SoupSession cost ~290 µs of CPU per
 * proxied request, two thirds of the hub's, in signals, GTasks and one
 * GSource per I/O operation, each of which wakes GLib 2.74's main
 * context twice. Here a kept-alive connection has one source for its
 * whole life, allowed to recurse (so dispatching it wakes nothing), a
 * request is written with one send() and a response read into one
 * buffer. The response is read by OpenIotHubdResponseReader, strictly:
 * anything RFC 9112 does not allow ends the request with an error, and a
 * connection is reused only after a response that ended exactly where
 * its framing said.
 */
struct _OpenIotHubdUpstream
{
  GObject             parent_instance;

  GSocketConnectable *address;
  GSocketClient      *client;
  GQueue              idle;      /* Connection*, most recently used last */
  guint               sweep_id;
};

G_DEFINE_FINAL_TYPE (OpenIotHubdUpstream, openiot_hubd_upstream, G_TYPE_OBJECT)

typedef struct
{
  GSource      source;
  gpointer     tag;
  GIOCondition condition;
} FdSource;

typedef struct
{
  OpenIotHubdUpstream        *upstream;  /* not owned */
  GSocketConnection          *connection;
  GSocket                    *socket;
  GSource                    *source;
  GByteArray                 *in;
  OpenIotHubdUpstreamRequest *request;
  gint64                      idle_since;
  gboolean                    reused;
} Connection;

/* A connection being made for a request; outlives the request if it is
 * cancelled meanwhile (GTask may still call back with a connection). */
typedef struct
{
  OpenIotHubdUpstreamRequest *request;
  GCancellable               *cancellable;
} ConnectAttempt;

struct _OpenIotHubdUpstreamRequest
{
  OpenIotHubdUpstream          *upstream;
  Connection                   *connection;
  ConnectAttempt               *connecting;
  GBytes                       *out;
  gsize                         sent;
  OpenIotHubdUpstreamCallbacks  callbacks;
  gpointer                      user_data;
  OpenIotHubdResponseReader    *reader;
  gboolean                      idempotent;
  gboolean                      retried;
  gboolean                      got_bytes;
  gboolean                      is_head;
  gboolean                      paused;
  gboolean                      cancelled;
  gboolean                      in_callback;
  gboolean                      closed;      /* the service closed or broke the connection */
  GError                       *close_error;
};

static void connection_start (OpenIotHubdUpstreamRequest *request);
static void request_process (OpenIotHubdUpstreamRequest *request);
static gboolean on_sweep (gpointer data);

/* ---- the connection's one source ---- */

typedef gboolean (*FdSourceFunc) (GIOCondition condition,
                                  gpointer     user_data);

static gboolean
fd_source_dispatch (GSource     *source,
                    GSourceFunc  callback,
                    gpointer     user_data)
{
  FdSource *self = (FdSource *) source;
  GIOCondition condition = self->tag ? g_source_query_unix_fd (source, self->tag) : 0;

  /* a ready time is only ever set to process what is buffered already;
   * GLib 2.74 wakes the context at each g_source_set_ready_time() */
  if (g_source_get_ready_time (source) != -1)
    g_source_set_ready_time (source, -1);
  return ((FdSourceFunc) callback) (condition, user_data);
}

static GSourceFuncs fd_source_funcs = {
  .dispatch = fd_source_dispatch,
};

static void
connection_watch (Connection   *connection,
                  GIOCondition  condition)
{
  FdSource *source = (FdSource *) connection->source;

  /* each change wakes GLib 2.74's main context: none when nothing changes */
  if (source->condition == condition)
    return;
  source->condition = condition;
  if (source->tag != NULL && condition != 0)
    g_source_modify_unix_fd (connection->source, source->tag, condition);
  else if (source->tag != NULL)
    {
      /* not even HUP: a paused request must not spin on a closed peer */
      g_source_remove_unix_fd (connection->source, source->tag);
      source->tag = NULL;
    }
  else if (condition != 0)
    source->tag = g_source_add_unix_fd (connection->source, g_socket_get_fd (connection->socket),
                                        condition);
}

static void
connection_free (Connection *connection)
{
  if (connection->source != NULL)
    {
      g_source_destroy (connection->source);
      g_source_unref (connection->source);
    }
  if (connection->connection != NULL)
    g_io_stream_close (G_IO_STREAM (connection->connection), NULL, NULL);
  g_clear_object (&connection->connection);
  g_byte_array_unref (connection->in);
  g_free (connection);
}

/* ---- requests ---- */

static void
request_free (OpenIotHubdUpstreamRequest *request)
{
  if (request->connecting != NULL)
    {
      request->connecting->request = NULL;
      g_cancellable_cancel (request->connecting->cancellable);
    }
  g_clear_pointer (&request->connection, connection_free);
  g_clear_pointer (&request->out, g_bytes_unref);
  g_clear_error (&request->close_error);
  g_clear_pointer (&request->reader, openiot_hubd_response_reader_free);
  g_clear_object (&request->upstream);
  g_free (request);
}

static gboolean
request_all_sent (OpenIotHubdUpstreamRequest *request)
{
  return request->sent == g_bytes_get_size (request->out);
}

/* What the connection waits for: room to write what is left of the
 * request, and the response unless the owner paused it or the service
 * closed. A paused request's descriptor leaves the poll set (when all is
 * sent): a closed peer cannot make it spin. */
static void
request_update_watch (OpenIotHubdUpstreamRequest *request)
{
  connection_watch (request->connection,
                    (request_all_sent (request) ? 0 : G_IO_OUT) |
                    (request->paused || request->closed ? 0 : G_IO_IN));
}

/* Ends @request with @error (NULL: complete). Its connection goes back to
 * the pool only when the response ended where its framing said and both
 * sides meant to keep it. */
static void
request_finish (OpenIotHubdUpstreamRequest *request,
                const GError               *error)
{
  Connection *connection = request->connection;

  /* A service may answer before it has read the whole request (a 413
   * for a large body): what is left unsent would be read as the start of
   * the next request on the connection, whoever sends it. */
  if (error == NULL && connection != NULL && !request->closed &&
      openiot_hubd_response_reader_get_keep_alive (request->reader) &&
      connection->in->len == 0 && request_all_sent (request) &&
      g_queue_get_length (&request->upstream->idle) < MAX_IDLE_CONNECTIONS)
    {
      request->connection = NULL;
      connection->request = NULL;
      connection->reused = TRUE;
      connection->idle_since = g_get_monotonic_time ();
      connection_watch (connection, G_IO_IN);
      g_queue_push_tail (&request->upstream->idle, connection);
      if (request->upstream->sweep_id == 0)
        request->upstream->sweep_id = g_timeout_add_seconds (1, on_sweep, request->upstream);
    }

  request->in_callback = TRUE;
  request->callbacks.finished (error, request->user_data);
  request_free (request);
}

static void
request_fail (OpenIotHubdUpstreamRequest *request,
              const char                 *format,
              ...) G_GNUC_PRINTF (2, 3);

static void
request_fail (OpenIotHubdUpstreamRequest *request,
              const char                 *format,
              ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (G_IO_ERROR, G_IO_ERROR_INVALID_DATA, format, args);
  va_end (args);
  request_finish (request, error);
}

/* After a callback of the owner's: FALSE when the owner cancelled the
 * request inside it (the request is freed here, then). */
static gboolean
request_survived_callback (OpenIotHubdUpstreamRequest *request)
{
  request->in_callback = FALSE;
  if (request->cancelled)
    {
      request_free (request);
      return FALSE;
    }
  return TRUE;
}

/* Hands a piece of body to the owner. Returns FALSE when the request is
 * gone. */
static gboolean
request_emit_body (OpenIotHubdUpstreamRequest *request,
                   const guint8               *data,
                   gsize                       size)
{
  g_autoptr(GBytes) chunk = g_bytes_new (data, size);

  request->in_callback = TRUE;
  request->callbacks.got_body (chunk, request->user_data);
  return request_survived_callback (request);
}

static gboolean
request_emit_head (OpenIotHubdUpstreamRequest *request)
{
  OpenIotHubdResponseReader *reader = request->reader;

  request->in_callback = TRUE;
  request->callbacks.got_head (openiot_hubd_response_reader_get_status (reader),
                               openiot_hubd_response_reader_get_reason (reader),
                               openiot_hubd_response_reader_get_headers (reader),
                               request->user_data);
  return request_survived_callback (request);
}

static void request_connection_closed (OpenIotHubdUpstreamRequest *request);

/* Takes what the buffer holds as far as the framing and the owner allow,
 * one event of the reader at a time: a callback may pause the request,
 * or cancel and free it, and then nothing is read on. Once the service
 * has closed the connection, what is left decides how the request ends. */
static void
request_process (OpenIotHubdUpstreamRequest *request)
{
  while (!request->paused)
    {
      g_autoptr(GError) error = NULL;
      const guint8 *body;
      gsize body_size;

      switch (openiot_hubd_response_reader_next (request->reader, request->connection->in,
                                                 &body, &body_size, &error))
        {
        case OPENIOT_HUBD_RESPONSE_MORE:
          if (request->closed)
            request_connection_closed (request);
          return;
        case OPENIOT_HUBD_RESPONSE_HEAD:
          if (!request_emit_head (request))
            return;
          break;
        case OPENIOT_HUBD_RESPONSE_BODY:
          if (!request_emit_body (request, body, body_size))
            return;
          break;
        case OPENIOT_HUBD_RESPONSE_END:
          request_finish (request, NULL);
          return;
        case OPENIOT_HUBD_RESPONSE_ERROR:
          request_finish (request, error);
          return;
        default:
          g_assert_not_reached ();
        }
    }
}

/* The connection closed (or broke) under @request and the buffer holds
 * nothing more it can use. */
static void
request_connection_closed (OpenIotHubdUpstreamRequest *request)
{
  if (openiot_hubd_response_reader_ends_at_close (request->reader))
    {
      request_finish (request, NULL);
      return;
    }

  /* A kept-alive connection the service closed just as it was reused:
   * the request never reached it, so it may go again, once, on a new
   * connection — unless it could have had an effect (RFC 9110 §9.2.2). */
  if (request->connection->reused && !request->got_bytes && request->idempotent &&
      !request->retried)
    {
      request->retried = TRUE;
      request->closed = FALSE;
      g_clear_error (&request->close_error);
      g_clear_pointer (&request->connection, connection_free);
      request->sent = 0;
      connection_start (request);
      return;
    }

  if (request->close_error != NULL)
    request_finish (request, request->close_error);
  else if (!openiot_hubd_response_reader_got_head (request->reader))
    request_fail (request, "the service closed the connection without answering");
  else
    request_fail (request, "the service closed the connection before the end of the response");
}

static void
request_set_closed (OpenIotHubdUpstreamRequest *request,
                    GError                     *error)
{
  request->closed = TRUE;
  if (request->close_error == NULL)
    request->close_error = error;
  else
    g_clear_error (&error);
}

/* Writes what is left of the request; a failure is dealt with from the
 * main loop, never inside the owner's call to send. */
static void
request_flush (OpenIotHubdUpstreamRequest *request)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (request->out, &size);
  GError *error = NULL;

  while (request->sent < size)
    {
      gssize n = g_socket_send (request->connection->socket, (const char *) data + request->sent,
                                size - request->sent, NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          g_clear_error (&error);
          break;
        }
      if (n < 0)
        {
          request_set_closed (request, error);
          g_source_set_ready_time (request->connection->source, 0);
          return;
        }
      request->sent += n;
    }
  request_update_watch (request);
}

static void
request_receive (OpenIotHubdUpstreamRequest *request)
{
  GByteArray *in = request->connection->in;
  GError *error = NULL;
  guint old_len = in->len;
  gssize n;

  g_byte_array_set_size (in, old_len + READ_BYTES);
  n = g_socket_receive (request->connection->socket, (char *) in->data + old_len, READ_BYTES, NULL,
                        &error);
  g_byte_array_set_size (in, old_len + MAX (n, 0));

  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_error_free (error);
      return;
    }
  if (n > 0)
    request->got_bytes = TRUE;
  else
    {
      /* what is buffered still counts: a body until close ends here */
      request_set_closed (request, error);
      request_update_watch (request);
    }
  request_process (request);
}

static gboolean
on_connection_ready (GIOCondition  condition,
                     gpointer      user_data)
{
  Connection *connection = user_data;
  OpenIotHubdUpstreamRequest *request = connection->request;

  if (request == NULL)
    {
      /* An idle connection that becomes readable was closed by the
       * service (or talks out of turn): it is not reused. */
      if (condition != 0)
        {
          g_queue_remove (&connection->upstream->idle, connection);
          connection_free (connection);
        }
      return G_SOURCE_CONTINUE;
    }

  if (request->closed && request->sent < g_bytes_get_size (request->out))
    request_connection_closed (request); /* the request could not be written */
  else if (condition & G_IO_OUT)
    request_flush (request);
  else if (request->paused)
    ;
  else if (condition & (G_IO_IN | G_IO_HUP | G_IO_ERR))
    request_receive (request);
  else
    request_process (request); /* resumed: take what is buffered */
  return G_SOURCE_CONTINUE;
}

static Connection *
connection_new (OpenIotHubdUpstream *upstream,
                GSocketConnection   *socket_connection)
{
  Connection *connection = g_new0 (Connection, 1);

  connection->upstream = upstream;
  connection->connection = socket_connection;
  connection->socket = g_socket_connection_get_socket (socket_connection);
  connection->in = g_byte_array_sized_new (READ_BYTES);
  g_socket_set_blocking (connection->socket, FALSE);

  connection->source = g_source_new (&fd_source_funcs, sizeof (FdSource));
  g_source_set_name (connection->source, "openiot-hubd upstream connection");
  g_source_set_can_recurse (connection->source, TRUE);
  g_source_set_callback (connection->source, (GSourceFunc) on_connection_ready, connection, NULL);
  connection_watch (connection, G_IO_IN);
  g_source_attach (connection->source, NULL);
  return connection;
}

static void
request_attach (OpenIotHubdUpstreamRequest *request,
                Connection                 *connection)
{
  request->connection = connection;
  connection->request = request;
  request_flush (request);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConnectAttempt *attempt = user_data;
  OpenIotHubdUpstreamRequest *request = attempt->request;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) socket_connection =
    g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);

  g_object_unref (attempt->cancellable);
  g_free (attempt);
  if (request == NULL)
    return; /* cancelled: the request is gone, the connection closes */

  request->connecting = NULL;
  if (socket_connection == NULL ||
      !openiot_hubd_service_socket_check_peer (g_socket_connection_get_socket (socket_connection),
                                               &error))
    {
      request_finish (request, error);
      return;
    }
  request_attach (request,
                  connection_new (request->upstream, g_steal_pointer (&socket_connection)));
}

static void
connection_start (OpenIotHubdUpstreamRequest *request)
{
  OpenIotHubdUpstream *self = request->upstream;
  Connection *connection = NULL;

  while (!request->retried && (connection = g_queue_pop_tail (&self->idle)) != NULL)
    {
      /* An idempotent request is sent again if the service closed the
       * connection meanwhile; another one must not meet a closed
       * connection it could have seen coming (one poll() more). */
      if (request->idempotent ||
          g_socket_condition_check (connection->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
        {
          request_attach (request, connection);
          return;
        }
      connection_free (connection);
    }
  request->connecting = g_new0 (ConnectAttempt, 1);
  request->connecting->request = request;
  request->connecting->cancellable = g_cancellable_new ();
  g_socket_client_connect_async (self->client, self->address, request->connecting->cancellable,
                                 on_connected, request->connecting);
}

static GBytes *
serialize_request (const char         *method,
                   const char         *target,
                   SoupMessageHeaders *headers,
                   GBytes             *body)
{
  g_autoptr(GString) out = g_string_sized_new (512);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize body_size = body ? g_bytes_get_size (body) : 0;

  g_string_append_printf (out, "%s %s HTTP/1.1\r\nHost: localhost\r\n", method, target);
  soup_message_headers_iter_init (&iter, headers);
  /* libsoup refuses a line break in a header's name or value */
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (out, "%s: %s\r\n", name, value);
  if (body_size > 0 || strcmp (method, "POST") == 0 || strcmp (method, "PUT") == 0 ||
      strcmp (method, "PATCH") == 0)
    g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_size);
  g_string_append (out, "\r\n");
  if (body_size > 0)
    g_string_append_len (out, g_bytes_get_data (body, NULL), body_size);
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
method_is_idempotent (const char *method)
{
  static const char *idempotent[] = { "GET", "HEAD", "PUT", "DELETE", "OPTIONS" };

  for (guint i = 0; i < G_N_ELEMENTS (idempotent); i++)
    {
      if (strcmp (method, idempotent[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

/*
 * openiot_hubd_upstream_send:
 * @target: the request target, path and query, already encoded
 * @headers: the headers to send besides Host and Content-Length, which
 *   this sets itself
 *
 * Sends a request on a kept-alive connection, or a new one. Returns: the
 * request, until its finished callback returns or it is cancelled.
 */
OpenIotHubdUpstreamRequest *
openiot_hubd_upstream_send (OpenIotHubdUpstream                *self,
                            const char                         *method,
                            const char                         *target,
                            SoupMessageHeaders                 *headers,
                            GBytes                             *body,
                            const OpenIotHubdUpstreamCallbacks *callbacks,
                            gpointer                            user_data)
{
  OpenIotHubdUpstreamRequest *request = g_new0 (OpenIotHubdUpstreamRequest, 1);

  request->upstream = g_object_ref (self);
  request->callbacks = *callbacks;
  request->user_data = user_data;
  request->is_head = strcmp (method, "HEAD") == 0;
  request->idempotent = method_is_idempotent (method);
  request->reader = openiot_hubd_response_reader_new (request->is_head);
  request->out = serialize_request (method, target, headers, body);
  /* the owner hears of it from the main loop, never before this returns */
  connection_start (request);
  return request;
}

/* Stops reading the response (the client is behind), or reads on. */
void
openiot_hubd_upstream_request_set_paused (OpenIotHubdUpstreamRequest *request,
                                          gboolean                    paused)
{
  if (request->paused == paused)
    return;
  request->paused = paused;
  if (request->connection == NULL)
    return;
  request_update_watch (request);
  /* what the buffer holds already is taken from the main loop, not from
   * inside the owner's call */
  if (!paused)
    g_source_set_ready_time (request->connection->source, 0);
}

/* Drops @request: no callback comes any more, and its connection is
 * closed (called from its finished callback, once the connection went
 * back to the pool, it leaves that alone). */
void
openiot_hubd_upstream_request_cancel (OpenIotHubdUpstreamRequest *request)
{
  if (request->in_callback)
    {
      /* freed by whoever called the owner, once it returns */
      request->cancelled = TRUE;
      return;
    }
  request_free (request);
}

/* The length of the response's body, or -1 when it is chunked or ends
 * with the connection. Valid from got_head on. */
gint64
openiot_hubd_upstream_request_get_content_length (OpenIotHubdUpstreamRequest *request)
{
  return openiot_hubd_response_reader_get_content_length (request->reader);
}

guint
openiot_hubd_upstream_get_n_idle (OpenIotHubdUpstream *self)
{
  return g_queue_get_length (&self->idle);
}

static gboolean
on_sweep (gpointer data)
{
  OpenIotHubdUpstream *self = data;
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->idle))
    {
      Connection *oldest = g_queue_peek_head (&self->idle);

      if (now - oldest->idle_since < IDLE_SECONDS * G_USEC_PER_SEC)
        break;
      connection_free (g_queue_pop_head (&self->idle));
    }
  if (!g_queue_is_empty (&self->idle))
    return G_SOURCE_CONTINUE;
  /* an idle hub wakes for nothing */
  self->sweep_id = 0;
  return G_SOURCE_REMOVE;
}

OpenIotHubdUpstream *
openiot_hubd_upstream_new (GSocketConnectable *address)
{
  OpenIotHubdUpstream *self = g_object_new (OPENIOT_TYPE_HUBD_UPSTREAM, NULL);

  self->address = g_object_ref (address);
  return self;
}

static void
openiot_hubd_upstream_finalize (GObject *object)
{
  OpenIotHubdUpstream *self = OPENIOT_HUBD_UPSTREAM (object);

  g_queue_clear_full (&self->idle, (GDestroyNotify) connection_free);
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_object (&self->client);
  g_clear_object (&self->address);

  G_OBJECT_CLASS (openiot_hubd_upstream_parent_class)->finalize (object);
}

static void
openiot_hubd_upstream_class_init (OpenIotHubdUpstreamClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hubd_upstream_finalize;
}

static void
openiot_hubd_upstream_init (OpenIotHubdUpstream *self)
{
  self->client = g_socket_client_new ();
  g_socket_client_set_enable_proxy (self->client, FALSE);
  g_queue_init (&self->idle);
}
