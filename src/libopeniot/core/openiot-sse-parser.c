// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-sse-parser"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "openiot-sse-parser.h"

/**
 * OpenIotSseParser:
 *
 * Parses a `text/event-stream` (WHATWG HTML, "Server-sent events",
 * §9.2.6 "Parsing an event stream") into events.
 *
 * Feed it the bytes of the response body as they arrive, split anywhere:
 * inside a UTF-8 sequence, between a `\r` and its `\n`, inside a field
 * name. Each event is reported by [signal@OpenIot.SseParser::event] when
 * its terminating blank line arrives; an event that the stream ends in the
 * middle of is never reported, as the specification demands.
 *
 * Decoding follows the specification: the stream is UTF-8, one leading
 * byte order mark is dropped, and malformed sequences become U+FFFD. Since
 * the strings handed out are C strings, a U+0000 in `data` or `event` is
 * reported as U+FFFD rather than cutting the string short (an `id` with a
 * U+0000 is ignored altogether, as specified).
 *
 * Memory is bounded whatever the peer sends: a line longer than
 * %OPENIOT_SSE_MAX_LINE bytes or an event whose data would grow past
 * %OPENIOT_SSE_MAX_DATA bytes is dropped, together with everything else of
 * the event it belongs to (up to its blank line), and reported once by
 * [signal@OpenIot.SseParser::error] with %G_IO_ERROR_MESSAGE_TOO_LARGE.
 * Parsing carries on with the next event. An `id` field of the dropped event
 * seen before the oversized line still takes effect at the blank line, so a
 * reconnection resumes after the event rather than fetching it again.
 */

#define UTF8_BOM "\xef\xbb\xbf"
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

struct _OpenIotSseParser
{
  GObject     parent_instance;

  GByteArray *line;             /* raw bytes of the unfinished line */
  GString    *data;             /* the data buffer, already decoded */
  GString    *event_type;       /* the event type buffer */
  char       *last_event_id_buffer;
  char       *last_event_id;    /* the event source's last event ID string */
  int         retry_ms;

  guint       generation;       /* bumped by reset, to stop a running feed */

  guint       bom_checked : 1;
  guint       after_cr : 1;
  guint       discarding_line : 1;
  guint       discarding_event : 1;
  guint       feeding : 1;
};

G_DEFINE_FINAL_TYPE (OpenIotSseParser, openiot_sse_parser, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LAST_EVENT_ID,
  PROP_RETRY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  EVENT,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/*
 * The WHATWG "UTF-8 decode" algorithm, so that malformed input turns into
 * exactly as many U+FFFD as a browser would produce (g_utf8_make_valid()
 * replaces byte by byte instead of by maximal subpart). Line ends never
 * occur inside a UTF-8 sequence, so decoding one line at a time gives the
 * same result as decoding the stream.
 */
static void
append_decoded (GString      *out,
                const guchar *in,
                gsize         len,
                gboolean      nul_to_replacement)
{
  gsize i = 0;
  gsize start = 0;
  guint needed = 0;
  guint seen = 0;
  guchar lower = 0x80;
  guchar upper = 0xbf;

  /* Valid text is by far the common case; g_utf8_validate_len() also
   * refuses NULs, so the slow path handles those. */
  if (g_utf8_validate_len ((const char *) in, len, NULL))
    {
      g_string_append_len (out, (const char *) in, len);
      return;
    }

  while (i < len)
    {
      guchar b = in[i];

      if (needed == 0)
        {
          start = i++;

          if (b == 0x00 && nul_to_replacement)
            g_string_append (out, UTF8_REPLACEMENT);
          else if (b <= 0x7f)
            g_string_append_c (out, (char) b);
          else if (b >= 0xc2 && b <= 0xdf)
            needed = 1;
          else if (b >= 0xe0 && b <= 0xef)
            {
              lower = b == 0xe0 ? 0xa0 : 0x80;
              upper = b == 0xed ? 0x9f : 0xbf;
              needed = 2;
            }
          else if (b >= 0xf0 && b <= 0xf4)
            {
              lower = b == 0xf0 ? 0x90 : 0x80;
              upper = b == 0xf4 ? 0x8f : 0xbf;
              needed = 3;
            }
          else
            g_string_append (out, UTF8_REPLACEMENT);

          continue;
        }

      if (b < lower || b > upper)
        {
          /* The sequence so far is one error; the byte is looked at
           * again as the start of something new. */
          needed = seen = 0;
          lower = 0x80;
          upper = 0xbf;
          g_string_append (out, UTF8_REPLACEMENT);
          continue;
        }

      lower = 0x80;
      upper = 0xbf;
      i++;

      if (++seen == needed)
        {
          g_string_append_len (out, (const char *) in + start, i - start);
          needed = seen = 0;
        }
    }

  if (needed != 0)
    g_string_append (out, UTF8_REPLACEMENT);
}

static char *
decode (const guchar *in,
        gsize         len,
        gboolean      nul_to_replacement)
{
  GString *out = g_string_sized_new (len);

  append_decoded (out, in, len, nul_to_replacement);
  return g_string_free (out, FALSE);
}

static void
clear_event (OpenIotSseParser *self)
{
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
}

static void
fail_event (OpenIotSseParser *self,
            const char       *message)
{
  g_autoptr(GError) error = NULL;

  /* New buffers rather than truncated ones, so the megabytes go back. */
  g_string_free (self->data, TRUE);
  self->data = g_string_new (NULL);
  g_string_free (self->event_type, TRUE);
  self->event_type = g_string_new (NULL);

  /* One report per dropped event, however many oversized lines it has. */
  if (self->discarding_event)
    return;
  self->discarding_event = TRUE;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, message);
  g_signal_emit (self, signals[ERROR], 0, error);
}

