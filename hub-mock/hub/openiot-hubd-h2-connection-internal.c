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
 * response read back by OpenIotHubdResponseReader (by the same strict
 * rules as a service's) and handed to nghttp2 as the client's window
 * allows. Idle ones are kept for the next stream.
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
  g_clear_pointer (&backend->reader, openiot_hubd_response_reader_free);
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

  reusable = reusable && backend->reader != NULL &&
             openiot_hubd_response_reader_get_keep_alive (backend->reader);
  g_clear_pointer (&backend->reader, openiot_hubd_response_reader_free);
  if (reusable && backend->in->len == 0 && !self->closed &&
      g_queue_get_length (&self->idle) < MAX_IDLE_INTERNAL_CONNECTIONS)
    {
      openiot_hubd_h2_backend_update_io (backend);
      g_queue_push_head (&self->idle, backend);
      openiot_hubd_h2_dispatch_waiting (self);
      return;
    }

  openiot_hubd_h2_backend_free (backend);
}

/* Parses what @backend read, one event of the reader at a time: FALSE
 * if the response is refused. */
static gboolean
backend_parse (Backend  *backend,
               GError  **error)
{
  Stream *stream = backend->stream;
  OpenIotHubdResponseReader *reader = backend->reader;

  for (;;)
    {
      const guint8 *body;
      gsize body_size;
      guint status;

      switch (openiot_hubd_response_reader_next (reader, backend->in, &body, &body_size, error))
        {
        case OPENIOT_HUBD_RESPONSE_MORE:
          return TRUE;

        case OPENIOT_HUBD_RESPONSE_HEAD:
          status = openiot_hubd_response_reader_get_status (reader);
          if (status >= 400)
            g_debug ("HTTP/2 stream %d: %s %s answered %u", stream->id, stream->method,
                     stream->path, status);
          openiot_hubd_h2_submit_response (stream, status,
                                           openiot_hubd_response_reader_get_headers (reader),
                                           openiot_hubd_response_reader_has_body (reader));
          break;

        case OPENIOT_HUBD_RESPONSE_BODY:
          g_byte_array_append (stream->response, body, body_size);
          backend->conn->buffered += body_size;
          break;

        case OPENIOT_HUBD_RESPONSE_END:
          backend->done = TRUE;
          return TRUE;

        case OPENIOT_HUBD_RESPONSE_ERROR:
          return FALSE;

        default:
          g_assert_not_reached ();
        }
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

/* The internal response broke off or made no sense: the stream gets an
 * error and the backend connection is not reused. */
static gboolean
backend_fail (Backend *backend)
{
  OpenIotHubdH2Connection *self = backend->conn;

  stream_response_error (backend->stream);
  backend_detach (backend, FALSE);
  openiot_hubd_h2_connection_update_io (self);
  return G_SOURCE_REMOVE;
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
      if (openiot_hubd_response_reader_ends_at_close (backend->reader))
        backend->done = TRUE;
      else if (!backend->done)
        return backend_fail (backend);
    }
  else
    {
      g_autoptr(GError) parse_error = NULL;

      g_byte_array_append (backend->in, buffer, n);
      if (!backend_parse (backend, &parse_error))
        {
          g_debug ("An internal response could not be parsed: %s", parse_error->message);
          return backend_fail (backend);
        }
    }

  if (stream->response->len > 0 || backend->done)
    stream_response_progress (stream);

  if (backend->done)
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
  g_clear_pointer (&backend->reader, openiot_hubd_response_reader_free);
  backend->reader = openiot_hubd_response_reader_new (g_strcmp0 (stream->method, "HEAD") == 0);
  backend->done = FALSE;
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
