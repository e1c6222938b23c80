// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-srp"

#include "config.h"

#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "openiot-error.h"
#include <gnutls/crypto.h>

#include "openiot-gnutls-private.h"
#include "openiot-protocol-private.h"

#include "openiot-srp-private.h"

/* SRP exists only up to TLS 1.2 (RFC 5054); pairing is one short exchange. */
#define SRP_PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+SRP"

struct _OpenIotSrpSession
{
  gnutls_session_t                 session;
  gnutls_srp_server_credentials_t  server_credentials;
  gnutls_srp_client_credentials_t  client_credentials;
  GSocket                         *socket;
  guint                            timeout_ms;
  OpenIotSrpPasswordFunc           password_func;
  gpointer                         password_data;
  char                            *username;
  gboolean                         password_looked_up;
  gboolean                         no_password;
  gint64                           read_deadline; /* monotonic µs, 0: none */
  GByteArray                      *pending; /* read past the headers */
};

/* GSocket fds are non-blocking: emulate blocking I/O with timeouts, as
 * gnutls_transport_set_int() would not. */
static ssize_t
push_func (gnutls_transport_ptr_t  ptr,
           const void             *data,
           size_t                  len)
{
  OpenIotSrpSession *self = ptr;
  g_autoptr(GError) error = NULL;
  gssize sent;

  if (!g_socket_condition_timed_wait (self->socket, G_IO_OUT, (gint64) self->timeout_ms * 1000,
                                      NULL, &error))
    {
      gnutls_transport_set_errno (self->session, ETIMEDOUT);
      return -1;
    }

  sent = g_socket_send (self->socket, data, len, NULL, &error);
  if (sent < 0)
    {
      gnutls_transport_set_errno (self->session,
                                  g_error_matches (error, G_IO_ERROR,
                                                   G_IO_ERROR_WOULD_BLOCK) ? EAGAIN : EPIPE);
      return -1;
    }

  return sent;
}

static ssize_t
pull_func (gnutls_transport_ptr_t  ptr,
           void                   *data,
           size_t                  len)
{
  OpenIotSrpSession *self = ptr;
  g_autoptr(GError) error = NULL;
  gssize received = g_socket_receive (self->socket, data, len, NULL, &error);

  if (received < 0)
    {
      gnutls_transport_set_errno (self->session,
                                  g_error_matches (error, G_IO_ERROR,
                                                   G_IO_ERROR_WOULD_BLOCK) ? EAGAIN : ECONNRESET);
      return -1;
    }

  return received;
}

static int
pull_timeout_func (gnutls_transport_ptr_t ptr,
                   unsigned int           ms)
{
  OpenIotSrpSession *self = ptr;
  gint64 timeout =
    ms == GNUTLS_INDEFINITE_TIMEOUT ? (gint64) self->timeout_ms * 1000 : (gint64) ms * 1000;

  /* A peer that trickles a byte now and then never lets one wait time
   * out: the server's deadline bounds all of its waits together. */
  if (self->read_deadline != 0)
    {
      timeout = MIN (timeout, self->read_deadline - g_get_monotonic_time ());
      if (timeout <= 0)
        return 0;
    }

  return g_socket_condition_timed_wait (self->socket, G_IO_IN, timeout, NULL, NULL) ? 1 : 0;
}

