// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-protocol-private.h"
#include "openiot-td-private.h"

#include "openiot-hub-http.h"
#include "openiot-hubd-service-socket.h"
#include "openiot-hubd-td-rewrite.h"
#include "openiot-hubd-listener.h"
#include "openiot-hubd-upstream.h"

#include "openiot-hubd-proxy.h"

#define BODY_IDLE_TIMEOUT_SECONDS 30
/* How much of a response may wait in the hub for a client to take it:
 * beyond it the proxy stops reading from the service (back-pressure), so
 * a client that stops reading costs the hub this much, not the whole
 * reply (a 512 MiB reply once took the hub to 577 MB, issue 16). */
#define CLIENT_WINDOW_BYTES (64 * 1024)

/*
 * A streaming reverse proxy from the main port to each service's UNIX
 * socket (docs/protocol.md, "the proxy"): one OpenIotHubdUpstream (kept-
 * alive connections) per service socket, status and headers passed on as
 * soon as they arrive, then the body piece by piece, so an event stream
 * reaches the client event by event.
 */
struct _OpenIotHubdProxy
{
  GObject     parent_instance;

  char       *services_dir;
  GHashTable *upstreams; /* service id → OpenIotHubdUpstream */
  guint       response_timeout;
};

G_DEFINE_FINAL_TYPE (OpenIotHubdProxy, openiot_hubd_proxy, G_TYPE_OBJECT)

typedef struct
{
  OpenIotHubdProxy           *proxy;
  SoupServerMessage          *msg;
  OpenIotHubdUpstreamRequest *upstream; /* until it finishes or is cancelled */
  GByteArray                 *td;       /* the service's TD, read whole to be rewritten */
  char                       *service_id;
  char                       *td_base;  /* set for the service's TD */
  gulong                      finished_id;
  gulong                      disconnected_id;
  gulong                      wrote_id;
  gsize                       queued;   /* appended, not yet written to the client */
  gboolean                    waiting;  /* upstream paused: the client is behind */
  guint                       timeout_id;
  guint                       idle_timeout_seconds;
  gint64                      last_activity;
  gboolean                    got_head;
  gboolean                    finished;
  gboolean                    timed_out;
  gboolean                    content_length;
} ProxyRequest;

static void
proxy_request_free (ProxyRequest *request)
{
  g_clear_pointer (&request->upstream, openiot_hubd_upstream_request_cancel);
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  g_clear_signal_handler (&request->finished_id, request->msg);
  g_clear_signal_handler (&request->disconnected_id, request->msg);
  g_clear_signal_handler (&request->wrote_id, request->msg);
  g_clear_object (&request->msg);
  g_clear_pointer (&request->td, g_byte_array_unref);
  g_clear_object (&request->proxy);
  g_free (request->service_id);
  g_free (request->td_base);
  g_free (request);
}

static gboolean
free_request_idle (gpointer data)
{
  proxy_request_free (data);
  return G_SOURCE_REMOVE;
}

/* The client went away (or the response is complete): stop the upstream
 * request, and let go of the message once its signal is done with it. */
static void
on_client_finished (SoupServerMessage *msg,
                    ProxyRequest      *request)
{
  if (request->finished)
    return;
  request->finished = TRUE;
  g_clear_pointer (&request->upstream, openiot_hubd_upstream_request_cancel);
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  g_idle_add (free_request_idle, request);
}

/* The response was cut short (the service broke off or went quiet, or the
 * client took nothing for too long): all that is left is to end the body;
 * the log says why. */
static void
end_broken_response (ProxyRequest *request,
                     const char   *reason)
{
  GSocket *socket = openiot_hubd_listener_get_socket (request->msg);

  g_warning ("A response of service “%s” was cut short: %s", request->service_id, reason);
  /* A body shorter than its Content-Length cannot be ended in the
   * protocol: close the connection, so that the client sees a cut
   * response rather than waiting, or reading the next one as its rest. */
  if (request->content_length && socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_message_body_complete (soup_server_message_get_response_body (request->msg));
  openiot_hub_http_unpause (request->msg);
  proxy_request_free (request);
}

static gboolean
service_exists (OpenIotHubdProxy *self,
                const char      *service_id)
{
  return openiot_hubd_service_socket_dir_exists (self->services_dir, service_id);
}

static void
respond_no_service (SoupServerMessage *msg,
                    const char        *service_id)
{
  openiot_hub_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
                                  "The hub has no service “%s”", service_id);
}

