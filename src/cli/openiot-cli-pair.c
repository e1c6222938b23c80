// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-common.h"

#include "openiot-cli-pair.h"

static void
print_hub (OpenIotPairingResult *result)
{
  g_print (_("Hub “%s”\n"), openiot_cli_safe (openiot_pairing_result_get_hub_name (result)));
  openiot_cli_print_fingerprint (_("Certificate fingerprint (SHA-256):"),
                                 openiot_pairing_result_get_fingerprint (result));
  g_print ("%s\n",
           openiot_cli_verification_text (openiot_pairing_result_get_verification (result)));
}

int
openiot_cli_pair (int    argc,
                  char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *code = NULL;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
     N_("This device’s name on the hub (default: the host name)"), N_("NAME") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address,
     N_("Pair with the hub at ADDR (default port 8444)"), N_("ADDR[:PORT]") },
    { "code", 0, 0, G_OPTION_ARG_STRING, &code, N_("The pairing code the hub shows"), N_("CODE") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, N_("Trust the hub without asking"), NULL },
    { NULL }
  };
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(OpenIotPairingResult) result = NULL;
  g_autoptr(OpenIotHubRecord) record = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autoptr(GError) error = NULL;

  if (!openiot_cli_parse (&argc, &argv, _("[LINK]"),
                          _("Pair this device with a hub, from a pairing link or an address and "
                            "code."), entries))
    return OPENIOT_CLI_EXIT_USAGE;

  if (argc == 2 && address == NULL)
    link = openiot_pairing_link_parse (argv[1], &error);
  else if (argc == 1 && address != NULL)
    link = openiot_pairing_link_new_from_address (address, code, &error);
  else
    {
      g_printerr (_("openiot pair: give a pairing link, or --address and --code\n"));
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (link == NULL)
    return openiot_cli_fail (error);

  if (!(identity = openiot_cli_load_identity (name, &error)))
    return openiot_cli_fail (error);

  if (!openiot_cli_options.json)
    g_print (_("Pairing with %s…\n"), openiot_pairing_link_get_host (link));

  openiot_pair_async (link, name ? name : openiot_identity_get_name (identity),
                      openiot_identity_get_certificate_pem (identity), NULL,
                      openiot_cli_store_result, &async_result);
  if (!(result = openiot_pair_finish (openiot_cli_wait (&async_result), &error)))
    return openiot_cli_fail (error);

  if (!openiot_cli_options.json)
    print_hub (result);

  /* The trust-on-first-use step: nothing is stored without a yes. */
  if (!yes && !openiot_cli_confirm (_("Trust this hub? [y/N] ")))
    {
      g_set_error_literal (&error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED,
                           _("The hub was not trusted, so nothing was saved. Run again and answer "
                             "“y”, or pass --yes to trust it without asking."));
      return openiot_cli_fail (error);
    }

  record = openiot_hub_record_new_from_pairing (result);
  if (!openiot_cli_save_hub (record, &error))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    {
      g_autoptr(JsonNode) node = openiot_hub_record_to_json (record);

      openiot_cli_print_json (node);
    }
  else
    {
      const char * const *addresses = openiot_hub_record_get_addresses (record);
      const char * const *scopes = openiot_hub_record_get_scopes (record);

      g_print (_("Paired with “%s”.\n"),
               openiot_cli_safe (openiot_hub_record_get_name (record)));
      for (guint i = 0; addresses[i] != NULL; i++)
        g_print ("    %s (%s)\n", addresses[i],
                 g_str_equal (scopes[i], OPENIOT_ADDRESS_SCOPE_GLOBAL) ? _("Internet")
                                                                       : _("local network"));
    }

  return OPENIOT_CLI_EXIT_OK;
}