static void
dispatch (OpenIotSseParser *self)
{
  g_autoptr(GString) data = NULL;
  g_autofree char *type = NULL;
  g_autofree char *id = NULL;

  if (g_strcmp0 (self->last_event_id, self->last_event_id_buffer) != 0)
    {
      g_free (self->last_event_id);
      self->last_event_id = g_strdup (self->last_event_id_buffer);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_EVENT_ID]);
    }

  if (self->discarding_event)
    {
      self->discarding_event = FALSE;
      clear_event (self);
      return;
    }

  if (self->data->len == 0)
    {
      clear_event (self);
      return;
    }

  /* Take the event out before emitting: a handler may reset the parser. */
  data = g_steal_pointer (&self->data);
  self->data = g_string_new (NULL);
  type = g_strdup (self->event_type->len > 0 ? self->event_type->str : "message");
  g_string_truncate (self->event_type, 0);
  id = g_strdup (self->last_event_id);

  if (data->str[data->len - 1] == '\n')
    g_string_truncate (data, data->len - 1);

  g_signal_emit (self, signals[EVENT], 0, type, data->str, id);
}

static void
set_retry (OpenIotSseParser *self,
           const guchar     *value,
           gsize             len)
{
  guint64 ms = 0;

  if (len == 0)
    return;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (value[i]))
        return;
      /* Saturate rather than wrap: a huge value means "not soon". */
      ms = MIN (ms * 10 + (value[i] - '0'), (guint64) G_MAXINT);
    }

  if (self->retry_ms != (int) ms)
    {
      self->retry_ms = (int) ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_MS]);
    }
}

static void
process_field (OpenIotSseParser *self,
               const guchar     *name,
               gsize             name_len,
               const guchar     *value,
               gsize             value_len)
{
#define FIELD_IS(literal) \
  (name_len == sizeof literal - 1 && memcmp (name, literal, sizeof literal - 1) == 0)

  if (FIELD_IS ("data"))
    {
      /* Decoding never shrinks the text, so the raw length is a safe
       * early check before anything is copied. */
      if (self->data->len + value_len > OPENIOT_SSE_MAX_DATA)
        {
          fail_event (self, "An event's data is over 4 MiB; the event was dropped");
          return;
        }
      append_decoded (self->data, value, value_len, TRUE);
      if (self->data->len > OPENIOT_SSE_MAX_DATA)
        {
          fail_event (self, "An event's data is over 4 MiB; the event was dropped");
          return;
        }
      g_string_append_c (self->data, '\n');
    }
  else if (FIELD_IS ("event"))
    {
      g_string_truncate (self->event_type, 0);
      append_decoded (self->event_type, value, value_len, TRUE);
    }
  else if (FIELD_IS ("id"))
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_free (self->last_event_id_buffer);
          self->last_event_id_buffer = decode (value, value_len, FALSE);
        }
    }
  else if (FIELD_IS ("retry"))
    {
      set_retry (self, value, value_len);
    }

#undef FIELD_IS
}

