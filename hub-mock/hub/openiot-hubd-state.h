// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_STATE (openiot_hubd_state_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdState, openiot_hubd_state, OPENIOT, HUBD_STATE, GObject)

OpenIotHubdState *openiot_hubd_state_load                    (const char        *state_dir,
                                                             const char        *name,
                                                             GError           **error);
const char       *openiot_hubd_state_get_dir                 (OpenIotHubdState  *self);
const char       *openiot_hubd_state_get_id                  (OpenIotHubdState  *self);
const char       *openiot_hubd_state_get_name                (OpenIotHubdState  *self);
const char       *openiot_hubd_state_get_fingerprint         (OpenIotHubdState  *self);
const char       *openiot_hubd_state_get_certificate_pem     (OpenIotHubdState  *self);
GTlsCertificate  *openiot_hubd_state_get_tls_certificate     (OpenIotHubdState  *self);
const char       *openiot_hubd_state_get_rotation_previous   (OpenIotHubdState  *self);
JsonNode         *openiot_hubd_state_rotation_to_json        (OpenIotHubdState  *self);
gboolean          openiot_hubd_state_rotate                  (OpenIotHubdState  *self,
                                                             GError           **error);

G_END_DECLS
