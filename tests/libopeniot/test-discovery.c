// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <libopeniot.h>

#include "openiot-fake-avahi.h"

/* OpenIotDiscovery against an Avahi on a private bus (the fake speaks
 * Avahi's D-Bus API): hubs appear, merge, update and go, live. */

typedef struct
{
  GTestDBus        *dbus;
  GDBusConnection  *bus;
  OpenIotFakeAvahi *avahi;
  OpenIotDiscovery *discovery;
} Fixture;

static void
iterate_until (gboolean (*done) (Fixture *), Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (fixture))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
is_available (Fixture *fixture)
{
  return openiot_discovery_get_available (fixture->discovery);
}

static guint
n_hubs (Fixture *fixture)
{
  return g_list_model_get_n_items (G_LIST_MODEL (fixture->discovery));
}

static gboolean has_one (Fixture *fixture) { return n_hubs (fixture) == 1; }
static gboolean has_two (Fixture *fixture) { return n_hubs (fixture) == 2; }
static gboolean has_none (Fixture *fixture) { return n_hubs (fixture) == 0; }

static OpenIotDiscoveredHub *
hub_at (Fixture *fixture,
        guint    position)
{
  OpenIotDiscoveredHub *hub = g_list_model_get_item (G_LIST_MODEL (fixture->discovery), position);

  g_object_unref (hub);  /* the model keeps it */
  return hub;
}

static void
setup (Fixture       *fixture,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dbus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->dbus);
  fixture->bus = g_dbus_connection_new_for_address_sync (
    g_test_dbus_get_bus_address (fixture->dbus),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->discovery = openiot_discovery_new_for_connection (fixture->bus);
}

static void
teardown (Fixture       *fixture,
          gconstpointer  data)
{
  g_clear_object (&fixture->discovery);
  g_clear_pointer (&fixture->avahi, openiot_fake_avahi_free);
  g_dbus_connection_close_sync (fixture->bus, NULL, NULL);
  g_clear_object (&fixture->bus);
  g_test_dbus_down (fixture->dbus);
  g_clear_object (&fixture->dbus);
}

static void
start_avahi (Fixture  *fixture,
             gboolean  with_prepare)
{
  fixture->avahi = openiot_fake_avahi_new (g_test_dbus_get_bus_address (fixture->dbus),
                                           with_prepare);
}

static const char * const demo_txt[] = {
  "id=5416d9f8-7cea-448c-9b8d-ee048d7b2590", "api=1", "fp=sha256:00", "pairing=open",
  "pairing-port=9444", NULL
};

