// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <libopeniot.h>

#include "openiot-hubd-h2-connection.h"

#include "openiot-hubd-listener.h"

/*
 * The main port's front (docs/hub-front.md): accepts TCP connections and
 * runs their TLS handshakes itself, then hands each established TLS stream
 * to the SoupServer with soup_server_accept_iostream(). libsoup 3.2's own
 * listener stops accepting for good at the first EMFILE, puts no deadline
 * on a handshake (a silent connection holds a glib-networking handshake
 * thread until the idle timeout) and leaks the GSocket and the client
 * certificate of every connection it accepted. A connection that
 * negotiates HTTP/2 by ALPN goes to an OpenIotHubdH2Connection instead,
 * which serves each stream through the same SoupServer.
 */

#define DEFAULT_HANDSHAKE_TIMEOUT_SECONDS 10
/* after EMFILE/ENFILE, when no connection closes sooner */
#define REARM_MS 100
#define MAX_CONNECTIONS 65536
#define ACCEPTS_PER_WAKEUP 32
#define LISTEN_BACKLOG 1024

#define PEER_FINGERPRINT_KEY "openiot-peer-fingerprint"
#define SOCKET_KEY "openiot-socket"

typedef struct
{
  OpenIotHubdListener *listener;
  GSocket            *socket;
  GSocketAddress     *local;
  GSocketAddress     *remote;
  GTlsConnection     *tls;          /* during the handshake only */
  GObject            *stream;       /* after it: libsoup's, watched */
  GCancellable       *cancellable;
  GSource            *first_byte;
  guint               deadline_id;
  gint64              accepted_at;
  char               *fingerprint;
  gboolean            handed_over;
  gboolean            closing;      /* shut down, waiting for libsoup or the handshake */
} Link;

struct _OpenIotHubdListener
{
  GObject          parent_instance;

  SoupServer      *soup;
  GTlsCertificate *certificate;
  GPtrArray       *sockets;        /* GSocket *, one per listened address */
  GSocket         *dormant[2];
  GPtrArray       *accept_sources; /* GSource *, one per socket while armed */
  guint            rearm_id;
  GHashTable      *links;          /* Link * */
  guint            max_links;
  guint            handshake_timeout;
  guint            idle_timeout;
  OpenIotHubdListenerTrustFunc trusted;
  gpointer         trusted_data;
};

G_DEFINE_FINAL_TYPE (OpenIotHubdListener, openiot_hubd_listener, G_TYPE_OBJECT)

static void arm (OpenIotHubdListener *self);

static void
link_destroy (Link *link)
{
  if (link->first_byte != NULL)
    {
      g_source_destroy (link->first_byte);
      g_source_unref (link->first_byte);
    }
  g_clear_handle_id (&link->deadline_id, g_source_remove);
  g_socket_close (link->socket, NULL);
  g_clear_object (&link->tls);
  g_clear_object (&link->cancellable);
  g_clear_object (&link->socket);
  g_clear_object (&link->local);
  g_clear_object (&link->remote);
  g_free (link->fingerprint);
  g_free (link);
}

static void
link_free (Link *link)
{
  OpenIotHubdListener *self = link->listener;

  g_hash_table_remove (self->links, link);
  link_destroy (link);

  /* a file descriptor is free again */
  if (self->rearm_id != 0)
    {
      g_clear_handle_id (&self->rearm_id, g_source_remove);
      arm (self);
    }
}

/* Ends @link's connection now. A handshake in flight is cancelled and its
 * callback frees @link; libsoup notices a handed-over connection's end at
 * its next I/O, and the client at once. */
static void
link_close (Link *link)
{
  link->closing = TRUE;
  g_socket_shutdown (link->socket, TRUE, TRUE, NULL);

  if (link->handed_over)
    return;
  if (link->tls != NULL)
    g_cancellable_cancel (link->cancellable);
  else
    link_free (link);
}

static void
on_tls_finalized (gpointer  data,
                  GObject  *where_the_object_was)
{
  link_free (data);
}

static gboolean
on_handshake_deadline (gpointer data)
{
  Link *link = data;

  link->deadline_id = 0;
  g_debug ("Closing a connection that did not finish its TLS handshake in time");
  link_close (link);
  return G_SOURCE_REMOVE;
}

