// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-test-td-corpus.h"

static OpenIotThing *
thing_from_string (const char  *json,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

  return openiot_thing_new_from_bytes (bytes, "thermostat", error);
}

/* @operation on @interaction must be refused with @code and a message that
 * says why (@message_part): the user sees it. */
static void
assert_operation_refused (OpenIotInteraction *interaction,
                          OpenIotOperation    operation,
                          OpenIotError        code,
                          const char         *message_part)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (interaction);
  g_assert_null (openiot_interaction_check_operation (interaction, operation, &error));
  g_assert_error (error, OPENIOT_ERROR, (int) code);
  g_assert_nonnull (strstr (error->message, message_part));
}

/* @json, which must parse */
static OpenIotThing *
parse_valid_thing (const char *json)
{
  g_autoptr(GError) error = NULL;
  OpenIotThing *thing = thing_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (thing);
  return thing;
}

static OpenIotThing *
demo_thing (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("OPENIOT_SOURCE_ROOT"), "hub-mock",
                                            "demo-service",
                                            "things", name, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return parse_valid_thing (contents);
}

static void
test_demo_thermostat (void)
{
  g_autoptr(OpenIotThing) thing = demo_thing ("thermostat.td.json");
  OpenIotInteraction *target, *summary, *schedule, *boost, *event;
  OpenIotDataSchema *schema;
  OpenIotForm *form;
  double min = 0, max = 0;

  g_assert_cmpstr (openiot_thing_get_title (thing), ==, "Living-room thermostat");
  g_assert_cmpstr (openiot_thing_get_service_id (thing), ==, "thermostat");
  g_assert_cmpuint (
    g_list_model_get_n_items (openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_PROPERTY)),
    ==, 7);
  g_assert_cmpuint (
    g_list_model_get_n_items (openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_ACTION)),
    ==, 1);
  g_assert_cmpuint (
    g_list_model_get_n_items (openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_EVENT)),
    ==, 2);
  g_assert_null (openiot_thing_get_warnings (thing)[0]);

  form = openiot_thing_find_form (thing, OPENIOT_OPERATION_READ_ALL_PROPERTIES);
  g_assert_nonnull (form);
  g_assert_cmpstr (openiot_form_get_path (form), ==, "/services/thermostat/properties");

  target = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "targetTemperature");
  g_assert_nonnull (target);
  g_assert_true (openiot_interaction_get_writable (target));
  g_assert_true (openiot_interaction_get_observable (target));
  schema = openiot_interaction_get_schema (target);
  g_assert_cmpint (openiot_data_schema_get_data_type (schema), ==, OPENIOT_DATA_TYPE_NUMBER);
  g_assert_true (openiot_data_schema_get_minimum (schema, &min));
  g_assert_true (openiot_data_schema_get_maximum (schema, &max));
  g_assert_cmpfloat (min, ==, 5);
  g_assert_cmpfloat (max, ==, 30);
  g_assert_cmpstr (openiot_data_schema_get_unit_symbol (schema), ==, "°C");

  form = openiot_interaction_find_form (target, OPENIOT_OPERATION_WRITE_PROPERTY);
  g_assert_cmpstr (openiot_form_get_method (form, OPENIOT_OPERATION_WRITE_PROPERTY), ==, "PUT");
  g_assert_cmpstr (openiot_form_get_path (form), ==,
                   "/services/thermostat/properties/targetTemperature");
  form = openiot_interaction_find_form (target, OPENIOT_OPERATION_OBSERVE_PROPERTY);
  g_assert_cmpstr (openiot_form_get_subprotocol (form), ==, "sse");
  g_assert_cmpstr (openiot_form_get_path (form), ==,
                   "/services/thermostat/properties/targetTemperature/observe");

  g_assert_false (openiot_interaction_get_writable (
    openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "temperature")));

  summary = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "dailySummary");
  schema = openiot_interaction_get_schema (summary);
  g_assert_cmpint (openiot_data_schema_get_data_type (schema), ==, OPENIOT_DATA_TYPE_OBJECT);
  g_assert_cmpstr (openiot_data_schema_get_property_names (schema)[0], ==, "date");
  g_assert_cmpint (
    openiot_data_schema_get_data_type (openiot_data_schema_get_property (schema, "heatingMinutes")),
    ==, OPENIOT_DATA_TYPE_INTEGER);
  g_assert_true (openiot_data_schema_is_required (schema, "energyKWh"));

  schedule = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "schedule");
  schema = openiot_data_schema_get_items (openiot_interaction_get_schema (schedule));
  g_assert_nonnull (schema);
  g_assert_cmpstr (
    openiot_data_schema_get_title (openiot_data_schema_get_property (schema, "time")), ==, "Time");

  boost = openiot_thing_lookup (thing, OPENIOT_INTERACTION_ACTION, "boost");
  g_assert_nonnull (openiot_interaction_get_schema (boost));
  g_assert_nonnull (openiot_interaction_get_output_schema (boost));
  g_assert_cmpstr (
    openiot_form_get_method (openiot_interaction_find_form (boost, OPENIOT_OPERATION_INVOKE_ACTION),
                             OPENIOT_OPERATION_INVOKE_ACTION),
    ==, "POST");

  event = openiot_thing_lookup (thing, OPENIOT_INTERACTION_EVENT, "targetReached");
  g_assert_nonnull (openiot_interaction_find_form (event, OPENIOT_OPERATION_SUBSCRIBE_EVENT));
  g_assert_null (openiot_thing_lookup (thing, OPENIOT_INTERACTION_EVENT, "nope"));
}

