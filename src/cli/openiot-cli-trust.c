// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-common.h"

#include "openiot-cli-trust.h"

/* Asks the hub who it is now; FALSE with @error set when that failed for
 * any reason but a changed certificate. */
static gboolean
probe (OpenIotHubConnection  *connection,
       gboolean              *changed,
       GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  openiot_hub_connection_check_async (connection, NULL, openiot_cli_store_result, &result);
  if (openiot_hub_connection_check_finish (connection, openiot_cli_wait (&result), &local_error))
    {
      *changed = FALSE;
      return TRUE;
    }

  *changed = g_error_matches (local_error, OPENIOT_ERROR, OPENIOT_ERROR_CERTIFICATE_CHANGED);
  if (!*changed)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

int
openiot_cli_trust (int    argc,
                   char **argv)
{
  g_autofree char *hub_name = NULL;
  g_autofree char *accept = NULL;
  const GOptionEntry entries[] = {
    { "hub", 0, 0, G_OPTION_ARG_STRING, &hub_name, N_("The hub, by id or name"), N_("HUB") },
    { "accept", 0, 0, G_OPTION_ARG_STRING, &accept,
      N_("Trust the new certificate if, and only if, it has this fingerprint"), N_("sha256:…") },
    { NULL }
  };
  g_autoptr(OpenIotHubRecord) hub = NULL;
  g_autoptr(OpenIotHubRecord) updated = NULL;
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(OpenIotHubConnection) connection = NULL;
  g_autoptr(OpenIotHubConnection) check = NULL;
  g_autoptr(GError) error = NULL;
  const char *presented;
  const char *presented_pem;
  gboolean changed = FALSE;

  if (!openiot_cli_parse (&argc, &argv, "",
                          _("Review, and accept, a hub certificate that changed."), entries) ||
      argc != 1)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(connection = openiot_cli_connect (hub_name, &hub, &identity, &error)))
    return openiot_cli_fail (error);

  if (!probe (connection, &changed, &error))
    return openiot_cli_fail (error);

  if (!changed)
    {
      g_print (_("The hub “%s” presents the certificate you trust. Nothing to do.\n"),
               openiot_cli_safe (openiot_hub_record_get_display_name (hub)));
      return OPENIOT_CLI_EXIT_OK;
    }

  presented = openiot_hub_connection_get_presented_fingerprint (connection);
  g_print (_("The hub “%s” presents a different certificate.\n"),
           openiot_cli_safe (openiot_hub_record_get_display_name (hub)));
  openiot_cli_print_fingerprint (_("Trusted until now:"), openiot_hub_record_get_fingerprint (hub));
  openiot_cli_print_fingerprint (_("Presented now:"), presented);
  if (openiot_hub_connection_get_rotation_verified (connection))
    g_print ("%s\n", _("The hub says it replaced its certificate: the new one is signed by the one "
                       "you trusted."));
  else
    g_print ("%s\n",
             _("The new certificate is NOT signed by the one you trusted. This may be an attack; "
                       "accept it only if you reset or replaced the hub yourself."));

  /* Accepting needs a deliberate act: the exact fingerprint, or a yes. */
  if (accept != NULL ? !openiot_fingerprint_equal (accept, presented)
                     : !openiot_cli_confirm (_("Trust the new certificate? [y/N] ")))
    {
      g_set_error_literal (&error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED,
                           accept != NULL ? _("The certificate the hub presents does not have that "
                                              "fingerprint; nothing was changed.")
                                          : _("Not accepted; nothing was changed. Pass --accept "
                                              "with the new fingerprint to accept it from a "
                                              "script."));
      return openiot_cli_fail (error);
    }

  presented_pem = openiot_hub_connection_get_presented_certificate_pem (connection);
  if (!(updated = openiot_hub_record_with_certificate (hub, presented_pem, &error)) ||
      !openiot_cli_save_hub (updated, &error))
    return openiot_cli_fail (error);

  /* Prove the new pin works before saying so. */
  check = openiot_hub_connection_new (updated, identity);
  if (!probe (check, &changed, &error))
    return openiot_cli_fail (error);

  g_print (_("Now trusting the hub “%s” with its new certificate.\n"),
           openiot_cli_safe (openiot_hub_record_get_display_name (updated)));
  return changed ? OPENIOT_CLI_EXIT_CERTIFICATE : OPENIOT_CLI_EXIT_OK;
}
