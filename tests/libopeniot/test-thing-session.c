// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * OpenIotThingSession against the real hub and demo thermostat: values
 * from the cache before anything is sent, then live; writes stored once
 * the device took them; stopped and back with the hub; the values cached
 * again when it stops, and the numbers that came live in the history.
 * The overview's primary-only session: the main value only, live, cached
 * into the other values without a history.
 */
#include "config.h"

#include <libopeniot.h>

#include "openiot-test-hub.h"

typedef struct
{
  OpenIotTestHub  *test_hub;
  char            *store;
  OpenIotHub      *hub;
} Fixture;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, for 30 s at most. */
static void
wait_until (gboolean   (*done) (OpenIotThingSession *session),
            OpenIotThingSession *session,
            const char          *what)
{
  guint timeout = g_timeout_add_seconds (30, on_timeout, (gpointer) what);

  while (!done (session))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(OpenIotPairingLink) link = NULL;
  g_autoptr(GAsyncResult) identity_result = NULL;
  g_autoptr(GAsyncResult) pair_result = NULL;
  g_autoptr(OpenIotIdentity) identity = NULL;
  g_autoptr(OpenIotPairingResult) paired = NULL;
  g_autoptr(OpenIotHubRecord) record = NULL;
  g_autoptr(OpenIotPinStore) pins = NULL;
  g_autoptr(OpenIotThingCache) cache = NULL;
  g_autofree char *cache_dir = NULL;
  g_autoptr(GError) error = NULL;

  fixture->test_hub = openiot_test_hub_start ();
  openiot_test_hub_start_service (fixture->test_hub, "thermostat");
  fixture->store = g_dir_make_tmp ("openiot-test-session-XXXXXX", &error);
  g_assert_no_error (error);

  openiot_identity_load_async (fixture->store, "Session Test", NULL, store_result,
                               &identity_result);
  identity = openiot_identity_load_finish (wait_result (&identity_result), &error);
  g_assert_no_error (error);

  link = openiot_test_hub_open_code (fixture->test_hub);
  openiot_pair_async (link, "Session Test", openiot_identity_get_certificate_pem (identity), NULL,
                      store_result,
                      &pair_result);
  paired = openiot_pair_finish (wait_result (&pair_result), &error);
  g_assert_no_error (error);

  record = openiot_hub_record_new_from_pairing (paired);
  pins = openiot_pin_store_new (fixture->store);
  cache_dir = g_build_filename (fixture->store, "cache", NULL);
  cache = openiot_thing_cache_new (cache_dir);
  fixture->hub = openiot_hub_new (record, identity, pins, cache);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->hub);
  g_clear_pointer (&fixture->test_hub, openiot_test_hub_free);
  g_free (fixture->store);
}

static gboolean
is_live (OpenIotThingSession *session)
{
  return openiot_thing_session_get_live (session);
}

static gboolean
is_not_live (OpenIotThingSession *session)
{
  return !openiot_thing_session_get_live (session);
}

static void
count_value (OpenIotThingSession *session,
             const char          *name,
             JsonNode            *value,
             guint               *count)
{
  (*count)++;
}

