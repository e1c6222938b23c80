// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * OPENIOT_SSE_MAX_LINE:
 *
 * The longest line, in bytes without its line end, that
 * [class@OpenIot.SseParser] accepts.
 */
#define OPENIOT_SSE_MAX_LINE (1024 * 1024)

/**
 * OPENIOT_SSE_MAX_DATA:
 *
 * The most data, in bytes, that one event dispatched by
 * [class@OpenIot.SseParser] may carry.
 */
#define OPENIOT_SSE_MAX_DATA (4 * 1024 * 1024)

#define OPENIOT_TYPE_SSE_PARSER (openiot_sse_parser_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotSseParser, openiot_sse_parser, OPENIOT, SSE_PARSER, GObject)

OpenIotSseParser *openiot_sse_parser_new                (void);
void              openiot_sse_parser_feed               (OpenIotSseParser *self,
                                                         const char       *data,
                                                         gsize             len);
void              openiot_sse_parser_reset              (OpenIotSseParser *self);
const char       *openiot_sse_parser_get_last_event_id  (OpenIotSseParser *self);
int               openiot_sse_parser_get_retry_ms       (OpenIotSseParser *self);

G_END_DECLS
