// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-hub-connection"

#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "openiot-address-list-private.h"
#include "openiot-certificate-private.h"
#include "openiot-enums.h"
#include "openiot-error.h"
#include "openiot-fingerprint.h"
#include "openiot-message-private.h"
#include "openiot-pin-database-private.h"
#include "openiot-protocol-private.h"
#include "openiot-read-bounded-private.h"

#include "openiot-hub-connection-private.h"

#define HUB_URI "https://hub.invalid"
#define TIMEOUT_SECONDS 30
/* Below the hub's own (60 s, docs/protocol.md): a connection is given up
 * here first, so a request is not sent on one the hub is closing. */
#define IDLE_TIMEOUT_SECONDS 45
/* A long-poll is answered when something happens: within the hub's
 * service timeout (5 minutes, docs/protocol.md), plus a margin. */
#define LONG_POLL_TIMEOUT_SECONDS 360
#define MAX_CONNECTIONS 48
/* Applied while reading (openiot-read-bounded.c): a Thing Description,
 * a property value, an action's output; an error is a sentence. */
#define MAX_ANSWER_SIZE (1024 * 1024)
#define MAX_ERROR_SIZE  (64 * 1024)

/**
 * OpenIotHubConnection:
 *
 * Requests to one paired hub over mutual TLS, pinned to the hub's
 * certificate. A server presenting any other certificate is refused during
 * the handshake, before this device's certificate or any request is sent
 * (docs/protocol.md, "Transport"); the operation then fails with
 * %OPENIOT_ERROR_CERTIFICATE_CHANGED, and the connection tells whether the
 * new certificate carries a rotation proof signed by the pinned one.
 * Nothing changes until the user decides.
 */
struct _OpenIotHubConnection
{
  GObject           parent_instance;

  OpenIotHubRecord *record;
  OpenIotIdentity  *identity;
  SoupSession      *session;
  SoupSession      *long_poll_session;
  GNetworkMonitor  *monitor;
  char             *last_good;
  OpenIotNetworkRoute   route;
  char             *presented_fingerprint;
  char             *presented_pem;
  gboolean          rotation_verified;
};

G_DEFINE_FINAL_TYPE (OpenIotHubConnection, openiot_hub_connection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROUTE,
  PROP_ADDRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  SoupMessage *msg;
  SoupMessage *check;
  SoupSession *proof_session;
  GBytes      *body;
  char        *presented;
  char        *presented_pem;
  GCancellable *cancellable;   /* the caller's, and libsoup's resends */
  GCancellable *caller_cancellable;
  gulong       caller_cancelled_id;
  guint        status;
  gboolean     stream;
  gboolean     hub_api;
  gboolean     resend_refused;
} SendData;

static void
send_data_free (SendData *data)
{
  if (data->caller_cancellable != NULL)
    g_cancellable_disconnect (data->caller_cancellable, data->caller_cancelled_id);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  g_clear_object (&data->check);
  g_clear_object (&data->proof_session);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->presented);
  g_free (data->presented_pem);
  g_free (data);
}

static SoupSession *
new_session (OpenIotHubRecord *record,
             const char       *last_good,
             guint             timeout)
{
  g_auto(GStrv) ordered = _openiot_address_list_order (openiot_hub_record_get_addresses (record),
                                                       last_good);
  g_autoptr(OpenIotAddressList) addresses =
    _openiot_address_list_new ((const char * const *) ordered,
                               openiot_hub_record_get_port (record));

  /* Every observed property and event holds a connection with its event
   * stream (HTTP/1.1); libsoup's default of two per host would leave all
   * other requests queued behind them.
   *
   * A hub is trusted by its pin alone, never by a CA: the pin-only
   * database flags every certificate G_TLS_CERTIFICATE_UNKNOWN_CA, so
   * every handshake reaches the message's accept-certificate handler and
   * its pin check (with the system's CAs, a certificate one of them had
   * signed might never have been shown to it). */
  return soup_session_new_with_options ("remote-connectable", addresses,
                                        "proxy-resolver", NULL,
                                        "tls-database", _openiot_pin_database_get_default (),
                                        "timeout", timeout,
                                        "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                        "max-conns", MAX_CONNECTIONS,
                                        "max-conns-per-host", MAX_CONNECTIONS,
                                        NULL);
}

