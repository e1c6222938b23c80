// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "openiot-hubd-pairing-code.h"

/* hub-mock/hub/openiot-hubd-pairing-code.c: one claim wins, a refused
 * request gives the code back, and the guess limits of docs/security.md. */

static void
test_claim_once (void)
{
  g_autoptr(OpenIotHubdPairingCode) code = openiot_hubd_pairing_code_new (60);
  const char *reason = NULL;

  g_assert_cmpuint (strlen (openiot_hubd_pairing_code_get_code (code)), ==, 8);
  g_assert_true (openiot_hubd_pairing_code_claim (code, &reason));
  g_assert_false (openiot_hubd_pairing_code_claim (code, &reason));
  g_assert_cmpstr (reason, ==, "code-used");

  /* a refused registration gives the code back */
  openiot_hubd_pairing_code_release (code, FALSE);
  g_assert_true (openiot_hubd_pairing_code_claim (code, &reason));
  openiot_hubd_pairing_code_release (code, TRUE);
  g_assert_false (openiot_hubd_pairing_code_claim (code, &reason));
  g_assert_cmpstr (reason, ==, "code-used");

  /* a used code is not "replaced" by the next one */
  openiot_hubd_pairing_code_replace (code);
  g_assert_cmpint (openiot_hubd_pairing_code_get_state (code), ==, OPENIOT_HUBD_PAIRING_CODE_USED);
}

static void
test_expired_and_replaced (void)
{
  g_autoptr(OpenIotHubdPairingCode) expired = openiot_hubd_pairing_code_new (0);
  g_autoptr(OpenIotHubdPairingCode) replaced = openiot_hubd_pairing_code_new (60);
  const char *reason = NULL;

  g_assert_false (openiot_hubd_pairing_code_claim (expired, &reason));
  g_assert_cmpstr (reason, ==, "code-expired");
  g_assert_false (openiot_hubd_pairing_code_reserve_guess (expired, "192.0.2.1"));

  openiot_hubd_pairing_code_replace (replaced);
  g_assert_false (openiot_hubd_pairing_code_claim (replaced, &reason));
  g_assert_cmpstr (reason, ==, "code-replaced");
}

static void
test_guesses_per_address (void)
{
  g_autoptr(OpenIotHubdPairingCode) code = openiot_hubd_pairing_code_new (60);

  for (guint i = 0; i < OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS; i++)
    {
      g_assert_cmpuint (openiot_hubd_pairing_code_get_attempts_left (code), ==,
                        OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS - i);
      g_assert_true (openiot_hubd_pairing_code_reserve_guess (code, "192.0.2.66"));
      g_assert_false (openiot_hubd_pairing_code_end_guess (code, "192.0.2.66", TRUE));
    }

  /* that address is out; the code stays open for the owner */
  g_assert_false (openiot_hubd_pairing_code_reserve_guess (code, "192.0.2.66"));
  g_assert_cmpint (openiot_hubd_pairing_code_get_state (code), ==, OPENIOT_HUBD_PAIRING_CODE_OPEN);
  g_assert_true (openiot_hubd_pairing_code_reserve_guess (code, "192.0.2.10"));
  g_assert_false (openiot_hubd_pairing_code_end_guess (code, "192.0.2.10", FALSE));

  /* a guess given back (the peer left before its proof) costs nothing */
  for (guint i = 0; i < 50; i++)
    {
      g_assert_true (openiot_hubd_pairing_code_reserve_guess (code, "192.0.2.11"));
      openiot_hubd_pairing_code_end_guess (code, "192.0.2.11", FALSE);
    }
}

static void
test_parallel_guesses_get_no_more (void)
{
  g_autoptr(OpenIotHubdPairingCode) code = openiot_hubd_pairing_code_new (60);
  guint granted = 0;

  for (guint i = 0; i < 3 * OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS; i++)
    granted += openiot_hubd_pairing_code_reserve_guess (code, "2001:db8::66");
  g_assert_cmpuint (granted, ==, OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS);
}

static void
test_total_failures_lock (void)
{
  g_autoptr(OpenIotHubdPairingCode) code = openiot_hubd_pairing_code_new (60);
  const char *reason = NULL;
  guint wrong = 0;
  gboolean locked = FALSE;

  /* many addresses, a few guesses each: the total is the bound */
  for (guint a = 0; !locked; a++)
    {
      g_autofree char *address = g_strdup_printf ("2001:db8::%x", a);

      for (guint i = 0; i < 2 && !locked; i++)
        {
          g_assert_true (openiot_hubd_pairing_code_reserve_guess (code, address));
          locked = openiot_hubd_pairing_code_end_guess (code, address, TRUE);
          wrong++;
        }
    }

  g_assert_cmpuint (wrong, ==, OPENIOT_HUBD_PAIRING_MAX_FAILURES);
  g_assert_false (openiot_hubd_pairing_code_reserve_guess (code, "2001:db8::ffff"));
  g_assert_false (openiot_hubd_pairing_code_claim (code, &reason));
  g_assert_cmpstr (reason, ==, "code-locked");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* wrong guesses are logged as warnings: expected here */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_test_add_func ("/hub/pairing-code/claim-once", test_claim_once);
  g_test_add_func ("/hub/pairing-code/expired-and-replaced", test_expired_and_replaced);
  g_test_add_func ("/hub/pairing-code/guesses-per-address", test_guesses_per_address);
  g_test_add_func ("/hub/pairing-code/parallel-guesses-get-no-more",
                   test_parallel_guesses_get_no_more);
  g_test_add_func ("/hub/pairing-code/total-failures-lock", test_total_failures_lock);

  return g_test_run ();
}
