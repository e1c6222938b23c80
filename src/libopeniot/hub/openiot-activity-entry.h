// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_ACTIVITY_ENTRY (openiot_activity_entry_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotActivityEntry, openiot_activity_entry, OPENIOT, ACTIVITY_ENTRY,
                      GObject)

OpenIotActivityEntry *openiot_activity_entry_new               (GDateTime            *time,
                                                                const char           *service_id,
                                                                const char           *service_title,
                                                                const char           *event,
                                                                const char           *event_title,
                                                                const char           *text);
GDateTime            *openiot_activity_entry_get_time          (OpenIotActivityEntry *self);
const char           *openiot_activity_entry_get_service_id    (OpenIotActivityEntry *self);
const char           *openiot_activity_entry_get_service_title (OpenIotActivityEntry *self);
const char           *openiot_activity_entry_get_event         (OpenIotActivityEntry *self);
const char           *openiot_activity_entry_get_event_title   (OpenIotActivityEntry *self);
const char           *openiot_activity_entry_get_text          (OpenIotActivityEntry *self);

G_END_DECLS
