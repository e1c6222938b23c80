// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_STATE (openiot_hub_state_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubState, openiot_hub_state, OPENIOT, HUB_STATE, GObject)

OpenIotHubState *openiot_hub_state_load                (const char       *state_dir,
                                                        const char       *name,
                                                        GError          **error);
const char      *openiot_hub_state_get_dir             (OpenIotHubState  *self);
const char      *openiot_hub_state_get_id              (OpenIotHubState  *self);
const char      *openiot_hub_state_get_name            (OpenIotHubState  *self);
const char      *openiot_hub_state_get_fingerprint     (OpenIotHubState  *self);
const char      *openiot_hub_state_get_certificate_pem (OpenIotHubState  *self);
GTlsCertificate *openiot_hub_state_get_tls_certificate (OpenIotHubState  *self);
const char      *openiot_hub_state_get_rotation_previous  (OpenIotHubState *self);
const char      *openiot_hub_state_get_rotation_signature (OpenIotHubState *self);
gboolean         openiot_hub_state_rotate              (OpenIotHubState  *self,
                                                        GError          **error);

G_END_DECLS
