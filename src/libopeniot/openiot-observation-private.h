// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-hub-connection.h"
#include "openiot-interaction.h"
#include "openiot-observation.h"

G_BEGIN_DECLS

OpenIotObservation *_openiot_observation_new (OpenIotHubConnection *connection,
                                              const char           *stream_path,
                                              const char           *poll_path);

G_END_DECLS
