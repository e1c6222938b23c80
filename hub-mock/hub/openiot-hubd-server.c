// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-protocol-private.h"

#include "openiot-hub-http.h"
#include "openiot-hubd-listener.h"
#include "openiot-hubd-path.h"
#include "openiot-hubd-services.h"

#include "openiot-hubd-server.h"

#define MAX_BODY_BYTES (1024 * 1024)
#define MAX_HEADERS 64
#define MAX_HEADER_BYTES (16 * 1024)
/* The request target (path and query); libsoup itself only stops at 64 KiB
 * of request line and headers together, by closing the connection. */
#define MAX_TARGET_BYTES (8 * 1024)
/* RFC 6585; libsoup 3.2 has no name for it */
#define STATUS_HEADER_FIELDS_TOO_LARGE 431

/*
 * The main port (docs/protocol.md, "Transport: the main port"): HTTPS with
 * the hub's self-signed certificate, a client certificate requested on
 * every connection and judged per request by its fingerprint.
 */
struct _OpenIotHubdServer
{
  GObject             parent_instance;

  SoupServer         *soup;
  OpenIotHubdListener *listener;
  OpenIotHubdState    *state;
  OpenIotHubdRegistry *registry;
  OpenIotHubdPairing  *pairing;
  OpenIotHubdProxy    *proxy;
  JsonNode           *addresses;
  guint16             port;
  guint16             pairing_port;
  guint               idle_timeout;
  GHashTable         *rename_budgets;  /* client id → RenameBudget */
};

G_DEFINE_FINAL_TYPE (OpenIotHubdServer, openiot_hubd_server, G_TYPE_OBJECT)

/* A client gets this long for its TLS handshake and request headers,
 * however it trickles them: the idle timeout alone does not stop a
 * slowloris that sends a byte every few seconds. The body then gets a
 * deadline of its own (bodies are at most 1 MiB). */
#define HEADER_DEADLINE_SECONDS 15
#define BODY_DEADLINE_SECONDS 30

typedef struct
{
  GSocket *socket;
  guint    timeout_id;
} HeaderDeadline;

static void
header_deadline_free (gpointer data)
{
  HeaderDeadline *deadline = data;

  g_clear_handle_id (&deadline->timeout_id, g_source_remove);
  g_object_unref (deadline->socket);
  g_free (deadline);
}

static gboolean
on_header_deadline (gpointer data)
{
  HeaderDeadline *deadline = data;

  deadline->timeout_id = 0;
  g_message ("Closing a connection that did not send its request in time");
  g_socket_shutdown (deadline->socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

/* Replaces @msg's deadline (none with 0 seconds). */
static void
set_request_deadline (SoupServerMessage *msg,
                      guint              seconds)
{
  GSocket *socket = openiot_hubd_listener_get_socket (msg);
  HeaderDeadline *deadline;

  if (seconds == 0 || socket == NULL)
    {
      g_object_set_data (G_OBJECT (msg), "openiot-header-deadline", NULL);
      return;
    }

  deadline = g_new0 (HeaderDeadline, 1);
  deadline->socket = g_object_ref (socket);
  deadline->timeout_id = g_timeout_add_seconds (seconds, on_header_deadline, deadline);
  g_object_set_data_full (G_OBJECT (msg), "openiot-header-deadline", deadline,
                          header_deadline_free);
}

static void
on_got_body (SoupServerMessage *msg,
             gpointer           user_data)
{
  set_request_deadline (msg, 0);
}

static void
on_rejected_closed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
}

static void
on_rejection_written (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    g_debug ("Could not send the refusal: %s", error->message);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, on_rejected_closed, NULL);
}

/* Answers @msg with an error and closes its connection at once, without
 * reading the request body. libsoup 3.2 would otherwise read (and keep) a
 * body before any answer, however large a body the client announces or
 * keeps sending; only an "Expect: 100-continue" client is answered early.
 * So the hub takes the connection over and writes the answer itself. */
static void G_GNUC_PRINTF (4, 5)
reject_and_close (SoupServerMessage *msg,
                  guint              status,
                  const char        *error,
                  const char        *format,
                  ...)
{
  g_autofree char *message = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GIOStream) stream = NULL;
  const char *phrase;
  GBytes *response;
  char *text;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_message ("Refusing a request and closing its connection: %s", message);
  json = _openiot_protocol_error_json (error, message);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      /* not expected; answer the usual way, after the body */
      openiot_hub_http_respond_error (msg, status, error, "%s", message);
      return;
    }

  phrase = status == STATUS_HEADER_FIELDS_TOO_LARGE ? "Request Header Fields Too Large"
                                                    : soup_status_get_phrase (status);
  text = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n%s",
                          status, phrase, strlen (json), json);
  response = g_bytes_new_take (text, strlen (text));
  g_object_set_data_full (G_OBJECT (stream), "openiot-rejection", response,
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                                   G_PRIORITY_DEFAULT, NULL, on_rejection_written,
                                   g_object_ref (stream));
}

