// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-bench"

/*
 * openiot-bench-adw-window: the smallest libadwaita program that looks
 * like an app (AdwApplication, AdwApplicationWindow, a header bar and a
 * status page). Its start-up time and memory are the floor that
 * openiot-client is compared with (bench/README.md): whatever the app
 * costs above this, it costs by itself.
 *
 * On the first frame it prints, on stdout,
 *     first-frame <g_get_monotonic_time () in µs>
 *     rss-kb <VmRSS>
 * and quits; that is the same protocol openiot-client follows with
 * OPENIOT_BENCH_FIRST_FRAME=1.
 */

#include <stdio.h>

#include <adwaita.h>

#include "openiot-bench-report.h"

static gulong after_paint_id;

static void
on_after_paint (GdkFrameClock *clock,
                GtkWindow     *window)
{
  gint64 now = g_get_monotonic_time ();

  g_clear_signal_handler (&after_paint_id, clock);
  openiot_bench_report_first_frame (now);
  fflush (stdout);
  g_application_quit (G_APPLICATION (gtk_window_get_application (window)));
}

static void
on_realize (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), window);
}

static void
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "network-wireless-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "No Hub Yet");
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   "Pair with a hub to reach its services.");
  gtk_widget_set_vexpand (status, TRUE);

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_title (GTK_WINDOW (window), "Bench Window");
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);

  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.openiot.BenchWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
