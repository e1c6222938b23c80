// SPDX-License-Identifier: GPL-3.0-or-later
//
// The HTTP/1.1 response reader shared by the proxy's client to service
// sockets and the HTTP/2 front (openiot-hubd-response-reader.c), alone:
// every framing it reads, fed split at every byte boundary and a byte at a
// time, must come to the same head, body and end; every one it refuses, to
// the same error.

#include "config.h"

#include <string.h>

#include "openiot-hubd-response-reader.h"

typedef struct
{
  guint     heads;
  guint     status;
  char     *reason;
  gint64    content_length;
  gboolean  has_body;
  GString  *body;
  gboolean  ended;       /* at its framing, or at the close for a body without one */
  gboolean  keep_alive;
  gsize     left;        /* bytes after the end of the response */
  char     *error;
} Result;

static void
result_clear (Result *result)
{
  g_free (result->reason);
  g_free (result->error);
  if (result->body != NULL)
    g_string_free (result->body, TRUE);
  memset (result, 0, sizeof *result);
}

/*
 * Feeds @response to a reader: the first @split bytes, then the rest (0:
 * all at once), or a byte at a time when @split is G_MAXSIZE. With
 * @eager, bytes also come in after every head and piece of body, while
 * that piece is still at the start of the buffer (as when an owner that
 * paused in its callback goes on reading).
 */
static void
drive (const char *response,
       gsize       length,
       gboolean    is_head,
       gsize       split,
       gboolean    eager,
       Result     *result)
{
  g_autoptr(OpenIotHubdResponseReader) reader = openiot_hubd_response_reader_new (is_head);
  g_autoptr(GByteArray) in = g_byte_array_new ();
  gsize fed = 0;

  memset (result, 0, sizeof *result);
  result->body = g_string_new (NULL);
  result->content_length = -2;

#define FEED()                                                                   \
  G_STMT_START {                                                                 \
    gsize n = split == G_MAXSIZE ? 1 : (fed < split ? split - fed : length - fed); \
    n = MIN (n, length - fed);                                                   \
    g_byte_array_append (in, (const guint8 *) response + fed, n);                \
    fed += n;                                                                    \
  } G_STMT_END

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      const guint8 *body = NULL;
      gsize body_size = 0;

      switch (openiot_hubd_response_reader_next (reader, in, &body, &body_size, &error))
        {
        case OPENIOT_HUBD_RESPONSE_MORE:
          g_assert_null (body);
          if (fed == length)
            {
              /* the peer closes */
              result->ended = openiot_hubd_response_reader_ends_at_close (reader);
              g_assert_true (!result->ended ||
                             !openiot_hubd_response_reader_get_keep_alive (reader));
              return;
            }
          FEED ();
          continue;

        case OPENIOT_HUBD_RESPONSE_HEAD:
          result->heads++;
          result->status = openiot_hubd_response_reader_get_status (reader);
          result->reason = g_strdup (openiot_hubd_response_reader_get_reason (reader));
          result->content_length = openiot_hubd_response_reader_get_content_length (reader);
          result->has_body = openiot_hubd_response_reader_has_body (reader);
          g_assert_nonnull (openiot_hubd_response_reader_get_headers (reader));
          g_assert_true (openiot_hubd_response_reader_got_head (reader));
          break;

        case OPENIOT_HUBD_RESPONSE_BODY:
          g_assert_cmpuint (result->heads, ==, 1);
          g_assert_cmpuint (body_size, >, 0);
          g_assert_true (body == in->data);
          g_string_append_len (result->body, (const char *) body, body_size);
          break;

        case OPENIOT_HUBD_RESPONSE_END:
          result->ended = TRUE;
          result->keep_alive = openiot_hubd_response_reader_get_keep_alive (reader);
          result->left = in->len + (length - fed);
          return;

        case OPENIOT_HUBD_RESPONSE_ERROR:
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
          result->error = g_strdup (error->message);
          return;

        default:
          g_assert_not_reached ();
        }
      if (eager && fed < length)
        FEED ();
    }
#undef FEED
}

static void
assert_same (const Result *a,
             const Result *b)
{
  g_assert_cmpstr (a->error, ==, b->error);
  g_assert_cmpuint (a->heads, ==, b->heads);
  g_assert_cmpuint (a->status, ==, b->status);
  g_assert_cmpstr (a->reason, ==, b->reason);
  g_assert_cmpint (a->content_length, ==, b->content_length);
  g_assert_cmpint (a->has_body, ==, b->has_body);
  g_assert_cmpstr (a->body->str, ==, b->body->str);
  g_assert_cmpint (a->ended, ==, b->ended);
  g_assert_cmpint (a->keep_alive, ==, b->keep_alive);
  g_assert_cmpuint (a->left, ==, b->left);
}

