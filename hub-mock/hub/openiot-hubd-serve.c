// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <glib-unix.h>
#include <libopeniot.h>

#include "openiot-hubd-addresses.h"
#include "openiot-hubd-admin.h"
#include "openiot-hubd-discovery.h"
#include "openiot-hubd-pairing.h"
#include "openiot-hubd-proxy.h"
#include "openiot-hubd-registry.h"
#include "openiot-hubd-server.h"
#include "openiot-hubd-state.h"

#include "openiot-hubd-serve.h"

typedef struct
{
  OpenIotHubdState     *state;
  OpenIotHubdDiscovery *discovery;
} DiscoveryUpdate;

static gboolean
on_quit_signal (gpointer data)
{
  g_message ("Stopping");
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static void
update_discovery (DiscoveryUpdate *update)
{
  openiot_hubd_discovery_set_txt (update->discovery,
                                 openiot_hubd_state_get_id (update->state),
                                 openiot_hubd_state_get_fingerprint (update->state));
}

static GSocketAddress *
socket_address (const char  *host,
                guint16      port,
                GError     **error)
{
  GSocketAddress *address = g_inet_socket_address_new_from_string (host, port);

  if (address == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "“%s” is not an IP address to listen on", host);
  return address;
}

static gboolean
is_wildcard (const char *address)
{
  return g_str_equal (address, "::") || g_str_equal (address, "0.0.0.0");
}

/* A hub bound to particular addresses must not hand out the others its
 * interfaces have: clients would try addresses nothing listens on. The
 * admin's public addresses stay (they may be forwarded to the hub). */
static void
keep_listened_addresses (GPtrArray          *addresses,
                         guint               n_public,
                         const char * const *listen_on)
{
  for (guint i = 0; listen_on[i] != NULL; i++)
    {
      if (is_wildcard (listen_on[i]))
        return;
    }

  for (guint i = addresses->len; i > n_public; i--)
    {
      OpenIotHubdAddress *address = g_ptr_array_index (addresses, i - 1);

      if (!g_strv_contains (listen_on, address->address))
        g_ptr_array_remove_index (addresses, i - 1);
    }
}

/* The address a pairing link names: one the admin chose, else one clients
 * can reach, global first. */
static const char *
choose_link_host (char     **public_addresses,
                  char     **listen,
                  GPtrArray *addresses)
{
  if (public_addresses != NULL && public_addresses[0] != NULL)
    return public_addresses[0];

  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    {
      if (!is_wildcard (listen[i]))
        return listen[i];
    }

  if (addresses->len > 0)
    return ((OpenIotHubdAddress *) g_ptr_array_index (addresses, 0))->address;

  return "::1";
}

int
openiot_hubd_serve_main (int    argc,
                        char **argv)
{
  g_autofree char *state_dir = NULL;
  g_autofree char *services_dir = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) listen = NULL;
  g_auto(GStrv) public_addresses = NULL;
  int port = 8443;
  int pairing_port = 0;
  int idle_timeout = 60;
  int service_timeout = OPENIOT_HUBD_PROXY_DEFAULT_RESPONSE_TIMEOUT;
  const GOptionEntry entries[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &state_dir,
     "Where the hub keeps its key, certificate and registry", "DIR" },
    { "services-dir", 0, 0, G_OPTION_ARG_FILENAME, &services_dir,
     "One sub-directory per service, holding interface.sock", "DIR" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "HTTPS port (default 8443; 443 for a production hub)",
     "PORT" },
    { "pairing-port", 0, 0, G_OPTION_ARG_INT, &pairing_port,
     "TLS-SRP pairing port (default PORT + 1)", "PORT" },
    { "listen", 0, 0, G_OPTION_ARG_STRING_ARRAY, &listen,
     "Address to listen on, repeatable (default ::, all addresses)", "ADDR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The hub's name, shown to people", "NAME" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
     "Close connections silent this long (default 60)", "SECONDS" },
    { "service-timeout", 0, 0, G_OPTION_ARG_INT, &service_timeout,
      "Answer 504 when a service sends no response headers this long "
      "(default 300: long-poll lives)", "SECONDS" },
    { "public-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &public_addresses,
     "IPv6 address clients reach from the Internet, repeatable", "ADDR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— run the Open-IoT hub");
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotHubdState) state = NULL;
  g_autoptr(OpenIotHubdRegistry) registry = NULL;
  g_autoptr(OpenIotHubdProxy) proxy = NULL;
  g_autoptr(OpenIotHubdPairing) pairing = NULL;
  g_autoptr(OpenIotHubdServer) server = NULL;
  g_autoptr(OpenIotHubdAdmin) admin = NULL;
  g_autoptr(OpenIotHubdDiscovery) discovery = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(JsonNode) addresses_json = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *registry_path = NULL;
  g_autofree char *admin_path = NULL;
  const char *default_listen[] = { "::", NULL };
  const char * const *listen_on;
  OpenIotHubdAdminContext admin_context;
  DiscoveryUpdate update;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("openiot-hub serve: %s\n", error->message);
      return 2;
    }

  if (state_dir == NULL || services_dir == NULL)
    {
      g_printerr ("openiot-hub serve: --state-dir and --services-dir are required\n");
      return 2;
    }

  if (pairing_port == 0)
    pairing_port = port + 1;
  if (port < 1 || port > 65535 || pairing_port < 1 || pairing_port > 65535 || port == pairing_port)
    {
      g_printerr ("openiot-hub serve: ports must be 1 to 65535 and differ\n");
      return 2;
    }

  if (!(state = openiot_hubd_state_load (state_dir, name, &error)))
    {
      g_printerr ("openiot-hub: cannot load the hub's state: %s\n", error->message);
      return 1;
    }

  registry_path = g_build_filename (state_dir, "clients.json", NULL);
  if (!(registry = openiot_hubd_registry_load (registry_path, &error)))
    {
      g_printerr ("openiot-hub: cannot load the registry: %s\n", error->message);
      return 1;
    }

  if (!(addresses = openiot_hubd_addresses_collect ((const char * const *) public_addresses,
                                                    &error)))
    {
      g_printerr ("openiot-hub: %s\n", error->message);
      return 2;
    }
  listen_on = listen != NULL ? (const char * const *) listen : default_listen;
  keep_listened_addresses (addresses, public_addresses ? g_strv_length (public_addresses) : 0,
                           listen_on);
  addresses_json = openiot_hubd_addresses_to_json (addresses);

  g_mkdir_with_parents (services_dir, 0755);
  proxy = openiot_hubd_proxy_new (services_dir);
  openiot_hubd_proxy_set_response_timeout (proxy, MAX (service_timeout, 1));
  pairing = openiot_hubd_pairing_new (state, registry, port, addresses_json);
  server = openiot_hubd_server_new (state, registry, pairing, proxy, port, pairing_port,
                                    addresses_json);
  openiot_hubd_server_set_idle_timeout (server, MAX (idle_timeout, 1));

  for (guint i = 0; listen_on[i] != NULL; i++)
    {
      g_autoptr(GSocketAddress) main_address = NULL;
      g_autoptr(GSocketAddress) pairing_address = NULL;

      if (!(main_address = socket_address (listen_on[i], port, &error)) ||
          !(pairing_address = socket_address (listen_on[i], pairing_port, &error)) ||
          !openiot_hubd_server_listen (server, main_address, &error) ||
          !openiot_hubd_pairing_listen (pairing, pairing_address, &error))
        {
          g_printerr ("openiot-hub: cannot listen on %s: %s\n", listen_on[i], error->message);
          return 1;
        }
    }

  admin_context = (OpenIotHubdAdminContext) {
    .state = state, .registry = registry, .pairing = pairing, .proxy = proxy,
    .addresses = addresses_json,
    .link_host = choose_link_host (public_addresses, listen, addresses),
    .port = port, .pairing_port = pairing_port,
  };
  admin = openiot_hubd_admin_new (&admin_context);
  admin_path = g_build_filename (state_dir, "admin.sock", NULL);
  if (!openiot_hubd_admin_listen (admin, admin_path, &error))
    {
      g_printerr ("openiot-hub: cannot open the admin socket %s: %s\n", admin_path, error->message);
      return 1;
    }

  discovery = openiot_hubd_discovery_new (openiot_hubd_state_get_name (state), port, pairing_port);
  update = (DiscoveryUpdate) { state, discovery };
  update_discovery (&update);
  g_signal_connect_swapped (state, "notify::tls-certificate", G_CALLBACK (update_discovery),
                            &update);
  openiot_hubd_discovery_start (discovery);

  g_print ("Open-IoT hub “%s” (%s)\n", openiot_hubd_state_get_name (state),
           openiot_hubd_state_get_id (state));
  g_print ("  certificate %s\n", openiot_hubd_state_get_fingerprint (state));
  for (guint i = 0; listen_on[i] != NULL; i++)
    g_print ("  listening on [%s]:%d (HTTPS), [%s]:%d (pairing)\n", listen_on[i], port,
             listen_on[i], pairing_port);
  g_print ("  services in %s\n", openiot_hubd_proxy_get_services_dir (proxy));
  g_print ("  admin socket %s\n", admin_path);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_main_loop_run (loop);

  g_signal_handlers_disconnect_by_data (pairing, &update);
  g_signal_handlers_disconnect_by_data (state, &update);

  /* Close the listeners and open connections, then let their pending
   * callbacks run, so nothing is left half-closed (and valgrind sees no
   * leaks at exit). */
  g_clear_object (&admin);
  g_clear_object (&server);
  g_clear_object (&discovery);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
