// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The body of POST /open-iot/v1/pair, as the hub checks it before it
 * touches the registry (openiot_hubd_pairing_check_request() in
 * hub-mock/hub/openiot-hubd-pairing.c). Anyone who knows or guesses the
 * pairing code gets this far, so it must hold against anything. The input
 * is the body, bytes as they come (the hub reads at most 64 KiB).
 *
 * Invariants:
 *   - accepted: the name is 1 to 64 bytes of UTF-8; the certificate passes
 *     the peer checks and has a valid fingerprint; no error is set;
 *   - refused: exactly one of OPENIOT_ERROR_INVALID_DATA (no JSON object),
 *     the registry's INVALID_NAME or INVALID_CERTIFICATE, with a UTF-8
 *     message (it goes back to the client in a JSON error body);
 *   - no GLib critical or warning on the way (json-glib's typed getters
 *     complain about members of the wrong type).
 */
#include "config.h"

#include <string.h>
#include <libopeniot.h>

#include "openiot-certificate-private.h"
#include "openiot-hubd-pairing.h"
#include "openiot-hubd-registry.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *fingerprint = NULL;

  if (!openiot_hubd_pairing_check_request (body, &name, &certificate, &error))
    {
      FUZZ_CHECK (error != NULL, "refused without an error");
      FUZZ_CHECK (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA) ||
                  g_error_matches (error, OPENIOT_HUBD_REGISTRY_ERROR,
                                   OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME) ||
                  g_error_matches (error, OPENIOT_HUBD_REGISTRY_ERROR,
                                   OPENIOT_HUBD_REGISTRY_ERROR_INVALID_CERTIFICATE),
                  "unexpected error: %s", error->message);
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error message not UTF-8");
      FUZZ_CHECK (name == NULL && certificate == NULL, "outputs set on failure");
      return 0;
    }

  FUZZ_CHECK (error == NULL, "accepted with an error");
  FUZZ_CHECK (name != NULL && *name != '\0' && strlen (name) <= 64, "name “%s”", name);
  FUZZ_CHECK (g_utf8_validate (name, -1, NULL), "name not UTF-8");
  FUZZ_CHECK (certificate != NULL, "no certificate");
  FUZZ_CHECK (_openiot_certificate_check_peer (certificate, &check_error), "certificate: %s",
              check_error->message);
  fingerprint = _openiot_certificate_fingerprint (certificate, NULL);
  FUZZ_CHECK (openiot_fingerprint_is_valid (fingerprint), "fingerprint “%s”", fingerprint);

  return 0;
}
