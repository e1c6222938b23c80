// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include <libopeniot.h>

#include "openiot-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OpenIotApplication) app = NULL;

  /* Before GApplication starts its D-Bus thread: it sets the environment */
  openiot_hub_connection_use_http1_only ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Open-IoT"));

  app = openiot_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
