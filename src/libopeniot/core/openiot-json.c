// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-json"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-json-private.h"

#include "openiot-json.h"

/* The shortest text that reads back as the same double: 19.8, not
 * json-glib's 19.800000000000001. */
static void
append_double (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");  /* JSON has no infinities */
      return;
    }

  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }
  g_string_append (out, buffer);
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), l->data);
            g_autofree char *quoted = json_to_string (name, FALSE);

            if (l != members)
              g_string_append_c (out, ',');
            g_string_append (out, quoted);
            g_string_append_c (out, ':');
            append_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        {
          append_double (out, json_node_get_double (node));
          break;
        }
      G_GNUC_FALLTHROUGH;
    case JSON_NODE_NULL:
    default:
      {
        g_autofree char *text = json_to_string (node, FALSE);

        g_string_append (out, text);
      }
      break;
    }
}

/**
 * openiot_json_to_string:
 * @node: a JSON value
 *
 * Compact JSON like json_to_string(), with numbers written as the
 * shortest text that reads back as the same value.
 *
 * Returns: (transfer full): the JSON text
 */
char *
openiot_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_node (out, node);
  return g_string_free (out, FALSE);
}

/* JSON's own whitespace (RFC 8259 §2): no \f or \v */
static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Outside strings: numbers, true, false and null */
static gboolean
is_bare_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-';
}

/* The \uXXXX escape at @p (past the backslash and the "u"), or -1 */
static int
escape_value (const char *p,
              const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;

  for (guint i = 0; i < 4; i++)
    {
      if (!g_ascii_isxdigit (p[i]))
        return -1;
      value = value * 16 + g_ascii_xdigit_value (p[i]);
    }

  return value;
}

/* Past the string that starts at the quote at @p, or NULL when it is not
 * an RFC 8259 string: a control character, an unknown escape, a surrogate
 * escape that is not half of a pair, or no closing quote. */
static const char *
skip_string (const char *p,
             const char *end)
{
  for (p++; p < end && *p != '"'; p++)
    {
      int value;

      if ((guchar) *p < 0x20)
        return NULL;
      if (*p != '\\')
        continue;

      if (++p == end)
        return NULL;
      if (strchr ("\"\\/bfnrt", *p) != NULL)
        continue;
      if (*p != 'u' || (value = escape_value (p + 1, end)) < 0)
        return NULL;
      p += 4;

      if (value >= 0xdc00 && value <= 0xdfff)
        return NULL;  /* a low surrogate on its own */
      if (value >= 0xd800 && value <= 0xdbff)
        {
          /* a high one: a low one must follow */
          if (end - p < 3 || p[1] != '\\' || p[2] != 'u' ||
              (value = escape_value (p + 3, end)) < 0xdc00 || value > 0xdfff)
            return NULL;
          p += 6;
        }
    }

  return p < end ? p + 1 : NULL;
}

/*
 * _openiot_json_is_plain:
 * @data: (array length=size): JSON text from another party
 * @size: its length in bytes
 *
 * Whether @data is one plain JSON value (RFC 8259) and nothing else but
 * whitespace, as far as its structure and strings go, so that it is safe
 * to hand to json-glib. json-glib 1.6 is lenient where that costs: it
 * takes "{…}{…}" (or "5{}") as a document whose root is the last value
 * and leaks the ones before it; it leaks the string it was reading when a
 * high surrogate escape is followed by no low one ("\ud83c\u0041"), and
 * turns one followed by a plain character ("\ud83cx") into a string that
 * is not UTF-8; it checks UTF-8 string by string, so its error messages
 * can quote bytes that are not; and it reads comments, "var x = …",
 * single-quoted strings and unknown escapes.
 *
 * So: UTF-8 throughout (without NUL); outside strings nothing but
 * brackets, separators, whitespace and bare words (numbers, true, false,
 * null); strings with valid escapes and whole surrogate pairs; one value.
 * Blank text is no value. Brackets nest at most %OPENIOT_JSON_MAX_DEPTH
 * deep: json-glib recurses once per level, and the stack is the limit
 * otherwise. json-glib judges the rest (the order of tokens,
 * numbers, matching brackets).
 *
 * Returns: whether json-glib may parse @data
 */
