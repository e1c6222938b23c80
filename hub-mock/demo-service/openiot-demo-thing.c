// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include <math.h>
#include <string.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>

#include "openiot-protocol-private.h"

#include "openiot-hub-http.h"

#include <libopeniot.h>
#include "openiot-demo-sse-stream.h"

#include "openiot-demo-thing.h"

#define DEMO_LISTEN_BACKLOG 512

#define MAX_BODY_BYTES (64 * 1024)
#define REPLAY_EVENTS 64

/*
 * A demo IoT service: serves its Thing Description and the interactions it
 * lists, generically from the TD (routes, validation, observation), while
 * subclasses simulate the device. Plain HTTP on a UNIX socket, as the hub
 * expects of every service.
 */
typedef struct
{
  guint64  id;
  char    *event;
  char    *data;
} BufferedEvent;

typedef struct
{
  SoupServer  *server;
  GBytes      *td_bytes;
  JsonObject  *td;
  OpenIotThing *thing;      /* the TD as the library reads it, to validate */
  JsonObject  *values;
  GPtrArray   *streams;     /* OpenIotDemoSseStream */
  GHashTable  *replay;      /* source → GQueue of BufferedEvent */
  guint64      next_event_id;
  guint        tick_id;
  guint        tick_ms;
  guint        keepalive_seconds;
} OpenIotDemoThingPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (OpenIotDemoThing, openiot_demo_thing, G_TYPE_OBJECT)

/* A property's value schema, or an action's input schema */
static OpenIotDataSchema *
interaction_schema (OpenIotDemoThing       *self,
                    OpenIotInteractionKind  kind,
                    const char             *name)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);

  return openiot_interaction_get_schema (openiot_thing_lookup (priv->thing, kind, name));
}

static void
buffered_event_free (BufferedEvent *event)
{
  g_free (event->event);
  g_free (event->data);
  g_free (event);
}

static void
replay_queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) buffered_event_free);
}

static JsonObject *
td_member (OpenIotDemoThing *self,
           const char       *section,
           const char       *name)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  JsonObject *members = json_object_get_object_member (priv->td, section);

  if (members == NULL || !json_object_has_member (members, name))
    return NULL;
  return json_object_get_object_member (members, name);
}

/* Sends to every open stream of @source, and keeps the event for clients
 * that reconnect with Last-Event-ID. */
static void
publish (OpenIotDemoThing *self,
         const char       *source,
         const char       *event,
         JsonNode         *data)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  g_autofree char *text = json_to_string (data, FALSE);
  BufferedEvent *buffered = g_new0 (BufferedEvent, 1);
  GQueue *queue = g_hash_table_lookup (priv->replay, source);

  buffered->id = ++priv->next_event_id;
  buffered->event = g_strdup (event);
  buffered->data = g_strdup (text);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (priv->replay, g_strdup (source), queue);
    }
  g_queue_push_tail (queue, buffered);
  if (g_queue_get_length (queue) > REPLAY_EVENTS)
    buffered_event_free (g_queue_pop_head (queue));

  for (guint i = 0; i < priv->streams->len; i++)
    {
      OpenIotDemoSseStream *stream = g_ptr_array_index (priv->streams, i);

      if (g_str_equal (openiot_demo_sse_stream_get_source (stream), source))
        openiot_demo_sse_stream_send (stream, buffered->id, event, text);
    }
}

void
openiot_demo_thing_set (OpenIotDemoThing *self,
                        const char       *name,
                        JsonNode         *value)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  JsonNode *old = json_object_get_member (priv->values, name);
  g_autofree char *source = NULL;

  if (old != NULL && json_node_equal (old, value))
    {
      json_node_unref (value);
      return;
    }

  json_object_set_member (priv->values, name, value);
  source = g_strconcat ("property:", name, NULL);
  publish (self, source, name, value);
}

void
openiot_demo_thing_set_double (OpenIotDemoThing *self,
                               const char       *name,
                               double            value)
{
  /* two decimals: what a real sensor reports, and stable JSON */
  double rounded = round (value * 100.0) / 100.0;

  openiot_demo_thing_set (self, name, json_node_init_double (json_node_alloc (), rounded));
}

void
openiot_demo_thing_set_int (OpenIotDemoThing *self,
                            const char       *name,
                            gint64            value)
{
  openiot_demo_thing_set (self, name, json_node_init_int (json_node_alloc (), value));
}