/* RFC 9112 §6.3: a body framed two ways (Content-Length and
 * Transfer-Encoding, or Content-Length values that disagree) is what request
 * smuggling is made of; refuse it rather than guess which framing is meant. */
static gboolean
body_framing_is_ambiguous (SoupMessageHeaders *headers)
{
  const char *lengths = soup_message_headers_get_list (headers, "Content-Length");

  if (lengths == NULL)
    return FALSE;

  return soup_message_headers_get_list (headers, "Transfer-Encoding") != NULL ||
         strchr (lengths, ',') != NULL;
}

static gsize
request_target_length (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);

  return strlen (g_uri_get_path (uri)) + (query != NULL ? strlen (query) + 1 : 0);
}

static gboolean
headers_within_limits (SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;
  gsize count = 0, bytes = 0;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      count++;
      bytes += strlen (name) + strlen (value) + 4;
    }

  return count <= MAX_HEADERS && bytes <= MAX_HEADER_BYTES;
}

/* Bodies without a Content-Length (chunked) are counted as they come. */
static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  gsize received = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg), "openiot-body-bytes"));

  received += g_bytes_get_size (chunk);
  g_object_set_data (G_OBJECT (msg), "openiot-body-bytes", GSIZE_TO_POINTER (received));

  if (received > MAX_BODY_BYTES)
    reject_and_close (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                      "Request bodies are limited to %d bytes", MAX_BODY_BYTES);
}

/* A chunked body has no end an HTTP/1.0 client can see but the
 * connection's: no keep-alive after it. */
static void
on_wrote_headers (SoupServerMessage *msg,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
    soup_message_headers_remove (headers, "Connection");
}

/* HTTP/1.0 keeps a connection only when both sides say so, and libsoup
 * 3.2 never says so: it reads the client's "Connection: keep-alive" but
 * keeps the connection only if the response already carries "Connection:
 * Keep-Alive" (soup_server_message_is_keepalive()), which it never adds.
 * ab -k speaks HTTP/1.0. */
static void
agree_to_keep_alive (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);

  if (soup_server_message_get_http_version (msg) != SOUP_HTTP_1_0 ||
      !soup_message_headers_header_contains (request, "Connection", "keep-alive"))
    return;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "Keep-Alive");
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_wrote_headers), NULL);
}

/* Limits that must hold before the body is read at all. */
static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  OpenIotHubdServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  goffset length = soup_message_headers_get_content_length (headers);
  gboolean has_body = encoding == SOUP_ENCODING_CHUNKED ||
                      (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > 0);

  /* The same trickling, in the body: a byte now and then never trips the
   * idle timeout. */
  set_request_deadline (msg, has_body ? MIN (BODY_DEADLINE_SECONDS, 2 * self->idle_timeout) : 0);
  agree_to_keep_alive (msg);

  if (!headers_within_limits (headers))
    reject_and_close (msg, STATUS_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
                      "At most %d headers and %d bytes of them", MAX_HEADERS, MAX_HEADER_BYTES);
  else if (request_target_length (msg) > MAX_TARGET_BYTES)
    reject_and_close (msg, SOUP_STATUS_REQUEST_URI_TOO_LONG, "uri-too-long",
                      "Request paths and queries are limited to %d bytes", MAX_TARGET_BYTES);
  else if (body_framing_is_ambiguous (headers))
    reject_and_close (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                      "The request body is framed more than one way");
  else if (encoding == SOUP_ENCODING_CONTENT_LENGTH && length > MAX_BODY_BYTES)
    reject_and_close (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                      "Request bodies are limited to %d bytes", MAX_BODY_BYTES);
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  OpenIotHubdServer *self = user_data;

  set_request_deadline (msg, MIN (HEADER_DEADLINE_SECONDS, 2 * self->idle_timeout));

  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), self);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), NULL);
}

static gboolean
is_registered (const char *fingerprint,
               gpointer    user_data)
{
  OpenIotHubdServer *self = user_data;
  g_autoptr(OpenIotHubdClient) client = openiot_hubd_registry_lookup (self->registry, fingerprint);

  return client != NULL && !client->revoked;
}

