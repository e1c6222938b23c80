// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * OpenIotHubRecord's nickname (issue 15): kept with the record, by the
 * device-name rule, never the hub's own name, and dropped when a stored
 * one breaks the rule.
 */
#include "config.h"

#include <libopeniot.h>

static const char record_json[] =
  "{\"id\": \"6f1c\", \"name\": \"Home Hub\", "
  "\"certificate\": \"sha256:0000000000000000000000000000000000000000000000000000000000000000\", "
  "\"certificate_pem\": \"-----BEGIN CERTIFICATE-----\", \"client_id\": \"c1\", \"port\": 8443, "
  "\"addresses\": [\"::1\"], \"scopes\": [\"ula\"], \"verification\": \"pairing-code\", "
  "\"paired\": \"2026-11-25T10:00:00Z\"%s}";

static OpenIotHubRecord *
record_with (const char *extra)
{
  g_autofree char *json = g_strdup_printf (record_json, extra);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  OpenIotHubRecord *record = openiot_hub_record_new_from_json (node, &error);

  g_assert_no_error (error);
  return record;
}

static void
test_nickname (void)
{
  g_autoptr(OpenIotHubRecord) record = record_with ("");
  g_autoptr(OpenIotHubRecord) named = NULL;
  g_autoptr(OpenIotHubRecord) reread = NULL;
  g_autoptr(OpenIotHubRecord) reset = NULL;
  g_autoptr(OpenIotHubRecord) own = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (openiot_hub_record_get_nickname (record));
  g_assert_cmpstr (openiot_hub_record_get_display_name (record), ==, "Home Hub");

  named = openiot_hub_record_with_nickname (record, "Cellar ☕", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openiot_hub_record_get_nickname (named), ==, "Cellar ☕");
  g_assert_cmpstr (openiot_hub_record_get_display_name (named), ==, "Cellar ☕");
  /* only the nickname changed */
  g_assert_cmpstr (openiot_hub_record_get_name (named), ==, "Home Hub");
  g_assert_cmpstr (openiot_hub_record_get_fingerprint (named), ==,
                   openiot_hub_record_get_fingerprint (record));
  g_assert_cmpstr (openiot_hub_record_get_client_id (named), ==, "c1");
  g_assert_true (g_date_time_equal (openiot_hub_record_get_paired (named),
                                    openiot_hub_record_get_paired (record)));

  /* kept through JSON, as the pin store writes it */
  node = openiot_hub_record_to_json (named);
  reread = openiot_hub_record_new_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (openiot_hub_record_get_nickname (reread), ==, "Cellar ☕");

  /* NULL, "" and the hub's own name all mean the hub's own name */
  reset = openiot_hub_record_with_nickname (named, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (openiot_hub_record_get_nickname (reset));
  g_clear_object (&reset);
  reset = openiot_hub_record_with_nickname (named, "", &error);
  g_assert_no_error (error);
  g_assert_null (openiot_hub_record_get_nickname (reset));
  own = openiot_hub_record_with_nickname (named, "Home Hub", &error);
  g_assert_no_error (error);
  g_assert_null (openiot_hub_record_get_nickname (own));
}

static void
test_refused (void)
{
  const char *refused[] = { "two\nlines", "tab\t", "\u202eevil", "sep\u2028",
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" };
  g_autoptr(OpenIotHubRecord) record = record_with ("");
  g_autoptr(OpenIotHubRecord) stored = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OpenIotHubRecord) named = NULL;

      named = openiot_hub_record_with_nickname (record, refused[i], &error);

      g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
      g_assert_null (named);
    }

  /* A hand-edited file: the bad nickname is dropped, the hub stays */
  stored = record_with (", \"nickname\": \"a\\u0007b\"");
  g_assert_null (openiot_hub_record_get_nickname (stored));
  g_assert_cmpstr (openiot_hub_record_get_display_name (stored), ==, "Home Hub");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub-record/nickname", test_nickname);
  g_test_add_func ("/hub-record/refused", test_refused);

  return g_test_run ();
}