void
openiot_demo_thing_set_boolean (OpenIotDemoThing *self,
                                const char       *name,
                                gboolean          value)
{
  openiot_demo_thing_set (self, name, json_node_init_boolean (json_node_alloc (), value));
}

void
openiot_demo_thing_set_string (OpenIotDemoThing *self,
                               const char       *name,
                               const char       *value)
{
  openiot_demo_thing_set (self, name, json_node_init_string (json_node_alloc (), value));
}

JsonNode *
openiot_demo_thing_get (OpenIotDemoThing *self,
                        const char       *name)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);

  return json_object_get_member (priv->values, name);
}

double
openiot_demo_thing_get_double (OpenIotDemoThing *self,
                               const char       *name)
{
  JsonNode *node = openiot_demo_thing_get (self, name);

  return node ? json_node_get_double (node) : 0.0;
}

gint64
openiot_demo_thing_get_int (OpenIotDemoThing *self,
                            const char       *name)
{
  JsonNode *node = openiot_demo_thing_get (self, name);

  return node ? json_node_get_int (node) : 0;
}

gboolean
openiot_demo_thing_get_boolean (OpenIotDemoThing *self,
                                const char       *name)
{
  JsonNode *node = openiot_demo_thing_get (self, name);

  return node ? json_node_get_boolean (node) : FALSE;
}

const char *
openiot_demo_thing_get_string (OpenIotDemoThing *self,
                               const char       *name)
{
  JsonNode *node = openiot_demo_thing_get (self, name);

  return node ? json_node_get_string (node) : NULL;
}

void
openiot_demo_thing_emit_event (OpenIotDemoThing *self,
                               const char       *name,
                               JsonNode         *data)
{
  g_autofree char *source = g_strconcat ("event:", name, NULL);

  g_assert (td_member (self, "events", name) != NULL);
  publish (self, source, name, data);
  json_node_unref (data);
}

static JsonNode *
parse_body (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (g_bytes_get_size (body) == 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL))
    return NULL;

  return json_node_ref (json_parser_get_root (parser));
}

static void
serve_readall (OpenIotDemoThing  *self,
               SoupServerMessage *msg)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) all = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (priv->values);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *affordance = td_member (self, "properties", l->data);

      if (affordance &&
          !json_object_get_boolean_member_with_default (affordance, "writeOnly", FALSE))
        json_object_set_member (all, l->data,
                                json_node_copy (json_object_get_member (priv->values, l->data)));
    }

  json_node_set_object (root, all);
  openiot_hub_http_respond_json (msg, SOUP_STATUS_OK, root);
}

static void
serve_property (OpenIotDemoThing  *self,
                SoupServerMessage *msg,
                const char        *name)
{
  JsonObject *affordance = td_member (self, "properties", name);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(GError) error = NULL;

  if (affordance == NULL)
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "No such property");
      return;
    }

  if (g_str_equal (method, "GET"))
    {
      if (json_object_get_boolean_member_with_default (affordance, "writeOnly", FALSE))
        {
          openiot_hub_http_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                          "method-not-allowed",
                                          "This property can only be written");
          return;
        }
      openiot_hub_http_respond_json (msg, SOUP_STATUS_OK, openiot_demo_thing_get (self, name));
      return;
    }

  if (!g_str_equal (method, "PUT"))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                      "Use GET or PUT");
      return;
    }

  if (json_object_get_boolean_member_with_default (affordance, "readOnly", FALSE))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                      "This property is read-only");
      return;
    }

  if (!(value = parse_body (msg)))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                      "The body must be a JSON value");
      return;
    }

  /* By the same rules a client applies before it sends (libopeniot) */
  if (!openiot_data_schema_validate (interaction_schema (self, OPENIOT_INTERACTION_PROPERTY, name),
                                     value, &error))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", "%s",
                                      error->message);
      return;
    }

  openiot_demo_thing_set (self, name, g_steal_pointer (&value));
  if (OPENIOT_DEMO_THING_GET_CLASS (self)->property_written)
    OPENIOT_DEMO_THING_GET_CLASS (self)->property_written (self, name);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static void
