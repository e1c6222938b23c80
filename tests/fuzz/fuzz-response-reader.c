// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * OpenIotHubdResponseReader (the hub's one HTTP/1.1 response reader: a
 * service's answer to the proxy, libsoup's to the HTTP/2 path) on hostile
 * responses, split at hostile places.
 *
 * Input: a header, then the bytes a service sends.
 *   byte 0, bit 0:    the request was HEAD
 *   byte 0, bit 1:    the connection closes after the last byte
 *   byte 1:           the size of each piece fed (0: all at once)
 *
 * Invariants:
 *   - fed at once and fed in pieces, the reader gives the same head, the
 *     same body and the same end or error, with the same message;
 *   - a body is only reported after a head, and never past a
 *     Content-Length; END is reported once, and nothing after END or
 *     ERROR; every error is G_IO_ERROR_INVALID_DATA;
 *   - reading never holds more than what was fed (ASan).
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "openiot-hubd-response-reader.h"

#include "fuzz-common.h"

typedef struct
{
  GString *log;   /* what the reader reported, in order */
  gint64   length;
  gsize    body;
  gboolean ended;
  gboolean failed;
} Outcome;

/* Feeds @data to a new reader @piece bytes at a time, the way an owner's
 * loop does (a body piece stays in the buffer until the next call). */
static void
run (const guint8 *data,
     gsize         size,
     gsize         piece,
     gboolean      is_head,
     gboolean      closes,
     Outcome      *outcome)
{
  g_autoptr(OpenIotHubdResponseReader) reader = openiot_hubd_response_reader_new (is_head);
  g_autoptr(GByteArray) in = g_byte_array_new ();
  gsize fed = 0;

  outcome->log = g_string_new (NULL);
  outcome->length = -1;
  while (!outcome->ended && !outcome->failed)
    {
      g_autoptr(GError) error = NULL;
      const guint8 *body = NULL;
      gsize body_size = 0;
      OpenIotHubdResponseEvent event =
        openiot_hubd_response_reader_next (reader, in, &body, &body_size, &error);

      switch (event)
        {
        case OPENIOT_HUBD_RESPONSE_MORE:
          if (fed == size)
            {
              /* the service closed: a body until close ends here */
              if (closes && openiot_hubd_response_reader_got_head (reader) &&
                  openiot_hubd_response_reader_ends_at_close (reader))
                {
                  g_string_append (outcome->log, "end at close\n");
                  outcome->ended = TRUE;
                }
              else
                {
                  g_string_append (outcome->log, "cut\n");
                  outcome->failed = TRUE;
                }
              break;
            }
          {
            gsize n = piece > 0 ? MIN (piece, size - fed) : size - fed;

            g_byte_array_append (in, data + fed, n);
            fed += n;
          }
          break;

        case OPENIOT_HUBD_RESPONSE_HEAD:
          FUZZ_CHECK (openiot_hubd_response_reader_got_head (reader),
                      "HEAD before the head was in");
          outcome->length = openiot_hubd_response_reader_get_content_length (reader);
          g_string_append_printf (outcome->log, "head %u %" G_GINT64_FORMAT "\n",
                                  openiot_hubd_response_reader_get_status (reader),
                                  outcome->length);
          break;

        case OPENIOT_HUBD_RESPONSE_BODY:
          FUZZ_CHECK (openiot_hubd_response_reader_got_head (reader), "body before a head");
          FUZZ_CHECK (body != NULL && body_size > 0 && body >= in->data &&
                        body + body_size <= in->data + in->len,
                      "a body piece outside the buffer");
          outcome->body += body_size;
          FUZZ_CHECK (outcome->length < 0 || is_head || (gint64) outcome->body <= outcome->length,
                      "%" G_GSIZE_FORMAT
                      " bytes of body past a Content-Length of %" G_GINT64_FORMAT,
                      outcome->body, outcome->length);
          g_string_append_len (outcome->log, (const char *) body, body_size);
          break;

        case OPENIOT_HUBD_RESPONSE_END:
          g_string_append (outcome->log, "\nend\n");
          outcome->ended = TRUE;
          break;

        case OPENIOT_HUBD_RESPONSE_ERROR:
          FUZZ_CHECK (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA), "error %s",
                      error ? error->message : "(none)");
          g_string_append_printf (outcome->log, "\nerror %s\n", error->message);
          outcome->failed = TRUE;
          break;

        default:
          FUZZ_CHECK (FALSE, "unknown event %d", event);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Outcome whole = { 0 }, pieces = { 0 };
  gboolean is_head, closes;
  gsize piece;

  if (size < 2)
    return 0;
  is_head = data[0] & 1;
  closes = data[0] & 2;
  piece = data[1];
  data += 2;
  size -= 2;

  run (data, size, 0, is_head, closes, &whole);
  run (data, size, piece == 0 ? 1 : piece, is_head, closes, &pieces);
  /* A body piece's boundaries depend on the feeding; its bytes do not */
  FUZZ_CHECK (g_str_equal (whole.log->str, pieces.log->str),
              "fed at once:\n%s\nfed %zu bytes at a time:\n%s", whole.log->str, piece,
              pieces.log->str);

  g_string_free (whole.log, TRUE);
  g_string_free (pieces.log, TRUE);
  return 0;
}
