// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-bench"

#include <stdlib.h>
#include <string.h>

#include "openiot-bench-report.h"

/*
 * The start-up report that ./tools/bench reads (bench/README.md), shared
 * by the app (openiot-window-bench.c) and the minimal libadwaita window it
 * is compared with (bench/openiot-bench-adw-window.c): both count memory
 * the same way, or the ratio means nothing. GLib only, so the baseline
 * links no more than it must.
 */

/* This process's resident memory (VmRSS) in KiB, or -1 */
static long
read_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "\nVmRSS:");
  return line != NULL ? strtol (line + strlen ("\nVmRSS:"), NULL, 10) : -1;
}

/* Prints "first-frame @now" and "rss-kb K" for the first frame a window
 * has drawn (@now: g_get_monotonic_time() at its after-paint). */
void
openiot_bench_report_first_frame (gint64 now)
{
  g_print ("first-frame %" G_GINT64_FORMAT "\nrss-kb %ld\n", now, read_rss_kb ());
}
