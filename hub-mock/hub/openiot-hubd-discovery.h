// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUBD_DISCOVERY (openiot_hubd_discovery_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubdDiscovery, openiot_hubd_discovery, OPENIOT, HUBD_DISCOVERY,
                      GObject)

OpenIotHubdDiscovery *openiot_hubd_discovery_new          (const char          *name,
                                                         guint16              port,
                                                         guint16              pairing_port);
const char          *openiot_hubd_discovery_get_name     (OpenIotHubdDiscovery *self);
void                 openiot_hubd_discovery_set_txt      (OpenIotHubdDiscovery *self,
                                                         const char          *id,
                                                         const char          *fingerprint);
void                 openiot_hubd_discovery_start        (OpenIotHubdDiscovery *self);

G_END_DECLS
