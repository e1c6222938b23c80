// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "openiot-hubd-listener.h"

#include "openiot-hubd-h2-connection-private.h"

/*
 * The internal connections of an OpenIotHubdH2Connection: each is a UNIX
 * socket pair whose other end libsoup serves as an HTTP/1.1 connection
 * into the hub's SoupServer. A stream's request is written into one, its
 * response read back, unframed, and handed to nghttp2 as the client's
 * window allows. Idle ones are kept for the next stream.
 */

void
openiot_hubd_h2_backend_free (Backend *backend)
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
      openiot_hubd_h2_dispatch_waiting (self);
      openiot_hubd_h2_connection_update_io (self);
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
  GInetSocketAddress *client;
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
  if (backend->socket != NULL)
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
  client = G_INET_SOCKET_ADDRESS (self->remote);
  remote = g_inet_socket_address_new (g_inet_socket_address_get_address (client),
                                      g_inet_socket_address_get_port (client));
  openiot_hubd_listener_tag_address (remote, self->fingerprint, theirs);

  stream = G_IO_STREAM (g_socket_connection_factory_create_connection (theirs));
  self->alive++;
  g_object_weak_ref (G_OBJECT (stream), on_internal_released, g_object_ref (self));
  if (!soup_server_accept_iostream (self->soup, stream, self->local, remote, &error))
    g_warning ("Could not serve an internal connection: %s", error->message);

  return backend;
}

static void
stream_response_error (Stream *stream)
{
  OpenIotHubdH2Connection *self = stream->conn;

  if (!stream->response_started)
    {
      stream->response_done = TRUE;
      openiot_hubd_h2_submit_response (stream, SOUP_STATUS_BAD_GATEWAY, NULL, FALSE);
    }
  else
    nghttp2_submit_rst_stream (self->session, NGHTTP2_FLAG_NONE, stream->id,
                               NGHTTP2_INTERNAL_ERROR);
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
      openiot_hubd_h2_backend_update_io (backend);
      g_queue_push_head (&self->idle, backend);
      openiot_hubd_h2_dispatch_waiting (self);
      return;
    }

  openiot_hubd_h2_backend_free (backend);
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

  if (status >= 400)
    g_debug ("HTTP/2 stream %d: %s %s answered %u", stream->id, stream->method, stream->path, status);

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

  openiot_hubd_h2_submit_response (stream, status, headers, backend->state != BODY_DONE);
  return TRUE;
}

static void
take_body (Backend *backend,
           gsize    len)
{
  g_byte_array_append (backend->stream->response, backend->in->data, len);
  backend->conn->buffered += len;
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
      openiot_hubd_h2_backend_free (backend);
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
          openiot_hubd_h2_connection_update_io (self);
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
          openiot_hubd_h2_connection_update_io (self);
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
      openiot_hubd_h2_connection_update_io (self);
      return G_SOURCE_REMOVE;
    }

  /* The same source goes on unless the stream's buffer is full. Sending
   * may end the stream and free @backend, which destroys the source. */
  current = g_main_current_source ();
  if (!openiot_hubd_h2_stream_has_room (stream))
    {
      openiot_hubd_h2_connection_update_io (self);
      return G_SOURCE_REMOVE;
    }
  backend->read_source = g_source_ref (current);
  openiot_hubd_h2_connection_update_io (self);
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
      if (stream->unconsumed > 0)
        nghttp2_session_consume (self->session, stream->id, stream->unconsumed);
      stream->unconsumed = 0;
      openiot_hubd_h2_backend_update_io (backend);
      openiot_hubd_h2_connection_update_io (self);   /* may free @backend */
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
          openiot_hubd_h2_backend_update_io (backend);
          openiot_hubd_h2_connection_update_io (self);   /* may free @backend */
          return G_SOURCE_REMOVE;
        }
    }

  openiot_hubd_h2_backend_update_io (backend);
  return G_SOURCE_REMOVE;
}

/* Writes what it can of the request at once: the internal socket is
 * nearly always writable, and waiting for the main loop to say so cost a
 * turn of it per request. Errors are left to on_backend_writable(). */
static void
backend_write_now (Backend *backend)
{
  Stream *stream = backend->stream;
  OpenIotHubdH2Connection *self = backend->conn;
  gssize n;

  n = g_socket_send (backend->socket, (const char *) stream->request_out->data,
                     stream->request_out->len, NULL, NULL);
  if (n <= 0)
    return;

  g_byte_array_remove_range (stream->request_out, 0, n);
  if (stream->request_out->len == 0 && stream->unconsumed > 0)
    {
      /* queues a WINDOW_UPDATE, which the connection sends next */
      nghttp2_session_consume (self->session, stream->id, stream->unconsumed);
      stream->unconsumed = 0;
    }
}

void
openiot_hubd_h2_backend_update_io (Backend *backend)
{
  Stream *stream = backend->stream;
  gboolean want_read, want_write;

  if (stream == NULL)
    {
      /* Idle: not watched (a source per idle connection would be polled
       * at every turn of the main loop); openiot_hubd_h2_take_backend()
       * checks it before use. */
      want_read = FALSE;
      want_write = FALSE;
    }
  else
    {
      want_read = openiot_hubd_h2_stream_has_room (stream);
      want_write = stream->request_out->len > 0;
    }

  if (want_read && backend->read_source == NULL)
    {
      backend->read_source = g_socket_create_source (backend->socket,
                                                     G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
      g_source_set_callback (backend->read_source, G_SOURCE_FUNC (on_backend_readable),
                             backend, NULL);
      g_source_attach (backend->read_source, NULL);
    }
  else if (!want_read && backend->read_source != NULL)
    {
      g_source_destroy (backend->read_source);
      g_clear_pointer (&backend->read_source, g_source_unref);
    }

  if (want_write && backend->write_source == NULL)
    {
      backend_write_now (backend);
      want_write = stream->request_out->len > 0;
    }
  if (want_write && backend->write_source == NULL)
    {
      backend->write_source = g_socket_create_source (backend->socket, G_IO_OUT, NULL);
      g_source_set_callback (backend->write_source, G_SOURCE_FUNC (on_backend_writable),
                             backend, NULL);
      g_source_attach (backend->write_source, NULL);
    }
}


Backend *
openiot_hubd_h2_take_backend (OpenIotHubdH2Connection *self)
{
  Backend *backend;

  while ((backend = g_queue_pop_head (&self->idle)) != NULL)
    {
      if (g_socket_condition_check (backend->socket, G_IO_IN | G_IO_HUP | G_IO_ERR) == 0)
        return backend;
      openiot_hubd_h2_backend_free (backend);
    }

  if (self->alive >= MAX_INTERNAL_CONNECTIONS)
    return NULL;
  return backend_new (self);
}

void
openiot_hubd_h2_stream_attach (Stream  *stream,
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
  openiot_hubd_h2_backend_update_io (backend);
}

void
openiot_hubd_h2_dispatch_waiting (OpenIotHubdH2Connection *self)
{
  Stream *stream;

  /* backend_new() can release an internal connection at once, which
   * calls back here */
  if (self->dispatching)
    return;
  self->dispatching = TRUE;
  while ((stream = g_queue_peek_head (&self->waiting)) != NULL)
    {
      Backend *backend = openiot_hubd_h2_take_backend (self);

      if (backend == NULL)
        break;
      g_queue_pop_head (&self->waiting);
      stream->waiting = FALSE;
      openiot_hubd_h2_stream_attach (stream, backend);
    }
  self->dispatching = FALSE;
}
