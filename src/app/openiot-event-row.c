// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-event-row.h"

#define MAX_LOGGED 20

/*
 * OpenIotEventRow:
 *
 * An event of a Thing as a live log: the last occurrence in the subtitle,
 * the most recent ones when expanded.
 */
struct _OpenIotEventRow
{
  AdwExpanderRow      parent_instance;

  OpenIotInteraction *event;
  GQueue              rows;
  guint               count;
};

G_DEFINE_FINAL_TYPE (OpenIotEventRow, openiot_event_row, ADW_TYPE_EXPANDER_ROW)

GtkWidget *
openiot_event_row_new (OpenIotInteraction *event)
{
  OpenIotEventRow *self = g_object_new (OPENIOT_TYPE_EVENT_ROW, NULL);
  g_autoptr(GError) unusable = NULL;

  self->event = g_object_ref (event);
  /* The title and the logged data are the service's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), openiot_interaction_get_title (event));
  /* Why it cannot be followed, when it cannot: off the hub, or only in a
   * form this app does not speak (CBOR, WebSub). */
  if (openiot_interaction_check_operation (event, OPENIOT_OPERATION_SUBSCRIBE_EVENT, &unusable))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), _("Nothing yet"));
  else
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), unusable->message);
  return GTK_WIDGET (self);
}

/**
 * openiot_event_row_add:
 * @data: the event's data
 *
 * Logs an occurrence, now.
 */
void
openiot_event_row_add (OpenIotEventRow *self,
                       JsonNode        *data)
{
  OpenIotDataSchema *schema = openiot_interaction_get_schema (self->event);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%X");
  g_autofree char *value = schema ? openiot_data_schema_format_value (schema, data) : openiot_json_to_string (data);
  /* Translators: an event's time and data, e.g. "14:03:12 — 21.5 °C" */
  g_autofree char *text = g_strdup_printf (_("%s — %s"), time, value);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
  g_queue_push_head (&self->rows, row);
  if (g_queue_get_length (&self->rows) > MAX_LOGGED)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self), g_queue_pop_tail (&self->rows));

  self->count++;
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), text);
}

guint
openiot_event_row_get_count (OpenIotEventRow *self)
{
  return self->count;
}

static void
openiot_event_row_finalize (GObject *object)
{
  OpenIotEventRow *self = OPENIOT_EVENT_ROW (object);

  g_clear_object (&self->event);
  g_queue_clear (&self->rows);

  G_OBJECT_CLASS (openiot_event_row_parent_class)->finalize (object);
}

static void
openiot_event_row_class_init (OpenIotEventRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_event_row_finalize;
}

static void
openiot_event_row_init (OpenIotEventRow *self)
{
  g_queue_init (&self->rows);
}
