// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-hub-connection.h"

G_BEGIN_DECLS

void _openiot_hub_connection_rename_record (OpenIotHubConnection *self,
                                            OpenIotHubRecord     *record);

G_END_DECLS
