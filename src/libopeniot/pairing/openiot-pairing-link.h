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

/**
 * OPENIOT_PAIRING_DEFAULT_PORT:
 *
 * The hub's pairing port (TLS-SRP) unless an address says otherwise; its
 * HTTPS port is the one below (docs/protocol.md, "Pairing").
 */
#define OPENIOT_PAIRING_DEFAULT_PORT 8444

/**
 * OPENIOT_PAIRING_CODE_DIGITS:
 *
 * How many decimal digits a pairing code has.
 */
#define OPENIOT_PAIRING_CODE_DIGITS 8

/**
 * OPENIOT_DEVICE_NAME_MAX_BYTES:
 *
 * The longest device name a hub registers, in bytes of UTF-8
 * ([func@OpenIot.check_device_name]).
 */
#define OPENIOT_DEVICE_NAME_MAX_BYTES 64

#define OPENIOT_TYPE_PAIRING_LINK (openiot_pairing_link_get_type ())

typedef struct _OpenIotPairingLink OpenIotPairingLink;

GType               openiot_pairing_link_get_type         (void) G_GNUC_CONST;
OpenIotPairingLink *openiot_pairing_link_new              (const char          *host,
                                                           guint16              pairing_port,
                                                           guint16              port,
                                                           const char          *code,
                                                           const char          *fingerprint,
                                                           const char          *name,
                                                           const char * const  *extra_addresses);
OpenIotPairingLink *openiot_pairing_link_parse            (const char          *uri,
                                                           GError             **error);
OpenIotPairingLink *openiot_pairing_link_new_from_address (const char          *address,
                                                           const char          *code,
                                                           GError             **error);
OpenIotPairingLink *openiot_pairing_link_copy_with_code   (OpenIotPairingLink  *self,
                                                           const char          *code);
gboolean            openiot_pairing_link_looks_like       (const char          *text);
gboolean            openiot_pairing_link_parse_address    (const char          *address,
                                                           char               **host,
                                                           guint16             *pairing_port,
                                                           GError             **error);
OpenIotPairingLink *openiot_pairing_link_ref              (OpenIotPairingLink  *self);
void                openiot_pairing_link_unref            (OpenIotPairingLink  *self);
char               *openiot_pairing_link_to_string        (OpenIotPairingLink  *self);
const char         *openiot_pairing_link_get_host         (OpenIotPairingLink  *self);
guint16             openiot_pairing_link_get_pairing_port (OpenIotPairingLink  *self);
guint16             openiot_pairing_link_get_port         (OpenIotPairingLink  *self);
const char         *openiot_pairing_link_get_code         (OpenIotPairingLink  *self);
const char         *openiot_pairing_link_get_fingerprint  (OpenIotPairingLink  *self);
const char         *openiot_pairing_link_get_name         (OpenIotPairingLink  *self);
const char * const *openiot_pairing_link_get_addresses    (OpenIotPairingLink  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotPairingLink, openiot_pairing_link_unref)

G_END_DECLS
