// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-td"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-json-private.h"

#include "openiot-td-private.h"

/* json-glib's parser recurses once per nesting level, so a document of a
 * million '[' would exhaust the stack before any check of ours could run.
 * This scan, which skips strings, refuses such documents first. */
static gboolean
check_nesting (const char *data,
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

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
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

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
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

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    g_strv_builder_add (builder, json_node_get_string (node));
  else
    _openiot_json_add_strings (builder, node);
  return g_strv_builder_end (builder);
}

/* The local name of a semantic type: "iot:UnlockAction" → "UnlockAction",
 * "https://saref.etsi.org/core/LightSwitch" → "LightSwitch", "x#Lock" →
 * "Lock". */
const char *
_openiot_td_local_name (const char *type)
{
  const char *colon = strrchr (type, ':');
  const char *slash = strrchr (type, '/');
  const char *hash = strrchr (type, '#');
  const char *separator = MAX (MAX (colon, slash), hash);

  return separator ? separator + 1 : type;
}

/* Splits "factoryReset", "factory_reset", "Factory reset" or
 * "UnlockAction" into words, and calls @func on each until it returns
 * TRUE. Returns: whether it did. */
gboolean
_openiot_td_for_each_word (const char        *text,
                           OpenIotTdWordFunc  func,
                           gpointer           data)
{
  const char *start = text;

  if (text == NULL)
    return FALSE;
  for (const char *p = text; ; p++)
    {
      gboolean boundary = *p == '\0' || !g_ascii_isalnum (*p) ||
                          (p > start && g_ascii_isupper (*p) && g_ascii_islower (p[-1]));

      if (boundary && p > start && func (start, p - start, data))
        return TRUE;
      if (*p == '\0')
        return FALSE;
      if (boundary)
        start = g_ascii_isalnum (*p) ? p : p + 1;
    }
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

/*
 * _openiot_td_parse:
 * @bytes: a Thing Description as a service or hub sent it
 * @parser: the parser that will own the result
 *
 * The one way a Thing Description is parsed, by the client and by the
 * hub's services listing: the limits are checked before json-glib sees a
 * byte, since its parser recurses once per nesting level and a document of
 * 100k '[' takes down whoever parses it.
 *
 * Returns: (transfer none) (nullable): the root object, owned by @parser
 */
JsonObject *
_openiot_td_parse (GBytes      *bytes,
                   JsonParser  *parser,
                   GError     **error)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (len > OPENIOT_TD_MAX_SIZE)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   _("The Thing Description is too large (over %u KiB)."),
                   OPENIOT_TD_MAX_SIZE / 1024);
      return NULL;
    }
  if (len == 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           _("The Thing Description is not valid JSON: the document is empty."));
      return NULL;
    }
  if (!check_nesting (data, len, OPENIOT_TD_MAX_JSON_DEPTH))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   _("The Thing Description is nested too deeply (over %u levels)."),
                   OPENIOT_TD_MAX_JSON_DEPTH);
      return NULL;
    }
  /* json-glib leaks on some documents that are not plain JSON, and can
   * hand out strings that are not UTF-8 from others. */
  if (!_openiot_json_is_plain (data, len))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           _("The Thing Description is not valid JSON: it must be a single JSON "
                             "value in UTF-8, without comments, control characters in strings or "
                             "broken escapes."));
      return NULL;
    }
  if (!_openiot_json_load (parser, data, len, &parse_error))
    {
      /* json-glib quotes the token it stopped at, cut to a number of
       * bytes that can end inside a character. */
      g_autofree char *reason = g_utf8_make_valid (parse_error->message, -1);

      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   _("The Thing Description is not valid JSON: %s"), reason);
      return NULL;
    }
  /* Blank text parses into no root at all. */
  if ((root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           _("The Thing Description is not a JSON object."));
      return NULL;
    }
  return json_node_get_object (root);
}
