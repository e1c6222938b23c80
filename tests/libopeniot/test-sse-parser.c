// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <string.h>
#include <libopeniot.h>

/* Everything a parser reported, as one string, so that a mismatch shows
 * both sides in full: "[type|data|id]" per event, then the final state. */
typedef struct
{
  GString *log;
  guint    errors;
  guint    id_notifies;
} Collector;

static void
on_event (OpenIotSseParser *parser,
          const char       *type,
          const char       *data,
          const char       *id,
          gpointer          user_data)
{
  Collector *c = user_data;

  g_assert_true (g_utf8_validate (type, -1, NULL));
  g_assert_true (g_utf8_validate (data, -1, NULL));
  g_assert_true (g_utf8_validate (id, -1, NULL));
  g_string_append_printf (c->log, "[%s|%s|%s]", type, data, id);
}

static void
on_error (OpenIotSseParser *parser,
          GError           *error,
          gpointer          user_data)
{
  Collector *c = user_data;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  c->errors++;
  g_string_append (c->log, "[error]");
}

static void
on_notify_id (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  Collector *c = user_data;

  c->id_notifies++;
}

static OpenIotSseParser *
collector_parser (Collector *c)
{
  OpenIotSseParser *parser = openiot_sse_parser_new ();

  c->log = g_string_new (NULL);
  c->errors = 0;
  c->id_notifies = 0;
  g_signal_connect (parser, "event", G_CALLBACK (on_event), c);
  g_signal_connect (parser, "error", G_CALLBACK (on_error), c);
  g_signal_connect (parser, "notify::last-event-id", G_CALLBACK (on_notify_id), c);
  return parser;
}

static char *
collector_finish (Collector        *c,
                  OpenIotSseParser *parser)
{
  g_string_append_printf (c->log, " last=%s retry=%d",
                          openiot_sse_parser_get_last_event_id (parser),
                          openiot_sse_parser_get_retry_ms (parser));
  return g_string_free (g_steal_pointer (&c->log), FALSE);
}

/* Parses @stream cut at each of @cuts (ascending offsets). */
static char *
parse_cut (const char  *stream,
           gsize        len,
           const gsize *cuts,
           guint        n_cuts)
{
  g_autoptr(OpenIotSseParser) parser = NULL;
  Collector c;
  gsize start = 0;

  parser = collector_parser (&c);
  for (guint i = 0; i < n_cuts; i++)
    {
      g_assert_cmpuint (cuts[i], >=, start);
      openiot_sse_parser_feed (parser, stream + start, cuts[i] - start);
      start = cuts[i];
    }
  openiot_sse_parser_feed (parser, stream + start, len - start);

  return collector_finish (&c, parser);
}

static char *
parse (const char *stream)
{
  return parse_cut (stream, strlen (stream), NULL, 0);
}

static char *
parse_in_chunks (const char *stream,
                 gsize       len,
                 gsize       chunk)
{
  g_autoptr(OpenIotSseParser) parser = NULL;
  Collector c;

  parser = collector_parser (&c);
  for (gsize i = 0; i < len; i += chunk)
    openiot_sse_parser_feed (parser, stream + i, MIN (chunk, len - i));

  return collector_finish (&c, parser);
}

/* The examples of WHATWG HTML §9.2.6. */
static void
test_sse_spec_examples (void)
{
  g_autofree char *stocks = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *space = NULL;

  stocks = parse ("data: YHOO\n"
                  "data: +2\n"
                  "data: 10\n"
                  "\n");
  g_assert_cmpstr (stocks, ==, "[message|YHOO\n+2\n10|] last= retry=-1");

  /* A comment alone fires nothing; an "id" without a value resets the
   * last event ID; only the first space after the colon is dropped. */
  blocks = parse (": test stream\n"
                  "\n"
                  "data: first event\n"
                  "id: 1\n"
                  "\n"
                  "data:second event\n"
                  "id\n"
                  "\n"
                  "data:  third event\n"
                  "\n");
  g_assert_cmpstr (blocks, ==,
                   "[message|first event|1]"
                   "[message|second event|]"
                   "[message| third event|]"
                   " last= retry=-1");

  /* "data" without a colon adds an empty line; the end of the stream does
   * not dispatch the last, unfinished event. */
  empty = parse ("data\n"
                 "\n"
                 "data\n"
                 "data\n"
                 "\n"
                 "data:");
  g_assert_cmpstr (empty, ==, "[message||][message|\n|] last= retry=-1");

  space = parse ("data:test\n"
                 "\n"
                 "data: test\n"
                 "\n");
  g_assert_cmpstr (space, ==, "[message|test|][message|test|] last= retry=-1");
}

