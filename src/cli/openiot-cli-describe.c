// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-thing.h"

#include "openiot-cli-describe.h"

static const char *
type_name (OpenIotDataSchema *schema)
{
  static const char * const names[] = {
    [OPENIOT_DATA_TYPE_ANY] = N_("any"),
    [OPENIOT_DATA_TYPE_BOOLEAN] = N_("boolean"),
    [OPENIOT_DATA_TYPE_INTEGER] = N_("integer"),
    [OPENIOT_DATA_TYPE_NUMBER] = N_("number"),
    [OPENIOT_DATA_TYPE_STRING] = N_("text"),
    [OPENIOT_DATA_TYPE_OBJECT] = N_("object"),
    [OPENIOT_DATA_TYPE_ARRAY] = N_("list"),
    [OPENIOT_DATA_TYPE_NULL] = N_("nothing"),
  };

  return schema != NULL ? _(names[openiot_data_schema_get_data_type (schema)]) : _("nothing");
}

/* "number 5…30 °C", "text: off | heat | cool", "object {date, …}" */
static char *
describe_schema (OpenIotDataSchema *schema)
{
  GString *text = g_string_new (type_name (schema));
  double min, max;
  JsonArray *choices;
  const char * const *members;

  if (schema == NULL)
    return g_string_free (text, FALSE);

  if (openiot_data_schema_get_minimum (schema,
                                       &min) | openiot_data_schema_get_maximum (schema, &max))
    {
      g_string_append_c (text, ' ');
      if (openiot_data_schema_get_minimum (schema, &min))
        g_string_append_printf (text, "%g", min);
      g_string_append (text, "…");
      if (openiot_data_schema_get_maximum (schema, &max))
        g_string_append_printf (text, "%g", max);
    }
  if (openiot_data_schema_get_unit_symbol (schema) != NULL)
    g_string_append_printf (text, " %s", openiot_data_schema_get_unit_symbol (schema));

  if ((choices = openiot_data_schema_get_enum (schema)) != NULL)
    for (guint i = 0; i < json_array_get_length (choices); i++)
      {
        g_autofree char *choice = openiot_json_to_string (json_array_get_element (choices, i));

        g_string_append_printf (text, i == 0 ? ": %s" : " | %s", choice);
      }

  if ((members = openiot_data_schema_get_property_names (schema)) != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (GStrv) members);

      g_string_append_printf (text, " {%s}", joined);
    }
  if (openiot_data_schema_get_items (schema) != NULL)
    {
      g_autofree char *items = describe_schema (openiot_data_schema_get_items (schema));

      g_string_append_printf (text, _(" of %s"), items);
    }

  return g_string_free (text, FALSE);
}

/* What using it means: reading a property, invoking an action, following
 * an event. */
static OpenIotOperation
main_operation (OpenIotInteraction *interaction)
{
  switch (openiot_interaction_get_kind (interaction))
    {
    case OPENIOT_INTERACTION_PROPERTY:
      return openiot_interaction_get_readable (interaction) ||
             !openiot_interaction_get_writable (interaction)
               ? OPENIOT_OPERATION_READ_PROPERTY : OPENIOT_OPERATION_WRITE_PROPERTY;
    case OPENIOT_INTERACTION_ACTION:
      return OPENIOT_OPERATION_INVOKE_ACTION;
    case OPENIOT_INTERACTION_EVENT:
    default:
      return OPENIOT_OPERATION_SUBSCRIBE_EVENT;
    }
}

/* How `observe` follows an observable property. */
static const char *
observed_by (OpenIotInteraction *property)
{
  OpenIotForm *watch = openiot_interaction_find_form (property, OPENIOT_OPERATION_OBSERVE_PROPERTY);

  if (watch == NULL)
    return _(", observable (read every 5 s)");
  if (g_strcmp0 (openiot_form_get_subprotocol (watch), "longpoll") == 0)
    return _(", observable (long-poll)");
  return _(", observable (event stream)");
}

