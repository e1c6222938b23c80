// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a request on the main port goes, decided from its path alone. */
typedef enum
{
  OPENIOT_HUBD_ROUTE_NOT_FOUND,
  OPENIOT_HUBD_ROUTE_HUB,
  OPENIOT_HUBD_ROUTE_SERVICES,
  OPENIOT_HUBD_ROUTE_REGISTRATION,
  OPENIOT_HUBD_ROUTE_CLIENT_NAME,
  OPENIOT_HUBD_ROUTE_SERVICE,
  OPENIOT_HUBD_ROUTE_BAD_SERVICE_ID,
} OpenIotHubdRoute;

gboolean        openiot_hubd_path_is_safe (const char   *path);
OpenIotHubdRoute openiot_hubd_path_route   (const char   *path,
                                          char        **service_id,
                                          const char  **rest);

G_END_DECLS
