// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The explicit file keystore of openiot_identity_load_async() (store_dir
 * != NULL; docs/keystore.md): key.pem (0600) and cert.pem in a private
 * directory. Loads the identity, or makes and stores it on first use, in a
 * worker thread, and returns it on @task (an OpenIotIdentity, transfer
 * full) or an error. Sets @task's task data.
 */
void _openiot_identity_file_store_load (GTask      *task,
                                        const char *store_dir,
                                        const char *device_name);

G_END_DECLS