/* The network changed (Wi-Fi to mobile data, a VPN, a cable): new
 * requests race the addresses again in a new session. Requests and event
 * streams under way keep the old one until they end; a stream that broke
 * reconnects through the new one. */
static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  OpenIotHubConnection *self = user_data;

  g_debug ("Network changed; racing the addresses of %s again",
           openiot_hub_record_get_name (self->record));
  g_clear_object (&self->session);
  g_clear_object (&self->long_poll_session);
  self->session = new_session (self->record, NULL, TIMEOUT_SECONDS);
}

/* Remembers which address answered, and over which path. */
static void
note_route (OpenIotHubConnection *self,
            SoupMessage          *msg)
{
  GSocketAddress *remote = soup_message_get_remote_address (msg);
  g_autofree char *address = NULL;
  OpenIotNetworkRoute route;
  GInetAddress *inet;

  if (remote == NULL || !G_IS_INET_SOCKET_ADDRESS (remote))
    return;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  address = g_inet_address_to_string (inet);
  if (g_inet_socket_address_get_scope_id (G_INET_SOCKET_ADDRESS (remote)) != 0)
    {
      /* The record spells link-local addresses with their interface. */
      const char * const *known = openiot_hub_record_get_addresses (self->record);
      g_autofree char *prefix = g_strconcat (address, "%", NULL);

      for (guint i = 0; known != NULL && known[i] != NULL; i++)
        if (g_str_has_prefix (known[i], prefix))
          {
            g_free (address);
            address = g_strdup (known[i]);
          }
    }
  route = _openiot_address_distance (inet) == 0 ? OPENIOT_NETWORK_ROUTE_LOCAL_NETWORK
                                                : OPENIOT_NETWORK_ROUTE_INTERNET;

  if (g_strcmp0 (address, self->last_good) != 0)
    {
      g_free (self->last_good);
      self->last_good = g_steal_pointer (&address);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
    }
  if (route != self->route)
    {
      self->route = route;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROUTE]);
    }
}

/* The pin check. Returning FALSE aborts the handshake before libsoup sends
 * the client certificate. */
static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GTask *task = user_data;
  OpenIotHubConnection *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autofree char *fingerprint = openiot_fingerprint_from_certificate (certificate);

  if (openiot_fingerprint_equal (fingerprint, openiot_hub_record_get_fingerprint (self->record)))
    return TRUE;

  g_free (data->presented);
  data->presented = g_steal_pointer (&fingerprint);
  g_free (data->presented_pem);
  g_object_get (certificate, "certificate-pem", &data->presented_pem, NULL);
  return FALSE;
}

/* Accepts only the certificate that was just presented: the proof is read
 * from the very server that presented it, and nothing is sent but a GET
 * of the public status, with no client certificate. */
static gboolean
accept_presented (SoupMessage          *msg,
                  GTlsCertificate      *certificate,
                  GTlsCertificateFlags  errors,
                  gpointer              user_data)
{
  g_autofree char *fingerprint = openiot_fingerprint_from_certificate (certificate);

  return openiot_fingerprint_equal (fingerprint, user_data);
}

