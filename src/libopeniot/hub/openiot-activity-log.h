// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-activity-entry.h"
#include "openiot-thing-cache.h"

G_BEGIN_DECLS

/**
 * OPENIOT_ACTIVITY_LOG_MAX_ENTRIES:
 *
 * How many entries a hub's activity log keeps; older ones are dropped.
 */
#define OPENIOT_ACTIVITY_LOG_MAX_ENTRIES 200

#define OPENIOT_TYPE_ACTIVITY_LOG (openiot_activity_log_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotActivityLog, openiot_activity_log, OPENIOT, ACTIVITY_LOG, GObject)

OpenIotActivityLog *openiot_activity_log_new (OpenIotThingCache    *cache,
                                              const char           *hub_id);
void                openiot_activity_log_add (OpenIotActivityLog   *self,
                                              OpenIotActivityEntry *entry);

G_END_DECLS