static void
assert_valid (OpenIotDataSchema *schema,
              const char        *json,
              gboolean           valid,
              const char        *message_part)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (node);
  g_assert_cmpint (openiot_data_schema_validate (schema, node, &error), ==, valid);
  if (valid)
    g_assert_no_error (error);
  else
    {
      g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
      if (message_part != NULL && strstr (error->message, message_part) == NULL)
        g_error ("“%s” does not mention “%s”", error->message, message_part);
    }
}

static void
test_schema_validation (void)
{
  g_autoptr(OpenIotThing) thing = demo_thing ("thermostat.td.json");
  OpenIotDataSchema *target = openiot_interaction_get_schema (
    openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "targetTemperature"));
  OpenIotDataSchema *mode = openiot_interaction_get_schema (
    openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "mode"));
  OpenIotDataSchema *schedule = openiot_interaction_get_schema (
    openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "schedule"));
  OpenIotDataSchema *boost = openiot_interaction_get_schema (
    openiot_thing_lookup (thing, OPENIOT_INTERACTION_ACTION, "boost"));
  g_autoptr(JsonNode) value = json_from_string ("21.5", NULL);
  g_autofree char *formatted = openiot_data_schema_format_value (target, value);

  assert_valid (target, "21.5", TRUE, NULL);
  assert_valid (target, "5", TRUE, NULL);
  assert_valid (target, "4.9", FALSE, "at least 5");
  assert_valid (target, "31", FALSE, "at most 30");
  assert_valid (target, "\"21\"", FALSE, "number");
  assert_valid (mode, "\"heat\"", TRUE, NULL);
  assert_valid (mode, "\"toast\"", FALSE, "choices");
  assert_valid (boost, "{\"minutes\": 30}", TRUE, NULL);
  assert_valid (boost, "{\"minutes\": 30.5}", FALSE, "minutes");
  assert_valid (boost, "{}", FALSE, "“minutes” is missing");
  assert_valid (boost, "[30]", FALSE, "object");
  assert_valid (schedule, "[{\"time\": \"07:00\", \"target\": 21}]", TRUE, NULL);
  assert_valid (schedule, "[{\"time\": \"07:00\", \"target\": 40}]", FALSE, "[0].target");

  g_assert_cmpstr (formatted, ==, "21.5 °C");
}

static void
assert_rejected (const char *json,
                 const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotThing) thing = thing_from_string (json, &error);

  g_assert_null (thing);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  if (strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, message_part);
}

