// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#include <string.h>
#include <gnutls/crypto.h>
#include <libopeniot.h>

#include "openiot-json-private.h"
#include "openiot-protocol-private.h"
#include "openiot-srp-private.h"

#include "openiot-hub-pairing.h"

#define HANDSHAKE_TIMEOUT_MS 10000
#define MAX_HEADER_BYTES (16 * 1024)
#define MAX_BODY_BYTES (64 * 1024)
#define MAX_CONCURRENT 8

/*
 * Registration (docs/protocol.md, "Pairing"): a one-time code, TLS-SRP on
 * the pairing port, one POST /open-iot/v1/pair inside it.
 *
 * Handshakes run in worker threads, so the code's state is under a mutex.
 * An attempt is counted when a client asks for the SRP verifier, before it
 * proves anything, and given back only when the handshake succeeds: even
 * many parallel guesses can never get more than five tries at the code.
 */
struct _OpenIotHubPairing
{
  GObject             parent_instance;

  OpenIotHubRegistry *registry;
  GSocketService     *service;

  GMutex              mutex;
  char               *code;
  gint64              expires_monotonic;
  GDateTime          *expires;
  guint               attempts;
  guint               in_flight;
  char               *hub_json;   /* the "hub" member of a 201, kept current */
  guint16             port;
  JsonNode           *addresses;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (OpenIotHubPairing, openiot_hub_pairing, G_TYPE_OBJECT)

static void
clear_code_locked (OpenIotHubPairing *self)
{
  if (self->code != NULL)
    memset (self->code, 0, strlen (self->code));
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->expires, g_date_time_unref);
  self->attempts = 0;
}

static gboolean
is_open_locked (OpenIotHubPairing *self)
{
  if (self->code == NULL)
    return FALSE;

  if (g_get_monotonic_time () >= self->expires_monotonic)
    {
      g_message ("The pairing code expired");
      clear_code_locked (self);
      return FALSE;
    }

  return TRUE;
}

static gboolean
emit_changed_idle (gpointer data)
{
  g_signal_emit (data, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

/* "changed" is for the main loop (DNS-SD TXT records): queue it there
 * whichever thread noticed. */
static void
queue_changed (OpenIotHubPairing *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_changed_idle, g_object_ref (self), g_object_unref);
}

static char *
generate_code (void)
{
  guint32 value;

  /* Rejection sampling keeps all 10^8 codes equally likely. */
  do
    gnutls_rnd (GNUTLS_RND_KEY, &value, sizeof value);
  while (value >= 4200000000u);

  return g_strdup_printf ("%08u", value % 100000000u);
}

char *
openiot_hub_pairing_open (OpenIotHubPairing  *self,
                          guint               ttl_seconds,
                          GDateTime         **expires)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  char *code;

  clear_code_locked (self);
  self->code = generate_code ();
  self->expires_monotonic = g_get_monotonic_time () + (gint64) ttl_seconds * G_USEC_PER_SEC;
  self->expires = g_date_time_add_seconds (now, ttl_seconds);
  code = g_strdup (self->code);

  if (expires != NULL)
    *expires = g_date_time_ref (self->expires);

  g_message ("Opened a pairing code for %u seconds", ttl_seconds);
  g_clear_pointer (&locker, g_mutex_locker_free);
  queue_changed (self);
  return code;
}

void
openiot_hub_pairing_get_status (OpenIotHubPairing *self,
                                gboolean          *open,
                                guint             *attempts_left,
                                gint64            *expires_in)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gboolean is_open = is_open_locked (self);

  *open = is_open;
  *attempts_left = is_open ? OPENIOT_HUB_PAIRING_MAX_ATTEMPTS - MIN (self->attempts, OPENIOT_HUB_PAIRING_MAX_ATTEMPTS) : 0;
  *expires_in = is_open ? (self->expires_monotonic - g_get_monotonic_time ()) / G_USEC_PER_SEC : 0;
}

JsonNode *
openiot_hub_pairing_status_to_json (OpenIotHubPairing *self,
                                    guint16            pairing_port)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean open;
  guint attempts_left;
  gint64 expires_in;

  openiot_hub_pairing_get_status (self, &open, &attempts_left, &expires_in);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "open");
  json_builder_add_boolean_value (builder, open);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, pairing_port);
  if (open)
    {
      json_builder_set_member_name (builder, "attempts_left");
      json_builder_add_int_value (builder, attempts_left);
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, expires_in);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Runs in the worker thread, from inside the SRP handshake. */
static char *
lookup_password (const char *username,
                 gpointer    user_data)
{
  OpenIotHubPairing *self = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (g_strcmp0 (username, OPENIOT_SRP_USERNAME) != 0 || !is_open_locked (self))
    return NULL;

  if (self->attempts >= OPENIOT_HUB_PAIRING_MAX_ATTEMPTS)
    return NULL;

  self->attempts++;
  return g_strdup (self->code);
}

