// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-bench"

/*
 * openiot-bench-load: a small HTTP/1.1 load generator for the benchmarks
 * (bench/README.md). It exists because the usual loaders (ab, wrk, oha)
 * either are not packaged for Debian 12 or cannot present a client
 * certificate, and the hub answers nothing but /.well-known/open-iot to a
 * client without one.
 *
 * One thread per connection with blocking I/O: with at most a few dozen
 * connections that costs little, and it keeps the timing simple (a
 * request's latency is the time from writing it to reading the last byte
 * of its response, measured in the thread that did both).
 *
 * Modes:
 *   keep-alive (default)  N connections, each sending requests back to back
 *   --close               one request per connection: connect, (TLS
 *                         handshake,) request, close; the latency includes
 *                         the connect and the handshake
 *   --hold S              open N connections, one request on each, print
 *                         {"ready": N} and keep them open and idle for S
 *                         seconds (for measuring a server's memory per
 *                         idle client)
 *
 * Prints one JSON object: rps, p50/p90/p99/max latency in µs, counts.
 */

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <glib.h>
#include <gnutls/gnutls.h>

#define BUFFER_SIZE 65536
#define IO_TIMEOUT_SECONDS 10

typedef struct
{
  char *tcp_host;
  char *tcp_port;
  char *unix_path;
  gboolean tls;
  char *cert;
  char *key;
  char *path;
  char *host_header;
  char *server_name;
  int connections;
  double duration;
  double warmup;
  gboolean close_each;
  double hold;
} Options;

static Options options = {
  .path = NULL,
  .connections = 1,
  .duration = 5.0,
  .warmup = 0.5,
};

static gnutls_certificate_credentials_t credentials;
static char *request_keep_alive;
static char *request_close;
static gint64 measure_start_us;
static gint64 measure_end_us;
static volatile gint stop_flag;

typedef struct
{
  int fd;
  gnutls_session_t session;
  char *buffer;
  gsize used;
} Connection;

typedef struct
{
  GThread *thread;
  GArray *latencies_us; /* guint32, requests completed inside the window */
  guint64 total_requests; /* all completed requests, warm-up included */
  guint64 errors;
  guint64 non_2xx;
  guint64 connects;
} Worker;

