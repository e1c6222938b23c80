// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>

#include "openiot-hubd-response-reader.h"

/* A response head larger than this is refused (libsoup's own server
 * refuses a request head of 64 KiB too). */
#define MAX_HEAD_BYTES (64 * 1024)
/* A chunk-size line, extensions included */
#define MAX_CHUNK_LINE_BYTES 1024
#define MAX_TRAILER_BYTES (16 * 1024)

/*
 * One HTTP/1.1 response, read off a buffer its owner fills: the proxy's
 * client to service sockets (openiot-hubd-upstream.c, untrusted services)
 * and the HTTP/2 front's internal connections into libsoup
 * (openiot-hubd-h2-connection-internal.c) share it, so both read by the
 * same strict rules. The head is parsed by libsoup
 * (soup_headers_parse_response()); the body's framing (length, chunked
 * or until close) is undone here, and anything RFC 9112 does not allow
 * is refused: a body whose end is anybody's guess could smuggle a
 * response.
 *
 * It does no I/O and calls nobody: each call to
 * openiot_hubd_response_reader_next() returns one event to a loop in the
 * owner, which may pause, cancel or free itself in between without the
 * reader ever touching it again. A plain struct, not a GObject: one per
 * response on the hot path, with no signals or properties to offer.
 */
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
  STATE_FAILED,
} State;

struct _OpenIotHubdResponseReader
{
  State               state;
  guint64             remaining;
  gint64              content_length;
  gsize               trailer_bytes;
  gsize               head_scanned;
  gsize               pending;      /* body handed out, still at the start of the buffer */
  guint               status;
  char               *reason;
  SoupMessageHeaders *headers;
  gboolean            is_head;
  gboolean            keep_alive;
};

/* What one step came to: an event for the owner, or go on */
#define STEP_ON ((OpenIotHubdResponseEvent) -1)

/*
 * openiot_hubd_response_reader_new:
 * @is_head: whether the request was HEAD: its answer has no body, even
 *   one its headers announce
 */
OpenIotHubdResponseReader *
openiot_hubd_response_reader_new (gboolean is_head)
{
  OpenIotHubdResponseReader *self = g_new0 (OpenIotHubdResponseReader, 1);

  self->state = STATE_HEAD;
  self->is_head = !!is_head;
  self->content_length = -1;
  return self;
}

void
openiot_hubd_response_reader_free (OpenIotHubdResponseReader *self)
{
  if (self == NULL)
    return;
  g_free (self->reason);
  g_clear_pointer (&self->headers, soup_message_headers_unref);
  g_free (self);
}

