// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * openiot_pairing_link_parse() on hostile links (a QR code is anyone's to
 * print). The input is the link, up to its first NUL.
 *
 * Invariants when a link parses:
 *   - the code is exactly 8 ASCII digits; the fingerprint is absent or
 *     valid; the name is absent or 1 to 64 bytes of UTF-8 without control
 *     characters; both ports are 1 to 65535;
 *   - the host is an IP address in canonical form or a lowercase DNS name;
 *     the addresses start with the host, hold no repeats, and every
 *     further one is a canonical IP address;
 *   - to_string() parses back to an equal link, and to_string() of that is
 *     the same text (the canonical form is a fixed point); new() from the
 *     parsed fields gives that text too.
 * When it does not: OPENIOT_ERROR_INVALID_DATA with a UTF-8 message and no
 * control characters (messages quote parts of the link).
 */
#include "config.h"

#include <string.h>
#include <gio/gio.h>
#include <libopeniot.h>

#include "fuzz-common.h"

static gboolean
is_canonical_ip (const char *text)
{
  g_autofree char *bare = g_strdup (text);
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *canonical = NULL;
  char *zone = strchr (bare, '%');

  if (zone != NULL)
    *zone = '\0';
  if (!(inet = g_inet_address_new_from_string (bare)))
    return FALSE;
  canonical = g_inet_address_to_string (inet);
  return g_str_equal (canonical, bare) &&
         (zone == NULL || g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6);
}

static gboolean
is_lowercase_dns_name (const char *text)
{
  if (*text == '\0' || strlen (text) > 253)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-' && *p != '.')
        return FALSE;
    }
  return TRUE;
}

static void
check_link (OpenIotPairingLink *link)
{
  const char *host = openiot_pairing_link_get_host (link);
  const char *code = openiot_pairing_link_get_code (link);
  const char *fingerprint = openiot_pairing_link_get_fingerprint (link);
  const char *name = openiot_pairing_link_get_name (link);
  const char * const *addresses = openiot_pairing_link_get_addresses (link);

  FUZZ_CHECK (code != NULL && strlen (code) == 8 && strspn (code, "0123456789") == 8, "code “%s”",
              code);
  FUZZ_CHECK (fingerprint == NULL || openiot_fingerprint_is_valid (fingerprint),
              "fingerprint “%s”", fingerprint);
  if (name != NULL)
    {
      FUZZ_CHECK (g_utf8_validate (name, -1, NULL), "name not UTF-8");
      FUZZ_CHECK (*name != '\0' && strlen (name) <= OPENIOT_PAIRING_LINK_MAX_NAME_LENGTH,
                  "name length %zu", strlen (name));
      for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
        FUZZ_CHECK (!g_unichar_iscntrl (g_utf8_get_char (p)), "control character in the name");
    }
  FUZZ_CHECK (openiot_pairing_link_get_pairing_port (link) >= 1, "pairing port 0");
  FUZZ_CHECK (openiot_pairing_link_get_port (link) >= 1, "port 0");

  FUZZ_CHECK (host != NULL && (is_canonical_ip (host) || is_lowercase_dns_name (host)),
              "host “%s”", host);
  FUZZ_CHECK (addresses != NULL && g_strcmp0 (addresses[0], host) == 0,
              "addresses do not start with the host");
  for (guint i = 1; addresses[i] != NULL; i++)
    {
      FUZZ_CHECK (is_canonical_ip (addresses[i]), "address “%s” not a canonical IP address",
                  addresses[i]);
      for (guint j = 0; j < i; j++)
        FUZZ_CHECK (!g_str_equal (addresses[i], addresses[j]), "address “%s” repeated",
                    addresses[i]);
    }
}

static char *
describe (OpenIotPairingLink *link)
{
  g_autofree char *addresses = g_strjoinv (" ",
                                           (char **) openiot_pairing_link_get_addresses (link));

  return g_strdup_printf ("host=%s pairing_port=%u port=%u code=%s fp=%s name=%s addresses=%s",
                          openiot_pairing_link_get_host (link),
                          openiot_pairing_link_get_pairing_port (link),
                          openiot_pairing_link_get_port (link),
                          openiot_pairing_link_get_code (link),
                          openiot_pairing_link_get_fingerprint (link) ?: "(none)",
                          openiot_pairing_link_get_name (link) ?: "(none)",
                          addresses);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *uri = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autoptr(OpenIotPairingLink) reparsed = NULL;
  g_autoptr(OpenIotPairingLink) rebuilt = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  g_autofree char *rebuilt_text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  link = openiot_pairing_link_parse (uri, &error);
  if (link == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA),
                  "unexpected error");
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error message not UTF-8");
      for (const char *p = error->message; *p != '\0'; p = g_utf8_next_char (p))
        FUZZ_CHECK (!g_unichar_iscntrl (g_utf8_get_char (p)), "control character in “%s”",
                    error->message);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "a link and an error");
  check_link (link);

  text = openiot_pairing_link_to_string (link);
  reparsed = openiot_pairing_link_parse (text, &error);
  FUZZ_CHECK (reparsed != NULL, "to_string() “%s” does not parse: %s", text, error->message);
  check_link (reparsed);
  before = describe (link);
  after = describe (reparsed);
  FUZZ_CHECK (g_str_equal (before, after), "round trip changed the link\n  %s\n  %s", before,
              after);
  text_again = openiot_pairing_link_to_string (reparsed);
  FUZZ_CHECK (g_str_equal (text, text_again), "not a fixed point:\n  %s\n  %s", text, text_again);

  rebuilt = openiot_pairing_link_new (openiot_pairing_link_get_host (link),
                                      openiot_pairing_link_get_pairing_port (link),
                                      openiot_pairing_link_get_port (link),
                                      openiot_pairing_link_get_code (link),
                                      openiot_pairing_link_get_fingerprint (link),
                                      openiot_pairing_link_get_name (link),
                                      openiot_pairing_link_get_addresses (link) + 1);
  FUZZ_CHECK (rebuilt != NULL, "new() refused parsed fields");
  rebuilt_text = openiot_pairing_link_to_string (rebuilt);
  FUZZ_CHECK (g_str_equal (text, rebuilt_text), "new() differs:\n  %s\n  %s", text, rebuilt_text);

  return 0;
}
