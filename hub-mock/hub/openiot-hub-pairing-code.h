// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * One pairing code and everything that decides whether it still admits a
 * device: expiry, single use, failed guesses. Not thread-safe: the owner
 * (OpenIotHubPairing) holds its mutex around every call. Reference
 * counted so a session that authenticated with a code keeps asking *that*
 * code, even after the admin opened another one.
 */
typedef enum {
  OPENIOT_HUB_PAIRING_CODE_OPEN,
  OPENIOT_HUB_PAIRING_CODE_IN_USE,   /* a registration is being written */
  OPENIOT_HUB_PAIRING_CODE_USED,
  OPENIOT_HUB_PAIRING_CODE_EXPIRED,
  OPENIOT_HUB_PAIRING_CODE_LOCKED,   /* too many wrong guesses */
  OPENIOT_HUB_PAIRING_CODE_REPLACED, /* the admin opened another code */
} OpenIotHubPairingCodeState;

typedef struct _OpenIotHubPairingCode OpenIotHubPairingCode;

/* Wrong guesses (docs/security.md, "Someone guessing the pairing code"):
 * one source address gets this many, all addresses together the total,
 * then the code is locked. */
#define OPENIOT_HUB_PAIRING_MAX_ATTEMPTS 5
#define OPENIOT_HUB_PAIRING_MAX_FAILURES 20

OpenIotHubPairingCode      *openiot_hub_pairing_code_new        (guint                  ttl_seconds);
OpenIotHubPairingCode      *openiot_hub_pairing_code_ref        (OpenIotHubPairingCode *self);
void                        openiot_hub_pairing_code_unref      (OpenIotHubPairingCode *self);
const char                 *openiot_hub_pairing_code_get_code   (OpenIotHubPairingCode *self);
GDateTime                  *openiot_hub_pairing_code_get_expires (OpenIotHubPairingCode *self);
gint64                      openiot_hub_pairing_code_get_expires_in (OpenIotHubPairingCode *self);
OpenIotHubPairingCodeState  openiot_hub_pairing_code_get_state  (OpenIotHubPairingCode *self);
void                        openiot_hub_pairing_code_replace    (OpenIotHubPairingCode *self);
gboolean                    openiot_hub_pairing_code_claim      (OpenIotHubPairingCode *self,
                                                                 const char           **reason);
void                        openiot_hub_pairing_code_release    (OpenIotHubPairingCode *self,
                                                                 gboolean               used);
const char                 *openiot_hub_pairing_code_state_to_reason (OpenIotHubPairingCodeState state);
gboolean                    openiot_hub_pairing_code_reserve_guess (OpenIotHubPairingCode *self,
                                                                    const char            *address);
gboolean                    openiot_hub_pairing_code_end_guess  (OpenIotHubPairingCode *self,
                                                                 const char            *address,
                                                                 gboolean               wrong);
guint                       openiot_hub_pairing_code_get_attempts_left (OpenIotHubPairingCode *self);
void                        openiot_hub_pairing_code_describe   (OpenIotHubPairingCode *self,
                                                                 JsonBuilder           *builder);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotHubPairingCode, openiot_hub_pairing_code_unref)

G_END_DECLS
