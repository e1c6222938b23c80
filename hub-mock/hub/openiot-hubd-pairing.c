// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <libopeniot.h>

#include "openiot-json-private.h"
#include "openiot-pairing-message-private.h"
#include "openiot-protocol-private.h"
#include "openiot-srp-private.h"

#include "openiot-hubd-pairing-code.h"
#include "openiot-hubd-pairing.h"

/* For everything a peer sends, handshake and request together. */
#define SESSION_DEADLINE_MS 10000
#define MAX_HEADER_BYTES (16 * 1024)
#define MAX_BODY_BYTES (64 * 1024)
/* Sessions at once: each holds a GTask worker thread. Evicted sessions
 * still finishing may take a few more threads for a moment. */
#define MAX_CONCURRENT 8
#define MAX_THREADS (MAX_CONCURRENT + MAX_CONCURRENT / 2)
/* How long an address whose handshake was refused may read why, and how
 * many such addresses are remembered */
#define REFUSED_WINDOW_US (60 * G_USEC_PER_SEC)
#define REFUSED_MAX 1024

/*
 * Registration (docs/protocol.md, "Pairing"): a one-time code, TLS-SRP on
 * the pairing port, one POST /open-iot/v1/pair inside it.
 *
 * Handshakes run in worker threads, so the code's state is under a mutex.
 * An attempt is counted when a client asks for the SRP verifier, before it
 * proves anything, and given back only when the handshake succeeds: even
 * many parallel guesses can never get more than five tries at the code.
 */
struct _OpenIotHubdPairing
{
  GObject             parent_instance;

  OpenIotHubdRegistry *registry;
  GSocketService     *service;

  GMutex              mutex;
  OpenIotHubdPairingCode *code; /* the last one opened, maybe dead */
  GPtrArray          *sessions;   /* of Attempt, oldest first */
  GHashTable         *refused;    /* address → when its handshake was refused */
  JsonNode           *reply;      /* a 201's body but for the client id, kept current */
  guint16             port;
  JsonNode           *addresses;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (OpenIotHubdPairing, openiot_hubd_pairing, G_TYPE_OBJECT)

/* One connection to the pairing port, from its worker thread. */
typedef struct
{
  OpenIotHubdPairing     *pairing;
  GSocketConnection     *connection;
  OpenIotHubdPairingCode *code;  /* the code its handshake was checked against */
  char                  *address;       /* the peer's, for the guess limits */
  gboolean               guessing;      /* a guess is reserved */
  gboolean               authenticated; /* under the mutex, as is evicted */
  gboolean               evicted;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->connection);
  g_free (attempt->address);
  g_clear_pointer (&attempt->code, openiot_hubd_pairing_code_unref);
  g_free (attempt);
}

static gboolean
is_open_locked (OpenIotHubdPairing *self)
{
  return self->code != NULL &&
         openiot_hubd_pairing_code_get_state (self->code) == OPENIOT_HUBD_PAIRING_CODE_OPEN;
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
queue_changed (OpenIotHubdPairing *self)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, emit_changed_idle, g_object_ref (self), g_object_unref);
}

char *
openiot_hubd_pairing_open (OpenIotHubdPairing  *self,
                          guint               ttl_seconds,
                          GDateTime         **expires)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  char *code;

  if (self->code != NULL)
    openiot_hubd_pairing_code_replace (self->code);
  g_clear_pointer (&self->code, openiot_hubd_pairing_code_unref);
  self->code = openiot_hubd_pairing_code_new (ttl_seconds);
  code = g_strdup (openiot_hubd_pairing_code_get_code (self->code));

  if (expires != NULL)
    *expires = g_date_time_ref (openiot_hubd_pairing_code_get_expires (self->code));

  g_message ("Opened a pairing code for %u seconds", ttl_seconds);
  g_clear_pointer (&locker, g_mutex_locker_free);
  queue_changed (self);
  return code;
}

/* Whether @address had a handshake refused in the last
 * REFUSED_WINDOW_US: only it may read whether a code is open. */
