// SPDX-License-Identifier: GPL-3.0-or-later
//
// The proxy's HTTP/1.1 client to a service socket (openiot-hubd-upstream.c)
// against a scripted service in a child process (the client refuses a
// peer that is the hub's own process): each framing RFC 9112 allows, read
// from responses written a few bytes at a time, and each it refuses.
#define _GNU_SOURCE /* memmem, strcasestr */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "openiot-hubd-service-socket.h"
#include "openiot-hubd-upstream.h"

typedef struct
{
  const char *path;
  const char *response;     /* NULL: made at run time */
  gsize       piece;        /* written this many bytes at a time, 1 ms apart (0: at once) */
  gboolean    close_after;
  gboolean    drop_when_reused; /* close without answering on a kept-alive connection */
  gboolean    answer_early;     /* answer before reading the body, then read nothing */
} ServiceCase;

static ServiceCase cases[] = {
  { "/length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 3 },
  { "/chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5;name=value\r\nhello\r\n6 \r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n", 4 },
  { "/until-close", "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", 5, TRUE },
  { "/continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 0 },
  { "/same-lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 0 },
  { "/two-lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 0 },
  { "/bad-length", "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello", 0 },
  { "/bad-chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
   0 },
  { "/huge-chunk",
   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\nhello", 0 },
  { "/chunk-no-crlf", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
   0 },
  { "/gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello", 0 },
  { "/short", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", 0, TRUE },
  { "/no-answer", "", 0, TRUE },
  { "/switch", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", 0 },
  { "/nul-head", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n", 0 },
  { "/junk-after", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\n", 0 },
  { "/closing", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", 0 },
  { "/drop-when-reused", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh", 0, FALSE, TRUE },
  { "/te-and-length", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                     "5\r\nhello\r\n0\r\n\r\n", 0 },
  { "/te-in-http-1.0",
   "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 0 },
  { "/head-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 0 },
  { "/early-answer", "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n", 0, FALSE,
   FALSE, TRUE },
  { "/huge-head", NULL, 0 },
  { "/big", NULL, 0 },
};

#define BIG_BODY_BYTES (1024 * 1024)

static gsize
case_length (const ServiceCase *c)
{
  /* /nul-head holds a NUL: its length is that of the literal */
  if (g_str_equal (c->path, "/nul-head"))
    return sizeof "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 0\r\n\r\n" - 1;
  return strlen (c->response);
}

static void
write_all (int         fd,
           const char *data,
           gsize       size,
           gsize       piece)
{
  while (size > 0)
    {
      gssize n = write (fd, data, piece > 0 ? MIN (piece, size) : size);

      if (n <= 0)
        return;
      data += n;
      size -= n;
      if (piece > 0)
        g_usleep (1000);
    }
}

/* The scripted service's side of one connection: answers each request
 * by its path, kept alive unless the case closes it. */
static void
serve_connection (int fd)
{
  static char buf[256 * 1024];
  gsize len = 0;
  guint served = 0;

  for (;;)
    {
      char *end;
      char path[256] = "";
      gsize head_len, body_len = 0;
      const char *length;
      const ServiceCase *c = NULL;

      while ((end = memmem (buf, len, "\r\n\r\n", 4)) == NULL)
        {
          gssize n = read (fd, buf + len, sizeof buf - len - 1);

          if (n <= 0)
            return;
          len += n;
        }
      head_len = end - buf + 4;
      buf[len] = '\0';
      sscanf (buf, "%*s %255s", path);
      length = strcasestr (buf, "\r\nContent-Length:");
      if (length != NULL && length < end)
        body_len = strtoul (length + strlen ("\r\nContent-Length:"), NULL, 10);
      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          if (g_str_equal (cases[i].path, path))
            c = &cases[i];
        }
      if (c != NULL && c->answer_early)
        {
          write_all (fd, c->response, case_length (c), 0);
          g_usleep (2 * G_USEC_PER_SEC);
          return;
        }
      while (len < head_len + body_len)
        {
          gssize n = read (fd, buf + len, sizeof buf - len - 1);

          if (n <= 0)
            return;
          len += n;
        }
      memmove (buf, buf + head_len + body_len, len - head_len - body_len);
      len -= head_len + body_len;

      if (c == NULL || (c->drop_when_reused && served > 0))
        return;
      write_all (fd, c->response, case_length (c), c->piece);
      served++;
      if (c->close_after)
        return;
    }
}

static void
serve (int listener)
{
  signal (SIGCHLD, SIG_IGN);
  for (;;)
    {
      int fd = accept (listener, NULL, NULL);

      if (fd < 0)
        continue;
      if (fork () == 0)
        {
          prctl (PR_SET_PDEATHSIG, SIGTERM);
          close (listener);
          serve_connection (fd);
          close (fd);
          _exit (0);
        }
      close (fd);
    }
}

typedef struct
{
  GMainLoop *loop;
  guint      status;
  guint      n_heads;
  gint64     content_length;
  GString   *body;
  GError    *error;
  gboolean   done;
  gboolean   pause_once;
  gboolean   paused;
  gboolean   cancel_in_head;
  OpenIotHubdUpstreamRequest *request;
} Exchange;

static void
on_head (guint               status,
         const char         *reason,
         SoupMessageHeaders *headers,
         gpointer            user_data)
{
  Exchange *exchange = user_data;

  exchange->status = status;
  exchange->n_heads++;
  exchange->content_length = openiot_hubd_upstream_request_get_content_length (exchange->request);
  if (exchange->cancel_in_head)
    {
      openiot_hubd_upstream_request_cancel (exchange->request);
      exchange->done = TRUE;
      g_main_loop_quit (exchange->loop);
    }
}

static gboolean
resume (gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange->paused = FALSE;
  openiot_hubd_upstream_request_set_paused (exchange->request, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_body (GBytes   *chunk,
         gpointer  user_data)
{
  Exchange *exchange = user_data;
  gsize size;
  const char *data = g_bytes_get_data (chunk, &size);

  g_assert_false (exchange->paused);
  g_string_append_len (exchange->body, data, size);
  if (exchange->pause_once)
    {
      /* nothing may come while paused: the next piece arrives only
       * after resume() */
      exchange->pause_once = FALSE;
      exchange->paused = TRUE;
      openiot_hubd_upstream_request_set_paused (exchange->request, TRUE);
      g_assert_cmpuint (exchange->body->len, <, BIG_BODY_BYTES);
      g_timeout_add (100, resume, exchange);
    }
}

static void
on_finished (const GError *error,
             gpointer      user_data)
{
  Exchange *exchange = user_data;

  g_assert_false (exchange->done);
  exchange->error = error ? g_error_copy (error) : NULL;
  exchange->done = TRUE;
  g_main_loop_quit (exchange->loop);
}

static const OpenIotHubdUpstreamCallbacks callbacks = { on_head, on_body, on_finished };

static char *services_dir;
static GPid service_pid;
/* the responses made at run time, kept for the service's life */
static GString *huge_head_response;
static GString *big_response;

static Exchange *
exchange_run (OpenIotHubdUpstream *upstream,
              const char          *method,
              const char          *path,
              SoupMessageHeaders  *headers,
              gboolean             pause_once,
              gboolean             cancel_in_head)
{
  Exchange *exchange = g_new0 (Exchange, 1);
  g_autoptr(SoupMessageHeaders) no_headers =
    soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

  /* larger than the socket's buffer: the service answers before all of
   * it is written */
  if (g_str_equal (path, "/early-answer"))
    {
      g_bytes_unref (body);
      body = g_bytes_new_take (g_malloc0 (4 * 1024 * 1024), 4 * 1024 * 1024);
    }

  exchange->loop = g_main_loop_new (NULL, FALSE);
  exchange->body = g_string_new (NULL);
  exchange->pause_once = pause_once;
  exchange->cancel_in_head = cancel_in_head;
  exchange->request = openiot_hubd_upstream_send (upstream, method, path,
                                                  headers ? headers : no_headers,
                                                  g_str_equal (method, "GET") ? NULL : body,
                                                  &callbacks, exchange);
  /* no callback before send returns */
  g_assert_false (exchange->done);
  g_main_loop_run (exchange->loop);
  return exchange;
}

static void
exchange_free (Exchange *exchange)
{
  g_main_loop_unref (exchange->loop);
  g_string_free (exchange->body, TRUE);
  g_clear_error (&exchange->error);
  g_free (exchange);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_free)

static OpenIotHubdUpstream *
upstream_new (void)
{
  g_autoptr(GSocketConnectable) address = openiot_hubd_service_socket_new (services_dir, "svc");

  return openiot_hubd_upstream_new (address);
}

static void
test_framings_read (void)
{
  static const struct
  {
    const char *path;
    guint status;
    const char *body;
    gboolean reused;
  } ok[] = {
    { "/length", 200, "hello", TRUE },
    { "/chunked", 200, "hello world", TRUE },
    { "/until-close", 200, "until close", FALSE },
    { "/continue", 204, "", TRUE },
    { "/same-lengths", 200, "hello", TRUE },
    { "/junk-after", 200, "hello", FALSE },
    { "/closing", 200, "ok", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(OpenIotHubdUpstream) upstream = upstream_new ();
      g_autoptr(Exchange) exchange = exchange_run (upstream, "GET", ok[i].path, NULL, FALSE, FALSE);

      g_test_message ("%s", ok[i].path);
      g_assert_no_error (exchange->error);
      g_assert_cmpuint (exchange->n_heads, ==, 1);
      g_assert_cmpuint (exchange->status, ==, ok[i].status);
      g_assert_cmpstr (exchange->body->str, ==, ok[i].body);
      /* reused only after a response that ended where its framing said */
      g_assert_cmpuint (openiot_hubd_upstream_get_n_idle (upstream), ==, ok[i].reused ? 1 : 0);
    }
}

static void
test_framings_refused (void)
{
  static const struct { const char *path; gboolean head_first; const char *why; } refused[] = {
    { "/two-lengths", FALSE, "two different Content-Lengths" },
    { "/bad-length", FALSE, "malformed Content-Length" },
    { "/gzip", FALSE, "Transfer-Encoding other than chunked" },
    { "/bad-chunk", TRUE, "malformed chunked body" },
    { "/huge-chunk", TRUE, "malformed chunked body" },
    { "/chunk-no-crlf", TRUE, "malformed chunked body" },
    { "/short", TRUE, "before the end of the response" },
    { "/no-answer", FALSE, "without answering" },
    { "/switch", FALSE, "switch protocols" },
    { "/nul-head", FALSE, "malformed response head" },
    { "/huge-head", FALSE, "larger than 64 KiB" },
    { "/te-and-length", FALSE, "both Transfer-Encoding and Content-Length" },
    { "/te-in-http-1.0", FALSE, "Transfer-Encoding in an HTTP/1.0 response" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(OpenIotHubdUpstream) upstream = upstream_new ();
      g_autoptr(Exchange) exchange = exchange_run (upstream, "GET", refused[i].path, NULL, FALSE,
                                                   FALSE);

      g_test_message ("%s: %s", refused[i].path,
                      exchange->error ? exchange->error->message : "no error");
      g_assert_nonnull (exchange->error);
      g_assert_nonnull (strstr (exchange->error->message, refused[i].why));
      g_assert_cmpuint (exchange->n_heads, ==, refused[i].head_first ? 1 : 0);
      g_assert_cmpuint (openiot_hubd_upstream_get_n_idle (upstream), ==, 0);
    }
}

/* A kept-alive connection that the service closes as it is reused: an
 * idempotent request goes again on a new connection, a POST does not. */
static void
test_retry_on_stale_connection (void)
{
  g_autoptr(OpenIotHubdUpstream) upstream = upstream_new ();
  g_autoptr(Exchange) first = exchange_run (upstream, "GET", "/length", NULL, FALSE, FALSE);
  g_autoptr(Exchange) get = NULL;
  g_autoptr(Exchange) again = NULL;
  g_autoptr(Exchange) post = NULL;

  g_assert_no_error (first->error);
  get = exchange_run (upstream, "GET", "/drop-when-reused", NULL, FALSE, FALSE);
  g_assert_no_error (get->error);
  g_assert_cmpstr (get->body->str, ==, "fresh");

  again = exchange_run (upstream, "PUT", "/length", NULL, FALSE, FALSE);
  g_assert_no_error (again->error);
  g_assert_cmpuint (openiot_hubd_upstream_get_n_idle (upstream), ==, 1);
  post = exchange_run (upstream, "POST", "/drop-when-reused", NULL, FALSE, FALSE);
  g_assert_nonnull (post->error);
  g_assert_cmpuint (post->n_heads, ==, 0);
}

/* The length of a body a HEAD answer does not send is passed on, and
 * nothing is read as its body. */
static void
test_head_keeps_its_length (void)
{
  g_autoptr(OpenIotHubdUpstream) upstream = upstream_new ();
  g_autoptr(Exchange) head = exchange_run (upstream, "HEAD", "/head-length", NULL, FALSE, FALSE);
  g_autoptr(Exchange) next = NULL;

  g_assert_no_error (head->error);
  g_assert_cmpint (head->content_length, ==, 5);
  g_assert_cmpuint (head->body->len, ==, 0);
  g_assert_cmpuint (openiot_hubd_upstream_get_n_idle (upstream), ==, 1);
  next = exchange_run (upstream, "GET", "/length", NULL, FALSE, FALSE);
  g_assert_cmpstr (next->body->str, ==, "hello");
}

/* A service that answers before it has read the whole request: the rest
 * of the request must never be taken for the start of the next one. */
static void
test_early_answer_is_not_reused (void)
{
  g_autoptr(OpenIotHubdUpstream) upstream = upstream_new ();
  g_autoptr(Exchange) exchange = exchange_run (upstream, "POST", "/early-answer", NULL, FALSE,
                                               FALSE);

  g_assert_no_error (exchange->error);
  g_assert_cmpuint (exchange->status, ==, 413);
  g_assert_cmpuint (openiot_hubd_upstream_get_n_idle (upstream), ==, 0);
}

static void
test_pause_holds_the_body (void)
{
  g_autoptr(OpenIotHubdUpstream) upstream = upstream_new ();
  g_autoptr(Exchange) exchange = exchange_run (upstream, "GET", "/big", NULL, TRUE, FALSE);

  g_assert_no_error (exchange->error);
  g_assert_cmpuint (exchange->body->len, ==, BIG_BODY_BYTES);
  for (gsize i = 0; i < BIG_BODY_BYTES; i++)
    g_assert_cmpint (exchange->body->str[i], ==, 'a' + i % 26);
}

static void
test_cancel_in_callback (void)
{
  g_autoptr(OpenIotHubdUpstream) upstream = upstream_new ();
  g_autoptr(Exchange) exchange = exchange_run (upstream, "GET", "/big", NULL, FALSE, TRUE);
  g_autoptr(Exchange) next = NULL;

  g_assert_cmpuint (exchange->n_heads, ==, 1);
  g_assert_cmpuint (exchange->body->len, ==, 0);
  /* the cancelled response's connection is not reused for the next */
  g_assert_cmpuint (openiot_hubd_upstream_get_n_idle (upstream), ==, 0);
  next = exchange_run (upstream, "GET", "/length", NULL, FALSE, FALSE);
  g_assert_cmpstr (next->body->str, ==, "hello");
}

static void
start_service (void)
{
  g_autofree char *dir = g_build_filename (services_dir, "svc", NULL);
  g_autofree char *socket_path = g_build_filename (dir, "interface.sock", NULL);
  struct sockaddr_un addr = { .sun_family = AF_UNIX };
  GString *head = huge_head_response = g_string_new ("HTTP/1.1 200 OK\r\n");
  GString *big = big_response = g_string_new ("HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n");

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (head, "X-Filler-%u: %032u\r\n", i, i);
  g_string_append (head, "Content-Length: 0\r\n\r\n");
  for (gsize i = 0; i < BIG_BODY_BYTES; i++)
    g_string_append_c (big, 'a' + i % 26);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      if (g_str_equal (cases[i].path, "/huge-head"))
        cases[i].response = head->str;
      else if (g_str_equal (cases[i].path, "/big"))
        cases[i].response = big->str;
    }

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_strlcpy (addr.sun_path, socket_path, sizeof addr.sun_path);
  service_pid = fork ();
  if (service_pid == 0)
    {
      /* listen()ed to by the child: the client reads the peer's pid from
       * the socket and refuses its own */
      int listener = socket (AF_UNIX, SOCK_STREAM, 0);

      setpgid (0, 0);
      prctl (PR_SET_PDEATHSIG, SIGTERM);
      if (bind (listener, (struct sockaddr *) &addr, sizeof addr) != 0 ||
          listen (listener, 64) != 0)
        _exit (1);
      serve (listener);
    }
  while (!g_file_test (socket_path, G_FILE_TEST_EXISTS))
    g_usleep (1000);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  services_dir = g_dir_make_tmp ("test-hub-upstream-XXXXXX", NULL);
  start_service ();

  g_test_add_func ("/hub/upstream/framings-read", test_framings_read);
  g_test_add_func ("/hub/upstream/framings-refused", test_framings_refused);
  g_test_add_func ("/hub/upstream/retry-on-stale-connection", test_retry_on_stale_connection);
  g_test_add_func ("/hub/upstream/head-keeps-its-length", test_head_keeps_its_length);
  g_test_add_func ("/hub/upstream/early-answer-is-not-reused", test_early_answer_is_not_reused);
  g_test_add_func ("/hub/upstream/pause-holds-the-body", test_pause_holds_the_body);
  g_test_add_func ("/hub/upstream/cancel-in-callback", test_cancel_in_callback);
  status = g_test_run ();

  kill (-service_pid, SIGTERM);
  waitpid (service_pid, NULL, 0);
  {
    g_autofree char *socket_path = g_build_filename (services_dir, "svc", "interface.sock", NULL);
    g_autofree char *dir = g_build_filename (services_dir, "svc", NULL);

    g_unlink (socket_path);
    g_rmdir (dir);
    g_rmdir (services_dir);
  }
  g_string_free (huge_head_response, TRUE);
  g_string_free (big_response, TRUE);
  g_free (services_dir);
  return status;
}
