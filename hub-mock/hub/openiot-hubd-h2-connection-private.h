// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

/* Shared by openiot-hubd-h2-connection.c (nghttp2 and the TLS stream) and
 * openiot-hubd-h2-connection-internal.c (the internal HTTP/1.1 connections
 * into the SoupServer), one class split by concern. */

#include <nghttp2/nghttp2.h>

#include "openiot-hubd-response-reader.h"

#include "openiot-hubd-h2-connection.h"

G_BEGIN_DECLS

/* SETTINGS_MAX_CONCURRENT_STREAMS: as nginx and most servers */
#define MAX_CONCURRENT_STREAMS 100
/* The HTTP/1 path allows 64 headers and 16 KiB of them; HPACK counts 32
 * bytes more per field (RFC 9113 §6.5.2). */
#define MAX_HEADER_LIST_BYTES (16 * 1024 + 64 * 32)
/* Internal connections alive at once, idle ones included, per client
 * connection: streams past it wait (and the client is not read) until
 * one is released, so resetting streams cannot pile work up in the hub. */
#define MAX_INTERNAL_CONNECTIONS 128
#define MAX_IDLE_INTERNAL_CONNECTIONS 16
/* As the proxy's CLIENT_WINDOW_BYTES for HTTP/1 */
#define STREAM_BUFFER_BYTES (64 * 1024)
/* and over all the streams of a connection: 16 of those */
#define CONNECTION_BUFFER_BYTES (1024 * 1024)
#define READ_BYTES (16 * 1024)
/* Output gathered into one TLS write */
#define WRITE_BATCH_BYTES (16 * 1024)
/* RST_STREAM frames from the client: burst, then per second */
#define RESET_BURST 1000
#define RESET_RATE 33

typedef struct _Backend Backend;

typedef struct
{
  OpenIotHubdH2Connection *conn;
  int32_t                 id;
  GString                *head;           /* the HTTP/1.1 request head being built */
  char                   *method;
  char                   *path;
  char                   *authority;
  GString                *cookie;
  gsize                   header_bytes;
  gboolean                too_large;      /* past MAX_HEADER_LIST_BYTES: 431 */
  gboolean                has_length;
  gboolean                chunked;        /* a body without Content-Length */
  gboolean                head_ready;
  gboolean                request_done;   /* END_STREAM seen, the end framed */
  GByteArray             *request_out;    /* to write to the internal connection */
  gsize                   unconsumed;     /* DATA bytes in request_out */
  Backend                *backend;
  GByteArray             *response;       /* decoded body, waiting for the client */
  gboolean                response_started;
  gboolean                response_done;
  gboolean                deferred;
  gboolean                waiting;        /* in conn->waiting */
} Stream;

struct _Backend
{
  OpenIotHubdH2Connection *conn;
  GSocket                *socket;         /* the hub's end; libsoup has the other */
  GSource                *read_source;
  GSource                *write_source;
  Stream                 *stream;
  OpenIotHubdResponseReader *reader;     /* the stream's response; NULL while idle */
  GByteArray             *in;             /* read, not yet parsed */
  gboolean                done;           /* the response ended where its framing said */
};

struct _OpenIotHubdH2Connection
{
  GObject          parent_instance;

  SoupServer      *soup;
  GIOStream       *tls;
  GSocketAddress  *local;
  GSocketAddress  *remote;
  char            *fingerprint;
  nghttp2_session *session;
  GSource         *read_source;
  GSource         *write_source;
  GByteArray      *out;             /* serialized frames not yet written */
  GHashTable      *streams;         /* stream id → Stream */
  GQueue           idle;            /* Backend *, ready for a request */
  GQueue           waiting;         /* Stream *, for a backend */
  guint            alive;           /* internal connections libsoup holds */
  guint            idle_timeout;
  guint            idle_id;
  gsize            buffered;        /* response bytes waiting, all streams */
  gint64           last_io;         /* last byte read or written */
  gboolean         dispatching;
  gboolean         closed;
};

void     openiot_hubd_h2_connection_update_io (OpenIotHubdH2Connection *self);
void     openiot_hubd_h2_submit_response      (Stream                 *stream,
                                              guint                   status,
                                              SoupMessageHeaders     *headers,
                                              gboolean                has_body);

Backend *openiot_hubd_h2_take_backend         (OpenIotHubdH2Connection *self);
void     openiot_hubd_h2_backend_free         (Backend                *backend);
void     openiot_hubd_h2_backend_update_io    (Backend                *backend);
void     openiot_hubd_h2_stream_attach        (Stream                 *stream,
                                              Backend                *backend);
void     openiot_hubd_h2_dispatch_waiting     (OpenIotHubdH2Connection *self);

/* Whether there is room to read more of @stream's response. */
static inline gboolean
openiot_hubd_h2_stream_has_room (Stream *stream)
{
  return stream->response->len < STREAM_BUFFER_BYTES &&
         stream->conn->buffered < CONNECTION_BUFFER_BYTES;
}

G_END_DECLS
