// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "openiot-history-graph.h"

/*
 * OpenIotHistoryGraph:
 *
 * A numeric property's recent values as a line, from its
 * [class@OpenIot.ValueHistory]: the last hour or the last 24 hours, its
 * lowest and highest values in its unit, and the same in words for
 * screen readers. A history younger than the range fills the width, and
 * says since when. Drawn in the text's colour, so it reads in the dark
 * style as in the light one.
 */
struct _OpenIotHistoryGraph
{
  GtkWidget            parent_instance;

  GtkWidget           *box;
  GtkLabel            *title_label;
  GtkToggleButton     *hour_button;
  GtkToggleButton     *day_button;
  GtkStack            *stack;
  GtkDrawingArea      *plot;
  GtkWidget           *range_box;
  GtkLabel            *min_label;
  GtkLabel            *since_label;
  GtkLabel            *max_label;

  OpenIotValueHistory *history;
  char                *service_id;
  char                *name;
  OpenIotDataSchema   *schema;
  GArray              *samples;       /* OpenIotValueSample, oldest first */
  /* the left edge of the graph: the range's start, or the first sample */
  gint64               start_us;
  gint64               end_us;        /* its right edge: now, when updated */
  double               min;
  double               max;
  char                *summary;
};

G_DEFINE_FINAL_TYPE (OpenIotHistoryGraph, openiot_history_graph, GTK_TYPE_WIDGET)

#define MIN_SAMPLES 2

/* A value in the property's unit and precision, as its editor shows it */
static char *
format_value (OpenIotHistoryGraph *self,
              double               value)
{
  g_autoptr(JsonNode) node = json_node_alloc ();

  if (openiot_data_schema_get_data_type (self->schema) == OPENIOT_DATA_TYPE_INTEGER)
    json_node_init_int (node, (gint64) value);
  else
    json_node_init_double (node, value);
  return openiot_data_schema_format_value (self->schema, node);
}

static void
draw_plot (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  OpenIotHistoryGraph *self = user_data;
  const double line = 2, inset = line;
  double low = self->min, high = self->max, least_span, span, x0 = 0, last_x = 0;
  GdkRGBA color;

  if (self->samples->len < MIN_SAMPLES || self->end_us <= self->start_us)
    return;

#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (GTK_WIDGET (area), &color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
#endif

  /* Noise within the display's rounding (44.46 to 44.54 %) is no
   * mountain: the scale spans 2 % of the values at least, centred, and a
   * flat line sits in the middle rather than on an edge */
  least_span = MAX (MAX (fabs (low), fabs (high)), 1) * 0.02;
  span = high - low;
  if (span < least_span)
    {
      low = (low + high - least_span) / 2;
      high = low + least_span;
      span = least_span;
    }

  /* The frame: a faint baseline and top line */
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.15);
  cairo_move_to (cr, 0, inset + 0.5);
  cairo_line_to (cr, width, inset + 0.5);
  cairo_move_to (cr, 0, height - inset - 0.5);
  cairo_line_to (cr, width, height - inset - 0.5);
  cairo_stroke (cr);

  for (guint i = 0; i < self->samples->len; i++)
    {
      OpenIotValueSample *sample = &g_array_index (self->samples, OpenIotValueSample, i);
      double x = (double) (sample->time_us - self->start_us) /
                 (double) (self->end_us - self->start_us) * width;
      double y = (high - sample->value) / span;

      x = CLAMP (x, 0, width);
      y = inset + y * (height - 2 * inset);
      if (i == 0)
        {
          cairo_move_to (cr, x, y);
          x0 = x;
        }
      else
        cairo_line_to (cr, x, y);
      last_x = x;
    }

  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_width (cr, line);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.85);
  cairo_stroke_preserve (cr);

  /* A light fill under the line */
  cairo_line_to (cr, last_x, height - inset);
  cairo_line_to (cr, x0, height - inset);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * 0.08);
  cairo_fill (cr);
}

/**
 * openiot_history_graph_update:
 *
 * Reads the samples again (a value came, or time went on) and redraws.
 */