static void
record_handshake (OpenIotHubPairing *self,
                  gboolean           succeeded)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (succeeded)
    {
      self->attempts--;
      return;
    }

  g_warning ("Pairing attempt with a wrong code (%u of %d)", self->attempts, OPENIOT_HUB_PAIRING_MAX_ATTEMPTS);
  if (self->attempts >= OPENIOT_HUB_PAIRING_MAX_ATTEMPTS && self->code != NULL)
    {
      g_warning ("Too many wrong pairing codes: the code is burnt; open a new one with “openiot-hub pairing-code”");
      clear_code_locked (self);
      g_clear_pointer (&locker, g_mutex_locker_free);
      queue_changed (self);
    }
}

static void
consume_code (OpenIotHubPairing *self)
{
  g_mutex_lock (&self->mutex);
  clear_code_locked (self);
  g_mutex_unlock (&self->mutex);
  queue_changed (self);
}

static gboolean
write_json (OpenIotSrpSession *session,
            guint              status,
            const char        *json,
            GError           **error)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  return _openiot_srp_session_write_response (session, status, "application/json", body, error);
}

static gboolean
write_error (OpenIotSrpSession *session,
             guint              status,
             const char        *code,
             const char        *message)
{
  g_autofree char *json = _openiot_protocol_error_json (code, message);

  return write_json (session, status, json, NULL);
}

static char *
build_response (OpenIotHubPairing *self,
                OpenIotHubClient  *client)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  /* hub_json already holds "hub", "addresses" and "port" */
  return g_strdup_printf ("{\"client_id\":\"%s\",%s", client->id, self->hub_json + 1);
}

/* A member that is there but no string (a number, an object, …) counts as
 * missing: asking json-glib for it as a string would be a critical. */
static const char *
get_string_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/*
 * openiot_hub_pairing_check_request:
 * @body: the body of a POST /open-iot/v1/pair
 * @name: (out) (transfer full): the name the device asks for
 * @certificate_pem: (out) (transfer full): the device's certificate
 * @error: return location for a #GError
 *
 * Everything the hub checks of a registration before the registry is
 * touched: a JSON object whose "name" and "certificate" pass
 * openiot_hub_registry_check_client(). Needs no connection and no state,
 * so tests/fuzz/fuzz-pairing-request.c can feed it anything.
 *
 * Returns: %TRUE, or %FALSE with %OPENIOT_ERROR_INVALID_DATA (not a JSON
 *   object), %OPENIOT_HUB_REGISTRY_ERROR_INVALID_NAME or
 *   %OPENIOT_HUB_REGISTRY_ERROR_INVALID_CERTIFICATE
 */
gboolean
openiot_hub_pairing_check_request (GBytes  *body,
                                   char   **name,
                                   char   **certificate_pem,
                                   GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  JsonObject *object;
  const char *data, *name_member, *certificate_member;
  gsize size;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (name != NULL && certificate_pem != NULL, FALSE);

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
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA, "The body must be a JSON object");
      return FALSE;
    }

  object = json_node_get_object (root);
  name_member = get_string_member (object, "name");
  certificate_member = get_string_member (object, "certificate");

  if (!openiot_hub_registry_check_client (name_member, certificate_member, NULL, error))
    return FALSE;

  *name = g_strdup (name_member);
  *certificate_pem = g_strdup (certificate_member);
  return TRUE;
}

static void
write_registration_error (OpenIotSrpSession *session,
                          const GError      *error)
{
  if (g_error_matches (error, OPENIOT_HUB_REGISTRY_ERROR, OPENIOT_HUB_REGISTRY_ERROR_ALREADY_REGISTERED))
    write_error (session, SOUP_STATUS_CONFLICT, "already-registered", error->message);
  else if (g_error_matches (error, OPENIOT_HUB_REGISTRY_ERROR, OPENIOT_HUB_REGISTRY_ERROR_INVALID_NAME))
    write_error (session, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message);
  else if (g_error_matches (error, OPENIOT_HUB_REGISTRY_ERROR, OPENIOT_HUB_REGISTRY_ERROR_INVALID_CERTIFICATE))
    write_error (session, SOUP_STATUS_BAD_REQUEST, "invalid-certificate", error->message);
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA))
    write_error (session, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message);
  else
    write_error (session, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error", error->message);
}

