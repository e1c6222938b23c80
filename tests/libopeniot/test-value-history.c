// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * OpenIotValueHistory: samples thinned to one per 10 s, bounded to 24 h
 * and 2,000 per property, kept in a private file per service that a new
 * object reads back, and a damaged or hostile file taken as no history.
 */
#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libopeniot.h>

#define HUB "hub-1"

typedef struct
{
  char              *dir;
  OpenIotThingCache *cache;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("openiot-history-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->cache = openiot_thing_cache_new (fixture->dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_true (openiot_thing_cache_forget_hub (fixture->cache, HUB, NULL));
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_object_unref (fixture->cache);
  g_free (fixture->dir);
}

/* A time some seconds before now, on a slot's start */
static GDateTime *
seconds_ago (gint64 seconds)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC / 10 * 10;

  return g_date_time_new_from_unix_utc (now - seconds);
}

static void
add_at (OpenIotValueHistory *history,
        const char          *property,
        gint64               seconds_before,
        double               value)
{
  g_autoptr(GDateTime) when = seconds_ago (seconds_before);

  openiot_value_history_add (history, "meter", property, when, value);
}

static GArray *
samples (OpenIotValueHistory *history,
         const char          *property)
{
  return openiot_value_history_get_samples (history, "meter", property, NULL);
}

/* @n samples of @property, the newest being @last */
static void
assert_samples (OpenIotValueHistory *history,
                const char          *property,
                guint                n,
                double               last)
{
  g_autoptr(GArray) all = samples (history, property);

  g_assert_cmpuint (all->len, ==, n);
  if (n > 0)
    g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, n - 1).value, ==, last);
}

static void
test_slots (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(OpenIotValueHistory) history = openiot_value_history_new (fixture->cache, HUB);
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) recent = NULL;
  g_autoptr(GDateTime) since = seconds_ago (25);

  add_at (history, "power", 60, 100);
  add_at (history, "power", 30, 200);
  add_at (history, "power", 27, 250);    /* the same 10 s: the latest wins */
  add_at (history, "power", 20, 300);
  add_at (history, "power", 0, 400);
  add_at (history, "voltage", 0, 230);   /* another property, apart */
  all = samples (history, "power");
  g_assert_cmpuint (all->len, ==, 4);
  g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, 0).value, ==, 100);
  g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, 1).value, ==, 250);
  g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, 3).value, ==, 400);
  g_assert_cmpint (g_array_index (all, OpenIotValueSample, 0).time_us, <,
                   g_array_index (all, OpenIotValueSample, 1).time_us);

  recent = openiot_value_history_get_samples (history, "meter", "power", since);
  g_assert_cmpuint (recent->len, ==, 2);
  g_assert_cmpfloat (g_array_index (recent, OpenIotValueSample, 0).value, ==, 300);

  assert_samples (history, "voltage", 1, 230);
  g_clear_pointer (&all, g_array_unref);
  all = openiot_value_history_get_samples (history, "lock", "power", NULL);
  g_assert_cmpuint (all->len, ==, 0);

  /* The clock went back: what seemed newer goes */
  add_at (history, "power", 15, 500);
  assert_samples (history, "power", 3, 500);
}

static void
test_bounds (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(OpenIotValueHistory) history = openiot_value_history_new (fixture->cache, HUB);
  g_autoptr(GArray) all = NULL;

  /* Older than a day: dropped as soon as something newer comes */
  add_at (history, "power", 25 * 3600, 1);
  assert_samples (history, "power", 1, 1);
  add_at (history, "power", 0, 2);
  assert_samples (history, "power", 1, 2);

  /* Past the last hour, one a minute */
  g_clear_object (&history);
  history = openiot_value_history_new (fixture->cache, HUB);
  for (gint64 s = 3 * 3600; s >= 2 * 3600; s -= 10)
    add_at (history, "power", s, s);
  add_at (history, "power", 0, 0);
  g_clear_pointer (&all, g_array_unref);
  all = samples (history, "power");
  g_assert_cmpuint (all->len, <=, 62);
  g_assert_cmpuint (all->len, >=, 60);

  /* Within the hour, one per 10 s, and never more than the limit */
  g_clear_object (&history);
  history = openiot_value_history_new (fixture->cache, HUB);
  for (gint64 s = 3599; s >= 0; s -= 1)
    add_at (history, "power", s, s);
  g_clear_pointer (&all, g_array_unref);
  all = samples (history, "power");
  g_assert_cmpuint (all->len, >=, 360);
  g_assert_cmpuint (all->len, <=, 361);
  g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, all->len - 1).value, ==, 0);
  g_assert_cmpuint (OPENIOT_VALUE_HISTORY_MAX_SAMPLES, <, 24 * 3600 / 10);
}

