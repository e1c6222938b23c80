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
} OpenIotHubdClient;

#define OPENIOT_TYPE_HUBD_CLIENT (openiot_hubd_client_get_type ())

GType             openiot_hubd_client_get_type  (void) G_GNUC_CONST;
OpenIotHubdClient *openiot_hubd_client_new       (const char       *id,
                                                const char       *name,
                                                const char       *fingerprint,
                                                const char       *certificate_pem,
                                                GDateTime        *registered,
                                                gboolean          revoked);
OpenIotHubdClient *openiot_hubd_client_ref       (OpenIotHubdClient *self);
void              openiot_hubd_client_unref     (OpenIotHubdClient *self);
JsonNode         *openiot_hubd_client_to_json   (OpenIotHubdClient *self,
                                                gboolean          with_certificate);
OpenIotHubdClient *openiot_hubd_client_from_json (JsonObject       *object,
                                                GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotHubdClient, openiot_hubd_client_unref)

G_END_DECLS
