// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-window"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "openiot-bench-report.h"
#include "openiot-hub-page.h"
#include "openiot-thing-page.h"
#include "openiot-value-editor.h"
#include "openiot-window-private.h"

#include "openiot-window.h"

/*
 * Start-up timing for the benchmarks (bench/README.md), asked for by the
 * application from the environment. Each is a line on stdout with the
 * g_get_monotonic_time() at the end (GdkFrameClock::after-paint) of the
 * first frame that shows it:
 *
 *   first-frame T, rss-kb K  the window's first frame (and VmRSS then;
 *                            first-frame-hubs: the hubs it listed)
 *   page-open T              with a HUB/SERVICE to show: when its Thing
 *                            page is opened (not a frame), once the hubs
 *                            are loaded
 *   cached-values T          that page drawn from the cache (cached-state
 *                            says what the cache held) before the hub
 *                            answers
 *   live-values T            that page with the hub's own values
 *   write-start T            with OPENIOT_BENCH_WRITE="PROPERTY=JSON":
 *   write-done T             that value set through the property's editor,
 *                            as a person would, and when the device took
 *                            it (not a frame); write-failed if it did not
 *
 * then the application quits.
 */
typedef enum
{
  BENCH_OFF,
  BENCH_FIRST_FRAME,
  BENCH_WAIT_HUBS,
  BENCH_CACHED_FRAME,
  BENCH_WAIT_LIVE,
  BENCH_LIVE_FRAME,
} BenchStage;

static OpenIotApplication *
get_application (OpenIotWindow *self)
{
  return OPENIOT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
bench_quit (OpenIotWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock != NULL)
    g_clear_signal_handler (&self->bench_paint_id, clock);
  self->bench_stage = BENCH_OFF;
  fflush (stdout);
  g_application_quit (G_APPLICATION (get_application (self)));
}

static const char *
bench_cached_state (OpenIotHub *hub,
                    const char *service_id)
{
  OpenIotThingCache *cache = openiot_hub_get_cache (hub);
  const char *hub_id = openiot_hub_record_get_id (openiot_hub_get_record (hub));
  g_autoptr(OpenIotThing) thing = openiot_hub_load_cached_thing (hub, service_id);
  g_autoptr(JsonObject) values = openiot_thing_cache_load_values (cache, hub_id, service_id, NULL);

  if (thing == NULL)
    return "none";
  return values != NULL ? "description+values" : "description";
}

/* BENCH_SHOW is "HUB/SERVICE", the hub by id or name. Called whenever
 * the hubs change: shows that page once they are loaded. */
