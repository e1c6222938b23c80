// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <nghttp2/nghttp2.h>

#include "openiot-protocol-private.h"

#include "openiot-hubd-listener.h"

#include "openiot-hubd-h2-connection.h"

/*
 * HTTP/2 on the main port (docs/hub-front.md, "HTTP/2"). libsoup 3.2's
 * server speaks HTTP/1 only, and the handlers, the proxy and their limits
 * are written against it. So a connection that negotiated "h2" by ALPN
 * is served by nghttp2 here, and each of its streams becomes one HTTP/1.1
 * exchange on an in-process connection (a UNIX socket pair) into the same
 * SoupServer; the response is read back, unframed and sent on as HEADERS
 * and DATA. Everything runs on the main loop with non-blocking I/O.
 *
 * Memory is bounded per stream, both ways: a request body is taken from
 * the client only as its flow-control window allows, and the window is
 * given back (nghttp2_session_consume()) once the bytes are written into
 * the internal connection; a response is read from the internal connection
 * only while less than STREAM_BUFFER_BYTES of it wait for the client's
 * window or the TLS socket, so a client that stops reading stops the
 * SoupServer's writes, and the proxy's back-pressure does the rest.
 */

/* SETTINGS_MAX_CONCURRENT_STREAMS: as nginx and most servers */
#define MAX_CONCURRENT_STREAMS 100
/* The HTTP/1 path allows 64 headers and 16 KiB of them; HPACK counts 32
 * bytes more per field (RFC 9113 §6.5.2). */
#define MAX_HEADER_LIST_BYTES (16 * 1024 + 64 * 32)
/* Internal connections alive at once, idle ones included, per client
 * connection: streams past it wait (and the client is not read) until
 * one is released, so resetting streams cannot pile work up in the hub. */
#define MAX_INTERNAL_CONNECTIONS 128
#define MAX_IDLE_INTERNAL_CONNECTIONS 16
/* As the proxy's CLIENT_WINDOW_BYTES for HTTP/1 */
#define STREAM_BUFFER_BYTES (64 * 1024)
#define READ_BYTES (16 * 1024)
/* Output gathered into one TLS write */
#define WRITE_BATCH_BYTES (16 * 1024)
#define MAX_RESPONSE_HEAD_BYTES (64 * 1024)
/* RST_STREAM frames from the client: burst, then per second */
#define RESET_BURST 1000
#define RESET_RATE 33

typedef struct _Backend Backend;

typedef enum
{
  BODY_NONE,
  BODY_HEAD,          /* reading the status line and headers */
  BODY_LENGTH,
  BODY_CHUNK_SIZE,
  BODY_CHUNK_DATA,
  BODY_CHUNK_END,     /* the CRLF after a chunk's data */
  BODY_TRAILERS,
  BODY_UNTIL_EOF,
  BODY_DONE,
} BodyState;

typedef struct
{
  OpenIotHubdH2Connection *conn;
  int32_t                 id;
  GString                *head;           /* the HTTP/1.1 request head being built */
  char                   *method;
  char                   *path;
  char                   *authority;
  GString                *cookie;
  gsize                   header_bytes;
  gboolean                too_large;      /* past MAX_HEADER_LIST_BYTES: 431 */
  gboolean                has_length;
  gboolean                chunked;        /* a body without Content-Length */
  gboolean                head_ready;
  gboolean                request_done;   /* END_STREAM seen, the end framed */
  GByteArray             *request_out;    /* to write to the internal connection */
  gsize                   unconsumed;     /* DATA bytes in request_out */
  Backend                *backend;
  GByteArray             *response;       /* decoded body, waiting for the client */
  gboolean                response_started;
  gboolean                response_done;
  gboolean                deferred;
  gboolean                waiting;        /* in conn->waiting */
} Stream;

struct _Backend
{
  OpenIotHubdH2Connection *conn;
  GSocket                *socket;         /* the hub's end; libsoup has the other */
  GSource                *read_source;
  GSource                *write_source;
  Stream                 *stream;
  BodyState               state;
  GByteArray             *in;             /* read, not yet parsed */
  goffset                 remaining;
  gboolean                keep_alive;
  gboolean                is_head;
};

struct _OpenIotHubdH2Connection
{
  GObject          parent_instance;

  SoupServer      *soup;
  GIOStream       *tls;
  GSocketAddress  *local;
  GSocketAddress  *remote;
  char            *fingerprint;
  nghttp2_session *session;
  GSource         *read_source;
  GSource         *write_source;
  GByteArray      *out;             /* serialized frames not yet written */
  GHashTable      *streams;         /* stream id → Stream */
  GQueue           idle;            /* Backend *, ready for a request */
  GQueue           waiting;         /* Stream *, for a backend */
  guint            alive;           /* internal connections libsoup holds */
  guint            idle_timeout;
  guint            idle_id;
  gint64           last_io;         /* last byte read or written */
  gboolean         dispatching;
  gboolean         closed;
};

G_DEFINE_FINAL_TYPE (OpenIotHubdH2Connection, openiot_hubd_h2_connection, G_TYPE_OBJECT)

static void update_io (OpenIotHubdH2Connection *self);
static void backend_update_io (Backend *backend);
static void dispatch_waiting (OpenIotHubdH2Connection *self);

