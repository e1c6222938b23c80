// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include "openiot-demo-lock.h"

/* A motorised lock: it takes a moment to move, and sometimes jams. */
struct _OpenIotDemoLock
{
  OpenIotDemoThing  parent_instance;

  char             *moving_to;
  double            unlocked_seconds;
  double            battery;
  double            jam_probability;
};

G_DEFINE_FINAL_TYPE (OpenIotDemoLock, openiot_demo_lock, OPENIOT_TYPE_DEMO_THING)

void
openiot_demo_lock_set_jam_probability (OpenIotDemoLock *self,
                                       double           probability)
{
  self->jam_probability = CLAMP (probability, 0.0, 1.0);
}

static void
set_state (OpenIotDemoLock *self,
           const char      *state)
{
  OpenIotDemoThing *thing = OPENIOT_DEMO_THING (self);
  JsonNode *data;

  if (g_strcmp0 (openiot_demo_thing_get_string (thing, "state"), state) == 0)
    return;

  openiot_demo_thing_set_string (thing, "state", state);
  data = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (data, state);
  openiot_demo_thing_emit_event (thing, "stateChanged", data);
}

static void
start_moving (OpenIotDemoLock *self,
              const char      *target)
{
  g_free (self->moving_to);
  self->moving_to = g_strdup (target);
  self->unlocked_seconds = 0;
  set_state (self, "moving");
}

static void
openiot_demo_lock_tick (OpenIotDemoThing *thing,
                        double            seconds)
{
  OpenIotDemoLock *self = OPENIOT_DEMO_LOCK (thing);
  gint64 auto_lock = openiot_demo_thing_get_int (thing, "autoLockSeconds");

  self->battery = MAX (0, self->battery - 0.01 * seconds);
  openiot_demo_thing_set_int (thing, "battery", (gint64) self->battery);

  if (self->moving_to != NULL)
    {
      g_autofree char *target = g_steal_pointer (&self->moving_to);

      if (g_random_double () < self->jam_probability)
        {
          JsonNode *data = json_node_new (JSON_NODE_VALUE);

          set_state (self, "jammed");
          json_node_set_string (data, "The bolt is stuck; lock again to retry");
          openiot_demo_thing_emit_event (thing, "jammed", data);
        }
      else
        set_state (self, target);
      return;
    }

  if (g_str_equal (openiot_demo_thing_get_string (thing, "state"), "unlocked") && auto_lock > 0)
    {
      self->unlocked_seconds += seconds;
      if (self->unlocked_seconds >= auto_lock)
        start_moving (self, "locked");
    }
}

static JsonNode *
openiot_demo_lock_invoke_action (OpenIotDemoThing  *thing,
                                 const char        *name,
                                 JsonNode          *input,
                                 GError           **error)
{
  OpenIotDemoLock *self = OPENIOT_DEMO_LOCK (thing);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (self->battery <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The lock's battery is empty");
      return NULL;
    }

  start_moving (self, g_str_equal (name, "lock") ? "locked" : "unlocked");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, "moving");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
openiot_demo_lock_finalize (GObject *object)
{
  g_free (OPENIOT_DEMO_LOCK (object)->moving_to);

  G_OBJECT_CLASS (openiot_demo_lock_parent_class)->finalize (object);
}

static void
openiot_demo_lock_class_init (OpenIotDemoLockClass *klass)
{
  OpenIotDemoThingClass *thing_class = OPENIOT_DEMO_THING_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = openiot_demo_lock_finalize;
  thing_class->tick = openiot_demo_lock_tick;
  thing_class->invoke_action = openiot_demo_lock_invoke_action;
}

static void
openiot_demo_lock_init (OpenIotDemoLock *self)
{
  OpenIotDemoThing *thing = OPENIOT_DEMO_THING (self);

  self->battery = 87;
  self->jam_probability = 0.1;
  openiot_demo_thing_set_string (thing, "state", "locked");
  openiot_demo_thing_set_int (thing, "battery", 87);
  openiot_demo_thing_set_int (thing, "autoLockSeconds", 0);
  openiot_demo_thing_set_string (thing, "accessCode", "0000");
}