static int
server_credentials_func (gnutls_session_t  session,
                         const char       *username,
                         gnutls_datum_t   *salt,
                         gnutls_datum_t   *verifier,
                         gnutls_datum_t   *generator,
                         gnutls_datum_t   *prime)
{
  OpenIotSrpSession *self = gnutls_session_get_ptr (session);
  g_autofree char *password = NULL;
  guchar salt_bytes[16];

  g_free (self->username);
  self->username = g_strdup (username);

  password = self->password_func (username, self->password_data);
  if (password == NULL)
    {
      self->no_password = TRUE;
      return -1;
    }
  self->password_looked_up = TRUE;

  if (gnutls_rnd (GNUTLS_RND_NONCE, salt_bytes, sizeof salt_bytes) < 0)
    {
      explicit_bzero (password, strlen (password));
      return -1;
    }

  salt->data = gnutls_malloc (sizeof salt_bytes);
  memcpy (salt->data, salt_bytes, sizeof salt_bytes);
  salt->size = sizeof salt_bytes;

  generator->data = gnutls_malloc (gnutls_srp_3072_group_generator.size);
  memcpy (generator->data, gnutls_srp_3072_group_generator.data,
          gnutls_srp_3072_group_generator.size);
  generator->size = gnutls_srp_3072_group_generator.size;
  prime->data = gnutls_malloc (gnutls_srp_3072_group_prime.size);
  memcpy (prime->data, gnutls_srp_3072_group_prime.data, gnutls_srp_3072_group_prime.size);
  prime->size = gnutls_srp_3072_group_prime.size;

  if (gnutls_srp_verifier (username, password, salt, generator, prime, verifier) < 0)
    {
      explicit_bzero (password, strlen (password));
      return -1;
    }

  explicit_bzero (password, strlen (password));
  return 0;
}

void
_openiot_srp_session_free (OpenIotSrpSession *self)
{
  if (self == NULL)
    return;

  if (self->session != NULL)
    {
      gnutls_bye (self->session, GNUTLS_SHUT_WR);
      gnutls_deinit (self->session);
    }
  g_clear_pointer (&self->server_credentials, gnutls_srp_free_server_credentials);
  g_clear_pointer (&self->client_credentials, gnutls_srp_free_client_credentials);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->pending, g_byte_array_unref);
  g_free (self->username);
  g_free (self);
}

static OpenIotSrpSession *
session_new (GSocket  *socket,
             guint     timeout_ms,
             unsigned  flags,
             GError  **error)
{
  OpenIotSrpSession *self = g_new0 (OpenIotSrpSession, 1);
  int ret;

  self->socket = g_object_ref (socket);
  self->timeout_ms = timeout_ms;
  self->pending = g_byte_array_new ();

  /* The exchange is a ping-pong of small writes: push_func() sends each
   * TLS record on its own, and a request goes out as head and body. With
   * Nagle's algorithm the second small write of a flight waits for the ACK
   * of the first, which the peer delays (delayed ACK) while it waits for
   * the rest (Linux: 40 ms or more each time). Both ends (client and
   * hub) come through here, so one place turns it off for both. Errors are
   * ignored: without the option pairing still works, only slower. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  if ((ret = gnutls_init (&self->session, flags)) < 0 ||
      (ret = gnutls_priority_set_direct (self->session, SRP_PRIORITY, NULL)) < 0)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_FAILED, "Cannot set up TLS-SRP: %s",
                   gnutls_strerror (ret));
      _openiot_srp_session_free (self);
      return NULL;
    }

  gnutls_session_set_ptr (self->session, self);
  gnutls_transport_set_ptr (self->session, self);
  gnutls_transport_set_push_function (self->session, push_func);
  gnutls_transport_set_pull_function (self->session, pull_func);
  gnutls_transport_set_pull_timeout_function (self->session, pull_timeout_func);
  gnutls_handshake_set_timeout (self->session, timeout_ms);
  gnutls_record_set_timeout (self->session, timeout_ms);
  return self;
}

static int
handshake (OpenIotSrpSession *self)
{
  int ret;

  do
    ret = gnutls_handshake (self->session);
  while (ret < 0 && !gnutls_error_is_fatal (ret));

  return ret;
}

OpenIotSrpSession *
_openiot_srp_server_handshake (GSocket                 *socket,
                               OpenIotSrpPasswordFunc   password_func,
                               gpointer                 user_data,
                               guint                    timeout_ms,
                               GError                 **error)
{
  g_autoptr(OpenIotSrpSession) self = NULL;
  int ret;

  if (!(self = session_new (socket, timeout_ms, GNUTLS_SERVER, error)))
    return NULL;

  self->password_func = password_func;
  self->password_data = user_data;
  self->read_deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gnutls_srp_allocate_server_credentials (&self->server_credentials);
  gnutls_srp_set_server_credentials_function (self->server_credentials, server_credentials_func);
  gnutls_credentials_set (self->session, GNUTLS_CRD_SRP, self->server_credentials);

  if ((ret = handshake (self)) < 0)
    {
      if (ret == GNUTLS_E_TIMEDOUT || ret == GNUTLS_E_PULL_ERROR)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The pairing peer went quiet: %s",
                     gnutls_strerror (ret));
      else if (self->no_password)
        g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_CLOSED,
                             "No pairing code is open");
      else if (self->password_looked_up)
        g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED,
                             "The pairing code was not accepted");
      else
        g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL, "Pairing handshake failed: %s",
                     gnutls_strerror (ret));
      /* no close_notify on a failed handshake */
      gnutls_deinit (self->session);
      self->session = NULL;
      return NULL;
    }

  return g_steal_pointer (&self);
}