static gboolean
on_accept_certificate (GTlsConnection       *tls,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Self-signed client certificates are the point: take any at the
   * handshake and judge it by fingerprint in the handler. */
  return TRUE;
}

static void
hand_over (Link *link)
{
  OpenIotHubdListener *self = link->listener;
  GTlsCertificate *peer = g_tls_connection_get_peer_certificate (link->tls);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&link->deadline_id, g_source_remove);

  /* The client's last handshake flight is still unacknowledged: the
   * kernel delays that ACK (up to 40 ms) hoping to piggyback it on data,
   * and the hub has nothing to send until the request comes, which a
   * client with Nagle's algorithm on (ab, OpenSSL's default) holds back
   * until that very ACK. Setting TCP_QUICKACK sends the pending ACK now. */
  g_socket_set_option (link->socket, IPPROTO_TCP, TCP_QUICKACK, TRUE, NULL);

  /* libsoup gives the message of a connection it did not accept itself
   * no peer certificate and no socket, but the addresses handed in here;
   * the remote one carries both to the handlers. */
  if (peer != NULL)
    {
      link->fingerprint = openiot_fingerprint_from_certificate (peer);
      if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
        g_debug ("A client presented the certificate %s", link->fingerprint);
    }
  openiot_hubd_listener_tag_address (link->remote, link->fingerprint, link->socket);

  link->handed_over = TRUE;
  link->stream = G_OBJECT (link->tls);
  g_object_weak_ref (link->stream, on_tls_finalized, link);

  if (g_strcmp0 (g_tls_connection_get_negotiated_protocol (link->tls), "h2") == 0)
    {
      /* The socket's timeout would end a connection whose client only
       * listens to an event stream; the HTTP/2 side keeps its own. */
      g_socket_set_timeout (link->socket, 0);
      openiot_hubd_h2_connection_serve (self->soup, G_IO_STREAM (link->tls), link->local,
                                        link->remote,
                                       self->idle_timeout);
    }
  else if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (link->tls), link->local,
                                         link->remote, &error))
    g_warning ("Could not serve a connection: %s", error->message);
  g_clear_object (&link->tls);
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Link *link = data;
  g_autoptr(OpenIotHubdListener) self = link->listener;   /* from on_first_byte() */
  g_autoptr(GError) error = NULL;

  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      g_debug ("A TLS handshake failed: %s", error->message);
      link_free (link);
      return;
    }
  /* closed while its result waited to be dispatched */
  if (link->closing)
    {
      link_free (link);
      return;
    }

  hand_over (link);
}

static gboolean
on_first_byte (GSocket      *socket,
               GIOCondition  condition,
               gpointer      data)
{
  /* No h2c: HTTP/2 only under TLS, by ALPN (docs/protocol.md) */
  static const char *protocols[] = { "h2", "http/1.1", "http/1.0", NULL };
  Link *link = data;
  OpenIotHubdListener *self = link->listener;
  g_autoptr(GIOStream) base = NULL;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  g_clear_pointer (&link->first_byte, g_source_unref);

  /* glib-networking runs each handshake in a worker thread of a small
   * pool: only a client that has sent its hello gets one, so silent
   * connections cost a file descriptor and nothing else. */
  base = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  /* "database" given as NULL: left unset, glib-networking loads the
   * system's CA bundle (200 KiB of PEM) for every connection, ~40 ms.
   * Client certificates are self-signed and judged by fingerprint. */
  tls = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()),
                        NULL, &error,
                        "base-io-stream", base,
                        "certificate", self->certificate,
                        "database", NULL,
                        "authentication-mode", G_TLS_AUTHENTICATION_REQUESTED,
                        "require-close-notify", FALSE,
                        "advertised-protocols", protocols,
                        NULL);
  if (tls == NULL)
    {
      g_warning ("Could not start TLS: %s", error->message);
      link_free (link);
      return G_SOURCE_REMOVE;
    }

  link->tls = G_TLS_CONNECTION (tls);
  link->cancellable = g_cancellable_new ();
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);
  g_object_ref (self);
  g_tls_connection_handshake_async (link->tls, G_PRIORITY_DEFAULT, link->cancellable, on_handshake,
                                    link);

  return G_SOURCE_REMOVE;
}