/* Backends (internal connections) */

static void
backend_free (Backend *backend)
{
  if (backend->read_source != NULL)
    {
      g_source_destroy (backend->read_source);
      g_source_unref (backend->read_source);
    }
  if (backend->write_source != NULL)
    {
      g_source_destroy (backend->write_source);
      g_source_unref (backend->write_source);
    }
  /* libsoup sees the end at its next read or write: an event stream's
   * proxy then cancels the upstream request. */
  g_socket_shutdown (backend->socket, TRUE, TRUE, NULL);
  g_socket_close (backend->socket, NULL);
  g_clear_object (&backend->socket);
  g_clear_pointer (&backend->in, g_byte_array_unref);
  g_free (backend);
}

static void
on_internal_released (gpointer  data,
                      GObject  *where_the_object_was)
{
  OpenIotHubdH2Connection *self = data;

  g_assert (self->alive > 0);
  self->alive--;
  if (!self->closed)
    {
      dispatch_waiting (self);
      update_io (self);
    }
  g_object_unref (self);
}

static Backend *
backend_new (OpenIotHubdH2Connection *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) theirs = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  Backend *backend;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      g_warning ("Could not make an internal connection: %s", g_strerror (errno));
      return NULL;
    }

  backend = g_new0 (Backend, 1);
  backend->conn = self;
  backend->socket = g_socket_new_from_fd (fds[0], &error);
  theirs = g_socket_new_from_fd (fds[1], &error);
  if (backend->socket == NULL || theirs == NULL)
    {
      g_warning ("Could not make an internal connection: %s", error->message);
      if (backend->socket == NULL)
        close (fds[0]);
      if (theirs == NULL)
        close (fds[1]);
      g_clear_object (&backend->socket);
      g_free (backend);
      return NULL;
    }
  backend->in = g_byte_array_new ();

  /* Each internal connection has an address object of its own: the
   * handlers shut down "the connection's socket" to cut a response or a
   * slow request, which here must end one stream, not the client's
   * connection with all its streams. */
  remote = g_inet_socket_address_new (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (self->remote)),
                                      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (self->remote)));
  openiot_hubd_listener_tag_address (remote, self->fingerprint, theirs);

  stream = G_IO_STREAM (g_socket_connection_factory_create_connection (theirs));
  self->alive++;
  g_object_weak_ref (G_OBJECT (stream), on_internal_released, g_object_ref (self));
  if (!soup_server_accept_iostream (self->soup, stream, self->local, remote, &error))
    g_warning ("Could not serve an internal connection: %s", error->message);

  return backend;
}

/* Sends @stream's response head; @headers from the HTTP/1.1 response. */
static void submit_response (Stream             *stream,
                             guint               status,
                             SoupMessageHeaders *headers,
                             gboolean            has_body);

static void
stream_response_error (Stream *stream)
{
  OpenIotHubdH2Connection *self = stream->conn;

  if (!stream->response_started)
    {
      stream->response_done = TRUE;
      submit_response (stream, SOUP_STATUS_BAD_GATEWAY, NULL, FALSE);
    }
  else
    nghttp2_submit_rst_stream (self->session, NGHTTP2_FLAG_NONE, stream->id, NGHTTP2_INTERNAL_ERROR);
}

/* @backend's response is over (or broken): reuse it or close it. */
static void
backend_detach (Backend  *backend,
                gboolean  reusable)
{
  OpenIotHubdH2Connection *self = backend->conn;
  Stream *stream = backend->stream;

  if (stream != NULL)
    {
      stream->backend = NULL;
      backend->stream = NULL;
      reusable = reusable && stream->request_done && stream->request_out->len == 0;
      /* answered before the whole body came (a refusal): the rest of
       * it goes nowhere, and its window is given back */
      if (stream->unconsumed > 0)
        nghttp2_session_consume (self->session, stream->id, stream->unconsumed);
      stream->unconsumed = 0;
      g_byte_array_set_size (stream->request_out, 0);
    }

  if (reusable && backend->keep_alive && backend->in->len == 0 && !self->closed &&
      g_queue_get_length (&self->idle) < MAX_IDLE_INTERNAL_CONNECTIONS)
    {
      backend->state = BODY_NONE;
      backend_update_io (backend);
      g_queue_push_head (&self->idle, backend);
      dispatch_waiting (self);
      return;
    }

  backend_free (backend);
}

static gboolean
parse_head (Backend *backend)
{
  Stream *stream = backend->stream;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  SoupHTTPVersion version;
  guint status;
  const guint8 *end = NULL;
  gsize head_len;
  const char *connection;

  for (gsize i = 0; i + 3 < backend->in->len; i++)
    {
      if (memcmp (backend->in->data + i, "\r\n\r\n", 4) == 0)
        {
          end = backend->in->data + i + 4;
          break;
        }
    }
  if (end == NULL)
    return backend->in->len <= MAX_RESPONSE_HEAD_BYTES;

  head_len = end - backend->in->data;
  if (!soup_headers_parse_response ((const char *) backend->in->data, head_len, headers,
                                    &version, &status, NULL))
    return FALSE;
  g_byte_array_remove_range (backend->in, 0, head_len);

  /* 100 Continue and its kin: HTTP/2 has no use for them here */
  if (status >= 100 && status < 200)
    return TRUE;

  connection = soup_message_headers_get_list (headers, "Connection");
  backend->keep_alive = version == SOUP_HTTP_1_1 &&
                        !(connection != NULL && soup_header_contains (connection, "close"));

  if (backend->is_head || status == 204 || status == 304)
    backend->state = BODY_DONE;
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    backend->state = BODY_CHUNK_SIZE;
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    {
      backend->remaining = soup_message_headers_get_content_length (headers);
      backend->state = backend->remaining > 0 ? BODY_LENGTH : BODY_DONE;
    }
  else
    {
      backend->state = BODY_UNTIL_EOF;
      backend->keep_alive = FALSE;
    }

  submit_response (stream, status, headers, backend->state != BODY_DONE);
  return TRUE;
}

