// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-json-private.h"

static gboolean
is_plain (const char *text)
{
  return _openiot_json_is_plain (text, strlen (text));
}

static void
test_json_plain_accepts (void)
{
  const char *good[] = {
    "{}", "[]", "\"x\"", "5", "-0.5e+3", "true", "null",
    " \t\r\n{\"a\": [1, -2.5E3, null, true, {}], \"b\": {\"c\": \"d\"}} \n",
    "{\"s\": \"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 \\u0000\"}",
    "{\"é\": \"😀\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      if (!is_plain (good[i]))
        g_error ("refused “%s”", good[i]);
    }
}

/* What json-glib 1.6 reads anyway: its leaks (two roots, a high surrogate
 * without a low one), its strings that are not UTF-8 ("\ud83cx"), and its
 * extensions to JSON. */
static void
test_json_plain_refuses (void)
{
  const char *bad[] = {
    "", " ", "\n", "\f{}",
    "{}{}", "5{}", "{\"a\": 1} {\"a\": 2}", "{} x", "\"a\"\"b\"", "[] ]", "}", "{", "[[]",
    "\"\\ud83c\\u0041\"", "\"\\ud83cx\"", "\"\\ud83c\"", "\"\\udc00\"", "{\"\\udc00\": 1}",
    "\"\\ud83c\\udc0\"", "\"\\u12\"", "\"\\q\"", "\"\\", "\"a",
    "\"tab\there\"", "/* c */ {}", "{} // c", "{'a': 1}", "var x = {}", "{\"a\": 1};",
    "{\"a\": \"\xff\"}", "{\"a\": \"\xc3\"}", "{\"a\": \"\xed\xa0\x80\"}",
  };
  const char nul[] = "{\"a\": \"b\0\"}";

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (is_plain (bad[i]))
        g_error ("accepted “%s”", bad[i]);
    }

  g_assert_false (_openiot_json_is_plain (nul, sizeof nul - 1));
  g_assert_false (_openiot_json_is_plain (NULL, 0));
}

/* json-glib recurses once per level: 100k '[' crashed the hub (issue 16). */
static void
test_json_plain_depth (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < OPENIOT_JSON_MAX_DEPTH; i++)
    g_string_append (text, "[\"[\", {\"a\": ");
  g_string_append (text, "1");
  for (guint i = 0; i < OPENIOT_JSON_MAX_DEPTH; i++)
    g_string_append (text, "}]");
  g_assert_false (is_plain (text->str));

  g_string_truncate (text, 0);
  for (guint i = 0; i < OPENIOT_JSON_MAX_DEPTH; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < OPENIOT_JSON_MAX_DEPTH; i++)
    g_string_append_c (text, ']');
  g_assert_true (is_plain (text->str));

  g_string_prepend_c (text, '[');
  g_string_append_c (text, ']');
  g_assert_false (is_plain (text->str));
}

static JsonNode *
load (const char  *text,
      GError     **error)
{
  return _openiot_json_from_data (text, strlen (text), error);
}

/* json-glib 1.6 reads integers beyond gint64 as -1 or G_MAXINT64
 * (issue 19): they are read as the doubles they are, or refused. */
static void
test_json_big_numbers (void)
{
  g_autoptr(GString) digits = g_string_new ("[1");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonArray *array;

  node = load ("{\"minimum\": 120000000000000000000000000000, \"max\": 9223372036854775808, "
               "\"small\": -9223372036854775809, \"ok\": 9223372036854775807, \"d\": 1.2e29, "
               "\"s\": \"99999999999999999999\"}", &error);
  g_assert_no_error (error);
  text = openiot_json_to_string (node);
  g_assert_cmpstr (text, ==,
                   "{\"minimum\":1.2e+29,\"max\":9.223372036854776e+18,"
                   "\"small\":-9.223372036854776e+18,\"ok\":9223372036854775807,\"d\":1.2e+29,"
                   "\"s\":\"99999999999999999999\"}");
  g_clear_pointer (&node, json_node_unref);

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (digits, '0');
  g_string_append (digits, "]");
  g_assert_null (load (digits->str, &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (load ("[1e400]", &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_clear_error (&error);

  node = load ("[-0, 0.5, 1e2, \"1e400\", true]", &error);
  g_assert_no_error (error);
  array = json_node_get_array (node);
  g_assert_cmpint (json_array_get_length (array), ==, 5);
  g_assert_cmpint (json_array_get_int_element (array, 0), ==, 0);
  g_assert_cmpstr (json_array_get_string_element (array, 3), ==, "1e400");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/plain-accepts", test_json_plain_accepts);
  g_test_add_func ("/json/plain-refuses", test_json_plain_refuses);
  g_test_add_func ("/json/plain-depth", test_json_plain_depth);
  g_test_add_func ("/json/big-numbers", test_json_big_numbers);

  return g_test_run ();
}