static void
test_invalid_documents (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("{\"title\": \"");
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{}", 2);
  g_autoptr(GError) error = NULL;

  assert_rejected ("", "not valid JSON");
  /* Blank text parses into no root: no critical on the way. */
  assert_rejected ("\n", "not valid JSON");
  assert_rejected (" \t\r\n ", "not valid JSON");
  assert_rejected ("{\"title\": ", "not valid JSON");
  assert_rejected ("[1, 2]", "not a JSON object");
  assert_rejected ("\"thing\"", "not a JSON object");

  /* A million brackets would overflow json-glib's recursive parser. */
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  assert_rejected (deep->str, "nested too deeply");

  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    g_string_append_c (huge, 'x');
  g_string_append (huge, "\"}");
  assert_rejected (huge->str, "too large");

  g_assert_null (openiot_thing_new_from_bytes (bytes, "../etc", &error));
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
}

/* Documents json-glib 1.6 reads although they are not plain JSON, where
 * it leaks (two roots, a high surrogate without a low one) or hands out
 * strings that are not UTF-8 ("\ud83cx", in a value or a name): refused
 * before json-glib sees them. */
static void
test_not_plain_json (void)
{
  const char *documents[] = {
    "{}{}",
    "5{}",
    "{\"title\": \"a\"} {\"title\": \"b\"}",
    "{\"title\": \"\\ud83c\\u0041\"}",
    "{\"title\": \"\\ud83cx\"}",
    "{\"properties\": {\"\\ud83cx\": {\"forms\": [{\"href\": \"x\"}]}}}",
    "{\"title\": \"\\udc00\"}",
    "{\"title\": \"a\" /* a comment */}",
    "{'title': 'a'}",
    "var td = {\"title\": \"a\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    assert_rejected (documents[i], "a single JSON value");
}

/* The messages end up in labels and on terminals: UTF-8 even when
 * json-glib's own quotes a token cut inside a character, or when the
 * document is not UTF-8 at all. */
static void
test_error_message_utf8 (void)
{
  const char *documents[] = {
    "{\"title\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\xc3\xa9\" x}",
    "{\"title\": \"\xf0\x9f\x90\"}",
    "{\"title\": \"\xff\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OpenIotThing) thing = thing_from_string (documents[i], &error);

      g_assert_null (thing);
      g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
      if (!g_utf8_validate (error->message, -1, NULL))
        g_error ("document %u: the message is not UTF-8", i);
    }
}

static void
test_hostile_members (void)
{
  g_autoptr(OpenIotThing) thing = NULL;
  g_autoptr(GString) nested = g_string_new ("{\"properties\": {\"deep\": {\"forms\": [{\"href\": "
                                             "\"d\"}], \"type\": \"object\", \"properties\": {");
  OpenIotInteraction *ok;
  const char * const *warnings;

  thing = parse_valid_thing (
    "{\"title\": 42, \"properties\": {"
    "  \"noforms\": {\"type\": \"number\"},"
    "  \"badforms\": {\"forms\": \"x\"},"
    "  \"notobject\": 7,"
    "  \"wrongtypes\": {\"type\": 3, \"minimum\": \"low\", \"enum\": 5, \"readOnly\": \"yes\","
    "                  \"forms\": [{\"href\": 3}, {\"href\": \"w\", \"op\": 12, "
    "\"htv:methodName\": \"CONNECT x\"}]},"
    "  \"ok\": {\"type\": \"boolean\", \"forms\": [{\"href\": \"ok\"}]}"
    "}, \"actions\": [], \"events\": {\"e\": {\"forms\": []}}}");
  g_assert_cmpstr (openiot_thing_get_title (thing), ==, "thermostat");
  g_assert_cmpuint (
    g_list_model_get_n_items (openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_PROPERTY)),
    ==, 2);
  ok = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "ok");
  g_assert_true (openiot_interaction_get_readable (ok));
  g_assert_true (openiot_interaction_get_writable (ok));
  g_assert_cmpstr (
    openiot_form_get_method (openiot_interaction_find_form (ok, OPENIOT_OPERATION_WRITE_PROPERTY),
                             OPENIOT_OPERATION_WRITE_PROPERTY),
    ==, "PUT");
  ok = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "wrongtypes");
  g_assert_cmpint (openiot_data_schema_get_data_type (openiot_interaction_get_schema (ok)), ==,
                   OPENIOT_DATA_TYPE_ANY);
  g_assert_false (openiot_data_schema_get_minimum (openiot_interaction_get_schema (ok), NULL));
  g_assert_cmpstr (
    openiot_form_get_method (g_ptr_array_index (openiot_interaction_get_forms (ok), 0),
                             OPENIOT_OPERATION_WRITE_PROPERTY),
    ==, "PUT");

  warnings = openiot_thing_get_warnings (thing);
  g_assert_cmpuint (g_strv_length ((GStrv) warnings), ==, 5);
  g_assert_nonnull (strstr (warnings[0], "noforms"));

  /* Schemas nested past the limit lose that one property, not the Thing. */
  for (guint i = 0; i < 20; i++)
    g_string_append (nested, "\"a\": {\"type\": \"object\", \"properties\": {");
  for (guint i = 0; i < 20; i++)
    g_string_append (nested, "}}");
  g_string_append (nested, "}}, \"ok\": {\"forms\": [{\"href\": \"ok\"}]}}}");
  g_clear_object (&thing);
  thing = parse_valid_thing (nested->str);
  g_assert_null (openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "deep"));
  g_assert_nonnull (openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "ok"));
  g_assert_nonnull (strstr (openiot_thing_get_warnings (thing)[0], "deeper"));
}

