// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_SERVICE_INFO (openiot_service_info_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotServiceInfo, openiot_service_info, OPENIOT, SERVICE_INFO, GObject)

OpenIotServiceInfo *openiot_service_info_new       (const char         *id,
                                                    const char         *title,
                                                    gboolean            up);
const char         *openiot_service_info_get_id    (OpenIotServiceInfo *self);
const char         *openiot_service_info_get_title (OpenIotServiceInfo *self);
gboolean            openiot_service_info_get_up    (OpenIotServiceInfo *self);

G_END_DECLS
