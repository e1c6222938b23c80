// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "openiot-hub-client.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_REGISTRY (openiot_hub_registry_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubRegistry, openiot_hub_registry, OPENIOT, HUB_REGISTRY, GObject)

typedef enum
{
  OPENIOT_HUB_REGISTRY_ERROR_ALREADY_REGISTERED,
  OPENIOT_HUB_REGISTRY_ERROR_INVALID_CERTIFICATE,
  OPENIOT_HUB_REGISTRY_ERROR_INVALID_NAME,
} OpenIotHubRegistryError;

#define OPENIOT_HUB_REGISTRY_ERROR (openiot_hub_registry_error_quark ())
GQuark openiot_hub_registry_error_quark (void);

OpenIotHubRegistry *openiot_hub_registry_load        (const char          *path,
                                                      GError             **error);
OpenIotHubClient   *openiot_hub_registry_lookup      (OpenIotHubRegistry  *self,
                                                      const char          *fingerprint);
gboolean            openiot_hub_registry_check_client (const char   *name,
                                                       const char   *certificate_pem,
                                                       char        **fingerprint,
                                                       GError      **error);
OpenIotHubClient   *openiot_hub_registry_add         (OpenIotHubRegistry  *self,
                                                      const char          *name,
                                                      const char          *certificate_pem,
                                                      GError             **error);
gboolean            openiot_hub_registry_revoke      (OpenIotHubRegistry  *self,
                                                      const char          *client_id,
                                                      GError             **error);
gboolean            openiot_hub_registry_remove      (OpenIotHubRegistry  *self,
                                                      const char          *client_id,
                                                      GError             **error);
GPtrArray          *openiot_hub_registry_list        (OpenIotHubRegistry  *self);
guint               openiot_hub_registry_count_active (OpenIotHubRegistry *self);

G_END_DECLS