/* No response head came from the service: the client gets why */
static void
respond_upstream_error (ProxyRequest *request,
                        const GError *error)
{
  if (request->timed_out)
    openiot_hub_http_respond_error (request->msg, SOUP_STATUS_GATEWAY_TIMEOUT, "service-timeout",
                                    "The service “%s” did not answer within %u seconds",
                                    request->service_id, request->proxy->response_timeout);
  else if (!service_exists (request->proxy, request->service_id))
    {
      /* Gone since its connections were made: forget them too. */
      g_hash_table_remove (request->proxy->upstreams, request->service_id);
      respond_no_service (request->msg, request->service_id);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    {
      g_warning ("Service “%s” sent a malformed response: %s", request->service_id,
                 error->message);
      openiot_hub_http_respond_error (request->msg, SOUP_STATUS_BAD_GATEWAY, "service-unavailable",
                                      "The service “%s” sent a malformed response (%s)",
                                      request->service_id, error->message);
    }
  else
    openiot_hub_http_respond_error (request->msg, SOUP_STATUS_BAD_GATEWAY, "service-unavailable",
                                    "The service “%s” is not reachable (%s); "
                                    "check that it is running",
                                    request->service_id, error->message);
  openiot_hub_http_unpause (request->msg);
  proxy_request_free (request);
}

static void
respond_unusable_td (ProxyRequest *request,
                     const char   *reason)
{
  g_warning ("Service “%s” serves no usable Thing Description: %s", request->service_id,
             reason);
  openiot_hub_http_respond_error (request->msg, SOUP_STATUS_BAD_GATEWAY, "service-unavailable",
                                  "The service “%s” serves no usable Thing Description: %s",
                                  request->service_id, reason);
  openiot_hub_http_unpause (request->msg);
  proxy_request_free (request);
}

/* The service's Thing Description, as a standard consumer must see it
 * through the hub (docs/protocol.md): rewritten and sent whole. */
static void
respond_td (ProxyRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) td = g_byte_array_free_to_bytes (g_steal_pointer (&request->td));
  g_autoptr(GBytes) rewritten = openiot_hubd_td_rewrite (td, request->td_base, &error);

  if (rewritten == NULL)
    {
      respond_unusable_td (request, error->message);
      return;
    }
  soup_message_headers_remove (soup_server_message_get_response_headers (request->msg),
                               "Content-Encoding");
  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "application/td+json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (rewritten, NULL),
                                    g_bytes_get_size (rewritten));
  openiot_hub_http_unpause (request->msg);
  proxy_request_free (request);
}

/* One timer per request: the response timeout from when it is forwarded
 * to the response head, then the idle timeout counted from the last
 * piece of body. A body's pieces only note the time; the timer is not
 * made again for each of them. */