serve_action (OpenIotDemoThing  *self,
              SoupServerMessage *msg,
              const char        *name)
{
  JsonObject *affordance = td_member (self, "actions", name);
  JsonObject *input_schema;
  OpenIotDataSchema *schema;
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(GError) error = NULL;

  if (affordance == NULL)
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "No such action");
      return;
    }
  if (!g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                      "Use POST");
      return;
    }

  input_schema = json_object_has_member (affordance, "input")
                   ? json_object_get_object_member (affordance, "input") : NULL;
  input = parse_body (msg);
  if (input_schema != NULL)
    {
      if (input == NULL)
        {
          openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                          "This action needs a JSON input");
          return;
        }
      schema = interaction_schema (self, OPENIOT_INTERACTION_ACTION, name);
      if (!openiot_data_schema_validate (schema, input, &error))
        {
          openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request", "%s",
                                          error->message);
          return;
        }
    }

  output = OPENIOT_DEMO_THING_GET_CLASS (self)->invoke_action (self, name, input, &error);
  if (error != NULL)
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_CONFLICT, "action-failed", "%s",
                                      error->message);
      return;
    }

  if (output == NULL)
    output = json_node_new (JSON_NODE_NULL);
  openiot_hub_http_respond_json (msg, SOUP_STATUS_OK, output);
}

static void
on_stream_closed (OpenIotDemoSseStream *stream,
                  OpenIotDemoThing     *self)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);

  g_ptr_array_remove (priv->streams, stream);
}

static void
serve_stream (OpenIotDemoThing  *self,
              SoupServerMessage *msg,
              const char        *source)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  const char *last_id =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Last-Event-ID");
  GQueue *queue = g_hash_table_lookup (priv->replay, source);
  OpenIotDemoSseStream *stream;
  guint64 after = 0;

  if (!g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                                      "Use GET");
      return;
    }

  stream = openiot_demo_sse_stream_new (msg, source, priv->keepalive_seconds);
  g_signal_connect_object (stream, "closed", G_CALLBACK (on_stream_closed), self, 0);
  g_ptr_array_add (priv->streams, stream);

  /* A client that reconnects gets what it missed, as far as we kept it. */
  if (last_id != NULL && queue != NULL &&
      g_ascii_string_to_unsigned (last_id, 10, 0, G_MAXUINT64, &after, NULL))
    for (GList *l = queue->head; l != NULL; l = l->next)
      {
        BufferedEvent *event = l->data;

        if (event->id > after)
          openiot_demo_sse_stream_send (stream, event->id, event->event, event->data);
      }
}

static void
serve_echo (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, soup_server_message_get_method (msg));
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, g_uri_get_path (uri));
  json_builder_set_member_name (builder, "query");
  json_builder_add_string_value (builder, g_uri_get_query (uri));
  json_builder_set_member_name (builder, "headers");
  json_builder_begin_object (builder);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  openiot_hub_http_respond_builder (msg, builder);
}

static gboolean
finish_slow (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
  openiot_hub_http_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
serve_slow (SoupServerMessage *msg,
            GHashTable        *query)
{
  const char *seconds_text = query ? g_hash_table_lookup (query, "seconds") : NULL;
  guint64 seconds = 1;

  if (seconds_text != NULL)
    g_ascii_string_to_unsigned (seconds_text, 10, 0, 600, &seconds, NULL);

  openiot_hub_http_pause (msg);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds, finish_slow, g_object_ref (msg),
                              g_object_unref);
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  OpenIotDemoThing *self = user_data;
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  const char *client = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     OPENIOT_HEADER_CLIENT_ID);
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", 4);
  guint n = g_strv_length (parts);

  g_debug ("%s %s (client %s)", soup_server_message_get_method (msg), path,
           client ? client : "none");

  if (soup_server_message_get_request_body (msg)->length > MAX_BODY_BYTES)
    openiot_hub_http_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                                    "Bodies are limited to 64 KiB");
  else if (g_str_equal (path, OPENIOT_SERVICE_TD_PATH))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/td+json", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (priv->td_bytes, NULL),
                                        g_bytes_get_size (priv->td_bytes));
    }
  else if (n == 1 && g_str_equal (parts[0], "properties"))
    serve_readall (self, msg);
  else if (n == 2 && g_str_equal (parts[0], "properties"))
    serve_property (self, msg, parts[1]);
  else if (n == 3 && g_str_equal (parts[0], "properties") && g_str_equal (parts[2], "observe") &&
           td_member (self, "properties", parts[1]) != NULL)
    {
      g_autofree char *source = g_strconcat ("property:", parts[1], NULL);
      serve_stream (self, msg, source);
    }
  else if (n == 2 && g_str_equal (parts[0], "actions"))
    serve_action (self, msg, parts[1]);
  else if (n == 2 && g_str_equal (parts[0], "events") &&
           td_member (self, "events", parts[1]) != NULL)
    {
      g_autofree char *source = g_strconcat ("event:", parts[1], NULL);
      serve_stream (self, msg, source);
    }
  else if (g_str_equal (path, "/debug/echo"))
    serve_echo (msg);
  else if (g_str_equal (path, "/debug/slow"))
    serve_slow (msg, query);
  else
    openiot_hub_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "No such interaction");
}

