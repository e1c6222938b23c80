// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "openiot-hubd-client.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_REGISTRY (openiot_hubd_registry_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdRegistry, openiot_hubd_registry, OPENIOT, HUBD_REGISTRY, GObject)

typedef enum
{
  OPENIOT_HUBD_REGISTRY_ERROR_ALREADY_REGISTERED,
  OPENIOT_HUBD_REGISTRY_ERROR_INVALID_CERTIFICATE,
  OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME,
} OpenIotHubdRegistryError;

#define OPENIOT_HUBD_REGISTRY_ERROR (openiot_hubd_registry_error_quark ())
GQuark openiot_hubd_registry_error_quark (void);

OpenIotHubdRegistry *openiot_hubd_registry_load        (const char          *path,
                                                      GError             **error);
OpenIotHubdClient   *openiot_hubd_registry_lookup      (OpenIotHubdRegistry  *self,
                                                      const char          *fingerprint);
gboolean            openiot_hubd_registry_check_client (const char   *name,
                                                       const char   *certificate_pem,
                                                       char        **fingerprint,
                                                       GError      **error);
OpenIotHubdClient   *openiot_hubd_registry_add         (OpenIotHubdRegistry  *self,
                                                      const char          *name,
                                                      const char          *certificate_pem,
                                                      GError             **error);
gboolean            openiot_hubd_registry_revoke      (OpenIotHubdRegistry  *self,
                                                      const char          *client_id,
                                                      GError             **error);
OpenIotHubdClient   *openiot_hubd_registry_rename      (OpenIotHubdRegistry  *self,
                                                      const char          *client_id,
                                                      const char          *name,
                                                      GError             **error);
gboolean            openiot_hubd_registry_remove      (OpenIotHubdRegistry  *self,
                                                      const char          *client_id,
                                                      GError             **error);
GPtrArray          *openiot_hubd_registry_list        (OpenIotHubdRegistry  *self);
guint               openiot_hubd_registry_count_active (OpenIotHubdRegistry *self);

G_END_DECLS
