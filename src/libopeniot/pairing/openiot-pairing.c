// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-pairing"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "openiot-error-private.h"
#include "openiot-fingerprint.h"
#include "openiot-message-private.h"
#include "openiot-pairing-message-private.h"
#include "openiot-pairing-result-private.h"
#include "openiot-pin-database-private.h"
#include "openiot-protocol-private.h"
#include "openiot-srp-private.h"

#include "openiot-pairing.h"

#define CONNECT_TIMEOUT_SECONDS 5
#define HANDSHAKE_TIMEOUT_MS 15000
#define MAX_HEADER_BYTES (16 * 1024)
#define MAX_BODY_BYTES (256 * 1024)

/*
 * Registration from the client side (docs/protocol.md, "Pairing"): TLS-SRP
 * with the code to the first address of the link that answers, one
 * POST /open-iot/v1/pair inside, and checks of what came back. The result
 * is handed to the caller for the user to confirm; nothing is stored here.
 */

typedef struct
{
  OpenIotPairingLink *link;
  char               *device_name;
  char               *certificate_pem;
} PairData;

static void
pair_data_free (PairData *data)
{
  openiot_pairing_link_unref (data->link);
  g_free (data->device_name);
  g_free (data->certificate_pem);
  g_free (data);
}

static gboolean
accept_any_certificate (SoupMessage          *msg,
                        GTlsCertificate      *certificate,
                        GTlsCertificateFlags  errors,
                        gpointer              user_data)
{
  const char *link_fingerprint = user_data;
  g_autofree char *fingerprint = NULL;

  /* Only the public status is read, with no client certificate and
   * nothing secret sent; still, a link's fingerprint is honoured. */
  if (link_fingerprint == NULL)
    return TRUE;
  fingerprint = openiot_fingerprint_from_certificate (certificate);
  return openiot_fingerprint_equal (fingerprint, link_fingerprint);
}

/* The hub's public status, read to MAX_BODY_BYTES at most: before
 * pairing, whatever answers at the address is a stranger. */
static GBytes *
read_public_status (SoupSession *session,
                    SoupMessage *msg)
{
  g_autoptr(GInputStream) stream = soup_session_send (session, msg, NULL, NULL);
  g_autofree char *buffer = NULL;
  gsize len = 0;

  if (stream == NULL)
    return NULL;
  buffer = g_malloc (MAX_BODY_BYTES + 1);
  if (!g_input_stream_read_all (stream, buffer, MAX_BODY_BYTES + 1, &len, NULL, NULL) ||
      len > MAX_BODY_BYTES)
    return NULL;
  return g_bytes_new (buffer, len);
}

static GError *
closed_code_error (void)
{
  return g_error_new_literal (OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_CLOSED,
                              _("The pairing code has expired, was already used, or was locked "
                                "after too many wrong tries. Open a new code on the hub and try "
                                "again."));
}

/* After a failed SRP handshake, asks the hub's public status why: a wrong
 * code with tries left, or no code open any more. */
static void
explain_rejection (PairData      *data,
                   GInetAddress  *address,
                   GError       **error)
{
  g_autoptr(GSocketAddress) target =
    g_inet_socket_address_new (address, openiot_pairing_link_get_port (data->link));
  /* No CA, as on every hub session: the certificate is judged by
   * accept_any_certificate(), which the pin-only database makes GIO ask. */
  g_autoptr(SoupSession) session =
    soup_session_new_with_options ("remote-connectable", target,
                                   "proxy-resolver", NULL,
                                   "tls-database", _openiot_pin_database_get_default (),
                                   "timeout", CONNECT_TIMEOUT_SECONDS, NULL);
  g_autoptr(GUri) uri = g_uri_parse ("https://hub.invalid" OPENIOT_PATH_WELL_KNOWN,
                                     SOUP_HTTP_URI_FLAGS, NULL);
  g_autoptr(SoupMessage) msg = _openiot_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *pairing = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_certificate),
                    (gpointer) openiot_pairing_link_get_fingerprint (data->link));
  body = read_public_status (session, msg);

  if (body != NULL && SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)) &&
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *root = json_node_get_object (json_parser_get_root (parser));
      JsonNode *node = json_object_get_member (root, "pairing");

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        pairing = json_node_get_object (node);
    }

  if (pairing != NULL && !json_object_get_boolean_member_with_default (pairing, "open", FALSE))
    g_propagate_error (error, closed_code_error ());
  /* The count travels as data too (openiot_error_get_attempts_left()) */
  else if (pairing != NULL && json_object_has_member (pairing, "attempts_left"))
    {
      int left = (int) CLAMP (json_object_get_int_member (pairing, "attempts_left"), 0, G_MAXINT);

      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The pairing code is wrong. Check it and try again (%d try left).",
                                "The pairing code is wrong. Check it and try again "
                                "(%d tries left).",
                                left),
                   left);
      if (error != NULL && *error != NULL)
        _openiot_error_set_attempts_left (*error, left);
    }
  else
    g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED,
                         _("The hub did not accept the pairing code. Check it, or open a new code "
                           "on the hub."));
}

