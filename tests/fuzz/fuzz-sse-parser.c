// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * OpenIotSseParser on hostile event streams, split at hostile places.
 *
 * Input: a header, then the stream.
 *   byte 0, bits 0-3: n, the number of chunk-size bytes that follow
 *   byte 0, bit 4:    repeat the stream (byte n+1 says how often) to reach
 *                     the 1 MiB line and 4 MiB event limits
 *   byte 0, bit 5:    also run a parser whose handler resets it on events
 *                     of type "reset" and drops it on type "drop"
 *                     (streams that are not repeated)
 *   bytes 1..n:       chunk sizes, used in turn: b < 128 is b bytes (0 is
 *                     an empty feed), b ≥ 128 is (b − 127) × 512 bytes
 *
 * Invariants:
 *   - fed in chunks, fed in one piece, and fed one byte at a time (small
 *     streams), the parser reports the same events and errors, and ends
 *     with the same last event ID and retry time;
 *   - after reset(), the same stream gives the same events again (streams
 *     that are not repeated: those cost enough already);
 *   - every event's type, data and id are valid UTF-8; type and id hold no
 *     line end, data no CR; data stays within OPENIOT_SSE_MAX_DATA; the
 *     type is never empty; errors are G_IO_ERROR_MESSAGE_TOO_LARGE;
 *   - a handler that resets or drops the parser is safe (ASan).
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <libopeniot.h>

#include "fuzz-common.h"

#define MAX_STREAM (5 * 1024 * 1024)

typedef struct
{
  GString *log;
} Collector;

static void
on_event (OpenIotSseParser *parser,
          const char       *type,
          const char       *data,
          const char       *id,
          gpointer          user_data)
{
  Collector *c = user_data;

  FUZZ_CHECK (type != NULL && data != NULL && id != NULL, "NULL in an event");
  FUZZ_CHECK (g_utf8_validate (type, -1, NULL), "type not UTF-8");
  FUZZ_CHECK (g_utf8_validate (data, -1, NULL), "data not UTF-8");
  FUZZ_CHECK (g_utf8_validate (id, -1, NULL), "id not UTF-8");
  FUZZ_CHECK (*type != '\0', "empty event type");
  FUZZ_CHECK (strpbrk (type, "\r\n") == NULL, "line end in the type “%s”", type);
  FUZZ_CHECK (strpbrk (id, "\r\n") == NULL, "line end in the id “%s”", id);
  FUZZ_CHECK (strchr (data, '\r') == NULL, "CR in the data");
  FUZZ_CHECK (strlen (data) <= OPENIOT_SSE_MAX_DATA, "data over the limit: %zu bytes",
              strlen (data));

  /* Lengths first, so that no event can pass for two. */
  g_string_append_printf (c->log, "E%zu:%s|%zu:%s|%zu:%s\n",
                          strlen (type), type, strlen (data), data, strlen (id), id);
}

static void
on_error (OpenIotSseParser *parser,
          GError           *error,
          gpointer          user_data)
{
  Collector *c = user_data;

  FUZZ_CHECK (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE),
              "unexpected error %s", error->message);
  g_string_append (c->log, "X\n");
}

static OpenIotSseParser *
collector_parser (Collector *c)
{
  OpenIotSseParser *parser = openiot_sse_parser_new ();

  c->log = g_string_new (NULL);
  g_signal_connect (parser, "event", G_CALLBACK (on_event), c);
  g_signal_connect (parser, "error", G_CALLBACK (on_error), c);
  return parser;
}

/* The log, closed with the state a reconnection would use. */
static char *
collector_finish (Collector        *c,
                  OpenIotSseParser *parser)
{
  const char *last = openiot_sse_parser_get_last_event_id (parser);

  FUZZ_CHECK (last != NULL && g_utf8_validate (last, -1, NULL), "last event id not UTF-8");
  FUZZ_CHECK (openiot_sse_parser_get_retry_ms (parser) >= -1, "negative retry");
  g_string_append_printf (c->log, "last=%zu:%s retry=%d", strlen (last), last,
                          openiot_sse_parser_get_retry_ms (parser));
  return g_string_free (g_steal_pointer (&c->log), FALSE);
}

static gsize
chunk_size (const guint8 *sizes,
            gsize         n_sizes,
            gsize         i)
{
  guint8 b;

  if (n_sizes == 0)
    return 1;

  b = sizes[i % n_sizes];
  return b < 128 ? b : (gsize) (b - 127) * 512;
}

static void
feed_chunked (OpenIotSseParser *parser,
              const char       *stream,
              gsize             len,
              const guint8     *sizes,
              gsize             n_sizes)
{
  gsize offset = 0;

  for (gsize i = 0; offset < len; i++)
    {
      gsize n = MIN (chunk_size (sizes, n_sizes, i), len - offset);

      openiot_sse_parser_feed (parser, stream + offset, n);
      offset += n;

      /* Only empty chunks: move on rather than loop forever. */
      if (i > len + n_sizes)
        {
          openiot_sse_parser_feed (parser, stream + offset, len - offset);
          break;
        }
    }
}