static void
take_body (Backend *backend,
           gsize    len)
{
  g_byte_array_append (backend->stream->response, backend->in->data, len);
  g_byte_array_remove_range (backend->in, 0, len);
}

/* Reads a CRLF-terminated line off @backend->in; FALSE when not all in. */
static gboolean
take_line (Backend  *backend,
           char    **line)
{
  for (gsize i = 0; i + 1 < backend->in->len; i++)
    {
      if (backend->in->data[i] == '\r' && backend->in->data[i + 1] == '\n')
        {
          *line = g_strndup ((const char *) backend->in->data, i);
          g_byte_array_remove_range (backend->in, 0, i + 2);
          return TRUE;
        }
    }
  return FALSE;
}

/* Parses what @backend read: FALSE if the response is malformed. */
static gboolean
backend_parse (Backend *backend)
{
  for (;;)
    {
      g_autofree char *line = NULL;
      BodyState before = backend->state;
      gsize before_len = backend->in->len;

      switch (backend->state)
        {
        case BODY_HEAD:
          if (!parse_head (backend))
            return FALSE;
          break;

        case BODY_LENGTH:
          {
            gsize len = MIN ((goffset) backend->in->len, backend->remaining);

            take_body (backend, len);
            backend->remaining -= len;
            if (backend->remaining == 0)
              backend->state = BODY_DONE;
          }
          break;

        case BODY_CHUNK_SIZE:
          if (take_line (backend, &line))
            {
              char *end;
              guint64 size = g_ascii_strtoull (line, &end, 16);

              if (end == line || (*end != '\0' && *end != ';' && *end != ' ') || size > G_MAXINT32)
                return FALSE;
              backend->remaining = size;
              backend->state = size > 0 ? BODY_CHUNK_DATA : BODY_TRAILERS;
            }
          else if (backend->in->len > 1024)
            return FALSE;
          break;

        case BODY_CHUNK_DATA:
          {
            gsize len = MIN ((goffset) backend->in->len, backend->remaining);

            take_body (backend, len);
            backend->remaining -= len;
            if (backend->remaining == 0)
              backend->state = BODY_CHUNK_END;
          }
          break;

        case BODY_CHUNK_END:
          if (take_line (backend, &line))
            {
              if (*line != '\0')
                return FALSE;
              backend->state = BODY_CHUNK_SIZE;
            }
          break;

        case BODY_TRAILERS:
          /* dropped: the hub's handlers send none */
          if (take_line (backend, &line))
            {
              if (*line == '\0')
                backend->state = BODY_DONE;
            }
          else if (backend->in->len > MAX_RESPONSE_HEAD_BYTES)
            return FALSE;
          break;

        case BODY_UNTIL_EOF:
          take_body (backend, backend->in->len);
          break;

        case BODY_NONE:
          /* an idle connection has nothing to say */
          return backend->in->len == 0;

        case BODY_DONE:
          return TRUE;
        }

      if (backend->state == before && backend->in->len == before_len)
        return TRUE;
    }
}

static void
stream_response_progress (Stream *stream)
{
  OpenIotHubdH2Connection *self = stream->conn;

  if (stream->deferred)
    {
      stream->deferred = FALSE;
      nghttp2_session_resume_data (self->session, stream->id);
    }
}

