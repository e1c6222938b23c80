// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-service-info.h"

G_BEGIN_DECLS

GPtrArray *_openiot_service_info_list_parse (GBytes  *body,
                                             GError **error);

G_END_DECLS