/* 0: in its handshake, 1: served without a registered certificate,
 * 2: a registered client's */
static int
link_rank (OpenIotHubdListener *self,
           Link               *link)
{
  if (!link->handed_over)
    return 0;
  if (link->fingerprint == NULL || self->trusted == NULL ||
      !self->trusted (link->fingerprint, self->trusted_data))
    return 1;
  return 2;
}

/* When the connections fill the cap, the oldest one still in its
 * handshake goes first, then the oldest a stranger holds: a registered
 * client gets past a flood, a stranger holding connections does not. */
static gboolean
shed_oldest_unauthenticated (OpenIotHubdListener *self)
{
  GHashTableIter iter;
  Link *link, *oldest = NULL;
  int oldest_rank = 2;

  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, (gpointer *) &link, NULL))
    {
      int rank = link_rank (self, link);

      if (link->closing)
        continue;
      if (rank < oldest_rank ||
          (rank == oldest_rank && rank < 2 && link->accepted_at < oldest->accepted_at))
        {
          oldest = link;
          oldest_rank = rank;
        }
    }

  if (oldest == NULL)
    return FALSE;

  g_debug ("Connection limit reached: closing the oldest unauthenticated connection");
  link_close (oldest);
  return TRUE;
}

static void
link_start (OpenIotHubdListener *self,
            GSocket            *socket)
{
  Link *link;

  if (g_hash_table_size (self->links) >= self->max_links && !shed_oldest_unauthenticated (self))
    {
      g_debug ("Connection limit reached: refusing a connection");
      g_socket_close (socket, NULL);
      g_object_unref (socket);
      return;
    }

  link = g_new0 (Link, 1);
  link->listener = self;
  link->socket = socket;
  link->accepted_at = g_get_monotonic_time ();
  g_hash_table_add (self->links, link);

  /* Without it, a response whose end is marked by closing the connection
   * waits for the client's delayed ACK (~40 ms). */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  /* libsoup 3.2's server has no idle timeout of its own; a GSocket timeout
   * makes its I/O sources fail after that much silence, which closes idle
   * and trickling (slowloris) connections. Event streams stay alive
   * through the services' keep-alive comments. */
  g_socket_set_timeout (socket, self->idle_timeout);

  link->local = g_socket_get_local_address (socket, NULL);
  link->remote = g_socket_get_remote_address (socket, NULL);
  if (link->local == NULL || link->remote == NULL)
    {
      link_free (link);
      return;
    }

  link->deadline_id = g_timeout_add_seconds (self->handshake_timeout, on_handshake_deadline, link);
  link->first_byte = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (link->first_byte, G_SOURCE_FUNC (on_first_byte), link, NULL);
  g_source_attach (link->first_byte, NULL);
}

static gboolean
on_rearm (gpointer data)
{
  OpenIotHubdListener *self = data;

  self->rearm_id = 0;
  arm (self);
  return G_SOURCE_REMOVE;
}

static void
disarm (OpenIotHubdListener *self)
{
  g_ptr_array_set_size (self->accept_sources, 0);
}

static gboolean
on_incoming (GSocket      *socket,
             GIOCondition  condition,
             gpointer      data)
{
  OpenIotHubdListener *self = data;

  for (guint i = 0; i < ACCEPTS_PER_WAKEUP; i++)
    {
      g_autoptr(GError) error = NULL;
      GSocket *client = g_socket_accept (socket, NULL, &error);

      if (client != NULL)
        {
          link_start (self, client);
          continue;
        }

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        {
          /* The pending connection stays in the backlog, so the source
           * would fire again at once: stop it until a connection closes
           * or a moment has passed, and make room meanwhile. */
          g_warning ("Cannot accept connections for now: %s", error->message);
          shed_oldest_unauthenticated (self);
          disarm (self);
          if (self->rearm_id == 0)
            self->rearm_id = g_timeout_add (REARM_MS, on_rearm, self);
          return G_SOURCE_REMOVE;
        }

      g_debug ("Could not accept a connection: %s", error->message);
    }

  return G_SOURCE_CONTINUE;
}

