// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_DISCOVERED_HUB (openiot_discovered_hub_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDiscoveredHub, openiot_discovered_hub, OPENIOT, DISCOVERED_HUB,
                      GObject)

OpenIotDiscoveredHub *openiot_discovered_hub_new              (const char           *id,
                                                               const char           *name,
                                                               const char           *address,
                                                               guint16               port,
                                                               guint16               pairing_port,
                                                               gboolean              pairing_open);
const char           *openiot_discovered_hub_get_id           (OpenIotDiscoveredHub *self);
const char           *openiot_discovered_hub_get_name         (OpenIotDiscoveredHub *self);
const char           *openiot_discovered_hub_get_address      (OpenIotDiscoveredHub *self);
guint16               openiot_discovered_hub_get_port         (OpenIotDiscoveredHub *self);
guint16               openiot_discovered_hub_get_pairing_port (OpenIotDiscoveredHub *self);
gboolean              openiot_discovered_hub_get_pairing_open (OpenIotDiscoveredHub *self);
gboolean              openiot_discovered_hub_equal            (OpenIotDiscoveredHub *self,
                                                               OpenIotDiscoveredHub *other);

G_END_DECLS
