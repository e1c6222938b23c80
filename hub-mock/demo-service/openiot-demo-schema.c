// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include <math.h>

#include "openiot-demo-schema.h"

/* The subset of WoT data schemas the demo TDs use: enough for a service to
 * refuse what its own Thing Description rules out. */

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s %s", path, what);
  return FALSE;
}

static gboolean
type_matches (const char *type,
              JsonNode   *value)
{
  GType value_type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;

  if (g_str_equal (type, "object"))
    return JSON_NODE_HOLDS_OBJECT (value);
  if (g_str_equal (type, "array"))
    return JSON_NODE_HOLDS_ARRAY (value);
  if (g_str_equal (type, "null"))
    return JSON_NODE_HOLDS_NULL (value);
  if (g_str_equal (type, "boolean"))
    return value_type == G_TYPE_BOOLEAN;
  if (g_str_equal (type, "string"))
    return value_type == G_TYPE_STRING;
  if (g_str_equal (type, "integer"))
    return value_type == G_TYPE_INT64 ||
           (value_type == G_TYPE_DOUBLE && json_node_get_double (value) == floor (json_node_get_double (value)));
  if (g_str_equal (type, "number"))
    return value_type == G_TYPE_INT64 || value_type == G_TYPE_DOUBLE;
  return TRUE;
}

static gboolean
check_number (JsonObject  *schema,
              JsonNode    *value,
              const char  *path,
              GError     **error)
{
  double number = json_node_get_double (value);
  g_autofree char *message = NULL;

  if (json_object_has_member (schema, "minimum") && number < json_object_get_double_member (schema, "minimum"))
    {
      message = g_strdup_printf ("must be at least %g", json_object_get_double_member (schema, "minimum"));
      return fail (error, path, message);
    }
  if (json_object_has_member (schema, "maximum") && number > json_object_get_double_member (schema, "maximum"))
    {
      message = g_strdup_printf ("must be at most %g", json_object_get_double_member (schema, "maximum"));
      return fail (error, path, message);
    }
  return TRUE;
}

static gboolean
check_string (JsonObject  *schema,
              const char  *text,
              const char  *path,
              GError     **error)
{
  glong length = g_utf8_strlen (text, -1);
  const char *pattern = json_object_get_string_member_with_default (schema, "pattern", NULL);

  if (json_object_has_member (schema, "minLength") && length < json_object_get_int_member (schema, "minLength"))
    return fail (error, path, "is too short");
  if (json_object_has_member (schema, "maxLength") && length > json_object_get_int_member (schema, "maxLength"))
    return fail (error, path, "is too long");
  if (pattern != NULL && !g_regex_match_simple (pattern, text, 0, 0))
    return fail (error, path, "has the wrong format");
  return TRUE;
}

static gboolean
check_object (JsonObject  *schema,
              JsonObject  *object,
              const char  *path,
              GError     **error)
{
  JsonObject *properties = json_object_get_object_member (schema, "properties");
  JsonArray *required = json_object_has_member (schema, "required") ?
    json_object_get_array_member (schema, "required") : NULL;

  for (guint i = 0; required != NULL && i < json_array_get_length (required); i++)
    {
      const char *member = json_array_get_string_element (required, i);

      if (!json_object_has_member (object, member))
        {
          g_autofree char *message = g_strdup_printf ("needs “%s”", member);
          return fail (error, path, message);
        }
    }

  if (properties != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child_path = g_strconcat (path, ".", l->data, NULL);

          if (json_object_has_member (properties, l->data) &&
              !openiot_demo_schema_validate (json_object_get_object_member (properties, l->data),
                                             json_object_get_member (object, l->data), child_path, error))
            return FALSE;
        }
    }

  return TRUE;
}

static gboolean
check_array (JsonObject  *schema,
             JsonArray   *array,
             const char  *path,
             GError     **error)
{
  JsonObject *items = json_object_has_member (schema, "items") ? json_object_get_object_member (schema, "items") : NULL;

  if (json_object_has_member (schema, "maxItems") &&
      json_array_get_length (array) > (guint) json_object_get_int_member (schema, "maxItems"))
    return fail (error, path, "has too many items");

  for (guint i = 0; items != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *child_path = g_strdup_printf ("%s[%u]", path, i);

      if (!openiot_demo_schema_validate (items, json_array_get_element (array, i), child_path, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
openiot_demo_schema_validate (JsonObject  *schema,
                              JsonNode    *value,
                              const char  *path,
                              GError     **error)
{
  const char *type = json_object_get_string_member_with_default (schema, "type", NULL);

  if (type != NULL && !type_matches (type, value))
    {
      g_autofree char *message = g_strdup_printf ("must be of type %s", type);
      return fail (error, path, message);
    }

  if (json_object_has_member (schema, "const") &&
      !json_node_equal (json_object_get_member (schema, "const"), value))
    return fail (error, path, "has the wrong value");

  if (json_object_has_member (schema, "enum"))
    {
      JsonArray *choices = json_object_get_array_member (schema, "enum");
      gboolean found = FALSE;

      for (guint i = 0; i < json_array_get_length (choices) && !found; i++)
        found = json_node_equal (json_array_get_element (choices, i), value);
      if (!found)
        return fail (error, path, "is not one of the allowed values");
    }

  if (type == NULL)
    return TRUE;
  if (g_str_equal (type, "integer") || g_str_equal (type, "number"))
    return check_number (schema, value, path, error);
  if (g_str_equal (type, "string"))
    return check_string (schema, json_node_get_string (value), path, error);
  if (g_str_equal (type, "object"))
    return check_object (schema, json_node_get_object (value), path, error);
  if (g_str_equal (type, "array"))
    return check_array (schema, json_node_get_array (value), path, error);
  return TRUE;
}