static void
test_found_live (Fixture       *fixture,
                 gconstpointer  data)
{
  OpenIotDiscoveredHub *hub;

  start_avahi (fixture, TRUE);
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "Demo Hub", "fd00::10", 9443, demo_txt);
  openiot_discovery_start (fixture->discovery);
  iterate_until (is_available, fixture);
  iterate_until (has_one, fixture);

  hub = hub_at (fixture, 0);
  g_assert_cmpstr (openiot_discovered_hub_get_name (hub), ==, "Demo Hub");
  g_assert_cmpstr (openiot_discovered_hub_get_id (hub), ==, "5416d9f8-7cea-448c-9b8d-ee048d7b2590");
  g_assert_cmpstr (openiot_discovered_hub_get_address (hub), ==, "fd00::10");
  g_assert_cmpuint (openiot_discovered_hub_get_port (hub), ==, 9443);
  g_assert_cmpuint (openiot_discovered_hub_get_pairing_port (hub), ==, 9444);
  g_assert_true (openiot_discovered_hub_get_pairing_open (hub));

  /* A second hub appears while browsing, one without TXT: defaults */
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "Attic", "fd00::20", 8443, NULL);
  iterate_until (has_two, fixture);
  hub = hub_at (fixture, 0);   /* sorted by name */
  g_assert_cmpstr (openiot_discovered_hub_get_name (hub), ==, "Attic");
  g_assert_cmpstr (openiot_discovered_hub_get_id (hub), ==, "Attic");
  g_assert_cmpuint (openiot_discovered_hub_get_pairing_port (hub), ==, 8444);
  g_assert_false (openiot_discovered_hub_get_pairing_open (hub));

  /* and goes */
  openiot_fake_avahi_withdraw (fixture->avahi, 1, 1, "Attic");
  iterate_until (has_one, fixture);
  g_assert_cmpstr (openiot_discovered_hub_get_name (hub_at (fixture, 0)), ==, "Demo Hub");

  /* Stopping frees the browser in the daemon */
  openiot_discovery_stop (fixture->discovery);
  g_assert_cmpuint (n_hubs (fixture), ==, 0);
  g_assert_false (openiot_discovery_get_available (fixture->discovery));
  while (openiot_fake_avahi_get_browsers (fixture->avahi) > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* IPv4 and IPv6, two interfaces: one hub, at its best address. */
static void
test_one_hub_best_address (Fixture       *fixture,
                           gconstpointer  data)
{
  start_avahi (fixture, TRUE);
  openiot_fake_avahi_announce (fixture->avahi, 1, 0, "Demo Hub", "192.0.2.10", 9443, demo_txt);
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "Demo Hub", "fe80::10", 9443, demo_txt);
  openiot_discovery_start (fixture->discovery);
  iterate_until (has_one, fixture);

  /* fe80:: is only usable with its interface: index 1 is the loopback */
  while (!g_str_has_prefix (openiot_discovered_hub_get_address (hub_at (fixture, 0)), "fe80::10%"))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (openiot_discovered_hub_get_address (hub_at (fixture, 0)), ==, "fe80::10%lo");

  openiot_fake_avahi_announce (fixture->avahi, 2, 1, "Demo Hub", "fd00::10", 9443, demo_txt);
  while (g_strcmp0 (openiot_discovered_hub_get_address (hub_at (fixture, 0)), "fd00::10") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (n_hubs (fixture), ==, 1);

  openiot_fake_avahi_withdraw (fixture->avahi, 2, 1, "Demo Hub");
  while (g_strcmp0 (openiot_discovered_hub_get_address (hub_at (fixture, 0)), "fe80::10%lo") != 0)
    g_main_context_iteration (NULL, TRUE);
}

/* Whatever the network announces: nothing crashes, garbage is dropped. */
static void
test_hostile_announcements (Fixture       *fixture,
                            gconstpointer  data)
{
  const char * const bad_txt[] = { "id", "=x", "pairing-port=99999999", "pairing-port=-1",
                                  "pairing=\xff", NULL };

  start_avahi (fixture, TRUE);
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "not an address", "hub.example", 9443,
                               demo_txt);
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "port zero", "fd00::30", 0, demo_txt);
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "bad txt", "fd00::40", 9443, bad_txt);
  openiot_discovery_start (fixture->discovery);
  iterate_until (has_one, fixture);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpuint (n_hubs (fixture), ==, 1);
  g_assert_cmpstr (openiot_discovered_hub_get_name (hub_at (fixture, 0)), ==, "bad txt");
  g_assert_cmpuint (openiot_discovered_hub_get_pairing_port (hub_at (fixture, 0)), ==, 9444);
  g_assert_false (openiot_discovered_hub_get_pairing_open (hub_at (fixture, 0)));
}

/* Avahi before 0.8 has no ServiceBrowserPrepare. */
static void
test_old_avahi (Fixture       *fixture,
                gconstpointer  data)
{
  start_avahi (fixture, FALSE);
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "Demo Hub", "fd00::10", 9443, demo_txt);
  openiot_discovery_start (fixture->discovery);
  iterate_until (has_one, fixture);
}

/* No daemon: nothing found, not available; a daemon later: found. */
static void
test_avahi_comes_and_goes (Fixture       *fixture,
                           gconstpointer  data)
{
  openiot_discovery_start (fixture->discovery);
  for (int i = 0; i < 100; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (openiot_discovery_get_available (fixture->discovery));
  g_assert_cmpuint (n_hubs (fixture), ==, 0);

  start_avahi (fixture, TRUE);
  openiot_fake_avahi_announce (fixture->avahi, 1, 1, "Demo Hub", "fd00::10", 9443, demo_txt);
  iterate_until (has_one, fixture);
  g_assert_true (openiot_discovery_get_available (fixture->discovery));

  g_clear_pointer (&fixture->avahi, openiot_fake_avahi_free);
  iterate_until (has_none, fixture);
  g_assert_false (openiot_discovery_get_available (fixture->discovery));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/discovery/found-live", Fixture, NULL, setup, test_found_live, teardown);
  g_test_add ("/discovery/one-hub-best-address", Fixture, NULL, setup, test_one_hub_best_address,
              teardown);
  g_test_add ("/discovery/hostile-announcements", Fixture, NULL, setup, test_hostile_announcements,
              teardown);
  g_test_add ("/discovery/old-avahi", Fixture, NULL, setup, test_old_avahi, teardown);
  g_test_add ("/discovery/avahi-comes-and-goes", Fixture, NULL, setup, test_avahi_comes_and_goes,
              teardown);

  return g_test_run ();
}
