// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include "openiot-demo-meter.h"

#define HISTORY_LENGTH 24
#define HISTORY_EVERY_SECONDS 5.0

/* An electricity meter: power wanders, energy accumulates from it. */
struct _OpenIotDemoMeter
{
  OpenIotDemoThing parent_instance;

  double           energy;
  double           since_history;
  gboolean         overloaded;
};

G_DEFINE_FINAL_TYPE (OpenIotDemoMeter, openiot_demo_meter, OPENIOT_TYPE_DEMO_THING)

static void
append_history (OpenIotDemoThing *thing,
                double            power)
{
  JsonNode *history = json_node_copy (openiot_demo_thing_get (thing, "history"));
  JsonArray *array = json_node_get_array (history);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *timestamp = g_date_time_format_iso8601 (now);
  JsonObject *sample = json_object_new ();

  json_object_set_string_member (sample, "timestamp", timestamp);
  json_object_set_double_member (sample, "power", power);
  json_array_add_object_element (array, sample);
  while (json_array_get_length (array) > HISTORY_LENGTH)
    json_array_remove_element (array, 0);

  openiot_demo_thing_set (thing, "history", history);
}

static void
openiot_demo_meter_tick (OpenIotDemoThing *thing,
                         double            seconds)
{
  OpenIotDemoMeter *self = OPENIOT_DEMO_METER (thing);
  double power = openiot_demo_thing_get_double (thing, "power");
  double threshold = openiot_demo_thing_get_double (thing, "overloadThreshold");
  gboolean overloaded;

  power = CLAMP (power + g_random_double_range (-120, 120), 150, 4500);
  self->energy += power * seconds / 3600.0 / 1000.0;
  openiot_demo_thing_set_double (thing, "power", power);
  openiot_demo_thing_set (thing, "energy",
                          json_node_init_double (json_node_alloc (), self->energy));
  openiot_demo_thing_set_double (thing, "voltage", 230 + g_random_double_range (-2, 2));

  self->since_history += seconds;
  if (self->since_history >= HISTORY_EVERY_SECONDS)
    {
      self->since_history = 0;
      append_history (thing, power);
    }

  overloaded = power > threshold;
  if (overloaded && !self->overloaded)
    openiot_demo_thing_emit_event (thing, "overload",
                                   json_node_init_double (json_node_alloc (), power));
  self->overloaded = overloaded;
}

static JsonNode *
openiot_demo_meter_invoke_action (OpenIotDemoThing  *thing,
                                  const char        *name,
                                  JsonNode          *input,
                                  GError           **error)
{
  OpenIotDemoMeter *self = OPENIOT_DEMO_METER (thing);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "previousEnergy");
  json_builder_add_double_value (builder, self->energy);
  json_builder_end_object (builder);

  self->energy = 0;
  openiot_demo_thing_set (thing, "energy", json_node_init_double (json_node_alloc (), 0));
  return json_builder_get_root (builder);
}

static void
openiot_demo_meter_class_init (OpenIotDemoMeterClass *klass)
{
  OpenIotDemoThingClass *thing_class = OPENIOT_DEMO_THING_CLASS (klass);

  thing_class->tick = openiot_demo_meter_tick;
  thing_class->invoke_action = openiot_demo_meter_invoke_action;
}

static void
openiot_demo_meter_init (OpenIotDemoMeter *self)
{
  OpenIotDemoThing *thing = OPENIOT_DEMO_THING (self);
  JsonNode *history = json_node_new (JSON_NODE_ARRAY);

  self->energy = 1234.5;
  openiot_demo_thing_set_double (thing, "power", 800);
  openiot_demo_thing_set (thing, "energy",
                          json_node_init_double (json_node_alloc (), self->energy));
  openiot_demo_thing_set_double (thing, "voltage", 230);
  json_node_take_array (history, json_array_new ());
  openiot_demo_thing_set (thing, "history", history);
  openiot_demo_thing_set_double (thing, "overloadThreshold", 3500);
}