static GSocketConnection *
connect_to_hub (PairData       *data,
                GInetAddress  **connected,
                GCancellable   *cancellable,
                GError        **error)
{
  const char * const *addresses = openiot_pairing_link_get_addresses (data->link);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) last_error = NULL;

  g_socket_client_set_timeout (client, CONNECT_TIMEOUT_SECONDS);
  /* Straight to the hub, never through a proxy: the pairing port speaks
   * TLS-SRP, and the hub is on the local network or reached by IPv6. */
  g_socket_client_set_enable_proxy (client, FALSE);

  for (guint i = 0; addresses[i] != NULL; i++)
    {
      guint16 port = openiot_pairing_link_get_pairing_port (data->link);
      g_autoptr(GSocketConnectable) target = NULL;
      g_autoptr(GSocketAddress) remote = NULL;
      GSocketConnection *connection;

      /* An IP literal (with its %scope), or a name ("hub.local",
       * "localhost"): GSocketClient resolves it and tries its addresses
       * in the resolver's order (RFC 6724: link-local last). */
      target = G_SOCKET_CONNECTABLE (g_inet_socket_address_new_from_string (addresses[i], port));
      if (target == NULL && _openiot_host_name_is_valid (addresses[i]))
        target = g_network_address_new (addresses[i], port);
      if (target == NULL)
        continue;

      g_clear_error (&last_error);
      connection = g_socket_client_connect (client, target, cancellable, &last_error);
      if (connection != NULL &&
          (remote = g_socket_connection_get_remote_address (connection, &last_error)) != NULL &&
          G_IS_INET_SOCKET_ADDRESS (remote))
        {
          *connected =
            g_object_ref (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
          return connection;
        }
      g_clear_object (&connection);
      if (g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        break;
    }

  if (g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&last_error));
  else
    g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE,
                 _("The hub did not answer at %s (%s). Check that it is on and on the same "
                   "network, or that its address is right."),
                 addresses[0], last_error ? last_error->message : _("no usable address"));
  return NULL;
}

static GError *
error_from_response (guint   status,
                     GBytes *body)
{
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;

  if (!_openiot_protocol_parse_error (body, &code, &message))
    return g_error_new (OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                        _("The hub answered %u to the pairing request"), status);

  if (g_str_equal (code, "invalid-certificate"))
    return g_error_new (OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                        _("The hub refused this device’s certificate: %s"), message);
  /* The code died between the handshake and the request (its "reason"
   * says how, docs/protocol.md): for the user, the same as a closed code. */
  if (g_str_equal (code, "pairing-code-gone"))
    return closed_code_error ();
  /* Only a revoked certificate: the hub renews a live one (docs/protocol.md) */
  if (g_str_equal (code, "already-registered"))
    return g_error_new (OPENIOT_ERROR, OPENIOT_ERROR_FAILED,
                        _("The hub removed this device earlier and does not take its key again "
                          "(%s). Ask the hub’s admin, or pair from a fresh identity "
                          "(a new --store)."),
                        message);
  return g_error_new (OPENIOT_ERROR, OPENIOT_ERROR_FAILED, _("The hub refused to pair: %s"),
                      message);
}

