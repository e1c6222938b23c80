// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-service-info-private.h"

static GPtrArray *
parse (const char  *json,
       GError     **error)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return _openiot_service_info_list_parse (body, error);
}

/* What a hub sends: the members read, a missing title being the id */
static void
test_list (void)
{
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GError) error = NULL;
  OpenIotServiceInfo *service;

  services = parse ("[{\"id\": \"lock\", \"title\": \"Front Door\", \"state\": \"up\","
                    "  \"td\": \"/services/lock/.well-known/wot\"},"
                    " {\"id\": \"meter\", \"state\": \"down\"}]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 2);
  service = g_ptr_array_index (services, 0);
  g_assert_cmpstr (openiot_service_info_get_id (service), ==, "lock");
  g_assert_cmpstr (openiot_service_info_get_title (service), ==, "Front Door");
  g_assert_true (openiot_service_info_get_up (service));
  service = g_ptr_array_index (services, 1);
  g_assert_cmpstr (openiot_service_info_get_title (service), ==, "meter");
  g_assert_false (openiot_service_info_get_up (service));
}

/* One odd entry must not hide the others, nor reach a terminal or a
 * path: entries that are no object, or whose id is no service id, are
 * left out */
static void
test_list_odd_entries (void)
{
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GError) error = NULL;

  services = parse ("[1, null, \"lock\", [], {\"title\": \"no id\"}, {\"id\": 5},"
                    " {\"id\": \"../admin\"}, {\"id\": \"\"}, {\"id\": \"x\\u001b[2J\"},"
                    " {\"id\": \"light\", \"state\": \"UP\"}]", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (services->len, ==, 1);
  g_assert_cmpstr (openiot_service_info_get_id (g_ptr_array_index (services, 0)), ==, "light");
  g_assert_false (openiot_service_info_get_up (g_ptr_array_index (services, 0)));
}

static void
test_list_refused (void)
{
  const char *bodies[] = { "", "{}", "{\"id\": \"lock\"}", "[", "null", "\"services\"" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (parse (bodies[i], &error));
      g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service-info/list", test_list);
  g_test_add_func ("/service-info/list/odd-entries", test_list_odd_entries);
  g_test_add_func ("/service-info/list/refused", test_list_refused);

  return g_test_run ();
}