/* A full day of a value every 10 s: the last hour at full resolution,
 * the rest a minute apart, within the limit */
static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(OpenIotValueHistory) history = openiot_value_history_new (fixture->cache, HUB);
  g_autoptr(GArray) all = NULL;

  for (gint64 s = 25 * 3600; s >= 0; s -= 10)
    add_at (history, "power", s, s);
  all = samples (history, "power");
  g_assert_cmpuint (all->len, <=, OPENIOT_VALUE_HISTORY_MAX_SAMPLES);
  g_assert_cmpuint (all->len, >=, 360 + 23 * 60 - 2);
  g_assert_cmpuint (all->len, <=, 360 + 23 * 60 + 2);
  g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, 0).value, <=, 24 * 3600);
  g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, all->len - 1).value, ==, 0);
}

static void
test_persistence (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(OpenIotValueHistory) history = openiot_value_history_new (fixture->cache, HUB);
  g_autoptr(OpenIotValueHistory) again = NULL;
  g_autoptr(OpenIotValueHistory) other = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, HUB, "meter.history.json", NULL);
  GStatBuf st;

  add_at (history, "power", 20, 1.5);
  add_at (history, "power", 0, 2.25);
  g_assert_true (openiot_value_history_save (history, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Another object (another window, a restart) reads it back */
  again = openiot_value_history_new (fixture->cache, HUB);
  all = samples (again, "power");
  g_assert_cmpuint (all->len, ==, 2);
  g_assert_cmpfloat (g_array_index (all, OpenIotValueSample, 1).value, ==, 2.25);

  /* A history of another service leaves this one as it was */
  other = openiot_value_history_new (fixture->cache, HUB);
  {
    g_autoptr(GDateTime) now = seconds_ago (0);

    openiot_value_history_add (other, "thermostat", "temperature", now, 20);
  }
  g_assert_true (openiot_value_history_save (other, NULL));
  g_clear_object (&again);
  g_clear_pointer (&all, g_array_unref);
  again = openiot_value_history_new (fixture->cache, HUB);
  all = samples (again, "power");
  g_assert_cmpuint (all->len, ==, 2);

  /* A service id that is no file name is never a path */
  {
    g_autoptr(GDateTime) now = seconds_ago (0);

    openiot_value_history_add (other, "../evil", "power", now, 1);
    g_clear_pointer (&all, g_array_unref);
    all = openiot_value_history_get_samples (other, "../evil", "power", NULL);
    g_assert_cmpuint (all->len, ==, 0);
    g_assert_true (openiot_value_history_save (other, NULL));
  }
}

static void
test_hostile (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *future = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_get_real_time () + G_TIME_SPAN_DAY);
  g_autofree char *recent = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_get_real_time () - G_TIME_SPAN_MINUTE);
  g_autofree char *mixed = g_strconcat ("{\"power\": [[", recent, ", 1], \"x\", [1], [", recent,
                                        ", 2], [", future,
                                        ", 3], [", recent,
                                        ", \"NaN\"], {\"a\": 1}], \"voltage\": 7}", NULL);
  const char *damaged[] = { "", "{", "[]", "null", "{\"power\": {}}", "\xff\xfe",
                           "{\"power\": [[1e400, 1]]}" };

  for (guint i = 0; i < G_N_ELEMENTS (damaged) + 1; i++)
    {
      const char *text = i < G_N_ELEMENTS (damaged) ? damaged[i] : mixed;
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
      g_autoptr(OpenIotValueHistory) history = NULL;
      g_autoptr(GArray) all = NULL;

      g_assert_true (openiot_thing_cache_save_document (fixture->cache, HUB, "meter.history.json",
                                                        bytes, NULL));
      history = openiot_value_history_new (fixture->cache, HUB);
      all = samples (history, "power");
      /* Only the one good, in-order sample of the mixed file is taken */
      g_assert_cmpuint (all->len, ==, text == mixed ? 1 : 0);
      g_clear_pointer (&all, g_array_unref);
      all = samples (history, "voltage");
      g_assert_cmpuint (all->len, ==, 0);
      /* and it still works */
      add_at (history, "power", 0, 5);
      g_assert_true (openiot_value_history_save (history, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/value-history/slots", Fixture, NULL, fixture_set_up, test_slots, fixture_tear_down);
  g_test_add ("/value-history/bounds", Fixture, NULL, fixture_set_up, test_bounds,
              fixture_tear_down);
  g_test_add ("/value-history/limit", Fixture, NULL, fixture_set_up, test_limit, fixture_tear_down);
  g_test_add ("/value-history/persistence", Fixture, NULL, fixture_set_up, test_persistence,
              fixture_tear_down);
  g_test_add ("/value-history/hostile", Fixture, NULL, fixture_set_up, test_hostile,
              fixture_tear_down);

  return g_test_run ();
}
