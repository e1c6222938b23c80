// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-fingerprint"

#include "config.h"

#include <string.h>

#include "openiot-fingerprint.h"

#define HEX_LENGTH 64

/**
 * openiot_fingerprint_from_der:
 * @der: a certificate in DER form
 *
 * The fingerprint clients pin and hubs publish: `sha256:` and the SHA-256 of
 * @der in lowercase hexadecimal. Hub and clients both call this, so the two
 * sides can never disagree on the format.
 *
 * Returns: (transfer full): the fingerprint
 */
char *
openiot_fingerprint_from_der (GBytes *der)
{
  g_autofree char *hex = NULL;

  g_return_val_if_fail (der != NULL, NULL);

  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, der);
  return g_strconcat (OPENIOT_FINGERPRINT_PREFIX, hex, NULL);
}

/**
 * openiot_fingerprint_from_certificate:
 * @certificate: a #GTlsCertificate
 *
 * Returns: (transfer full) (nullable): the fingerprint of @certificate, or
 *   %NULL if it has no DER form
 */
char *
openiot_fingerprint_from_certificate (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  bytes = g_bytes_new (der->data, der->len);
  return openiot_fingerprint_from_der (bytes);
}

/**
 * openiot_fingerprint_is_valid:
 * @fingerprint: (nullable): a string
 *
 * Returns: %TRUE if @fingerprint is `sha256:` followed by exactly 64
 *   lowercase hexadecimal digits
 */
gboolean
openiot_fingerprint_is_valid (const char *fingerprint)
{
  const char *hex;

  if (fingerprint == NULL || !g_str_has_prefix (fingerprint, OPENIOT_FINGERPRINT_PREFIX))
    return FALSE;

  hex = fingerprint + strlen (OPENIOT_FINGERPRINT_PREFIX);
  for (guint i = 0; i < HEX_LENGTH; i++)
    {
      if (!g_ascii_isdigit (hex[i]) && !(hex[i] >= 'a' && hex[i] <= 'f'))
        return FALSE;
    }

  return hex[HEX_LENGTH] == '\0';
}

/**
 * openiot_fingerprint_format_grouped:
 * @fingerprint: a valid fingerprint
 *
 * Formats the 64 digits in uppercase groups of four, four groups a line, so
 * that two people can read them aloud to each other and compare.
 *
 * Returns: (transfer full): the grouped digits, e.g.
 *   `"1A2B 3C4D 5E6F 7081\n…"`
 */
char *
openiot_fingerprint_format_grouped (const char *fingerprint)
{
  g_autoptr(GString) out = NULL;
  const char *hex;

  g_return_val_if_fail (openiot_fingerprint_is_valid (fingerprint), NULL);

  hex = fingerprint + strlen (OPENIOT_FINGERPRINT_PREFIX);
  out = g_string_sized_new (HEX_LENGTH + HEX_LENGTH / 4);

  for (guint i = 0; i < HEX_LENGTH; i++)
    {
      if (i > 0 && i % 16 == 0)
        g_string_append_c (out, '\n');
      else if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * openiot_fingerprint_equal:
 * @a: (nullable): a fingerprint
 * @b: (nullable): a fingerprint
 *
 * Compares two fingerprints in constant time, so that comparing a presented
 * certificate against the pin leaks nothing through timing.
 *
 * Returns: %TRUE if both are valid and equal
 */
gboolean
openiot_fingerprint_equal (const char *a,
                           const char *b)
{
  guchar diff = 0;
  gsize len;

  if (!openiot_fingerprint_is_valid (a) || !openiot_fingerprint_is_valid (b))
    return FALSE;

  len = strlen (a);
  for (gsize i = 0; i < len; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i];

  return diff == 0;
}
