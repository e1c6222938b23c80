// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <libopeniot.h>

#include "openiot-hub-http.h"
#include "openiot-hubd-services.h"

#include "openiot-hubd-admin.h"

#define MAX_TTL_SECONDS (24 * 60 * 60)

/*
 * The hub's admin interface (docs/protocol.md, "Admin interface"): plain
 * HTTP + JSON on <state-dir>/admin.sock, 0600, and only for the hub's own
 * user or root. The openiot-hub subcommands are its clients.
 */
struct _OpenIotHubdAdmin
{
  GObject             parent_instance;

  SoupServer         *soup;
  char               *socket_path;
  OpenIotHubdState    *state;
  OpenIotHubdRegistry *registry;
  OpenIotHubdPairing  *pairing;
  OpenIotHubdProxy    *proxy;
  JsonNode           *addresses;
  char               *link_host;
  guint16             port;
  guint16             pairing_port;
};

G_DEFINE_FINAL_TYPE (OpenIotHubdAdmin, openiot_hubd_admin, G_TYPE_OBJECT)

/* The file mode already keeps others out; checking the peer's uid as well
 * means a mistaken chmod does not hand out the hub. */
static gboolean
peer_is_allowed (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr(GCredentials) credentials = NULL;
  uid_t uid;

  if (socket == NULL || !(credentials = g_socket_get_credentials (socket, NULL)))
    return FALSE;

  uid = g_credentials_get_unix_user (credentials, NULL);
  return uid == getuid () || uid == 0;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
respond_status (OpenIotHubdAdmin   *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_auto(GStrv) services = openiot_hubd_services_scan (self->proxy);

  json_builder_begin_object (builder);
  add_string (builder, "id", openiot_hubd_state_get_id (self->state));
  add_string (builder, "name", openiot_hubd_state_get_name (self->state));
  add_string (builder, "certificate", openiot_hubd_state_get_fingerprint (self->state));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  json_builder_set_member_name (builder, "pairing_port");
  json_builder_add_int_value (builder, self->pairing_port);
  json_builder_set_member_name (builder, "addresses");
  json_builder_add_value (builder, json_node_copy (self->addresses));
  json_builder_set_member_name (builder, "clients");
  json_builder_add_int_value (builder, openiot_hubd_registry_count_active (self->registry));
  json_builder_set_member_name (builder, "pairing");
  json_builder_add_value (builder,
                          openiot_hubd_pairing_status_to_admin_json (self->pairing,
                                                                     self->pairing_port));
  json_builder_set_member_name (builder, "services");
  json_builder_add_int_value (builder, g_strv_length (services));
  json_builder_end_object (builder);

  openiot_hub_http_respond_builder (msg, builder);
}

static GStrv
extra_link_addresses (OpenIotHubdAdmin *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array = json_node_get_array (self->addresses);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *entry = json_array_get_object_element (array, i);
      const char *address = json_object_get_string_member (entry, "address");

      if (g_strcmp0 (address, self->link_host) != 0)
        g_strv_builder_add (builder, address);
    }

  return g_strv_builder_end (builder);
}

static void
respond_pairing_code (OpenIotHubdAdmin   *self,
                      SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_auto(GStrv) extra = extra_link_addresses (self);
  g_autofree char *code = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *link_text = NULL;
  gint64 ttl = OPENIOT_HUBD_PAIRING_DEFAULT_TTL;

  request = openiot_hub_http_parse_body (msg, NULL);
  if (request != NULL && JSON_NODE_HOLDS_OBJECT (request))
    ttl = json_object_get_int_member_with_default (json_node_get_object (request), "ttl", ttl);

  if (ttl < 10 || ttl > MAX_TTL_SECONDS)
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                      "The code's lifetime must be 10 to %d seconds",
                                      MAX_TTL_SECONDS);
      return;
    }

  code = openiot_hubd_pairing_open (self->pairing, ttl, &expires);
  expires_text = g_date_time_format_iso8601 (expires);
  link = openiot_pairing_link_new (self->link_host, self->pairing_port, self->port, code,
                                   openiot_hubd_state_get_fingerprint (self->state),
                                   openiot_hubd_state_get_name (self->state),
                                   (const char * const *) extra);
  link_text = openiot_pairing_link_to_string (link);

  json_builder_begin_object (builder);
  add_string (builder, "code", code);
  add_string (builder, "expires", expires_text);
  add_string (builder, "link", link_text);
  add_string (builder, "certificate", openiot_hubd_state_get_fingerprint (self->state));
  json_builder_set_member_name (builder, "addresses");
  json_builder_add_value (builder, json_node_copy (self->addresses));
  json_builder_end_object (builder);

  openiot_hub_http_respond_builder (msg, builder);
  memset (code, 0, strlen (code));
}