static gboolean
rotation_proof_verifies (OpenIotHubConnection *self,
                         GBytes               *well_known,
                         const char           *presented)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autofree guchar *raw = NULL;
  const char *pinned = openiot_hub_record_get_fingerprint (self->record);
  const char *certificate, *previous;
  JsonObject *root, *rotation;
  JsonNode *node;
  gsize raw_len;

  if (well_known == NULL ||
      !json_parser_load_from_data (parser, g_bytes_get_data (well_known, NULL),
                                   g_bytes_get_size (well_known), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;

  root = json_node_get_object (json_parser_get_root (parser));
  node = json_object_get_member (root, "rotation");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  rotation = json_node_get_object (node);

  certificate = json_object_get_string_member_with_default (root, "certificate", NULL);
  previous = json_object_get_string_member_with_default (rotation, "previous", NULL);
  if (!openiot_fingerprint_equal (certificate, presented) ||
      !openiot_fingerprint_equal (previous, pinned) ||
      !json_object_has_member (rotation, "signature"))
    return FALSE;

  raw = g_base64_decode (json_object_get_string_member_with_default (rotation, "signature", ""),
                         &raw_len);
  signature = g_bytes_new (raw, raw_len);
  message = _openiot_rotation_message (pinned, presented);
  return _openiot_certificate_verify (openiot_hub_record_get_certificate_pem (self->record),
                                      message, signature, NULL);
}

static void
on_proof_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHubConnection *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = _openiot_read_bounded_finish (G_INPUT_STREAM (source), result, NULL);
  const char *name = openiot_hub_record_get_display_name (self->record);

  g_free (self->presented_fingerprint);
  self->presented_fingerprint = g_strdup (data->presented);
  g_free (self->presented_pem);
  self->presented_pem = g_strdup (data->presented_pem);
  self->rotation_verified = rotation_proof_verifies (self, body, data->presented);

  if (self->rotation_verified)
    g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_CERTIFICATE_CHANGED,
                             _("The hub “%s” says it replaced its certificate, and the new one "
                               "is signed by the certificate you trusted. Nothing was sent to it. "
                               "Review the change and accept it to go on (openiot trust)."),
                             name);
  else
    g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_CERTIFICATE_CHANGED,
                             _("The hub “%s” presented a different certificate, not signed by "
                               "the one you trusted. This may be an attack: nothing was sent to "
                               "it. If you reset or replaced the hub, pair again."),
                             name);
}

static void
on_proof_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, NULL);

  /* Nothing to read is no proof: a stream of nothing says so. */
  if (stream == NULL)
    stream = g_memory_input_stream_new ();
  _openiot_read_bounded_async (stream, MAX_ERROR_SIZE, g_task_get_cancellable (task), on_proof_read,
                               g_object_ref (task));
}

static void
check_rotation (GTask *task)
{
  OpenIotHubConnection *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GUri) uri = g_uri_parse (HUB_URI OPENIOT_PATH_WELL_KNOWN, SOUP_HTTP_URI_FLAGS, NULL);

  /* Kept with the task while the proof is read, the status being the
   * presenter's own words: bounded like any answer. */
  data->proof_session = new_session (self->record, self->last_good, TIMEOUT_SECONDS);
  data->check = _openiot_message_new ("GET", uri);
  g_signal_connect_data (data->check, "accept-certificate", G_CALLBACK (accept_presented),
                         g_strdup (data->presented), (GClosureNotify) (void (*) (void)) g_free, 0);
  soup_session_send_async (data->proof_session, data->check, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task),
                           on_proof_sent, g_object_ref (task));
}

/* Whether the hub decides this answer itself: its own API. Anything
 * under /services/ is a service's answer passed through, and a service
 * must not be able to speak for the hub (docs/security.md, "A malicious
 * service or Thing Description"). */
static gboolean
is_hub_path (const char *path)
{
  return g_str_has_prefix (path, OPENIOT_PATH_HUB_API);
}

static gboolean
is_not_registered (guint   status,
                   GBytes *body)
{
  g_autofree char *code = NULL;

  return status == SOUP_STATUS_FORBIDDEN && _openiot_protocol_parse_error (body, &code, NULL) &&
         g_str_equal (code, "not-registered");
}

static void
return_not_registered (GTask *task)
{
  OpenIotHubConnection *self = g_task_get_source_object (task);

  g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_NOT_REGISTERED,
                           _("This device was removed from the hub “%s”. Pair it again to use "
                             "the hub."),
                           openiot_hub_record_get_display_name (self->record));
}

/* The answer read, or failed: a 2xx body goes to the caller as it is (or,
 * for an event stream, the stream itself); any other status becomes that
 * peer's error. */