static void
process_line (OpenIotSseParser *self,
              const guchar     *line,
              gsize             len)
{
  const guchar *colon;

  if (!self->bom_checked)
    {
      self->bom_checked = TRUE;
      if (len >= 3 && memcmp (line, UTF8_BOM, 3) == 0)
        {
          line += 3;
          len -= 3;
        }
    }

  if (len == 0)
    {
      dispatch (self);
      return;
    }

  if (self->discarding_event || line[0] == ':')
    return;

  colon = memchr (line, ':', len);
  if (colon == NULL)
    {
      process_field (self, line, len, (const guchar *) "", 0);
    }
  else
    {
      const guchar *value = colon + 1;
      gsize value_len = len - (value - line);

      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }
      process_field (self, line, colon - line, value, value_len);
    }
}

static void
line_too_long (OpenIotSseParser *self)
{
  /* A new array rather than a truncated one, so the megabyte goes back. */
  g_byte_array_unref (self->line);
  self->line = g_byte_array_new ();
  self->bom_checked = TRUE;
  fail_event (self, "A line of the event stream is over 1 MiB; its event was dropped");
}

static void
append_partial_line (OpenIotSseParser *self,
                     const guchar     *bytes,
                     gsize             len)
{
  if (self->discarding_line || len == 0)
    return;

  if (self->line->len + len > OPENIOT_SSE_MAX_LINE)
    {
      self->discarding_line = TRUE;
      line_too_long (self);
      return;
    }

  g_byte_array_append (self->line, bytes, len);
}

static void
complete_line (OpenIotSseParser *self,
               const guchar     *bytes,
               gsize             len)
{
  if (self->discarding_line)
    {
      /* Its end: what follows is a new line, parsed as usual. */
      self->discarding_line = FALSE;
      return;
    }

  if (self->line->len + len > OPENIOT_SSE_MAX_LINE)
    {
      line_too_long (self);
      return;
    }

  if (self->line->len == 0)
    {
      /* Most lines arrive whole: parse them where they are. */
      process_line (self, bytes, len);
    }
  else
    {
      g_autoptr(GByteArray) line = g_steal_pointer (&self->line);

      self->line = g_byte_array_new ();
      g_byte_array_append (line, bytes, len);
      process_line (self, line->data, line->len);
    }
}

static const guchar *
find_line_end (const guchar *bytes,
               gsize         len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (bytes[i] == '\n' || bytes[i] == '\r')
        return bytes + i;
    }

  return NULL;
}

/**
 * openiot_sse_parser_feed:
 * @self: a parser
 * @data: (array length=len) (element-type guint8): the next bytes of the stream
 * @len: the number of bytes in @data
 *
 * Parses the next bytes of the stream, emitting
 * [signal@OpenIot.SseParser::event] for each event they complete. The bytes
 * may be split anywhere. Handlers may call [method@OpenIot.SseParser.reset]
 * (the rest of @data is then dropped) but not this function.
 */
void
openiot_sse_parser_feed (OpenIotSseParser *self,
                         const char       *data,
                         gsize             len)
{
  const guchar *p = (const guchar *) data;
  guint generation;

  g_return_if_fail (OPENIOT_IS_SSE_PARSER (self));
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (!self->feeding);

  /* A handler may drop the last reference to the parser. */
  g_object_ref (self);
  self->feeding = TRUE;
  generation = self->generation;

  while (len > 0 && generation == self->generation)
    {
      const guchar *end;
      gsize line_len;

      if (self->after_cr)
        {
          /* The \n of a \r\n that was split across two calls. */
          self->after_cr = FALSE;
          if (*p == '\n')
            {
              p++;
              len--;
              continue;
            }
        }

      end = find_line_end (p, len);
      if (end == NULL)
        {
          append_partial_line (self, p, len);
          break;
        }

      line_len = end - p;
      self->after_cr = *end == '\r';
      complete_line (self, p, line_len);
      p = end + 1;
      len -= line_len + 1;
    }

  self->feeding = FALSE;
  g_object_unref (self);
}

/**
 * openiot_sse_parser_reset:
 * @self: a parser
 *
 * Forgets the unfinished line and event, for parsing a new stream after a
 * reconnection: the new stream may start with a byte order mark again.
 *
 * [property@OpenIot.SseParser:last-event-id] and
 * [property@OpenIot.SseParser:retry-ms] belong to the event source rather
 * than to one stream and are kept; the specification's "last event ID
 * buffer", though, starts empty in every stream, so an event of the new
 * stream without an `id` field sets the last event ID to the empty string.
 */
