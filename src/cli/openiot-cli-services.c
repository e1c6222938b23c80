// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-common.h"

#include "openiot-cli-services.h"

/* [{"id", "title", "state"}, …]: the services as the library read them,
 * so that scripts get exactly what the table below shows */
static void
print_json (GPtrArray *services)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < services->len; i++)
    {
      OpenIotServiceInfo *service = g_ptr_array_index (services, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, openiot_service_info_get_id (service));
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, openiot_service_info_get_title (service));
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder,
                                     openiot_service_info_get_up (service) ? "up" : "down");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  openiot_cli_print_json (root);
}

int
openiot_cli_services (int    argc,
                      char **argv)
{
  g_autofree char *hub_name = NULL;
  g_autoptr(OpenIotHubRecord) hub = NULL;
  g_autoptr(OpenIotHubConnection) connection = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GError) error = NULL;

  if (!openiot_cli_parse_with_hub (&argc, &argv, "", _("List the hub’s services."), &hub_name) ||
      argc != 1)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(connection = openiot_cli_connect (hub_name, &hub, NULL, &error)))
    return openiot_cli_fail (error);

  openiot_hub_connection_list_services_async (connection, NULL, openiot_cli_store_result, &result);
  services = openiot_hub_connection_list_services_finish (connection, openiot_cli_wait (&result),
                                                          &error);
  if (services == NULL)
    return openiot_cli_fail_on_hub (hub, connection, error);

  if (openiot_cli_options.json)
    {
      print_json (services);
      return OPENIOT_CLI_EXIT_OK;
    }

  if (services->len == 0)
    g_print (_("The hub has no services yet.\n"));
  for (guint i = 0; i < services->len; i++)
    {
      OpenIotServiceInfo *service = g_ptr_array_index (services, i);

      g_print ("%-16s %-32s %s\n",
               openiot_cli_safe (openiot_service_info_get_id (service)),
               openiot_cli_safe (openiot_service_info_get_title (service)),
               openiot_service_info_get_up (service) ? _("up") : _("down"));
    }

  return OPENIOT_CLI_EXIT_OK;
}
