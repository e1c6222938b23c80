// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-hub-page.h"
#include "openiot-thing-page.h"
#include "openiot-window.h"

G_BEGIN_DECLS

/* The window's fields, here rather than in openiot-window.c so that the
 * start-up timing for bench/ (openiot-window-bench.c) lives apart from
 * the window it times, as editor-window-actions.c does in GNOME Text
 * Editor. */
struct _OpenIotWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkStack             *hubs_stack;
  AdwStatusPage        *error_page;
  AdwStatusPage        *empty_page;
  GtkButton            *pair_button;
  GtkListBox           *hubs_list;
  GtkStack             *content_stack;
  AdwStatusPage        *no_selection_page;
  AdwLeaflet           *content_leaflet;
  OpenIotHubPage       *hub_page;
  OpenIotThingPage     *thing_page;

  guint                 bench_stage;  /* BenchStage */
  char                 *bench_show;
  gulong                bench_paint_id;
  guint                 bench_write_poll;
};

void _openiot_window_bench_show_service (OpenIotWindow *self);

G_END_DECLS