static void
arm (OpenIotHubdListener *self)
{
  if (self->accept_sources->len > 0)
    return;

  for (guint i = 0; i < self->sockets->len; i++)
    {
      GSource *source = g_socket_create_source (self->sockets->pdata[i], G_IO_IN, NULL);

      g_source_set_callback (source, G_SOURCE_FUNC (on_incoming), self, NULL);
      g_source_attach (source, NULL);
      g_ptr_array_add (self->accept_sources, source);
    }
}

static void
destroy_source (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

/* The hub's clients reconnect for months: start with as many descriptors
 * as the system lets this process have, and keep a share of them for the
 * proxy's upstream sockets and the hub's own files. */
static guint
raise_file_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 256;

  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }

  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > 2 * MAX_CONNECTIONS + 64)
    return MAX_CONNECTIONS;
  return MAX ((limit.rlim_cur - 64) / 2, 8);
}

gboolean
openiot_hubd_listener_listen (OpenIotHubdListener  *self,
                             GSocketAddress      *address,
                             GError             **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (OPENIOT_IS_HUBD_LISTENER (self), FALSE);
  self->max_links = raise_file_limit ();
  g_debug ("Serving at most %u connections at once", self->max_links);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_blocking (socket, FALSE);
  /* GLib's default of 10 drops the SYNs of a burst of reconnecting clients,
   * which then wait a second or more to retry */
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  g_ptr_array_add (self->sockets, g_steal_pointer (&socket));
  disarm (self);
  arm (self);
  return TRUE;
}

void
openiot_hubd_listener_set_certificate (OpenIotHubdListener *self,
                                      GTlsCertificate    *certificate)
{
  g_return_if_fail (OPENIOT_IS_HUBD_LISTENER (self));

  g_set_object (&self->certificate, certificate);
}

/**
 * openiot_hubd_listener_set_trust_func:
 *
 * Tells the listener which client certificates are registered ones: when
 * the connections fill the cap, theirs are closed last.
 */
void
openiot_hubd_listener_set_trust_func (OpenIotHubdListener          *self,
                                     OpenIotHubdListenerTrustFunc  func,
                                     gpointer                     user_data)
{
  g_return_if_fail (OPENIOT_IS_HUBD_LISTENER (self));

  self->trusted = func;
  self->trusted_data = user_data;
}

void
openiot_hubd_listener_set_idle_timeout (OpenIotHubdListener *self,
                                       guint               seconds)
{
  g_return_if_fail (OPENIOT_IS_HUBD_LISTENER (self));

  self->idle_timeout = seconds;
}

/**
 * openiot_hubd_listener_close_peer:
 * @fingerprint: (nullable): a client certificate's fingerprint, or %NULL
 *   for every connection
 *
 * Ends the open connections of the client with @fingerprint (all of them
 * with %NULL), event streams included, at once.
 */
void
openiot_hubd_listener_close_peer (OpenIotHubdListener *self,
                                 const char         *fingerprint)
{
  g_autoptr(GPtrArray) doomed = g_ptr_array_new ();
  GHashTableIter iter;
  Link *link;

  g_return_if_fail (OPENIOT_IS_HUBD_LISTENER (self));

  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, (gpointer *) &link, NULL))
    if (fingerprint == NULL || g_strcmp0 (link->fingerprint, fingerprint) == 0)
      g_ptr_array_add (doomed, link);

  /* link_close() may free the link, and with it change the table */
  for (guint i = 0; i < doomed->len; i++)
    link_close (g_ptr_array_index (doomed, i));
}

/**
 * openiot_hubd_listener_get_peer_fingerprint:
 *
 * Returns: (nullable): the fingerprint of the client certificate of the
 *   connection @msg came on
 */
const char *
openiot_hubd_listener_get_peer_fingerprint (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_data (G_OBJECT (remote), PEER_FINGERPRINT_KEY) : NULL;
}

/**
 * openiot_hubd_listener_get_socket:
 *
 * Returns: (nullable) (transfer none): the socket of the connection @msg
 *   came on
 */
GSocket *
openiot_hubd_listener_get_socket (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL ? g_object_get_data (G_OBJECT (remote), SOCKET_KEY) : NULL;
}

