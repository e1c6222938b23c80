// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <string.h>

#include "openiot-error.h"
#include "openiot-json-private.h"

#include "openiot-pairing-message-private.h"

/*
 * _openiot_pairing_request_new:
 *
 * The body of `POST /open-iot/v1/pair`: the name the device asks to be
 * listed under and its certificate (its key never leaves it).
 */
GBytes *
_openiot_pairing_request_new (const char *device_name,
                              const char *certificate_pem)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *json;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, device_name);
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_string_value (builder, certificate_pem);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  return g_bytes_new_take (json, strlen (json));
}

/* A member that is there but no string (a number, an object, …) counts as
 * missing: asking json-glib for it as a string would be a critical. */
static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/*
 * _openiot_pairing_request_parse:
 * @device_name: (out) (transfer full) (nullable): "name", or %NULL
 * @certificate_pem: (out) (transfer full) (nullable): "certificate", or %NULL
 *
 * Reads a pairing request from a peer that proved the code, nothing more
 * trusted than that: a plain JSON object, or %OPENIOT_ERROR_INVALID_DATA.
 * Whether the name and certificate are acceptable is the hub's registry's
 * to say; members that are missing or no strings come back %NULL.
 */
gboolean
_openiot_pairing_request_parse (GBytes  *body,
                                char   **device_name,
                                char   **certificate_pem,
                                GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  JsonObject *object;
  const char *data;
  gsize size;

  g_return_val_if_fail (body != NULL, FALSE);

  /* An empty GBytes has no data, which json-glib is critical about, and
   * blank text loads as a document without a root; json-glib leaks on some
   * documents that are not plain JSON: _openiot_json_is_plain() refuses
   * all of those first. */
  data = g_bytes_get_data (body, &size);
  if (!_openiot_json_is_plain (data, size) ||
      !json_parser_load_from_data (parser, data, size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The body must be a JSON object");
      return FALSE;
    }

  object = json_node_get_object (root);
  *device_name = g_strdup (string_member (object, "name"));
  *certificate_pem = g_strdup (string_member (object, "certificate"));
  return TRUE;
}

/*
 * _openiot_pairing_reply_new:
 * @addresses: the hub's addresses, as `GET /open-iot/v1/hub` lists them
 *
 * What a hub answers a registration with, but for the new client's id
 * (_openiot_pairing_reply_for()): who the hub is, the certificate to pin,
 * where to reach it. The client reads it with
 * _openiot_pairing_result_new_from_json().
 */
JsonNode *
_openiot_pairing_reply_new (const char *hub_id,
                            const char *hub_name,
                            const char *fingerprint,
                            const char *certificate_pem,
                            JsonNode   *addresses,
                            guint16     port)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hub");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, hub_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, hub_name);
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_string_value (builder, fingerprint);
  json_builder_set_member_name (builder, "certificate_pem");
  json_builder_add_string_value (builder, certificate_pem);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "addresses");
  json_builder_add_value (builder, json_node_copy (addresses));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, port);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/*
 * _openiot_pairing_reply_for:
 * @reply: from _openiot_pairing_reply_new()
 * @client_id: the id the hub gave the new client
 *
 * Returns: (transfer full): the body of the `201 Created`
 */
GBytes *
_openiot_pairing_reply_for (JsonNode   *reply,
                            const char *client_id)
{
  g_autoptr(JsonNode) copy = json_node_copy (reply);
  char *json;

  json_object_set_string_member (json_node_get_object (copy), "client_id", client_id);
  json = json_to_string (copy, FALSE);
  return g_bytes_new_take (json, strlen (json));
}