static void
test_off_hub_forms (void)
{
  g_autoptr(OpenIotThing) thing = NULL;
  g_autoptr(OpenIotThing) based = NULL;
  const struct { const char *name; gboolean reachable; } cases[] = {
    { "relative", TRUE }, { "absolute", FALSE }, { "otherservice", FALSE }, { "dotdot", FALSE },
    { "encoded", FALSE }, { "scheme", FALSE }, { "query", TRUE }, { "rooted", FALSE },
    { "slashes", FALSE },
    { "dotdotslash", FALSE }, { "encodednul", FALSE }, { "hostless", FALSE },
  };

  thing = parse_valid_thing (
    "{\"properties\": {"
    " \"relative\": {\"forms\": [{\"href\": \"properties/x\"}]},"
    " \"absolute\": {\"forms\": [{\"href\": \"https://evil.example/x\"}]},"
    " \"otherservice\": {\"forms\": [{\"href\": \"/services/lock/properties/x\"}]},"
    " \"dotdot\": {\"forms\": [{\"href\": \"../lock/x\"}]},"
    " \"encoded\": {\"forms\": [{\"href\": \"%2e%2e/lock/x\"}]},"
    " \"scheme\": {\"forms\": [{\"href\": \"http://hub.invalid/services/thermostat/x\"}]},"
    " \"query\": {\"forms\": [{\"href\": \"x?a=1\"}]},"
    " \"rooted\": {\"forms\": [{\"href\": \"/open-iot/v1/registration\"}]},"
    " \"slashes\": {\"forms\": [{\"href\": \"//evil.example/x\"}]},"
    /* /services/thermostat//x: the hub refuses "//" */
    " \"dotdotslash\": {\"forms\": [{\"href\": \"a/..//x\"}]},"
    " \"encodednul\": {\"forms\": [{\"href\": \"%00p\"}]},"
    /* resolves to http: with the path //x, which GLib cannot print */
    " \"hostless\": {\"forms\": [{\"href\": \"http:/..//x\"}]}"
    "}}");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      OpenIotInteraction *interaction =
        openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, cases[i].name);

      g_assert_nonnull (interaction);
      if (openiot_interaction_get_reachable (interaction) != cases[i].reachable)
        g_error ("%s: reachable should be %d", cases[i].name, cases[i].reachable);
      if (!cases[i].reachable)
        g_assert_null (openiot_interaction_find_form (interaction,
                                                      OPENIOT_OPERATION_READ_PROPERTY));
    }
  g_assert_cmpstr (openiot_form_get_path (openiot_interaction_find_form (
                     openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "query"),
                     OPENIOT_OPERATION_READ_PROPERTY)),
                   ==, "/services/thermostat/x?a=1");

  /* A device's own base (the corpus is full of them) leads off the hub. */
  based = parse_valid_thing ("{\"base\": \"http://192.168.1.20/\", \"properties\": {"
                             " \"p\": {\"forms\": [{\"href\": \"properties/p\"}]}}}");
  g_assert_false (openiot_interaction_get_reachable (
    openiot_thing_lookup (based, OPENIOT_INTERACTION_PROPERTY, "p")));

  /* A base GLib cannot print is no base: forms resolve against the
   * service root, as without one. */
  g_clear_object (&based);
  based = parse_valid_thing ("{\"base\": \"http:/..//x\", \"properties\": {"
                             " \"p\": {\"forms\": [{\"href\": \"properties/p\"}]}}}");
  g_assert_cmpstr (openiot_form_get_path (openiot_interaction_find_form (
                     openiot_thing_lookup (based, OPENIOT_INTERACTION_PROPERTY, "p"),
                     OPENIOT_OPERATION_READ_PROPERTY)),
                   ==, "/services/thermostat/properties/p");
}

