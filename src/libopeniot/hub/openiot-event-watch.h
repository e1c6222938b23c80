// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-activity-log.h"
#include "openiot-hub.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_EVENT_WATCH (openiot_event_watch_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotEventWatch, openiot_event_watch, OPENIOT, EVENT_WATCH, GObject)

OpenIotEventWatch  *openiot_event_watch_new     (OpenIotHub        *hub);
void                openiot_event_watch_start   (OpenIotEventWatch *self);
void                openiot_event_watch_stop    (OpenIotEventWatch *self);
OpenIotHub         *openiot_event_watch_get_hub (OpenIotEventWatch *self);
OpenIotActivityLog *openiot_event_watch_get_log (OpenIotEventWatch *self);

G_END_DECLS
