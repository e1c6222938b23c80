// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-cli-common.h"

G_BEGIN_DECLS

/* What a command on one service of one hub needs. */
typedef struct
{
  OpenIotHubRecord     *hub;
  OpenIotHubConnection *connection;
  OpenIotThingCache    *cache;
  OpenIotConsumedThing *thing;
  gboolean              from_cache;
} OpenIotCliThing;

OpenIotCliThing *openiot_cli_thing_open    (const char       *hub_name,
                                            const char       *service_id,
                                            gboolean          fresh,
                                            GError          **error);
gboolean         openiot_cli_thing_refresh (OpenIotCliThing  *self,
                                            GError          **error);
gboolean         openiot_cli_thing_should_retry (OpenIotCliThing *self,
                                                 const GError    *error);
int              openiot_cli_thing_fail    (OpenIotCliThing  *self,
                                            const GError     *error);
void             openiot_cli_thing_free    (OpenIotCliThing  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotCliThing, openiot_cli_thing_free)

G_END_DECLS