static OpenIotPairingResult *
register_device (PairData           *data,
                 OpenIotSrpSession  *session,
                 GInetAddress       *address,
                 GError            **error)
{
  g_autofree char *paired_through = g_inet_address_to_string (address);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) request_body =
    _openiot_pairing_request_new (data->device_name, data->certificate_pem);
  g_autoptr(GBytes) response_body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  guint status;

  if (!_openiot_srp_session_write_request (session, "POST", OPENIOT_PATH_PAIR, "application/json",
                                           request_body, error) ||
      !_openiot_srp_session_read_response (session, MAX_HEADER_BYTES, MAX_BODY_BYTES, &status,
                                           headers,
                                           &response_body, error))
    return NULL;

  if (status != SOUP_STATUS_CREATED)
    {
      g_propagate_error (error, error_from_response (status, response_body));
      return NULL;
    }

  if (!json_parser_load_from_data (parser, g_bytes_get_data (response_body, NULL),
                                   g_bytes_get_size (response_body), error))
    return NULL;

  return _openiot_pairing_result_new_from_json (json_parser_get_root (parser),
                                                openiot_pairing_link_get_fingerprint (data->link),
                                                paired_through, error);
}

static void
pair_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PairData *data = task_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(OpenIotSrpSession) session = NULL;
  g_autoptr(OpenIotPairingResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!(connection = connect_to_hub (data, &address, cancellable, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  session = _openiot_srp_client_handshake (g_socket_connection_get_socket (connection),
                                           OPENIOT_SRP_USERNAME,
                                           openiot_pairing_link_get_code (data->link),
                                           HANDSHAKE_TIMEOUT_MS, &error);
  if (session == NULL)
    {
      if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED))
        {
          g_clear_error (&error);
          explain_rejection (data, address, &error);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!(result = register_device (data, session, address, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&result),
                           (GDestroyNotify) openiot_pairing_result_unref);
}

/**
 * openiot_pair_async:
 * @link: where and with which code to pair
 * @device_name: this device's name, as the hub will list it
 * @certificate_pem: this device's certificate (its key never leaves it)
 *
 * Registers this device with the hub of @link. The result says who the hub
 * is and how that was verified; store it only once the user confirmed.
 */
void
openiot_pair_async (OpenIotPairingLink  *link,
                    const char          *device_name,
                    const char          *certificate_pem,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  PairData *data;

  g_return_if_fail (link != NULL);
  g_return_if_fail (device_name != NULL);
  g_return_if_fail (certificate_pem != NULL);

  /* The hub refuses such a name too; saying so here costs no code. */
  if (!_openiot_device_name_check (device_name, &error))
    {
      g_task_report_error (NULL, callback, user_data, openiot_pair_async, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (PairData, 1);
  data->link = openiot_pairing_link_ref (link);
  data->device_name = g_strdup (device_name);
  data->certificate_pem = g_strdup (certificate_pem);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, openiot_pair_async);
  g_task_set_task_data (task, data, (GDestroyNotify) pair_data_free);
  g_task_run_in_thread (task, pair_thread);
}

/**
 * openiot_pair_finish:
 *
 * Returns: (transfer full): the checked, not yet trusted, registration
 */
OpenIotPairingResult *
openiot_pair_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * openiot_check_device_name:
 * @name: (nullable): the name this device asks to be listed under
 *
 * The rule a hub applies when it registers a device (docs/protocol.md,
 * "Pairing"): 1 to %OPENIOT_DEVICE_NAME_MAX_BYTES bytes of UTF-8 without
 * control characters, line separators or bidirectional controls. Check it
 * before asking people for a code.
 *
 * Returns: %TRUE, or %FALSE with %OPENIOT_ERROR_INVALID_DATA
 */
gboolean
openiot_check_device_name (const char  *name,
                           GError     **error)
{
  return _openiot_device_name_check (name, error);
}
