// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-protocol-private.h"

#include "openiot-hub-http.h"

static void
respond_json_text (SoupServerMessage *msg,
                   guint              status,
                   const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

/* Every error leaves the hub as {"error","message"} JSON, written by the
 * library's one error writer (docs/protocol.md, "Conventions"), with the
 * machine-readable "reason" when one tells apart the cases one error code
 * covers ("invalid-name"); openiot_hub_http_respond_error() gives none. */
void
openiot_hub_http_respond_error_with_reason (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *error,
                                            const char        *reason,
                                            const char        *format,
                                            ...)
{
  g_autofree char *message = NULL;
  g_autofree char *json = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  json = _openiot_protocol_error_json_full (error, message, reason);
  respond_json_text (msg, status, json);
}

void
openiot_hub_http_respond_json (SoupServerMessage *msg,
                               guint              status,
                               JsonNode          *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  respond_json_text (msg, status, json);
}

/* Answers 200 with what @builder built */
void
openiot_hub_http_respond_builder (SoupServerMessage *msg,
                                  JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  openiot_hub_http_respond_json (msg, SOUP_STATUS_OK, root);
}

/* Returns: (transfer full): the request body as JSON, or %NULL with an error
 * fit to show the client */
JsonNode *
openiot_hub_http_parse_body (SoupServerMessage  *msg,
                             GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "The request has no body");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

/* RFC 9110 §7.6.1: headers that concern one connection, never forwarded. */
gboolean
openiot_hub_http_is_hop_by_hop (const char *header)
{
  static const char *hop_by_hop[] = {
    "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
    "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
  };

  for (guint i = 0; i < G_N_ELEMENTS (hop_by_hop); i++)
    {
      if (g_ascii_strcasecmp (header, hop_by_hop[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Set on a message paused with openiot_hub_http_pause(): "watched" while
 * its connection lasts, "disconnected" once it is gone. */
#define CONNECTION_KEY "openiot-hub-connection"
#define WATCHED        GINT_TO_POINTER (1)
#define DISCONNECTED   GINT_TO_POINTER (2)

static void
on_disconnected (SoupServerMessage *msg)
{
  g_object_set_data (G_OBJECT (msg), CONNECTION_KEY, DISCONNECTED);
}

/* Pauses @msg while an answer is made elsewhere (a service, a thread).
 * The client may go meanwhile, or the hub may end the connection (a
 * certificate rotation does): libsoup then frees the message's I/O, and
 * unpausing it would be a critical. So the message remembers. */
void
openiot_hub_http_pause (SoupServerMessage *msg)
{
  if (g_object_get_data (G_OBJECT (msg), CONNECTION_KEY) == NULL)
    {
      g_object_set_data (G_OBJECT (msg), CONNECTION_KEY, WATCHED);
      g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), NULL);
    }
  soup_server_message_pause (msg);
}

/* Whether the connection of @msg is still there to answer on. */
static gboolean
is_connected (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), CONNECTION_KEY) != DISCONNECTED;
}

/* Unpauses @msg paused with openiot_hub_http_pause(), unless its
 * connection is gone: then there is nobody to answer. */
void
openiot_hub_http_unpause (SoupServerMessage *msg)
{
  if (is_connected (msg))
    soup_server_message_unpause (msg);
}
