// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include "openiot-thing.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_THING_CACHE (openiot_thing_cache_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotThingCache, openiot_thing_cache, OPENIOT, THING_CACHE, GObject)

OpenIotThingCache *openiot_thing_cache_new          (const char         *directory);
const char        *openiot_thing_cache_get_directory (OpenIotThingCache *self);
OpenIotThing      *openiot_thing_cache_load_thing   (OpenIotThingCache  *self,
                                                     OpenIotHubRecord   *hub,
                                                     const char         *service_id);
gboolean           openiot_thing_cache_save_thing   (OpenIotThingCache  *self,
                                                     const char         *hub_id,
                                                     OpenIotThing       *thing,
                                                     GError            **error);
JsonObject        *openiot_thing_cache_load_values  (OpenIotThingCache  *self,
                                                     const char         *hub_id,
                                                     const char         *service_id,
                                                     GDateTime         **saved);
gboolean           openiot_thing_cache_save_values  (OpenIotThingCache  *self,
                                                     const char         *hub_id,
                                                     const char         *service_id,
                                                     JsonObject         *values,
                                                     GError            **error);
gboolean           openiot_thing_cache_forget_hub   (OpenIotThingCache  *self,
                                                     const char         *hub_id,
                                                     GError            **error);

GBytes            *openiot_thing_cache_load_document (OpenIotThingCache  *self,
                                                     const char         *hub_id,
                                                     const char         *name);
gboolean           openiot_thing_cache_save_document (OpenIotThingCache  *self,
                                                     const char         *hub_id,
                                                     const char         *name,
                                                     GBytes             *contents,
                                                     GError            **error);

G_END_DECLS
