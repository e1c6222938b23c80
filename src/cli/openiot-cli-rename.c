// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-common.h"

#include "openiot-cli-rename.h"

/* Names (issue 15): a nickname for a hub, kept on this device only, and
 * this device's own name on the hub, which the hub keeps. */

int
openiot_cli_rename_hub (int    argc,
                        char **argv)
{
  g_autofree char *hub_name = NULL;
  gboolean reset = FALSE;
  const GOptionEntry entries[] = {
    openiot_cli_hub_option (&hub_name),
    { "reset", 0, 0, G_OPTION_ARG_NONE, &reset,
      N_("Go back to the name the hub gives itself"), NULL },
    { NULL }
  };
  g_autoptr(OpenIotHubRecord) hub = NULL;
  g_autoptr(OpenIotHubRecord) renamed = NULL;
  g_autoptr(GError) error = NULL;

  if (!openiot_cli_parse (&argc, &argv, _("[NICKNAME]"),
                          _("Call a hub by a nickname of your own on this device (the hub is "
                            "not told)."),
                          entries))
    return OPENIOT_CLI_EXIT_USAGE;

  if ((reset && argc != 1) || (!reset && argc != 2))
    {
      g_printerr (_("openiot rename-hub: give one nickname, or --reset to use the hub’s own "
                    "name\n"));
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (!(hub = openiot_cli_find_hub (hub_name, &error)))
    return openiot_cli_fail (error);

  /* "" would mean --reset to the library; here it is a slip of the shell */
  if ((!reset && *argv[1] == '\0') ||
      !(renamed = openiot_hub_record_with_nickname (hub, reset ? NULL : argv[1], NULL)))
    {
      g_printerr (_("openiot rename-hub: a nickname is 1 to %d bytes on one line, without control "
                    "characters. Choose another one.\n"), OPENIOT_DEVICE_NAME_MAX_BYTES);
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (!openiot_cli_save_hub (renamed, &error))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    {
      g_autoptr(JsonNode) root = openiot_hub_record_to_json (renamed);

      json_object_remove_member (json_node_get_object (root), "certificate_pem");
      openiot_cli_print_json (root);
    }
  else if (openiot_hub_record_get_nickname (renamed) == NULL)
    g_print (_("The hub is called “%s” again, its own name.\n"),
             openiot_cli_safe (openiot_hub_record_get_name (renamed)));
  else
    g_print (_("The hub “%s” is called “%s” on this device.\n"),
             openiot_cli_safe (openiot_hub_record_get_name (renamed)),
             openiot_cli_safe (openiot_hub_record_get_display_name (renamed)));
  return OPENIOT_CLI_EXIT_OK;
}

int
openiot_cli_rename_device (int    argc,
                           char **argv)
{
  g_autofree char *hub_name = NULL;
  g_autoptr(OpenIotHubRecord) hub = NULL;
  g_autoptr(OpenIotHubConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!openiot_cli_parse_with_hub (&argc, &argv, _("NAME"),
                                   _("Change the name the hub lists this device under (and tells "
                                     "its services)."),
                                   &hub_name))
    return OPENIOT_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      g_printerr (_("openiot rename-device: give the new name\n"));
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (!openiot_check_device_name (argv[1], NULL))
    {
      g_printerr (_("openiot rename-device: a device name is 1 to %d bytes on one line, without "
                    "control characters. Choose another one.\n"), OPENIOT_DEVICE_NAME_MAX_BYTES);
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (!(connection = openiot_cli_connect (hub_name, &hub, NULL, &error)))
    return openiot_cli_fail (error);

  openiot_hub_connection_rename_device_async (connection, argv[1], NULL, openiot_cli_store_result,
                                              &result);
  name = openiot_hub_connection_rename_device_finish (connection, openiot_cli_wait (&result),
                                                      &error);
  if (name == NULL)
    return openiot_cli_fail_on_hub (hub, connection, error);

  if (openiot_cli_options.json)
    openiot_cli_print_json_strings ("hub", openiot_hub_record_get_id (hub), "name", name, NULL);
  else
    g_print (_("The hub “%s” lists this device as “%s”.\n"),
             openiot_cli_safe (openiot_hub_record_get_display_name (hub)), openiot_cli_safe (name));
  return OPENIOT_CLI_EXIT_OK;
}