static void
return_answer (GTask  *task,
               GBytes *body)
{
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!data->stream)
    {
      g_task_return_pointer (task, g_bytes_ref (body), (GDestroyNotify) g_bytes_unref);
      return;
    }
  /* An event stream that opened went to the caller in on_sent(). */
  _openiot_protocol_response_error (data->status, body, &error);
  g_task_return_error (task, error);
}

static void
on_registration_read (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = _openiot_read_bounded_finish (G_INPUT_STREAM (source), result, NULL);

  if (is_not_registered (soup_message_get_status (data->check), body))
    return_not_registered (task);
  else
    return_answer (task, data->body);
}

static void
on_registration_checked (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, NULL);

  /* Only the hub's own 403 not-registered says so. */
  if (stream != NULL && soup_message_get_status (data->check) == SOUP_STATUS_FORBIDDEN)
    _openiot_read_bounded_async (stream, MAX_ERROR_SIZE, g_task_get_cancellable (task),
                                 on_registration_read, g_object_ref (task));
  else
    return_answer (task, data->body);
}

/* A 403 not-registered through a service's path: the hub says so when
 * this device was removed, but a service can say it too. Asks the hub. */
static void
check_registration (GTask *task)
{
  OpenIotHubConnection *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GUri) uri = g_uri_parse (HUB_URI OPENIOT_PATH_HUB, SOUP_HTTP_URI_FLAGS, NULL);

  data->check = _openiot_message_new ("GET", uri);
  soup_message_set_tls_client_certificate (data->check,
                                           openiot_identity_get_tls_certificate (self->identity));
  g_signal_connect (data->check, "accept-certificate", G_CALLBACK (on_accept_certificate), task);
  soup_session_send_async (self->session, data->check, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task),
                           on_registration_checked, g_object_ref (task));
}

static void
on_body_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!(data->body = _openiot_read_bounded_finish (G_INPUT_STREAM (source), result, &error)))
    {
      if (!SOUP_STATUS_IS_SUCCESSFUL (data->status) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        data->body = g_bytes_new (NULL, 0);  /* an error too long to read is still an error */
      else
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  /* A 403 not-registered means this device was removed from the hub:
   * that is no protocol error but a state the user must act on. */
  if (is_not_registered (data->status, data->body))
    {
      if (data->hub_api)
        return_not_registered (task);
      else
        check_registration (task);
      return;
    }
  return_answer (task, data->body);
}

static void
return_send_error (GTask  *task,
                   GError *error)
{
  OpenIotHubConnection *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  if (data->presented != NULL)
    check_rotation (task);
  else if (data->resend_refused)
    g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE,
                             _("The connection to the hub “%s” broke before its answer came: "
                               "the change may or may not have been made. Check the value, then "
                               "try again if needed."),
                             openiot_hub_record_get_display_name (self->record));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE,
                             _("The hub “%s” is not reachable (%s). Check that it is on, and "
                               "your network."),
                             openiot_hub_record_get_display_name (self->record), error->message);
}

/* The redirect is not followed (_openiot_message_new()): it is the
 * answer, and an error of whoever gave it. */
static void
return_redirect (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  if (data->hub_api)
    g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                             _("The hub answered with a redirect (HTTP %u %s). Redirects are not "
                               "followed."),
                             data->status, soup_status_get_phrase (data->status));
  else
    g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                             _("The service answered with a redirect (HTTP %u %s). Redirects are "
                               "not followed: this device only talks to the hub it trusts."),
                             data->status, soup_status_get_phrase (data->status));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHubConnection *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (stream == NULL)
    {
      return_send_error (task, error);
      return;
    }

  note_route (self, data->msg);
  data->status = soup_message_get_status (data->msg);
  if (SOUP_STATUS_IS_REDIRECTION (data->status))
    {
      return_redirect (task);
      return;
    }
  if (data->stream && SOUP_STATUS_IS_SUCCESSFUL (data->status))
    {
      g_task_return_pointer (task, g_steal_pointer (&stream), g_object_unref);
      return;
    }

  _openiot_read_bounded_async (stream,
                               SOUP_STATUS_IS_SUCCESSFUL (data->status) ? MAX_ANSWER_SIZE
                                                                        : MAX_ERROR_SIZE,
                               g_task_get_cancellable (task), on_body_read, g_object_ref (task));
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
on_restarted (SoupMessage *msg,
              SendData    *data)
{
  g_debug ("Not sending %s %s again on a new connection", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)));
  data->resend_refused = TRUE;
  g_cancellable_cancel (data->cancellable);
}

