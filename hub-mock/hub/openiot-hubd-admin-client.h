// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

int openiot_hubd_admin_client_pairing_code (int argc, char **argv);
int openiot_hubd_admin_client_rotate       (int argc, char **argv);
int openiot_hubd_admin_client_clients      (int argc, char **argv);
int openiot_hubd_admin_client_revoke       (int argc, char **argv);
int openiot_hubd_admin_client_status       (int argc, char **argv);

G_END_DECLS
