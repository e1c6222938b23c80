// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _OpenIotHubdResponseReader OpenIotHubdResponseReader;

/* What one call to openiot_hubd_response_reader_next() came to */
typedef enum
{
  OPENIOT_HUBD_RESPONSE_MORE,   /* the buffer holds too little: read more */
  OPENIOT_HUBD_RESPONSE_HEAD,   /* the final head is in (1xx heads are skipped) */
  OPENIOT_HUBD_RESPONSE_BODY,   /* a piece of body, its framing removed */
  OPENIOT_HUBD_RESPONSE_END,    /* the response ended where its framing said */
  OPENIOT_HUBD_RESPONSE_ERROR,  /* refused; the reader is of no further use */
} OpenIotHubdResponseEvent;

OpenIotHubdResponseReader *openiot_hubd_response_reader_new  (gboolean                    is_head);
void                       openiot_hubd_response_reader_free (OpenIotHubdResponseReader  *self);
OpenIotHubdResponseEvent   openiot_hubd_response_reader_next (OpenIotHubdResponseReader  *self,
                                                              GByteArray                 *in,
                                                              const guint8              **body,
                                                              gsize                      *body_size,
                                                              GError                    **error);

guint               openiot_hubd_response_reader_get_status  (OpenIotHubdResponseReader *self);
const char         *openiot_hubd_response_reader_get_reason  (OpenIotHubdResponseReader *self);
SoupMessageHeaders *openiot_hubd_response_reader_get_headers (OpenIotHubdResponseReader *self);

gint64   openiot_hubd_response_reader_get_content_length (OpenIotHubdResponseReader *self);
gboolean openiot_hubd_response_reader_has_body           (OpenIotHubdResponseReader *self);
gboolean openiot_hubd_response_reader_get_keep_alive     (OpenIotHubdResponseReader *self);
gboolean openiot_hubd_response_reader_got_head           (OpenIotHubdResponseReader *self);
gboolean openiot_hubd_response_reader_ends_at_close      (OpenIotHubdResponseReader *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotHubdResponseReader, openiot_hubd_response_reader_free)

G_END_DECLS
