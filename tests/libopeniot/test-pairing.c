// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <json-glib/json-glib.h>
#include <libopeniot.h>

#include "openiot-certificate-private.h"
#include "openiot-test-hub.h"

/* End to end against the real hub: TLS-SRP, registration, and every way
 * pairing must refuse. */

static char *
make_certificate (const char *name)
{
  g_autofree char *key = NULL;
  char *certificate = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (_openiot_certificate_generate (name, 365, &key, &certificate, &error));
  return certificate;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static OpenIotPairingResult *
pair (OpenIotPairingLink *link,
      const char         *certificate,
      GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  openiot_pair_async (link, "Test Laptop", certificate, NULL, store_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return openiot_pair_finish (result, error);
}

/* Every way pairing must refuse ends the same: no result, and an error with
 * @code that the caller may look into further. */
static GError *
pair_refused (OpenIotPairingLink *link,
              const char         *certificate,
              OpenIotError        code)
{
  g_autoptr(OpenIotPairingResult) result = NULL;
  GError *error = NULL;

  result = pair (link, certificate, &error);
  g_assert_error (error, OPENIOT_ERROR, (int) code);
  g_assert_null (result);
  return error;
}

static void
test_pairing_by_link (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  g_autofree char *certificate = make_certificate ("Test Laptop");
  g_autoptr(OpenIotPairingResult) result = NULL;
  g_autoptr(JsonNode) clients = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) closed = NULL;

  result = pair (link, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openiot_pairing_result_get_hub_name (result), ==, "Test Hub");
  g_assert_cmpstr (openiot_pairing_result_get_fingerprint (result), ==,
                   openiot_pairing_link_get_fingerprint (link));
  g_assert_cmpint (openiot_pairing_result_get_verification (result), ==,
                   OPENIOT_VERIFICATION_LINK_FINGERPRINT);
  g_assert_cmpint (openiot_pairing_result_get_port (result), ==, hub->port);
  g_assert_true (g_uuid_string_is_valid (openiot_pairing_result_get_client_id (result)));

  clients = openiot_test_hub_admin (hub, "clients", NULL);
  g_assert_cmpint (json_array_get_length (json_node_get_array (clients)), ==, 1);

  /* single use: the same link again finds the code closed */
  g_free (certificate);
  certificate = make_certificate ("Second");
  closed = pair_refused (link, certificate, OPENIOT_ERROR_PAIRING_CLOSED);
}

static void
test_pairing_by_code_only (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) opened = openiot_test_hub_open_code (hub);
  g_autoptr(OpenIotPairingLink) typed = NULL;
  g_autofree char *certificate = make_certificate ("Typed");
  g_autoptr(OpenIotPairingResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* address and code typed by hand: no fingerprint to compare */
  typed = openiot_pairing_link_new ("::1", hub->port + 1, hub->port,
                                    openiot_pairing_link_get_code (opened),
                                    NULL, NULL, NULL);
  result = pair (typed, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpint (openiot_pairing_result_get_verification (result), ==,
                   OPENIOT_VERIFICATION_PAIRING_CODE);
}

static void
test_pairing_wrong_code (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) opened = openiot_test_hub_open_code (hub);
  g_autoptr(OpenIotPairingLink) wrong = NULL;
  g_autofree char *certificate = make_certificate ("Guesser");
  g_autofree char *code = g_strdup_printf ("%08u",
                                           (atoi (openiot_pairing_link_get_code (opened)) + 1) % 100000000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) shut_out = NULL;

  wrong = openiot_pairing_link_new ("::1", hub->port + 1, hub->port, code,
                                    openiot_pairing_link_get_fingerprint (opened), NULL, NULL);
  for (int left = 4; left >= 1; left--)
    {
      g_autofree char *expected = g_strdup_printf ("(%d %s left)", left,
                                                   left == 1 ? "try" : "tries");

      error = pair_refused (wrong, certificate, OPENIOT_ERROR_PAIRING_REJECTED);
      g_assert_nonnull (strstr (error->message, expected));
      g_assert_cmpint (openiot_error_get_attempts_left (error), ==, left);
      /* the count survives a copy (extended GError data) */
      {
        g_autoptr(GError) copy = g_error_copy (error);

        g_assert_cmpint (openiot_error_get_attempts_left (copy), ==, left);
      }
      g_clear_error (&error);
    }

  /* the fifth wrong try shuts this address out of the code, even with the
   * right one (the code stays open for other addresses, so a stranger
   * cannot burn it: docs/security.md) */
  error = pair_refused (wrong, certificate, OPENIOT_ERROR_PAIRING_REJECTED);
  g_assert_nonnull (strstr (error->message, "(0 tries left)"));
  g_assert_cmpint (openiot_error_get_attempts_left (error), ==, 0);
  shut_out = pair_refused (opened, certificate, OPENIOT_ERROR_PAIRING_REJECTED);
}

static void
test_pairing_link_fingerprint_mismatch (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) opened = openiot_test_hub_open_code (hub);
  g_autoptr(OpenIotPairingLink) forged = NULL;
  g_autofree char *certificate = make_certificate ("Victim");
  g_autoptr(GError) error = NULL;

  /* a link naming another hub's fingerprint: the hub that answers is not
   * the one the link vouches for */
  forged = openiot_pairing_link_new ("::1", hub->port + 1, hub->port,
                                     openiot_pairing_link_get_code (opened),
                                     "sha256:0000000000000000000000000000000000000000000000000000000000000000",
                                     NULL, NULL);
  error = pair_refused (forged, certificate, OPENIOT_ERROR_NOT_TRUSTED);
}

static void
test_pairing_unreachable (void)
{
  g_autoptr(OpenIotPairingLink) link = openiot_pairing_link_new ("::1", 1, 2, "12345678", NULL, NULL, NULL);
  g_autofree char *certificate = make_certificate ("Lonely");
  g_autoptr(GError) error = NULL;

  error = pair_refused (link, certificate, OPENIOT_ERROR_UNREACHABLE);
}

static void
test_pairing_bad_certificate (void)
{
  g_autoptr(OpenIotTestHub) hub = openiot_test_hub_start ();
  g_autoptr(OpenIotPairingLink) link = openiot_test_hub_open_code (hub);
  g_autoptr(GError) error = NULL;

  error = pair_refused (link, "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n",
                        OPENIOT_ERROR_INVALID_DATA);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/pairing/by-link", test_pairing_by_link);
  g_test_add_func ("/pairing/by-code-only", test_pairing_by_code_only);
  g_test_add_func ("/pairing/wrong-code", test_pairing_wrong_code);
  g_test_add_func ("/pairing/link-fingerprint-mismatch", test_pairing_link_fingerprint_mismatch);
  g_test_add_func ("/pairing/unreachable", test_pairing_unreachable);
  g_test_add_func ("/pairing/bad-certificate", test_pairing_bad_certificate);

  return g_test_run ();
}
