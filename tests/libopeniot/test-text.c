// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <libopeniot.h>

/* What a hostile title, unit or error message becomes on a terminal
 * (docs/security.md, "Terminal escapes"). */
static void
test_text_escapes_controls (void)
{
  const struct { const char *in; const char *out; } cases[] = {
    { "plain text, é ünïcode ☃ and a \\ backslash", "plain text, é ünïcode ☃ and a \\ backslash" },
    { "\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07" },  /* OSC 52: write the clipboard */
    { "\x1b[2JAll good", "\\x1b[2JAll good" },          /* clear the screen */
    { "line\nnext\r\ttab", "line\\x0anext\\x0d\\x09tab" },
    { "del\x7f", "del\\x7f" },
    { "c1 \xc2\x9b" "31m", "c1 \\u009b31m" },           /* U+009B, CSI in one character */
    { "bidi \xe2\x80\xae" "txt.exe", "bidi \\u202etxt.exe" },
    { "isolate \xe2\x81\xa6 x", "isolate \\u2066 x" },
    { "sep \xe2\x80\xa8 x", "sep \\u2028 x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = openiot_text_escape_for_terminal (cases[i].in, -1);

      g_assert_cmpstr (escaped, ==, cases[i].out);
    }
}

static void
test_text_makes_utf8_valid (void)
{
  g_autofree char *escaped = openiot_text_escape_for_terminal ("a\xff\xfe" "b", -1);
  g_autofree char *with_nul = openiot_text_escape_for_terminal ("a\0b", 3);

  g_assert_true (g_utf8_validate (escaped, -1, NULL));
  g_assert_cmpstr (escaped, ==, "a\xef\xbf\xbd\xef\xbf\xbd" "b");
  g_assert_true (g_utf8_validate (with_nul, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/escapes-controls", test_text_escapes_controls);
  g_test_add_func ("/text/makes-utf8-valid", test_text_makes_utf8_valid);

  return g_test_run ();
}