static void
test_cached_then_live (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(OpenIotThingSession) first = openiot_thing_session_new (fixture->hub, "thermostat");
  g_autoptr(OpenIotThingSession) second = NULL;
  g_autoptr(GAsyncResult) written = NULL;
  g_autoptr(JsonNode) target = json_node_init_double (json_node_alloc (), 22.5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) samples = NULL;
  guint values_before_network = 0;

  /* Nothing cached: no description until the hub gives it */
  openiot_thing_session_start (first);
  g_assert_null (openiot_thing_session_get_thing (first));
  g_assert_true (openiot_thing_session_get_loading (first));
  wait_until (is_live, first, "live values");
  g_assert_nonnull (openiot_thing_session_get_thing (first));
  g_assert_true (json_object_has_member (openiot_thing_session_get_values (first), "temperature"));
  g_assert_nonnull (openiot_thing_session_get_updated (first));
  samples = openiot_value_history_get_samples (openiot_thing_session_get_history (first),
                                               "thermostat",
                                               "temperature", NULL);
  g_assert_cmpuint (samples->len, >=, 1);
  g_clear_pointer (&samples, g_array_unref);
  samples = openiot_value_history_get_samples (openiot_thing_session_get_history (first),
                                               "thermostat", "mode", NULL);
  g_assert_cmpuint (samples->len, ==, 0);
  g_clear_pointer (&samples, g_array_unref);

  /* A write is the stored value once the device took it */
  openiot_thing_session_write_property_async (first, "targetTemperature", target, NULL,
                                              store_result, &written);
  g_assert_true (
    openiot_thing_session_write_property_finish (first, wait_result (&written), &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (json_object_get_double_member (openiot_thing_session_get_values (first),
                                                    "targetTemperature"),
                     ==, 22.5);
  openiot_thing_session_stop (first);
  g_assert_false (openiot_thing_session_get_live (first));

  /* A new session draws the cached description and values before it
   * sends anything: within start(), with no main loop run */
  second = openiot_thing_session_new (fixture->hub, "thermostat");
  g_signal_connect (second, "value-changed", G_CALLBACK (count_value), &values_before_network);
  openiot_thing_session_start (second);
  g_assert_nonnull (openiot_thing_session_get_thing (second));
  g_assert_false (openiot_thing_session_get_loading (second));
  g_assert_cmpfloat (json_object_get_double_member (openiot_thing_session_get_values (second),
                                                    "targetTemperature"),
                     ==, 22.5);
  g_assert_nonnull (openiot_thing_session_get_consumed_thing (second));
  /* The history was kept when the first stopped */
  samples = openiot_value_history_get_samples (openiot_thing_session_get_history (second),
                                               "thermostat",
                                               "temperature", NULL);
  g_assert_cmpuint (samples->len, >=, 1);
  g_assert_false (openiot_thing_session_get_live (second));
  wait_until (is_live, second, "live values from the cache's description");
  g_assert_cmpuint (values_before_network, >, 0);
}

static void
test_hub_down_and_back (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(OpenIotThingSession) session = openiot_thing_session_new (fixture->hub, "thermostat");

  openiot_hub_set_monitored (fixture->hub, TRUE);
  openiot_thing_session_start (session);
  wait_until (is_live, session, "live values");

  openiot_test_hub_stop (fixture->test_hub);
  wait_until (is_not_live, session, "the session to notice the hub is gone");
  /* the last values stay */
  g_assert_true (json_object_has_member (openiot_thing_session_get_values (session),
                                         "temperature"));

  openiot_test_hub_restart (fixture->test_hub);
  wait_until (is_live, session, "live again by itself");
  openiot_hub_set_monitored (fixture->hub, FALSE);
}

static void
test_primary_only (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OpenIotThingSession) full = openiot_thing_session_new (fixture->hub, "thermostat");
  g_autoptr(OpenIotThingSession) primary = NULL;
  g_autoptr(OpenIotThingSession) down = NULL;
  g_autoptr(JsonObject) cached = NULL;
  g_autoptr(GArray) samples = NULL;
  const char *hub_id = openiot_hub_record_get_id (openiot_hub_get_record (fixture->hub));
  OpenIotValueHistory *history;
  OpenIotThingCache *cache;
  JsonObject *values;
  guint n_samples;

  /* The Thing page's session caches all values first */
  openiot_thing_session_start (full);
  wait_until (is_live, full, "all values");
  openiot_thing_session_stop (full);

  primary = openiot_thing_session_new_primary (fixture->hub, "thermostat");
  openiot_thing_session_start (primary);
  g_assert_nonnull (openiot_thing_session_get_thing (primary));
  g_assert_cmpstr (openiot_interaction_get_name (openiot_thing_session_get_primary (primary)), ==,
                   "temperature");
  history = openiot_thing_session_get_history (primary);
  samples = openiot_value_history_get_samples (history, "thermostat", "temperature", NULL);
  n_samples = samples->len;
  g_clear_pointer (&samples, g_array_unref);
  wait_until (is_live, primary, "the main value, live");
  values = openiot_thing_session_get_values (primary);
  g_assert_true (json_object_has_member (values, "temperature"));
  /* The cache's other values beside it; no history of its own */
  g_assert_true (json_object_has_member (values, "humidity"));
  samples = openiot_value_history_get_samples (history, "thermostat", "temperature", NULL);
  g_assert_cmpuint (samples->len, ==, n_samples);
  openiot_thing_session_stop (primary);

  /* Its value went into what the cache held, the others kept */
  cache = openiot_hub_get_cache (fixture->hub);
  cached = openiot_thing_cache_load_values (cache, hub_id, "thermostat", NULL);
  g_assert_nonnull (cached);
  g_assert_true (json_object_has_member (cached, "temperature"));
  g_assert_true (json_object_has_member (cached, "mode"));

  /* A service that is down: the cache's description and values, and
   * nothing sent */
  down = openiot_thing_session_new_primary (fixture->hub, "thermostat");
  openiot_thing_session_load_cached (down);
  g_assert_nonnull (openiot_thing_session_get_thing (down));
  g_assert_nonnull (openiot_thing_session_get_updated (down));
  g_assert_null (openiot_thing_session_get_consumed_thing (down));
  g_assert_true (json_object_has_member (openiot_thing_session_get_values (down), "temperature"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/thing-session/cached-then-live", Fixture, NULL, fixture_set_up,
              test_cached_then_live,
              fixture_tear_down);
  g_test_add ("/thing-session/primary-only", Fixture, NULL, fixture_set_up, test_primary_only,
              fixture_tear_down);
  g_test_add ("/thing-session/hub-down-and-back", Fixture, NULL, fixture_set_up,
              test_hub_down_and_back,
              fixture_tear_down);

  return g_test_run ();
}
