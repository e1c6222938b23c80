// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-pairing-code"

#include "config.h"

#include <string.h>

#include "openiot-pairing-link.h"
#include "openiot-protocol-private.h"

#include "openiot-pairing-code.h"

/*
 * The pairing code as people read it from a hub and type it back: hubs
 * show it in two groups of four, and people copy it with or without the
 * space, or with a dash. The CLI and the app read it the same way.
 */

#define GROUP_DIGITS (OPENIOT_PAIRING_CODE_DIGITS / 2)

/**
 * openiot_pairing_code_normalize:
 * @text: a pairing code as typed: "1234 5678", "12345678" or "1234-5678"
 *
 * Keeps the digits of a typed code, leaving out the spaces, tabs and
 * dashes people write between its groups.
 *
 * Returns: (transfer full) (nullable): the code's
 *   %OPENIOT_PAIRING_CODE_DIGITS digits, or %NULL when @text holds any
 *   other character or not exactly that many digits
 */
char *
openiot_pairing_code_normalize (const char *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ' && *p != '-' && *p != '\t')
        return NULL;
    }

  if (!_openiot_pairing_code_is_valid (digits->str))
    return NULL;
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/**
 * openiot_pairing_code_format:
 * @code: a pairing code, %OPENIOT_PAIRING_CODE_DIGITS digits
 *
 * Writes a code in the two groups a hub shows it in, to read it out.
 *
 * Returns: (transfer full): "1234 5678" for "12345678"; @code itself,
 *   copied, when it is not a whole code
 */
char *
openiot_pairing_code_format (const char *code)
{
  g_return_val_if_fail (code != NULL, NULL);

  if (!_openiot_pairing_code_is_valid (code))
    return g_strdup (code);
  return g_strdup_printf ("%.*s %s", GROUP_DIGITS, code, code + GROUP_DIGITS);
}
