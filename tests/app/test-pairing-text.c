// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The pairing wizard's words, without a window (src/app/openiot-pairing-text.c):
 * what it reads from people (an address, the machine's pretty name) and
 * what it says to them about errors and links that are not pairing links.
 */
#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-error-private.h"
#include "openiot-pairing-text.h"

static void
test_pairing_text (void)
{
  const struct { const char *address; const char *host; guint16 port; } addresses[] = {
    { "[fd00::10]:8444", "fd00::10", 8444 },
    { "fd00::10", "fd00::10", 8444 },
    { "[fe80::1%eth0]:9000", "fe80::1%eth0", 9000 },
    { "192.0.2.10:9000", "192.0.2.10", 9000 },
    { "hub.local", "hub.local", 8444 },
    { "hub.local:8500", "hub.local", 8500 },
    { "[hub.local]:8444", NULL, 0 },
    { "hub local", NULL, 0 },
    { "[::1]:70000", NULL, 0 },
    { "[::1", NULL, 0 },
    { ":8444", NULL, 0 },
  };
  g_autoptr(GError) rejected = g_error_new_literal (OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED,
                                                    "Der Kopplungscode ist falsch.");
  g_autoptr(GError) unreachable = g_error_new_literal (OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE,
                                                       "…");
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *pretty = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autofree char *host = NULL;
      guint16 port = 0;
      gboolean ok = openiot_pairing_link_parse_address (addresses[i].address, &host, &port, NULL);

      g_assert_cmpint (ok, ==, addresses[i].host != NULL);
      g_assert_cmpstr (host, ==, addresses[i].host);
      g_assert_cmpuint (port, ==, addresses[i].port);
    }

  pretty = openiot_pairing_text_pretty_name ("ICON_NAME=computer-laptop\n"
                                             "PRETTY_HOSTNAME=\"Anna's Laptop\"\n");
  g_assert_cmpstr (pretty, ==, "Anna's Laptop");
  g_assert_null (openiot_pairing_text_pretty_name ("CHASSIS=laptop\n"));

  /* The count comes as data, whatever the message's language */
  _openiot_error_set_attempts_left (rejected, 1);
  g_assert_true (openiot_pairing_text_explain_error (rejected, "::1", &title, &detail));
  g_assert_cmpstr (title, ==, "Wrong Pairing Code");
  g_assert_nonnull (strstr (detail, "1 try left"));
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&detail, g_free);
  /* Not the code's fault: it is kept */
  g_assert_false (openiot_pairing_text_explain_error (unreachable, "::1", &title, &detail));
  g_assert_nonnull (strstr (detail, "::1"));

  /* A few plain sentences for links that are none, whatever the parser
   * found wrong */
  g_assert_cmpstr (openiot_pairing_text_explain_link ("openiot://[::1]:8444/?code=12"), ==,
                   "This link is incomplete — copy it again from the hub.");
  g_assert_cmpstr (openiot_pairing_text_explain_link ("OpenIoT://hub.local"), ==,
                   "This link is incomplete — copy it again from the hub.");
  g_assert_cmpstr (openiot_pairing_text_explain_link ("openiot://hub.local:8444/?code=1234 5678"),
                   ==,
                   "This link was changed on its way here — copy it again from the hub, "
                   "in one piece.");
  g_assert_nonnull (strstr (openiot_pairing_text_explain_link ("https://example.com/"),
                            "This is not a pairing link."));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/app/pairing-text", test_pairing_text);

  return g_test_run ();
}