/**
 * openiot_hubd_listener_tag_address:
 * @fingerprint: (nullable): the client certificate's fingerprint
 * @socket: the socket to shut down to end the connection
 *
 * Makes @address what the handlers learn a connection by:
 * openiot_hubd_listener_get_peer_fingerprint() and _get_socket() read
 * these back from the message's remote address.
 */
void
openiot_hubd_listener_tag_address (GSocketAddress *address,
                                  const char     *fingerprint,
                                  GSocket        *socket)
{
  if (fingerprint != NULL)
    g_object_set_data_full (G_OBJECT (address), PEER_FINGERPRINT_KEY, g_strdup (fingerprint),
                            g_free);
  g_object_set_data_full (G_OBJECT (address), SOCKET_KEY, g_object_ref (socket), g_object_unref);
}

const char *
openiot_hubd_listener_get_address_fingerprint (GSocketAddress *address)
{
  return g_object_get_data (G_OBJECT (address), PEER_FINGERPRINT_KEY);
}

static guint
handshake_timeout_from_environment (void)
{
  const char *text = g_getenv ("OPENIOT_HUB_HANDSHAKE_TIMEOUT");
  guint64 seconds;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, 600, &seconds, NULL))
    return seconds;
  return DEFAULT_HANDSHAKE_TIMEOUT_SECONDS;
}

OpenIotHubdListener *
openiot_hubd_listener_new (SoupServer      *soup,
                          GTlsCertificate *certificate)
{
  OpenIotHubdListener *self = g_object_new (OPENIOT_TYPE_HUBD_LISTENER, NULL);
  g_autoptr(GError) error = NULL;
  int fds[2];

  self->soup = g_object_ref (soup);
  self->certificate = g_object_ref (certificate);

  /* libsoup 3.2 keeps a connection alive after a response only while the
   * server has a listener (request_finished() in soup-server.c): give it
   * one that never has anything to accept, one end of a socket pair. */
  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0 ||
      !(self->dormant[0] = g_socket_new_from_fd (fds[0], &error)) ||
      !(self->dormant[1] = g_socket_new_from_fd (fds[1], &error)) ||
      !soup_server_listen_socket (soup, self->dormant[0], 0, &error))
    g_warning ("Connections will not be kept alive: %s",
               error != NULL ? error->message : g_strerror (errno));

  return self;
}

static void
openiot_hubd_listener_dispose (GObject *object)
{
  OpenIotHubdListener *self = OPENIOT_HUBD_LISTENER (object);
  GHashTableIter iter;
  Link *link;

  g_clear_handle_id (&self->rearm_id, g_source_remove);
  disarm (self);

  /* Handed-over connections are libsoup's now. A link in its handshake
   * holds a reference to the listener: there is none here. */
  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, (gpointer *) &link, NULL))
    {
      g_assert (link->tls == NULL);
      if (link->handed_over)
        g_object_weak_unref (link->stream, on_tls_finalized, link);
      g_hash_table_iter_steal (&iter);
      link_destroy (link);
    }

  G_OBJECT_CLASS (openiot_hubd_listener_parent_class)->dispose (object);
}

static void
openiot_hubd_listener_finalize (GObject *object)
{
  OpenIotHubdListener *self = OPENIOT_HUBD_LISTENER (object);

  g_hash_table_unref (self->links);
  for (guint i = 0; i < self->sockets->len; i++)
    g_socket_close (self->sockets->pdata[i], NULL);
  g_ptr_array_unref (self->sockets);
  g_ptr_array_unref (self->accept_sources);
  g_clear_object (&self->dormant[0]);
  g_clear_object (&self->dormant[1]);
  g_clear_object (&self->certificate);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (openiot_hubd_listener_parent_class)->finalize (object);
}

static void
openiot_hubd_listener_class_init (OpenIotHubdListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_hubd_listener_dispose;
  object_class->finalize = openiot_hubd_listener_finalize;
}

static void
openiot_hubd_listener_init (OpenIotHubdListener *self)
{
  self->links = g_hash_table_new (NULL, NULL);
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->accept_sources = g_ptr_array_new_with_free_func (destroy_source);
  self->handshake_timeout = handshake_timeout_from_environment ();
  self->idle_timeout = 60;
}