gboolean
openiot_demo_thing_load_td (OpenIotDemoThing  *self,
                            const char        *resource,
                            GError           **error)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!(priv->td_bytes = g_resources_lookup_data (resource, 0, error)) ||
      !json_parser_load_from_data (parser, g_bytes_get_data (priv->td_bytes, NULL),
                                   g_bytes_get_size (priv->td_bytes), error))
    return FALSE;

  priv->td = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  /* The service id only resolves forms, which the demo does not follow */
  priv->thing = openiot_thing_new_from_bytes (priv->td_bytes, "demo", error);
  return priv->thing != NULL;
}

gboolean
openiot_demo_thing_listen (OpenIotDemoThing  *self,
                           const char        *socket_path,
                           GError           **error)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);
  g_autofree char *dir = g_path_get_dirname (socket_path);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);

  g_mkdir_with_parents (dir, 0755);
  g_unlink (socket_path);

  if (!(socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                               G_SOCKET_PROTOCOL_DEFAULT, error)))
    return FALSE;

  /* The hub opens a connection per request in flight: GSocket's default
   * backlog of 10 refuses (502) the rest of a burst, such as 200 clients
   * subscribing at once, before the service gets round to accepting. */
  g_socket_set_listen_backlog (socket, DEMO_LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, FALSE, error) ||
      !g_socket_listen (socket, error))
    return FALSE;

  g_chmod (socket_path, 0660);
  return soup_server_listen_socket (priv->server, socket, 0, error);
}

static gboolean
on_tick (gpointer data)
{
  OpenIotDemoThing *self = data;
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);

  OPENIOT_DEMO_THING_GET_CLASS (self)->tick (self, priv->tick_ms / 1000.0);
  return G_SOURCE_CONTINUE;
}

void
openiot_demo_thing_start (OpenIotDemoThing *self,
                          guint             tick_ms,
                          guint             keepalive_seconds)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);

  priv->tick_ms = MAX (tick_ms, 10);
  priv->keepalive_seconds = keepalive_seconds;
  priv->tick_id = g_timeout_add (priv->tick_ms, on_tick, self);
}

static void
openiot_demo_thing_finalize (GObject *object)
{
  OpenIotDemoThing *self = OPENIOT_DEMO_THING (object);
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);

  g_clear_handle_id (&priv->tick_id, g_source_remove);
  soup_server_disconnect (priv->server);
  g_clear_object (&priv->server);
  g_clear_pointer (&priv->streams, g_ptr_array_unref);
  g_clear_pointer (&priv->replay, g_hash_table_unref);
  g_clear_pointer (&priv->td_bytes, g_bytes_unref);
  g_clear_pointer (&priv->td, json_object_unref);
  g_clear_object (&priv->thing);
  g_clear_pointer (&priv->values, json_object_unref);

  G_OBJECT_CLASS (openiot_demo_thing_parent_class)->finalize (object);
}

static void
openiot_demo_thing_class_init (OpenIotDemoThingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_demo_thing_finalize;
}

static void
openiot_demo_thing_init (OpenIotDemoThing *self)
{
  OpenIotDemoThingPrivate *priv = openiot_demo_thing_get_instance_private (self);

  priv->server = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (priv->server, NULL, handle_request, self, NULL);
  priv->values = json_object_new ();
  priv->streams = g_ptr_array_new_with_free_func (g_object_unref);
  priv->replay = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) replay_queue_free);
}
