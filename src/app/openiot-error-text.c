// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n.h>
#include <libopeniot.h>

#include "openiot-error-text.h"

/**
 * openiot_error_text:
 * @error: why something failed
 *
 * What a label tells people about @error: a sentence that says what to
 * do. The library's own errors are such sentences (and a service's error
 * text, which the library already made safe); the texts of GIO, GnuTLS
 * and libsoup are for logs ("Error sending data: Broken pipe") and never
 * reach a label, whatever the library wraps them in.
 *
 * Returns: (transfer full): the text
 */
char *
openiot_error_text (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != OPENIOT_ERROR)
    return g_strdup (_("Something went wrong. Try again; if it keeps failing, restart the app."));

  switch ((OpenIotError) error->code)
    {
    case OPENIOT_ERROR_UNREACHABLE:
      /* The library's text carries GIO's reason in parentheses */
      return g_strdup (_("The hub is not reachable. Check that it is on, and that this device is "
                         "on a network."));
    case OPENIOT_ERROR_CERTIFICATE_CHANGED:
      return g_strdup (_("The hub presented another certificate. Nothing is sent to it until you "
                         "review it."));
    case OPENIOT_ERROR_NOT_REGISTERED:
      return g_strdup (_("This device was removed from the hub. Pair it again to use it."));
    case OPENIOT_ERROR_FAILED:
    case OPENIOT_ERROR_NOT_TRUSTED:
    case OPENIOT_ERROR_PAIRING_REJECTED:
    case OPENIOT_ERROR_PAIRING_CLOSED:
    case OPENIOT_ERROR_INVALID_DATA:
    case OPENIOT_ERROR_PROTOCOL:
    case OPENIOT_ERROR_NOT_FOUND:
    case OPENIOT_ERROR_SERVICE_UNAVAILABLE:
    case OPENIOT_ERROR_KEYRING:
    case OPENIOT_ERROR_NOT_SUPPORTED:
    default:
      return g_strdup (error->message);
    }
}