static OpenIotHubRecord *
hub_record (const char *addresses_json,
            guint       port)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"h\", \"name\": \"Hub\", \"client_id\": \"c\","
    " \"certificate_pem\": \"x\", \"certificate\": \"sha256:%s\","
    " \"port\": %u, \"paired\": \"2026-12-01T10:00:00Z\","
    " \"addresses\": %s}",
    "0000000000000000000000000000000000000000000000000000000000000000", port, addresses_json);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  OpenIotHubRecord *record = openiot_hub_record_new_from_json (node, &error);

  g_assert_no_error (error);
  return record;
}

static const char *
read_path (OpenIotThing *thing,
           const char   *name)
{
  OpenIotForm *form =
    openiot_interaction_find_form (openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, name),
                                   OPENIOT_OPERATION_READ_PROPERTY);

  return form ? openiot_form_get_path (form) : NULL;
}

/* The hub writes the URL its client used into `base`: another consumer's
 * (an address of the hub) or ours (hub.invalid). Both are this hub; any
 * other origin is not, whatever path follows it. */
static void
test_hub_base (void)
{
  g_autoptr(OpenIotHubRecord) record =
    hub_record ("[\"fd00::1\", \"192.168.1.2\", \"fe80::2%eth0\"]", 8444);
#define TD_TEMPLATE                                                                                \
  "{\"base\": \"%s\", \"properties\": {"                                                           \
  " \"p\": {\"forms\": [{\"href\": \"counter/properties/p\"}]},"                                   \
  " \"q\": {\"forms\": [{\"href\": \"https://[FD00::1]:8444/services/thermostat/q\"}]},"           \
  " \"other\": {\"forms\": [{\"href\": \"https://[fd00::1]:8445/services/thermostat/q\"}]}"        \
  "}}"
  const struct { const char *base; const char *p; } cases[] = {
    { "https://[fd00::1]:8444/services/thermostat/", "/services/thermostat/counter/properties/p" },
    { "https://192.168.1.2:8444/services/thermostat/",
     "/services/thermostat/counter/properties/p" },
    { "https://[fe80::2]:8444/services/thermostat/", "/services/thermostat/counter/properties/p" },
    { "https://hub.invalid/services/thermostat/", "/services/thermostat/counter/properties/p" },
    { "https://evil.example/services/thermostat/", NULL },
    { "https://[fd00::1]:8444/services/lock/", NULL },
    { "http://[fd00::1]:8444/services/thermostat/", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf (TD_TEMPLATE, cases[i].base);
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
      g_autoptr(GError) error = NULL;
      g_autoptr(OpenIotThing) thing =
        openiot_thing_new_for_hub (bytes, "thermostat", record, &error);
      g_autoptr(OpenIotThing) unknown_hub =
        openiot_thing_new_from_bytes (bytes, "thermostat", &error);

      g_assert_no_error (error);
      if (g_strcmp0 (read_path (thing, "p"), cases[i].p) != 0)
        g_error ("%s: %s", cases[i].base, read_path (thing, "p"));
      g_assert_cmpstr (read_path (thing, "q"), ==, "/services/thermostat/q");
      g_assert_null (read_path (thing, "other"));
      /* Without the record, only the private URL is the hub */
      g_assert_null (read_path (unknown_hub, "q"));
    }
#undef TD_TEMPLATE
}

/* JSON forms win over the ones listed first; a property offered only in
 * a type this library cannot read says so; Content-Type follows the form. */
static void
test_content_types (void)
{
  g_autoptr(OpenIotThing) thing = parse_valid_thing (
    "{\"properties\": {"
    " \"mixed\": {\"forms\": [{\"href\": \"cbor/x\", \"contentType\": \"application/cbor\"},"
    "                         {\"href\": \"json/x\", \"contentType\": \"application/json; "
    "charset=utf-8\"}]},"
    " \"plus\": {\"forms\": [{\"href\": \"x\", \"contentType\": \"application/ld+json\"}]},"
    " \"implicit\": {\"forms\": [{\"href\": \"x\"}]},"
    " \"cbor\": {\"forms\": [{\"href\": \"x\", \"contentType\": \"application/cbor\"}]},"
    " \"xml\": {\"forms\": [{\"href\": \"x\", \"contentType\": \"text/xml\"}]},"
    " \"away\": {\"forms\": [{\"href\": \"https://evil.example/x\"}]}"
    "}}");
  OpenIotInteraction *cbor;

  g_assert_cmpstr (read_path (thing, "mixed"), ==, "/services/thermostat/json/x");
  g_assert_cmpstr (openiot_form_get_content_type (openiot_interaction_find_form (
                     openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "mixed"),
                     OPENIOT_OPERATION_WRITE_PROPERTY)),
                   ==, "application/json; charset=utf-8");
  g_assert_nonnull (read_path (thing, "plus"));
  g_assert_nonnull (read_path (thing, "implicit"));
  g_assert_null (read_path (thing, "xml"));

  cbor = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "cbor");
  g_assert_true (openiot_interaction_get_reachable (cbor));
  g_assert_false (openiot_interaction_get_readable (cbor));
  assert_operation_refused (cbor, OPENIOT_OPERATION_READ_PROPERTY, OPENIOT_ERROR_NOT_SUPPORTED,
                            "application/cbor");
  assert_operation_refused (openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "away"),
                            OPENIOT_OPERATION_READ_PROPERTY, OPENIOT_ERROR_NOT_FOUND,
                            "not reachable");
}