OpenIotSrpSession *
_openiot_srp_client_handshake (GSocket     *socket,
                               const char  *username,
                               const char  *password,
                               guint        timeout_ms,
                               GError     **error)
{
  g_autoptr(OpenIotSrpSession) self = NULL;
  int ret;

  if (!(self = session_new (socket, timeout_ms, GNUTLS_CLIENT, error)))
    return NULL;

  gnutls_srp_allocate_client_credentials (&self->client_credentials);
  gnutls_srp_set_client_credentials (self->client_credentials, username, password);
  gnutls_credentials_set (self->session, GNUTLS_CRD_SRP, self->client_credentials);

  if ((ret = handshake (self)) < 0)
    {
      if (ret == GNUTLS_E_TIMEDOUT)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             "The hub did not answer the pairing request in time");
      else
        g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED,
                     "The hub did not accept the pairing code (%s)", gnutls_strerror (ret));
      gnutls_deinit (self->session);
      self->session = NULL;
      return NULL;
    }

  self->username = g_strdup (username);
  return g_steal_pointer (&self);
}

const char *
_openiot_srp_session_get_username (OpenIotSrpSession *self)
{
  return self->username;
}

static gboolean
write_all (OpenIotSrpSession  *self,
           const void         *data,
           gsize               len,
           GError            **error)
{
  const guint8 *p = data;

  while (len > 0)
    {
      ssize_t sent = gnutls_record_send (self->session, p, len);

      if (sent == GNUTLS_E_AGAIN || sent == GNUTLS_E_INTERRUPTED)
        continue;
      if (sent < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "Cannot send: %s",
                       gnutls_strerror (sent));
          return FALSE;
        }
      p += sent;
      len -= sent;
    }

  return TRUE;
}

/* Appends at most @max more bytes to self->pending; FALSE at EOF or error. */
static gboolean
read_some (OpenIotSrpSession  *self,
           gsize               max,
           GError            **error)
{
  guint8 buffer[4096];
  ssize_t received;

  do
    received = gnutls_record_recv (self->session, buffer, MIN (sizeof buffer, max));
  while (received == GNUTLS_E_AGAIN || received == GNUTLS_E_INTERRUPTED);

  if (received == GNUTLS_E_TIMEDOUT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The peer went quiet");
      return FALSE;
    }
  if (received < 0)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL, "Cannot receive: %s",
                   gnutls_strerror (received));
      return FALSE;
    }
  if (received == 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                           "The peer closed the connection early");
      return FALSE;
    }

  g_byte_array_append (self->pending, buffer, received);
  return TRUE;
}

/* Reads up to the blank line ending the headers; returns them NUL-ended
 * and leaves what follows in self->pending. */
