// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * openiot_thing_new_from_bytes() on hostile Thing Descriptions: a service
 * writes its TD, and a client must survive whatever a broken or malicious
 * service sends. The input is the document (1 MiB at most, the limit the
 * parser enforces).
 *
 * Invariants when a TD parses:
 *   - every string handed out (title, id, description, names, hrefs,
 *     warnings, formatted values) is valid UTF-8;
 *   - lookup() finds each interaction by its name, as that same object;
 *     find_form() returns only forms that do the operation asked for;
 *   - a method is one of GET, PUT, POST, PATCH, DELETE;
 *   - a reachable form stays on its own service: sent as a request target,
 *     libsoup and the hub (hub-mock/hub/openiot-hubd-path.c) take it as a
 *     safe path that routes to this very service, and the path the hub
 *     routes is the form's, unchanged;
 *   - data schemas (walked to a bounded depth) format and validate sample
 *     values and their own enum values, with UTF-8 results and an error
 *     exactly when a value is refused.
 * When it does not parse: OPENIOT_ERROR_INVALID_DATA with a UTF-8 message.
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>
#include <libopeniot.h>

#include "openiot-hubd-path.h"

#include "fuzz-common.h"

#define SERVICE_ID "thing"

static const char *sample_values[] = {
  "null", "true", "false", "0", "-1", "1e308", "-0.5", "4294967296", "\"\"", "\"on\"",
  "\"\\u00e9\\ud83d\\ude00\"", "[]", "[1,\"a\",null]", "{}", "{\"a\":1,\"b\":[true]}",
};

static JsonNode *sample_nodes[G_N_ELEMENTS (sample_values)];

/* On the first input: fuzz-common.c's LLVMFuzzerInitialize() is the one
 * initializer of all the targets. */
static void
ensure_sample_nodes (void)
{
  static gsize parsed = 0;

  if (g_once_init_enter (&parsed))
    {
      for (guint i = 0; i < G_N_ELEMENTS (sample_values); i++)
        sample_nodes[i] = json_from_string (sample_values[i], NULL);
      g_once_init_leave (&parsed, 1);
    }
}

static void
check_utf8 (const char *what,
            const char *text)
{
  FUZZ_CHECK (text == NULL || g_utf8_validate (text, -1, NULL), "%s is not UTF-8", what);
}

static void
check_value (OpenIotDataSchema *schema,
             JsonNode          *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *formatted = openiot_data_schema_format_value (schema, value);

  check_utf8 ("a formatted value", formatted);
  if (!openiot_data_schema_validate (schema, value, &error))
    {
      FUZZ_CHECK (error != NULL, "invalid without an error");
      check_utf8 ("a validation message", error->message);
    }
  else
    FUZZ_CHECK (error == NULL, "valid with an error");
}

static void
check_schema (OpenIotDataSchema *schema,
              guint              depth)
{
  const char * const *names;
  JsonArray *values;

  if (schema == NULL || depth > 20)
    return;

  check_utf8 ("a schema title", openiot_data_schema_get_title (schema));
  check_utf8 ("a schema description", openiot_data_schema_get_description (schema));
  check_utf8 ("a unit", openiot_data_schema_get_unit (schema));
  check_utf8 ("a unit symbol", openiot_data_schema_get_unit_symbol (schema));
  check_utf8 ("a format", openiot_data_schema_get_format (schema));

  for (guint i = 0; i < G_N_ELEMENTS (sample_nodes); i++)
    check_value (schema, sample_nodes[i]);

  /* A schema's own enum values are what a client offers in a list. */
  if ((values = openiot_data_schema_get_enum (schema)) != NULL)
    {
      for (guint i = 0; i < MIN (json_array_get_length (values), 64); i++)
        check_value (schema, json_array_get_element (values, i));
    }

  names = openiot_data_schema_get_property_names (schema);
  for (guint i = 0; names != NULL && names[i] != NULL && i < 64; i++)
    {
      check_utf8 ("a property name", names[i]);
      openiot_data_schema_is_required (schema, names[i]);
      check_schema (openiot_data_schema_get_property (schema, names[i]), depth + 1);
    }
  check_schema (openiot_data_schema_get_items (schema), depth + 1);
}

/* What the hub makes of a request for @path (as libsoup 3.2 parses a
 * request target, see fuzz-hub-path.c), checked against the form. */
