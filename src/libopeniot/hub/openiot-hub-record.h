// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "openiot-pairing-result.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_RECORD (openiot_hub_record_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubRecord, openiot_hub_record, OPENIOT, HUB_RECORD, GObject)

OpenIotHubRecord    *openiot_hub_record_new_from_pairing  (OpenIotPairingResult  *result);
OpenIotHubRecord    *openiot_hub_record_new_from_json     (JsonNode              *node,
                                                           GError               **error);
OpenIotHubRecord    *openiot_hub_record_with_certificate  (OpenIotHubRecord      *self,
                                                           const char            *certificate_pem,
                                                           GError               **error);
OpenIotHubRecord    *openiot_hub_record_with_nickname     (OpenIotHubRecord      *self,
                                                           const char            *nickname,
                                                           GError               **error);
JsonNode            *openiot_hub_record_to_json           (OpenIotHubRecord      *self);
const char          *openiot_hub_record_get_id            (OpenIotHubRecord      *self);
const char          *openiot_hub_record_get_name          (OpenIotHubRecord      *self);
const char          *openiot_hub_record_get_nickname      (OpenIotHubRecord      *self);
const char          *openiot_hub_record_get_display_name  (OpenIotHubRecord      *self);
const char          *openiot_hub_record_get_fingerprint   (OpenIotHubRecord      *self);
const char          *openiot_hub_record_get_certificate_pem (OpenIotHubRecord    *self);
const char          *openiot_hub_record_get_client_id     (OpenIotHubRecord      *self);
guint16              openiot_hub_record_get_port          (OpenIotHubRecord      *self);
const char * const  *openiot_hub_record_get_addresses     (OpenIotHubRecord      *self);
const char * const  *openiot_hub_record_get_scopes        (OpenIotHubRecord      *self);
OpenIotVerification  openiot_hub_record_get_verification  (OpenIotHubRecord      *self);
GDateTime           *openiot_hub_record_get_paired        (OpenIotHubRecord      *self);
GDateTime           *openiot_hub_record_get_trusted       (OpenIotHubRecord      *self);

G_END_DECLS
