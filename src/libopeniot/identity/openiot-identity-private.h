// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <string.h>
#include <gio/gio.h>

#include "openiot-identity.h"

G_BEGIN_DECLS

/* What OpenIotIdentity shares with its two keystores
 * (openiot-identity-file-store.c, openiot-identity-secret-store.c): each
 * keystore finds or makes the key and certificate, the identity checks
 * that they belong together and wraps them. */

/* Ten years, leap days included. */
#define OPENIOT_IDENTITY_VALID_DAYS 3653

/* A string that holds private key material: wiped before it is freed, so
 * the key does not linger in freed heap memory (core dumps, swap). */
typedef char OpenIotKeyPem;

void             _openiot_key_pem_free  (OpenIotKeyPem  *pem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotKeyPem, _openiot_key_pem_free)

OpenIotIdentity *_openiot_identity_new  (const char     *certificate_pem,
                                         const char     *key_pem,
                                         GError        **error);

G_END_DECLS
