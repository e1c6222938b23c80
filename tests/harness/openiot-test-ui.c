// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gstdio.h>

#include "openiot-test-ui.h"

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

/* Iterates the main loop until @window has been drawn with its current
 * size, so a screenshot shows what a person would see. */
void
openiot_test_ui_wait_for_frame (GtkWindow *window)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);

  while (!painted)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  g_signal_handler_disconnect (clock, handler);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
openiot_test_ui_iterate (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, on_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Saves @window as PNG under $OPENIOT_SCREENSHOT_DIR (set by meson to
 * _build/screenshots), named @name.png. */
void
openiot_test_ui_screenshot (GtkWindow  *window,
                            const char *name)
{
  const char *dir = g_getenv ("OPENIOT_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  GskRenderer *renderer;
  int width, height;

  if (dir == NULL)
    return;

  openiot_test_ui_wait_for_frame (window);

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The whole app dark (libadwaita's style manager forced dark), as with
 * the dark style in GNOME's settings; FALSE goes back to the default.
 * Screenshots of the dark variants are named NAME-dark-…. */
void
openiot_test_ui_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_DEFAULT);
}

/* Scrolls the scrolled window around @widget so that @widget is @above
 * px below the top of what shows (or as near as the page's end allows):
 * a section's title above it in view too. */
void
openiot_test_ui_scroll_to (GtkWidget *widget,
                           double     above)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  GtkWidget *content;
  double x = 0, y = 0;

  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  /* In what scrolls, not in what shows of it now */
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  g_assert_true (gtk_widget_translate_coordinates (widget, content, 0, 0, &x, &y));
  gtk_adjustment_set_value (adjustment, MAX (0, y - above));
}

GtkWindow *
openiot_test_ui_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* owned by GTK */
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      /* GTK keeps its toplevels alive: dropping our reference is safe */
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

/* TRUE when @label shows all of its text: not ellipsized and not wider
 * than the space it was given. Catches text cut off on a phone screen. */
gboolean
openiot_test_ui_label_fits (GtkLabel *label)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  int width;

  if (pango_layout_is_ellipsized (layout))
    return FALSE;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width <= gtk_widget_get_width (GTK_WIDGET (label));
}

/* What a click on the dialog's @response button does: the response, then
 * the dialog closes. adw_message_dialog_response() alone leaves it open.
 * A disabled button cannot be clicked. */
void
openiot_test_ui_respond (AdwMessageDialog *dialog,
                         const char       *response)
{
  g_assert_true (adw_message_dialog_has_response (dialog, response));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, response));
  g_object_ref (dialog);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

/* Runs the main context until @condition holds, or @seconds pass.
 * Returns: whether it held */
gboolean
openiot_test_ui_wait (OpenIotTestCondition condition,
                      gpointer             data,
                      guint                seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

/* The same, as a test step: a timeout fails the test, naming @what. */
void
openiot_test_ui_wait_until (OpenIotTestCondition  condition,
                            gpointer              data,
                            const char           *what)
{
  openiot_test_ui_wait_within (condition, data, 30, what);
}

/* openiot_test_ui_wait_until() for a step with a deadline of its own:
 * one the app must meet (recovering by itself in 10 s), or a slow one. */
void
openiot_test_ui_wait_within (OpenIotTestCondition  condition,
                             gpointer              data,
                             guint                 seconds,
                             const char           *what)
{
  if (!openiot_test_ui_wait (condition, data, seconds))
    g_error ("timed out after %u s waiting for %s", seconds, what);
}

/* For an async call in a test: store_result keeps its GAsyncResult in
 * the GAsyncResult * that @result_location points to (start it NULL);
 * result_ready is the condition to wait for. */
gboolean
openiot_test_ui_result_ready (gpointer result_location)
{
  return *(GAsyncResult **) result_location != NULL;
}

void
openiot_test_ui_store_result (GObject      *source,
                              GAsyncResult *result,
                              gpointer      result_location)
{
  *(GAsyncResult **) result_location = g_object_ref (result);
}

/* @window at phone size (360×720) and desktop size (1280×800), each saved
 * as @name-WIDTHxHEIGHT.png; the window is left at desktop size. */
void
openiot_test_ui_screenshots (GtkWindow  *window,
                             const char *name)
{
  openiot_test_ui_screenshots_of (window, name, NULL);
}

/* The same, scrolled at each size so that @scroll_target (if not NULL)
 * is near the top: what the screenshot is about, in view on a phone. */
void
openiot_test_ui_screenshots_of (GtkWindow  *window,
                                const char *name,
                                GtkWidget  *scroll_target)
{
  const int sizes[][2] = { { 360, 720 }, { 1280, 800 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%dx%d", name, sizes[i][0], sizes[i][1]);

      gtk_window_set_default_size (window, sizes[i][0], sizes[i][1]);
      openiot_test_ui_iterate (300);
      if (scroll_target != NULL)
        {
          openiot_test_ui_scroll_to (scroll_target, 60);
          openiot_test_ui_iterate (100);
        }
      openiot_test_ui_wait_for_frame (window);
      openiot_test_ui_screenshot (window, file);
    }
}

/* The template child @name of @widget, declared by @widget_type; a name
 * the template does not have fails the test. */
GtkWidget *
openiot_test_ui_template_child (gpointer    widget,
                                GType       widget_type,
                                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), widget_type, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

/* Presses @button as a person would, who can only press what they see
 * and what is enabled: "clicked" is where a click, Enter or Space end up
 * (gtk_widget_activate would wait for GtkButton's press animation). */
void
openiot_test_ui_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_drawable (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Clicks @button, which asks before it does anything (an action that
 * needs confirming): the question, drawn, for the test to look at and
 * answer with openiot_test_ui_respond(). */
GtkWindow *
openiot_test_ui_click_for_dialog (GtkWidget *button)
{
  GtkWindow *dialog;

  openiot_test_ui_click (button);
  openiot_test_ui_iterate (200);
  dialog = openiot_test_ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  openiot_test_ui_wait_for_frame (dialog);
  return dialog;
}
