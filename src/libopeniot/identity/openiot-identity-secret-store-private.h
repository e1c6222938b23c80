// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The Secret Service keystore of openiot_identity_load_async() (store_dir
 * == NULL, the default; docs/keystore.md). Loads the identity, or makes
 * and stores it on first use, without blocking the main loop, and returns
 * it on @task (an OpenIotIdentity, transfer full) or an error. Sets
 * @task's task data.
 */
void _openiot_identity_secret_store_load (GTask      *task,
                                          const char *device_name);

G_END_DECLS
