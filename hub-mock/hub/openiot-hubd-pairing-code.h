// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * One pairing code and everything that decides whether it still admits a
 * device: expiry, single use, failed guesses. Not thread-safe: the owner
 * (OpenIotHubdPairing) holds its mutex around every call. Reference
 * counted so a session that authenticated with a code keeps asking *that*
 * code, even after the admin opened another one.
 */
typedef enum {
  OPENIOT_HUBD_PAIRING_CODE_OPEN,
  OPENIOT_HUBD_PAIRING_CODE_IN_USE,   /* a registration is being written */
  OPENIOT_HUBD_PAIRING_CODE_USED,
  OPENIOT_HUBD_PAIRING_CODE_EXPIRED,
  OPENIOT_HUBD_PAIRING_CODE_LOCKED,   /* too many wrong guesses */
  OPENIOT_HUBD_PAIRING_CODE_REPLACED, /* the admin opened another code */
} OpenIotHubdPairingCodeState;

typedef struct _OpenIotHubdPairingCode OpenIotHubdPairingCode;

/* Wrong guesses (docs/security.md, "Someone guessing the pairing code"):
 * one source address gets this many, all addresses together the total,
 * then the code is locked. */
#define OPENIOT_HUBD_PAIRING_MAX_ATTEMPTS 5
#define OPENIOT_HUBD_PAIRING_MAX_FAILURES 20

OpenIotHubdPairingCode *openiot_hubd_pairing_code_new   (guint                   ttl_seconds);
OpenIotHubdPairingCode *openiot_hubd_pairing_code_ref   (OpenIotHubdPairingCode *self);
void                    openiot_hubd_pairing_code_unref (OpenIotHubdPairingCode *self);

const char *openiot_hubd_pairing_code_get_code       (OpenIotHubdPairingCode *self);
GDateTime  *openiot_hubd_pairing_code_get_expires    (OpenIotHubdPairingCode *self);
gint64      openiot_hubd_pairing_code_get_expires_in (OpenIotHubdPairingCode *self);

OpenIotHubdPairingCodeState openiot_hubd_pairing_code_get_state (OpenIotHubdPairingCode *self);
void                        openiot_hubd_pairing_code_replace   (OpenIotHubdPairingCode *self);

gboolean    openiot_hubd_pairing_code_claim           (OpenIotHubdPairingCode       *self,
                                                       const char                  **reason);
void        openiot_hubd_pairing_code_release         (OpenIotHubdPairingCode       *self,
                                                       gboolean                      used);
const char *openiot_hubd_pairing_code_state_to_reason (OpenIotHubdPairingCodeState   state);
gboolean    openiot_hubd_pairing_code_reserve_guess   (OpenIotHubdPairingCode       *self,
                                                       const char                   *address);
gboolean    openiot_hubd_pairing_code_end_guess       (OpenIotHubdPairingCode       *self,
                                                       const char                   *address,
                                                       gboolean                      wrong);

guint openiot_hubd_pairing_code_get_attempts_left     (OpenIotHubdPairingCode *self);
guint openiot_hubd_pairing_code_get_attempts_left_for (OpenIotHubdPairingCode *self,
                                                       const char             *address);
void  openiot_hubd_pairing_code_describe              (OpenIotHubdPairingCode *self,
                                                       JsonBuilder            *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotHubdPairingCode, openiot_hubd_pairing_code_unref)

G_END_DECLS