static void
respond_rotate (OpenIotHubdAdmin   *self,
                SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!openiot_hubd_state_rotate (self->state, &error))
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error",
                                      "The certificate was not rotated: %s", error->message);
      return;
    }

  json_builder_begin_object (builder);
  add_string (builder, "previous", openiot_hubd_state_get_rotation_previous (self->state));
  add_string (builder, "certificate", openiot_hubd_state_get_fingerprint (self->state));
  json_builder_end_object (builder);

  openiot_hub_http_respond_builder (msg, builder);
}

static void
respond_clients (OpenIotHubdAdmin   *self,
                 SoupServerMessage *msg)
{
  g_autoptr(GPtrArray) clients = openiot_hubd_registry_list (self->registry);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < clients->len; i++)
    json_array_add_element (array,
                            openiot_hubd_client_to_json (g_ptr_array_index (clients, i), FALSE));

  json_node_set_array (root, array);
  openiot_hub_http_respond_json (msg, SOUP_STATUS_OK, root);
}

static void
respond_revoke (OpenIotHubdAdmin   *self,
                SoupServerMessage *msg,
                const char        *client_id)
{
  g_autoptr(GError) error = NULL;

  if (openiot_hubd_registry_revoke (self->registry, client_id, &error))
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND))
    openiot_hub_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "%s", error->message);
  else
    openiot_hub_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error", "%s",
                                    error->message);
}

static void
handle_admin (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  OpenIotHubdAdmin *self = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (!peer_is_allowed (msg))
    {
      g_warning ("Refused an admin request from another user");
      openiot_hub_http_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                                      "Only the hub's own user may administer it");
      return;
    }

  if (g_str_equal (path, "/status") && g_str_equal (method, "GET"))
    respond_status (self, msg);
  else if (g_str_equal (path, "/pairing-code") && g_str_equal (method, "POST"))
    respond_pairing_code (self, msg);
  else if (g_str_equal (path, "/rotate-certificate") && g_str_equal (method, "POST"))
    respond_rotate (self, msg);
  else if (g_str_equal (path, "/clients") && g_str_equal (method, "GET"))
    respond_clients (self, msg);
  else if (g_str_has_prefix (path, "/clients/") && g_str_equal (method, "DELETE"))
    respond_revoke (self, msg, path + strlen ("/clients/"));
  else
    openiot_hub_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                                    "No such admin request: %s %s", method, path);
}

gboolean
openiot_hubd_admin_listen (OpenIotHubdAdmin  *self,
                          const char       *socket_path,
                          GError          **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  mode_t old_umask;
  gboolean bound;

  g_unlink (socket_path);
  if (!(socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                               G_SOCKET_PROTOCOL_DEFAULT, error)))
    return FALSE;

  /* Created 0600 from the start: no window in which others could connect. */
  address = g_unix_socket_address_new (socket_path);
  old_umask = umask (0177);
  bound = g_socket_bind (socket, address, FALSE, error);
  umask (old_umask);

  if (!bound || !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, 0, error))
    return FALSE;

  g_free (self->socket_path);
  self->socket_path = g_strdup (socket_path);
  return TRUE;
}

OpenIotHubdAdmin *
openiot_hubd_admin_new (const OpenIotHubdAdminContext *context)
{
  OpenIotHubdAdmin *self = g_object_new (OPENIOT_TYPE_HUBD_ADMIN, NULL);

  self->state = g_object_ref (context->state);
  self->registry = g_object_ref (context->registry);
  self->pairing = g_object_ref (context->pairing);
  self->proxy = g_object_ref (context->proxy);
  self->addresses = json_node_ref (context->addresses);
  self->link_host = g_strdup (context->link_host);
  self->port = context->port;
  self->pairing_port = context->pairing_port;

  self->soup = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_handler (self->soup, NULL, handle_admin, self, NULL);
  return self;
}

static void
openiot_hubd_admin_finalize (GObject *object)
{
  OpenIotHubdAdmin *self = OPENIOT_HUBD_ADMIN (object);

  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  if (self->socket_path != NULL)
    g_unlink (self->socket_path);
  g_free (self->socket_path);
  g_clear_object (&self->state);
  g_clear_object (&self->registry);
  g_clear_object (&self->pairing);
  g_clear_object (&self->proxy);
  g_clear_pointer (&self->addresses, json_node_unref);
  g_free (self->link_host);

  G_OBJECT_CLASS (openiot_hubd_admin_parent_class)->finalize (object);
}

static void
openiot_hubd_admin_class_init (OpenIotHubdAdminClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hubd_admin_finalize;
}

static void
openiot_hubd_admin_init (OpenIotHubdAdmin *self)
{
}