static gboolean
on_timeout (gpointer data)
{
  ProxyRequest *request = data;

  request->timeout_id = 0;
  if (request->got_head && request->td == NULL && request->idle_timeout_seconds > 0)
    {
      gint64 idle_until = request->last_activity + request->idle_timeout_seconds * G_USEC_PER_SEC;
      gint64 now = g_get_monotonic_time ();

      if (now < idle_until)
        {
          guint seconds_left = (idle_until - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

          request->timeout_id = g_timeout_add_seconds (seconds_left, on_timeout, request);
          return G_SOURCE_REMOVE;
        }
    }

  request->timed_out = TRUE;
  g_clear_pointer (&request->upstream, openiot_hubd_upstream_request_cancel);
  if (!request->got_head)
    respond_upstream_error (request, NULL);
  else if (request->td != NULL)
    respond_unusable_td (request, "timed out");
  else if (request->waiting)
    {
      /* Waiting on a client that takes nothing: whatever the framing, it
       * gets no well-ended body it did not read. */
      GSocket *socket = openiot_hubd_listener_get_socket (request->msg);

      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
      end_broken_response (request, "the client stopped reading");
    }
  else
    end_broken_response (request, "timed out");
  return G_SOURCE_REMOVE;
}

/* The client took @size bytes: read on from the service once what waits
 * for it is below the window again. */
static void
on_wrote_body_data (SoupServerMessage *msg,
                    guint              size,
                    ProxyRequest      *request)
{
  request->queued -= MIN (request->queued, size);
  request->last_activity = g_get_monotonic_time ();
  if (request->waiting && request->upstream != NULL && request->queued < CLIENT_WINDOW_BYTES)
    {
      request->waiting = FALSE;
      openiot_hubd_upstream_request_set_paused (request->upstream, FALSE);
    }
}

typedef gboolean (*HeaderFilter) (const char *name);

/* Whether @name is one of the headers the sender's Connection header
 * names: those concern its hop only (RFC 9110 §7.6.1), whatever they are
 * called. */
static gboolean
is_connection_named (const char *name,
                     GSList     *connection)
{
  for (GSList *l = connection; l != NULL; l = l->next)
    {
      if (g_ascii_strcasecmp (name, l->data) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
copy_headers (SoupMessageHeaders *from,
              SoupMessageHeaders *to,
              HeaderFilter        skip)
{
  const char *connection_header = soup_message_headers_get_list (from, "Connection");
  GSList *connection = connection_header ? soup_header_parse_list (connection_header) : NULL;
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, from);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (!openiot_hub_http_is_hop_by_hop (name) && !is_connection_named (name, connection) &&
          !skip (name))
        soup_message_headers_append (to, name, value);
    }
  soup_header_free_list (connection);
}

/* Whether @name is X-Open-IoT-* with any of its dashes written as
 * underscores: CGI, WSGI and their kin hand a service "X_Open_IoT_Client_Id"
 * and "X-Open-IoT-Client-Id" under one name (HTTP_X_OPEN_IOT_CLIENT_ID),
 * and some keep the last one. */
static gboolean
is_openiot_header (const char *name)
{
  gsize prefix_len = strlen (OPENIOT_HEADER_PREFIX);

  if (strlen (name) < prefix_len)
    return FALSE;

  for (gsize i = 0; i < prefix_len; i++)
    {
      char c = name[i] == '_' ? '-' : g_ascii_tolower (name[i]);

      if (c != g_ascii_tolower (OPENIOT_HEADER_PREFIX[i]))
        return FALSE;
    }

  return TRUE;
}

/* A service speaks for one path below /services/<id>/, never for the
 * hub's origin: cookies, HTTPS policy and other protocols offered for the
 * whole origin, redirects anywhere, and the hub's own X-Open-IoT-* words
 * are not its to give (docs/protocol.md, "the proxy"). libsoup frames the
 * body itself; the date is the hub's to give. */
static gboolean
skip_response_header (const char *name)
{
  static const char *dropped[] = {
    "Content-Length", "Date", "Set-Cookie", "Set-Cookie2", "Alt-Svc",
    "Strict-Transport-Security", "Location",
  };

  for (guint i = 0; i < G_N_ELEMENTS (dropped); i++)
    {
      if (g_ascii_strcasecmp (name, dropped[i]) == 0)
        return TRUE;
    }
  return is_openiot_header (name);
}

/* X-Open-IoT-* are the hub's word on who is asking: a client never gets to
 * say it itself. */
static gboolean
skip_request_header (const char *name)
{
  return g_ascii_strcasecmp (name, "Host") == 0 ||
         g_ascii_strcasecmp (name, "Content-Length") == 0 ||
         is_openiot_header (name);
}

static void
on_upstream_head (guint               status,
                  const char         *reason,
                  SoupMessageHeaders *upstream_headers,
                  gpointer            user_data)
{
  ProxyRequest *request = user_data;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (request->msg);
  gint64 length = openiot_hubd_upstream_request_get_content_length (request->upstream);
  const char *content_type;

  request->got_head = TRUE;
  soup_server_message_set_status (request->msg, status, reason);
  copy_headers (upstream_headers, response_headers, skip_response_header);

  /* the TD is read whole, within its size limit, to be rewritten */
  if (request->td_base != NULL && SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      request->td = g_byte_array_new ();
      return;
    }

  /* A body of known length keeps it: it still streams piece by piece, and
   * libsoup 3.2's server ends a chunked body with a close_async() that
   * runs in a GLib worker thread — two thread hand-offs and a blocking
   * TLS write per response, most of the hub's cost on a kept-alive
   * connection (bench/RESULTS.md). Event streams have no length and stay
   * chunked. */
  request->content_length = length >= 0;
  if (length >= 0)
    soup_message_headers_set_content_length (response_headers, length);
  else if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED ||
           g_str_equal (soup_server_message_get_method (request->msg), "HEAD"))
    soup_message_headers_set_encoding (response_headers,
                                       SOUP_ENCODING_NONE); /* no body, no framing */
  else
    soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);

  /* An event stream may be quiet for long; the service's keep-alive
   * comments are its business. Other bodies must keep flowing. */
  content_type = soup_message_headers_get_content_type (upstream_headers, NULL);
  request->idle_timeout_seconds =
    g_strcmp0 (content_type, "text/event-stream") == 0 ? 0 : BODY_IDLE_TIMEOUT_SECONDS;
  request->last_activity = g_get_monotonic_time ();
  /* The response timeout (5 minutes, for long-polls) ends with the head:
   * from here the body's idle timeout counts, or none. */
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  if (request->idle_timeout_seconds > 0)
    request->timeout_id = g_timeout_add_seconds (request->idle_timeout_seconds, on_timeout,
                                                 request);

  /* Written pieces are let go of, not kept for the life of the message:
   * an event stream that runs for days would otherwise keep every event. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (request->msg), FALSE);
  request->wrote_id = g_signal_connect (request->msg, "wrote-body-data",
                                        G_CALLBACK (on_wrote_body_data), request);
  openiot_hub_http_unpause (request->msg);
}

static void
on_upstream_body (GBytes   *chunk,
                  gpointer  user_data)
{
  ProxyRequest *request = user_data;
  gsize size = g_bytes_get_size (chunk);

  if (request->td != NULL)
    {
      if (request->td->len + size > OPENIOT_TD_MAX_SIZE)
        {
          g_autofree char *reason = g_strdup_printf ("it is too large (over %u KiB)",
                                                     OPENIOT_TD_MAX_SIZE / 1024);

          g_clear_pointer (&request->upstream, openiot_hubd_upstream_request_cancel);
          respond_unusable_td (request, reason);
          return;
        }
      g_byte_array_append (request->td, g_bytes_get_data (chunk, NULL), size);
      return;
    }

  soup_message_body_append_bytes (soup_server_message_get_response_body (request->msg), chunk);
  request->queued += size;
  request->last_activity = g_get_monotonic_time ();
  openiot_hub_http_unpause (request->msg);
  if (request->queued >= CLIENT_WINDOW_BYTES && request->upstream != NULL)
    {
      request->waiting = TRUE;
      openiot_hubd_upstream_request_set_paused (request->upstream, TRUE);
    }
}

static void
on_upstream_finished (const GError *error,
                      gpointer      user_data)
{
  ProxyRequest *request = user_data;

  request->upstream = NULL; /* freed when this returns */
  g_clear_handle_id (&request->timeout_id, g_source_remove);
  if (!request->got_head)
    respond_upstream_error (request, error);
  else if (request->td != NULL && error != NULL)
    respond_unusable_td (request, error->message);
  else if (request->td != NULL)
    respond_td (request);
  else if (error != NULL)
    end_broken_response (request, error->message);
  else
    {
      soup_message_body_complete (soup_server_message_get_response_body (request->msg));
      openiot_hub_http_unpause (request->msg);
      proxy_request_free (request);
    }
}

