// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-td"

#include "config.h"

#include <string.h>

#include "openiot-td-private.h"

/* json-glib's parser recurses once per nesting level, so a document of a
 * million '[' would exhaust the stack before any check of ours could run.
 * This scan, which skips strings, refuses such documents first. */
gboolean
_openiot_td_check_nesting (const char *data,
                           gsize       len,
                           guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/* The member as a string, or NULL when absent or of another type: a TD
 * with a number where a title belongs loses the title, not the Thing. */
const char *
_openiot_td_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* "title" or "description" in the user's language when the TD offers it
 * in its "titles"/"descriptions" map (TD 1.1 §5.3.1.1). */
const char *
_openiot_td_localized (JsonObject *object,
                       const char *member)
{
  g_autofree char *map_name = g_strconcat (member, "s", NULL);
  JsonObject *map = _openiot_td_object (object, map_name);

  if (map != NULL)
    {
      const char * const *languages = g_get_language_names ();

      for (guint i = 0; languages[i] != NULL; i++)
        {
          g_autofree char *tag = g_strdelimit (g_strdup (languages[i]), "_", '-');
          const char *value;

          if (g_str_equal (tag, "C"))
            break;
          tag[strcspn (tag, ".@")] = '\0';  /* de-DE.UTF-8@euro → de-DE */
          if ((value = _openiot_td_string (map, tag)) != NULL)
            return value;
        }
    }

  return _openiot_td_string (object, member);
}

gboolean
_openiot_td_boolean (JsonObject *object,
                     const char *member,
                     gboolean    fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

/* "@type": one string or an array of strings (TD 1.1 §5.3.1.1); other
 * elements are skipped. */
GStrv
_openiot_td_semantic_types (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "@type");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_strv_builder_add (builder, json_node_get_string (node));
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

JsonObject *
_openiot_td_object (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

gboolean
_openiot_td_number (JsonObject *object,
                    const char *member,
                    double     *value)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}