static void
check_reachable_path (const char *path)
{
  g_autofree char *url = g_strconcat ("https://hub", path, NULL);
  g_autoptr(GUri) request = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  g_autofree char *service_id = NULL;
  g_autofree char *path_part = NULL;
  const char *rest = NULL;
  const char *query;

  FUZZ_CHECK (g_str_has_prefix (path, "/services/" SERVICE_ID "/"),
              "reachable form off its service: “%s”", path);
  FUZZ_CHECK (request != NULL, "a reachable path the hub cannot parse: “%s”", path);

  query = strchr (path, '?');
  path_part = query ? g_strndup (path, query - path) : g_strdup (path);
  FUZZ_CHECK (g_str_equal (g_uri_get_path (request), path_part),
              "the hub resolves the form path “%s” to “%s”", path, g_uri_get_path (request));
  FUZZ_CHECK (openiot_hubd_path_is_safe (g_uri_get_path (request)),
              "a reachable form path the hub refuses: “%s”", path);
  FUZZ_CHECK (openiot_hubd_path_route (g_uri_get_path (request), &service_id,
                                       &rest) == OPENIOT_HUBD_ROUTE_SERVICE &&
              g_str_equal (service_id, SERVICE_ID),
              "the form path “%s” routes to “%s”", path, service_id);
}

static void
check_form (OpenIotForm *form)
{
  static const char * const methods[] = { "GET", "PUT", "POST", "PATCH", "DELETE", NULL };
  const char *path = openiot_form_get_path (form);

  FUZZ_CHECK (openiot_form_get_href (form) != NULL, "a form without an href");
  check_utf8 ("an href", openiot_form_get_href (form));
  check_utf8 ("a content type", openiot_form_get_content_type (form));
  check_utf8 ("a subprotocol", openiot_form_get_subprotocol (form));
  for (guint bit = 0; bit < 18; bit++)
    {
      const char *method = openiot_form_get_method (form, 1u << bit);

      FUZZ_CHECK (method != NULL && g_strv_contains (methods, method), "method “%s”", method);
    }

  FUZZ_CHECK (openiot_form_get_reachable (form) == (path != NULL), "reachable without a path");
  if (path != NULL)
    check_reachable_path (path);
}

static void
check_interaction (OpenIotThing           *thing,
                   OpenIotInteractionKind  kind,
                   OpenIotInteraction     *interaction)
{
  const char *name = openiot_interaction_get_name (interaction);
  GPtrArray *forms = openiot_interaction_get_forms (interaction);

  FUZZ_CHECK (openiot_interaction_get_kind (interaction) == kind, "kind");
  FUZZ_CHECK (name != NULL, "an interaction without a name");
  check_utf8 ("an interaction name", name);
  check_utf8 ("an interaction title", openiot_interaction_get_title (interaction));
  check_utf8 ("an interaction description", openiot_interaction_get_description (interaction));
  FUZZ_CHECK (openiot_thing_lookup (thing, kind, name) == interaction,
              "lookup (“%s”) finds another", name);

  for (guint i = 0; forms != NULL && i < forms->len; i++)
    check_form (g_ptr_array_index (forms, i));

  for (guint bit = 0; bit < 18; bit++)
    {
      OpenIotForm *form = openiot_interaction_find_form (interaction, 1u << bit);

      FUZZ_CHECK (form == NULL || (openiot_form_get_operations (form) & (1u << bit)),
                  "find_form (%u) gives a form without that operation", 1u << bit);
    }

  check_schema (openiot_interaction_get_schema (interaction), 0);
  check_schema (openiot_interaction_get_output_schema (interaction), 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotThing) thing = NULL;
  const char * const *warnings;

  ensure_sample_nodes ();
  thing = openiot_thing_new_from_bytes (bytes, SERVICE_ID, &error);
  if (thing == NULL)
    {
      FUZZ_CHECK (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA),
                  "unexpected error");
      check_utf8 ("an error message", error->message);
      return 0;
    }
  FUZZ_CHECK (error == NULL, "a thing and an error");

  FUZZ_CHECK (g_str_equal (openiot_thing_get_service_id (thing), SERVICE_ID), "service id");
  FUZZ_CHECK (openiot_thing_get_title (thing) != NULL, "no title");
  check_utf8 ("the title", openiot_thing_get_title (thing));
  check_utf8 ("the id", openiot_thing_get_id (thing));
  check_utf8 ("the description", openiot_thing_get_description (thing));
  FUZZ_CHECK (g_bytes_equal (openiot_thing_get_bytes (thing), bytes), "bytes");

  warnings = openiot_thing_get_warnings (thing);
  FUZZ_CHECK (warnings != NULL, "no warnings array");
  for (guint i = 0; warnings[i] != NULL; i++)
    check_utf8 ("a warning", warnings[i]);

  for (OpenIotInteractionKind kind = OPENIOT_INTERACTION_PROPERTY;
       kind <= OPENIOT_INTERACTION_EVENT; kind++)
    {
      GListModel *model = openiot_thing_get_interactions (thing, kind);

      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(OpenIotInteraction) interaction = g_list_model_get_item (model, i);

          check_interaction (thing, kind, interaction);
        }
    }

  for (guint bit = 0; bit < 18; bit++)
    {
      OpenIotForm *form = openiot_thing_find_form (thing, 1u << bit);

      if (form != NULL)
        {
          FUZZ_CHECK (openiot_form_get_operations (form) & (1u << bit), "thing-level find_form");
          check_form (form);
        }
    }

  return 0;
}
