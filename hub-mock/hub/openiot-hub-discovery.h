// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_HUB_DISCOVERY (openiot_hub_discovery_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHubDiscovery, openiot_hub_discovery, OPENIOT, HUB_DISCOVERY, GObject)

OpenIotHubDiscovery *openiot_hub_discovery_new          (const char          *name,
                                                         guint16              port,
                                                         guint16              pairing_port);
const char          *openiot_hub_discovery_get_name     (OpenIotHubDiscovery *self);
void                 openiot_hub_discovery_set_txt      (OpenIotHubDiscovery *self,
                                                         const char          *id,
                                                         const char          *fingerprint,
                                                         gboolean             pairing_open);
void                 openiot_hub_discovery_start        (OpenIotHubDiscovery *self);

G_END_DECLS
