// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-pairing-link.h"
#include "openiot-pairing-result.h"

G_BEGIN_DECLS

void                  openiot_pair_async  (OpenIotPairingLink   *link,
                                           const char           *device_name,
                                           const char           *certificate_pem,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
OpenIotPairingResult *openiot_pair_finish (GAsyncResult         *result,
                                           GError              **error);
gboolean              openiot_check_device_name (const char     *name,
                                                 GError        **error);

G_END_DECLS
