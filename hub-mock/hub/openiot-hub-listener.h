// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_LISTENER (openiot_hub_listener_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubListener, openiot_hub_listener, OPENIOT, HUB_LISTENER, GObject)

typedef gboolean (*OpenIotHubListenerTrustFunc) (const char *fingerprint,
                                                 gpointer    user_data);

OpenIotHubListener *openiot_hub_listener_new              (SoupServer         *soup,
                                                           GTlsCertificate    *certificate);
gboolean            openiot_hub_listener_listen           (OpenIotHubListener *self,
                                                           GSocketAddress     *address,
                                                           GError            **error);
void                openiot_hub_listener_set_certificate  (OpenIotHubListener *self,
                                                           GTlsCertificate    *certificate);
void                openiot_hub_listener_set_idle_timeout (OpenIotHubListener *self,
                                                           guint               seconds);
void                openiot_hub_listener_set_trust_func   (OpenIotHubListener *self,
                                                           OpenIotHubListenerTrustFunc func,
                                                           gpointer            user_data);
void                openiot_hub_listener_close_peer       (OpenIotHubListener *self,
                                                           const char         *fingerprint);

const char         *openiot_hub_listener_get_peer_fingerprint (SoupServerMessage *msg);
GSocket            *openiot_hub_listener_get_socket           (SoupServerMessage *msg);

G_END_DECLS