static gboolean
was_refused_locked (OpenIotHubdPairing *self,
                    const char         *address)
{
  gpointer when;

  return address != NULL && g_hash_table_lookup_extended (self->refused, address, NULL, &when) &&
         g_get_monotonic_time () - GPOINTER_TO_SIZE (when) < REFUSED_WINDOW_US;
}

/* @address: who asks (the public status), or %NULL for the owner */
static JsonNode *
status_to_json (OpenIotHubdPairing *self,
                guint16             pairing_port,
                const char         *address)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gboolean for_admin = address == NULL;
  gboolean open = is_open_locked (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, pairing_port);
  /* Whether a code is open is for the owner, and for an address that just
   * failed a handshake, to say why (docs/protocol.md): a stranger would
   * watch for the owner opening one. */
  if (for_admin || was_refused_locked (self, address))
    {
      json_builder_set_member_name (builder, "open");
      json_builder_add_boolean_value (builder, open);
      if (open)
        {
          guint attempts_left =
            for_admin ? openiot_hubd_pairing_code_get_attempts_left (self->code)
                      : openiot_hubd_pairing_code_get_attempts_left_for (self->code, address);

          json_builder_set_member_name (builder, "attempts_left");
          json_builder_add_int_value (builder, attempts_left);
        }
    }
  /* When the code closes (and so when it was opened) is the owner's to
   * know: a stranger would time its guesses by it. */
  if (open && for_admin)
    {
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, openiot_hubd_pairing_code_get_expires_in (self->code));
    }
  if (for_admin && self->code != NULL)
    openiot_hubd_pairing_code_describe (self->code, builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* For /.well-known/open-iot, asked by @address: what a client that just
 * failed a handshake needs to explain it, nothing about who tried. */
JsonNode *
openiot_hubd_pairing_status_to_json (OpenIotHubdPairing *self,
                                    guint16            pairing_port,
                                    const char        *address)
{
  /* Never the owner's view, even when the peer's address is unknown */
  return status_to_json (self, pairing_port, address != NULL ? address : "");
}

/* For the owner (admin socket): also why the last code died and which
 * addresses guessed wrong. */
JsonNode *
openiot_hubd_pairing_status_to_admin_json (OpenIotHubdPairing *self,
                                          guint16            pairing_port)
{
  return status_to_json (self, pairing_port, NULL);
}

/* Notes that @address had a handshake refused, so that it may read why
 * (was_refused_locked()). Old entries go as new ones come; the table
 * never holds more than REFUSED_MAX addresses. */
static void
note_refused (OpenIotHubdPairing *self,
              const char         *address)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer when;

  g_hash_table_iter_init (&iter, self->refused);
  while (g_hash_table_iter_next (&iter, NULL, &when))
    if (now - GPOINTER_TO_SIZE (when) >= REFUSED_WINDOW_US)
      g_hash_table_iter_remove (&iter);
  if (g_hash_table_size (self->refused) < REFUSED_MAX ||
      g_hash_table_contains (self->refused, address))
    g_hash_table_insert (self->refused, g_strdup (address), GSIZE_TO_POINTER (now));
}

/* Runs in the worker thread, from inside the SRP handshake. */
static char *
lookup_password (const char *username,
                 gpointer    user_data)
{
  Attempt *attempt = user_data;
  OpenIotHubdPairing *self = attempt->pairing;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (g_strcmp0 (username, OPENIOT_SRP_USERNAME) != 0 || !is_open_locked (self) ||
      !openiot_hubd_pairing_code_reserve_guess (self->code, attempt->address))
    return NULL;

  attempt->guessing = TRUE;
  g_clear_pointer (&attempt->code, openiot_hubd_pairing_code_unref);
  attempt->code = openiot_hubd_pairing_code_ref (self->code);
  return g_strdup (openiot_hubd_pairing_code_get_code (self->code));
}

/* @wrong: the peer proved a wrong code; anything else (success, a peer
 * that went away or quiet before its proof) gives the guess back. */
