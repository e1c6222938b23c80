// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_DEMO_THING (openiot_demo_thing_get_type ())

G_DECLARE_DERIVABLE_TYPE (OpenIotDemoThing, openiot_demo_thing, OPENIOT, DEMO_THING, GObject)

struct _OpenIotDemoThingClass
{
  GObjectClass parent_class;

  /* Advance the simulation by @seconds. */
  void      (*tick)             (OpenIotDemoThing  *self,
                                 double             seconds);
  /* @input was validated against the action's input schema. Returns the
   * output (or NULL for none), or NULL with @error set. */
  JsonNode *(*invoke_action)    (OpenIotDemoThing  *self,
                                 const char        *name,
                                 JsonNode          *input,
                                 GError           **error);
  /* A client wrote @name (already validated and stored). */
  void      (*property_written) (OpenIotDemoThing  *self,
                                 const char        *name);

  gpointer padding[8];
};

gboolean    openiot_demo_thing_load_td      (OpenIotDemoThing  *self,
                                             const char        *resource,
                                             GError           **error);
gboolean    openiot_demo_thing_listen       (OpenIotDemoThing  *self,
                                             const char        *socket_path,
                                             GError           **error);
void        openiot_demo_thing_start        (OpenIotDemoThing  *self,
                                             guint              tick_ms,
                                             guint              keepalive_seconds);

JsonNode   *openiot_demo_thing_get          (OpenIotDemoThing  *self,
                                             const char        *name);
double      openiot_demo_thing_get_double   (OpenIotDemoThing  *self,
                                             const char        *name);
gint64      openiot_demo_thing_get_int      (OpenIotDemoThing  *self,
                                             const char        *name);
gboolean    openiot_demo_thing_get_boolean  (OpenIotDemoThing  *self,
                                             const char        *name);
const char *openiot_demo_thing_get_string   (OpenIotDemoThing  *self,
                                             const char        *name);
void        openiot_demo_thing_set          (OpenIotDemoThing  *self,
                                             const char        *name,
                                             JsonNode          *value);
void        openiot_demo_thing_set_double   (OpenIotDemoThing  *self,
                                             const char        *name,
                                             double             value);
void        openiot_demo_thing_set_int      (OpenIotDemoThing  *self,
                                             const char        *name,
                                             gint64             value);
void        openiot_demo_thing_set_boolean  (OpenIotDemoThing  *self,
                                             const char        *name,
                                             gboolean           value);
void        openiot_demo_thing_set_string   (OpenIotDemoThing  *self,
                                             const char        *name,
                                             const char        *value);
void        openiot_demo_thing_emit_event   (OpenIotDemoThing  *self,
                                             const char        *name,
                                             JsonNode          *data);

G_END_DECLS
