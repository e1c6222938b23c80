// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * OPENIOT_FINGERPRINT_PREFIX:
 *
 * Every fingerprint on the wire starts with this, followed by 64 lowercase
 * hexadecimal digits of the SHA-256 of the DER certificate.
 */
#define OPENIOT_FINGERPRINT_PREFIX "sha256:"

char     *openiot_fingerprint_from_der         (GBytes          *der);
char     *openiot_fingerprint_from_certificate (GTlsCertificate *certificate);
gboolean  openiot_fingerprint_is_valid         (const char      *fingerprint);
char     *openiot_fingerprint_format_grouped   (const char      *fingerprint);
gboolean  openiot_fingerprint_equal            (const char      *a,
                                                const char      *b);

G_END_DECLS