static const OpenIotHubdUpstreamCallbacks upstream_callbacks = {
  .got_head = on_upstream_head,
  .got_body = on_upstream_body,
  .finished = on_upstream_finished,
};

/* Returns: (transfer none): the kept-alive connections to @service_id's
 * socket, for the proxy and for the services listing's probes alike */
OpenIotHubdUpstream *
openiot_hubd_proxy_get_upstream (OpenIotHubdProxy *self,
                                 const char       *service_id)
{
  OpenIotHubdUpstream *upstream = g_hash_table_lookup (self->upstreams, service_id);
  g_autoptr(GSocketConnectable) address = NULL;

  if (upstream == NULL)
    {
      address = openiot_hubd_service_socket_new (self->services_dir, service_id);
      upstream = openiot_hubd_upstream_new (address);
      g_hash_table_insert (self->upstreams, g_strdup (service_id), upstream);
    }
  return upstream;
}

/*
 * openiot_hubd_proxy_forward:
 * @path: the encoded path below the service, starting with "/"
 *
 * Forwards @msg to @service_id. The caller has checked the client and the
 * path; the response is written asynchronously.
 */
void
openiot_hubd_proxy_forward (OpenIotHubdProxy   *self,
                           SoupServerMessage *msg,
                           const char        *service_id,
                           const char        *path,
                           OpenIotHubdClient  *client)
{
  g_autofree char *target = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessageHeaders) upstream_headers = NULL;
  GUri *request_uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (request_uri);
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  const char *host = soup_message_headers_get_one (request_headers, "Host");
  OpenIotHubdUpstream *upstream;
  ProxyRequest *request;

  /* A service's directory is looked at when its connections are first
   * made, and again when it does not answer (respond_upstream_error()),
   * not for every request: that was a stat() each time. */
  if (g_hash_table_lookup (self->upstreams, service_id) == NULL &&
      !service_exists (self, service_id))
    {
      respond_no_service (msg, service_id);
      return;
    }

  /* what libsoup's client would have sent: refused unless it parses as
   * the path and query of an http URI */
  target = g_strconcat (path, query ? "?" : "", query ? query : "", NULL);
  uri = g_strconcat ("http://localhost", target, NULL);
  if (!g_uri_is_valid (uri, SOUP_HTTP_URI_FLAGS, NULL) || strpbrk (target, " \t\r\n") != NULL)
    {
      openiot_hub_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad-request",
                                      "Malformed request path");
      return;
    }

  request = g_new0 (ProxyRequest, 1);
  request->proxy = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->service_id = g_strdup (service_id);

  upstream_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  copy_headers (request_headers, upstream_headers, skip_request_header);
  soup_message_headers_replace (upstream_headers, OPENIOT_HEADER_CLIENT_ID, client->id);
  soup_message_headers_replace (upstream_headers, OPENIOT_HEADER_CLIENT_NAME, client->name);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  if (g_str_equal (path, OPENIOT_SERVICE_TD_PATH) && query == NULL &&
      g_str_equal (soup_server_message_get_method (msg), "GET"))
    request->td_base = openiot_hubd_td_base_for_host (host, service_id);

  request->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_client_finished),
                                           request);
  /* A connection ended under a paused message (the client left, or a
   * certificate rotation closed it) emits no "finished" */
  request->disconnected_id = g_signal_connect (msg, "disconnected",
                                               G_CALLBACK (on_client_finished), request);
  openiot_hub_http_pause (msg);
  request->timeout_id = g_timeout_add_seconds (self->response_timeout, on_timeout, request);

  upstream = openiot_hubd_proxy_get_upstream (self, service_id);
  request->upstream = openiot_hubd_upstream_send (upstream, soup_server_message_get_method (msg),
                                                  target, upstream_headers, body,
                                                  &upstream_callbacks, request);
}

