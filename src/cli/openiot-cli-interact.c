// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-thing.h"

#include "openiot-cli-interact.h"

typedef enum
{
  INTERACT_GET,
  INTERACT_SET,
  INTERACT_INVOKE,
} Interaction;

/* A JSON value from the command line. A bare word for a string property
 * (`openiot set thermostat mode heat`) is taken as that string: quoting
 * JSON strings in a shell is a chore nobody should need. */
static JsonNode *
parse_value (const char    *text,
             OpenIotThing  *thing,
             const char    *property,
             GError       **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonNode *value = json_from_string (text, &parse_error);
  OpenIotInteraction *interaction;
  OpenIotDataSchema *schema;

  if (value != NULL)
    return value;

  interaction = property != NULL ? openiot_thing_lookup (thing, OPENIOT_INTERACTION_PROPERTY,
                                                         property) : NULL;
  schema = interaction != NULL ? openiot_interaction_get_schema (interaction) : NULL;
  if (interaction != NULL && openiot_data_schema_get_data_type (schema) == OPENIOT_DATA_TYPE_STRING)
    {
      value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, text);
      return value;
    }

  g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
               _("“%s” is not a JSON value: %s"), text,
               parse_error ? parse_error->message : "");
  return NULL;
}

static JsonNode *
perform (OpenIotCliThing  *cli_thing,
         Interaction       interaction,
         const char       *name,
         JsonNode         *value,
         GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  OpenIotConsumedThing *thing = cli_thing->thing;

  switch (interaction)
    {
    case INTERACT_GET:
      openiot_consumed_thing_read_property_async (thing, name, NULL, openiot_cli_store_result,
                                                  &result);
      return openiot_consumed_thing_read_property_finish (thing, openiot_cli_wait (&result), error);
    case INTERACT_SET:
      openiot_consumed_thing_write_property_async (thing, name, value, NULL,
                                                   openiot_cli_store_result, &result);
      if (!openiot_consumed_thing_write_property_finish (thing, openiot_cli_wait (&result), error))
        return NULL;
      return json_node_new (JSON_NODE_NULL);
    case INTERACT_INVOKE:
      openiot_consumed_thing_invoke_action_async (thing, name, value, NULL,
                                                  openiot_cli_store_result, &result);
      return openiot_consumed_thing_invoke_action_finish (thing, openiot_cli_wait (&result), error);
    default:
      g_assert_not_reached ();
    }
}

static int
run (int          argc,
     char       **argv,
     Interaction  interaction)
{
  static const struct
  {
    const char *parameters;
    const char *summary;
    int         min_args, max_args;
  } usage[] = {
    [INTERACT_GET] = { N_("SERVICE PROPERTY"), N_("Read a property and print its value as JSON."),
                      3, 3 },
    [INTERACT_SET] = { N_("SERVICE PROPERTY VALUE"),
                       N_("Write a property. VALUE is JSON (a bare word for text properties)."), 4,
                       4 },
    [INTERACT_INVOKE] = { N_("SERVICE ACTION [INPUT]"),
                          N_("Invoke an action with INPUT (JSON) and print its output as JSON."),
                          3, 4 },
  };
  g_autofree char *hub_name = NULL;
  g_autoptr(OpenIotCliThing) cli_thing = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (!openiot_cli_parse_with_hub (&argc, &argv, _(usage[interaction].parameters),
                                   _(usage[interaction].summary), &hub_name))
    return OPENIOT_CLI_EXIT_USAGE;
  if (argc < usage[interaction].min_args || argc > usage[interaction].max_args)
    {
      g_printerr (_("Usage: openiot %s %s\n"), argv[0], _(usage[interaction].parameters));
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (!(cli_thing = openiot_cli_thing_open (hub_name, argv[1], FALSE, &error)))
    return openiot_cli_fail (error);

  if (argc == 4 &&
      !(value = parse_value (argv[3], openiot_consumed_thing_get_thing (cli_thing->thing),
                                         interaction == INTERACT_SET ? argv[2] : NULL, &error)))
    return openiot_cli_fail (error);

  answer = perform (cli_thing, interaction, argv[2], value, &error);
  if (answer == NULL && openiot_cli_thing_should_retry (cli_thing, error))
    {
      g_clear_error (&error);
      answer = perform (cli_thing, interaction, argv[2], value, &error);
    }
  if (answer == NULL)
    return openiot_cli_thing_fail (cli_thing, error);

  if (interaction != INTERACT_SET && !JSON_NODE_HOLDS_NULL (answer))
    {
      g_autofree char *text = openiot_json_to_string (answer);

      g_print ("%s\n", openiot_cli_options.json ? text : openiot_cli_safe (text));
    }
  return OPENIOT_CLI_EXIT_OK;
}

int
openiot_cli_get (int    argc,
                 char **argv)
{
  return run (argc, argv, INTERACT_GET);
}

int
openiot_cli_set (int    argc,
                 char **argv)
{
  return run (argc, argv, INTERACT_SET);
}

int
openiot_cli_invoke (int    argc,
                    char **argv)
{
  return run (argc, argv, INTERACT_INVOKE);
}