static void
print_interaction (OpenIotInteraction *interaction)
{
  g_autofree char *schema = describe_schema (openiot_interaction_get_schema (interaction));
  g_autoptr(GString) flags = g_string_new (NULL);
  g_autoptr(GError) unusable = NULL;

  switch (openiot_interaction_get_kind (interaction))
    {
    case OPENIOT_INTERACTION_PROPERTY:
      g_string_append (flags, openiot_interaction_get_writable (interaction) ? _("read-write")
                                                                             : _("read-only"));
      if (openiot_interaction_get_observable (interaction))
        g_string_append (flags, observed_by (interaction));
      break;
    case OPENIOT_INTERACTION_ACTION:
      {
        OpenIotDataSchema *output_schema = openiot_interaction_get_output_schema (interaction);
        g_autofree char *output = describe_schema (output_schema);

        g_string_append_printf (flags, _("input %s → output %s"), schema, output);
        g_clear_pointer (&schema, g_free);
      }
      break;
    case OPENIOT_INTERACTION_EVENT:
    default:
      break;
    }
  if (!openiot_interaction_check_operation (interaction, main_operation (interaction), &unusable))
    g_string_append_printf (flags, " — %s", unusable->message);

  g_print ("  %-20s %s\n", openiot_cli_safe (openiot_interaction_get_name (interaction)),
           openiot_cli_safe (openiot_interaction_get_title (interaction)));
  g_print ("  %-20s %s%s%s\n", "", schema ? openiot_cli_safe (schema) : "", schema &&
           flags->len ? "; " : "",
           openiot_cli_safe (flags->str));
}

int
openiot_cli_describe (int    argc,
                      char **argv)
{
  static const char * const headings[] = { N_("Properties"), N_("Actions"), N_("Events") };
  g_autofree char *hub_name = NULL;
  g_autoptr(OpenIotCliThing) cli_thing = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *warnings;
  OpenIotThing *thing;

  if (!openiot_cli_parse_with_hub (&argc, &argv, _("SERVICE"),
                                   _("Describe a service’s Thing: its properties, actions and "
                                     "events."),
                                   &hub_name) ||
      argc != 2)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(cli_thing = openiot_cli_thing_open (hub_name, argv[1], TRUE, &error)))
    return openiot_cli_fail (error);
  thing = openiot_consumed_thing_get_thing (cli_thing->thing);

  if (openiot_cli_options.json)
    {
      GBytes *bytes = openiot_thing_get_bytes (thing);

      g_print ("%.*s\n", (int) g_bytes_get_size (bytes),
               (const char *) g_bytes_get_data (bytes, NULL));
      return OPENIOT_CLI_EXIT_OK;
    }

  g_print ("%s\n", openiot_cli_safe (openiot_thing_get_title (thing)));
  if (openiot_thing_get_description (thing) != NULL)
    g_print ("%s\n", openiot_cli_safe (openiot_thing_get_description (thing)));

  for (guint kind = OPENIOT_INTERACTION_PROPERTY; kind <= OPENIOT_INTERACTION_EVENT; kind++)
    {
      GListModel *interactions = openiot_thing_get_interactions (thing, kind);

      if (g_list_model_get_n_items (interactions) == 0)
        continue;
      g_print ("\n%s\n", _(headings[kind]));
      for (guint i = 0; i < g_list_model_get_n_items (interactions); i++)
        {
          g_autoptr(OpenIotInteraction) interaction = g_list_model_get_item (interactions, i);

          print_interaction (interaction);
        }
    }

  warnings = openiot_thing_get_warnings (thing);
  if (warnings[0] != NULL)
    g_print ("\n%s\n", _("Skipped"));
  for (guint i = 0; warnings[i] != NULL; i++)
    g_print ("  %s\n", openiot_cli_safe (warnings[i]));

  return OPENIOT_CLI_EXIT_OK;
}