static char *
read_head (OpenIotSrpSession  *self,
           gsize               max_header_bytes,
           GError            **error)
{
  for (;;)
    {
      const guint8 *end = self->pending->len >= 4 ?
        memmem (self->pending->data, self->pending->len, "\r\n\r\n", 4) : NULL;

      if (end != NULL)
        {
          gsize head_len = end - self->pending->data + 4;
          char *head = g_strndup ((const char *) self->pending->data, head_len);

          g_byte_array_remove_range (self->pending, 0, head_len);
          return head;
        }

      if (self->pending->len >= max_header_bytes)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "The headers are larger than %" G_GSIZE_FORMAT " bytes", max_header_bytes);
          return NULL;
        }

      if (!read_some (self, max_header_bytes - self->pending->len, error))
        return NULL;
    }
}

static GBytes *
read_body (OpenIotSrpSession   *self,
           SoupMessageHeaders  *headers,
           gsize                max_body_bytes,
           GError             **error)
{
  goffset length = 0;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                           "Chunked bodies are not accepted here");
      return NULL;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  if (length < 0 || (gsize) length > max_body_bytes)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   "The body is larger than %" G_GSIZE_FORMAT " bytes", max_body_bytes);
      return NULL;
    }

  while (self->pending->len < (gsize) length)
    {
      if (!read_some (self, length - self->pending->len, error))
        return NULL;
    }

  {
    GBytes *body = g_bytes_new (self->pending->data, length);

    g_byte_array_remove_range (self->pending, 0, length);
    return body;
  }
}

gboolean
_openiot_srp_session_read_request (OpenIotSrpSession   *self,
                                   gsize                max_header_bytes,
                                   gsize                max_body_bytes,
                                   char               **method,
                                   char               **path,
                                   SoupMessageHeaders  *headers,
                                   GBytes             **body,
                                   GError             **error)
{
  g_autofree char *head = read_head (self, max_header_bytes, error);
  guint status;

  if (head == NULL)
    return FALSE;

  status = soup_headers_parse_request (head, strlen (head), headers, method, path, NULL);
  if (status != SOUP_STATUS_OK)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL, "Malformed HTTP request");
      return FALSE;
    }

  return (*body = read_body (self, headers, max_body_bytes, error)) != NULL;
}

gboolean
_openiot_srp_session_read_response (OpenIotSrpSession   *self,
                                    gsize                max_header_bytes,
                                    gsize                max_body_bytes,
                                    guint               *status,
                                    SoupMessageHeaders  *headers,
                                    GBytes             **body,
                                    GError             **error)
{
  g_autofree char *head = read_head (self, max_header_bytes, error);

  if (head == NULL)
    return FALSE;

  if (!soup_headers_parse_response (head, strlen (head), headers, NULL, status, NULL))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL, "Malformed HTTP response");
      return FALSE;
    }

  return (*body = read_body (self, headers, max_body_bytes, error)) != NULL;
}

static gboolean
write_message (OpenIotSrpSession  *self,
               const char         *first_line,
               const char         *content_type,
               GBytes             *body,
               GError            **error)
{
  g_autofree char *head = NULL;
  gsize len = body ? g_bytes_get_size (body) : 0;

  head =
    g_strdup_printf ("%s\r\n%s%s%sContent-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                     first_line, content_type ? "Content-Type: " : "",
                     content_type ? content_type : "", content_type ? "\r\n" : "", len);

  return write_all (self, head, strlen (head), error) &&
         (len == 0 || write_all (self, g_bytes_get_data (body, NULL), len, error));
}

gboolean
_openiot_srp_session_write_response (OpenIotSrpSession  *self,
                                     guint               status,
                                     const char         *content_type,
                                     GBytes             *body,
                                     GError            **error)
{
  g_autofree char *line = g_strdup_printf ("HTTP/1.1 %u %s", status,
                                           soup_status_get_phrase (status));

  return write_message (self, line, content_type, body, error);
}

gboolean
_openiot_srp_session_write_request (OpenIotSrpSession  *self,
                                    const char         *method,
                                    const char         *path,
                                    const char         *content_type,
                                    GBytes             *body,
                                    GError            **error)
{
  g_autofree char *line = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: hub.invalid", method, path);

  return write_message (self, line, content_type, body, error);
}