void
openiot_sse_parser_reset (OpenIotSseParser *self)
{
  g_return_if_fail (OPENIOT_IS_SSE_PARSER (self));

  self->generation++;
  g_byte_array_unref (self->line);
  self->line = g_byte_array_new ();
  clear_event (self);
  g_free (self->last_event_id_buffer);
  self->last_event_id_buffer = g_strdup ("");
  self->bom_checked = FALSE;
  self->after_cr = FALSE;
  self->discarding_line = FALSE;
  self->discarding_event = FALSE;
}

/**
 * openiot_sse_parser_get_last_event_id:
 * @self: a parser
 *
 * The last event ID, as sent back in `Last-Event-ID` on reconnection. It is
 * set by the `id` field and takes effect when the event that carries it is
 * dispatched.
 *
 * Returns: (not nullable): the last event ID; empty when none was set
 */
const char *
openiot_sse_parser_get_last_event_id (OpenIotSseParser *self)
{
  g_return_val_if_fail (OPENIOT_IS_SSE_PARSER (self), NULL);

  return self->last_event_id;
}

/**
 * openiot_sse_parser_get_retry_ms:
 * @self: a parser
 *
 * The reconnection time the server asked for with a `retry` field.
 *
 * Returns: milliseconds, saturated at %G_MAXINT, or -1 when the server has
 *   not said (use your own default then)
 */
int
openiot_sse_parser_get_retry_ms (OpenIotSseParser *self)
{
  g_return_val_if_fail (OPENIOT_IS_SSE_PARSER (self), -1);

  return self->retry_ms;
}

/**
 * openiot_sse_parser_new:
 *
 * Returns: (transfer full): a parser at the start of a stream
 */
OpenIotSseParser *
openiot_sse_parser_new (void)
{
  return g_object_new (OPENIOT_TYPE_SSE_PARSER, NULL);
}

static void
openiot_sse_parser_finalize (GObject *object)
{
  OpenIotSseParser *self = (OpenIotSseParser *) object;

  g_clear_pointer (&self->line, g_byte_array_unref);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_type, TRUE);
  g_clear_pointer (&self->last_event_id_buffer, g_free);
  g_clear_pointer (&self->last_event_id, g_free);

  G_OBJECT_CLASS (openiot_sse_parser_parent_class)->finalize (object);
}

static void
openiot_sse_parser_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OpenIotSseParser *self = OPENIOT_SSE_PARSER (object);

  switch (prop_id)
    {
    case PROP_LAST_EVENT_ID:
      g_value_set_string (value, self->last_event_id);
      break;

    case PROP_RETRY_MS:
      g_value_set_int (value, self->retry_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_sse_parser_class_init (OpenIotSseParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = openiot_sse_parser_finalize;
  object_class->get_property = openiot_sse_parser_get_property;

  /**
   * OpenIotSseParser:last-event-id: (getter get_last_event_id)
   *
   * The last event ID; see [method@OpenIot.SseParser.get_last_event_id].
   */
  properties[PROP_LAST_EVENT_ID] =
    g_param_spec_string ("last-event-id", NULL, NULL,
                         "",
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotSseParser:retry-ms: (getter get_retry_ms)
   *
   * The reconnection time the server asked for, in milliseconds, or -1.
   */
  properties[PROP_RETRY_MS] =
    g_param_spec_int ("retry-ms", NULL, NULL,
                      -1, G_MAXINT, -1,
                      (G_PARAM_READABLE |
                       G_PARAM_EXPLICIT_NOTIFY |
                       G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OpenIotSseParser::event:
   * @self: the parser
   * @type: the event type; "message" when the event had no `event` field
   * @data: the data lines joined with "\n"; may be empty
   * @id: the last event ID at the time of the event; empty when none was set
   *
   * An event was completed by its blank line.
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE,
                  3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * OpenIotSseParser::error:
   * @self: the parser
   * @error: %G_IO_ERROR_MESSAGE_TOO_LARGE
   *
   * An event went over the size limits and was dropped; parsing goes on
   * with the next event. Emitted once per dropped event.
   */
  signals[ERROR] =
    g_signal_new ("error",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE,
                  1,
                  G_TYPE_ERROR);
}

static void
openiot_sse_parser_init (OpenIotSseParser *self)
{
  self->line = g_byte_array_new ();
  self->data = g_string_new (NULL);
  self->event_type = g_string_new (NULL);
  self->last_event_id_buffer = g_strdup ("");
  self->last_event_id = g_strdup ("");
  self->retry_ms = -1;
}
