// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_LISTENER (openiot_hubd_listener_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdListener, openiot_hubd_listener, OPENIOT, HUBD_LISTENER, GObject)

typedef gboolean (*OpenIotHubdListenerTrustFunc) (const char *fingerprint,
                                                 gpointer    user_data);

OpenIotHubdListener *openiot_hubd_listener_new              (SoupServer         *soup,
                                                           GTlsCertificate    *certificate);
gboolean            openiot_hubd_listener_listen           (OpenIotHubdListener *self,
                                                           GSocketAddress     *address,
                                                           GError            **error);
void                openiot_hubd_listener_set_certificate  (OpenIotHubdListener *self,
                                                           GTlsCertificate    *certificate);
void                openiot_hubd_listener_set_idle_timeout (OpenIotHubdListener *self,
                                                           guint               seconds);
void                openiot_hubd_listener_set_trust_func   (OpenIotHubdListener *self,
                                                           OpenIotHubdListenerTrustFunc func,
                                                           gpointer            user_data);
void                openiot_hubd_listener_close_peer       (OpenIotHubdListener *self,
                                                           const char         *fingerprint);

void                openiot_hubd_listener_tag_address      (GSocketAddress     *address,
                                                           const char         *fingerprint,
                                                           GSocket            *socket);
const char         *openiot_hubd_listener_get_address_fingerprint (GSocketAddress *address);

const char         *openiot_hubd_listener_get_peer_fingerprint (SoupServerMessage *msg);
GSocket            *openiot_hubd_listener_get_socket           (SoupServerMessage *msg);

G_END_DECLS
