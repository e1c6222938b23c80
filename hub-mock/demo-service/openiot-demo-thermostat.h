// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-demo-thing.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_DEMO_THERMOSTAT (openiot_demo_thermostat_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDemoThermostat, openiot_demo_thermostat, OPENIOT, DEMO_THERMOSTAT,
                      OpenIotDemoThing)

G_END_DECLS