static gboolean
on_request_certificate (SoupMessage          *msg,
                        GTlsClientConnection *connection,
                        OpenIotIdentity      *identity)
{
  soup_message_set_tls_client_certificate (msg, openiot_identity_get_tls_certificate (identity));
  return TRUE;
}

/* The task of a request to @path, its SendData in @out_data; NULL when it
 * failed at once. Every public entry point that sends starts here, so the
 * checks of their arguments are here too. */
static GTask *
start_request (OpenIotHubConnection  *self,
               const char            *method,
               const char            *path,
               gpointer               source_tag,
               GCancellable          *cancellable,
               GAsyncReadyCallback    callback,
               gpointer               user_data,
               SendData             **out_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri_string = NULL;
  g_autoptr(GUri) uri = NULL;
  SendData *data;

  g_return_val_if_fail (OPENIOT_IS_HUB_CONNECTION (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  uri_string = g_strconcat (HUB_URI, path, NULL);
  if (!(uri = g_uri_parse (uri_string, SOUP_HTTP_URI_FLAGS, NULL)))
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               _("Invalid path: %s"), path);
      return NULL;
    }

  data = g_new0 (SendData, 1);
  data->msg = _openiot_message_new (method, uri);
  data->hub_api = is_hub_path (path);
  data->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                         G_CALLBACK (on_caller_cancelled),
                                                         g_object_ref (data->cancellable),
                                                         g_object_unref);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  /* Writes and actions go on an open connection, the request's only
   * round trip (bench/RESULTS.md), but reach the device at most once:
   * libsoup 3.2 sends a PUT or DELETE again, on a new connection, when the
   * kept-alive one it went on closes before the answer (a stale
   * connection, it assumes) though the hub may have passed it on already;
   * such a resend is cancelled before it goes out
   * (tests/security/test_write_once.py). A POST it never resends; marked
   * idempotent, it may use an idle open connection too. */
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_add_flags (data->msg, SOUP_MESSAGE_IDEMPOTENT);
      g_signal_connect (data->msg, "restarted", G_CALLBACK (on_restarted), data);
    }

  /* The certificate goes with the message to the connection it is sent
   * on, and libsoup forgets it there: a connection made later for the
   * same message (a resend, or a read retried on a new connection) asks
   * for it instead. */
  g_signal_connect_object (data->msg, "request-certificate", G_CALLBACK (on_request_certificate),
                           self->identity, 0);
  soup_message_set_tls_client_certificate (data->msg,
                                           openiot_identity_get_tls_certificate (self->identity));
  g_signal_connect (data->msg, "accept-certificate", G_CALLBACK (on_accept_certificate), task);
  *out_data = data;
  return g_steal_pointer (&task);
}

static void
send_request (SoupSession *session,
              GTask       *task)
{
  SendData *data = g_task_get_task_data (task);

  soup_session_send_async (session, data->msg, G_PRIORITY_DEFAULT, data->cancellable, on_sent,
                           g_object_ref (task));
}

/**
 * openiot_hub_connection_send_async:
 * @path: an absolute path on the hub, with its query
 * @content_type: (nullable): the body's type
 * @body: (nullable): the request body
 *
 * Sends one request to the pinned hub and reads the whole answer, up to
 * 1 MiB (64 KiB for an error): a longer one fails with
 * %OPENIOT_ERROR_INVALID_DATA as soon as it passes the limit. A redirect
 * is never followed but fails with %OPENIOT_ERROR_PROTOCOL, and only the
 * hub (its own API, or its answer when asked) can say that this device
 * was removed (%OPENIOT_ERROR_NOT_REGISTERED), not a service through it.
 */
