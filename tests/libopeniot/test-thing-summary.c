// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-test-td-corpus.h"

static OpenIotThing *
load_thing (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  OpenIotThing *thing;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  thing = openiot_thing_new_from_bytes (bytes, "service", &error);
  if (error != NULL)
    g_error ("%s: %s", path, error->message);
  return thing;
}

static void
assert_summary (OpenIotThing     *thing,
                OpenIotThingKind  kind,
                const char       *primary)
{
  OpenIotInteraction *property = openiot_thing_get_primary_property (thing);

  g_assert_cmpint (openiot_thing_get_kind (thing), ==, kind);
  g_assert_cmpstr (property ? openiot_interaction_get_name (property) : NULL, ==, primary);
}

/* The demo's Things, annotated (and the rule would find the same without). */
static void
test_demo (void)
{
  struct { const char *file; OpenIotThingKind kind; const char *primary; } demo[] = {
    { "thermostat.td.json", OPENIOT_THING_KIND_THERMOSTAT, "temperature" },
    { "lock.td.json", OPENIOT_THING_KIND_LOCK, "state" },
    { "light.td.json", OPENIOT_THING_KIND_LIGHT, "on" },
    { "meter.td.json", OPENIOT_THING_KIND_METER, "power" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      g_autofree char *path = g_build_filename (g_getenv ("OPENIOT_SOURCE_ROOT"), "hub-mock",
                                                "demo-service",
                                                "things", demo[i].file, NULL);
      g_autoptr(OpenIotThing) thing = load_thing (path);

      /* "Thing" and a vocabulary's type: the demo shows the rule's first step */
      g_assert_cmpuint (g_strv_length ((GStrv) openiot_thing_get_semantic_types (thing)), ==, 2);
      assert_summary (thing, demo[i].kind, demo[i].primary);
    }
}

static OpenIotThing *
thing_from_string (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  OpenIotThing *thing = openiot_thing_new_from_bytes (bytes, "service", &error);

  g_assert_no_error (error);
  return thing;
}

static void
check (const char       *json,
       OpenIotThingKind  kind,
       const char       *primary)
{
  g_autoptr(OpenIotThing) thing = thing_from_string (json);

  assert_summary (thing, kind, primary);
}

#define P(name, schema) "\"" name "\": {" schema ", \"forms\": [{\"href\": \"p/" name "\"}]}"

static void
test_semantic_types (void)
{
  /* The annotation wins over the shape: a "switch" with a temperature. */
  check ("{\"title\": \"T\", \"@type\": [\"Thing\", \"iot:Thermostat\"], \"properties\": {"
         P ("setpoint", "\"type\": \"number\", \"unit\": \"cel\"") "}}",
         OPENIOT_THING_KIND_THERMOSTAT, "setpoint");
  check ("{\"title\": \"T\", \"@type\": \"saref:LightSwitch\", \"properties\": {"
         P ("on", "\"type\": \"boolean\"") "}}",
         OPENIOT_THING_KIND_LIGHT, "on");
  check ("{\"title\": \"T\", \"@type\": \"saref:Switch\", \"properties\": {"
         P ("on", "\"type\": \"boolean\"") "," P ("brightness", "\"type\": \"integer\"") "}}",
         OPENIOT_THING_KIND_SWITCH, "on");
  check ("{\"title\": \"T\", \"@type\": \"https://saref.etsi.org/core/Meter\", \"properties\": {"
         P ("energy", "\"type\": \"number\", \"unit\": \"kWh\"") "}}",
         OPENIOT_THING_KIND_METER, "energy");
  check ("{\"title\": \"T\", \"@type\": [\"iot:DoorLock\"], \"properties\": {"
         P ("battery", "\"type\": \"integer\", \"observable\": true") "}}",
         OPENIOT_THING_KIND_LOCK, "battery");  /* no lock state: the first live value */
  check ("{\"title\": \"T\", \"@type\": \"iot:TemperatureSensor\"}",
         OPENIOT_THING_KIND_THERMOSTAT, NULL);
  /* Words, not parts of them: "Block" is no lock, "Thing" no kind. */
  check ("{\"title\": \"T\", \"@type\": [\"Thing\", \"x:Block\"]}", OPENIOT_THING_KIND_DEVICE,
         NULL);
}

static void
test_shapes (void)
{
  check ("{\"title\": \"T\", \"properties\": {" P ("battery", "\"type\": \"integer\"") ","
         P ("locked", "\"type\": \"boolean\", \"readOnly\": true") "}}",
         OPENIOT_THING_KIND_LOCK, "locked");
  check ("{\"title\": \"T\", \"properties\": {" P (
           "door", "\"type\": \"string\", \"enum\": [\"locked\", \"open\"]") "}}",
         OPENIOT_THING_KIND_LOCK, "door");
  check ("{\"title\": \"T\", \"actions\": {\"unlock\": {\"forms\": [{\"href\": \"a\"}]}}}",
         OPENIOT_THING_KIND_LOCK, NULL);
  /* Measured over target */
  check ("{\"title\": \"T\", \"properties\": {" P ("target", "\"type\": \"number\", \"unit\": "
                                                             "\"celsius\"") "," P (
           "current", "\"type\": \"number\", \"unit\": \"cel\", \"readOnly\": true") "}}",
         OPENIOT_THING_KIND_THERMOSTAT, "current");
  check ("{\"title\": \"T\", \"properties\": {" P ("on", "\"type\": \"boolean\"") ","
         P ("colorTemperature", "\"type\": \"integer\"") "}}",
         OPENIOT_THING_KIND_LIGHT, "on");
  /* A level alone is no dimmer: a fan's speed, a valve's opening */
  check ("{\"title\": \"T\", \"properties\": {" P ("operationStatus", "\"type\": \"boolean\"") ","
         P ("airFlowLevel", "\"type\": \"integer\"") "}}",
         OPENIOT_THING_KIND_SWITCH, "operationStatus");
  check ("{\"title\": \"T\", \"properties\": {" P ("power", "\"type\": \"boolean\"") "}}",
         OPENIOT_THING_KIND_SWITCH, "power");
  /* A read-only boolean is no switch */
  check ("{\"title\": \"T\", \"properties\": {" P (
           "on", "\"type\": \"boolean\", \"readOnly\": true") "}}",
         OPENIOT_THING_KIND_DEVICE, "on");
  check ("{\"title\": \"T\", \"properties\": {" P ("energy",
                                                   "\"type\": \"number\", \"unit\": \"kWh\"") ","
         P ("load", "\"type\": \"number\", \"unit\": \"W\"") "}}",
         OPENIOT_THING_KIND_METER, "load");
  /* Generic: the first live single value, else the first readable one */
  check (
    "{\"title\": \"T\", \"properties\": {" P ("config", "\"type\": \"object\"") "," P (
      "name", "\"type\": \"string\"") "," P ("level",
                                             "\"type\": \"integer\", \"observable\": true") "}}",
    OPENIOT_THING_KIND_DEVICE, "level");
  check ("{\"title\": \"T\", \"properties\": {" P ("config", "\"type\": \"object\"") ","
         P ("name", "\"type\": \"string\"") "}}",
         OPENIOT_THING_KIND_DEVICE, "name");
  check ("{\"title\": \"T\", \"properties\": {" P (
           "secret", "\"type\": \"string\", \"writeOnly\": true") "}}",
         OPENIOT_THING_KIND_DEVICE, NULL);
}

#define LOCKED P ("locked", "\"type\": \"boolean\", \"readOnly\": true")
#define A(name, extra) "\"" name "\": {" extra "\"forms\": [{\"href\": \"a/" name "\"}]}"

/* The names of @thing's one-tap actions, joined with spaces */
static char *
one_tap_names (OpenIotThing *thing)
{
  g_autoptr(GPtrArray) actions = openiot_thing_get_one_tap_actions (thing);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < actions->len; i++)
    {
      if (i > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, openiot_interaction_get_name (actions->pdata[i]));
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

static void
check_one_tap (const char *json,
               const char *expected)
{
  g_autoptr(OpenIotThing) thing = thing_from_string (json);
  g_autofree char *names = one_tap_names (thing);

  g_assert_cmpstr (names, ==, expected);
}

static gboolean
redundant (OpenIotThing *thing,
           const char   *action,
           const char   *values_json)
{
  g_autoptr(JsonNode) values = json_from_string (values_json, NULL);

  return openiot_thing_action_is_redundant (thing, action, json_node_get_object (values));
}

/* Which action an overview offers with one tap (docs/overview.md), and
 * which of a pair would do nothing (docs/actions.md) */
static void
test_one_tap (void)
{
  struct { const char *file; const char *one_tap; } demo[] = {
    { "thermostat.td.json", "" },  /* boost takes an input */
    { "lock.td.json", "lock unlock" },
    { "light.td.json", "" },       /* fade takes an input; the switch is the light's */
    { "meter.td.json", "" },       /* reset takes an input */
  };
  g_autoptr(OpenIotThing) lock = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      g_autofree char *path = g_build_filename (g_getenv ("OPENIOT_SOURCE_ROOT"), "hub-mock",
                                                "demo-service", "things", demo[i].file, NULL);
      g_autoptr(OpenIotThing) thing = load_thing (path);
      g_autofree char *names = one_tap_names (thing);

      g_assert_cmpstr (names, ==, demo[i].one_tap);
      if (i == 1)
        lock = g_steal_pointer (&thing);
    }

  /* Of the lock's pair, the one that changes its state; both while it
   * is jammed or moving, and with no value */
  g_assert_true (redundant (lock, "lock", "{\"state\": \"locked\"}"));
  g_assert_false (redundant (lock, "unlock", "{\"state\": \"locked\"}"));
  g_assert_true (redundant (lock, "unlock", "{\"state\": \"unlocked\"}"));
  g_assert_false (redundant (lock, "lock", "{\"state\": \"unlocked\"}"));
  g_assert_false (redundant (lock, "lock", "{\"state\": \"jammed\"}"));
  g_assert_false (redundant (lock, "unlock", "{\"state\": \"jammed\"}"));
  g_assert_false (redundant (lock, "lock", "{}"));

  /* Beside a boolean named after the state */
  check_one_tap ("{\"title\": \"T\", \"properties\": {" LOCKED "}, \"actions\": {"
                 A ("lock", "") "," A ("unlock", "") "," A ("beep", "") "}}",
                 "lock unlock");
  /* Not beside the state: an action with an input, or one the main value
   * cannot show done */
  check_one_tap ("{\"title\": \"T\", \"properties\": {" LOCKED "}, \"actions\": {"
                 A ("lock", "\"input\": {\"type\": \"string\"},") "," A ("beep", "") "}}",
                 "");
  /* A Thing's only action, without input */
  check_one_tap ("{\"title\": \"T\", \"properties\": {"
                 P ("level", "\"type\": \"integer\", \"observable\": true")
                 "}, \"actions\": {" A ("identify", "") "}}",
                 "identify");
  check_one_tap ("{\"title\": \"T\", \"actions\": {"
                 A ("identify", "\"input\": {\"type\": \"integer\"},") "}}", "");
  /* Two actions and no state to tell which: none */
  check_one_tap ("{\"title\": \"T\", \"actions\": {" A ("identify", "") "," A ("reboot", "") "}}",
                 "");
}

/* Every real TD gets a kind and, when it has one, a readable primary
 * property; none crashes. */
static void
test_corpus (void)
{
  g_autoptr(GPtrArray) paths = openiot_test_td_corpus_paths ();
  guint kinds[OPENIOT_THING_KIND_METER + 1] = { 0, };
  guint loaded = 0, with_primary = 0, with_one_tap = 0;

  if (paths == NULL)
    return;
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *name = g_path_get_basename (path);
      g_autoptr(OpenIotThing) thing = NULL;
      OpenIotThingKind kind;
      OpenIotInteraction *primary;

      thing = load_thing (path);
      kind = openiot_thing_get_kind (thing);
      g_assert_cmpint (kind, >=, OPENIOT_THING_KIND_DEVICE);
      g_assert_cmpint (kind, <=, OPENIOT_THING_KIND_METER);
      kinds[kind]++;
      if ((primary = openiot_thing_get_primary_property (thing)))
        {
          g_assert_false (
            openiot_data_schema_get_write_only (openiot_interaction_get_schema (primary)));
          with_primary++;
        }
      {
        g_autofree char *one_tap = one_tap_names (thing);

        if (*one_tap != '\0')
          {
            g_test_message ("%s: one tap: %s", name, one_tap);
            with_one_tap++;
          }
      }
      g_test_message ("%s: %s, %s", name,
                      g_enum_get_value (g_type_class_peek (OPENIOT_TYPE_THING_KIND),
                                        kind)->value_nick,
                      primary ? openiot_interaction_get_name (primary) : "-");
      loaded++;
    }
  g_test_message (
    "%u Thing Descriptions, %u with a primary value; device %u, lock %u, thermostat %u, light %u, "
    "switch %u, meter %u",
    loaded, with_primary, kinds[0], kinds[1], kinds[2], kinds[3], kinds[4], kinds[5]);
  g_test_message ("%u with a one-tap action", with_one_tap);
  g_assert_cmpuint (loaded, >=, 67);
  /* Only where the TD makes it clear: the exception, not the rule */
  g_assert_cmpuint (with_one_tap, <, loaded / 4);
  /* The rule reaches beyond the demo: real devices get real kinds. */
  g_assert_cmpuint (loaded - kinds[OPENIOT_THING_KIND_DEVICE], >=, loaded / 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_type_class_ref (OPENIOT_TYPE_THING_KIND);

  g_test_add_func ("/thing-summary/demo", test_demo);
  g_test_add_func ("/thing-summary/semantic-types", test_semantic_types);
  g_test_add_func ("/thing-summary/shapes", test_shapes);
  g_test_add_func ("/thing-summary/one-tap", test_one_tap);
  g_test_add_func ("/thing-summary/corpus", test_corpus);

  return g_test_run ();
}
