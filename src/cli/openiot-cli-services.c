// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-common.h"

#include "openiot-cli-services.h"

int
openiot_cli_services (int    argc,
                      char **argv)
{
  g_autofree char *hub_name = NULL;
  g_autoptr(OpenIotHubRecord) hub = NULL;
  g_autoptr(OpenIotHubConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *services;
  guint status = 0;

  if (!openiot_cli_parse_with_hub (&argc, &argv, "", _("List the hub’s services."), &hub_name) ||
      argc != 1)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(connection = openiot_cli_connect (hub_name, &hub, NULL, &error)))
    return openiot_cli_fail (error);

  openiot_hub_connection_send_async (connection, "GET", "/open-iot/v1/services", NULL, NULL, NULL,
                                     openiot_cli_store_result, &result);
  if (!(body = openiot_hub_connection_send_finish (connection, openiot_cli_wait (&result), &status,
                                                   &error)))
    return openiot_cli_fail_on_hub (hub, connection, error);

  if (status != 200 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                   NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_printerr (_("openiot: the hub answered %u with no list of services\n"), status);
      return OPENIOT_CLI_EXIT_ERROR;
    }

  if (openiot_cli_options.json)
    {
      openiot_cli_print_json (json_parser_get_root (parser));
      return OPENIOT_CLI_EXIT_OK;
    }

  services = json_node_get_array (json_parser_get_root (parser));
  if (json_array_get_length (services) == 0)
    g_print (_("The hub has no services yet.\n"));
  for (guint i = 0; i < json_array_get_length (services); i++)
    {
      JsonObject *service = json_array_get_object_element (services, i);

      g_print ("%-16s %-32s %s\n",
               openiot_cli_safe (json_object_get_string_member_with_default (service, "id", "?")),
               openiot_cli_safe (json_object_get_string_member_with_default (service, "title", "")),
               g_strcmp0 (json_object_get_string_member_with_default (service, "state", ""),
                          "up") == 0
                 ? _("up") : _("down"));
    }

  return OPENIOT_CLI_EXIT_OK;
}
