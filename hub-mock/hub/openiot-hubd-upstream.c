// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "openiot-hubd-service-socket.h"

#include "openiot-hubd-upstream.h"

/* A response head larger than this is refused (libsoup's own server
 * refuses a request head of 64 KiB too). */
#define MAX_HEAD_BYTES (64 * 1024)
/* A chunk-size line, extensions included */
#define MAX_CHUNK_LINE_BYTES 1024
#define MAX_TRAILER_BYTES (16 * 1024)
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
 * buffer. The response head is parsed by libsoup
 * (soup_headers_parse_response()); the body's framing (length, chunked
 * or until close) is undone here, strictly: anything RFC 9112 does not
 * allow ends the request with an error, and a connection is reused only
 * after a response that ended exactly where its framing said.
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

typedef enum
{
  STATE_HEAD,
  STATE_BODY_LENGTH,
  STATE_CHUNK_SIZE,
  STATE_CHUNK_DATA,
  STATE_CHUNK_END,
  STATE_TRAILERS,
  STATE_BODY_UNTIL_CLOSE,
  STATE_DONE,
} ResponseState;

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
  ResponseState                 state;
  guint64                       remaining;
  gint64                        content_length;
  gsize                         trailer_bytes;
  gsize                         head_scanned;
  gboolean                      is_head;
  gboolean                      idempotent;
  gboolean                      retried;
  gboolean                      got_bytes;
  gboolean                      keep_alive;
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
    source->tag = g_source_add_unix_fd (connection->source, g_socket_get_fd (connection->socket), condition);
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
  if (error == NULL && connection != NULL && request->keep_alive && !request->closed &&
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

  request->state = STATE_DONE;
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

/* Hands @size buffered bytes of body to the owner. Returns FALSE when the
 * owner cancelled (the request is gone then). */
static gboolean
request_emit_body (OpenIotHubdUpstreamRequest *request,
                   gsize                       size)
{
  GByteArray *in = request->connection->in;
  g_autoptr(GBytes) chunk = g_bytes_new (in->data, size);

  g_byte_array_remove_range (in, 0, size);
  request->in_callback = TRUE;
  request->callbacks.got_body (chunk, request->user_data);
  request->in_callback = FALSE;
  if (request->cancelled)
    {
      request_free (request);
      return FALSE;
    }
  return TRUE;
}

static gssize
find_crlf (GByteArray *in,
           gsize       limit)
{
  gsize end = MIN (in->len, limit);

  for (gsize i = 0; i + 1 < end; i++)
    {
      if (in->data[i] == '\r' && in->data[i + 1] == '\n')
        return i;
    }
  return -1;
}

/* From @from on: a service that trickles its head a byte at a time must
 * not make each read scan all of it again. */
static gssize
find_head_end (GByteArray *in,
               gsize       from)
{
  for (gsize i = from; i + 3 < in->len; i++)
    {
      if (memcmp (in->data + i, "\r\n\r\n", 4) == 0)
        return i;
    }
  return -1;
}

/* What one step of reading a response came to */
typedef enum
{
  STEP_ON,    /* go on with the next state */
  STEP_MORE,  /* the buffer holds too little: wait for more bytes */
  STEP_GONE,  /* the request ended (or was cancelled) and is freed */
} Step;

static Step
request_fail_step (OpenIotHubdUpstreamRequest *request,
                   const char                 *message)
{
  request_fail (request, "%s", message);
  return STEP_GONE;
}

/* The response's framing (RFC 9112 §6.3): Transfer-Encoding chunked, or
 * one Content-Length (repeated alike, at most), or until the connection
 * closes. Anything else is refused: a body whose end is anybody's guess
 * could smuggle a response. Returns: why the framing is refused, or NULL. */
static const char *
request_choose_framing (OpenIotHubdUpstreamRequest *request,
                        SoupMessageHeaders         *headers,
                        SoupHTTPVersion             version,
                        guint                       status)
{
  const char *te = soup_message_headers_get_list (headers, "Transfer-Encoding");
  const char *lengths = soup_message_headers_get_list (headers, "Content-Length");
  gboolean no_body = request->is_head || status == SOUP_STATUS_NO_CONTENT ||
                     status == SOUP_STATUS_NOT_MODIFIED;

  if (te != NULL)
    {
      g_autofree char *coding = g_strstrip (g_strdup (te));

      if (lengths != NULL)
        return "both Transfer-Encoding and Content-Length";
      if (version == SOUP_HTTP_1_0)
        return "Transfer-Encoding in an HTTP/1.0 response";
      if (g_ascii_strcasecmp (coding, "chunked") != 0)
        return "a Transfer-Encoding other than chunked";
      request->state = no_body ? STATE_DONE : STATE_CHUNK_SIZE;
      return NULL;
    }
  if (lengths != NULL)
    {
      g_auto(GStrv) values = g_strsplit (lengths, ",", -1);
      const char *first = g_strstrip (values[0]);
      gsize digits = strspn (first, "0123456789");

      if (digits == 0 || digits > 18 || first[digits] != '\0')
        return "a malformed Content-Length";
      for (guint i = 1; values[i] != NULL; i++)
        {
          if (strcmp (g_strstrip (values[i]), first) != 0)
            return "two different Content-Lengths";
        }
      /* a HEAD or 304 answer gives the length of a body it does not send */
      request->content_length = g_ascii_strtoull (first, NULL, 10);
      request->remaining = no_body ? 0 : request->content_length;
      request->state = no_body ? STATE_DONE : STATE_BODY_LENGTH;
      return NULL;
    }
  if (no_body)
    request->state = STATE_DONE;
  else
    {
      request->state = STATE_BODY_UNTIL_CLOSE;
      request->keep_alive = FALSE;
    }
  return NULL;
}

static Step
request_read_head (OpenIotHubdUpstreamRequest *request)
{
  GByteArray *in = request->connection->in;
  gssize end = find_head_end (in, request->head_scanned);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *block = NULL;
  g_autofree char *reason = NULL;
  const char *refused;
  SoupHTTPVersion version;
  guint status;

  if ((end < 0 && in->len > MAX_HEAD_BYTES) || end + 4 > MAX_HEAD_BYTES)
    return request_fail_step (request, "the response head is larger than 64 KiB");
  if (end < 0)
    {
      request->head_scanned = in->len > 3 ? in->len - 3 : 0;
      return STEP_MORE;
    }
  request->head_scanned = 0;

  /* libsoup's parser takes the head without its blank line; a NUL byte
   * in it is refused */
  block = g_strndup ((const char *) in->data, end + 2);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (strlen (block) != (gsize) end + 2 ||
      !soup_headers_parse_response (block, end + 2, headers, &version, &status, &reason))
    return request_fail_step (request, "malformed response head");
  g_byte_array_remove_range (in, 0, end + 4);

  if (status == SOUP_STATUS_SWITCHING_PROTOCOLS)
    return request_fail_step (request, "the service tried to switch protocols");
  if (SOUP_STATUS_IS_INFORMATIONAL (status))
    return STEP_ON; /* 100 Continue and its kin: the real head follows */

  request->keep_alive = version == SOUP_HTTP_1_1
                          ? !soup_message_headers_header_contains (headers, "Connection", "close")
                          : soup_message_headers_header_contains (headers, "Connection", "keep-alive");
  if ((refused = request_choose_framing (request, headers, version, status)) != NULL)
    return request_fail_step (request, refused);

  request->in_callback = TRUE;
  request->callbacks.got_head (status, reason, headers, request->user_data);
  request->in_callback = FALSE;
  if (request->cancelled)
    {
      request_free (request);
      return STEP_GONE;
    }
  return STEP_ON;
}

/* "1a;ext=x" → 26. Hexadecimal digits only, then an extension or
 * nothing; more than 15 digits would overflow, and no service sends a
 * chunk of an exabyte. */
static gboolean
parse_chunk_size (const guint8 *line,
                  gsize         length,
                  guint64      *size)
{
  gsize i = 0;

  *size = 0;
  for (; i < length && g_ascii_isxdigit (line[i]); i++)
    {
      if (i == 15)
        return FALSE;
      *size = *size * 16 + g_ascii_xdigit_value (line[i]);
    }
  if (i == 0)
    return FALSE;
  while (i < length && (line[i] == ' ' || line[i] == '\t'))
    i++;
  return i == length || line[i] == ';';
}

/* Body bytes, as many as the buffer holds and the framing allows */
static Step
request_read_body (OpenIotHubdUpstreamRequest *request)
{
  gsize take = request->connection->in->len;

  if (request->state != STATE_BODY_UNTIL_CLOSE)
    {
      if (request->remaining == 0)
        {
          request->state = request->state == STATE_BODY_LENGTH ? STATE_DONE : STATE_CHUNK_END;
          return STEP_ON;
        }
      take = MIN (take, request->remaining);
      request->remaining -= take;
    }
  if (take == 0)
    return STEP_MORE;
  return request_emit_body (request, take) ? STEP_ON : STEP_GONE;
}

static Step
request_read_chunk_size (OpenIotHubdUpstreamRequest *request)
{
  GByteArray *in = request->connection->in;
  gssize line_end = find_crlf (in, MAX_CHUNK_LINE_BYTES);

  if (line_end < 0)
    return in->len >= MAX_CHUNK_LINE_BYTES ? request_fail_step (request, "malformed chunked body") : STEP_MORE;
  if (!parse_chunk_size (in->data, line_end, &request->remaining))
    return request_fail_step (request, "malformed chunked body");
  g_byte_array_remove_range (in, 0, line_end + 2);
  request->state = request->remaining == 0 ? STATE_TRAILERS : STATE_CHUNK_DATA;
  return STEP_ON;
}

static Step
request_read_chunk_end (OpenIotHubdUpstreamRequest *request)
{
  GByteArray *in = request->connection->in;

  if (in->len < 2)
    return STEP_MORE;
  if (in->data[0] != '\r' || in->data[1] != '\n')
    return request_fail_step (request, "malformed chunked body");
  g_byte_array_remove_range (in, 0, 2);
  request->state = STATE_CHUNK_SIZE;
  return STEP_ON;
}

/* Trailer fields: passed on by no proxy here, read and dropped */
static Step
request_read_trailer (OpenIotHubdUpstreamRequest *request)
{
  GByteArray *in = request->connection->in;
  gssize line_end = find_crlf (in, MAX_TRAILER_BYTES);

  if (line_end < 0)
    return in->len >= MAX_TRAILER_BYTES ? request_fail_step (request, "the response's trailers are too large")
                                        : STEP_MORE;
  request->trailer_bytes += line_end + 2;
  if (request->trailer_bytes > MAX_TRAILER_BYTES)
    return request_fail_step (request, "the response's trailers are too large");
  g_byte_array_remove_range (in, 0, line_end + 2);
  if (line_end == 0)
    request->state = STATE_DONE;
  return STEP_ON;
}

static void request_connection_closed (OpenIotHubdUpstreamRequest *request);

/* Takes what the buffer holds as far as the framing and the owner allow;
 * once the service has closed the connection, what is left decides how
 * the request ends. */
static void
request_process (OpenIotHubdUpstreamRequest *request)
{
  Step step = STEP_ON;

  while (step == STEP_ON && !request->paused)
    {
      switch (request->state)
        {
        case STATE_HEAD:
          step = request_read_head (request);
          break;
        case STATE_BODY_LENGTH:
        case STATE_CHUNK_DATA:
        case STATE_BODY_UNTIL_CLOSE:
          step = request_read_body (request);
          break;
        case STATE_CHUNK_SIZE:
          step = request_read_chunk_size (request);
          break;
        case STATE_CHUNK_END:
          step = request_read_chunk_end (request);
          break;
        case STATE_TRAILERS:
          step = request_read_trailer (request);
          break;
        case STATE_DONE:
          request_finish (request, NULL);
          return;
        default:
          g_assert_not_reached ();
        }
    }

  if (step == STEP_MORE && request->closed)
    request_connection_closed (request);
}

/* The connection closed (or broke) under @request and the buffer holds
 * nothing more it can use. */
static void
request_connection_closed (OpenIotHubdUpstreamRequest *request)
{
  if (request->state == STATE_BODY_UNTIL_CLOSE)
    {
      request_finish (request, NULL);
      return;
    }

  /* A kept-alive connection the service closed just as it was reused:
   * the request never reached it, so it may go again, once, on a new
   * connection — unless it could have had an effect (RFC 9110 §9.2.2). */
  if (request->connection->reused && !request->got_bytes && request->idempotent && !request->retried)
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
  else if (request->state == STATE_HEAD)
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
  n = g_socket_receive (request->connection->socket, (char *) in->data + old_len, READ_BYTES, NULL, &error);
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
      !openiot_hubd_service_socket_check_peer (g_socket_connection_get_socket (socket_connection), &error))
    {
      request_finish (request, error);
      return;
    }
  request_attach (request, connection_new (request->upstream, g_steal_pointer (&socket_connection)));
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
  request->state = STATE_HEAD;
  request->content_length = -1;
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
  return request->content_length;
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
