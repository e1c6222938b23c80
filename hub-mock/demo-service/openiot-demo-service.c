// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-demo"

#include "config.h"

#include <locale.h>
#include <glib-unix.h>
#include <glib/gstdio.h>

#include "openiot-demo-light.h"
#include "openiot-demo-lock.h"
#include "openiot-demo-meter.h"
#include "openiot-demo-thermostat.h"

/*
 * openiot-demo-service: one demo IoT service per process, as a container
 * on a hub would run it, serving plain HTTP on its interface.sock.
 *
 * Besides the Thing Description's interactions it answers two debugging
 * routes the hub's tests use: GET /debug/echo (what the service received:
 * method, path, query, headers) and GET /debug/slow?seconds=N.
 */

static gboolean
on_quit_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static GType
type_for_name (const char *name)
{
  if (g_strcmp0 (name, "thermostat") == 0)
    return OPENIOT_TYPE_DEMO_THERMOSTAT;
  if (g_strcmp0 (name, "lock") == 0)
    return OPENIOT_TYPE_DEMO_LOCK;
  if (g_strcmp0 (name, "light") == 0)
    return OPENIOT_TYPE_DEMO_LIGHT;
  if (g_strcmp0 (name, "meter") == 0)
    return OPENIOT_TYPE_DEMO_METER;
  return G_TYPE_INVALID;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *type = NULL;
  g_autofree char *socket_path = NULL;
  int tick_ms = 1000;
  int keepalive_seconds = 15;
  double jam_probability = 0.1;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, "thermostat, lock, light or meter", "TYPE" },
    { "socket", 0, 0, G_OPTION_ARG_FILENAME, &socket_path, "The UNIX socket to serve on", "PATH" },
    { "tick-ms", 0, 0, G_OPTION_ARG_INT, &tick_ms, "Simulation step (default 1000)", "MS" },
    { "keepalive-seconds", 0, 0, G_OPTION_ARG_INT, &keepalive_seconds,
     "Event-stream keep-alive comments (default 15)", "S" },
    { "jam-probability", 0, 0, G_OPTION_ARG_DOUBLE, &jam_probability,
     "How often the lock jams (default 0.1)", "P" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Show the version", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— a demo Open-IoT service");
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotDemoThing) thing = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *resource = NULL;
  GType thing_type;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("openiot-demo-service: %s\n", error->message);
      return 2;
    }

  if (version)
    {
      g_print ("openiot-demo-service %s\n", PACKAGE_VERSION);
      return 0;
    }

  thing_type = type_for_name (type);
  if (thing_type == G_TYPE_INVALID || socket_path == NULL)
    {
      g_printerr ("openiot-demo-service: give --type thermostat|lock|light|meter "
                  "and --socket PATH\n");
      return 2;
    }

  thing = g_object_new (thing_type, NULL);
  if (OPENIOT_IS_DEMO_LOCK (thing))
    openiot_demo_lock_set_jam_probability (OPENIOT_DEMO_LOCK (thing), jam_probability);

  resource = g_strdup_printf ("/org/openiot/DemoService/%s.td.json", type);
  if (!openiot_demo_thing_load_td (thing, resource, &error) ||
      !openiot_demo_thing_listen (thing, socket_path, &error))
    {
      g_printerr ("openiot-demo-service: %s\n", error->message);
      return 1;
    }

  openiot_demo_thing_start (thing, tick_ms, keepalive_seconds);
  g_message ("Serving the demo %s on %s", type, socket_path);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_main_loop_run (loop);

  g_unlink (socket_path);
  return 0;
}