/* Following a value: an event stream first, then a JSON long-poll; a
 * subprotocol this library does not speak (websub) is no way to follow. */
static void
test_streaming_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotThing) thing = parse_valid_thing (
    "{\"events\": {"
    " \"both\": {\"forms\": [{\"href\": \"lp\", \"subprotocol\": \"longpoll\"},"
    "                        {\"href\": \"sse\", \"subprotocol\": \"sse\"}]},"
    " \"longpoll\": {\"forms\": [{\"href\": \"cbor\", \"subprotocol\": \"longpoll\", "
    "\"contentType\": \"application/cbor\"},"
    "                            {\"href\": \"lp\", \"subprotocol\": \"longpoll\"}]},"
    " \"websub\": {\"forms\": [{\"href\": \"ws\", \"subprotocol\": \"websub\"}]},"
    " \"plain\": {\"forms\": [{\"href\": \"p\"}]}"
    "}}");
  const struct { const char *name; const char *path; } cases[] = {
    { "both", "/services/thermostat/sse" },
    { "longpoll", "/services/thermostat/lp" },
    { "websub", NULL },
    { "plain", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      OpenIotInteraction *event = openiot_thing_lookup (thing, OPENIOT_INTERACTION_EVENT,
                                                        cases[i].name);
      OpenIotForm *form =
        openiot_interaction_check_operation (event, OPENIOT_OPERATION_SUBSCRIBE_EVENT, &error);

      g_assert_cmpstr (form ? openiot_form_get_path (form) : NULL, ==, cases[i].path);
      if (cases[i].path == NULL)
        g_assert_nonnull (error);
      g_clear_error (&error);
    }
  assert_operation_refused (openiot_thing_lookup (thing, OPENIOT_INTERACTION_EVENT, "websub"),
                            OPENIOT_OPERATION_SUBSCRIBE_EVENT, OPENIOT_ERROR_NOT_SUPPORTED,
                            "websub");
}

/* Numbers keep one precision per property, whatever the value: from
 * multipleOf, else from the range's span, else one decimal. */
