// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-application.h"
#include "openiot-test-hub.h"

G_BEGIN_DECLS

OpenIotHub *openiot_test_app_pair (OpenIotApplication *app,
                                   OpenIotTestHub     *test_hub);

G_END_DECLS
