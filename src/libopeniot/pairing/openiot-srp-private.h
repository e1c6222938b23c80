// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/*
 * TLS-SRP (RFC 5054) sessions for pairing, shared by the hub (server) and
 * the clients. GIO's TLS has no SRP, so these drive GnuTLS directly over a
 * connected GSocket. Every call here BLOCKS (with timeouts): run them in a
 * worker thread (g_task_run_in_thread), never on the main loop.
 *
 * SRP username: OPENIOT_SRP_USERNAME ("open-iot"); password: the pairing
 * code. TLS 1.2 only (SRP does not exist in TLS 1.3), 3072-bit group.
 * Inside the session, one HTTP/1.1 request and one response, framed with
 * Content-Length (no chunking, no keep-alive), parsed with libsoup's
 * soup_headers_parse_request()/soup_headers_parse_response().
 */

typedef struct _OpenIotSrpSession OpenIotSrpSession;

/*
 * Called (in the worker thread) when the client names its SRP user. Return
 * the password (the open pairing code) as a newly allocated string, or NULL
 * when no pairing is open. Must be thread-safe.
 */
typedef char *(*OpenIotSrpPasswordFunc) (const char *username,
                                         gpointer    user_data);

/*
 * Server handshake. @timeout_ms bounds everything the server waits for from
 * this peer, together: the handshake and then the request
 * (_openiot_srp_session_read_request), so a slow or silent peer holds the
 * connection no longer than that. On failure: OPENIOT_ERROR_PAIRING_REJECTED when the peer
 * got as far as proving a password and it was wrong (this is what the hub
 * counts as a failed attempt), OPENIOT_ERROR_PAIRING_CLOSED when the
 * password function returned NULL, G_IO_ERROR_TIMED_OUT on timeout,
 * another error for anything else (peer hung up, not TLS, …).
 */
OpenIotSrpSession *_openiot_srp_server_handshake (GSocket                *socket,
                                                  OpenIotSrpPasswordFunc  password_func,
                                                  gpointer                user_data,
                                                  guint                   timeout_ms,
                                                  GError                **error);

/*
 * Client handshake. A wrong password (or a hub with no open code) fails with
 * OPENIOT_ERROR_PAIRING_REJECTED: the client cannot tell the two apart from
 * the handshake alone (SRP reveals nothing); it asks /.well-known/open-iot.
 */
OpenIotSrpSession *_openiot_srp_client_handshake (GSocket                *socket,
                                                  const char             *username,
                                                  const char             *password,
                                                  guint                   timeout_ms,
                                                  GError                **error);

/* The SRP username the client proved (server side), for logging. */
const char *_openiot_srp_session_get_username (OpenIotSrpSession *session);

/* Server side: reads one request. Headers over @max_header_bytes → error
 * G_IO_ERROR_MESSAGE_TOO_LARGE; body over @max_body_bytes likewise;
 * malformed → OPENIOT_ERROR_PROTOCOL. @headers is filled in (create it with
 * soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST)). */
gboolean _openiot_srp_session_read_request   (OpenIotSrpSession   *session,
                                              gsize                max_header_bytes,
                                              gsize                max_body_bytes,
                                              char               **method,
                                              char               **path,
                                              SoupMessageHeaders  *headers,
                                              GBytes             **body,
                                              GError             **error);

gboolean _openiot_srp_session_write_response (OpenIotSrpSession   *session,
                                              guint                status,
                                              const char          *content_type,
                                              GBytes              *body,
                                              GError             **error);

/* Client side. */
gboolean _openiot_srp_session_write_request  (OpenIotSrpSession   *session,
                                              const char          *method,
                                              const char          *path,
                                              const char          *content_type,
                                              GBytes              *body,
                                              GError             **error);

gboolean _openiot_srp_session_read_response  (OpenIotSrpSession   *session,
                                              gsize                max_header_bytes,
                                              gsize                max_body_bytes,
                                              guint               *status,
                                              SoupMessageHeaders  *headers,
                                              GBytes             **body,
                                              GError             **error);

/* Sends close_notify (best effort) and frees. Does not close the socket. */
void _openiot_srp_session_free (OpenIotSrpSession *session);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotSrpSession, _openiot_srp_session_free)

G_END_DECLS
