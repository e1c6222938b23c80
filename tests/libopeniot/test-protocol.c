// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <libopeniot.h>

#include "openiot-protocol-private.h"

static void
test_protocol_error_round_trip (void)
{
  g_autofree char *json = _openiot_protocol_error_json ("not-registered", "Say \"hi\"\n");
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autofree char *error = NULL;
  g_autofree char *message = NULL;

  g_assert_true (_openiot_protocol_parse_error (body, &error, &message));
  g_assert_cmpstr (error, ==, "not-registered");
  g_assert_cmpstr (message, ==, "Say \"hi\"\n");
}

static void
test_protocol_parse_error_reason (void)
{
  g_autofree char *json = _openiot_protocol_error_json_full ("bad-request", "Name too long",
                                                             "invalid-name");
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) plain = g_bytes_new_static ("{\"error\":\"bad-request\"}", 25);
  g_autoptr(GBytes) junk = g_bytes_new_static ("[1]", 3);
  g_autofree char *reason = _openiot_protocol_parse_error_reason (body);

  g_assert_cmpstr (reason, ==, "invalid-name");
  g_assert_null (_openiot_protocol_parse_error_reason (plain));
  g_assert_null (_openiot_protocol_parse_error_reason (junk));
  g_assert_null (_openiot_protocol_parse_error_reason (NULL));
}

static void
test_protocol_parse_error_rejects (void)
{
  const char *bad[] = { "", "{", "[]", "{\"message\":\"x\"}", "null", "\"error\"" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bad[i], strlen (bad[i]));

      g_assert_false (_openiot_protocol_parse_error (body, NULL, NULL));
    }
  g_assert_false (_openiot_protocol_parse_error (NULL, NULL, NULL));
}

static void
test_protocol_service_id (void)
{
  g_autofree char *longest = g_strnfill (63, 'a');
  g_autofree char *too_long = g_strnfill (64, 'a');
  const char *good[] = { "thermostat", "a", "0", "front-door-lock", "x9-" };
  const char *bad[] = { "", "-lock", "Lock", "..", ".", "a/b", "a%2fb", "a b", "ä", "a_b", "a.b" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (_openiot_service_id_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (_openiot_service_id_is_valid (bad[i]));
  g_assert_true (_openiot_service_id_is_valid (longest));
  g_assert_false (_openiot_service_id_is_valid (too_long));
  g_assert_false (_openiot_service_id_is_valid (NULL));
}

static void
test_protocol_pairing_code (void)
{
  g_assert_true (_openiot_pairing_code_is_valid ("01234567"));
  g_assert_false (_openiot_pairing_code_is_valid ("0123456"));
  g_assert_false (_openiot_pairing_code_is_valid ("012345678"));
  g_assert_false (_openiot_pairing_code_is_valid ("0123 4567"));
  g_assert_false (_openiot_pairing_code_is_valid ("abcdefgh"));
  g_assert_false (_openiot_pairing_code_is_valid (NULL));
}

/* The hub's rule for request paths, which clients judge their forms by */
static void
test_protocol_path_is_safe (void)
{
  const char *good[] = { "/", "/services/lock", "/services/lock/properties/x", "/a/%20b", "/a/.b",
                        "/a/b.", "/a/%C3%A9" };
  const char *bad[] = {
    "", "services/lock", "//evil.example/x", "/services/lock//x", "/a\\b",
    "/a/./b", "/a/../b", "/a/..", "/a/%2e%2e/b", "/a/.%2E/b", "/a%2fb", "/a%2Fb", "/a%5cb",
    "/a%00b", "/a%zz", "/a%",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      if (!_openiot_path_is_safe (good[i]))
        g_error ("refused “%s”", good[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (_openiot_path_is_safe (bad[i]))
        g_error ("accepted “%s”", bad[i]);
    }
  g_assert_false (_openiot_path_is_safe (NULL));
}

static void
test_protocol_device_name (void)
{
  const char *good[] = { "Anna's phone", "Küche – Tür", "a", "🙂 lamp" };
  const char *bad[] = { "", "Phone\r\nforged", "Lamp\x1b[2J", "Tab\xc2\x85let", "Del\x7f",
                        "Evil\xe2\x80\xaegnp.exe", "Line\xe2\x80\xa8sep", "\xff\xfe" };
  g_autofree char *long_name = g_strnfill (65, 'x');

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (_openiot_device_name_check (good[i], NULL));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (_openiot_device_name_check (bad[i], &error));
      g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
    }

  g_assert_false (_openiot_device_name_check (long_name, NULL));
  long_name[64] = '\0';
  g_assert_true (_openiot_device_name_check (long_name, NULL));
  g_assert_false (_openiot_device_name_check (NULL, NULL));
}

static void
test_protocol_device_name_escape (void)
{
  const struct { const char *name, *escaped; } cases[] = {
    { "Plain", "Plain" },
    { "Küche", "Küche" },
    { "a\r\nb", "a\\x0D\\x0Ab" },
    { "\x1b[2J", "\\x1B[2J" },
    { "back\\slash", "back\\\\slash" },
    { "Tab\xc2\x85let", "Tab\\u{0085}let" },
    { "Evil\xe2\x80\xaegnp", "Evil\\u{202E}gnp" },
    { "bad\xff", "bad\\xFF" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = _openiot_device_name_escape (cases[i].name);

      g_assert_cmpstr (escaped, ==, cases[i].escaped);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/protocol/error-round-trip", test_protocol_error_round_trip);
  g_test_add_func ("/protocol/parse-error-rejects", test_protocol_parse_error_rejects);
  g_test_add_func ("/protocol/parse-error-reason", test_protocol_parse_error_reason);
  g_test_add_func ("/protocol/service-id", test_protocol_service_id);
  g_test_add_func ("/protocol/pairing-code", test_protocol_pairing_code);
  g_test_add_func ("/protocol/path-is-safe", test_protocol_path_is_safe);
  g_test_add_func ("/protocol/device-name", test_protocol_device_name);
  g_test_add_func ("/protocol/device-name-escape", test_protocol_device_name_escape);

  return g_test_run ();
}