static OpenIotHubdClient *
authenticate (OpenIotHubdServer  *self,
              SoupServerMessage *msg)
{
  const char *fingerprint = openiot_hubd_listener_get_peer_fingerprint (msg);
  g_autoptr(OpenIotHubdClient) client = NULL;

  if (fingerprint == NULL)
    return NULL;

  client = openiot_hubd_registry_lookup (self->registry, fingerprint);
  if (client == NULL || client->revoked)
    return NULL;

  return g_steal_pointer (&client);
}

/* api, id, name, certificate: how the hub introduces itself everywhere */
static void
add_identity (OpenIotHubdServer *self,
              JsonBuilder      *builder)
{
  json_builder_set_member_name (builder, "api");
  json_builder_add_int_value (builder, OPENIOT_PROTOCOL_API);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, openiot_hubd_state_get_id (self->state));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, openiot_hubd_state_get_name (self->state));
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_string_value (builder, openiot_hubd_state_get_fingerprint (self->state));
}

static void
respond_well_known (OpenIotHubdServer  *self,
                    SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *remote_host = soup_server_message_get_remote_host (msg);

  json_builder_begin_object (builder);
  add_identity (self, builder);
  json_builder_set_member_name (builder, "pairing");
  json_builder_add_value (builder,
                          openiot_hubd_pairing_status_to_json (self->pairing, self->pairing_port,
                                                               remote_host));
  json_builder_set_member_name (builder, "rotation");
  json_builder_add_value (builder, openiot_hubd_state_rotation_to_json (self->state));
  json_builder_end_object (builder);

  openiot_hub_http_respond_builder (msg, builder);
}

/* A client as it sees itself: GET /api/hub's "you", and the answer to
 * PUT /api/client/name (docs/protocol.md) */
static void
add_client (JsonBuilder       *builder,
            OpenIotHubdClient *client)
{
  g_autofree char *registered = g_date_time_format_iso8601 (client->registered);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, client->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, client->name);
  json_builder_set_member_name (builder, "registered");
  json_builder_add_string_value (builder, registered);
  json_builder_end_object (builder);
}

static void
respond_hub (OpenIotHubdServer  *self,
             SoupServerMessage *msg,
             OpenIotHubdClient  *client)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_identity (self, builder);
  json_builder_set_member_name (builder, "addresses");
  json_builder_add_value (builder, json_node_copy (self->addresses));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  json_builder_set_member_name (builder, "pairing_port");
  json_builder_add_int_value (builder, self->pairing_port);
  json_builder_set_member_name (builder, "you");
  add_client (builder, client);
  json_builder_end_object (builder);

  openiot_hub_http_respond_builder (msg, builder);
}

static void
on_services_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = openiot_hubd_services_list_finish (result, &error);

  if (list != NULL)
    openiot_hub_http_respond_json (msg, SOUP_STATUS_OK, list);
  else
    openiot_hub_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error", "%s",
                                    error->message);
  openiot_hub_http_unpause (msg);
}

static void
respond_registration_delete (OpenIotHubdServer  *self,
                             SoupServerMessage *msg,
                             OpenIotHubdClient  *client)
{
  g_autoptr(GError) error = NULL;

  if (!openiot_hubd_registry_remove (self->registry, client->id, &error))
    openiot_hub_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error", "%s",
                                    error->message);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* A name change is a durable write of clients.json on the main loop: a
 * client changes its name RENAME_BURST times in a row, then one a second
 * (docs/protocol.md), so alternating names cannot keep the hub writing. */
#define RENAME_BURST 3.0
#define RENAME_PER_SECOND 1.0

typedef struct
{
  double tokens;
  gint64 updated;   /* monotonic µs */
} RenameBudget;

/* Takes one name change from @client_id's budget; FALSE, with how many
 * seconds until the next one, when there is none left */
static gboolean
take_rename (OpenIotHubdServer *self,
             const char        *client_id,
             guint             *retry_after)
{
  RenameBudget *budget = g_hash_table_lookup (self->rename_budgets, client_id);
  gint64 now = g_get_monotonic_time ();
  double earned;

  if (budget == NULL)
    {
      budget = g_new0 (RenameBudget, 1);
      budget->tokens = RENAME_BURST;
      budget->updated = now;
      g_hash_table_insert (self->rename_budgets, g_strdup (client_id), budget);
    }
  earned = (now - budget->updated) * RENAME_PER_SECOND / G_USEC_PER_SEC;
  budget->tokens = MIN (RENAME_BURST, budget->tokens + earned);
  budget->updated = now;
  if (budget->tokens < 1.0)
    {
      /* whole seconds, rounded up */
      *retry_after = (guint) ((1.0 - budget->tokens) / RENAME_PER_SECOND) + 1;
      return FALSE;
    }
  budget->tokens -= 1.0;
  return TRUE;
}

