// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-protocol"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-protocol-private.h"

/*
 * _openiot_protocol_error_json:
 * @error: the machine-readable code, e.g. "not-registered"
 * @message: a sentence for people
 *
 * Every error on the wire is `{"error": …, "message": …}`: the hub writes it
 * through this function and clients read it back with
 * _openiot_protocol_parse_error().
 */
char *
_openiot_protocol_error_json (const char *error,
                              const char *message)
{
  return _openiot_protocol_error_json_full (error, message, NULL);
}

/*
 * _openiot_protocol_error_json_full:
 * @reason: (nullable): a machine-readable detail, e.g. "code-expired" for
 *   `410 pairing-code-gone`
 */
char *
_openiot_protocol_error_json_full (const char *error,
                                   const char *message,
                                   const char *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message ? message : error);
  if (reason != NULL)
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, reason);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The JSON object an error answer carries, or NULL */
static JsonObject *
error_object (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  gsize len;

  if (body == NULL)
    return NULL;
  data = g_bytes_get_data (body, &len);
  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_steal_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))  /* NULL: only white space */
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

gboolean
_openiot_protocol_parse_error (GBytes  *body,
                               char   **error,
                               char   **message)
{
  g_autoptr(JsonObject) object = error_object (body);

  if (object == NULL || !json_object_has_member (object, "error"))
    return FALSE;

  if (error != NULL)
    *error = g_strdup (json_object_get_string_member_with_default (object, "error", ""));
  if (message != NULL)
    *message = g_strdup (json_object_get_string_member_with_default (object, "message", ""));

  return TRUE;
}

/*
 * _openiot_protocol_parse_error_reason:
 * @body: (nullable): an error answer
 *
 * Returns: (nullable): its machine-readable "reason" ("invalid-name"),
 *   for a client to branch on rather than on the status or the hub's
 *   English message; %NULL when it has none
 */
char *
_openiot_protocol_parse_error_reason (GBytes *body)
{
  g_autoptr(JsonObject) object = error_object (body);

  if (object == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (object, "reason", NULL));
}

/*
 * _openiot_protocol_response_error:
 * @status: the HTTP status of a proxied request
 * @body: (nullable): its body
 *
 * Turns an unsuccessful answer from the hub or a service into an
 * OPENIOT_ERROR with the hub's own sentence when it gave one.
 *
 * Returns: FALSE with @error set unless @status is 2xx
 */
gboolean
_openiot_protocol_response_error (guint    status,
                                  GBytes  *body,
                                  GError **error)
{
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  int error_code;

  if (status >= 200 && status < 300)
    return TRUE;

  if (!_openiot_protocol_parse_error (body, &code, &message) || message[0] == '\0')
    {
      g_free (message);
      message = g_strdup_printf (_("The hub answered with HTTP status %u."), status);
    }

  if (status == 404)
    error_code = OPENIOT_ERROR_NOT_FOUND;
  else if (status == 502 || status == 503 || status == 504)
    error_code = OPENIOT_ERROR_SERVICE_UNAVAILABLE;
  else if (status == 400 || status == 409 || status == 413 || status == 422)
    error_code = OPENIOT_ERROR_INVALID_DATA;
  else
    error_code = OPENIOT_ERROR_PROTOCOL;

  g_set_error_literal (error, OPENIOT_ERROR, error_code, message);
  return FALSE;
}

/* Service ids name directories and URL path segments: the strict pattern
 * `[a-z0-9][a-z0-9-]{0,62}` keeps "..", "/", "%" and NUL out by construction. */
gboolean
_openiot_service_id_is_valid (const char *service_id)
{
  gsize len;

  if (service_id == NULL)
    return FALSE;

  len = strlen (service_id);
  if (len == 0 || len > 63)
    return FALSE;

  if (!g_ascii_islower (service_id[0]) && !g_ascii_isdigit (service_id[0]))
    return FALSE;

  for (gsize i = 1; i < len; i++)
    {
      char c = service_id[i];

      if (!g_ascii_islower (c) && !g_ascii_isdigit (c) && c != '-')
        return FALSE;
    }

  return TRUE;
}

/*
 * _openiot_path_is_safe:
 * @path: a request path as it goes on the wire, still percent-encoded
 *
 * The hub's rule for the paths it proxies (docs/protocol.md, "the
 * proxy"), and the client's for the forms it follows, so that a form the
 * client judges reachable is one the hub accepts: refuses what could step
 * out of a service's space once some layer decodes or normalises it (dot
 * segments, empty segments, and encoded "/", "\", "." or NUL).
 */