static gboolean
on_backend_readable (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      data)
{
  Backend *backend = data;
  OpenIotHubdH2Connection *self = backend->conn;
  Stream *stream = backend->stream;
  g_autoptr(GError) error = NULL;
  guint8 buffer[READ_BYTES];
  GSource *current;
  gssize n;

  n = g_socket_receive (socket, (char *) buffer, sizeof buffer, NULL, &error);
  if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;

  /* kept only while the response goes on (below) */
  g_clear_pointer (&backend->read_source, g_source_unref);

  if (stream == NULL)
    {
      /* an idle connection that libsoup closed (or spoke on): drop it */
      g_queue_remove (&self->idle, backend);
      backend_free (backend);
      return G_SOURCE_REMOVE;
    }

  if (n <= 0)
    {
      if (backend->state == BODY_UNTIL_EOF)
        backend->state = BODY_DONE;
      else if (backend->state != BODY_DONE)
        {
          stream_response_error (stream);
          backend_detach (backend, FALSE);
          update_io (self);
          return G_SOURCE_REMOVE;
        }
    }
  else
    {
      g_byte_array_append (backend->in, buffer, n);
      if (!backend_parse (backend))
        {
          g_debug ("An internal response could not be parsed");
          stream_response_error (stream);
          backend_detach (backend, FALSE);
          update_io (self);
          return G_SOURCE_REMOVE;
        }
    }

  if (stream->response->len > 0 || backend->state == BODY_DONE)
    stream_response_progress (stream);

  if (backend->state == BODY_DONE)
    {
      stream->response_done = TRUE;
      stream_response_progress (stream);
      backend_detach (backend, TRUE);
      update_io (self);
      return G_SOURCE_REMOVE;
    }

  /* The same source goes on unless the stream's buffer is full. Sending
   * may end the stream and free @backend, which destroys the source. */
  current = g_main_current_source ();
  if (stream->response->len >= STREAM_BUFFER_BYTES)
    {
      update_io (self);
      return G_SOURCE_REMOVE;
    }
  backend->read_source = g_source_ref (current);
  update_io (self);
  return g_source_is_destroyed (current) ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
on_backend_writable (GSocket      *socket,
                     GIOCondition  condition,
                     gpointer      data)
{
  Backend *backend = data;
  OpenIotHubdH2Connection *self = backend->conn;
  Stream *stream = backend->stream;
  g_autoptr(GError) error = NULL;
  gssize n;

  g_clear_pointer (&backend->write_source, g_source_unref);
  g_assert (stream != NULL);

  n = g_socket_send (socket, (const char *) stream->request_out->data, stream->request_out->len,
                     NULL, &error);
  if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      /* libsoup closed it: it may have answered already (a refusal), so
       * read what it said before giving up on it. */
      g_byte_array_set_size (stream->request_out, 0);
      stream->unconsumed = 0;
      backend_update_io (backend);
      return G_SOURCE_REMOVE;
    }
  if (n > 0)
    {
      g_byte_array_remove_range (stream->request_out, 0, n);
      if (stream->request_out->len == 0 && stream->unconsumed > 0)
        {
          /* what the client sent is in libsoup's hands: open its window */
          nghttp2_session_consume (self->session, stream->id, stream->unconsumed);
          stream->unconsumed = 0;
          backend_update_io (backend);
          update_io (self);   /* may free @backend */
          return G_SOURCE_REMOVE;
        }
    }

  backend_update_io (backend);
  return G_SOURCE_REMOVE;
}