static void
respond_client_name (OpenIotHubdServer  *self,
                     SoupServerMessage *msg,
                     OpenIotHubdClient  *client)
{
  g_autoptr(OpenIotHubdClient) renamed = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  guint retry_after = 0;
  JsonNode *name;

  request = openiot_hub_http_parse_body (msg, NULL);
  name = request != NULL && JSON_NODE_HOLDS_OBJECT (request)
           ? json_object_get_member (json_node_get_object (request), "name") : NULL;
  if (name == NULL || !JSON_NODE_HOLDS_VALUE (name) ||
      json_node_get_value_type (name) != G_TYPE_STRING)
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                      "Send a JSON object with the new name "
                                      "as the string “name”");
      return;
    }

  /* Only a change counts: the same name, or one the rule refuses, writes
   * nothing */
  if (_openiot_device_name_check (json_node_get_string (name), NULL) &&
      g_strcmp0 (json_node_get_string (name), client->name) != 0 &&
      !take_rename (self, client->id, &retry_after))
    {
      g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    seconds);
      openiot_hub_http_respond_error_with_reason (msg, 429 /* Too Many Requests */,
                                                  "too-many-requests", "rename-rate",
                                                  "This device changed its name too often; "
                                                  "try again in %s s", seconds);
      return;
    }

  renamed = openiot_hubd_registry_rename (self->registry, client->id, json_node_get_string (name),
                                          &error);
  if (renamed == NULL)
    {
      if (g_error_matches (error, OPENIOT_HUBD_REGISTRY_ERROR,
                           OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME))
        openiot_hub_http_respond_error_with_reason (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                                    "invalid-name", "%s", error->message);
      else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND))
        /* Revoked between authentication and now */
        openiot_hub_http_respond_error (msg, SOUP_STATUS_FORBIDDEN, "not-registered",
                                        "This device is not registered with the hub (or was "
                                        "removed); pair it again");
      else
        openiot_hub_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error",
                                        "%s", error->message);
      return;
    }

  builder = json_builder_new ();
  add_client (builder, renamed);
  openiot_hub_http_respond_builder (msg, builder);
}

static gboolean
require_method (SoupServerMessage *msg,
                const char        *method)
{
  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  openiot_hub_http_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                  "This endpoint only answers %s", method);
  return FALSE;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *unused_path,
                GHashTable        *query,
                gpointer           user_data)
{
  OpenIotHubdServer *self = user_data;
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  g_autoptr(OpenIotHubdClient) client = NULL;
  g_autofree char *service_id = NULL;
  const char *rest = NULL;

  /* g_debug() formats its message even when debug output is off, and the
   * remote host is a string made for this line: per request, for nothing. */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_debug ("Request %s %s from %s", soup_server_message_get_method (msg), path,
             soup_server_message_get_remote_host (msg));

  /* reject_and_close() could not take the connection over */
  if (soup_server_message_get_status (msg) != 0)
    return;

  if (g_str_equal (path, OPENIOT_PATH_WELL_KNOWN))
    {
      if (require_method (msg, "GET"))
        respond_well_known (self, msg);
      return;
    }

  if (!(client = authenticate (self, msg)))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_FORBIDDEN, "not-registered",
                                      "This device is not registered with the hub "
                                      "(or was removed); pair it again");
      return;
    }

  if (!openiot_hubd_path_is_safe (path))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                      "The request path is not allowed");
      return;
    }

  switch (openiot_hubd_path_route (path, &service_id, &rest))
    {
    case OPENIOT_HUBD_ROUTE_HUB:
      if (require_method (msg, "GET"))
        respond_hub (self, msg, client);
      break;

    case OPENIOT_HUBD_ROUTE_SERVICES:
      if (require_method (msg, "GET"))
        {
          openiot_hub_http_pause (msg);
          openiot_hubd_services_list_async (self->proxy, NULL, on_services_listed,
                                            g_object_ref (msg));
        }
      break;

    case OPENIOT_HUBD_ROUTE_REGISTRATION:
      if (require_method (msg, "DELETE"))
        respond_registration_delete (self, msg, client);
      break;

    case OPENIOT_HUBD_ROUTE_CLIENT_NAME:
      if (require_method (msg, "PUT"))
        respond_client_name (self, msg, client);
      break;

    case OPENIOT_HUBD_ROUTE_SERVICE:
      openiot_hubd_proxy_forward (self->proxy, msg, service_id, rest, client);
      break;

    case OPENIOT_HUBD_ROUTE_BAD_SERVICE_ID:
      openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                      "“%s” is not a valid service id", service_id);
      break;

    case OPENIOT_HUBD_ROUTE_NOT_FOUND:
    default:
      openiot_hub_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                                      "No such endpoint: %s", path);
      break;
    }
}