void
openiot_hub_connection_send_async (OpenIotHubConnection *self,
                                   const char           *method,
                                   const char           *path,
                                   const char           *content_type,
                                   GBytes               *body,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  if (!(task = start_request (self, method, path, openiot_hub_connection_send_async, cancellable,
                              callback, user_data, &data)))
    return;
  if (body != NULL)
    soup_message_set_request_body_from_bytes (data->msg, content_type, body);

  send_request (self->session, task);
}

/**
 * openiot_hub_connection_send_finish:
 * @status: (out): the HTTP status
 *
 * Returns: (transfer full): the response body
 */
GBytes *
openiot_hub_connection_send_finish (OpenIotHubConnection  *self,
                                    GAsyncResult          *result,
                                    guint                 *status,
                                    GError               **error)
{
  GBytes *body;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  body = g_task_propagate_pointer (G_TASK (result), error);
  if (body != NULL && status != NULL)
    *status = ((SendData *) g_task_get_task_data (G_TASK (result)))->status;
  return body;
}

/**
 * openiot_hub_connection_long_poll_async:
 * @path: an absolute path on the hub of a `longpoll` form
 *
 * Sends a GET that the service answers only when something happens, up to
 * the hub's 5-minute service timeout: unlike
 * [method@OpenIot.HubConnection.send_async], a quiet wait does not time
 * out after 30 s. Each long-poll holds a connection of its own while it
 * waits. Finish with [method@OpenIot.HubConnection.send_finish].
 */
void
openiot_hub_connection_long_poll_async (OpenIotHubConnection *self,
                                        const char           *path,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  /* Finished by send_finish(), so tagged as a send */
  if (!(task = start_request (self, "GET", path, openiot_hub_connection_send_async, cancellable,
                              callback, user_data, &data)))
    return;
  soup_message_headers_replace (soup_message_get_request_headers (data->msg), "Accept",
                                "application/json");

  if (self->long_poll_session == NULL)
    self->long_poll_session = new_session (self->record, self->last_good,
                                           LONG_POLL_TIMEOUT_SECONDS);
  send_request (self->long_poll_session, task);
}

/**
 * openiot_hub_connection_open_stream_async:
 * @path: an absolute path on the hub of a `text/event-stream`
 * @last_event_id: (nullable): the id of the last event received, to resume
 *
 * Opens an event stream on the pinned hub, for [class@OpenIot.SseParser].
 */
void
openiot_hub_connection_open_stream_async (OpenIotHubConnection *self,
                                          const char           *path,
                                          const char           *last_event_id,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessageHeaders *headers;
  SendData *data;

  if (!(task = start_request (self, "GET", path, openiot_hub_connection_open_stream_async,
                              cancellable, callback, user_data, &data)))
    return;
  headers = soup_message_get_request_headers (data->msg);
  soup_message_headers_replace (headers, "Accept", "text/event-stream");
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  if (last_event_id != NULL && last_event_id[0] != '\0')
    soup_message_headers_replace (headers, "Last-Event-ID", last_event_id);

  /* An event stream may stay quiet longer than any request timeout; the
   * service's keep-alive comments and the caller's cancellable bound it. */
  data->stream = TRUE;
  send_request (self->session, task);
}

/**
 * openiot_hub_connection_open_stream_finish:
 *
 * Returns: (transfer full): the body of a successful answer, to read as
 *   it arrives
 */
GInputStream *
openiot_hub_connection_open_stream_finish (OpenIotHubConnection  *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/*
 * _openiot_hub_connection_rename_record:
 * @record: the same hub, pin and addresses as the connection's record, with
 *   another nickname
 *
 * So that the connection's messages name the hub as the user now calls
 * it, without a new connection. Anything else about the hub changes only
 * with a new connection: a pin is never swapped under a live one.
 */
void
_openiot_hub_connection_rename_record (OpenIotHubConnection *self,
                                       OpenIotHubRecord     *record)
{
  g_return_if_fail (OPENIOT_IS_HUB_CONNECTION (self));
  g_return_if_fail (g_str_equal (openiot_hub_record_get_id (record),
                                 openiot_hub_record_get_id (self->record)));
  g_return_if_fail (openiot_fingerprint_equal (openiot_hub_record_get_fingerprint (record),
                                               openiot_hub_record_get_fingerprint (self->record)));

  g_set_object (&self->record, record);
}

/**
 * openiot_hub_connection_get_record:
 *
 * Returns: (transfer none): the paired hub this connection is pinned to
 */
OpenIotHubRecord *
openiot_hub_connection_get_record (OpenIotHubConnection *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB_CONNECTION (self), NULL);
  return self->record;
}

