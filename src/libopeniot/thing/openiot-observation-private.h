// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-hub-connection.h"
#include "openiot-interaction.h"
#include "openiot-observation.h"

G_BEGIN_DECLS

OpenIotObservation *_openiot_observation_new (OpenIotHubConnection *connection,
                                              OpenIotForm          *watch,
                                              OpenIotForm          *poll);

G_END_DECLS
