// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_H2_CONNECTION (openiot_hubd_h2_connection_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdH2Connection, openiot_hubd_h2_connection, OPENIOT,
                      HUBD_H2_CONNECTION, GObject)

void openiot_hubd_h2_connection_serve (SoupServer     *soup,
                                      GIOStream      *tls,
                                      GSocketAddress *local,
                                      GSocketAddress *remote,
                                      guint           idle_timeout);

G_END_DECLS
