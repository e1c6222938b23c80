// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-common.h"

#include "openiot-cli-hubs.h"

/* The same states as the app's, for scripts */
static const char *
status_id (OpenIotHub *hub)
{
  switch (openiot_hub_get_status (hub))
    {
    case OPENIOT_HUB_STATUS_ONLINE:
      return "online";
    case OPENIOT_HUB_STATUS_OFFLINE:
      return "offline";
    case OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED:
      return openiot_hub_get_rotation_verified (hub) ? "certificate-renewed"
                                                     : "certificate-unverified";
    case OPENIOT_HUB_STATUS_NOT_REGISTERED:
      return "not-registered";
    case OPENIOT_HUB_STATUS_UNKNOWN:
    case OPENIOT_HUB_STATUS_CONNECTING:
    default:
      return "unknown";
    }
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  guint *pending = user_data;

  openiot_hub_refresh_finish (OPENIOT_HUB (source), result, NULL);  /* the status tells */
  (*pending)--;
}

/* Asks every hub at once: one slow hub costs its own timeout, not the
 * sum of all of them. */
static GPtrArray *
probe_hubs (GPtrArray  *records,
            GError    **error)
{
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(OpenIotPinStore) store = NULL;
  g_autoptr(OpenIotThingCache) cache = NULL;
  g_autoptr(GPtrArray) hubs = g_ptr_array_new_with_free_func (g_object_unref);
  guint pending = records->len;

  if (records->len == 0)
    return g_steal_pointer (&hubs);
  if (!(identity = openiot_cli_load_identity (NULL, error)))
    return NULL;
  store = openiot_pin_store_new (openiot_cli_options.store_dir);
  cache = openiot_cli_new_cache ();

  for (guint i = 0; i < records->len; i++)
    {
      OpenIotHub *hub = openiot_hub_new (records->pdata[i], identity, store, cache);

      g_ptr_array_add (hubs, hub);
      openiot_hub_refresh_async (hub, NULL, on_refreshed, &pending);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&hubs);
}

static void
print_hub (OpenIotHubRecord *record,
           OpenIotHub       *hub)
{
  g_autofree char *paired = g_date_time_format (openiot_hub_record_get_paired (record), "%x");
  g_autofree char *status = NULL;

  g_print ("%s  %s\n", openiot_cli_safe (openiot_hub_record_get_id (record)),
           openiot_cli_safe (openiot_hub_record_get_display_name (record)));
  /* A nickname is this device's; the hub's own name still identifies it */
  if (openiot_hub_record_get_nickname (record) != NULL)
    g_print (_("    The hub calls itself “%s”\n"),
             openiot_cli_safe (openiot_hub_record_get_name (record)));
  g_print ("    %s\n    %s\n", openiot_hub_record_get_fingerprint (record), paired);
  if (hub == NULL)
    return;

  switch (openiot_hub_get_status (hub))
    {
    case OPENIOT_HUB_STATUS_OFFLINE:
      /* Not "since" a moment ago: the reason is what helps here */
      g_print ("    %s\n",
               openiot_hub_get_error (hub) ? openiot_cli_safe (openiot_hub_get_error (hub)->message)
                                           : _("Offline"));
      break;
    case OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED:
      status = openiot_hub_dup_status_text (hub);
      g_print ("    %s\n", status);
      g_print (_("    Review it with “openiot trust --hub %s”.\n"),
               openiot_hub_record_get_id (record));
      break;
    default:
      status = openiot_hub_dup_status_text (hub);
      g_print ("    %s\n", status);
      break;
    }
}

int
openiot_cli_hubs (int    argc,
                  char **argv)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) hubs = NULL;
  g_autoptr(GError) error = NULL;
  gboolean no_check = FALSE;
  const GOptionEntry entries[] = {
    { "no-check", 0, 0, G_OPTION_ARG_NONE, &no_check,
     N_("Do not ask the hubs how they are; list only what is stored"), NULL },
    { NULL }
  };

  if (!openiot_cli_parse (&argc, &argv, "", _("List the paired hubs and ask each one how it is."),
                          entries) || argc != 1)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(records = openiot_cli_list_hubs (&error)))
    return openiot_cli_fail (error);
  if (!no_check && !(hubs = probe_hubs (records, &error)))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < records->len; i++)
        {
          JsonNode *node = openiot_hub_record_to_json (records->pdata[i]);
          OpenIotHub *hub = hubs ? hubs->pdata[i] : NULL;

          if (hub != NULL)
            json_object_set_string_member (json_node_get_object (node), "status", status_id (hub));
          json_array_add_element (array, node);
        }
      json_node_set_array (root, array);
      openiot_cli_print_json (root);
      return OPENIOT_CLI_EXIT_OK;
    }

  if (records->len == 0)
    g_print (_("No hub is paired yet. Pair one with “openiot pair LINK”.\n"));

  for (guint i = 0; i < records->len; i++)
    print_hub (records->pdata[i], hubs ? hubs->pdata[i] : NULL);

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
                          _("Forget a paired hub on this device: its pin and registration "
                            "details."), NULL))
    return OPENIOT_CLI_EXIT_USAGE;

  if (argc != 2)
    {
      g_printerr (_("openiot forget: name one hub (see “openiot hubs”)\n"));
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (!(hub = openiot_cli_find_hub (argv[1], &error)))
    return openiot_cli_fail (error);

  store = openiot_pin_store_new (openiot_cli_options.store_dir);
  openiot_pin_store_remove_async (store, openiot_hub_record_get_id (hub), NULL,
                                  openiot_cli_store_result, &result);
  if (!openiot_pin_store_remove_finish (store, openiot_cli_wait (&result), &error))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    openiot_cli_print_json_strings ("forgotten", openiot_hub_record_get_id (hub), NULL);
  else
    g_print (_("Forgot “%s”.\n"), openiot_cli_safe (openiot_hub_record_get_display_name (hub)));
  return OPENIOT_CLI_EXIT_OK;
}

int
openiot_cli_identity (int    argc,
                      char **argv)
{
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *grouped = NULL;

  if (!openiot_cli_parse (&argc, &argv, "",
                          _("Show this device’s certificate fingerprint (made on first use)."),
                          NULL) ||
      argc != 1)
    return OPENIOT_CLI_EXIT_USAGE;

  if (!(identity = openiot_cli_load_identity (NULL, &error)))
    return openiot_cli_fail (error);

  if (openiot_cli_options.json)
    {
      openiot_cli_print_json_strings ("name", openiot_identity_get_name (identity),
                                      "certificate", openiot_identity_get_fingerprint (identity),
                                      NULL);
      return OPENIOT_CLI_EXIT_OK;
    }

  grouped = openiot_fingerprint_format_grouped (openiot_identity_get_fingerprint (identity));
  g_print (_("This device: “%s”\nCertificate fingerprint (SHA-256):\n%s\n"),
           openiot_identity_get_name (identity), grouped);
  return OPENIOT_CLI_EXIT_OK;
}
