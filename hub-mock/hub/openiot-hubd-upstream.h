// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_UPSTREAM (openiot_hubd_upstream_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdUpstream, openiot_hubd_upstream, OPENIOT, HUBD_UPSTREAM, GObject)

typedef struct _OpenIotHubdUpstreamRequest OpenIotHubdUpstreamRequest;

/*
 * What a request tells its owner, in this order: got_head once (1xx
 * responses are skipped), got_body for each piece of the body with its
 * framing removed, finished once (@error NULL: the body is complete).
 * The request is freed when finished returns, or when the owner cancels
 * it; after either, no callback comes. A callback may pause or cancel
 * its request.
 */
typedef struct
{
  void (*got_head) (guint               status,
                    const char         *reason,
                    SoupMessageHeaders *headers,
                    gpointer            user_data);
  void (*got_body) (GBytes             *chunk,
                    gpointer            user_data);
  void (*finished) (const GError       *error,
                    gpointer            user_data);
} OpenIotHubdUpstreamCallbacks;

OpenIotHubdUpstream *openiot_hubd_upstream_new (GSocketConnectable *address);

OpenIotHubdUpstreamRequest *
openiot_hubd_upstream_send (OpenIotHubdUpstream                *self,
                            const char                         *method,
                            const char                         *target,
                            SoupMessageHeaders                 *headers,
                            GBytes                             *body,
                            const OpenIotHubdUpstreamCallbacks *callbacks,
                            gpointer                            user_data);

void   openiot_hubd_upstream_request_set_paused         (OpenIotHubdUpstreamRequest *request,
                                                         gboolean                    paused);
void   openiot_hubd_upstream_request_cancel             (OpenIotHubdUpstreamRequest *request);
gint64 openiot_hubd_upstream_request_get_content_length (OpenIotHubdUpstreamRequest *request);
guint  openiot_hubd_upstream_get_n_idle                 (OpenIotHubdUpstream        *self);

G_END_DECLS