/* Reads @response whole, then split every way: returns the whole read */
static void
drive_every_way (const char *response,
                 gsize       length,
                 gboolean    is_head,
                 Result     *whole)
{
  Result split;

  drive (response, length, is_head, 0, FALSE, whole);
  for (gsize at = 1; at < length; at++)
    {
      drive (response, length, is_head, at, FALSE, &split);
      assert_same (whole, &split);
      result_clear (&split);
      drive (response, length, is_head, at, TRUE, &split);
      assert_same (whole, &split);
      result_clear (&split);
    }
  drive (response, length, is_head, G_MAXSIZE, FALSE, &split);
  assert_same (whole, &split);
  result_clear (&split);
  drive (response, length, is_head, G_MAXSIZE, TRUE, &split);
  assert_same (whole, &split);
  result_clear (&split);
}

typedef struct
{
  const char *name;
  const char *response;
  gboolean    is_head;
  guint       status;
  gint64      content_length;
  const char *body;
  gboolean    keep_alive;
  gsize       left;
} ReadCase;

static const ReadCase read_cases[] = {
  { "length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", FALSE, 200, 5, "hello", TRUE,
   0 },
  { "empty-length", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", FALSE, 200, 0, "", TRUE, 0 },
  { "same-lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
   FALSE, 200, 5, "hello", TRUE, 0 },
  { "chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
               "5;name=value\r\nhello\r\n6 \t\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n",
    FALSE, 200, -1, "hello world", TRUE, 0 },
  { "chunked-upper-hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
                         "A\r\n0123456789\r\n0\r\n\r\n", FALSE, 200, -1, "0123456789", TRUE, 0 },
  { "continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", FALSE, 204, -1, "",
   TRUE, 0 },
  { "head-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", TRUE, 200, 5, "", TRUE, 0 },
  { "head-chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", TRUE, 200, -1, "",
   TRUE, 0 },
  { "not-modified", "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", FALSE, 304, 7, "",
   TRUE, 0 },
  { "closing", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", FALSE, 200,
   2, "ok", FALSE, 0 },
  { "http-1.0-keep-alive",
   "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok", FALSE, 200, 2, "ok",
   TRUE, 0 },
  { "http-1.0-length", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", FALSE, 200, 2, "ok",
   FALSE, 0 },
  { "junk-after", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\n", FALSE,
   200, 5, "hello", TRUE, 17 },
};

static void
test_framings_read (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      const ReadCase *c = &read_cases[i];
      Result result;

      g_test_message ("%s", c->name);
      drive_every_way (c->response, strlen (c->response), c->is_head, &result);
      g_assert_null (result.error);
      g_assert_cmpuint (result.heads, ==, 1);
      g_assert_cmpuint (result.status, ==, c->status);
      g_assert_cmpint (result.content_length, ==, c->content_length);
      g_assert_cmpint (result.has_body, ==, c->body[0] != '\0');
      g_assert_cmpstr (result.body->str, ==, c->body);
      g_assert_true (result.ended);
      g_assert_cmpint (result.keep_alive, ==, c->keep_alive);
      g_assert_cmpuint (result.left, ==, c->left);
      result_clear (&result);
    }
}

/* No framing: the body ends where the connection does, never reused */
static void
test_until_close (void)
{
  const char *response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close";
  Result result;

  drive_every_way (response, strlen (response), FALSE, &result);
  g_assert_null (result.error);
  g_assert_cmpuint (result.status, ==, 200);
  g_assert_cmpstr (result.reason, ==, "OK");
  g_assert_cmpint (result.content_length, ==, -1);
  g_assert_true (result.has_body);
  g_assert_cmpstr (result.body->str, ==, "until close");
  g_assert_true (result.ended);
  result_clear (&result);
}

/* Cut short: no end, and no error either (the owner says why) */
static void
test_cut_short (void)
{
  static const char *responses[] = {
    "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
    "HTTP/1.1 200 OK\r\nContent-Le",
  };

  for (guint i = 0; i < G_N_ELEMENTS (responses); i++)
    {
      Result result;

      drive_every_way (responses[i], strlen (responses[i]), FALSE, &result);
      g_assert_null (result.error);
      g_assert_false (result.ended);
      result_clear (&result);
    }
}