static void
handle_pair_request (OpenIotHubPairing *self,
                     OpenIotSrpSession *session)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(OpenIotHubClient) client = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *response = NULL;

  if (!_openiot_srp_session_read_request (session, MAX_HEADER_BYTES, MAX_BODY_BYTES,
                                          &method, &path, headers, &body, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        write_error (session, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large", error->message);
      else
        write_error (session, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message);
      return;
    }

  if (g_strcmp0 (path, OPENIOT_PATH_PAIR) != 0)
    {
      write_error (session, SOUP_STATUS_NOT_FOUND, "not-found", "The pairing port only serves " OPENIOT_PATH_PAIR);
      return;
    }

  if (g_strcmp0 (method, "POST") != 0)
    {
      write_error (session, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Use POST");
      return;
    }

  /* The registry checks name and certificate again: cheap, and it stays
   * safe on its own for its other callers. */
  if (!openiot_hub_pairing_check_request (body, &name, &certificate, &error) ||
      !(client = openiot_hub_registry_add (self->registry, name, certificate, &error)))
    {
      write_registration_error (session, error);
      return;
    }

  consume_code (self);
  response = build_response (self, client);
  if (!write_json (session, SOUP_STATUS_CREATED, response, &error))
    g_warning ("Registered client %s but could not send the answer: %s", client->id, error->message);
}

static void
pairing_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OpenIotHubPairing *self = source_object;
  GSocketConnection *connection = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotSrpSession) session = NULL;

  session = _openiot_srp_server_handshake (g_socket_connection_get_socket (connection),
                                           lookup_password, self, HANDSHAKE_TIMEOUT_MS, &error);
  if (session == NULL)
    {
      if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED))
        record_handshake (self, FALSE);
      else
        g_message ("Pairing handshake failed: %s", error->message);
    }
  else
    {
      record_handshake (self, TRUE);
      handle_pair_request (self, session);
    }

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_mutex_lock (&self->mutex);
  self->in_flight--;
  g_mutex_unlock (&self->mutex);
  g_task_return_boolean (task, TRUE);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  OpenIotHubPairing *self = user_data;
  g_autoptr(GTask) task = NULL;
  gboolean busy;

  g_mutex_lock (&self->mutex);
  busy = self->in_flight >= MAX_CONCURRENT;
  if (!busy)
    self->in_flight++;
  g_mutex_unlock (&self->mutex);

  if (busy)
    {
      g_message ("Too many pairing attempts at once; dropping a connection");
      return FALSE;
    }

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, on_incoming);
  g_task_set_task_data (task, g_object_ref (connection), g_object_unref);
  g_task_run_in_thread (task, pairing_thread);
  return TRUE;
}

gboolean
openiot_hub_pairing_listen (OpenIotHubPairing  *self,
                            GSocketAddress     *address,
                            GError            **error)
{
  return g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                        G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                        NULL, NULL, error);
}

static void
update_hub_json (OpenIotHubPairing *self,
                 OpenIotHubState   *state,
                 guint16            port,
                 JsonNode          *addresses)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "hub");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, openiot_hub_state_get_id (state));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, openiot_hub_state_get_name (state));
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_string_value (builder, openiot_hub_state_get_fingerprint (state));
  json_builder_set_member_name (builder, "certificate_pem");
  json_builder_add_string_value (builder, openiot_hub_state_get_certificate_pem (state));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "addresses");
  json_builder_add_value (builder, json_node_copy (addresses));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, port);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  g_mutex_lock (&self->mutex);
  g_free (self->hub_json);
  self->hub_json = json_to_string (root, FALSE);
  g_mutex_unlock (&self->mutex);
}

static void
on_certificate_changed (OpenIotHubState   *state,
                        GParamSpec        *pspec,
                        OpenIotHubPairing *self)
{
  update_hub_json (self, state, self->port, self->addresses);
}

OpenIotHubPairing *
openiot_hub_pairing_new (OpenIotHubState    *state,
                         OpenIotHubRegistry *registry,
                         guint16             port,
                         JsonNode           *addresses)
{
  OpenIotHubPairing *self = g_object_new (OPENIOT_TYPE_HUB_PAIRING, NULL);

  self->registry = g_object_ref (registry);
  self->port = port;
  self->addresses = json_node_ref (addresses);
  update_hub_json (self, state, port, addresses);

  /* A rotation changes what newly paired clients must pin. */
  g_signal_connect_object (state, "notify::tls-certificate", G_CALLBACK (on_certificate_changed), self, 0);
  return self;
}

static void
openiot_hub_pairing_finalize (GObject *object)
{
  OpenIotHubPairing *self = OPENIOT_HUB_PAIRING (object);

  g_socket_service_stop (self->service);
  g_clear_object (&self->service);
  g_clear_object (&self->registry);
  clear_code_locked (self);
  g_free (self->hub_json);
  g_clear_pointer (&self->addresses, json_node_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (openiot_hub_pairing_parent_class)->finalize (object);
}

static void
openiot_hub_pairing_class_init (OpenIotHubPairingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hub_pairing_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
openiot_hub_pairing_init (OpenIotHubPairing *self)
{
  g_mutex_init (&self->mutex);
  self->service = g_socket_service_new ();
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
}
