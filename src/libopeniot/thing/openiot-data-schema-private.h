// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-data-schema.h"
#include "openiot-td-private.h"

G_BEGIN_DECLS

OpenIotDataSchema *_openiot_data_schema_new (JsonObject      *object,
                                             OpenIotTdBudget *budget,
                                             guint            depth,
                                             GError         **error);

G_END_DECLS