typedef struct
{
  const char *response;
  gsize       length;   /* 0: strlen() */
  const char *why;
} RefusedCase;

static const RefusedCase refused_cases[] = {
  { "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 0,
    "two different Content-Lengths" },
  { "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!", 0, "two different Content-Lengths" },
  { "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello", 0, "a malformed Content-Length" },
  { "HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello", 0, "a malformed Content-Length" },
  { "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456789\r\n\r\n", 0,
    "a malformed Content-Length" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 0,
    "malformed chunked body" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello", 0,
    "malformed chunked body" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n", 0,
    "malformed chunked body" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nhello\r\n0\r\n\r\n", 0,
    "malformed chunked body" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", 0,
    "malformed chunked body" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 0, "malformed chunked body" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello", 0,
    "a Transfer-Encoding other than chunked" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 0,
    "a Transfer-Encoding other than chunked" },
  { "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: "
    "5\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    0, "both Transfer-Encoding and Content-Length" },
  { "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 0,
    "Transfer-Encoding in an HTTP/1.0 response" },
  { "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", 0,
    "the service tried to switch protocols" },
  { "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n", 48, "malformed response head" },
  { "HTTP/9 200 OK\r\nContent-Length: 0\r\n\r\n", 0, "malformed response head" },
  { "hello\r\n\r\n", 0, "malformed response head" },
};

static void
test_framings_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused_cases); i++)
    {
      const RefusedCase *c = &refused_cases[i];
      gsize length = c->length ? c->length : strlen (c->response);
      Result result;

      g_test_message ("%s", c->why);
      drive_every_way (c->response, length, FALSE, &result);
      g_assert_nonnull (result.error);
      g_assert_nonnull (strstr (result.error, c->why));
      g_assert_false (result.ended);
      result_clear (&result);
    }
}

/* The bounds: 64 KiB of head, 1 KiB of chunk-size line, 16 KiB of trailers,
 * whether they come at once or in pieces */
static void
test_bounds (void)
{
  g_autoptr(GString) head = g_string_new ("HTTP/1.1 200 OK\r\n");
  g_autoptr(GString) chunk_line =
    g_string_new ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5");
  g_autoptr(GString) trailers =
    g_string_new ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
  g_autoptr(GString) fits = g_string_new ("HTTP/1.1 200 OK\r\n");
  struct { GString *response; const char *why; } cases[] = {
    { head, "larger than 64 KiB" },
    { chunk_line, "malformed chunked body" },
    { trailers, "the response's trailers are too large" },
  };
  Result result;

  while (head->len < 64 * 1024 + 100)
    g_string_append (head, "X-Padding: 0123456789012345678901234567890123456789\r\n");
  g_string_append (head, "Content-Length: 0\r\n\r\n");
  while (chunk_line->len < 1100)
    g_string_append (chunk_line, ";e=v");
  g_string_append (chunk_line, "\r\nhello\r\n0\r\n\r\n");
  while (trailers->len < 17 * 1024)
    g_string_append (trailers, "X-T: 0123456789012345678901234567890123456789\r\n");
  g_string_append (trailers, "\r\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = cases[i].response->len;

      g_test_message ("%s", cases[i].why);
      for (gsize split = 0; split <= length; split += split < 200 ? 1 : 997)
        {
          drive (cases[i].response->str, length, FALSE, split, FALSE, &result);
          g_assert_nonnull (result.error);
          g_assert_nonnull (strstr (result.error, cases[i].why));
          result_clear (&result);
        }
      drive (cases[i].response->str, length, FALSE, G_MAXSIZE, FALSE, &result);
      g_assert_nonnull (strstr (result.error, cases[i].why));
      result_clear (&result);
    }

  /* just under the limit: read, a byte at a time as well */
  while (fits->len < 64 * 1024 - 100)
    g_string_append (fits, "X-Padding: 0123456789\r\n");
  g_string_append (fits, "Content-Length: 2\r\n\r\nok");
  drive (fits->str, fits->len, FALSE, G_MAXSIZE, FALSE, &result);
  g_assert_null (result.error);
  g_assert_cmpstr (result.body->str, ==, "ok");
  g_assert_true (result.ended);
  result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/response-reader/framings-read", test_framings_read);
  g_test_add_func ("/hub/response-reader/until-close", test_until_close);
  g_test_add_func ("/hub/response-reader/cut-short", test_cut_short);
  g_test_add_func ("/hub/response-reader/framings-refused", test_framings_refused);
  g_test_add_func ("/hub/response-reader/bounds", test_bounds);

  return g_test_run ();
}
