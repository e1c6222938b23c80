// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <libopeniot.h>

#include "openiot-pairing-text.h"

/*
 * What the pairing wizard reads from people (codes, addresses, the
 * machine's name) and what it says to them when pairing fails: plain
 * functions, apart from the widgets, so the rules are easy to read and
 * to test.
 */

/**
 * openiot_pairing_text_explain_link:
 * @text: what was pasted as a pairing link, which did not parse
 *
 * Says in one plain sentence what to do about a link that is not one.
 * libopeniot's parser says precisely what is wrong, in English, for logs
 * and the CLI; a person needs only to know whether this was a pairing
 * link at all, and if so to copy it again, so the wizard tells these
 * apart by the text itself rather than by the parser's words.
 *
 * Returns: a translated sentence
 */
const char *
openiot_pairing_text_explain_link (const char *text)
{
  if (!openiot_pairing_link_looks_like (text))
    return _("This is not a pairing link. A pairing link starts with “openiot://” — copy it "
             "from the hub, or type the hub’s address below.");

  /* Spaces, line breaks or letters a link cannot hold: it was changed on
   * its way (wrapped in a mail, retyped) */
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p <= ' ' || *p >= 0x7f)
      return _("This link was changed on its way here — copy it again from the hub, in one "
               "piece.");

  return _("This link is incomplete — copy it again from the hub.");
}

const char *
openiot_pairing_text_scope (const char *scope)
{
  if (g_strcmp0 (scope, OPENIOT_ADDRESS_SCOPE_GLOBAL) == 0)
    return _("Internet (IPv6)");
  return _("Local network");
}

/* PRETTY_HOSTNAME of /etc/machine-info ("Anna's Laptop") is what people
 * call the machine; the host name ("anna-laptop") is the fallback. Read
 * from the file rather than asking hostname1 over D-Bus: the file is what
 * hostname1 reads, and in the Flatpak sandbox neither is reachable. */
char *
openiot_pairing_text_pretty_name (const char *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "PRETTY_HOSTNAME="))
        {
          g_autofree char *value = g_shell_unquote (lines[i] + strlen ("PRETTY_HOSTNAME="), NULL);

          if (value != NULL && g_utf8_validate (value, -1, NULL))
            {
              g_strstrip (value);
              if (openiot_check_device_name (value, NULL))
                return g_steal_pointer (&value);
            }
        }
    }
  return NULL;
}

/**
 * openiot_pairing_text_explain_error:
 * @error: why pairing failed
 * @host: where the wizard tried to pair
 * @title: (out): what happened, in a few words
 * @detail: (out): what happened and what to do about it
 *
 * Says a pairing error to a person. libopeniot words its messages in
 * English for logs and the CLI; these are translated, and say what to do.
 *
 * Returns: %TRUE when the code is of no further use (refused, closed),
 *   so the wizard clears it
 */
gboolean
openiot_pairing_text_explain_error (const GError  *error,
                                    const char    *host,
                                    char         **title,
                                    char         **detail)
{
  gboolean code_is_dead = FALSE;

  if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_REJECTED))
    {
      int left = openiot_error_get_attempts_left (error);

      *title = g_strdup (_("Wrong Pairing Code"));
      if (left >= 0)
        *detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "The hub did not accept that code. Check the code "
                                                "it shows and type it again: %d try left before "
                                                "the hub locks the code.",
                                                "The hub did not accept that code. Check the code "
                                                "it shows and type it again: %d tries left before "
                                                "the hub locks the code.",
                                                left),
                                   left);
      else
        *detail = g_strdup (_("The hub did not accept that code. Check the code it shows and type "
                              "it again."));
      code_is_dead = TRUE;
    }
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_PAIRING_CLOSED))
    {
      *title = g_strdup (_("No Pairing Code Open"));
      *detail = g_strdup (_("The code has expired, was already used, or was locked after too many "
                            "wrong tries. Open a new pairing code on the hub and type it here."));
      code_is_dead = TRUE;
    }
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_UNREACHABLE))
    {
      *title = g_strdup (_("Hub Not Reachable"));
      *detail = g_strdup_printf (_("Nothing answered at %s. Check that the hub is on and on the "
                                   "same network as this device, and that its address is right."),
                                 host);
    }
  else if (error->domain == G_RESOLVER_ERROR)
    {
      *title = g_strdup (_("Hub Not Found"));
      *detail =
          g_strdup_printf (_("No hub called “%s” was found. Check the name, or go back and "
                             "type the hub’s IP address instead."),
                           host);
    }
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING))
    {
      *title = g_strdup (_("Keyring Not Available"));
      *detail = g_strdup_printf (_("This device keeps its key in your keyring. Unlock the keyring "
                                   "(for example in Passwords and Keys), or set one up, then pair "
                                   "again.\n\nDetails: %s"),
                                 error->message);
    }
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED))
    {
      *title = g_strdup (_("This May Be an Attack"));
      *detail = g_strdup (_("The hub that answered is not the one in the pairing link, so nothing "
                            "was saved. Make sure you use the link your own hub shows."));
      code_is_dead = TRUE;
    }
  else if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA))
    {
      *title = g_strdup (_("The Hub Refused This Device"));
      *detail = g_strdup_printf (_("The hub or this device sent something the other could not use. "
                                   "Check that both are up to date.\n\nDetails: %s"),
                                   error->message);
    }
  else
    {
      *title = g_strdup (_("Pairing Failed"));
      *detail = g_strdup_printf (_("Details: %s"), error->message);
    }

  return code_is_dead;
}