static void
backend_update_io (Backend *backend)
{
  Stream *stream = backend->stream;
  gboolean want_read, want_write;

  if (stream == NULL)
    {
      /* idle: watch it, to notice libsoup closing it */
      want_read = TRUE;
      want_write = FALSE;
    }
  else
    {
      want_read = stream->response->len < STREAM_BUFFER_BYTES;
      want_write = stream->request_out->len > 0;
    }

  if (want_read && backend->read_source == NULL)
    {
      backend->read_source = g_socket_create_source (backend->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (backend->read_source, G_SOURCE_FUNC (on_backend_readable), backend, NULL);
      g_source_attach (backend->read_source, NULL);
    }
  else if (!want_read && backend->read_source != NULL)
    {
      g_source_destroy (backend->read_source);
      g_clear_pointer (&backend->read_source, g_source_unref);
    }

  if (want_write && backend->write_source == NULL)
    {
      backend->write_source = g_socket_create_source (backend->socket, G_IO_OUT, NULL);
      g_source_set_callback (backend->write_source, G_SOURCE_FUNC (on_backend_writable), backend, NULL);
      g_source_attach (backend->write_source, NULL);
    }
}

/* Streams */

static void
stream_free (Stream *stream)
{
  if (stream->backend != NULL)
    {
      /* reset or closed before its response was over: libsoup's side
       * must learn it, so that the proxy cancels upstream */
      Backend *backend = stream->backend;

      backend->stream = NULL;
      backend_free (backend);
    }
  if (stream->waiting)
    g_queue_remove (&stream->conn->waiting, stream);
  if (stream->head != NULL)
    g_string_free (stream->head, TRUE);
  if (stream->cookie != NULL)
    g_string_free (stream->cookie, TRUE);
  g_free (stream->method);
  g_free (stream->path);
  g_free (stream->authority);
  g_byte_array_unref (stream->request_out);
  g_byte_array_unref (stream->response);
  g_free (stream);
}

static Backend *
take_backend (OpenIotHubdH2Connection *self)
{
  Backend *backend;

  while ((backend = g_queue_pop_head (&self->idle)) != NULL)
    {
      if (g_socket_condition_check (backend->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
        return backend;
      backend_free (backend);
    }

  if (self->alive >= MAX_INTERNAL_CONNECTIONS)
    return NULL;
  return backend_new (self);
}

static void
stream_attach (Stream  *stream,
               Backend *backend)
{
  g_autoptr(GByteArray) body = stream->request_out;

  stream->backend = backend;
  backend->stream = stream;
  backend->state = BODY_HEAD;
  backend->keep_alive = FALSE;
  backend->is_head = g_strcmp0 (stream->method, "HEAD") == 0;
  g_byte_array_set_size (backend->in, 0);

  /* the head goes first, then what body came meanwhile */
  stream->request_out = g_byte_array_new ();
  g_byte_array_append (stream->request_out, (const guint8 *) stream->head->str, stream->head->len);
  g_byte_array_append (stream->request_out, body->data, body->len);
  g_string_free (stream->head, TRUE);
  stream->head = NULL;

  if (backend->read_source != NULL)
    {
      g_source_destroy (backend->read_source);
      g_clear_pointer (&backend->read_source, g_source_unref);
    }
  backend_update_io (backend);
}

static void
dispatch_waiting (OpenIotHubdH2Connection *self)
{
  Stream *stream;

  /* backend_new() can release an internal connection at once, which
   * calls back here */
  if (self->dispatching)
    return;
  self->dispatching = TRUE;
  while ((stream = g_queue_peek_head (&self->waiting)) != NULL)
    {
      Backend *backend = take_backend (self);

      if (backend == NULL)
        break;
      g_queue_pop_head (&self->waiting);
      stream->waiting = FALSE;
      stream_attach (stream, backend);
    }
  self->dispatching = FALSE;
}

static gboolean
is_connection_specific (const char *name,
                        const char *connection)
{
  static const char *names[] = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", NULL,
  };

  if (g_strv_contains (names, name))
    return TRUE;
  return connection != NULL && soup_header_contains (connection, name);
}

static ssize_t
read_response (nghttp2_session     *session,
               int32_t              stream_id,
               uint8_t             *buf,
               size_t               length,
               uint32_t            *data_flags,
               nghttp2_data_source *source,
               void                *user_data)
{
  Stream *stream = source->ptr;
  gsize n = MIN (length, stream->response->len);

  memcpy (buf, stream->response->data, n);
  g_byte_array_remove_range (stream->response, 0, n);

  if (stream->response_done && stream->response->len == 0)
    *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  else if (n == 0)
    {
      stream->deferred = TRUE;
      return NGHTTP2_ERR_DEFERRED;
    }

  /* room again: read on from libsoup */
  if (stream->backend != NULL)
    backend_update_io (stream->backend);
  return n;
}

#define NV(n, v) { (uint8_t *) (n), (uint8_t *) (v), strlen (n), strlen (v), NGHTTP2_NV_FLAG_NONE }

static void
submit_response (Stream             *stream,
                 guint               status,
                 SoupMessageHeaders *headers,
                 gboolean            has_body)
{
  OpenIotHubdH2Connection *self = stream->conn;
  g_autoptr(GArray) nva = g_array_new (FALSE, FALSE, sizeof (nghttp2_nv));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  nghttp2_data_provider provider = { .source.ptr = stream, .read_callback = read_response };
  nghttp2_nv status_nv = NV (":status", status_text);

  stream->response_started = TRUE;
  g_array_append_val (nva, status_nv);

  if (headers != NULL)
    {
      const char *connection = soup_message_headers_get_list (headers, "Connection");
      SoupMessageHeadersIter iter;
      const char *name, *value;

      soup_message_headers_iter_init (&iter, headers);
      while (soup_message_headers_iter_next (&iter, &name, &value))
        {
          char *lower = g_ascii_strdown (name, -1);
          nghttp2_nv nv = NV (lower, value);

          g_ptr_array_add (names, lower);
          if (!is_connection_specific (lower, connection))
            g_array_append_val (nva, nv);
        }
    }

  /* nghttp2 copies the names and values */
  nghttp2_submit_response (self->session, stream->id, (nghttp2_nv *) nva->data, nva->len,
                           has_body ? &provider : NULL);
}

static void
respond_headers_too_large (Stream *stream)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autofree char *json = _openiot_protocol_error_json ("headers-too-large",
                                                        "At most 64 headers and 16384 bytes of them");

  /* answered: a body that follows is dropped (on_data_chunk_recv()) */
  stream->head_ready = TRUE;
  soup_message_headers_replace (headers, "Content-Type", "application/json");
  g_byte_array_append (stream->response, (const guint8 *) json, strlen (json));
  stream->response_done = TRUE;
  submit_response (stream, 431, headers, TRUE);
}

/* nghttp2 callbacks */

static int
on_begin_headers (nghttp2_session     *session,
                  const nghttp2_frame *frame,
                  void                *user_data)
{
  OpenIotHubdH2Connection *self = user_data;
  Stream *stream;

  if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
    return 0;

  stream = g_new0 (Stream, 1);
  stream->conn = self;
  stream->id = frame->hd.stream_id;
  stream->head = g_string_new (NULL);
  stream->request_out = g_byte_array_new ();
  stream->response = g_byte_array_new ();
  g_hash_table_insert (self->streams, GINT_TO_POINTER (stream->id), stream);
  nghttp2_session_set_stream_user_data (session, stream->id, stream);
  return 0;
}

static int
on_header (nghttp2_session     *session,
           const nghttp2_frame *frame,
           const uint8_t       *name,
           size_t               namelen,
           const uint8_t       *value,
           size_t               valuelen,
           uint8_t              flags,
           void                *user_data)
{
  Stream *stream = nghttp2_session_get_stream_user_data (session, frame->hd.stream_id);

  if (stream == NULL || stream->head == NULL || stream->head_ready)
    return 0;   /* trailers: dropped */

  /* Past the bound nothing more is kept: the request is answered 431,
   * as the HTTP/1 path answers it. */
  stream->header_bytes += namelen + valuelen + 32;
  if (stream->header_bytes > MAX_HEADER_LIST_BYTES)
    stream->too_large = TRUE;
  if (stream->too_large)
    return 0;

  /* nghttp2 has checked the names and values (RFC 9113 §8.2.1: no CR, LF
   * or NUL, lower-case names, no connection-specific fields), so they
   * cannot break out of the HTTP/1.1 head they are written into. */
  if (namelen == 7 && memcmp (name, ":method", 7) == 0)
    stream->method = g_strndup ((const char *) value, valuelen);
  else if (namelen == 5 && memcmp (name, ":path", 5) == 0)
    stream->path = g_strndup ((const char *) value, valuelen);
  else if (namelen == 10 && memcmp (name, ":authority", 10) == 0)
    stream->authority = g_strndup ((const char *) value, valuelen);
  else if (name[0] == ':')
    ;
  else if (namelen == 4 && memcmp (name, "host", 4) == 0)
    {
      if (stream->authority == NULL)
        stream->authority = g_strndup ((const char *) value, valuelen);
    }
  else if (namelen == 6 && memcmp (name, "expect", 6) == 0)
    ;   /* the body comes anyway: no 100 Continue to wait for */
  else if (namelen == 6 && memcmp (name, "cookie", 6) == 0)
    {
      /* RFC 9113 §8.2.3: crumbs are joined again for HTTP/1.1 */
      if (stream->cookie == NULL)
        stream->cookie = g_string_new (NULL);
      else
        g_string_append (stream->cookie, "; ");
      g_string_append_len (stream->cookie, (const char *) value, valuelen);
    }
  else
    {
      if (namelen == 14 && memcmp (name, "content-length", 14) == 0)
        stream->has_length = TRUE;
      g_string_append_len (stream->head, (const char *) name, namelen);
      g_string_append (stream->head, ": ");
      g_string_append_len (stream->head, (const char *) value, valuelen);
      g_string_append (stream->head, "\r\n");
    }
  return 0;
}

static void
stream_request_ready (OpenIotHubdH2Connection *self,
                      Stream                 *stream,
                      gboolean                end_stream)
{
  g_autoptr(GString) head = g_string_new (NULL);

  g_string_append_printf (head, "%s %s HTTP/1.1\r\nHost: %s\r\n", stream->method, stream->path,
                          stream->authority != NULL ? stream->authority : "hub.invalid");
  g_string_append_len (head, stream->head->str, stream->head->len);
  if (stream->cookie != NULL)
    g_string_append_printf (head, "Cookie: %s\r\n", stream->cookie->str);
  if (!end_stream && !stream->has_length)
    {
      stream->chunked = TRUE;
      g_string_append (head, "Transfer-Encoding: chunked\r\n");
    }
  g_string_append (head, "\r\n");
  g_string_free (stream->head, TRUE);
  stream->head = g_steal_pointer (&head);
  stream->head_ready = TRUE;
  stream->request_done = end_stream;

  stream->waiting = TRUE;
  g_queue_push_tail (&self->waiting, stream);
  dispatch_waiting (self);
}

static void
stream_request_end (Stream *stream)
{
  if (stream->request_done)
    return;
  stream->request_done = TRUE;
  if (stream->chunked)
    g_byte_array_append (stream->request_out, (const guint8 *) "0\r\n\r\n", 5);
  if (stream->backend != NULL)
    backend_update_io (stream->backend);
}

static int
on_frame_recv (nghttp2_session     *session,
               const nghttp2_frame *frame,
               void                *user_data)
{
  OpenIotHubdH2Connection *self = user_data;
  Stream *stream = nghttp2_session_get_stream_user_data (session, frame->hd.stream_id);
  gboolean end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;

  if (stream == NULL)
    return 0;

  if (frame->hd.type == NGHTTP2_HEADERS && !stream->head_ready &&
      frame->headers.cat == NGHTTP2_HCAT_REQUEST)
    {
      if (g_strcmp0 (stream->method, "CONNECT") == 0 || stream->path == NULL)
        {
          nghttp2_submit_rst_stream (session, NGHTTP2_FLAG_NONE, stream->id, NGHTTP2_REFUSED_STREAM);
          return 0;
        }
      if (stream->too_large)
        {
          respond_headers_too_large (stream);
          return 0;
        }
      stream_request_ready (self, stream, end_stream);
    }
  else if (end_stream)
    stream_request_end (stream);

  return 0;
}

static int
on_data_chunk_recv (nghttp2_session *session,
                    uint8_t          flags,
                    int32_t          stream_id,
                    const uint8_t   *data,
                    size_t           len,
                    void            *user_data)
{
  Stream *stream = nghttp2_session_get_stream_user_data (session, stream_id);

  /* no stream, or its response is over: the body goes nowhere */
  if (stream == NULL || stream->request_done ||
      (stream->head_ready && !stream->waiting && stream->backend == NULL))
    {
      nghttp2_session_consume (session, stream_id, len);
      return 0;
    }

  /* held until written into the internal connection: the window the
   * client has (64 KiB) bounds it */
  if (stream->chunked)
    {
      char size[20];

      g_snprintf (size, sizeof size, "%zx\r\n", len);
      g_byte_array_append (stream->request_out, (const guint8 *) size, strlen (size));
    }
  g_byte_array_append (stream->request_out, data, len);
  if (stream->chunked)
    g_byte_array_append (stream->request_out, (const guint8 *) "\r\n", 2);
  stream->unconsumed += len;
  if (stream->backend != NULL)
    backend_update_io (stream->backend);
  return 0;
}

static int
on_stream_close (nghttp2_session *session,
                 int32_t          stream_id,
                 uint32_t         error_code,
                 void            *user_data)
{
  OpenIotHubdH2Connection *self = user_data;
  Stream *stream = nghttp2_session_get_stream_user_data (session, stream_id);

  if (stream == NULL)
    return 0;

  /* the connection's window counts bytes not yet given back */
  if (stream->unconsumed > 0)
    nghttp2_session_consume_connection (session, stream->unconsumed);
  stream->unconsumed = 0;
  nghttp2_session_set_stream_user_data (session, stream_id, NULL);
  g_hash_table_remove (self->streams, GINT_TO_POINTER (stream_id));
  return 0;
}

/* TLS I/O */

static void
connection_close (OpenIotHubdH2Connection *self)
{
  if (self->closed)
    return;
  self->closed = TRUE;

  if (self->read_source != NULL)
    {
      g_source_destroy (self->read_source);
      g_clear_pointer (&self->read_source, g_source_unref);
    }
  if (self->write_source != NULL)
    {
      g_source_destroy (self->write_source);
      g_clear_pointer (&self->write_source, g_source_unref);
    }
  g_clear_handle_id (&self->idle_id, g_source_remove);

  /* every stream's internal connection ends with it */
  g_queue_clear (&self->waiting);
  g_hash_table_remove_all (self->streams);
  g_queue_clear_full (&self->idle, (GDestroyNotify) backend_free);
  g_clear_pointer (&self->session, nghttp2_session_del);

  /* the listener frees its link, and closes the socket, with the stream */
  g_clear_object (&self->tls);
  g_object_unref (self);
}

static gboolean on_tls_readable (GObject *stream, gpointer data);
static gboolean on_tls_writable (GObject *stream, gpointer data);

/* Writes what is pending; FALSE if the connection is broken. */
static gboolean
flush (OpenIotHubdH2Connection *self)
{
  GPollableOutputStream *out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->tls));

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n;

      while (self->out->len < WRITE_BATCH_BYTES)
        {
          const uint8_t *data;
          ssize_t len = nghttp2_session_mem_send (self->session, &data);

          if (len < 0)
            {
              g_debug ("HTTP/2: %s", nghttp2_strerror (len));
              return FALSE;
            }
          if (len == 0)
            break;
          g_byte_array_append (self->out, data, len);
        }

      if (self->out->len == 0)
        return TRUE;

      n = g_pollable_output_stream_write_nonblocking (out, self->out->data, self->out->len, NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return TRUE;
      if (n < 0)
        {
          g_debug ("HTTP/2 connection: %s", error->message);
          return FALSE;
        }
      g_byte_array_remove_range (self->out, 0, n);
      self->last_io = g_get_monotonic_time ();
    }
}

