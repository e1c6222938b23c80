// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <string.h>

#include <libopeniot.h>

#define FP "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

/* The example of docs/protocol.md, "Pairing link", in canonical form */
#define EXAMPLE "openiot://[2001:db8::10]:8444/?code=12345678&fp=" FP \
                "&name=Home%20Hub&port=8443&addr=fd00::10&addr=192.0.2.10"

static OpenIotPairingLink *
parse_ok (const char *uri)
{
  g_autoptr(GError) error = NULL;
  OpenIotPairingLink *link = openiot_pairing_link_parse (uri, &error);

  g_assert_no_error (error);
  g_assert_nonnull (link);
  return link;
}

static void
assert_addresses (OpenIotPairingLink *link,
                  const char         *first,
                  ...)
{
  const char * const *addresses = openiot_pairing_link_get_addresses (link);
  const char *expected = first;
  guint i = 0;
  va_list args;

  va_start (args, first);
  for (; expected != NULL; expected = va_arg (args, const char *), i++)
    g_assert_cmpstr (addresses[i], ==, expected);
  va_end (args);

  g_assert_null (addresses[i]);
}

static void
test_parse_ipv6 (void)
{
  g_autoptr(OpenIotPairingLink) link = parse_ok (EXAMPLE);

  g_assert_cmpstr (openiot_pairing_link_get_host (link), ==, "2001:db8::10");
  g_assert_cmpuint (openiot_pairing_link_get_pairing_port (link), ==, 8444);
  g_assert_cmpuint (openiot_pairing_link_get_port (link), ==, 8443);
  g_assert_cmpstr (openiot_pairing_link_get_code (link), ==, "12345678");
  g_assert_cmpstr (openiot_pairing_link_get_fingerprint (link), ==, FP);
  g_assert_cmpstr (openiot_pairing_link_get_name (link), ==, "Home Hub");
  assert_addresses (link, "2001:db8::10", "fd00::10", "192.0.2.10", NULL);
}

static void
test_parse_ipv4 (void)
{
  g_autoptr(OpenIotPairingLink) link = parse_ok ("openiot://192.0.2.10:8444/?code=00000000");

  g_assert_cmpstr (openiot_pairing_link_get_host (link), ==, "192.0.2.10");
  g_assert_cmpuint (openiot_pairing_link_get_pairing_port (link), ==, 8444);
  /* no port: the pairing port defaults to the main port + 1 */
  g_assert_cmpuint (openiot_pairing_link_get_port (link), ==, 8443);
  g_assert_cmpstr (openiot_pairing_link_get_code (link), ==, "00000000");
  g_assert_null (openiot_pairing_link_get_fingerprint (link));
  g_assert_null (openiot_pairing_link_get_name (link));
  assert_addresses (link, "192.0.2.10", NULL);
}

static void
test_parse_dns_name (void)
{
  /* no path at all is as good as "/"; DNS is case-insensitive */
  g_autoptr(OpenIotPairingLink) link =
    parse_ok ("openiot://Home-Hub.Local:443?code=12345678&port=8443");

  g_assert_cmpstr (openiot_pairing_link_get_host (link), ==, "home-hub.local");
  g_assert_cmpuint (openiot_pairing_link_get_pairing_port (link), ==, 443);
  g_assert_cmpuint (openiot_pairing_link_get_port (link), ==, 8443);
  assert_addresses (link, "home-hub.local", NULL);
}

static void
test_parse_canonical_addresses (void)
{
  g_autoptr(OpenIotPairingLink) link =
    parse_ok ("openiot://[2001:DB8:0:0::0010]:8444/?code=12345678&addr=FD00:0::10");

  g_assert_cmpstr (openiot_pairing_link_get_host (link), ==, "2001:db8::10");
  assert_addresses (link, "2001:db8::10", "fd00::10", NULL);
}

