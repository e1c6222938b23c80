// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <libopeniot.h>

#include "openiot-hubd-admin-client.h"
#include "openiot-hubd-serve.h"

/* The main port's TLS (docs/protocol.md, "Transport"): TLS 1.3 and 1.2
 * only, ECDHE key exchange (forward secrecy), AEAD ciphers. GnuTLS's
 * defaults, which glib-networking uses, still allow TLS 1.0 and 1.1 and
 * CBC suites. glib-networking takes its GnuTLS priority string from this
 * variable, once, at the first TLS connection; the pairing port's TLS-SRP
 * session sets its own priority and is not affected. */
#define HUB_TLS_PRIORITY \
  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:" \
  "-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:" \
  "-CIPHER-ALL:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-GCM:+AES-256-CCM:+AES-128-CCM:" \
  "-MAC-ALL:+AEAD:%COMPAT"

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *summary;
  CommandFunc  run;
} Command;

static const Command commands[] = {
  { "serve", "Run the hub", openiot_hubd_serve_main },
  { "pairing-code", "Open a one-time pairing code and show the pairing link",
   openiot_hubd_admin_client_pairing_code },
  { "rotate-certificate", "Replace the hub's key and certificate",
   openiot_hubd_admin_client_rotate },
  { "clients", "List the registered clients", openiot_hubd_admin_client_clients },
  { "revoke", "Revoke a client's registration", openiot_hubd_admin_client_revoke },
  { "status", "Show the running hub's status", openiot_hubd_admin_client_status },
  { NULL, NULL, NULL },
};

static void
print_usage (FILE *stream)
{
  fprintf (stream, "Usage: openiot-hub [--version] [--help] COMMAND [ARGS…]\n\n");
  fprintf (stream, "The Open-IoT reference hub: HTTPS with a self-signed certificate,\n"
                   "mutual-TLS client registration, and a reverse proxy to services\n"
                   "on UNIX sockets.\n\nCommands:\n");
  for (const Command *c = commands; c->name != NULL; c++)
    fprintf (stream, "  %-20s %s\n", c->name, c->summary);
  fprintf (stream, "\nRun “openiot-hub COMMAND --help” for the options of a command.\n");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");

  /* Before any thread exists, and whatever the environment says: the
   * hub's TLS policy is not something to loosen from outside. */
  g_setenv ("G_TLS_GNUTLS_PRIORITY", HUB_TLS_PRIORITY, TRUE);

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }

  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("openiot-hub %s (Open-IoT protocol %d)\n", PACKAGE_VERSION, OPENIOT_PROTOCOL_API);
      return 0;
    }

  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (stdout);
      return 0;
    }

  for (const Command *c = commands; c->name != NULL; c++)
    {
      if (g_str_equal (argv[1], c->name))
        return c->run (argc - 1, argv + 1);
    }

  g_printerr ("openiot-hub: “%s” is not a command. See “openiot-hub --help”.\n", argv[1]);
  return 2;
}