static void
update_io (OpenIotHubdH2Connection *self)
{
  gboolean want_read;

  if (self->closed)
    return;

  if (!flush (self))
    {
      connection_close (self);
      return;
    }

  if (!nghttp2_session_want_read (self->session) && !nghttp2_session_want_write (self->session) &&
      self->out->len == 0)
    {
      connection_close (self);
      return;
    }

  /* Not while the client does not take what the hub writes: its frames
   * (PING, SETTINGS acks, resets) would pile up. Streams waiting for an
   * internal connection are bounded by MAX_CONCURRENT_STREAMS and their
   * bodies by the connection's window, and reading on lets the client's
   * WINDOW_UPDATEs and resets in, which free internal connections. */
  want_read = nghttp2_session_want_read (self->session) && self->out->len == 0;

  if (want_read && self->read_source == NULL)
    {
      GPollableInputStream *in = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (self->tls));

      self->read_source = g_pollable_input_stream_create_source (in, NULL);
      g_source_set_callback (self->read_source, G_SOURCE_FUNC (on_tls_readable), self, NULL);
      g_source_attach (self->read_source, NULL);
    }
  else if (!want_read && self->read_source != NULL)
    {
      g_source_destroy (self->read_source);
      g_clear_pointer (&self->read_source, g_source_unref);
    }

  if (self->out->len > 0 && self->write_source == NULL)
    {
      GPollableOutputStream *out = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (self->tls));

      self->write_source = g_pollable_output_stream_create_source (out, NULL);
      g_source_set_callback (self->write_source, G_SOURCE_FUNC (on_tls_writable), self, NULL);
      g_source_attach (self->write_source, NULL);
    }
}

