// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_DISCOVERY (openiot_discovery_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDiscovery, openiot_discovery, OPENIOT, DISCOVERY, GObject)

OpenIotDiscovery *openiot_discovery_new                 (void);
OpenIotDiscovery *openiot_discovery_new_for_connection  (GDBusConnection  *bus);
void              openiot_discovery_start               (OpenIotDiscovery *self);
void              openiot_discovery_stop                (OpenIotDiscovery *self);
gboolean          openiot_discovery_get_available       (OpenIotDiscovery *self);

G_END_DECLS
