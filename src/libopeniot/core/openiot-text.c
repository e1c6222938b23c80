// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-text"

#include "config.h"

#include <string.h>

#include "openiot-text.h"

/* Bidirectional embeddings, overrides and isolates: they reorder what
 * follows on the line, so "txt.exe" can read as "exe.txt". */
static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x061C ||
         c == 0x200E || c == 0x200F;
}

static gboolean
needs_escape (gunichar c)
{
  return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || is_bidi_control (c) ||
         c == 0x2028 || c == 0x2029;
}

/**
 * openiot_text_escape_for_terminal:
 * @text: text from a hub, a service or a Thing Description
 * @length: its length in bytes, or -1 when it ends with NUL
 *
 * Makes text that a hub or a service chose safe to show on a terminal:
 * it can no longer move the cursor, clear the screen, write the
 * clipboard (OSC 52), start a new line or reorder what follows.
 *
 * Every C0 control character (including newline and tab), DEL, every C1
 * control character, the line and paragraph separators and the
 * bidirectional controls are replaced by a visible escape: `\xHH` for
 * ASCII ones (`\x1b` for ESC), `\uHHHH` for the others (`\u202e`). Bytes
 * that are not UTF-8 become U+FFFD. All other text is left as it is,
 * backslashes included.
 *
 * Returns: (transfer full): the text to print
 */
char *
openiot_text_escape_for_terminal (const char *text,
                                  gssize      length)
{
  g_autofree char *valid = NULL;
  GString *out;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, length);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!needs_escape (c))
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else if (c < 0x80)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_printf (out, "\\u%04x", c);
    }
  return g_string_free (out, FALSE);
}

/**
 * openiot_text_format_when:
 * @when: a moment
 * @seconds: whether to give the seconds (a log of events) or not
 *
 * A moment as people read it, in this device's zone and locale: the time
 * alone today ("22:48"), the date and the time on another day.
 *
 * Returns: (transfer full): the text
 */
char *
openiot_text_format_when (GDateTime *when,
                          gboolean   seconds)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *time = seconds ? "%X" : "%R";
  g_autofree char *date_time = g_strconcat ("%x ", time, NULL);

  g_return_val_if_fail (when != NULL, NULL);

  local = g_date_time_to_local (when);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, time);
  return g_date_time_format (local, date_time);
}
