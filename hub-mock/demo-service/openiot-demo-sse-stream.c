// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include <string.h>

#include "openiot-demo-sse-stream.h"
#include "openiot-hub-http.h"

/*
 * One open text/event-stream response. The headers go out with a first
 * comment (a chunked response paused before its first chunk holds its
 * headers back), keep-alive comments reveal a client that went away, and
 * nothing touches the message after its "finished" signal.
 */
struct _OpenIotDemoSseStream
{
  GObject            parent_instance;

  SoupServerMessage *msg;
  char              *source;
  guint              keepalive_id;
  gulong             finished_id;
  gboolean           open;
};

enum {
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (OpenIotDemoSseStream, openiot_demo_sse_stream, G_TYPE_OBJECT)

static void
write_text (OpenIotDemoSseStream *self,
            const char           *text)
{
  if (!self->open)
    return;

  soup_message_body_append (soup_server_message_get_response_body (self->msg),
                            SOUP_MEMORY_COPY, text, strlen (text));
  openiot_hub_http_unpause (self->msg);
}

static gboolean
on_keepalive (gpointer data)
{
  write_text (data, ": keep-alive\n\n");
  return G_SOURCE_CONTINUE;
}

static void
on_finished (SoupServerMessage    *msg,
             OpenIotDemoSseStream *self)
{
  self->open = FALSE;
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_signal_emit (self, signals[CLOSED], 0);
}

/* data may span lines: each becomes its own "data:" field (WHATWG §9.2) */
void
openiot_demo_sse_stream_send (OpenIotDemoSseStream *self,
                              guint64               id,
                              const char           *event,
                              const char           *data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (data, "\n", -1);

  g_string_append_printf (text, "id: %" G_GUINT64_FORMAT "\nevent: %s\n", id, event);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (text, "data: %s\n", lines[i]);
  g_string_append_c (text, '\n');
  write_text (self, text->str);
}

OpenIotDemoSseStream *
openiot_demo_sse_stream_new (SoupServerMessage *msg,
                             const char        *source,
                             guint              keepalive_seconds)
{
  OpenIotDemoSseStream *self = g_object_new (OPENIOT_TYPE_DEMO_SSE_STREAM, NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  self->msg = g_object_ref (msg);
  self->source = g_strdup (source);
  self->open = TRUE;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  self->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_finished), self);
  self->keepalive_id = g_timeout_add_seconds (MAX (keepalive_seconds, 1), on_keepalive, self);
  write_text (self, ": ok\n\n");
  return self;
}

const char *
openiot_demo_sse_stream_get_source (OpenIotDemoSseStream *self)
{
  return self->source;
}

gboolean
openiot_demo_sse_stream_is_open (OpenIotDemoSseStream *self)
{
  return self->open;
}

static void
openiot_demo_sse_stream_dispose (GObject *object)
{
  OpenIotDemoSseStream *self = OPENIOT_DEMO_SSE_STREAM (object);

  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_signal_handler (&self->finished_id, self->msg);
  g_clear_object (&self->msg);

  G_OBJECT_CLASS (openiot_demo_sse_stream_parent_class)->dispose (object);
}

static void
openiot_demo_sse_stream_finalize (GObject *object)
{
  g_free (OPENIOT_DEMO_SSE_STREAM (object)->source);

  G_OBJECT_CLASS (openiot_demo_sse_stream_parent_class)->finalize (object);
}

static void
openiot_demo_sse_stream_class_init (OpenIotDemoSseStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_demo_sse_stream_dispose;
  object_class->finalize = openiot_demo_sse_stream_finalize;

  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
openiot_demo_sse_stream_init (OpenIotDemoSseStream *self)
{
}
