// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <nghttp2/nghttp2.h>

#include "openiot-protocol-private.h"

#include "openiot-hubd-listener.h"

#include "openiot-hubd-h2-connection-private.h"

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
 * only while less than STREAM_BUFFER_BYTES of it (and less than
 * CONNECTION_BUFFER_BYTES over all the connection's streams) wait for the
 * client's window or the TLS socket, so a client that stops reading stops
 * the SoupServer's writes, and the proxy's back-pressure does the rest.
 */

G_DEFINE_FINAL_TYPE (OpenIotHubdH2Connection, openiot_hubd_h2_connection, G_TYPE_OBJECT)

/* Streams */

static void
stream_free (Stream *stream)
{
  stream->conn->buffered -= stream->response->len;
  if (stream->backend != NULL)
    {
      /* reset or closed before its response was over: libsoup's side
       * must learn it, so that the proxy cancels upstream */
      Backend *backend = stream->backend;

      backend->stream = NULL;
      openiot_hubd_h2_backend_free (backend);
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
  OpenIotHubdH2Connection *self = user_data;
  Stream *stream = source->ptr;
  gsize n = MIN (length, stream->response->len);
  gboolean was_full = self->buffered >= CONNECTION_BUFFER_BYTES;

  /* an empty GByteArray's data may be NULL, which memcpy() must not get */
  if (n > 0)
    {
      memcpy (buf, stream->response->data, n);
      g_byte_array_remove_range (stream->response, 0, n);
    }
  self->buffered -= n;

  if (stream->response_done && stream->response->len == 0)
    *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  else if (n == 0)
    {
      stream->deferred = TRUE;
      return NGHTTP2_ERR_DEFERRED;
    }

  /* room again: read on from libsoup, in every stream if the
   * connection's share was what stopped them */
  if (was_full && self->buffered < CONNECTION_BUFFER_BYTES)
    {
      GHashTableIter iter;
      Stream *other;

      g_hash_table_iter_init (&iter, self->streams);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
        if (other->backend != NULL)
          openiot_hubd_h2_backend_update_io (other->backend);
    }
  else if (stream->backend != NULL)
    openiot_hubd_h2_backend_update_io (stream->backend);
  return n;
}

#define NV(n, v) { (uint8_t *) (n), (uint8_t *) (v), strlen (n), strlen (v), NGHTTP2_NV_FLAG_NONE }

void
openiot_hubd_h2_submit_response (Stream             *stream,
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
  g_autofree char *json = NULL;

  json = _openiot_protocol_error_json ("headers-too-large",
                                       "At most 64 headers and 16384 bytes of them");

  /* answered: a body that follows is dropped (on_data_chunk_recv()) */
  stream->head_ready = TRUE;
  soup_message_headers_replace (headers, "Content-Type", "application/json");
  g_byte_array_append (stream->response, (const guint8 *) json, strlen (json));
  stream->response_done = TRUE;
  openiot_hubd_h2_submit_response (stream, 431, headers, TRUE);
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
  openiot_hubd_h2_dispatch_waiting (self);
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
    openiot_hubd_h2_backend_update_io (stream->backend);
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
          nghttp2_submit_rst_stream (session, NGHTTP2_FLAG_NONE, stream->id,
                                     NGHTTP2_REFUSED_STREAM);
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
    openiot_hubd_h2_backend_update_io (stream->backend);
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
  g_queue_clear_full (&self->idle, (GDestroyNotify) openiot_hubd_h2_backend_free);
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

      n = g_pollable_output_stream_write_nonblocking (out, self->out->data, self->out->len,
                                                      NULL, &error);
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

void
openiot_hubd_h2_connection_update_io (OpenIotHubdH2Connection *self)
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
      GOutputStream *out = g_io_stream_get_output_stream (self->tls);
      GPollableOutputStream *pollable = G_POLLABLE_OUTPUT_STREAM (out);

      self->write_source = g_pollable_output_stream_create_source (pollable, NULL);
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
  openiot_hubd_h2_connection_update_io (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_tls_readable (GObject  *stream,
                 gpointer  data)
{
  g_autoptr(OpenIotHubdH2Connection) self = g_object_ref (data);
  guint8 buffer[READ_BYTES];

  /* a few records a wakeup; openiot_hubd_h2_connection_update_io() drops the source when the hub
   * must stop reading (output backed up, or the session is ending) */
  for (guint i = 0; i < 4 && self->read_source != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n;
      ssize_t used;

      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                    buffer, sizeof buffer, NULL, &error);
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
           * openiot_hubd_h2_connection_update_io(); the session then
           * wants neither read nor write */
          g_debug ("HTTP/2 connection ends: %s", nghttp2_strerror (used));
          nghttp2_session_terminate_session (self->session, NGHTTP2_PROTOCOL_ERROR);
        }
      openiot_hubd_h2_connection_update_io (self);
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
  gint64 idle_for = g_get_monotonic_time () - self->last_io;
  gboolean idle = idle_for >= (gint64) self->idle_timeout * G_USEC_PER_SEC;

  if (idle && (self->out->len > 0 ||
               g_hash_table_find (self->streams, stream_has_backend, NULL) == NULL))
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
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autofree char *address = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (remote));

      g_debug ("A client at %s speaks HTTP/2", address);
    }

  if (idle_timeout > 0)
    self->idle_id = g_timeout_add_seconds (MAX (idle_timeout / 4, 1), on_idle_check, self);

  /* the reference the connection holds on itself until connection_close() */
  openiot_hubd_h2_connection_update_io (self);
}
