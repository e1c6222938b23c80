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
  GtkSwitch          *notify_switch;
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

  /* Notify me: beside the title, so it is set without expanding */
  self->notify_switch = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->notify_switch), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->notify_switch), _("Notify Me"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->notify_switch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Notify Me"), -1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->notify_switch), unusable == NULL);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->notify_switch));
  return GTK_WIDGET (self);
}

/**
 * openiot_event_row_add_entry:
 * @entry: an occurrence, from the hub's activity log
 *
 * Logs an occurrence; the newest goes on top and in the subtitle. Add them
 * oldest first.
 */
void
openiot_event_row_add_entry (OpenIotEventRow      *self,
                             OpenIotActivityEntry *entry)
{
  g_autofree char *time = openiot_text_format_when (openiot_activity_entry_get_time (entry), TRUE);
  const char *value = openiot_activity_entry_get_text (entry);
  /* Translators: an event's time and data, e.g. "14:03:12 — 21.5 °C" */
  g_autofree char *text = value ? g_strdup_printf (_("%s — %s"), time, value) : g_strdup (time);
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

/**
 * openiot_event_row_get_notify_switch:
 *
 * Returns: (transfer none): the switch that says whether a notification
 *   comes when the event happens
 */
GtkSwitch *
openiot_event_row_get_notify_switch (OpenIotEventRow *self)
{
  return self->notify_switch;
}

const char *
openiot_event_row_get_name (OpenIotEventRow *self)
{
  return openiot_interaction_get_name (self->event);
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