static OpenIotHubdResponseEvent
fail (OpenIotHubdResponseReader  *self,
      GError                    **error,
      const char                 *message)
{
  self->state = STATE_FAILED;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
  return OPENIOT_HUBD_RESPONSE_ERROR;
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

/* From @from on: a peer that trickles its head a byte at a time must not
 * make each read scan all of it again. */
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

/* The response's framing (RFC 9112 §6.3): Transfer-Encoding chunked, or
 * one Content-Length (repeated alike, at most), or until the connection
 * closes. Returns: why the framing is refused, or NULL. */
static const char *
choose_framing (OpenIotHubdResponseReader *self,
                SoupHTTPVersion            version)
{
  const char *te = soup_message_headers_get_list (self->headers, "Transfer-Encoding");
  const char *lengths = soup_message_headers_get_list (self->headers, "Content-Length");
  gboolean no_body = self->is_head || self->status == SOUP_STATUS_NO_CONTENT ||
                     self->status == SOUP_STATUS_NOT_MODIFIED;

  if (te != NULL)
    {
      g_autofree char *coding = g_strstrip (g_strdup (te));

      if (lengths != NULL)
        return "both Transfer-Encoding and Content-Length";
      if (version == SOUP_HTTP_1_0)
        return "Transfer-Encoding in an HTTP/1.0 response";
      if (g_ascii_strcasecmp (coding, "chunked") != 0)
        return "a Transfer-Encoding other than chunked";
      self->state = no_body ? STATE_DONE : STATE_CHUNK_SIZE;
      return NULL;
    }
  if (lengths != NULL)
    {
      g_auto(GStrv) values = g_strsplit (lengths, ",", -1);
      /* an empty value splits into no value at all (found by fuzzing:
       * the hub crashed on "Content-Length:" with nothing after it) */
      const char *first = values[0] != NULL ? g_strstrip (values[0]) : "";
      gsize digits = strspn (first, "0123456789");

      if (digits == 0 || digits > 18 || first[digits] != '\0')
        return "a malformed Content-Length";
      for (guint i = 1; values[i] != NULL; i++)
        {
          if (strcmp (g_strstrip (values[i]), first) != 0)
            return "two different Content-Lengths";
        }
      /* a HEAD or 304 answer gives the length of a body it does not send */
      self->content_length = g_ascii_strtoll (first, NULL, 10);
      self->remaining = no_body ? 0 : (guint64) self->content_length;
      self->state = no_body ? STATE_DONE : STATE_BODY_LENGTH;
      return NULL;
    }
  if (no_body)
    self->state = STATE_DONE;
  else
    {
      self->state = STATE_BODY_UNTIL_CLOSE;
      self->keep_alive = FALSE;
    }
  return NULL;
}

static OpenIotHubdResponseEvent
read_head (OpenIotHubdResponseReader  *self,
           GByteArray                 *in,
           GError                    **error)
{
  gssize end = find_head_end (in, self->head_scanned);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autofree char *block = NULL;
  g_autofree char *reason = NULL;
  const char *refused;
  SoupHTTPVersion version;
  guint status;

  if ((end < 0 && in->len > MAX_HEAD_BYTES) || end + 4 > MAX_HEAD_BYTES)
    return fail (self, error, "the response head is larger than 64 KiB");
  if (end < 0)
    {
      self->head_scanned = in->len > 3 ? in->len - 3 : 0;
      return OPENIOT_HUBD_RESPONSE_MORE;
    }
  self->head_scanned = 0;

  /* libsoup's parser takes the head without its blank line; a NUL byte
   * in it is refused */
  block = g_strndup ((const char *) in->data, end + 2);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (strlen (block) != (gsize) end + 2 ||
      !soup_headers_parse_response (block, end + 2, headers, &version, &status, &reason))
    return fail (self, error, "malformed response head");
  g_byte_array_remove_range (in, 0, end + 4);

  if (status == SOUP_STATUS_SWITCHING_PROTOCOLS)
    return fail (self, error, "the service tried to switch protocols");
  if (SOUP_STATUS_IS_INFORMATIONAL (status))
    return STEP_ON; /* 100 Continue and its kin: the real head follows */

  self->status = status;
  self->reason = g_steal_pointer (&reason);
  self->headers = g_steal_pointer (&headers);
  self->keep_alive =
    version == SOUP_HTTP_1_1
      ? !soup_message_headers_header_contains (self->headers, "Connection", "close")
      : soup_message_headers_header_contains (self->headers, "Connection", "keep-alive");
  if ((refused = choose_framing (self, version)) != NULL)
    return fail (self, error, refused);
  return OPENIOT_HUBD_RESPONSE_HEAD;
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

/* Body bytes, as many as the buffer holds and the framing allows; they
 * stay in @in until the next call, so the owner need not copy them. */
static OpenIotHubdResponseEvent
read_body (OpenIotHubdResponseReader  *self,
           GByteArray                 *in,
           const guint8              **body,
           gsize                      *body_size)
{
  gsize take = in->len;

  if (self->state != STATE_BODY_UNTIL_CLOSE)
    {
      if (self->remaining == 0)
        {
          self->state = self->state == STATE_BODY_LENGTH ? STATE_DONE : STATE_CHUNK_END;
          return STEP_ON;
        }
      take = MIN (take, self->remaining);
      self->remaining -= take;
    }
  if (take == 0)
    return OPENIOT_HUBD_RESPONSE_MORE;
  self->pending = take;
  *body = in->data;
  *body_size = take;
  return OPENIOT_HUBD_RESPONSE_BODY;
}

static OpenIotHubdResponseEvent
read_chunk_size (OpenIotHubdResponseReader  *self,
                 GByteArray                 *in,
                 GError                    **error)
{
  gssize line_end = find_crlf (in, MAX_CHUNK_LINE_BYTES);

  if (line_end < 0)
    return in->len >= MAX_CHUNK_LINE_BYTES ? fail (self, error, "malformed chunked body")
                                           : OPENIOT_HUBD_RESPONSE_MORE;
  if (!parse_chunk_size (in->data, line_end, &self->remaining))
    return fail (self, error, "malformed chunked body");
  g_byte_array_remove_range (in, 0, line_end + 2);
  self->state = self->remaining == 0 ? STATE_TRAILERS : STATE_CHUNK_DATA;
  return STEP_ON;
}

static OpenIotHubdResponseEvent
read_chunk_end (OpenIotHubdResponseReader  *self,
                GByteArray                 *in,
                GError                    **error)
{
  if (in->len < 2)
    return OPENIOT_HUBD_RESPONSE_MORE;
  if (in->data[0] != '\r' || in->data[1] != '\n')
    return fail (self, error, "malformed chunked body");
  g_byte_array_remove_range (in, 0, 2);
  self->state = STATE_CHUNK_SIZE;
  return STEP_ON;
}

/* Trailer fields: passed on by no owner here, read and dropped */
static OpenIotHubdResponseEvent
read_trailer (OpenIotHubdResponseReader  *self,
              GByteArray                 *in,
              GError                    **error)
{
  gssize line_end = find_crlf (in, MAX_TRAILER_BYTES);

  if (line_end < 0)
    return in->len >= MAX_TRAILER_BYTES ? fail (self, error,
                                                "the response's trailers are too large")
                                        : OPENIOT_HUBD_RESPONSE_MORE;
  self->trailer_bytes += line_end + 2;
  if (self->trailer_bytes > MAX_TRAILER_BYTES)
    return fail (self, error, "the response's trailers are too large");
  g_byte_array_remove_range (in, 0, line_end + 2);
  if (line_end == 0)
    self->state = STATE_DONE;
  return STEP_ON;
}

/*
 * openiot_hubd_response_reader_next:
 * @in: what was read of the response (and maybe beyond it); the reader
 *   removes what it has read from it
 * @body: (out): with %OPENIOT_HUBD_RESPONSE_BODY, the piece of body, at
 *   the start of @in: valid until @in changes or the next call, which
 *   removes it
 *
 * Reads on as far as @in allows, up to the next event. After
 * %OPENIOT_HUBD_RESPONSE_END, what @in still holds came after the
 * response: a connection is reusable only when it is empty (and
 * openiot_hubd_response_reader_get_keep_alive() says so).
 */
OpenIotHubdResponseEvent
openiot_hubd_response_reader_next (OpenIotHubdResponseReader  *self,
                                   GByteArray                 *in,
                                   const guint8              **body,
                                   gsize                      *body_size,
                                   GError                    **error)
{
  OpenIotHubdResponseEvent event = STEP_ON;

  g_return_val_if_fail (self != NULL, OPENIOT_HUBD_RESPONSE_ERROR);
  g_return_val_if_fail (in != NULL, OPENIOT_HUBD_RESPONSE_ERROR);
  g_return_val_if_fail (body != NULL && body_size != NULL, OPENIOT_HUBD_RESPONSE_ERROR);
  g_return_val_if_fail (self->state != STATE_FAILED, OPENIOT_HUBD_RESPONSE_ERROR);

  g_assert (self->pending <= in->len);
  g_byte_array_remove_range (in, 0, self->pending);
  self->pending = 0;
  *body = NULL;
  *body_size = 0;

  while (event == STEP_ON)
    {
      switch (self->state)
        {
        case STATE_HEAD:
          event = read_head (self, in, error);
          break;
        case STATE_BODY_LENGTH:
        case STATE_CHUNK_DATA:
        case STATE_BODY_UNTIL_CLOSE:
          event = read_body (self, in, body, body_size);
          break;
        case STATE_CHUNK_SIZE:
          event = read_chunk_size (self, in, error);
          break;
        case STATE_CHUNK_END:
          event = read_chunk_end (self, in, error);
          break;
        case STATE_TRAILERS:
          event = read_trailer (self, in, error);
          break;
        case STATE_DONE:
          event = OPENIOT_HUBD_RESPONSE_END;
          break;
        case STATE_FAILED:
        default:
          g_assert_not_reached ();
        }
    }
  return event;
}

/* The head's, from %OPENIOT_HUBD_RESPONSE_HEAD on */
guint
openiot_hubd_response_reader_get_status (OpenIotHubdResponseReader *self)
{
  return self->status;
}

const char *
openiot_hubd_response_reader_get_reason (OpenIotHubdResponseReader *self)
{
  return self->reason;
}

SoupMessageHeaders *
openiot_hubd_response_reader_get_headers (OpenIotHubdResponseReader *self)
{
  return self->headers;
}

/* The length of the body, or -1 when it is chunked or ends with the
 * connection (a HEAD or 304 answer's: the length it announced). */
gint64
openiot_hubd_response_reader_get_content_length (OpenIotHubdResponseReader *self)
{
  return self->content_length;
}

/* Whether any body follows the head (from %OPENIOT_HUBD_RESPONSE_HEAD on) */
gboolean
openiot_hubd_response_reader_has_body (OpenIotHubdResponseReader *self)
{
  return self->state != STATE_DONE &&
         !(self->state == STATE_BODY_LENGTH && self->remaining == 0);
}

/* Whether the peer means to keep the connection open after this response */
gboolean
openiot_hubd_response_reader_get_keep_alive (OpenIotHubdResponseReader *self)
{
  return self->keep_alive;
}

gboolean
openiot_hubd_response_reader_got_head (OpenIotHubdResponseReader *self)
{
  return self->state != STATE_HEAD;
}

/* Whether the connection closing now ends the response: a body without
 * framing (once all of @in was taken, openiot_hubd_response_reader_next()
 * having returned %OPENIOT_HUBD_RESPONSE_MORE). */
gboolean
openiot_hubd_response_reader_ends_at_close (OpenIotHubdResponseReader *self)
{
  return self->state == STATE_BODY_UNTIL_CLOSE;
}