/* A stream with every construct the parser knows, mixing the three kinds of
 * line end and multi-byte UTF-8, so that cutting it anywhere splits a
 * \r\n, a UTF-8 sequence, the BOM and a field name somewhere. */
static const char mixed_stream[] =
  "\xef\xbb\xbf"
  ": hello\r\n"
  "retry: 2500\r\n"
  "event: temp\r\n"
  "data: 21.5 \xc2\xb0" "C\r\n"
  "id: 1\r\n"
  "\r\n"
  "data: line one\n"
  "data:line two \xe2\x82\xac\n"
  "unknown: field\n"
  "\n"
  "id: 2\r"
  "event: emoji\r"
  "data: \xf0\x9f\x98\x80\r"
  "\r"
  "data\n"
  "\n"
  "id\r\n"
  "data: no id\r\n"
  "\r\n"
  "data: bad \xe2\x82 end\n"
  "\n"
  "data: never dispatched\n";

static const char mixed_expected[] =
  "[temp|21.5 \xc2\xb0" "C|1]"
  "[message|line one\nline two \xe2\x82\xac|1]"
  "[emoji|\xf0\x9f\x98\x80|2]"
  "[message||2]"
  "[message|no id|]"
  "[message|bad \xef\xbf\xbd end|]"
  " last= retry=2500";

static void
test_sse_every_split (void)
{
  gsize len = sizeof mixed_stream - 1;
  g_autofree char *whole = parse_cut (mixed_stream, len, NULL, 0);
  g_autofree char *bytewise = parse_in_chunks (mixed_stream, len, 1);

  g_assert_cmpstr (whole, ==, mixed_expected);
  g_assert_cmpstr (bytewise, ==, mixed_expected);

  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *split = parse_cut (mixed_stream, len, &i, 1);

      if (g_strcmp0 (split, mixed_expected) != 0)
        g_test_message ("split at %" G_GSIZE_FORMAT, i);
      g_assert_cmpstr (split, ==, mixed_expected);
    }

  /* And some cuts into many pieces, reproducibly (g_test_rand_*). */
  for (guint round = 0; round < 500; round++)
    {
      gsize cuts[8];
      g_autofree char *split = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
        cuts[i] = g_test_rand_int_range (0, len + 1);
      for (guint i = 1; i < G_N_ELEMENTS (cuts); i++)
        for (guint j = i; j > 0 && cuts[j - 1] > cuts[j]; j--)
          {
            gsize t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
          }

      split = parse_cut (mixed_stream, len, cuts, G_N_ELEMENTS (cuts));
      g_assert_cmpstr (split, ==, mixed_expected);
    }
}

static void
test_sse_line_ends (void)
{
  const char *variants[] = {
    "event: a\ndata: 1\ndata: 2\n\ndata: 3\n\n",
    "event: a\r\ndata: 1\r\ndata: 2\r\n\r\ndata: 3\r\n\r\n",
    "event: a\rdata: 1\rdata: 2\r\rdata: 3\r\r",
    "event: a\r\ndata: 1\rdata: 2\n\r\ndata: 3\r\r\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *whole = parse (variants[i]);
      g_autofree char *bytewise = parse_in_chunks (variants[i], strlen (variants[i]), 1);

      g_assert_cmpstr (whole, ==, "[a|1\n2|][message|3|] last= retry=-1");
      g_assert_cmpstr (bytewise, ==, whole);
    }

  {
    /* \r\n\r\n is two line ends, one blank line; \n\r is two as well. */
    g_autofree char *crlf = parse ("data: x\r\n\r\ndata: y\n\r");
    g_assert_cmpstr (crlf, ==, "[message|x|][message|y|] last= retry=-1");
  }
}

