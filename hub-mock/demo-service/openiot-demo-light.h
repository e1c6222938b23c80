// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-demo-thing.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_DEMO_LIGHT (openiot_demo_light_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDemoLight, openiot_demo_light, OPENIOT, DEMO_LIGHT, OpenIotDemoThing)

G_END_DECLS
