// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include <math.h>

#include "openiot-demo-thermostat.h"

#define AMBIENT_CELSIUS 16.0
#define HEATING_RATE 0.08   /* °C per simulated second */

/*
 * The privacy point of Open-IoT in one device: occupancy is measured and
 * used here, on the hub, while dailySummary is the coarse figure that could
 * be shared with a utility.
 */
struct _OpenIotDemoThermostat
{
  OpenIotDemoThing parent_instance;

  double           temperature_sum;
  guint            samples;
  double           heating_seconds;
  double           boost_seconds;
  gboolean         at_target;
};

G_DEFINE_FINAL_TYPE (OpenIotDemoThermostat, openiot_demo_thermostat, OPENIOT_TYPE_DEMO_THING)

static void
update_summary (OpenIotDemoThermostat *self,
                double                 temperature)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");

  self->temperature_sum += temperature;
  self->samples++;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "averageTemperature");
  json_builder_add_double_value (builder, round (self->temperature_sum / self->samples * 10) / 10);
  json_builder_set_member_name (builder, "heatingMinutes");
  json_builder_add_int_value (builder, (gint64) (self->heating_seconds / 60));
  json_builder_set_member_name (builder, "energyKWh");
  json_builder_add_double_value (builder, round (self->heating_seconds / 3600.0 * 2.0 * 100) / 100);
  json_builder_end_object (builder);

  openiot_demo_thing_set (OPENIOT_DEMO_THING (self), "dailySummary",
                          json_builder_get_root (builder));
}

static void
openiot_demo_thermostat_tick (OpenIotDemoThing *thing,
                              double            seconds)
{
  OpenIotDemoThermostat *self = OPENIOT_DEMO_THERMOSTAT (thing);
  double temperature = openiot_demo_thing_get_double (thing, "temperature");
  double target = openiot_demo_thing_get_double (thing, "targetTemperature");
  const char *mode = openiot_demo_thing_get_string (thing, "mode");
  gboolean heat = g_str_equal (mode,
                               "heat") || g_str_equal (mode, "auto") || self->boost_seconds > 0;
  gboolean cool = g_str_equal (mode, "cool") || g_str_equal (mode, "auto");
  double noise = g_random_double_range (-0.03, 0.03);
  gboolean at_target;

  if (heat && temperature < target)
    {
      temperature += HEATING_RATE * seconds * (self->boost_seconds > 0 ? 3 : 1);
      self->heating_seconds += seconds;
    }
  else if (cool && temperature > target)
    temperature -= HEATING_RATE * seconds;
  else
    temperature += (AMBIENT_CELSIUS - temperature) * 0.01 * seconds;

  self->boost_seconds = MAX (0, self->boost_seconds - seconds);
  temperature += noise;
  openiot_demo_thing_set_double (thing, "temperature", temperature);
  openiot_demo_thing_set_double (thing, "humidity",
                                 CLAMP (openiot_demo_thing_get_double (thing, "humidity") +
                                        g_random_double_range (-0.2, 0.2), 20, 80));

  at_target = g_str_equal (mode, "off") ? FALSE : fabs (temperature - target) < 0.2;
  if (at_target && !self->at_target)
    {
      JsonNode *data = json_node_new (JSON_NODE_VALUE);

      json_node_set_double (data, target);
      openiot_demo_thing_emit_event (thing, "targetReached", data);
    }
  self->at_target = at_target;

  /* Someone comes or goes now and then. */
  if (g_random_double () < 0.02 * seconds * 10)
    {
      gboolean occupied = !openiot_demo_thing_get_boolean (thing, "occupancy");
      JsonNode *data = json_node_new (JSON_NODE_VALUE);

      openiot_demo_thing_set_boolean (thing, "occupancy", occupied);
      json_node_set_boolean (data, occupied);
      openiot_demo_thing_emit_event (thing, "occupancyChanged", data);
    }

  update_summary (self, temperature);
}

static JsonNode *
openiot_demo_thermostat_invoke_action (OpenIotDemoThing  *thing,
                                       const char        *name,
                                       JsonNode          *input,
                                       GError           **error)
{
  OpenIotDemoThermostat *self = OPENIOT_DEMO_THERMOSTAT (thing);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *until_text = NULL;
  gint64 minutes = json_object_get_int_member (json_node_get_object (input), "minutes");

  g_assert (g_str_equal (name, "boost"));

  self->boost_seconds = minutes * 60;
  until = g_date_time_add_minutes (now, minutes);
  until_text = g_date_time_format_iso8601 (until);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "until");
  json_builder_add_string_value (builder, until_text);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
openiot_demo_thermostat_class_init (OpenIotDemoThermostatClass *klass)
{
  OpenIotDemoThingClass *thing_class = OPENIOT_DEMO_THING_CLASS (klass);

  thing_class->tick = openiot_demo_thermostat_tick;
  thing_class->invoke_action = openiot_demo_thermostat_invoke_action;
}

static void
openiot_demo_thermostat_init (OpenIotDemoThermostat *self)
{
  OpenIotDemoThing *thing = OPENIOT_DEMO_THING (self);
  g_autoptr(JsonParser) parser = json_parser_new ();

  openiot_demo_thing_set_double (thing, "temperature", 19.5);
  openiot_demo_thing_set_double (thing, "humidity", 45.0);
  openiot_demo_thing_set_double (thing, "targetTemperature", 21.0);
  openiot_demo_thing_set_string (thing, "mode", "auto");
  openiot_demo_thing_set_boolean (thing, "occupancy", TRUE);
  json_parser_load_from_data (parser,
                              "[{\"time\":\"07:00\",\"target\":21},"
                              "{\"time\":\"22:30\",\"target\":17}]", -1, NULL);
  openiot_demo_thing_set (thing, "schedule", json_node_ref (json_parser_get_root (parser)));
  update_summary (self, 19.5);
}