static void
test_sse_bom (void)
{
  g_autofree char *one = parse ("\xef\xbb\xbf" "data: a\n\n");
  g_autofree char *two = parse ("\xef\xbb\xbf\xef\xbb\xbf" "data: a\n\ndata: b\n\n");
  g_autofree char *later = parse ("data: a\n\n\xef\xbb\xbf" "data: b\n\n");
  g_autofree char *alone = parse ("\xef\xbb\xbf\ndata: a\n\n");

  g_assert_cmpstr (one, ==, "[message|a|] last= retry=-1");
  /* Only one leading BOM is dropped: the second makes "\ufeffdata" an
   * unknown field. A BOM later in the stream is no BOM either. */
  g_assert_cmpstr (two, ==, "[message|b|] last= retry=-1");
  g_assert_cmpstr (later, ==, "[message|a|] last= retry=-1");
  g_assert_cmpstr (alone, ==, "[message|a|] last= retry=-1");
}

static void
test_sse_fields (void)
{
  g_autofree char *types = parse ("event: add\ndata: 1\n\n"
                                  "data: 2\n\n"
                                  "event\ndata: 3\n\n"
                                  "event: x\n\n"
                                  "data: 4\n\n");
  g_autofree char *names = parse ("Data: upper\n\n"
                                  "data : spaced\n\n"
                                  "foo: bar\ndata:: colon\n\n"
                                  ":data: comment\n\n"
                                  "data:\tx\n\n");
  g_autofree char *utf8 = parse ("data: \xff\xe2\x82" "A\xc0\xaf\xed\xa0\x80\n\n");
  g_autofree char *nul = NULL;
  const char nul_stream[] = "event: a\0b\ndata: x\0y\n\n";

  /* The event type applies to one event only; an empty one is "message";
   * an event without data fires nothing and takes its type with it. */
  g_assert_cmpstr (types, ==,
                   "[add|1|][message|2|][message|3|][message|4|] last= retry=-1");

  /* Field names are case-sensitive and exact; the value starts after the
   * first colon; only a space (not a tab) after it is dropped. */
  g_assert_cmpstr (names, ==, "[message|: colon|][message|\tx|] last= retry=-1");

  /* Malformed UTF-8 becomes U+FFFD per maximal subpart, as browsers do. */
  g_assert_cmpstr (utf8, ==,
                   "[message|\xef\xbf\xbd\xef\xbf\xbd" "A"
                   "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|]"
                   " last= retry=-1");

  /* U+0000 cannot travel in a C string: it is shown as U+FFFD. */
  nul = parse_cut (nul_stream, sizeof nul_stream - 1, NULL, 0);
  g_assert_cmpstr (nul, ==,
                   "[a\xef\xbf\xbd" "b|x\xef\xbf\xbdy|] last= retry=-1");
}

static void
test_sse_retry (void)
{
  g_autofree char *set = parse ("retry: 1500\n");
  g_autofree char *bad =
    parse ("retry: 1500\nretry: 15x\nretry:\nretry: -1\nretry:  20\nretry: 1.5\n");
  g_autofree char *last = parse ("retry: 1500\nretry: 0\n");
  g_autofree char *huge = parse ("retry: 99999999999999999999999999\n");
  g_autoptr(OpenIotSseParser) parser = openiot_sse_parser_new ();
  int retry = 0;

  /* retry alone does not need a blank line and fires no event. */
  g_assert_cmpstr (set, ==, " last= retry=1500");
  g_assert_cmpstr (bad, ==, " last= retry=1500");
  g_assert_cmpstr (last, ==, " last= retry=0");
  g_assert_cmpstr (huge, ==, " last= retry=2147483647");

  g_object_get (parser, "retry-ms", &retry, NULL);
  g_assert_cmpint (retry, ==, -1);
  openiot_sse_parser_feed (parser, "retry: 42\n", 10);
  g_object_get (parser, "retry-ms", &retry, NULL);
  g_assert_cmpint (retry, ==, 42);
}