static gboolean
on_tls_writable (GObject  *stream,
                 gpointer  data)
{
  OpenIotHubdH2Connection *self = data;

  g_clear_pointer (&self->write_source, g_source_unref);
  update_io (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_tls_readable (GObject  *stream,
                 gpointer  data)
{
  g_autoptr(OpenIotHubdH2Connection) self = g_object_ref (data);
  guint8 buffer[READ_BYTES];

  /* a few records a wakeup; update_io() drops the source when the hub
   * must stop reading (output backed up, or the session is ending) */
  for (guint i = 0; i < 4 && self->read_source != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;
      ssize_t used;

      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream), buffer, sizeof buffer,
                                                    NULL, &error);
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          if (n < 0)
            g_debug ("HTTP/2 connection: %s", error->message);
          connection_close (self);
          return G_SOURCE_REMOVE;
        }

      self->last_io = g_get_monotonic_time ();
      used = nghttp2_session_mem_recv (self->session, buffer, n);
      if (used == NGHTTP2_ERR_BAD_CLIENT_MAGIC)
        {
          connection_close (self);
          return G_SOURCE_REMOVE;
        }
      if (used < 0)
        {
          /* a protocol error or a flood: nghttp2 queued GOAWAY, sent by
           * update_io(); the session then wants neither read nor write */
          g_debug ("HTTP/2 connection ends: %s", nghttp2_strerror (used));
          nghttp2_session_terminate_session (self->session, NGHTTP2_PROTOCOL_ERROR);
        }
      update_io (self);
    }

  return self->read_source != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
