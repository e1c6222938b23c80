// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-certificate"

#include "config.h"

#include <string.h>
#include <gnutls/gnutls.h>
#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "openiot-certificate-private.h"
#include "openiot-error.h"
#include "openiot-fingerprint.h"
#include "openiot-gnutls-private.h"

/* A peer certificate dated a little in the future is a clock problem, not
 * an attack; a day of slack keeps badly-set phones pairing. */
#define CLOCK_SKEW_SECONDS (24 * 60 * 60)

static gboolean
set_gnutls_error (GError     **error,
                  int          ret,
                  const char  *what)
{
  g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_FAILED,
               "%s: %s", what, gnutls_strerror (ret));
  return FALSE;
}

static char *
take_datum_string (gnutls_datum_t *datum)
{
  char *str = g_strndup ((const char *) datum->data, datum->size);

  gnutls_free (datum->data);
  datum->data = NULL;
  return str;
}

/*
 * _openiot_certificate_generate:
 *
 * Makes an ECDSA P-256 key and a self-signed X.509 v3 certificate for it,
 * usable for TLS as server and as client. The key comes back as unencrypted
 * PKCS#8 PEM: callers decide where it may be stored (the Secret Service for
 * clients, a 0600 file for the hub).
 */
gboolean
_openiot_certificate_generate (const char  *common_name,
                               guint        valid_days,
                               char       **key_pem,
                               char       **certificate_pem,
                               GError     **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t out = { NULL, 0 };
  guchar serial[16];
  guchar key_id[64];
  size_t key_id_size = sizeof key_id;
  time_t now = time (NULL);
  int ret;

  g_return_val_if_fail (common_name != NULL && *common_name != '\0', FALSE);
  g_return_val_if_fail (key_pem != NULL && certificate_pem != NULL, FALSE);

  if ((ret = gnutls_x509_privkey_init (&key)) < 0 ||
      (ret = gnutls_x509_privkey_generate2 (key, GNUTLS_PK_ECDSA,
                                            GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1),
                                            0, NULL, 0)) < 0)
    return set_gnutls_error (error, ret, "Could not generate a key");

  if ((ret = gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial)) < 0)
    return set_gnutls_error (error, ret, "Could not make a serial number");
  serial[0] &= 0x7f; /* a positive INTEGER */
  serial[0] |= 0x01; /* without a leading zero byte */

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_set_version (crt, 3)) < 0 ||
      (ret = gnutls_x509_crt_set_serial (crt, serial, sizeof serial)) < 0 ||
      (ret = gnutls_x509_crt_set_activation_time (crt, now - 60 * 60)) < 0 ||
      (ret = gnutls_x509_crt_set_expiration_time (crt,
                                                  now + (time_t) valid_days * 24 * 60 * 60)) < 0 ||
      (ret = gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0,
                                            common_name, strlen (common_name))) < 0 ||
      (ret = gnutls_x509_crt_set_key (crt, key)) < 0 ||
      (ret = gnutls_x509_crt_set_basic_constraints (crt, 0, -1)) < 0 ||
      (ret = gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE)) < 0 ||
      (ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_SERVER, 0)) < 0 ||
      (ret = gnutls_x509_crt_set_key_purpose_oid (crt, GNUTLS_KP_TLS_WWW_CLIENT, 0)) < 0)
    return set_gnutls_error (error, ret, "Could not fill in the certificate");

  if ((ret = gnutls_x509_crt_get_key_id (crt, 0, key_id, &key_id_size)) < 0 ||
      (ret = gnutls_x509_crt_set_subject_key_id (crt, key_id, key_id_size)) < 0)
    return set_gnutls_error (error, ret, "Could not set the key identifier");

  if ((ret = gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0)) < 0)
    return set_gnutls_error (error, ret, "Could not sign the certificate");

  if ((ret = gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                GNUTLS_PKCS_PLAIN, &out)) < 0)
    return set_gnutls_error (error, ret, "Could not export the key");
  *key_pem = take_datum_string (&out);

  if ((ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &out)) < 0)
    {
      g_clear_pointer (key_pem, g_free);
      return set_gnutls_error (error, ret, "Could not export the certificate");
    }
  *certificate_pem = take_datum_string (&out);

  return TRUE;
}

static gnutls_x509_crt_t
import_certificate (const char  *certificate_pem,
                    GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t in;
  int ret;

  if (certificate_pem == NULL || strstr (certificate_pem, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "Not a PEM certificate");
      return NULL;
    }

  in.data = (unsigned char *) certificate_pem;
  in.size = strlen (certificate_pem);

  if ((ret = gnutls_x509_crt_init (&crt)) < 0 ||
      (ret = gnutls_x509_crt_import (crt, &in, GNUTLS_X509_FMT_PEM)) < 0)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   "Malformed certificate: %s", gnutls_strerror (ret));
      return NULL;
    }

  return g_steal_pointer (&crt);
}

GBytes *
_openiot_certificate_pem_to_der (const char  *certificate_pem,
                                 GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  gnutls_datum_t out = { NULL, 0 };
  GBytes *der;
  int ret;

  if (!(crt = import_certificate (certificate_pem, error)))
    return NULL;

  if ((ret = gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_DER, &out)) < 0)
    {
      set_gnutls_error (error, ret, "Could not export the certificate");
      return NULL;
    }

  der = g_bytes_new (out.data, out.size);
  gnutls_free (out.data);
  return der;
}