static void
test_number_precision (void)
{
  g_autoptr(OpenIotThing) thing = parse_valid_thing (
    "{\"properties\": {"
    " \"step\": {\"type\": \"number\", \"multipleOf\": 0.5, \"unit\": \"cel\", \"forms\": "
    "[{\"href\": \"x\"}]},"
    " \"fine\": {\"type\": \"number\", \"multipleOf\": 0.01, \"forms\": [{\"href\": \"x\"}]},"
    " \"room\": {\"type\": \"number\", \"minimum\": -40, \"maximum\": 60, \"forms\": [{\"href\": "
    "\"x\"}]},"
    " \"power\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 10000, \"forms\": [{\"href\": "
    "\"x\"}]},"
    " \"ratio\": {\"type\": \"number\", \"minimum\": 0, \"maximum\": 1, \"forms\": [{\"href\": "
    "\"x\"}]},"
    " \"free\": {\"type\": \"number\", \"forms\": [{\"href\": \"x\"}]}"
    "}}");
  const struct { const char *name; const char *value; const char *text; } cases[] = {
    { "step", "21", "21.0 °C" }, { "step", "21.5", "21.5 °C" },
    { "fine", "0.5", "0.50" },
    { "room", "19.55", "19.6" }, { "room", "20", "20.0" },
    { "power", "651.54", "652" },
    { "ratio", "0.5", "0.50" },
    { "free", "3.14159", "3.1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      OpenIotInteraction *property = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY,
                                                           cases[i].name);
      g_autoptr(JsonNode) value = json_from_string (cases[i].value, NULL);
      g_autofree char *text =
        openiot_data_schema_format_value (openiot_interaction_get_schema (property), value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_localized_titles (void)
{
  g_autoptr(OpenIotThing) thing = NULL;

  g_setenv ("LANGUAGE", "de_DE", TRUE);
  thing = parse_valid_thing ("{\"title\": \"Lamp\","
                             " \"titles\": {\"en\": \"Lamp\", \"de\": \"Lampe\"}}");
  g_assert_cmpstr (openiot_thing_get_title (thing), ==, "Lampe");
  g_unsetenv ("LANGUAGE");
}

static gboolean
needs_confirmation (OpenIotThing *thing,
                    const char   *action)
{
  OpenIotInteraction *interaction = openiot_thing_lookup (thing, OPENIOT_INTERACTION_ACTION,
                                                          action);

  g_assert_nonnull (interaction);
  return openiot_interaction_get_needs_confirmation (interaction);
}

/* docs/actions.md: semantic types decide where there are any, else the
 * words of the name and title; "safe" actions never ask. */
static void
test_action_confirmation (void)
{
  g_autoptr(OpenIotThing) lock = demo_thing ("lock.td.json");
  g_autoptr(OpenIotThing) thing = NULL;
  const char *td =
    "{\"title\": \"T\", \"actions\": {"
    "\"factoryReset\": {\"forms\": [{\"href\": \"a/1\"}]},"
    "\"erase\": {\"title\": \"Erase log\", \"forms\": [{\"href\": \"a/2\"}]},"
    "\"go\": {\"@type\": \"iot:UnlockAction\", \"forms\": [{\"href\": \"a/3\"}]},"
    "\"openValve\": {\"@type\": [\"saref:OnCommand\"], \"forms\": [{\"href\": \"a/4\"}]},"
    "\"reopen\": {\"forms\": [{\"href\": \"a/5\"}]},"
    "\"clearCache\": {\"safe\": true, \"forms\": [{\"href\": \"a/6\"}]},"
    "\"boost\": {\"forms\": [{\"href\": \"a/7\"}]}}}";

  g_assert_true (needs_confirmation (lock, "unlock"));
  g_assert_false (needs_confirmation (lock, "lock"));

  thing = parse_valid_thing (td);
  g_assert_true (needs_confirmation (thing, "factoryReset"));
  g_assert_true (needs_confirmation (thing, "erase"));
  g_assert_true (needs_confirmation (thing, "go"));          /* its semantic type says so */
  g_assert_false (needs_confirmation (thing, "openValve"));  /* its semantic type says otherwise */
  g_assert_false (needs_confirmation (thing, "reopen"));     /* a word, not a part of one */
  g_assert_false (needs_confirmation (thing, "clearCache")); /* safe */
  g_assert_false (needs_confirmation (thing, "boost"));
}

static OpenIotThing *
seed_thing (const char  *name,
            GError     **error)
{
  g_autofree char *path = g_build_filename (g_getenv ("OPENIOT_SOURCE_ROOT"), "tests", "fuzz",
                                            "corpus",
                                            "fuzz-thing-description", name, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return thing_from_string (contents, error);
}

/* A TD's text is kept as it is (the model is no display); what shows it
 * escapes it (issue 19): the seeds are in the fuzz corpus too. */
static void
test_escapes_in_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotThing) thing = seed_thing ("escapes-in-text.td.json", &error);
  g_autofree char *title = NULL;
  g_autofree char *unit = NULL;
  OpenIotInteraction *property;

  g_assert_no_error (error);
  title = openiot_text_escape_for_terminal (openiot_thing_get_title (thing), -1);
  g_assert_cmpstr (title, ==, "Lamp \\x1b]52;c;aGFja2Vk\\x07\\x1b[2J\\u009b31m\\u202eAll good");
  property = openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "name\x1b[31m");
  g_assert_nonnull (property);
  unit = openiot_text_escape_for_terminal (
    openiot_data_schema_get_unit_symbol (openiot_interaction_get_schema (property)), -1);
  g_assert_true (g_str_has_prefix (unit, "°C\\x1b]52"));
}

/* Numbers beyond gint64 keep their size; beyond a double, the TD is
 * refused with a clear message (issue 19). */
static void
test_huge_numbers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotThing) thing = seed_thing ("huge-numbers.td.json", &error);
  g_autoptr(OpenIotThing) refused = NULL;
  OpenIotDataSchema *schema;
  double min = 0, max = 0;

  g_assert_no_error (error);
  schema = openiot_interaction_get_schema (
    openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY, "big"));
  g_assert_true (openiot_data_schema_get_minimum (schema, &min));
  g_assert_true (openiot_data_schema_get_maximum (schema, &max));
  g_assert_cmpfloat (min, ==, 1.2e29);
  g_assert_cmpfloat (max, ==, 9223372036854775808.0);

  refused = seed_thing ("huge-number-refused.td.json", &error);
  g_assert_null (refused);
  g_assert_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "too large"));
}

