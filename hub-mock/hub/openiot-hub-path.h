// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a request on the main port goes, decided from its path alone. */
typedef enum
{
  OPENIOT_HUB_ROUTE_NOT_FOUND,
  OPENIOT_HUB_ROUTE_HUB,
  OPENIOT_HUB_ROUTE_SERVICES,
  OPENIOT_HUB_ROUTE_REGISTRATION,
  OPENIOT_HUB_ROUTE_SERVICE,
  OPENIOT_HUB_ROUTE_BAD_SERVICE_ID,
} OpenIotHubRoute;

gboolean        openiot_hub_path_is_safe (const char   *path);
OpenIotHubRoute openiot_hub_path_route   (const char   *path,
                                          char        **service_id,
                                          const char  **rest);

G_END_DECLS