static void
test_sse_id (void)
{
  g_autoptr(OpenIotSseParser) parser = NULL;
  g_autofree char *persist = parse ("id: a\ndata: 1\n\n"
                                    "data: 2\n\n"
                                    "data: 3\nid: b\n\n"
                                    "id: c\n\n"
                                    "data: 4\n\n");
  g_autofree char *reset = parse ("id: a\ndata: 1\n\nid\ndata: 2\n\nid:\ndata: 3\n\n");
  g_autofree char *nul = NULL;
  g_autofree char *last = NULL;
  g_autofree char *result = NULL;
  const char nul_stream[] = "id: a\ndata: 1\n\nid: x\0y\ndata: 2\n\n";
  Collector c;

  /* The ID persists across events, applies to the event that carries it
   * wherever it stands in it, and takes effect even without data. */
  g_assert_cmpstr (persist, ==,
                   "[message|1|a][message|2|a][message|3|b][message|4|c] last=c retry=-1");
  g_assert_cmpstr (reset, ==, "[message|1|a][message|2|][message|3|] last= retry=-1");

  nul = parse_cut (nul_stream, sizeof nul_stream - 1, NULL, 0);
  g_assert_cmpstr (nul, ==, "[message|1|a][message|2|a] last=a retry=-1");

  /* The property changes at dispatch, not when the field is read. */
  parser = collector_parser (&c);
  openiot_sse_parser_feed (parser, "id: 7\ndata: x\n", 14);
  g_assert_cmpstr (openiot_sse_parser_get_last_event_id (parser), ==, "");
  g_assert_cmpuint (c.id_notifies, ==, 0);
  openiot_sse_parser_feed (parser, "\n", 1);
  g_object_get (parser, "last-event-id", &last, NULL);
  g_assert_cmpstr (last, ==, "7");
  g_assert_cmpuint (c.id_notifies, ==, 1);
  openiot_sse_parser_feed (parser, "id: 7\ndata: y\n\n", 15);
  g_assert_cmpuint (c.id_notifies, ==, 1);

  /* A new stream after reconnection: unfinished input is dropped, the last
   * event ID stays until the new stream dispatches an event. */
  openiot_sse_parser_feed (parser, "data: half", 10);
  openiot_sse_parser_reset (parser);
  g_assert_cmpstr (openiot_sse_parser_get_last_event_id (parser), ==, "7");
  openiot_sse_parser_feed (parser, "\xef\xbb\xbf" "id: 8\ndata: z\n\n", 18);
  result = collector_finish (&c, parser);
  g_assert_cmpstr (result, ==, "[message|x|7][message|y|7][message|z|8] last=8 retry=-1");
}

static char *
make_line (const char *prefix,
           gsize       total,
           const char *end)
{
  GString *line = g_string_new (prefix);

  while (line->len < total)
    g_string_append_c (line, 'x');
  g_string_append (line, end);
  return g_string_free (line, FALSE);
}

static void
test_sse_oversize_line (void)
{
  g_autofree char *longest = make_line ("data: ", OPENIOT_SSE_MAX_LINE, "");
  g_autofree char *too_long = make_line ("data: ", OPENIOT_SSE_MAX_LINE + 1, "\n");
  g_autofree char *stream = NULL;
  g_autofree char *whole = NULL;
  g_autofree char *chunked = NULL;
  g_autofree char *at_limit = NULL;
  g_autofree char *expected_at_limit = NULL;
  g_autofree char *comment = make_line (":", 10 * OPENIOT_SSE_MAX_LINE, "\r\n");
  g_autofree char *comment_stream = NULL;
  g_autofree char *comment_result = NULL;

  /* Exactly the limit is fine. */
  stream = g_strconcat (longest, "\n\n", NULL);
  at_limit = parse_in_chunks (stream, strlen (stream), 4093);
  expected_at_limit = g_strdup_printf ("[message|%s|] last= retry=-1", longest + 6);
  g_assert_cmpstr (at_limit, ==, expected_at_limit);
  g_clear_pointer (&stream, g_free);

  /* One byte more drops the whole event, everything up to its blank line
   * (its type, its id, its other data), once, and parsing goes on. */
  stream = g_strconcat ("event: big\nid: 1\ndata: before\n",
                        too_long,
                        "data: after\nid: 2\nevent: other\n\n"
                        "data: next\n\n",
                        NULL);
  whole = parse (stream);
  chunked = parse_in_chunks (stream, strlen (stream), 4093);
  g_assert_cmpstr (whole, ==, "[error][message|next|1] last=1 retry=-1");
  g_assert_cmpstr (chunked, ==, whole);

  /* A long comment is as much of a problem as a long data line. */
  comment_stream = g_strconcat (comment, "data: fine\r\n\r\n", NULL);
  comment_result = parse_in_chunks (comment_stream, strlen (comment_stream), 65536);
  g_assert_cmpstr (comment_result, ==, "[error] last= retry=-1");
}