static void
record_handshake (OpenIotHubdPairing *self,
                  Attempt           *attempt,
                  gboolean           wrong)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  if (!attempt->guessing)
    return;

  attempt->guessing = FALSE;
  if (openiot_hubd_pairing_code_end_guess (attempt->code, attempt->address, wrong))
    {
      g_warning ("Too many wrong pairing codes: the code is locked; "
                 "open a new one with “openiot-hub pairing-code”");
      g_clear_pointer (&locker, g_mutex_locker_free);
      queue_changed (self);
    }
}

static gboolean
claim_code (OpenIotHubdPairing      *self,
            OpenIotHubdPairingCode  *code,
            const char            **reason)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return openiot_hubd_pairing_code_claim (code, reason);
}

static void
release_code (OpenIotHubdPairing     *self,
              OpenIotHubdPairingCode *code,
              gboolean               used)
{
  g_mutex_lock (&self->mutex);
  openiot_hubd_pairing_code_release (code, used);
  g_mutex_unlock (&self->mutex);
  if (used)
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
write_error_with_reason (OpenIotSrpSession *session,
                         guint              status,
                         const char        *code,
                         const char        *message,
                         const char        *reason)
{
  g_autofree char *json = _openiot_protocol_error_json_full (code, message, reason);

  return write_json (session, status, json, NULL);
}

static gboolean
write_error (OpenIotSrpSession *session,
             guint              status,
             const char        *code,
             const char        *message)
{
  return write_error_with_reason (session, status, code, message, NULL);
}

static GBytes *
build_response (OpenIotHubdPairing *self,
                OpenIotHubdClient  *client)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  return _openiot_pairing_reply_for (self->reply, client->id);
}

/*
 * openiot_hubd_pairing_check_request:
 * @body: the body of a POST /open-iot/v1/pair
 * @name: (out) (transfer full): the name the device asks for
 * @certificate_pem: (out) (transfer full): the device's certificate
 * @error: return location for a #GError
 *
 * Everything the hub checks of a registration before the registry is
 * touched: a JSON object whose "name" and "certificate" pass
 * openiot_hubd_registry_check_client(). Needs no connection and no state,
 * so tests/fuzz/fuzz-pairing-request.c can feed it anything.
 *
 * Returns: %TRUE, or %FALSE with %OPENIOT_ERROR_INVALID_DATA (not a JSON
 *   object), %OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME or
 *   %OPENIOT_HUBD_REGISTRY_ERROR_INVALID_CERTIFICATE
 */
gboolean
openiot_hubd_pairing_check_request (GBytes  *body,
                                   char   **name,
                                   char   **certificate_pem,
                                   GError **error)
{
  g_autofree char *name_member = NULL;
  g_autofree char *certificate_member = NULL;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (name != NULL && certificate_pem != NULL, FALSE);

  if (!_openiot_pairing_request_parse (body, &name_member, &certificate_member, error) ||
      !openiot_hubd_registry_check_client (name_member, certificate_member, NULL, error))
    return FALSE;

  *name = g_steal_pointer (&name_member);
  *certificate_pem = g_steal_pointer (&certificate_member);
  return TRUE;
}

static void
write_registration_error (OpenIotSrpSession *session,
                          const GError      *error)
{
  if (g_error_matches (error, OPENIOT_HUBD_REGISTRY_ERROR,
                       OPENIOT_HUBD_REGISTRY_ERROR_ALREADY_REGISTERED))
    write_error (session, SOUP_STATUS_CONFLICT, "already-registered", error->message);
  else if (g_error_matches (error, OPENIOT_HUBD_REGISTRY_ERROR,
                            OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME))
    write_error_with_reason (session, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message,
                             "invalid-name");
  else if (g_error_matches (error, OPENIOT_HUBD_REGISTRY_ERROR,
                            OPENIOT_HUBD_REGISTRY_ERROR_INVALID_CERTIFICATE))
    write_error (session, SOUP_STATUS_BAD_REQUEST, "invalid-certificate", error->message);
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA))
    write_error (session, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message);
  else
    write_error (session, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal-error", error->message);
}

