// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include "openiot-demo-light.h"

/* A dimmable colour light; "fade" moves brightness over a few ticks. */
struct _OpenIotDemoLight
{
  OpenIotDemoThing parent_instance;

  double           fade_from;
  double           fade_to;
  double           fade_seconds;
  double           fade_elapsed;
};

G_DEFINE_FINAL_TYPE (OpenIotDemoLight, openiot_demo_light, OPENIOT_TYPE_DEMO_THING)

static void
emit_changed (OpenIotDemoThing *thing)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "on");
  json_builder_add_boolean_value (builder, openiot_demo_thing_get_boolean (thing, "on"));
  json_builder_set_member_name (builder, "brightness");
  json_builder_add_int_value (builder, openiot_demo_thing_get_int (thing, "brightness"));
  json_builder_end_object (builder);
  openiot_demo_thing_emit_event (thing, "changed", json_builder_get_root (builder));
}

static void
openiot_demo_light_tick (OpenIotDemoThing *thing,
                         double            seconds)
{
  OpenIotDemoLight *self = OPENIOT_DEMO_LIGHT (thing);
  double progress;

  if (self->fade_seconds <= 0)
    return;

  self->fade_elapsed += seconds;
  progress = MIN (1.0, self->fade_elapsed / self->fade_seconds);
  openiot_demo_thing_set_int (thing, "brightness",
                              (gint64) (self->fade_from +
                                        (self->fade_to - self->fade_from) * progress + 0.5));
  if (progress >= 1.0)
    {
      self->fade_seconds = 0;
      emit_changed (thing);
    }
}

static JsonNode *
openiot_demo_light_invoke_action (OpenIotDemoThing  *thing,
                                  const char        *name,
                                  JsonNode          *input,
                                  GError           **error)
{
  OpenIotDemoLight *self = OPENIOT_DEMO_LIGHT (thing);
  JsonObject *arguments = json_node_get_object (input);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gint64 target = json_object_get_int_member (arguments, "brightness");

  self->fade_from = openiot_demo_thing_get_int (thing, "brightness");
  self->fade_to = target;
  self->fade_seconds = json_object_get_double_member_with_default (arguments, "durationSeconds",
                                                                   1.0);
  self->fade_elapsed = 0;
  openiot_demo_thing_set_boolean (thing, "on", TRUE);
  if (self->fade_seconds <= 0)
    openiot_demo_thing_set_int (thing, "brightness", target);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "finalBrightness");
  json_builder_add_int_value (builder, target);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
openiot_demo_light_property_written (OpenIotDemoThing *thing,
                                     const char       *name)
{
  if (g_str_equal (name, "on") || g_str_equal (name, "brightness"))
    emit_changed (thing);
}

static void
openiot_demo_light_class_init (OpenIotDemoLightClass *klass)
{
  OpenIotDemoThingClass *thing_class = OPENIOT_DEMO_THING_CLASS (klass);

  thing_class->tick = openiot_demo_light_tick;
  thing_class->invoke_action = openiot_demo_light_invoke_action;
  thing_class->property_written = openiot_demo_light_property_written;
}

static void
openiot_demo_light_init (OpenIotDemoLight *self)
{
  OpenIotDemoThing *thing = OPENIOT_DEMO_THING (self);
  g_autoptr(JsonParser) parser = json_parser_new ();

  openiot_demo_thing_set_boolean (thing, "on", FALSE);
  openiot_demo_thing_set_int (thing, "brightness", 70);
  openiot_demo_thing_set_int (thing, "colorTemperature", 3000);
  openiot_demo_thing_set_string (thing, "effect", "none");
  json_parser_load_from_data (parser, "{\"r\":255,\"g\":214,\"b\":170}", -1, NULL);
  openiot_demo_thing_set (thing, "color", json_node_ref (json_parser_get_root (parser)));
}