static gint64
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
set_timeouts (int fd)
{
  struct timeval tv = { .tv_sec = IO_TIMEOUT_SECONDS };

  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

static int
open_socket (void)
{
  int fd = -1;

  if (options.unix_path != NULL)
    {
      struct sockaddr_un sun = { .sun_family = AF_UNIX };

      if (strlen (options.unix_path) >= sizeof sun.sun_path)
        return -1;
      strcpy (sun.sun_path, options.unix_path);
      fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (fd < 0)
        return -1;
      set_timeouts (fd);
      if (connect (fd, (struct sockaddr *) &sun, sizeof sun) < 0)
        {
          close (fd);
          return -1;
        }
      return fd;
    }
  else
    {
      struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV };
      struct addrinfo *result = NULL;
      int one = 1;

      if (getaddrinfo (options.tcp_host, options.tcp_port, &hints, &result) != 0)
        return -1;
      for (struct addrinfo *ai = result; ai != NULL; ai = ai->ai_next)
        {
          fd = socket (ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
          if (fd < 0)
            continue;
          set_timeouts (fd);
          if (connect (fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
          close (fd);
          fd = -1;
        }
      freeaddrinfo (result);
      if (fd >= 0)
        setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return fd;
    }
}

static void
connection_close (Connection *conn)
{
  if (conn->session != NULL)
    {
      gnutls_bye (conn->session, GNUTLS_SHUT_WR);
      gnutls_deinit (conn->session);
      conn->session = NULL;
    }
  if (conn->fd >= 0)
    close (conn->fd);
  conn->fd = -1;
  conn->used = 0;
}

static gboolean
connection_open (Connection *conn)
{
  int ret;

  conn->used = 0;
  conn->fd = open_socket ();
  if (conn->fd < 0)
    return FALSE;

  if (!options.tls)
    return TRUE;

  gnutls_init (&conn->session, GNUTLS_CLIENT);
  gnutls_set_default_priority (conn->session);
  gnutls_credentials_set (conn->session, GNUTLS_CRD_CERTIFICATE, credentials);
  /* Clients of the hub name it hub.invalid (docs/protocol.md): an IPv6
   * literal as server name is not something to send. */
  if (options.server_name != NULL && options.server_name[0] != '\0')
    gnutls_server_name_set (conn->session, GNUTLS_NAME_DNS, options.server_name,
                            strlen (options.server_name));
  gnutls_transport_set_int (conn->session, conn->fd);
  gnutls_handshake_set_timeout (conn->session, IO_TIMEOUT_SECONDS * 1000);

  do
    ret = gnutls_handshake (conn->session);
  while (ret < 0 && gnutls_error_is_fatal (ret) == 0);

  if (ret < 0)
    {
      g_printerr ("openiot-bench-load: TLS handshake: %s\n", gnutls_strerror (ret));
      connection_close (conn);
      return FALSE;
    }

  return TRUE;
}

static gboolean
connection_write (Connection *conn,
                  const char *data,
                  gsize       length)
{
  while (length > 0)
    {
      ssize_t n;

      if (conn->session != NULL)
        {
          n = gnutls_record_send (conn->session, data, length);
          if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
            continue;
        }
      else
        {
          n = send (conn->fd, data, length, MSG_NOSIGNAL);
          if (n < 0 && errno == EINTR)
            continue;
        }
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }
  return TRUE;
}

/* Reads more bytes into the buffer; returns the count, 0 at EOF, -1 on error. */
static gssize
connection_fill (Connection *conn)
{
  for (;;)
    {
      ssize_t n;

      if (conn->used == BUFFER_SIZE)
        return -1;

      if (conn->session != NULL)
        {
          n = gnutls_record_recv (conn->session, conn->buffer + conn->used,
                                  BUFFER_SIZE - conn->used);
          if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
            continue;
          if (n == GNUTLS_E_PREMATURE_TERMINATION)
            n = 0;
        }
      else
        {
          n = recv (conn->fd, conn->buffer + conn->used, BUFFER_SIZE - conn->used, 0);
          if (n < 0 && errno == EINTR)
            continue;
        }
      if (n < 0)
        return -1;
      conn->used += n;
      return n;
    }
}

static const char *
find_bytes (const char *haystack,
            gsize       length,
            const char *needle)
{
  return g_strstr_len (haystack, length, needle);
}

/* Ensures at least @wanted bytes are buffered. */
static gboolean
connection_need (Connection *conn,
                 gsize       wanted)
{
  while (conn->used < wanted)
    {
      if (connection_fill (conn) <= 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
header_is (const char *line,
           gsize       length,
           const char *name)
{
  gsize n = strlen (name);

  return length > n && line[n] == ':' && g_ascii_strncasecmp (line, name, n) == 0;
}

static const char *
header_value (const char *line,
              gsize       length,
              gsize      *value_length)
{
  const char *colon = memchr (line, ':', length);
  const char *value = colon + 1;
  const char *end = line + length;

  while (value < end && (*value == ' ' || *value == '\t'))
    value++;
  *value_length = end - value;
  return value;
}

/*
 * Reads one response: status line, headers, and a body framed by
 * Content-Length, chunked encoding, or the end of the connection. Returns
 * the status, or -1 on error. *@keep_alive tells whether the connection can
 * carry another request.
 */
static int
read_response (Connection *conn,
               gboolean   *keep_alive)
{
  const char *end_of_head = NULL;
  gsize head_length;
  gsize consumed;
  int status;
  gboolean chunked = FALSE;
  gboolean has_length = FALSE;
  guint64 content_length = 0;
  const char *line;

  *keep_alive = TRUE;

  while ((end_of_head = find_bytes (conn->buffer, conn->used, "\r\n\r\n")) == NULL)
    {
      if (connection_fill (conn) <= 0)
        return -1;
    }
  head_length = end_of_head - conn->buffer + 4;

  if (head_length < 12 || strncmp (conn->buffer, "HTTP/1.", 7) != 0)
    return -1;
  status = atoi (conn->buffer + 9);
  if (conn->buffer[7] == '0')
    *keep_alive = FALSE;

  line = (const char *) memchr (conn->buffer, '\n', head_length) + 1;
  while (line < conn->buffer + head_length - 2)
    {
      const char *eol = find_bytes (line, conn->buffer + head_length - line, "\r\n");
      gsize length = eol - line;
      gsize value_length;
      const char *value;

      if (header_is (line, length, "Content-Length"))
        {
          value = header_value (line, length, &value_length);
          has_length = TRUE;
          content_length = g_ascii_strtoull (value, NULL, 10);
        }
      else if (header_is (line, length, "Transfer-Encoding"))
        {
          value = header_value (line, length, &value_length);
          chunked = g_strstr_len (value, value_length, "chunked") != NULL;
        }
      else if (header_is (line, length, "Connection"))
        {
          value = header_value (line, length, &value_length);
          if (g_ascii_strncasecmp (value, "close", MIN (value_length, 5)) == 0 && value_length >= 5)
            *keep_alive = FALSE;
        }
      line = eol + 2;
    }

  if (status == 204 || status == 304 || (status >= 100 && status < 200))
    consumed = head_length;
  else if (chunked)
    {
      gsize pos = head_length;

      for (;;)
        {
          const char *eol;
          guint64 size;

          while ((eol = find_bytes (conn->buffer + pos, conn->used - pos, "\r\n")) == NULL)
            {
              if (connection_fill (conn) <= 0)
                return -1;
            }
          size = g_ascii_strtoull (conn->buffer + pos, NULL, 16);
          pos = eol - conn->buffer + 2;
          if (size == 0)
            {
              /* Trailers (none expected), then the empty line. */
              for (;;)
                {
                  while ((eol = find_bytes (conn->buffer + pos, conn->used - pos, "\r\n")) == NULL)
                    {
                      if (connection_fill (conn) <= 0)
                        return -1;
                    }
                  if (eol == conn->buffer + pos)
                    {
                      pos += 2;
                      break;
                    }
                  pos = eol - conn->buffer + 2;
                }
              break;
            }
          if (!connection_need (conn, pos + size + 2))
            return -1;
          pos += size + 2;
        }
      consumed = pos;
    }
  else if (has_length)
    {
      if (!connection_need (conn, head_length + content_length))
        return -1;
      consumed = head_length + content_length;
    }
  else
    {
      gssize n;

      while ((n = connection_fill (conn)) > 0)
        ;
      if (n < 0)
        return -1;
      *keep_alive = FALSE;
      consumed = conn->used;
    }

  memmove (conn->buffer, conn->buffer + consumed, conn->used - consumed);
  conn->used -= consumed;
  return status;
}

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  Connection conn = { .fd = -1, .buffer = g_malloc (BUFFER_SIZE) };

  while (!g_atomic_int_get (&stop_flag))
    {
      gint64 start = now_us ();
      gint64 end;
      gboolean keep_alive;
      const char *request = options.close_each ? request_close : request_keep_alive;
      int status;

      if (conn.fd < 0)
        {
          if (!connection_open (&conn))
            {
              worker->errors++;
              g_usleep (10000);
              continue;
            }
          worker->connects++;
          /* In keep-alive mode the handshake is not part of a request. */
          if (!options.close_each)
            start = now_us ();
        }

      if (!connection_write (&conn, request, strlen (request)) ||
          (status = read_response (&conn, &keep_alive)) < 0)
        {
          if (!g_atomic_int_get (&stop_flag))
            worker->errors++;
          connection_close (&conn);
          continue;
        }
      end = now_us ();

      worker->total_requests++;
      if (status < 200 || status > 299)
        worker->non_2xx++;
      if (start >= measure_start_us && end <= measure_end_us)
        {
          guint32 latency = (guint32) MIN (end - start, G_MAXUINT32);

          g_array_append_val (worker->latencies_us, latency);
        }

      if (options.close_each || !keep_alive)
        connection_close (&conn);
    }

  connection_close (&conn);
  g_free (conn.buffer);
  return NULL;
}

static int
compare_u32 (const void *a,
             const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static guint32
percentile (const guint32 *sorted,
            gsize          n,
            double         q)
{
  gsize rank;

  if (n == 0)
    return 0;
  rank = (gsize) ceil (q * n);
  return sorted[CLAMP (rank, 1, n) - 1];
}

static int
run_hold (void)
{
  g_autofree Connection *conns = g_new0 (Connection, options.connections);
  int opened = 0;

  for (int i = 0; i < options.connections; i++)
    {
      gboolean keep_alive;

      conns[i].fd = -1;
      conns[i].buffer = g_malloc (BUFFER_SIZE);
      if (!connection_open (&conns[i]))
        continue;
      if (!connection_write (&conns[i], request_keep_alive, strlen (request_keep_alive)) ||
          read_response (&conns[i], &keep_alive) < 0)
        {
          connection_close (&conns[i]);
          continue;
        }
      opened++;
    }

  g_print ("{\"ready\": %d}\n", opened);
  fflush (stdout);
  g_usleep ((gulong) (options.hold * G_USEC_PER_SEC));

  for (int i = 0; i < options.connections; i++)
    {
      connection_close (&conns[i]);
      g_free (conns[i].buffer);
    }

  g_print ("{\"mode\": \"hold\", \"connections\": %d, \"opened\": %d}\n", options.connections,
           opened);
  return opened == options.connections ? 0 : 1;
}

static int
run_load (void)
{
  g_autofree Worker *workers = g_new0 (Worker, options.connections);
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (guint32));
  guint64 total = 0, errors = 0, non_2xx = 0, connects = 0;
  double mean = 0;
  gint64 started = now_us ();

  measure_start_us = started + (gint64) (options.warmup * G_USEC_PER_SEC);
  measure_end_us = measure_start_us + (gint64) (options.duration * G_USEC_PER_SEC);

  for (int i = 0; i < options.connections; i++)
    {
      workers[i].latencies_us = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 65536);
      workers[i].thread = g_thread_new ("load", worker_run, &workers[i]);
    }

  g_usleep ((gulong) (measure_end_us - now_us ()));
  g_atomic_int_set (&stop_flag, 1);

  for (int i = 0; i < options.connections; i++)
    {
      g_thread_join (workers[i].thread);
      g_array_append_vals (all, workers[i].latencies_us->data, workers[i].latencies_us->len);
      total += workers[i].total_requests;
      errors += workers[i].errors;
      non_2xx += workers[i].non_2xx;
      connects += workers[i].connects;
      g_array_free (workers[i].latencies_us, TRUE);
    }

  qsort (all->data, all->len, sizeof (guint32), compare_u32);
  for (guint i = 0; i < all->len; i++)
    mean += g_array_index (all, guint32, i);
  if (all->len > 0)
    mean /= all->len;

  g_print ("{\"mode\": \"%s\", \"connections\": %d, \"duration\": %.3f, \"requests\": %u, "
           "\"total_requests\": %" G_GUINT64_FORMAT ", \"connects\": %" G_GUINT64_FORMAT ", "
           "\"errors\": %" G_GUINT64_FORMAT ", \"non_2xx\": %" G_GUINT64_FORMAT ", "
           "\"rps\": %.1f, \"mean_us\": %.1f, \"p50_us\": %u, \"p90_us\": %u, \"p99_us\": %u, "
           "\"max_us\": %u}\n",
           options.close_each ? "close" : "keep-alive", options.connections, options.duration,
           all->len, total, connects, errors, non_2xx,
           all->len / options.duration, mean,
           percentile ((guint32 *) all->data, all->len, 0.50),
           percentile ((guint32 *) all->data, all->len, 0.90),
           percentile ((guint32 *) all->data, all->len, 0.99),
           all->len ? g_array_index (all, guint32, all->len - 1) : 0);

  return all->len > 0 && errors == 0 && non_2xx == 0 ? 0 : 1;
}

static gboolean
split_host_port (const char *address)
{
  const char *colon;

  if (address[0] == '[')
    {
      const char *bracket = strchr (address, ']');

      if (bracket == NULL || bracket[1] != ':')
        return FALSE;
      options.tcp_host = g_strndup (address + 1, bracket - address - 1);
      options.tcp_port = g_strdup (bracket + 2);
      return TRUE;
    }
  colon = strrchr (address, ':');
  if (colon == NULL)
    return FALSE;
  options.tcp_host = g_strndup (address, colon - address);
  options.tcp_port = g_strdup (colon + 1);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tcp = NULL;
  const GOptionEntry entries[] = {
    { "tcp", 0, 0, G_OPTION_ARG_STRING, &tcp, "Connect to HOST:PORT ([v6]:PORT)", "ADDR" },
    { "unix", 0, 0, G_OPTION_ARG_FILENAME, &options.unix_path, "Connect to a UNIX socket", "PATH" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &options.tls, "Speak TLS", NULL },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &options.cert, "Client certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &options.key, "Client key (PEM)", "FILE" },
    { "server-name", 0, 0, G_OPTION_ARG_STRING, &options.server_name,
     "TLS server name (default hub.invalid)", "NAME" },
    { "path", 0, 0, G_OPTION_ARG_STRING, &options.path, "Request path", "PATH" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &options.host_header, "Host header (default hub.invalid)",
     "HOST" },
    { "connections", 'c', 0, G_OPTION_ARG_INT, &options.connections,
     "Concurrent connections (default 1)", "N" },
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &options.duration, "Measured seconds (default 5)",
     "S" },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &options.warmup,
     "Unmeasured seconds first (default 0.5)", "S" },
    { "close", 0, 0, G_OPTION_ARG_NONE, &options.close_each, "One request per connection", NULL },
    { "hold", 0, 0, G_OPTION_ARG_DOUBLE, &options.hold,
     "Open N connections and keep them idle for S seconds", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("— HTTP/1.1 load with a client certificate");
  g_autoptr(GError) error = NULL;
  int ret;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("openiot-bench-load: %s\n", error->message);
      return 2;
    }
  if ((tcp == NULL) == (options.unix_path == NULL) || (tcp != NULL && !split_host_port (tcp)) ||
      options.connections < 1 || options.duration <= 0 ||
      (options.tls && options.unix_path != NULL))
    {
      g_printerr ("openiot-bench-load: give exactly one of --tcp ADDR:PORT or --unix PATH, "
                  "--tls only with --tcp\n");
      return 2;
    }
  if (options.path == NULL)
    options.path = g_strdup ("/services/thermostat/properties/temperature");
  if (options.host_header == NULL)
    options.host_header = g_strdup ("hub.invalid");
  if (options.server_name == NULL)
    options.server_name = g_strdup ("hub.invalid");

  signal (SIGPIPE, SIG_IGN);

  if (options.tls)
    {
      gnutls_global_init ();
      gnutls_certificate_allocate_credentials (&credentials);
      if (options.cert != NULL &&
          (ret = gnutls_certificate_set_x509_key_file (credentials, options.cert,
                                                       options.key ? options.key : options.cert,
                                                       GNUTLS_X509_FMT_PEM)) < 0)
        {
          g_printerr ("openiot-bench-load: %s: %s\n", options.cert, gnutls_strerror (ret));
          return 1;
        }
    }

  request_keep_alive = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: %s\r\n"
                                        "User-Agent: openiot-bench-load\r\n"
                                        "Accept: */*\r\n\r\n", options.path, options.host_header);
  request_close = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: %s\r\n"
                                   "User-Agent: openiot-bench-load\r\n"
                                   "Accept: */*\r\nConnection: close\r\n\r\n", options.path,
                                   options.host_header);

  ret = options.hold > 0 ? run_hold () : run_load ();

  if (options.tls)
    {
      gnutls_certificate_free_credentials (credentials);
      gnutls_global_deinit ();
    }
  return ret;
}