char *
_openiot_certificate_der_to_pem (GBytes *der)
{
  gnutls_datum_t in, out = { NULL, 0 };
  gsize len;

  in.data = (unsigned char *) g_bytes_get_data (der, &len);
  in.size = len;

  if (gnutls_pem_base64_encode2 ("CERTIFICATE", &in, &out) < 0)
    return NULL;

  return take_datum_string (&out);
}

char *
_openiot_certificate_fingerprint (const char  *certificate_pem,
                                  GError     **error)
{
  g_autoptr(GBytes) der = _openiot_certificate_pem_to_der (certificate_pem, error);

  if (der == NULL)
    return NULL;

  return openiot_fingerprint_from_der (der);
}

/*
 * _openiot_certificate_check_peer:
 *
 * What a hub demands of a client certificate at registration (and a client
 * of a hub's): well-formed, currently valid, a strong key, a secure
 * signature algorithm, and a valid self-signature.
 */
gboolean
_openiot_certificate_check_peer (const char  *certificate_pem,
                                 GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  time_t now = time (NULL);
  unsigned int bits = 0;
  unsigned int verify = 0;
  int algorithm;
  int sign;

  if (!(crt = import_certificate (certificate_pem, error)))
    return FALSE;

  if (gnutls_x509_crt_get_expiration_time (crt) <= now)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The certificate has expired");
      return FALSE;
    }

  if (gnutls_x509_crt_get_activation_time (crt) > now + CLOCK_SKEW_SECONDS)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The certificate is not valid yet; check the device's clock");
      return FALSE;
    }

  algorithm = gnutls_x509_crt_get_pk_algorithm (crt, &bits);
  if (!((algorithm == GNUTLS_PK_ECDSA && bits >= 256) ||
        (algorithm == GNUTLS_PK_RSA && bits >= 2048) ||
        algorithm == GNUTLS_PK_EDDSA_ED25519 ||
        algorithm == GNUTLS_PK_EDDSA_ED448))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   "The certificate's key is too weak (%s, %u bits)",
                   gnutls_pk_get_name (algorithm), bits);
      return FALSE;
    }

  sign = gnutls_x509_crt_get_signature_algorithm (crt);
  if (sign < 0 || !gnutls_sign_is_secure2 (sign, 0))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The certificate uses an insecure signature algorithm");
      return FALSE;
    }

  if (gnutls_x509_crt_verify (crt, &crt, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &verify) < 0 ||
      verify != 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The certificate is not correctly self-signed");
      return FALSE;
    }

  return TRUE;
}

char *
_openiot_certificate_common_name (const char *certificate_pem)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  char buf[256];
  size_t size = sizeof buf;

  if (!(crt = import_certificate (certificate_pem, NULL)))
    return NULL;

  if (gnutls_x509_crt_get_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) < 0)
    return NULL;

  return g_utf8_make_valid (buf, size);
}

GBytes *
_openiot_certificate_sign (const char  *key_pem,
                           GBytes      *data,
                           GError     **error)
{
  g_auto(gnutls_privkey_t) key = NULL;
  gnutls_datum_t in, message, signature = { NULL, 0 };
  GBytes *result;
  gsize len;
  int ret;

  in.data = (unsigned char *) key_pem;
  in.size = strlen (key_pem);
  message.data = (unsigned char *) g_bytes_get_data (data, &len);
  message.size = len;

  if ((ret = gnutls_privkey_init (&key)) < 0 ||
      (ret = gnutls_privkey_import_x509_raw (key, &in, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0)
    {
      set_gnutls_error (error, ret, "Could not load the key");
      return NULL;
    }

  if ((ret = gnutls_privkey_sign_data (key, GNUTLS_DIG_SHA256, 0, &message, &signature)) < 0)
    {
      set_gnutls_error (error, ret, "Could not sign");
      return NULL;
    }

  result = g_bytes_new (signature.data, signature.size);
  gnutls_free (signature.data);
  return result;
}

gboolean
_openiot_certificate_verify (const char  *certificate_pem,
                             GBytes      *data,
                             GBytes      *signature,
                             GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_pubkey_t) pubkey = NULL;
  gnutls_datum_t message, sig;
  gnutls_sign_algorithm_t algorithm;
  gsize len;
  int ret;

  if (!(crt = import_certificate (certificate_pem, error)))
    return FALSE;

  if ((ret = gnutls_pubkey_init (&pubkey)) < 0 ||
      (ret = gnutls_pubkey_import_x509 (pubkey, crt, 0)) < 0)
    return set_gnutls_error (error, ret, "Could not load the public key");

  message.data = (unsigned char *) g_bytes_get_data (data, &len);
  message.size = len;
  sig.data = (unsigned char *) g_bytes_get_data (signature, &len);
  sig.size = len;

  algorithm = gnutls_pk_to_sign (gnutls_pubkey_get_pk_algorithm (pubkey, NULL), GNUTLS_DIG_SHA256);
  if ((ret = gnutls_pubkey_verify_data2 (pubkey, algorithm, 0, &message, &sig)) < 0)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   "The signature does not verify: %s", gnutls_strerror (ret));
      return FALSE;
    }

  return TRUE;
}
