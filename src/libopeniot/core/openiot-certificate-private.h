// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Certificates of hubs and clients: both sides make the same kind (ECDSA
 * P-256, self-signed) and check each other's with the same rules. */

gboolean  _openiot_certificate_generate      (const char  *common_name,
                                              guint        valid_days,
                                              char       **key_pem,
                                              char       **certificate_pem,
                                              GError     **error);
GBytes   *_openiot_certificate_pem_to_der    (const char  *certificate_pem,
                                              GError     **error);
char     *_openiot_certificate_der_to_pem    (GBytes      *der);
char     *_openiot_certificate_fingerprint   (const char  *certificate_pem,
                                              GError     **error);
gboolean  _openiot_certificate_check_peer    (const char  *certificate_pem,
                                              GError     **error);
char     *_openiot_certificate_common_name   (const char  *certificate_pem);
GBytes   *_openiot_certificate_sign          (const char  *key_pem,
                                              GBytes      *data,
                                              GError     **error);
gboolean  _openiot_certificate_verify        (const char  *certificate_pem,
                                              GBytes      *data,
                                              GBytes      *signature,
                                              GError     **error);

G_END_DECLS
