// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * OPENIOT_PAIRING_LINK_MAX_LENGTH:
 *
 * The longest pairing link [func@OpenIot.PairingLink.parse] accepts, in
 * bytes. Hubs make links far shorter; the cap keeps hostile input small.
 */
#define OPENIOT_PAIRING_LINK_MAX_LENGTH 2048

/**
 * OPENIOT_PAIRING_LINK_MAX_NAME_LENGTH:
 *
 * The longest hub name a pairing link carries, in bytes of UTF-8.
 */
#define OPENIOT_PAIRING_LINK_MAX_NAME_LENGTH 64

#define OPENIOT_TYPE_PAIRING_LINK (openiot_pairing_link_get_type ())

typedef struct _OpenIotPairingLink OpenIotPairingLink;

GType               openiot_pairing_link_get_type         (void) G_GNUC_CONST;
OpenIotPairingLink *openiot_pairing_link_new              (const char                *host,
                                                           guint16                    pairing_port,
                                                           guint16                    port,
                                                           const char                *code,
                                                           const char                *fingerprint,
                                                           const char                *name,
                                                           const char * const        *extra_addresses);
OpenIotPairingLink *openiot_pairing_link_parse            (const char                *uri,
                                                           GError                   **error);
OpenIotPairingLink *openiot_pairing_link_ref              (OpenIotPairingLink        *self);
void                openiot_pairing_link_unref            (OpenIotPairingLink        *self);
char               *openiot_pairing_link_to_string        (OpenIotPairingLink        *self);
const char         *openiot_pairing_link_get_host         (OpenIotPairingLink        *self);
guint16             openiot_pairing_link_get_pairing_port (OpenIotPairingLink        *self);
guint16             openiot_pairing_link_get_port         (OpenIotPairingLink        *self);
const char         *openiot_pairing_link_get_code         (OpenIotPairingLink        *self);
const char         *openiot_pairing_link_get_fingerprint  (OpenIotPairingLink        *self);
const char         *openiot_pairing_link_get_name         (OpenIotPairingLink        *self);
const char * const *openiot_pairing_link_get_addresses    (OpenIotPairingLink        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotPairingLink, openiot_pairing_link_unref)

G_END_DECLS
