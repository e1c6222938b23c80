// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-demo-thing.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_DEMO_LOCK (openiot_demo_lock_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotDemoLock, openiot_demo_lock, OPENIOT, DEMO_LOCK, OpenIotDemoThing)

void openiot_demo_lock_set_jam_probability (OpenIotDemoLock *self,
                                            double           probability);

G_END_DECLS