static void
on_certificate_changed (OpenIotHubdState  *state,
                        GParamSpec       *pspec,
                        OpenIotHubdServer *self)
{
  openiot_hubd_listener_set_certificate (self->listener,
                                         openiot_hubd_state_get_tls_certificate (state));

  /* Open connections still run TLS sessions made with the old
   * certificate; end them so that every client meets the new one, and
   * decides about it, at once (docs/protocol.md, "Rotation"). */
  openiot_hubd_listener_close_peer (self->listener, NULL);
}

/* What a revoked client has open ends with its registration: an event
 * stream would otherwise go on for as long as the client keeps it. */
static void
on_client_revoked (OpenIotHubdRegistry *registry,
                   const char         *fingerprint,
                   OpenIotHubdServer   *self)
{
  openiot_hubd_listener_close_peer (self->listener, fingerprint);
}

void
openiot_hubd_server_set_idle_timeout (OpenIotHubdServer *self,
                                     guint             seconds)
{
  self->idle_timeout = seconds;
  openiot_hubd_listener_set_idle_timeout (self->listener, seconds);
}

OpenIotHubdServer *
openiot_hubd_server_new (OpenIotHubdState    *state,
                        OpenIotHubdRegistry *registry,
                        OpenIotHubdPairing  *pairing,
                        OpenIotHubdProxy    *proxy,
                        guint16             port,
                        guint16             pairing_port,
                        JsonNode           *addresses)
{
  OpenIotHubdServer *self = g_object_new (OPENIOT_TYPE_HUBD_SERVER, NULL);

  self->state = g_object_ref (state);
  self->registry = g_object_ref (registry);
  self->pairing = g_object_ref (pairing);
  self->proxy = g_object_ref (proxy);
  self->addresses = json_node_ref (addresses);
  self->port = port;
  self->pairing_port = pairing_port;
  self->idle_timeout = 60;

  /* TLS is the listener's: libsoup serves the established streams.
   * Routing and openiot_hubd_path_is_safe() see the path as sent: decoded,
   * "%2F" after a service id would become a "/" and route (issue 16). */
  self->soup = soup_server_new ("server-header", NULL, "raw-paths", TRUE, NULL);
  self->listener = openiot_hubd_listener_new (self->soup,
                                              openiot_hubd_state_get_tls_certificate (state));
  openiot_hubd_listener_set_idle_timeout (self->listener, self->idle_timeout);
  openiot_hubd_listener_set_trust_func (self->listener, is_registered, self);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect_object (state, "notify::tls-certificate", G_CALLBACK (on_certificate_changed),
                           self, 0);
  g_signal_connect_object (registry, "revoked", G_CALLBACK (on_client_revoked), self, 0);

  return self;
}

gboolean
openiot_hubd_server_listen (OpenIotHubdServer  *self,
                           GSocketAddress    *address,
                           GError           **error)
{
  return openiot_hubd_listener_listen (self->listener, address, error);
}

static void
openiot_hubd_server_finalize (GObject *object)
{
  OpenIotHubdServer *self = OPENIOT_HUBD_SERVER (object);

  /* A handshake still in flight holds the listener past this object: it
   * must not hand its connection to handlers that are gone (found by
   * AddressSanitizer at shutdown). */
  openiot_hubd_listener_close_peer (self->listener, NULL);
  g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_object (&self->listener);
  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->state);
  g_clear_object (&self->registry);
  g_clear_object (&self->pairing);
  g_clear_object (&self->proxy);
  g_clear_pointer (&self->addresses, json_node_unref);
  g_clear_pointer (&self->rename_budgets, g_hash_table_unref);

  G_OBJECT_CLASS (openiot_hubd_server_parent_class)->finalize (object);
}

static void
openiot_hubd_server_class_init (OpenIotHubdServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hubd_server_finalize;
}

static void
openiot_hubd_server_init (OpenIotHubdServer *self)
{
  self->rename_budgets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}
