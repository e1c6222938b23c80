// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <json-glib/json-glib.h>

#include "openiot-thing.h"

G_BEGIN_DECLS

/**
 * OpenIotThingKind:
 * @OPENIOT_THING_KIND_DEVICE: none of the others: a generic device
 * @OPENIOT_THING_KIND_LOCK: a lock
 * @OPENIOT_THING_KIND_THERMOSTAT: a thermostat, heater or temperature sensor
 * @OPENIOT_THING_KIND_LIGHT: a light
 * @OPENIOT_THING_KIND_SWITCH: a switch or plug that turns something on and off
 * @OPENIOT_THING_KIND_METER: a power or energy meter
 *
 * What a Thing is, for an icon: see openiot_thing_get_kind().
 */
typedef enum
{
  OPENIOT_THING_KIND_DEVICE,
  OPENIOT_THING_KIND_LOCK,
  OPENIOT_THING_KIND_THERMOSTAT,
  OPENIOT_THING_KIND_LIGHT,
  OPENIOT_THING_KIND_SWITCH,
  OPENIOT_THING_KIND_METER,
} OpenIotThingKind;

OpenIotThingKind    openiot_thing_get_kind             (OpenIotThing *self);
OpenIotInteraction *openiot_thing_get_primary_property (OpenIotThing *self);
GPtrArray          *openiot_thing_get_one_tap_actions  (OpenIotThing *self);
gboolean            openiot_thing_action_is_redundant  (OpenIotThing *self,
                                                        const char   *action,
                                                        JsonObject   *values);

G_END_DECLS
