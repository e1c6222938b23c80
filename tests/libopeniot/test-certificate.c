// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <libopeniot.h>

#include "openiot-certificate-private.h"
#include "openiot-protocol-private.h"

static void
test_certificate_generate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *fp = NULL;
  g_autofree char *cn = NULL;
  g_autofree char *both = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autofree char *tls_fp = NULL;

  g_assert_true (_openiot_certificate_generate ("Kitchen Tablet", 3650, &key, &cert, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (key, "-----BEGIN PRIVATE KEY-----"));
  g_assert_true (g_str_has_prefix (cert, "-----BEGIN CERTIFICATE-----"));

  g_assert_true (_openiot_certificate_check_peer (cert, &error));
  g_assert_no_error (error);

  cn = _openiot_certificate_common_name (cert);
  g_assert_cmpstr (cn, ==, "Kitchen Tablet");

  fp = _openiot_certificate_fingerprint (cert, &error);
  g_assert_no_error (error);
  g_assert_true (openiot_fingerprint_is_valid (fp));

  /* GIO (glib-networking) computes the same fingerprint from the same PEM */
  both = g_strconcat (cert, key, NULL);
  tls = g_tls_certificate_new_from_pem (both, -1, &error);
  g_assert_no_error (error);
  tls_fp = openiot_fingerprint_from_certificate (tls);
  g_assert_cmpstr (tls_fp, ==, fp);
}

static void
test_certificate_rejects_garbage (void)
{
  g_autoptr(GError) error = NULL;
  const char *truncated = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  g_assert_false (_openiot_certificate_check_peer ("not a certificate", &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (_openiot_certificate_check_peer (truncated, &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_null (_openiot_certificate_fingerprint (NULL, &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
}

static void
test_certificate_expired (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *cert = NULL;

  /* valid_days = 0: it expires the moment it is made */
  g_assert_true (_openiot_certificate_generate ("old", 0, &key, &cert, &error));
  g_assert_false (_openiot_certificate_check_peer (cert, &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
}

static void
test_certificate_sign_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_key = NULL, *old_cert = NULL;
  g_autofree char *new_key = NULL, *new_cert = NULL;
  g_autofree char *old_fp = NULL, *new_fp = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GBytes) forged = NULL;
  g_autoptr(GBytes) signature = NULL;

  g_assert_true (_openiot_certificate_generate ("hub", 10, &old_key, &old_cert, &error));
  g_assert_true (_openiot_certificate_generate ("hub", 10, &new_key, &new_cert, &error));
  old_fp = _openiot_certificate_fingerprint (old_cert, NULL);
  new_fp = _openiot_certificate_fingerprint (new_cert, NULL);

  message = _openiot_rotation_message (old_fp, new_fp);
  signature = _openiot_certificate_sign (old_key, message, &error);
  g_assert_no_error (error);

  g_assert_true (_openiot_certificate_verify (old_cert, message, signature, &error));
  g_assert_no_error (error);

  /* the new key cannot vouch for itself */
  g_assert_false (_openiot_certificate_verify (new_cert, message, signature, &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* nor does the proof carry over to another step */
  forged = _openiot_rotation_message (new_fp, old_fp);
  g_assert_false (_openiot_certificate_verify (old_cert, forged, signature, &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/certificate/generate", test_certificate_generate);
  g_test_add_func ("/certificate/rejects-garbage", test_certificate_rejects_garbage);
  g_test_add_func ("/certificate/expired", test_certificate_expired);
  g_test_add_func ("/certificate/sign-verify", test_certificate_sign_verify);

  return g_test_run ();
}