void
_openiot_window_bench_show_service (OpenIotWindow *self)
{
  OpenIotApplication *application = get_application (self);
  GListModel *hubs = openiot_application_get_hubs (application);
  const char *slash = self->bench_show ? strrchr (self->bench_show, '/') : NULL;
  g_autofree char *hub_name = NULL;

  if (self->bench_stage != BENCH_WAIT_HUBS || openiot_application_get_loading (application))
    return;
  if (slash == NULL || openiot_application_get_error (application) != NULL)
    {
      g_printerr ("bench: cannot show “%s”: %s\n", self->bench_show,
                  slash ? openiot_application_get_error (application)->message : "not HUB/SERVICE");
      bench_quit (self);
      return;
    }

  hub_name = g_strndup (self->bench_show, slash - self->bench_show);
  for (guint i = 0; i < g_list_model_get_n_items (hubs); i++)
    {
      g_autoptr(OpenIotHub) hub = g_list_model_get_item (hubs, i);
      OpenIotHubRecord *record = openiot_hub_get_record (hub);

      if (g_str_equal (openiot_hub_record_get_id (record), hub_name) ||
          g_str_equal (openiot_hub_record_get_name (record), hub_name))
        {
          g_print ("page-open %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
          openiot_window_show_hub (self, hub);
          openiot_window_show_service (self, slash + 1, NULL);
          self->bench_stage = BENCH_CACHED_FRAME;
          gtk_widget_queue_draw (GTK_WIDGET (self));
          return;
        }
    }
  g_printerr ("bench: no paired hub “%s”\n", hub_name);
  bench_quit (self);
}

static gboolean bench_write (OpenIotWindow *self);

static void
on_bench_live (OpenIotWindow *self)
{
  if (self->bench_stage == BENCH_WAIT_LIVE && openiot_thing_page_get_live (self->thing_page))
    {
      self->bench_stage = BENCH_LIVE_FRAME;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_bench_after_paint (GdkFrameClock *clock,
                      OpenIotWindow *self)
{
  gint64 now = g_get_monotonic_time ();

  switch ((BenchStage) self->bench_stage)
    {
    case BENCH_FIRST_FRAME:
      openiot_bench_report_first_frame (now);
      /* whether that frame showed the hub list, or was still loading it */
      if (openiot_application_get_loading (get_application (self)))
        g_print ("first-frame-hubs loading\n");
      else
        g_print ("first-frame-hubs %u\n",
                 g_list_model_get_n_items (openiot_application_get_hubs (get_application (self))));
      if (self->bench_show == NULL)
        {
          bench_quit (self);
          return;
        }
      self->bench_stage = BENCH_WAIT_HUBS;
      _openiot_window_bench_show_service (self);
      break;

    case BENCH_CACHED_FRAME:
      /* looked up once the time is taken: it reads the cache again */
      g_print ("cached-values %" G_GINT64_FORMAT "\ncached-state %s\n", now,
               bench_cached_state (openiot_hub_page_get_hub (self->hub_page),
                                   strrchr (self->bench_show, '/') + 1));
      self->bench_stage = BENCH_WAIT_LIVE;
      on_bench_live (self);
      break;

    case BENCH_LIVE_FRAME:
      g_print ("live-values %" G_GINT64_FORMAT "\n", now);
      fflush (stdout);
      self->bench_stage = BENCH_OFF;
      if (!bench_write (self))
        bench_quit (self);
      return;

    case BENCH_OFF:
    case BENCH_WAIT_HUBS:
    case BENCH_WAIT_LIVE:
    default:
      break;
    }
  fflush (stdout);
}

static gboolean
on_bench_write_poll (gpointer user_data)
{
  OpenIotWindow *self = user_data;
  OpenIotValueEditor *editor = g_object_get_data (G_OBJECT (self), "openiot-bench-editor");

  if (openiot_value_editor_get_busy (editor))
    return G_SOURCE_CONTINUE;
  g_print ("write-done %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  self->bench_write_poll = 0;
  bench_quit (self);
  return G_SOURCE_REMOVE;
}

/* OPENIOT_BENCH_WRITE="PROPERTY=JSON": the value given to the property's
 * editor, which writes it as when a person sets it; done when the editor
 * is no longer busy (polled every millisecond). FALSE when there is
 * nothing to write. */
static gboolean
bench_write (OpenIotWindow *self)
{
  const char *spec = g_getenv ("OPENIOT_BENCH_WRITE");
  const char *equals = spec ? strchr (spec, '=') : NULL;
  g_autofree char *property = equals ? g_strndup (spec, equals - spec) : NULL;
  g_autoptr(JsonNode) value = equals ? json_from_string (equals + 1, NULL) : NULL;
  GObject *editor = property ? openiot_thing_page_get_editor (self->thing_page, property) : NULL;

  if (spec == NULL)
    return FALSE;
  if (editor == NULL || value == NULL)
    {
      g_print ("write-failed %s\n", spec);
      return FALSE;
    }
  g_object_set_data (G_OBJECT (self), "openiot-bench-editor", editor);
  g_print ("write-start %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_signal_emit_by_name (editor, "changed", value);
  self->bench_write_poll = g_timeout_add (1, on_bench_write_poll, self);
  return TRUE;
}

static void
on_bench_realize (OpenIotWindow *self)
{
  self->bench_paint_id = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self)),
                                           "after-paint",
                                           G_CALLBACK (on_bench_after_paint), self);
}

/**
 * openiot_window_start_bench:
 * @show: (nullable): "HUB/SERVICE", a Thing page to open once the hubs
 *   are loaded
 *
 * Reports start-up times on stdout for bench/, then quits (see above).
 * Call it before the window is shown. With @show, animations are off:
 * what is timed is when the values are on screen, not a page sliding in.
 */
void
openiot_window_start_bench (OpenIotWindow *self,
                            const char    *show)
{
  g_return_if_fail (!gtk_widget_get_realized (GTK_WIDGET (self)));

  self->bench_stage = BENCH_FIRST_FRAME;
  self->bench_show = g_strdup (show);
  if (show != NULL)
    {
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      g_signal_connect_object (self->thing_page, "notify::live", G_CALLBACK (on_bench_live), self,
                               G_CONNECT_SWAPPED);
    }
  g_signal_connect (self, "realize", G_CALLBACK (on_bench_realize), NULL);
}