gboolean
_openiot_path_is_safe (const char *path)
{
  static const char *encoded[] = { "%2f", "%5c", "%2e", "%00" };
  g_autofree char *lower = NULL;
  g_autofree char *decoded = NULL;
  g_auto(GStrv) segments = NULL;

  if (path == NULL || path[0] != '/' || strstr (path, "//") != NULL || strchr (path, '\\') != NULL)
    return FALSE;

  lower = g_ascii_strdown (path, -1);
  for (guint i = 0; i < G_N_ELEMENTS (encoded); i++)
    {
      if (strstr (lower, encoded[i]) != NULL)
        return FALSE;
    }

  /* Malformed escapes and encoded NULs make unescaping fail. */
  decoded = g_uri_unescape_string (path, NULL);
  if (decoded == NULL)
    return FALSE;

  segments = g_strsplit (decoded, "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (g_str_equal (segments[i], ".") || g_str_equal (segments[i], ".."))
        return FALSE;
    }

  return TRUE;
}

gboolean
_openiot_pairing_code_is_valid (const char *code)
{
  if (code == NULL || strlen (code) != OPENIOT_PAIRING_CODE_DIGITS)
    return FALSE;

  for (guint i = 0; i < OPENIOT_PAIRING_CODE_DIGITS; i++)
    {
      if (!g_ascii_isdigit (code[i]))
        return FALSE;
    }

  return TRUE;
}

/*
 * The bytes a hub signs with its old key when it rotates its certificate.
 * Naming both fingerprints and a context string means a signature can only
 * ever vouch for this one step from @previous to @new.
 */
GBytes *
_openiot_rotation_message (const char *previous_fingerprint,
                           const char *new_fingerprint)
{
  char *message;

  message = g_strdup_printf ("%s\n%s\n%s\n",
                             OPENIOT_ROTATION_CONTEXT,
                             previous_fingerprint,
                             new_fingerprint);
  return g_bytes_new_take (message, strlen (message));
}

/* RFC 1123 host names: letters, digits and inner hyphens. The last label
 * must not be all digits, so that "256.1.1.1" or "10.1" are refused as
 * broken IPv4 addresses rather than looked up as names. */
gboolean
_openiot_host_name_is_valid (const char *name)
{
  g_auto(GStrv) labels = NULL;
  const char *last = name;
  gsize len = strlen (name);

  if (len == 0 || len > 253)
    return FALSE;

  labels = g_strsplit (name, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize label_len = strlen (labels[i]);

      if (label_len == 0 || label_len > 63 ||
          labels[i][0] == '-' || labels[i][label_len - 1] == '-')
        return FALSE;

      for (gsize j = 0; j < label_len; j++)
        {
          if (!g_ascii_isalnum (labels[i][j]) && labels[i][j] != '-')
            return FALSE;
        }

      last = labels[i];
    }

  return strspn (last, "0123456789") != strlen (last);
}

/* Characters that change how the text around them is shown: control
 * characters (C0, DEL, C1: CR/LF forge log lines, ESC drives terminals),
 * line and paragraph separators, and bidirectional overrides and isolates
 * (they reorder what follows on the line). */
static gboolean
is_forbidden_in_name (gunichar c)
{
  return g_unichar_iscntrl (c) ||
         c == 0x2028 || c == 0x2029 ||
         (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) ||
         c == 0x061C || c == 0x200E || c == 0x200F;
}

/**
 * _openiot_device_name_check:
 * @name: (nullable): a device name, as a device asks to be listed
 *
 * The one rule for device names (docs/protocol.md, "Pairing"), applied by
 * the library before it pairs and by the hub when it registers: 1 to
 * %OPENIOT_DEVICE_NAME_MAX_BYTES bytes of UTF-8 without control characters,
 * line separators or bidirectional controls.
 *
 * Returns: %TRUE, or %FALSE with %OPENIOT_ERROR_INVALID_DATA
 */
gboolean
_openiot_device_name_check (const char  *name,
                            GError     **error)
{
  gsize len = name != NULL ? strlen (name) : 0;

  /* English, as they were in openiot-identity.c: the hub sends the same
   * words on the wire, whatever its own locale. */
  if (len == 0 || len > OPENIOT_DEVICE_NAME_MAX_BYTES || !g_utf8_validate_len (name, len, NULL))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   "A device name is 1 to %d bytes of UTF-8", OPENIOT_DEVICE_NAME_MAX_BYTES);
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_forbidden_in_name (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               "A device name may not contain control characters");
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * _openiot_device_name_escape:
 * @name: a stored device name, which may predate _openiot_device_name_check()
 *
 * @name for a log line or a terminal: every character the check refuses,
 * every byte that is not UTF-8, and the backslash itself are written as
 * `\xHH` or `\u{HHHH}`, so what is printed is one line and reads back
 * unambiguously.
 *
 * Returns: (transfer full): the escaped name
 */
char *
_openiot_device_name_escape (const char *name)
{
  GString *escaped = g_string_new (NULL);
  const char *p = name;
  const char *end = name + strlen (name);

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (escaped, "\\x%02X", (guchar) *p);
          p++;
          continue;
        }

      if (c == '\\')
        g_string_append (escaped, "\\\\");
      else if (c < 0x80 && is_forbidden_in_name (c))
        g_string_append_printf (escaped, "\\x%02X", c);
      else if (is_forbidden_in_name (c))
        g_string_append_printf (escaped, "\\u{%04X}", c);
      else
        g_string_append_len (escaped, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  return g_string_free (escaped, FALSE);
}
