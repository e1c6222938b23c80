// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_DEMO_SSE_STREAM (openiot_demo_sse_stream_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDemoSseStream, openiot_demo_sse_stream, OPENIOT, DEMO_SSE_STREAM,
                      GObject)

OpenIotDemoSseStream *openiot_demo_sse_stream_new        (SoupServerMessage    *msg,
                                                          const char           *source,
                                                          guint                 keepalive_seconds);
const char           *openiot_demo_sse_stream_get_source (OpenIotDemoSseStream *self);
gboolean              openiot_demo_sse_stream_is_open    (OpenIotDemoSseStream *self);
void                  openiot_demo_sse_stream_send       (OpenIotDemoSseStream *self,
                                                          guint64               id,
                                                          const char           *event,
                                                          const char           *data);

G_END_DECLS