/* A handler that resets the parser or drops the last reference to it, as
 * the documentation allows. */
typedef struct
{
  OpenIotSseParser *parser;
} Hostile;

static void
on_event_hostile (OpenIotSseParser *parser,
                  const char       *type,
                  const char       *data,
                  const char       *id,
                  gpointer          user_data)
{
  Hostile *h = user_data;

  if (g_str_equal (type, "reset"))
    openiot_sse_parser_reset (parser);
  else if (g_str_equal (type, "drop") && h->parser != NULL)
    g_clear_object (&h->parser);
}

static void
run_hostile (const char   *stream,
             gsize         len,
             const guint8 *sizes,
             gsize         n_sizes)
{
  Hostile h = { openiot_sse_parser_new () };
  gsize offset = 0;

  g_signal_connect (h.parser, "event", G_CALLBACK (on_event_hostile), &h);
  for (gsize i = 0; offset < len && h.parser != NULL && i <= len + n_sizes; i++)
    {
      gsize n = MIN (chunk_size (sizes, n_sizes, i), len - offset);

      openiot_sse_parser_feed (h.parser, stream + offset, n);
      offset += n;
    }
  g_clear_object (&h.parser);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) stream = NULL;
  g_autoptr(OpenIotSseParser) whole = NULL;
  g_autoptr(OpenIotSseParser) chunked = NULL;
  g_autoptr(OpenIotSseParser) again = NULL;
  g_autofree char *whole_log = NULL;
  g_autofree char *chunked_log = NULL;
  g_autofree char *first_log = NULL;
  g_autofree char *again_log = NULL;
  Collector cw, cc, ca;
  const guint8 *sizes;
  gsize n_sizes, header;
  guint repeat = 1;
  guint8 flags;

  if (size < 1)
    return 0;

  flags = data[0];
  n_sizes = flags & 0x0f;
  header = 1 + n_sizes;
  if (flags & 0x10)
    {
      if (size < header + 1)
        return 0;
      repeat = MAX (data[header], 1);
      header++;
    }
  if (size < header)
    return 0;
  sizes = data + 1;

  stream = g_string_new (NULL);
  for (guint i = 0; i < repeat && stream->len + (size - header) <= MAX_STREAM; i++)
    g_string_append_len (stream, (const char *) data + header, size - header);

  /* in one piece */
  whole = collector_parser (&cw);
  openiot_sse_parser_feed (whole, stream->str, stream->len);
  whole_log = collector_finish (&cw, whole);

  /* in the chunks the input asks for */
  chunked = collector_parser (&cc);
  feed_chunked (chunked, stream->str, stream->len, sizes, n_sizes);
  chunked_log = collector_finish (&cc, chunked);
  FUZZ_CHECK (g_str_equal (whole_log, chunked_log),
              "chunked feeding differs\n--- whole:\n%s\n--- chunked:\n%s", whole_log, chunked_log);

  /* byte by byte, while that stays cheap */
  if (stream->len <= 4096)
    {
      g_autoptr(OpenIotSseParser) bytewise = NULL;
      g_autofree char *bytewise_log = NULL;
      Collector cb;

      bytewise = collector_parser (&cb);
      feed_chunked (bytewise, stream->str, stream->len, NULL, 0);
      bytewise_log = collector_finish (&cb, bytewise);
      FUZZ_CHECK (g_str_equal (whole_log, bytewise_log),
                  "byte-wise feeding differs\n--- whole:\n%s\n--- byte-wise:\n%s", whole_log,
                  bytewise_log);
    }

  /* Streams repeated to reach the limits are costly: two passes are
   * enough for them. */
  if (repeat > 1)
    return 0;

  /* A reconnection: reset(), then the same stream gives the same events.
   * The state (last event id, retry) may differ, so compare events only. */
  again = collector_parser (&ca);
  openiot_sse_parser_feed (again, stream->str, stream->len);
  first_log = g_string_free (g_steal_pointer (&ca.log), FALSE);
  ca.log = g_string_new (NULL);
  openiot_sse_parser_reset (again);
  feed_chunked (again, stream->str, stream->len, sizes, n_sizes);
  again_log = g_string_free (g_steal_pointer (&ca.log), FALSE);
  FUZZ_CHECK (g_str_equal (first_log, again_log),
              "events after reset() differ\n--- first:\n%s\n--- after reset:\n%s", first_log,
              again_log);

  if (flags & 0x20)
    run_hostile (stream->str, stream->len, sizes, n_sizes);

  return 0;
}
