// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libopeniot.h>

#include "openiot-cli-common.h"
#include "openiot-cli-describe.h"
#include "openiot-cli-exit.h"
#include "openiot-cli-hubs.h"
#include "openiot-cli-interact.h"
#include "openiot-cli-observe.h"
#include "openiot-cli-pair.h"
#include "openiot-cli-rename.h"
#include "openiot-cli-services.h"
#include "openiot-cli-trust.h"

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *summary;
  CommandFunc  run;
} Command;

static const Command commands[] = {
  { "identity", N_("Show this device’s certificate fingerprint"), openiot_cli_identity },
  { "pair", N_("Pair with a hub (LINK, or --address ADDR --code CODE)"), openiot_cli_pair },
  { "hubs", N_("List the paired hubs"), openiot_cli_hubs },
  { "services", N_("List a hub’s services"), openiot_cli_services },
  { "describe", N_("Describe a service’s properties, actions and events"), openiot_cli_describe },
  { "get", N_("Read a property"), openiot_cli_get },
  { "set", N_("Write a property"), openiot_cli_set },
  { "invoke", N_("Invoke an action"), openiot_cli_invoke },
  { "observe", N_("Follow a property or an event as it changes"), openiot_cli_observe },
  { "trust", N_("Review and accept a changed hub certificate"), openiot_cli_trust },
  { "rename-hub", N_("Call a hub by a nickname on this device"), openiot_cli_rename_hub },
  { "rename-device", N_("Change this device’s name on a hub"), openiot_cli_rename_device },
  { "forget", N_("Forget a paired hub on this device"), openiot_cli_forget },
  { NULL, NULL, NULL },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n",
           _("Usage: openiot [--version] [--help] [--json] [--store DIR] COMMAND [ARGS…]"));
  fprintf (stream, "\n%s\n", _("Reach the services of your own Open-IoT hub, without a cloud."));
  fprintf (stream, "\n%s\n", _("Commands:"));
  for (const Command *c = commands; c->name != NULL; c++)
    fprintf (stream, "  %-12s %s\n", c->name, _(c->summary));
  fprintf (stream, "\n%s\n",
           _("Exit status: 0 ok, 1 error, 2 usage, 3 certificate changed or not trusted,\n"
             "4 not registered, 5 unreachable, 6 pairing code rejected or locked out."));
  fprintf (stream, "%s\n", _("Run “openiot COMMAND --help” for the options of a command."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage (stderr);
      return OPENIOT_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "version"))
    {
      g_print ("openiot %s (Open-IoT protocol %d)\n", PACKAGE_VERSION, OPENIOT_PROTOCOL_API);
      return OPENIOT_CLI_EXIT_OK;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return OPENIOT_CLI_EXIT_OK;
    }

  /* openiot talks TLS to paired hubs only, each checked against its pin:
   * the system's CA bundle would be parsed for nothing (~25 ms a call). */
  openiot_hub_connection_trust_pins_only ();
  openiot_hub_connection_use_http1_only ();

  /* Global options may come before the command too. */
  while (argc > 1 && g_str_has_prefix (argv[1], "--"))
    {
      if (g_str_equal (argv[1], "--json"))
        openiot_cli_options.json = TRUE;
      else if (g_str_equal (argv[1], "--store") && argc > 2)
        {
          openiot_cli_options.store_dir = g_strdup (argv[2]);
          argc--, argv++;
        }
      else if (g_str_has_prefix (argv[1], "--store="))
        openiot_cli_options.store_dir = g_strdup (argv[1] + strlen ("--store="));
      else
        break;
      argc--, argv++;
    }

  for (const Command *c = commands; argc > 1 && c->name != NULL; c++)
    {
      if (g_str_equal (argv[1], c->name))
        return c->run (argc - 1, argv + 1);
    }

  if (argc < 2)
    {
      print_usage (stderr);
      return OPENIOT_CLI_EXIT_USAGE;
    }

  g_printerr (_("openiot: “%s” is not a command. See “openiot --help”.\n"), argv[1]);
  return OPENIOT_CLI_EXIT_USAGE;
}