OpenIotHubdProxy *
openiot_hubd_proxy_new (const char *services_dir)
{
  OpenIotHubdProxy *self = g_object_new (OPENIOT_TYPE_HUBD_PROXY, NULL);

  self->services_dir = g_canonicalize_filename (services_dir, NULL);
  return self;
}

/*
 * openiot_hubd_proxy_set_response_timeout:
 *
 * How long a service may take to send its response headers before the
 * client gets 504. Long-poll (WoT's `longpoll` subprotocol) answers only
 * when something happens, so the default is 5 minutes
 * (docs/protocol.md); an upstream that never answers is still cut then.
 */
void
openiot_hubd_proxy_set_response_timeout (OpenIotHubdProxy *self,
                                        guint            seconds)
{
  self->response_timeout = seconds;
}

const char *
openiot_hubd_proxy_get_services_dir (OpenIotHubdProxy *self)
{
  return self->services_dir;
}

static void
openiot_hubd_proxy_finalize (GObject *object)
{
  OpenIotHubdProxy *self = OPENIOT_HUBD_PROXY (object);

  g_clear_pointer (&self->upstreams, g_hash_table_unref);
  g_free (self->services_dir);

  G_OBJECT_CLASS (openiot_hubd_proxy_parent_class)->finalize (object);
}

static void
openiot_hubd_proxy_class_init (OpenIotHubdProxyClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hubd_proxy_finalize;
}

static void
openiot_hubd_proxy_init (OpenIotHubdProxy *self)
{
  self->upstreams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->response_timeout = OPENIOT_HUBD_PROXY_DEFAULT_RESPONSE_TIMEOUT;
}
