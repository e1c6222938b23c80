// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_IDENTITY (openiot_identity_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotIdentity, openiot_identity, OPENIOT, IDENTITY, GObject)

void             openiot_identity_load_async          (const char           *store_dir,
                                                       const char           *device_name,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
OpenIotIdentity *openiot_identity_load_finish         (GAsyncResult         *result,
                                                       GError              **error);
const char      *openiot_identity_get_name            (OpenIotIdentity      *self);
const char      *openiot_identity_get_certificate_pem (OpenIotIdentity      *self);
const char      *openiot_identity_get_fingerprint     (OpenIotIdentity      *self);
GTlsCertificate *openiot_identity_get_tls_certificate (OpenIotIdentity      *self);

G_END_DECLS