/* Real Thing Descriptions from device makers (ECHONET, Philips Hue,
 * WebThings, node-wot…): every one must load. */
static void
test_corpus (void)
{
  g_autoptr(GPtrArray) paths = openiot_test_td_corpus_paths ();
  guint loaded = 0, interactions = 0;

  if (paths == NULL)
    return;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(OpenIotThing) thing = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      thing = thing_from_string (contents, &error);
      if (error != NULL)
        g_error ("%s: %s", path, error->message);
      g_assert_nonnull (openiot_thing_get_title (thing));
      for (guint kind = OPENIOT_INTERACTION_PROPERTY; kind <= OPENIOT_INTERACTION_EVENT; kind++)
        interactions += g_list_model_get_n_items (openiot_thing_get_interactions (thing, kind));
      loaded++;
    }

  g_test_message ("%u Thing Descriptions, %u interactions", loaded, interactions);
  g_assert_cmpuint (loaded, >=, 67);
  g_assert_cmpuint (interactions, >, loaded);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/thing/demo-thermostat", test_demo_thermostat);
  g_test_add_func ("/thing/schema-validation", test_schema_validation);
  g_test_add_func ("/thing/invalid-documents", test_invalid_documents);
  g_test_add_func ("/thing/not-plain-json", test_not_plain_json);
  g_test_add_func ("/thing/error-message-utf8", test_error_message_utf8);
  g_test_add_func ("/thing/hostile-members", test_hostile_members);
  g_test_add_func ("/thing/off-hub-forms", test_off_hub_forms);
  g_test_add_func ("/thing/hub-base", test_hub_base);
  g_test_add_func ("/thing/content-types", test_content_types);
  g_test_add_func ("/thing/streaming-forms", test_streaming_forms);
  g_test_add_func ("/thing/number-precision", test_number_precision);
  g_test_add_func ("/thing/localized-titles", test_localized_titles);
  g_test_add_func ("/thing/escapes-in-text", test_escapes_in_text);
  g_test_add_func ("/thing/huge-numbers", test_huge_numbers);
  g_test_add_func ("/thing/corpus", test_corpus);
  g_test_add_func ("/thing/action-confirmation", test_action_confirmation);

  return g_test_run ();
}