void
openiot_history_graph_update (OpenIotHistoryGraph *self)
{
  gboolean day = gtk_toggle_button_get_active (self->day_button);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) since = g_date_time_add_hours (now, day ? -24 : -1);
  const char *title = gtk_label_get_text (self->title_label);

  g_return_if_fail (OPENIOT_IS_HISTORY_GRAPH (self));

  g_clear_pointer (&self->samples, g_array_unref);
  self->samples = openiot_value_history_get_samples (self->history, self->service_id, self->name,
                                                     since);
  self->end_us = g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
  self->start_us = self->end_us - (day ? 24 : 1) * G_TIME_SPAN_HOUR;
  g_clear_pointer (&self->summary, g_free);

  if (self->samples->len < MIN_SAMPLES)
    {
      self->summary = day ? g_strdup_printf (_("%s over the last 24 hours: not enough data yet"),
                                             title)
                          : g_strdup_printf (_("%s over the last hour: not enough data yet"),
                                             title);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_widget_set_visible (self->range_box, FALSE);
    }
  else
    {
      g_autofree char *low = NULL;
      g_autofree char *high = NULL;
      g_autofree char *min_text = NULL;
      g_autofree char *max_text = NULL;

      gint64 first_us = g_array_index (self->samples, OpenIotValueSample, 0).time_us;

      /* A history younger than the range fills the width rather than
       * standing as a bar at its right edge, and says since when */
      gtk_widget_set_visible (GTK_WIDGET (self->since_label), first_us > self->start_us);
      if (first_us > self->start_us)
        {
          g_autoptr(GDateTime) first = g_date_time_new_from_unix_utc (first_us / G_USEC_PER_SEC);
          g_autofree char *when = openiot_text_format_when (first, FALSE);
          /* TRANSLATORS: where a graph starts, when it has less than its range: "since 22:48" */
          g_autofree char *since = g_strdup_printf (_("since %s"), when);

          gtk_label_set_text (self->since_label, since);
          self->start_us = first_us;
        }
      self->min = self->max = g_array_index (self->samples, OpenIotValueSample, 0).value;
      for (guint i = 1; i < self->samples->len; i++)
        {
          self->min = MIN (self->min, g_array_index (self->samples, OpenIotValueSample, i).value);
          self->max = MAX (self->max, g_array_index (self->samples, OpenIotValueSample, i).value);
        }
      low = format_value (self, self->min);
      high = format_value (self, self->max);
      /* TRANSLATORS: for screen readers: "Temperature over the last hour: 19.2 °C to 21.0 °C" */
      self->summary = day ? g_strdup_printf (_("%s over the last 24 hours: %s to %s"), title, low,
                                             high)
                          : g_strdup_printf (_("%s over the last hour: %s to %s"), title, low,
                                             high);
      /* TRANSLATORS: the lowest value a graph shows, e.g. "Min 19.2 °C" */
      min_text = g_strdup_printf (_("Min %s"), low);
      /* TRANSLATORS: the highest value a graph shows, e.g. "Max 21.0 °C" */
      max_text = g_strdup_printf (_("Max %s"), high);
      gtk_label_set_text (self->min_label, min_text);
      gtk_label_set_text (self->max_label, max_text);
      gtk_stack_set_visible_child_name (self->stack, "graph");
      gtk_widget_set_visible (self->range_box, TRUE);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->plot), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->summary, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->plot));
}

static void
on_range_toggled (OpenIotHistoryGraph *self,
                  GtkToggleButton     *button)
{
  /* Both buttons of the group say so: only the one that became active
   * counts. */
  if (gtk_toggle_button_get_active (button) && self->history != NULL)
    openiot_history_graph_update (self);
}

/**
 * openiot_history_graph_set_hours:
 * @hours: 1 or 24
 */
void
openiot_history_graph_set_hours (OpenIotHistoryGraph *self,
                                 guint                hours)
{
  g_return_if_fail (OPENIOT_IS_HISTORY_GRAPH (self));
  g_return_if_fail (hours == 1 || hours == 24);

  gtk_toggle_button_set_active (hours == 24 ? self->day_button : self->hour_button, TRUE);
}

guint
openiot_history_graph_get_hours (OpenIotHistoryGraph *self)
{
  g_return_val_if_fail (OPENIOT_IS_HISTORY_GRAPH (self), 0);
  return gtk_toggle_button_get_active (self->day_button) ? 24 : 1;
}

/**
 * openiot_history_graph_get_n_samples:
 *
 * Returns: how many samples the graph draws
 */
guint
openiot_history_graph_get_n_samples (OpenIotHistoryGraph *self)
{
  g_return_val_if_fail (OPENIOT_IS_HISTORY_GRAPH (self), 0);
  return self->samples->len;
}

/**
 * openiot_history_graph_get_summary:
 *
 * Returns: the graph in words, its accessible label
 */
const char *
openiot_history_graph_get_summary (OpenIotHistoryGraph *self)
{
  g_return_val_if_fail (OPENIOT_IS_HISTORY_GRAPH (self), NULL);
  return self->summary;
}

/**
 * openiot_history_graph_new:
 * @history: where the samples are
 * @service_id: the service
 * @property: its numeric property
 *
 * Returns: (transfer floating): the graph of its last hour
 */
GtkWidget *
openiot_history_graph_new (OpenIotValueHistory *history,
                           const char          *service_id,
                           OpenIotInteraction  *property)
{
  OpenIotHistoryGraph *self;

  g_return_val_if_fail (OPENIOT_IS_VALUE_HISTORY (history), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (property), NULL);

  self = g_object_new (OPENIOT_TYPE_HISTORY_GRAPH, NULL);
  self->history = g_object_ref (history);
  self->service_id = g_strdup (service_id);
  self->name = g_strdup (openiot_interaction_get_name (property));
  self->schema = g_object_ref (openiot_interaction_get_schema (property));
  gtk_label_set_text (self->title_label, openiot_interaction_get_title (property));
  openiot_history_graph_update (self);
  return GTK_WIDGET (self);
}

static void
openiot_history_graph_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OPENIOT_TYPE_HISTORY_GRAPH);

  G_OBJECT_CLASS (openiot_history_graph_parent_class)->dispose (object);
}

static void
openiot_history_graph_finalize (GObject *object)
{
  OpenIotHistoryGraph *self = OPENIOT_HISTORY_GRAPH (object);

  g_clear_object (&self->history);
  g_free (self->service_id);
  g_free (self->name);
  g_clear_object (&self->schema);
  g_clear_pointer (&self->samples, g_array_unref);
  g_free (self->summary);

  G_OBJECT_CLASS (openiot_history_graph_parent_class)->finalize (object);
}

static void
openiot_history_graph_class_init (OpenIotHistoryGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = openiot_history_graph_dispose;
  object_class->finalize = openiot_history_graph_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openiot/Client/ui/openiot-history-graph.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, hour_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, day_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, plot);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, range_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, min_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, since_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotHistoryGraph, max_label);
  gtk_widget_class_bind_template_callback (widget_class, on_range_toggled);
}

static void
openiot_history_graph_init (OpenIotHistoryGraph *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->samples = g_array_new (FALSE, FALSE, sizeof (OpenIotValueSample));
  gtk_drawing_area_set_draw_func (self->plot, draw_plot, self, NULL);
}