static void
test_parse_name (void)
{
  struct {
    const char *encoded;
    const char *decoded;
  } names[] = {
    { "Home%20Hub", "Home Hub" },
    { "K%C3%BCche", "Küche" },
    /* "&" and "=" in a name are escaped, and stay in the name */
    { "Tom%20%26%20Jerry%3D", "Tom & Jerry=" },
    /* not a form: "+" is a plus */
    { "a+b", "a+b" },
    /* exactly 64 bytes: 32 two-byte characters */
    { "%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%"
      "C3%A4"
      "%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%C3%A4%"
      "C3%A4",
      "ääääääääääääääääääääääääääääääää" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *uri =
        g_strdup_printf ("openiot://[2001:db8::10]:8444/?name=%s&code=12345678", names[i].encoded);
      g_autoptr(OpenIotPairingLink) link = parse_ok (uri);

      g_assert_cmpstr (openiot_pairing_link_get_name (link), ==, names[i].decoded);
    }
}

static void
test_parse_zone (void)
{
  g_autoptr(OpenIotPairingLink) link = parse_ok (
    "openiot://[fe80::10%25eth0]:8444/?code=12345678&addr=fe80::11%25wlan0&addr=fd00::10");
  g_autofree char *text = openiot_pairing_link_to_string (link);

  g_assert_cmpstr (openiot_pairing_link_get_host (link), ==, "fe80::10%eth0");
  assert_addresses (link, "fe80::10%eth0", "fe80::11%wlan0", "fd00::10", NULL);
  g_assert_cmpstr (text, ==, "openiot://[fe80::10%25eth0]:8444/?code=12345678&port=8443"
                             "&addr=fe80::11%25wlan0&addr=fd00::10");
}

static void
test_parse_addresses (void)
{
  /* several, in order; repeats (of the host too, in another spelling) dropped */
  g_autoptr(OpenIotPairingLink) link =
    parse_ok ("openiot://[2001:db8::10]:8444/?addr=fd00::10&code=12345678&addr=192.0.2.10"
              "&addr=2001:db8:0::10&addr=fd00::10&addr=fe80::10%25eth0&addr=192.0.2.10");

  assert_addresses (link, "2001:db8::10", "fd00::10", "192.0.2.10", "fe80::10%eth0", NULL);
}

static void
test_parse_unknown_keys (void)
{
  /* a later hub may add parameters; this one does not know them */
  g_autoptr(OpenIotPairingLink) link =
    parse_ok ("openiot://[2001:db8::10]:8444/?v=2&code=12345678&CODE=1&color=%F0%9F%9F%A2&=x&");

  g_assert_cmpstr (openiot_pairing_link_get_code (link), ==, "12345678");
}

static void
test_round_trip (void)
{
  const char *links[] = {
    EXAMPLE,
    "openiot://192.0.2.10:8444/?code=12345678&port=8443",
    "openiot://hub.local:1/?code=99999999&fp=" FP "&port=2",
    "openiot://[fe80::1%25eth0]:8444/?code=12345678&name=K%C3%BCche%20%26%20Bad&port=443&addr=::1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(OpenIotPairingLink) link = parse_ok (links[i]);
      g_autofree char *text = openiot_pairing_link_to_string (link);

      g_assert_cmpstr (text, ==, links[i]);
    }
}

static void
test_new (void)
{
  const char *extra[] = { "FD00::10", "192.0.2.10", "2001:db8::10", "fd00::10", NULL };
  g_autoptr(OpenIotPairingLink) link =
    openiot_pairing_link_new ("2001:DB8::10", 8444, 8443, "12345678", FP, "Home Hub", extra);
  g_autoptr(OpenIotPairingLink) parsed = NULL;
  g_autofree char *text = openiot_pairing_link_to_string (link);

  g_assert_cmpstr (text, ==, EXAMPLE);

  parsed = parse_ok (text);
  g_assert_cmpstr (openiot_pairing_link_get_host (parsed), ==,
                   openiot_pairing_link_get_host (link));
  g_assert_cmpuint (openiot_pairing_link_get_pairing_port (parsed), ==, 8444);
  g_assert_cmpuint (openiot_pairing_link_get_port (parsed), ==, 8443);
  g_assert_cmpstr (openiot_pairing_link_get_code (parsed), ==, "12345678");
  g_assert_cmpstr (openiot_pairing_link_get_fingerprint (parsed), ==, FP);
  g_assert_cmpstr (openiot_pairing_link_get_name (parsed), ==, "Home Hub");
  g_assert_cmpstrv (openiot_pairing_link_get_addresses (parsed),
                    openiot_pairing_link_get_addresses (link));
}

static void
test_new_minimal (void)
{
  /* port 0: the main port is the pairing port − 1 */
  g_autoptr(OpenIotPairingLink) link =
    openiot_pairing_link_new ("fe80::1%eth0", 8444, 0, "12345678", NULL, NULL, NULL);
  g_autofree char *text = openiot_pairing_link_to_string (link);

  g_assert_cmpuint (openiot_pairing_link_get_port (link), ==, 8443);
  g_assert_null (openiot_pairing_link_get_fingerprint (link));
  g_assert_null (openiot_pairing_link_get_name (link));
  assert_addresses (link, "fe80::1%eth0", NULL);
  g_assert_cmpstr (text, ==, "openiot://[fe80::1%25eth0]:8444/?code=12345678&port=8443");
}

static void
test_new_typed (void)
{
  /* What the CLI builds from "--address HOST[:PORT]": a DNS name is
   * lowercased; pairing port 1 leaves no main port to assume, and the
   * link then gives none */
  g_autoptr(OpenIotPairingLink) named =
    openiot_pairing_link_new ("Hub.Local", 8444, 8443, "12345678", NULL, NULL, NULL);
  g_autoptr(OpenIotPairingLink) port_one = openiot_pairing_link_new ("::1", 1, 0, "12345678",
                                                                     NULL, NULL, NULL);
  g_autofree char *text = openiot_pairing_link_to_string (port_one);

  g_assert_cmpstr (openiot_pairing_link_get_host (named), ==, "hub.local");
  g_assert_cmpuint (openiot_pairing_link_get_port (port_one), ==, 0);
  g_assert_cmpstr (text, ==, "openiot://[::1]:1/?code=12345678");
}

static void
test_new_fits_name (void)
{
  /* 30 × "ä" (60 bytes), then "€" (3 bytes) and "ö" (2 bytes): the cut
   * falls inside the "ö", which is dropped whole */
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autoptr(OpenIotPairingLink) long_link = NULL;
  g_autoptr(OpenIotPairingLink) control_link = NULL;
  g_autoptr(OpenIotPairingLink) empty_link = NULL;
  g_autoptr(OpenIotPairingLink) parsed = NULL;
  g_autofree char *text = NULL;

  for (guint i = 0; i < 30; i++)
    g_string_append (long_name, "ä");
  g_string_append (long_name, "€ö");

  long_link = openiot_pairing_link_new ("::1", 8444, 8443, "12345678", NULL, long_name->str, NULL);
  g_assert_cmpuint (strlen (openiot_pairing_link_get_name (long_link)), ==, 63);
  g_assert_true (g_str_has_suffix (openiot_pairing_link_get_name (long_link), "ä€"));

  text = openiot_pairing_link_to_string (long_link);
  parsed = parse_ok (text);
  g_assert_cmpstr (openiot_pairing_link_get_name (parsed), ==,
                   openiot_pairing_link_get_name (long_link));

  control_link = openiot_pairing_link_new ("::1", 8444, 8443, "12345678", NULL, "Home\nHub\x1b[2J",
                                           NULL);
  g_assert_cmpstr (openiot_pairing_link_get_name (control_link), ==, "Home Hub [2J");

  empty_link = openiot_pairing_link_new ("::1", 8444, 8443, "12345678", NULL, "", NULL);
  g_assert_null (openiot_pairing_link_get_name (empty_link));
}

static void
test_boxed (void)
{
  g_autoptr(OpenIotPairingLink) link = parse_ok (EXAMPLE);
  OpenIotPairingLink *copy = g_boxed_copy (OPENIOT_TYPE_PAIRING_LINK, link);

  g_assert_true (G_TYPE_IS_BOXED (OPENIOT_TYPE_PAIRING_LINK));
  g_assert_cmpstr (openiot_pairing_link_get_code (copy), ==, "12345678");
  g_boxed_free (OPENIOT_TYPE_PAIRING_LINK, copy);
  g_assert_cmpstr (openiot_pairing_link_get_code (link), ==, "12345678");
}

static void
test_invalid (void)
{
  g_autoptr(GString) long_link = g_string_new ("openiot://[2001:db8::10]:8444/?code=12345678&pad=");
  struct {
    const char *uri;
    const char *message; /* a part of the message */
  } links[] = {
    /* not a pairing link at all */
    { "", "empty" },
    { "garbage", "must start with “openiot://”" },
    { "openiot://[2001:db8::10]:8444/?code=12345678%", "damaged" },
    { "openiot://", "names no hub address" },
    { "openiot:///?code=12345678", "names no hub address" },
    { "openiot:[2001:db8::10]:8444/?code=12345678", "must start with “openiot://”" },
    { "https://[2001:db8::10]:8444/?code=12345678", "must start with “openiot://”" },
    { "openiot-x://[2001:db8::10]:8444/?code=12345678", "must start with “openiot://”" },
    { "1openiot://[2001:db8::10]:8444/?code=12345678", "must start with “openiot://”" },
    { NULL /* over-long, filled in below */, "longer than 2048" },
    { "openiot://[2001:db8::10]:8444/?code=12345678 ", "spaces" },
    { "openiot://[2001:db8::10]:8444/?code=1234\n5678", "spaces" },
    { "openiot://hüb.local:8444/?code=12345678", "characters a link cannot hold" },
    /* parts a link has no use for */
    { "openiot://user@[2001:db8::10]:8444/?code=12345678", "user name" },
    { "openiot://@[2001:db8::10]:8444/?code=12345678", "user name" },
    { "openiot://[2001:db8::10]:8444/?code=12345678#top", "“#…”" },
    { "openiot://[2001:db8::10]:8444/?code=12345678#", "“#…”" },
    { "openiot://[2001:db8::10]:8444/pair?code=12345678", "path" },
    { "openiot://[2001:db8::10]:8444//?code=12345678", "path" },
    /* the host */
    { "openiot://2001:db8::10:8444/?code=12345678", "port" },
    { "openiot://[2001:db8::zz]:8444/?code=12345678", "not a valid IP address or host name" },
    { "openiot://[2001:db8::10%25eth0]:8444/?code=12345678", "not an IP address or host name" },
    { "openiot://[fe80::10%25eth0%2F..]:8444/?code=12345678", "not an IP address or host name" },
    { "openiot://[fe80::10%25a-very-long-interface-name]:8444/?code=12345678",
      "not an IP address or host name" },
    { "openiot://256.1.1.1:8444/?code=12345678", "not an IP address or host name" },
    { "openiot://192.0.2:8444/?code=12345678", "not an IP address or host name" },
    { "openiot://-hub.local:8444/?code=12345678", "not an IP address or host name" },
    { "openiot://hub_1.local:8444/?code=12345678", "not an IP address or host name" },
    { "openiot://hub..local:8444/?code=12345678", "not an IP address or host name" },
    { "openiot://h%2Fb.local:8444/?code=12345678", "not an IP address or host name" },
    /* the pairing port */
    { "openiot://[2001:db8::10]/?code=12345678", "no port" },
    { "openiot://[2001:db8::10]:/?code=12345678", "no port" },
    { "openiot://[2001:db8::10]:0/?code=12345678", "1 to 65535" },
    { "openiot://[2001:db8::10]:65536/?code=12345678", "1 to 65535" },
    { "openiot://[2001:db8::10]:-1/?code=12345678", "1 to 65535" },
    /* the code */
    { "openiot://[2001:db8::10]:8444", "no code" },
    { "openiot://[2001:db8::10]:8444/", "no code" },
    { "openiot://[2001:db8::10]:8444/?", "no code" },
    { "openiot://[2001:db8::10]:8444/?fp=" FP, "no code" },
    { "openiot://[2001:db8::10]:8444/?code=", "8 digits" },
    { "openiot://[2001:db8::10]:8444/?code=1234567", "8 digits" },
    { "openiot://[2001:db8::10]:8444/?code=123456789", "8 digits" },
    { "openiot://[2001:db8::10]:8444/?code=1234abcd", "8 digits" },
    { "openiot://[2001:db8::10]:8444/?code=%201234567", "8 digits" },
    { "openiot://[2001:db8::10]:8444/?code=%EF%BC%911234567", "8 digits" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&code=12345678", "more than one code" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&code=87654321", "more than one code" },
    { "openiot://[2001:db8::10]:8444/?code", "damaged" },
    /* the fingerprint */
    { "openiot://[2001:db8::10]:8444/?code=12345678&fp=", "fingerprint is malformed" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&fp=sha256:ba7816bf",
      "fingerprint is malformed" },
    { "openiot://[2001:db8::10]:8444/"
      "?code=12345678&fp=SHA256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
      "fingerprint is malformed" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&fp=md5:900150983cd24fb0d6963f7d28e17f72",
      "fingerprint is malformed" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&fp=" FP "&fp=" FP,
      "more than one fingerprint" },
    /* the name */
    { "openiot://[2001:db8::10]:8444/?code=12345678&name=", "name is empty" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&name=%FF", "damaged" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&name=a%00b", "damaged" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&name=%zz", "damaged" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&name=Home%0AHub", "control characters" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&name=%1B%5B2J", "control characters" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&name="
      "01234567890123456789012345678901234567890123456789012345678901234",
      "longer than 64 bytes" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&name=a&name=a", "more than one hub name" },
    /* the main port */
    { "openiot://[2001:db8::10]:8444/?code=12345678&port=0", "main port" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&port=65536", "main port" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&port=", "main port" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&port=%2B8443", "main port" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&port=8443x", "main port" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&port=8443&port=8443",
      "more than one main port" },
    { "openiot://[2001:db8::10]:1/?code=12345678", "no main port" },
    /* further addresses */
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=hub.local", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=[fd00::10]", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=192.0.2.10:8444", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=192.0.2.256", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=fe80::1%25", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=192.0.2.10%25eth0", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=fd00::10%25eth0", "not an IP address" },
    { "openiot://[2001:db8::10]:8444/?code=12345678&addr=fd00::10&&addr=fd00::11", "damaged" },
  };

  while (long_link->len <= OPENIOT_PAIRING_LINK_MAX_LENGTH)
    g_string_append_c (long_link, 'x');
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      if (links[i].uri == NULL)
        links[i].uri = long_link->str;
    }

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OpenIotPairingLink) link = openiot_pairing_link_parse (links[i].uri, &error);

      g_test_message ("%.100s → %s", links[i].uri, error ? error->message : "(accepted)");
      g_assert_null (link);
      g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
      if (strstr (error->message, links[i].message) == NULL)
        g_error ("“%s”: the message “%s” does not say “%s”", links[i].uri, error->message,
                 links[i].message);
    }
}