static void
handle_pair_request (OpenIotHubdPairing     *self,
                     OpenIotHubdPairingCode *code,
                     OpenIotSrpSession     *session)
{
  const char *reason = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(OpenIotHubdClient) client = NULL;
  g_autofree char *method = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  g_autofree char *certificate = NULL;
  g_autoptr(GBytes) response = NULL;

  if (!_openiot_srp_session_read_request (session, MAX_HEADER_BYTES, MAX_BODY_BYTES,
                                          &method, &path, headers, &body, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE))
        write_error (session, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                     error->message);
      else
        write_error (session, SOUP_STATUS_BAD_REQUEST, "bad-request", error->message);
      return;
    }

  if (g_strcmp0 (path, OPENIOT_PATH_PAIR) != 0)
    {
      write_error (session, SOUP_STATUS_NOT_FOUND, "not-found",
                   "The pairing port only serves " OPENIOT_PATH_PAIR);
      return;
    }

  if (g_strcmp0 (method, "POST") != 0)
    {
      write_error (session, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", "Use POST");
      return;
    }

  if (!openiot_hubd_pairing_check_request (body, &name, &certificate, &error))
    {
      write_registration_error (session, error);
      return;
    }

  /* The handshake proved the peer knew the code then; whether the code
   * still admits a device is decided now, once (docs/protocol.md). */
  if (!claim_code (self, code, &reason))
    {
      g_message ("Refused a registration: the pairing code is gone (%s)", reason);
      write_error_with_reason (session, SOUP_STATUS_GONE, "pairing-code-gone",
                               "The pairing code expired, was used, locked or replaced; "
                               "open a new one", reason);
      return;
    }

  /* The registry checks name and certificate again: cheap, and it stays
   * safe on its own for its other callers. */
  client = openiot_hubd_registry_add (self->registry, name, certificate, &error);
  release_code (self, code, client != NULL);
  if (client == NULL)
    {
      write_registration_error (session, error);
      return;
    }

  response = build_response (self, client);
  if (!_openiot_srp_session_write_response (session, SOUP_STATUS_CREATED, "application/json",
                                            response, &error))
    g_warning ("Registered client %s but could not send the answer: %s", client->id,
               error->message);
}

static void
pairing_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OpenIotHubdPairing *self = source_object;
  Attempt *attempt = task_data;
  GSocketConnection *connection = attempt->connection;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotSrpSession) session = NULL;

  session = _openiot_srp_server_handshake (g_socket_connection_get_socket (connection),
                                           lookup_password, attempt, SESSION_DEADLINE_MS, &error);
  if (session == NULL)
    {
      record_handshake (self, attempt,
                        g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED));
      /* A wrong code, or none open (or this address shut out) */
      if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED) ||
          g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_CLOSED))
        note_refused (self, attempt->address);
      if (!g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED))
        g_message ("Pairing handshake failed: %s", error->message);
    }
  else
    {
      record_handshake (self, attempt, FALSE);
      g_mutex_lock (&self->mutex);
      attempt->authenticated = TRUE;
      g_mutex_unlock (&self->mutex);
      handle_pair_request (self, attempt->code, session);
    }

  /* Out of the list before the socket closes: eviction shuts sockets
   * down by fd, which must still be this connection's. */
  g_mutex_lock (&self->mutex);
  g_ptr_array_remove (self->sessions, attempt);
  g_mutex_unlock (&self->mutex);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_task_return_boolean (task, TRUE);
}

/*
 * Pairing slots are few (each is a thread), and a stranger can fill them
 * with connections that never finish a handshake. When all are taken, a
 * new connection takes the slot of the oldest one that has not proved the
 * code: a jammer must keep opening connections faster than a device
 * completes its handshake (one round trip and the SRP computation), and a
 * session that proved the code is never pushed out. Each session also has
 * a deadline (SESSION_DEADLINE_MS) for all it sends.
 */