gboolean
_openiot_json_is_plain (const char *data,
                        gsize       size)
{
  const char *p, *end;
  guint depth = 0;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  /* An empty GBytes has no data, and NULL + 0 is undefined behaviour. */
  if (size == 0 || !g_utf8_validate_len (data, size, NULL))
    return FALSE;

  p = data;
  end = data + size;

  while (p < end && is_json_space (*p))
    p++;
  if (p == end)
    return FALSE;

  /* One value: a string, a bare word, or brackets up to the one that
   * closes the first. */
  do
    {
      if (*p == '"')
        {
          if ((p = skip_string (p, end)) == NULL)
            return FALSE;
        }
      else if (*p == '{' || *p == '[')
        {
          if (++depth > OPENIOT_JSON_MAX_DEPTH)
            return FALSE;
          p++;
        }
      else if (*p == '}' || *p == ']')
        {
          if (depth == 0)
            return FALSE;
          depth--;
          p++;
        }
      else if (is_bare_word_char (*p))
        {
          while (p < end && is_bare_word_char (*p))
            p++;
        }
      else if (depth > 0 && (is_json_space (*p) || *p == ',' || *p == ':'))
        p++;
      else
        return FALSE;
    }
  while (depth > 0 && p < end);

  if (depth > 0)
    return FALSE;  /* never closed */

  for (; p < end; p++)
    {
      if (!is_json_space (*p))
        return FALSE;  /* a second value, or anything else */
    }

  return TRUE;
}

/* A number json-glib would get wrong, rewritten so that it reads it
 * right; FALSE when no machine number holds it. */
static gboolean
append_number (GString     *out,
               const char  *start,
               const char  *end,
               GError     **error)
{
  g_autofree char *lexeme = g_strndup (start, end - start);
  gboolean integer = strpbrk (lexeme, ".eE") == NULL;
  double value = g_ascii_strtod (lexeme, NULL);

  if (!isfinite (value))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   _("The number %.12s… (%u characters) is too large to use."),
                   lexeme, (guint) MIN (end - start, G_MAXUINT));
      return FALSE;
    }
  g_string_append_len (out, start, end - start);
  /* Beyond gint64, json-glib reads -1 or the nearest end of the range:
   * as a double it keeps its size (and its first 17 digits). */
  if (integer && !g_ascii_string_to_signed (lexeme, 10, G_MININT64, G_MAXINT64, NULL, NULL))
    g_string_append (out, ".0");
  return TRUE;
}

/*
 * _openiot_json_load:
 * @data: (array length=size): JSON text from another party
 *
 * json_parser_load_from_data(), but numbers are read as the numbers they
 * are: json-glib 1.6 reads an integer beyond gint64 as -1 (a 5000-digit
 * one) or as G_MAXINT64; such an integer is read as a double instead. A
 * number too large even for a double is refused with
 * %OPENIOT_ERROR_INVALID_DATA, never read as infinity.
 *
 * Returns: whether @parser holds the document
 */
gboolean
_openiot_json_load (JsonParser  *parser,
                    const char  *data,
                    gsize        size,
                    GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (size);
  const char *p = data, *end = data + size;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);

  while (p < end)
    {
      const char *start = p;

      if (*p == '"')
        {
          /* not a string json-glib takes either: let it say why */
          if ((p = skip_string (p, end)) == NULL)
            return json_parser_load_from_data (parser, data, size, error);
          g_string_append_len (out, start, p - start);
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          while (p < end && is_bare_word_char (*p))
            p++;
          if (!append_number (out, start, p, error))
            return FALSE;
        }
      else
        g_string_append_c (out, *p++);
    }

  return json_parser_load_from_data (parser, out->str, out->len, error);
}

/*
 * _openiot_json_from_data:
 *
 * A whole value from a service, read with _openiot_json_load().
 *
 * Returns: (transfer full) (nullable): the value
 */
JsonNode *
_openiot_json_from_data (const char  *data,
                         gsize        size,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!_openiot_json_load (parser, data, size, error))
    return NULL;
  return json_parser_steal_root (parser);
}

/*
 * _openiot_json_add_strings:
 * @node: (nullable): a member that should be an array of strings
 *
 * Adds the strings of @node to @builder, skipping other elements; adds
 * nothing when @node is not an array.
 */
void
_openiot_json_add_strings (GStrvBuilder *builder,
                           JsonNode     *node)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
}