static void
test_sse_oversize_data (void)
{
  /* Five lines whose data, joined with four \n, is exactly 4 MiB. */
  gsize first = 1000000;
  gsize last = OPENIOT_SSE_MAX_DATA - 4 * first - 4;
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(OpenIotSseParser) parser = NULL;
  g_autofree char *line = make_line ("data: ", 6 + first, "\n");
  g_autofree char *last_line = make_line ("data: ", 6 + last, "\n");
  g_autofree char *result = NULL;
  Collector c;
  gsize data_len = 0;

  for (guint i = 0; i < 4; i++)
    g_string_append (stream, line);
  g_string_append (stream, last_line);
  g_string_append (stream, "\n");

  parser = collector_parser (&c);
  openiot_sse_parser_feed (parser, stream->str, stream->len);
  g_assert_cmpuint (c.errors, ==, 0);
  /* "[message|" and "|]" (an empty id) around the data */
  data_len = c.log->len - strlen ("[message|") - strlen ("|]");
  g_assert_cmpuint (data_len, ==, OPENIOT_SSE_MAX_DATA);

  /* One byte more is refused, whatever the chunking. */
  g_string_truncate (c.log, 0);
  g_string_insert (stream, 6, "x");
  g_string_append (stream, "data: next\n\n");
  for (gsize i = 0; i < stream->len; i += 100000)
    openiot_sse_parser_feed (parser, stream->str + i, MIN (100000, stream->len - i));
  result = collector_finish (&c, parser);
  g_assert_cmpstr (result, ==, "[error][message|next|] last= retry=-1");
  g_assert_cmpuint (c.errors, ==, 1);
}

static void
reset_on_event (OpenIotSseParser *parser,
                const char       *type,
                const char       *data,
                const char       *id,
                gpointer          user_data)
{
  if (g_str_equal (data, "stop"))
    openiot_sse_parser_reset (parser);
}

static void
unref_on_event (OpenIotSseParser *parser,
                const char       *type,
                const char       *data,
                const char       *id,
                gpointer          user_data)
{
  g_signal_handlers_disconnect_by_func (parser, unref_on_event, user_data);
  g_object_unref (parser);
}

static void
test_sse_reentrancy (void)
{
  g_autoptr(OpenIotSseParser) parser = NULL;
  OpenIotSseParser *doomed = openiot_sse_parser_new ();
  g_autofree char *result = NULL;
  Collector c;

  /* A reset from a handler drops the rest of what is being fed. */
  parser = collector_parser (&c);
  g_signal_connect (parser, "event", G_CALLBACK (reset_on_event), NULL);
  openiot_sse_parser_feed (parser, "data: stop\n\ndata: dropped\n\n", 27);
  openiot_sse_parser_feed (parser, "data: kept\n\n", 12);
  result = collector_finish (&c, parser);
  g_assert_cmpstr (result, ==, "[message|stop|][message|kept|] last= retry=-1");

  /* A handler may drop the last reference (run under valgrind). */
  g_signal_connect (doomed, "event", G_CALLBACK (unref_on_event), NULL);
  openiot_sse_parser_feed (doomed, "data: 1\n\ndata: 2\n\n", 18);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/sse-parser/spec-examples", test_sse_spec_examples);
  g_test_add_func ("/sse-parser/every-split", test_sse_every_split);
  g_test_add_func ("/sse-parser/line-ends", test_sse_line_ends);
  g_test_add_func ("/sse-parser/bom", test_sse_bom);
  g_test_add_func ("/sse-parser/fields", test_sse_fields);
  g_test_add_func ("/sse-parser/retry", test_sse_retry);
  g_test_add_func ("/sse-parser/id", test_sse_id);
  g_test_add_func ("/sse-parser/oversize-line", test_sse_oversize_line);
  g_test_add_func ("/sse-parser/oversize-data", test_sse_oversize_data);
  g_test_add_func ("/sse-parser/reentrancy", test_sse_reentrancy);

  return g_test_run ();
}
