// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * OpenIotError:
 * @OPENIOT_ERROR_FAILED: an error with no more specific code
 * @OPENIOT_ERROR_CERTIFICATE_CHANGED: the hub presented a certificate other
 *   than the pinned one; nothing was sent to it
 * @OPENIOT_ERROR_NOT_TRUSTED: the hub's identity was not confirmed by the user
 * @OPENIOT_ERROR_NOT_REGISTERED: the hub does not know (or no longer knows)
 *   this device
 * @OPENIOT_ERROR_UNREACHABLE: none of the hub's addresses answered
 * @OPENIOT_ERROR_PAIRING_REJECTED: the pairing code was wrong
 * @OPENIOT_ERROR_PAIRING_CLOSED: no pairing code is open on the hub (expired,
 *   used, or burnt by too many wrong tries)
 * @OPENIOT_ERROR_INVALID_DATA: a document (JSON, Thing Description, link,
 *   certificate) is malformed or hostile
 * @OPENIOT_ERROR_PROTOCOL: the peer broke docs/protocol.md
 * @OPENIOT_ERROR_NOT_FOUND: no such hub, service, property, action or event
 * @OPENIOT_ERROR_SERVICE_UNAVAILABLE: the hub could not reach the service
 * @OPENIOT_ERROR_KEYRING: the Secret Service is missing, locked, or refused
 * @OPENIOT_ERROR_NOT_SUPPORTED: a Thing offers something only in a form this
 *   library cannot follow (a content type or subprotocol it does not speak)
 *
 * Error codes in the %OPENIOT_ERROR domain.
 */
typedef enum
{
  OPENIOT_ERROR_FAILED,
  OPENIOT_ERROR_CERTIFICATE_CHANGED,
  OPENIOT_ERROR_NOT_TRUSTED,
  OPENIOT_ERROR_NOT_REGISTERED,
  OPENIOT_ERROR_UNREACHABLE,
  OPENIOT_ERROR_PAIRING_REJECTED,
  OPENIOT_ERROR_PAIRING_CLOSED,
  OPENIOT_ERROR_INVALID_DATA,
  OPENIOT_ERROR_PROTOCOL,
  OPENIOT_ERROR_NOT_FOUND,
  OPENIOT_ERROR_SERVICE_UNAVAILABLE,
  OPENIOT_ERROR_KEYRING,
  OPENIOT_ERROR_NOT_SUPPORTED,
} OpenIotError;

/**
 * OPENIOT_ERROR:
 *
 * The error domain of libopeniot.
 */
#define OPENIOT_ERROR (openiot_error_quark ())

GQuark openiot_error_quark             (void);
int    openiot_error_get_attempts_left (const GError *error);

G_END_DECLS
