// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * OpenIotVerification:
 * @OPENIOT_VERIFICATION_PAIRING_CODE: both sides proved the pairing code
 *   (TLS-SRP), so the certificate came from the hub that showed the code
 * @OPENIOT_VERIFICATION_LINK_FINGERPRINT: as above, and the certificate
 *   also matches the fingerprint in the pairing link
 * @OPENIOT_VERIFICATION_TRUST_ON_FIRST_USE: nothing vouched for the
 *   certificate; the user alone decides
 *
 * How a hub's certificate was verified before the user was asked to trust
 * it; the trust prompt says it in words.
 */
typedef enum
{
  OPENIOT_VERIFICATION_PAIRING_CODE,
  OPENIOT_VERIFICATION_LINK_FINGERPRINT,
  OPENIOT_VERIFICATION_TRUST_ON_FIRST_USE,
} OpenIotVerification;

/**
 * OPENIOT_ADDRESS_SCOPE_GLOBAL:
 *
 * The scope of a hub address that is reachable from the whole Internet
 * ([method@OpenIot.PairingResult.get_scopes],
 * [method@OpenIot.HubRecord.get_scopes]); every other scope is a local
 * network's.
 */
#define OPENIOT_ADDRESS_SCOPE_GLOBAL "global"

#define OPENIOT_TYPE_PAIRING_RESULT (openiot_pairing_result_get_type ())

/**
 * OpenIotPairingResult:
 *
 * What registration with a hub returned, checked but not yet trusted:
 * nothing is stored until the user confirms the hub's identity.
 */
typedef struct _OpenIotPairingResult OpenIotPairingResult;

GType                 openiot_pairing_result_get_type            (void) G_GNUC_CONST;
OpenIotPairingResult *openiot_pairing_result_ref                 (OpenIotPairingResult *self);
void                  openiot_pairing_result_unref               (OpenIotPairingResult *self);
const char           *openiot_pairing_result_get_client_id       (OpenIotPairingResult *self);
const char           *openiot_pairing_result_get_hub_id          (OpenIotPairingResult *self);
const char           *openiot_pairing_result_get_hub_name        (OpenIotPairingResult *self);
const char           *openiot_pairing_result_get_fingerprint     (OpenIotPairingResult *self);
const char           *openiot_pairing_result_get_certificate_pem (OpenIotPairingResult *self);
guint16               openiot_pairing_result_get_port            (OpenIotPairingResult *self);
const char * const   *openiot_pairing_result_get_addresses       (OpenIotPairingResult *self);
const char * const   *openiot_pairing_result_get_scopes          (OpenIotPairingResult *self);
OpenIotVerification   openiot_pairing_result_get_verification    (OpenIotPairingResult *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotPairingResult, openiot_pairing_result_unref)

G_END_DECLS
