// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-demo-thing.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_DEMO_METER (openiot_demo_meter_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDemoMeter, openiot_demo_meter, OPENIOT, DEMO_METER, OpenIotDemoThing)

G_END_DECLS