static gboolean
make_room_locked (OpenIotHubdPairing *self)
{
  guint active = 0;
  Attempt *oldest = NULL;

  for (guint i = 0; i < self->sessions->len; i++)
    {
      Attempt *attempt = g_ptr_array_index (self->sessions, i);

      if (attempt->evicted)
        continue;
      active++;
      if (oldest == NULL && !attempt->authenticated)
        oldest = attempt;
    }

  if (self->sessions->len >= MAX_THREADS)
    return FALSE;
  if (active < MAX_CONCURRENT)
    return TRUE;
  if (oldest == NULL)
    return FALSE;

  /* Wakes its worker thread from its wait: it sees the end of the stream. */
  g_debug ("All pairing slots are taken; closing the oldest unproved session");
  oldest->evicted = TRUE;
  shutdown (g_socket_get_fd (g_socket_connection_get_socket (oldest->connection)), SHUT_RDWR);
  return TRUE;
}

static char *
peer_address (GSocketConnection *connection)
{
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  GInetAddress *address;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup ("unknown");
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  return g_inet_address_to_string (address);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  OpenIotHubdPairing *self = user_data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  Attempt *attempt;

  if (!make_room_locked (self))
    {
      g_message ("Too many pairing sessions at once; dropping a connection");
      return FALSE;
    }

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, on_incoming);
  attempt = g_new0 (Attempt, 1);
  attempt->pairing = self;
  attempt->connection = g_object_ref (connection);
  attempt->address = peer_address (connection);
  g_ptr_array_add (self->sessions, attempt);
  g_task_set_task_data (task, attempt, (GDestroyNotify) attempt_free);
  g_task_run_in_thread (task, pairing_thread);
  return TRUE;
}

gboolean
openiot_hubd_pairing_listen (OpenIotHubdPairing  *self,
                            GSocketAddress     *address,
                            GError            **error)
{
  return g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                        G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                        NULL, NULL, error);
}

static void
update_hub_json (OpenIotHubdPairing *self,
                 OpenIotHubdState   *state,
                 guint16            port,
                 JsonNode          *addresses)
{
  JsonNode *reply = _openiot_pairing_reply_new (openiot_hubd_state_get_id (state),
                                                openiot_hubd_state_get_name (state),
                                                openiot_hubd_state_get_fingerprint (state),
                                                openiot_hubd_state_get_certificate_pem (state),
                                                addresses, port);

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->reply, json_node_unref);
  self->reply = reply;
  g_mutex_unlock (&self->mutex);
}

static void
on_certificate_changed (OpenIotHubdState   *state,
                        GParamSpec        *pspec,
                        OpenIotHubdPairing *self)
{
  update_hub_json (self, state, self->port, self->addresses);
}

OpenIotHubdPairing *
openiot_hubd_pairing_new (OpenIotHubdState    *state,
                         OpenIotHubdRegistry *registry,
                         guint16             port,
                         JsonNode           *addresses)
{
  OpenIotHubdPairing *self = g_object_new (OPENIOT_TYPE_HUBD_PAIRING, NULL);

  self->registry = g_object_ref (registry);
  self->port = port;
  self->addresses = json_node_ref (addresses);
  update_hub_json (self, state, port, addresses);

  /* A rotation changes what newly paired clients must pin. */
  g_signal_connect_object (state, "notify::tls-certificate", G_CALLBACK (on_certificate_changed),
                           self, 0);
  return self;
}

static void
openiot_hubd_pairing_finalize (GObject *object)
{
  OpenIotHubdPairing *self = OPENIOT_HUBD_PAIRING (object);

  g_socket_service_stop (self->service);
  g_clear_object (&self->service);
  g_clear_object (&self->registry);
  g_clear_pointer (&self->code, openiot_hubd_pairing_code_unref);
  g_clear_pointer (&self->sessions, g_ptr_array_unref);
  g_clear_pointer (&self->refused, g_hash_table_unref);
  g_clear_pointer (&self->reply, json_node_unref);
  g_clear_pointer (&self->addresses, json_node_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (openiot_hubd_pairing_parent_class)->finalize (object);
}

static void
openiot_hubd_pairing_class_init (OpenIotHubdPairingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hubd_pairing_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
openiot_hubd_pairing_init (OpenIotHubdPairing *self)
{
  g_mutex_init (&self->mutex);
  self->sessions = g_ptr_array_new ();
  self->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->service = g_socket_service_new ();
  g_signal_connect (self->service, "incoming", G_CALLBACK (on_incoming), self);
}