stream_has_backend (gpointer key,
                    gpointer value,
                    gpointer user_data)
{
  return ((Stream *) value)->backend != NULL;
}

/* The HTTP/1 path closes a connection through the socket's timeout when
 * a read or write waits --idle-timeout; a multiplexed connection waits
 * on reads all the time, so here: output the client has not taken for
 * that long, or no byte either way for that long while no request is
 * with the handlers (whose own deadlines and the proxy's timeouts cover
 * those). A stream still in its headers does not keep it open. */
static gboolean
on_idle_check (gpointer data)
{
  OpenIotHubdH2Connection *self = data;
  gboolean idle = g_get_monotonic_time () - self->last_io >= (gint64) self->idle_timeout * G_USEC_PER_SEC;

  if (idle && (self->out->len > 0 || g_hash_table_find (self->streams, stream_has_backend, NULL) == NULL))
    {
      self->idle_id = 0;
      g_debug ("Closing an idle HTTP/2 connection");
      nghttp2_session_terminate_session (self->session, NGHTTP2_NO_ERROR);
      flush (self);
      connection_close (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
openiot_hubd_h2_connection_finalize (GObject *object)
{
  OpenIotHubdH2Connection *self = OPENIOT_HUBD_H2_CONNECTION (object);

  g_assert (self->closed);
  g_hash_table_unref (self->streams);
  g_byte_array_unref (self->out);
  g_clear_object (&self->local);
  g_clear_object (&self->remote);
  g_clear_object (&self->soup);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (openiot_hubd_h2_connection_parent_class)->finalize (object);
}

static void
openiot_hubd_h2_connection_class_init (OpenIotHubdH2ConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = openiot_hubd_h2_connection_finalize;
}

static void
openiot_hubd_h2_connection_init (OpenIotHubdH2Connection *self)
{
  self->streams = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) stream_free);
  self->out = g_byte_array_new ();
}

/**
 * openiot_hubd_h2_connection_serve:
 * @tls: an established TLS connection that negotiated "h2"
 * @remote: the client's address, tagged by the listener
 *
 * Serves HTTP/2 on @tls until the client or the listener ends it; the
 * connection object holds itself (and @tls) alive till then.
 */
void
openiot_hubd_h2_connection_serve (SoupServer     *soup,
                                 GIOStream      *tls,
                                 GSocketAddress *local,
                                 GSocketAddress *remote,
                                 guint           idle_timeout)
{
  OpenIotHubdH2Connection *self = g_object_new (OPENIOT_TYPE_HUBD_H2_CONNECTION, NULL);
  nghttp2_session_callbacks *callbacks;
  nghttp2_option *option;
  nghttp2_settings_entry settings[] = {
    { NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS },
    { NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_BYTES },
    { NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, STREAM_BUFFER_BYTES - 1 },
    { NGHTTP2_SETTINGS_ENABLE_PUSH, 0 },
  };

  self->soup = g_object_ref (soup);
  self->tls = g_object_ref (tls);
  self->local = g_object_ref (local);
  self->remote = g_object_ref (remote);
  self->fingerprint = g_strdup (openiot_hubd_listener_get_address_fingerprint (remote));
  self->idle_timeout = idle_timeout;
  self->last_io = g_get_monotonic_time ();

  nghttp2_session_callbacks_new (&callbacks);
  nghttp2_session_callbacks_set_on_begin_headers_callback (callbacks, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback (callbacks, on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback (callbacks, on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback (callbacks, on_data_chunk_recv);
  nghttp2_session_callbacks_set_on_stream_close_callback (callbacks, on_stream_close);

  nghttp2_option_new (&option);
  /* the window opens as libsoup takes the body, not as nghttp2 reads it */
  nghttp2_option_set_no_auto_window_update (option, 1);
  /* CVE-2023-44487 (rapid reset): GOAWAY past this rate */
  nghttp2_option_set_stream_reset_rate_limit (option, RESET_BURST, RESET_RATE);

  nghttp2_session_server_new2 (&self->session, callbacks, self, option);
  nghttp2_session_callbacks_del (callbacks);
  nghttp2_option_del (option);

  nghttp2_submit_settings (self->session, NGHTTP2_FLAG_NONE, settings, G_N_ELEMENTS (settings));

  if (idle_timeout > 0)
    self->idle_id = g_timeout_add_seconds (MAX (idle_timeout / 4, 1), on_idle_check, self);

  /* the reference the connection holds on itself until connection_close() */
  update_io (self);
}
