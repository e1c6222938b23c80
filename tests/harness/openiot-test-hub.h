// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>
#include <libopeniot.h>

G_BEGIN_DECLS

/* A real openiot-hub on [::1] for the C tests, in a temporary state dir. */
typedef struct
{
  GSubprocess *process;
  char        *dir;
  char        *state_dir;
  char        *services_dir;
  GPtrArray   *services;   /* GSubprocess of the demo services */
  guint16      port;
} OpenIotTestHub;

OpenIotTestHub     *openiot_test_hub_start     (void);
OpenIotTestHub     *openiot_test_hub_start_on_port (guint16 port);
void                openiot_test_hub_start_service (OpenIotTestHub *hub,
                                                    const char     *type);
void                openiot_test_hub_stop      (OpenIotTestHub *hub);
void                openiot_test_hub_restart   (OpenIotTestHub *hub);
void                openiot_test_hub_free      (OpenIotTestHub *hub);
JsonNode           *openiot_test_hub_admin     (OpenIotTestHub *hub,
                                                const char     *first_arg,
                                                ...) G_GNUC_NULL_TERMINATED;
OpenIotPairingLink *openiot_test_hub_open_code (OpenIotTestHub *hub);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotTestHub, openiot_test_hub_free)

G_END_DECLS
