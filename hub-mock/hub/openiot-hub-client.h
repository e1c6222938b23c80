// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One registered client, immutable once made: the registry swaps whole
 * records, so a reference handed to another thread stays consistent. */
typedef struct
{
  gatomicrefcount  ref_count;
  char            *id;
  char            *name;
  char            *fingerprint;
  char            *certificate_pem;
  GDateTime       *registered;
  gboolean         revoked;
} OpenIotHubClient;

#define OPENIOT_TYPE_HUB_CLIENT (openiot_hub_client_get_type ())

GType             openiot_hub_client_get_type  (void) G_GNUC_CONST;
OpenIotHubClient *openiot_hub_client_new       (const char       *id,
                                                const char       *name,
                                                const char       *fingerprint,
                                                const char       *certificate_pem,
                                                GDateTime        *registered,
                                                gboolean          revoked);
OpenIotHubClient *openiot_hub_client_ref       (OpenIotHubClient *self);
void              openiot_hub_client_unref     (OpenIotHubClient *self);
JsonNode         *openiot_hub_client_to_json   (OpenIotHubClient *self,
                                                gboolean          with_certificate);
OpenIotHubClient *openiot_hub_client_from_json (JsonObject       *object,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotHubClient, openiot_hub_client_unref)

G_END_DECLS