static void
test_length_cap (void)
{
  g_autoptr(GString) text = g_string_new ("openiot://[2001:db8::10]:8444/?code=12345678&pad=");
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autoptr(GError) error = NULL;

  /* exactly at the cap: accepted (the unknown "pad" is ignored) */
  while (text->len < OPENIOT_PAIRING_LINK_MAX_LENGTH)
    g_string_append_c (text, 'x');
  link = parse_ok (text->str);
  g_clear_pointer (&link, openiot_pairing_link_unref);

  /* one byte more: refused before any parsing */
  g_string_append_c (text, 'x');
  link = openiot_pairing_link_parse (text->str, &error);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_assert_null (link);
}

/* One parser for every address people type: the CLI's --address and the
 * wizard's field (issue 18: they had one each, and disagreed). */
static void
test_from_address (void)
{
  const struct { const char *address; const char *host; guint16 port; } cases[] = {
    { "[fd00::10]:8500", "fd00::10", 8500 },
    { "fd00::10", "fd00::10", OPENIOT_PAIRING_DEFAULT_PORT },
    { "[fe80::1%eth0]:9000", "fe80::1%eth0", 9000 },
    { "192.0.2.10:9000", "192.0.2.10", 9000 },
    { "localhost:8444", "localhost", 8444 },
    { "hub.local", "hub.local", OPENIOT_PAIRING_DEFAULT_PORT },
    { "bücher.example", "xn--bcher-kva.example", OPENIOT_PAIRING_DEFAULT_PORT },
    { "[hub.local]:8444", NULL, 0 },
    { "hub local", NULL, 0 },
    { "hub..local", NULL, 0 },
    { "[::1]:70000", NULL, 0 },
    { "[::1]:0", NULL, 0 },
    { "[::1", NULL, 0 },
    { ":8444", NULL, 0 },
    { "", NULL, 0 },
  };
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *host = NULL;
      guint16 port = 0;
      gboolean ok = openiot_pairing_link_parse_address (cases[i].address, &host, &port, &error);

      if (ok != (cases[i].host != NULL))
        g_error ("%s: parsed %d", cases[i].address, ok);
      g_assert_cmpstr (host, ==, cases[i].host);
      if (ok)
        g_assert_cmpuint (port, ==, cases[i].port);
      else
        g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }

  link = openiot_pairing_link_new_from_address ("[::1]:9444", "12345678", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (openiot_pairing_link_get_pairing_port (link), ==, 9444);
  g_assert_cmpuint (openiot_pairing_link_get_port (link), ==, 9443);
  g_assert_null (openiot_pairing_link_get_fingerprint (link));
  g_assert_null (openiot_pairing_link_new_from_address ("[::1]:9444", "1234567", &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
}

/* The CLI's --code takes the code as the hub shows it, as the app does */
static void
test_from_address_typed_code (void)
{
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autoptr(GError) error = NULL;

  link = openiot_pairing_link_new_from_address ("localhost:9444", "1234 5678", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openiot_pairing_link_get_code (link), ==, "12345678");
  g_assert_cmpstr (openiot_pairing_link_get_host (link), ==, "localhost");
  g_assert_null (openiot_pairing_link_new_from_address ("localhost:9444", "1234 567x", &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
}

static void
test_copy_with_code (void)
{
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autoptr(OpenIotPairingLink) copy = NULL;
  g_autofree char *text = NULL;

  link = openiot_pairing_link_parse ("openiot://[2001:db8::10]:9444/?code=12345678&fp=" FP
                                     "&name=Home&port=9000&addr=fd00::10", NULL);
  g_assert_nonnull (link);
  copy = openiot_pairing_link_copy_with_code (link, "87654321");
  g_assert_cmpstr (openiot_pairing_link_get_code (copy), ==, "87654321");
  g_assert_cmpstr (openiot_pairing_link_get_code (link), ==, "12345678");
  g_assert_cmpstr (openiot_pairing_link_get_host (copy), ==, "2001:db8::10");
  g_assert_cmpuint (openiot_pairing_link_get_pairing_port (copy), ==, 9444);
  g_assert_cmpuint (openiot_pairing_link_get_port (copy), ==, 9000);
  g_assert_cmpstr (openiot_pairing_link_get_fingerprint (copy), ==, FP);
  g_assert_cmpstr (openiot_pairing_link_get_name (copy), ==, "Home");
  g_assert_cmpstrv (openiot_pairing_link_get_addresses (copy),
                    ((const char * const[]) { "2001:db8::10", "fd00::10", NULL }));
  text = openiot_pairing_link_to_string (copy);
  g_assert_true (strstr (text, "code=87654321") != NULL);
}

static void
test_looks_like (void)
{
  g_assert_true (openiot_pairing_link_looks_like ("openiot://[::1]:8444/?code=12"));
  g_assert_true (openiot_pairing_link_looks_like ("OpenIoT:broken"));
  g_assert_false (openiot_pairing_link_looks_like ("[::1]:8444"));
  g_assert_false (openiot_pairing_link_looks_like ("openio"));
  g_assert_false (openiot_pairing_link_looks_like (""));
}

static void
test_code (void)
{
  const struct { const char *typed; const char *code; } codes[] = {
    { "1234 5678", "12345678" },
    { "12345678", "12345678" },
    { "1234-5678", "12345678" },
    { " 1234\t5678 ", "12345678" },
    { "1234 567", NULL },
    { "1234 56789", NULL },
    { "1234 567x", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *code = openiot_pairing_code_normalize (codes[i].typed);

      g_assert_cmpstr (code, ==, codes[i].code);
    }

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *shown = openiot_pairing_code_format (i == 0 ? "12345678" : "123");

      g_assert_cmpstr (shown, ==, i == 0 ? "1234 5678" : "123");
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/pairing-link/parse/ipv6", test_parse_ipv6);
  g_test_add_func ("/pairing-link/parse/ipv4", test_parse_ipv4);
  g_test_add_func ("/pairing-link/parse/dns-name", test_parse_dns_name);
  g_test_add_func ("/pairing-link/parse/canonical-addresses", test_parse_canonical_addresses);
  g_test_add_func ("/pairing-link/parse/name", test_parse_name);
  g_test_add_func ("/pairing-link/parse/zone", test_parse_zone);
  g_test_add_func ("/pairing-link/parse/addresses", test_parse_addresses);
  g_test_add_func ("/pairing-link/parse/unknown-keys", test_parse_unknown_keys);
  g_test_add_func ("/pairing-link/parse/invalid", test_invalid);
  g_test_add_func ("/pairing-link/parse/length-cap", test_length_cap);
  g_test_add_func ("/pairing-link/round-trip", test_round_trip);
  g_test_add_func ("/pairing-link/new", test_new);
  g_test_add_func ("/pairing-link/new/minimal", test_new_minimal);
  g_test_add_func ("/pairing-link/new/typed", test_new_typed);
  g_test_add_func ("/pairing-link/new/fits-name", test_new_fits_name);
  g_test_add_func ("/pairing-link/boxed", test_boxed);
  g_test_add_func ("/pairing-link/from-address", test_from_address);
  g_test_add_func ("/pairing-link/from-address/typed-code", test_from_address_typed_code);
  g_test_add_func ("/pairing-link/copy-with-code", test_copy_with_code);
  g_test_add_func ("/pairing-link/looks-like", test_looks_like);
  g_test_add_func ("/pairing-link/code", test_code);

  return g_test_run ();
}
