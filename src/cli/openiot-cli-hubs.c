// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-common.h"

#include "openiot-cli-hubs.h"

int
openiot_cli_hubs (int    argc,
                  char **argv)
{
  g_autoptr(GPtrArray) hubs = NULL;
  g_autoptr(GError) error = NULL;

  if (!openiot_cli_parse (&argc, &argv, "", _("List the paired hubs."), NULL) || argc != 1)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(hubs = openiot_cli_list_hubs (&error)))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < hubs->len; i++)
        json_array_add_element (array, openiot_hub_record_to_json (g_ptr_array_index (hubs, i)));
      json_node_set_array (root, array);
      openiot_cli_print_json (root);
      return OPENIOT_CLI_EXIT_OK;
    }

  if (hubs->len == 0)
    g_print (_("No hub is paired yet. Pair one with “openiot pair LINK”.\n"));

  for (guint i = 0; i < hubs->len; i++)
    {
      OpenIotHubRecord *hub = g_ptr_array_index (hubs, i);
      g_autofree char *paired = g_date_time_format (openiot_hub_record_get_paired (hub), "%x");

      g_print ("%s  %s\n    %s\n    %s\n", openiot_cli_safe (openiot_hub_record_get_id (hub)),
               openiot_cli_safe (openiot_hub_record_get_name (hub)),
               openiot_hub_record_get_fingerprint (hub), paired);
    }

  return OPENIOT_CLI_EXIT_OK;
}

int
openiot_cli_forget (int    argc,
                    char **argv)
{
  g_autoptr(OpenIotHubRecord) hub = NULL;
  g_autoptr(OpenIotPinStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!openiot_cli_parse (&argc, &argv, _("HUB"),
                          _("Forget a paired hub on this device: its pin and registration details."), NULL))
    return OPENIOT_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      g_printerr (_("openiot forget: name one hub (see “openiot hubs”)\n"));
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (!(hub = openiot_cli_find_hub (argv[1], &error)))
    return openiot_cli_fail (error);

  store = openiot_pin_store_new (openiot_cli_options.store_dir);
  openiot_pin_store_remove_async (store, openiot_hub_record_get_id (hub), NULL, openiot_cli_store_result, &result);
  if (!openiot_pin_store_remove_finish (store, openiot_cli_wait (&result), &error))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    g_print ("{\"forgotten\":\"%s\"}\n", openiot_hub_record_get_id (hub));
  else
    g_print (_("Forgot “%s”.\n"), openiot_cli_safe (openiot_hub_record_get_name (hub)));
  return OPENIOT_CLI_EXIT_OK;
}

int
openiot_cli_identity (int    argc,
                      char **argv)
{
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *grouped = NULL;

  if (!openiot_cli_parse (&argc, &argv, "", _("Show this device's certificate fingerprint (made on first use)."), NULL) ||
      argc != 1)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(identity = openiot_cli_load_identity (NULL, &error)))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, openiot_identity_get_name (identity));
      json_builder_set_member_name (builder, "certificate");
      json_builder_add_string_value (builder, openiot_identity_get_fingerprint (identity));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      openiot_cli_print_json (root);
      return OPENIOT_CLI_EXIT_OK;
    }

  grouped = openiot_fingerprint_format_grouped (openiot_identity_get_fingerprint (identity));
  g_print (_("This device: “%s”\nCertificate fingerprint (SHA-256):\n%s\n"), openiot_identity_get_name (identity), grouped);
  return OPENIOT_CLI_EXIT_OK;
}
