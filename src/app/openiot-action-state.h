// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libopeniot.h>

G_BEGIN_DECLS

gboolean openiot_action_state_is_redundant (OpenIotThing *thing,
                                            const char   *action,
                                            JsonObject   *values);
GPtrArray *openiot_action_state_get_one_tap (OpenIotThing       *thing,
                                             OpenIotInteraction *primary);

G_END_DECLS
