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

/* A hub with a pairing code open, as every test starts that has a hub */
typedef struct
{
  OpenIotTestHub     *hub;
  OpenIotPairingLink *opened;   /* the hub's own link to the code */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->hub = openiot_test_hub_start ();
  fixture->opened = openiot_test_hub_open_code (fixture->hub);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->opened, openiot_pairing_link_unref);
  g_clear_pointer (&fixture->hub, openiot_test_hub_free);
}

/* A link to the fixture's hub as a person types it (@fingerprint NULL) or
 * someone forges it: its address and ports, any @code and @fingerprint */
static OpenIotPairingLink *
typed_link (Fixture    *fixture,
            const char *code,
            const char *fingerprint)
{
  return openiot_pairing_link_new ("::1", fixture->hub->port + 1, fixture->hub->port, code,
                                   fingerprint, NULL, NULL);
}

static void
test_pairing_by_link (Fixture       *fixture,
                      gconstpointer  data)
{
  OpenIotPairingLink *link = fixture->opened;
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
  g_assert_cmpint (openiot_pairing_result_get_port (result), ==, fixture->hub->port);
  g_assert_true (g_uuid_string_is_valid (openiot_pairing_result_get_client_id (result)));

  clients = openiot_test_hub_admin (fixture->hub, "clients", NULL);
  g_assert_cmpint (json_array_get_length (json_node_get_array (clients)), ==, 1);

  /* single use: the same link again finds the code closed */
  g_free (certificate);
  certificate = make_certificate ("Second");
  closed = pair_refused (link, certificate, OPENIOT_ERROR_PAIRING_CLOSED);
}

static void
test_pairing_by_code_only (Fixture       *fixture,
                           gconstpointer  data)
{
  /* address and code typed by hand: no fingerprint to compare */
  g_autoptr(OpenIotPairingLink) typed = typed_link (fixture,
                                                    openiot_pairing_link_get_code (fixture->opened),
                                                    NULL);
  g_autofree char *certificate = make_certificate ("Typed");
  g_autoptr(OpenIotPairingResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = pair (typed, certificate, &error);
  g_assert_no_error (error);
  g_assert_cmpint (openiot_pairing_result_get_verification (result), ==,
                   OPENIOT_VERIFICATION_PAIRING_CODE);
}

static void
test_pairing_wrong_code (Fixture       *fixture,
                         gconstpointer  data)
{
  OpenIotPairingLink *opened = fixture->opened;
  g_autoptr(OpenIotPairingLink) wrong = NULL;
  g_autofree char *certificate = make_certificate ("Guesser");
  g_autofree char *code =
    g_strdup_printf ("%08u", (atoi (openiot_pairing_link_get_code (opened)) + 1) % 100000000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) shut_out = NULL;

  wrong = typed_link (fixture, code, openiot_pairing_link_get_fingerprint (opened));
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
test_pairing_link_fingerprint_mismatch (Fixture       *fixture,
                                        gconstpointer  data)
{
  /* a link naming another hub's fingerprint: the hub that answers is not
   * the one the link vouches for */
  g_autoptr(OpenIotPairingLink) forged =
    typed_link (fixture, openiot_pairing_link_get_code (fixture->opened),
                "sha256:0000000000000000000000000000000000000000000000000000000000000000");
  g_autofree char *certificate = make_certificate ("Victim");
  g_autoptr(GError) error = NULL;

  error = pair_refused (forged, certificate, OPENIOT_ERROR_NOT_TRUSTED);
}

static void
test_pairing_unreachable (void)
{
  g_autoptr(OpenIotPairingLink) link =
    openiot_pairing_link_new ("::1", 1, 2, "12345678", NULL, NULL, NULL);
  g_autofree char *certificate = make_certificate ("Lonely");
  g_autoptr(GError) error = NULL;

  error = pair_refused (link, certificate, OPENIOT_ERROR_UNREACHABLE);
}

static void
test_pairing_bad_certificate (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  error = pair_refused (fixture->opened,
                        "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n",
                        OPENIOT_ERROR_INVALID_DATA);
}

/* A test on a hub with a code open: a hub of its own */
static void
add_hub_test (const char *path,
              void      (*test) (Fixture *, gconstpointer))
{
  g_test_add (path, Fixture, NULL, fixture_set_up, test, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_hub_test ("/pairing/by-link", test_pairing_by_link);
  add_hub_test ("/pairing/by-code-only", test_pairing_by_code_only);
  add_hub_test ("/pairing/wrong-code", test_pairing_wrong_code);
  add_hub_test ("/pairing/link-fingerprint-mismatch", test_pairing_link_fingerprint_mismatch);
  g_test_add_func ("/pairing/unreachable", test_pairing_unreachable);
  add_hub_test ("/pairing/bad-certificate", test_pairing_bad_certificate);

  return g_test_run ();
}
