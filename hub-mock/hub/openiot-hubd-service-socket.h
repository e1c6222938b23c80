// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_SERVICE_SOCKET (openiot_hubd_service_socket_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdServiceSocket, openiot_hubd_service_socket, OPENIOT,
                      HUBD_SERVICE_SOCKET, GObject)

GSocketConnectable *openiot_hubd_service_socket_new        (const char  *services_dir,
                                                           const char  *service_id);
gboolean            openiot_hubd_service_socket_dir_exists (const char  *services_dir,
                                                           const char  *service_id);
gboolean            openiot_hubd_service_socket_check_peer (GSocket     *socket,
                                                           GError     **error);

G_END_DECLS
