// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "openiot-test-hub.h"

static gboolean
port_is_free (guint16 port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}

/* Two consecutive free ports: the main port and the pairing port. */
static guint16
free_port_pair (void)
{
  for (guint attempt = 0; attempt < 100; attempt++)
    {
      guint16 port = g_random_int_range (20000, 60000);

      if (port_is_free (port) && port_is_free (port + 1))
        return port;
    }

  g_error ("no free port pair on ::1");
}

static void
spawn_hub (OpenIotTestHub *hub)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", hub->port);
  g_autofree char *admin = g_build_filename (hub->state_dir, "admin.sock", NULL);
  const char *binary = g_getenv ("OPENIOT_HUB");
  /* Two cores running two tests, each with several processes */
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_nonnull (binary);
  g_unlink (admin);
  hub->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                   binary, "serve", "--state-dir", hub->state_dir,
                                   "--services-dir", hub->services_dir, "--listen", "::1",
                                   "--port", port, "--name", "Test Hub", NULL);
  g_assert_no_error (error);

  while (!g_file_test (admin, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

OpenIotTestHub *
openiot_test_hub_start (void)
{
  return openiot_test_hub_start_on_port (free_port_pair ());
}

/* Another hub (its own state, key and certificate) where one was: an
 * impostor on a stopped hub's port. */
OpenIotTestHub *
openiot_test_hub_start_on_port (guint16 port)
{
  g_autoptr(GError) error = NULL;
  OpenIotTestHub *hub = g_new0 (OpenIotTestHub, 1);

  hub->dir = g_dir_make_tmp ("openiot-test-hub-XXXXXX", &error);
  g_assert_no_error (error);
  hub->state_dir = g_build_filename (hub->dir, "state", NULL);
  hub->services_dir = g_build_filename (hub->dir, "services", NULL);
  hub->services = g_ptr_array_new_with_free_func (g_object_unref);
  hub->port = port;
  spawn_hub (hub);
  return hub;
}

/* Stops the hub (its services keep running), as a power cut would. */
void
openiot_test_hub_stop (OpenIotTestHub *hub)
{
  g_subprocess_send_signal (hub->process, SIGKILL);
  g_subprocess_wait (hub->process, NULL, NULL);
  g_clear_object (&hub->process);
}

/* Starts it again on the same port with the same state. */
void
openiot_test_hub_restart (OpenIotTestHub *hub)
{
  g_assert_null (hub->process);
  spawn_hub (hub);
}

/* A demo service (thermostat, lock, light, meter) in the services dir. */
void
openiot_test_hub_start_service (OpenIotTestHub *hub,
                                const char     *type)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *socket = g_build_filename (hub->services_dir, type, "interface.sock", NULL);
  const char *binary = g_getenv ("OPENIOT_DEMO_SERVICE");
  /* Two cores running two tests, each with several processes */
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  /* A lock never jams, unless a test asks (OPENIOT_TEST_JAM_PROBABILITY) */
  const char *jam = g_getenv ("OPENIOT_TEST_JAM_PROBABILITY");
  GSubprocess *process;

  g_assert_nonnull (binary);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, binary, "--type", type,
                              "--socket", socket,
                              "--tick-ms", "200", "--keepalive-seconds", "1", "--jam-probability",
                              jam ? jam : "0",
                              NULL);
  g_assert_no_error (error);
  g_ptr_array_add (hub->services, process);

  while (!g_file_test (socket, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
}

/* Runs `openiot-hub ARGS… --state-dir … --json` and returns its JSON. */
JsonNode *
openiot_test_hub_admin (OpenIotTestHub *hub,
                        const char     *first_arg,
                        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("OPENIOT_HUB"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, (char *) "--state-dir");
  g_ptr_array_add (argv, hub->state_dir);
  g_ptr_array_add (argv, (char *) "--json");
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

OpenIotPairingLink *
openiot_test_hub_open_code (OpenIotTestHub *hub)
{
  g_autoptr(JsonNode) reply = openiot_test_hub_admin (hub, "pairing-code", NULL);
  g_autoptr(GError) error = NULL;
  OpenIotPairingLink *link;

  link = openiot_pairing_link_parse (
    json_object_get_string_member (json_node_get_object (reply), "link"), &error);
  g_assert_no_error (error);
  return link;
}

void
openiot_test_hub_free (OpenIotTestHub *hub)
{
  g_autoptr(GFile) dir = NULL;

  if (hub->process != NULL)
    {
      g_subprocess_send_signal (hub->process, SIGTERM);
      g_subprocess_wait (hub->process, NULL, NULL);
      g_clear_object (&hub->process);
    }
  for (guint i = 0; i < hub->services->len; i++)
    {
      g_subprocess_send_signal (hub->services->pdata[i], SIGTERM);
      g_subprocess_wait (hub->services->pdata[i], NULL, NULL);
    }
  g_ptr_array_unref (hub->services);

  /* the state dir holds only what the test made */
  {
    const char *argv[] = { "rm", "-rf", hub->dir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL,
                  NULL);
  }
  g_free (hub->dir);
  g_free (hub->state_dir);
  g_free (hub->services_dir);
  g_free (hub);
}