/**
 * openiot_hub_connection_get_route:
 *
 * Returns: whether the hub last answered on this network or over the
 *   Internet
 */
OpenIotNetworkRoute
openiot_hub_connection_get_route (OpenIotHubConnection *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB_CONNECTION (self), OPENIOT_NETWORK_ROUTE_NONE);
  return self->route;
}

/**
 * openiot_hub_connection_get_address:
 *
 * Returns: (nullable): the address that answered last; tried first next time
 */
const char *
openiot_hub_connection_get_address (OpenIotHubConnection *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUB_CONNECTION (self), NULL);
  return self->last_good;
}

/**
 * openiot_hub_connection_get_presented_fingerprint:
 *
 * Returns: (nullable): after %OPENIOT_ERROR_CERTIFICATE_CHANGED, the
 *   fingerprint of the certificate the server presented
 */
const char *
openiot_hub_connection_get_presented_fingerprint (OpenIotHubConnection *self)
{
  return self->presented_fingerprint;
}

/**
 * openiot_hub_connection_get_presented_certificate_pem:
 *
 * Returns: (nullable): after %OPENIOT_ERROR_CERTIFICATE_CHANGED, the
 *   certificate the server presented, to pin if the user accepts it
 */
const char *
openiot_hub_connection_get_presented_certificate_pem (OpenIotHubConnection *self)
{
  return self->presented_pem;
}

/**
 * openiot_hub_connection_get_rotation_verified:
 *
 * Returns: after %OPENIOT_ERROR_CERTIFICATE_CHANGED, whether the presented
 *   certificate carries a rotation proof signed by the pinned one
 */
gboolean
openiot_hub_connection_get_rotation_verified (OpenIotHubConnection *self)
{
  return self->rotation_verified;
}

OpenIotHubConnection *
openiot_hub_connection_new (OpenIotHubRecord *record,
                            OpenIotIdentity  *identity)
{
  OpenIotHubConnection *self;

  g_return_val_if_fail (OPENIOT_IS_HUB_RECORD (record), NULL);
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (identity), NULL);

  self = g_object_new (OPENIOT_TYPE_HUB_CONNECTION, NULL);
  self->record = g_object_ref (record);
  self->identity = g_object_ref (identity);
  self->session = new_session (record, NULL, TIMEOUT_SECONDS);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self,
                           0);
  return self;
}

static void
openiot_hub_connection_finalize (GObject *object)
{
  OpenIotHubConnection *self = OPENIOT_HUB_CONNECTION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->long_poll_session);
  g_clear_object (&self->monitor);
  g_free (self->last_good);
  g_clear_object (&self->record);
  g_clear_object (&self->identity);
  g_free (self->presented_fingerprint);
  g_free (self->presented_pem);

  G_OBJECT_CLASS (openiot_hub_connection_parent_class)->finalize (object);
}

static void
openiot_hub_connection_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  OpenIotHubConnection *self = OPENIOT_HUB_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_ROUTE:
      g_value_set_enum (value, self->route);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->last_good);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_hub_connection_class_init (OpenIotHubConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = openiot_hub_connection_finalize;
  object_class->get_property = openiot_hub_connection_get_property;

  /**
   * OpenIotHubConnection:route:
   *
   * The path the last request took: this network or the Internet.
   */
  properties[PROP_ROUTE] =
    g_param_spec_enum ("route", NULL, NULL, OPENIOT_TYPE_NETWORK_ROUTE, OPENIOT_NETWORK_ROUTE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * OpenIotHubConnection:address:
   *
   * The hub address that answered last.
   */
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_hub_connection_init (OpenIotHubConnection *self)
{
}
