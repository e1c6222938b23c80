// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include "openiot-activity-entry.h"

/**
 * OpenIotActivityEntry:
 *
 * One thing that happened on a hub: an event of one of its services, when
 * it came, and its data in words ([method@OpenIot.DataSchema.format_value]).
 * The titles are the service's text: show them as text, never as markup.
 */
struct _OpenIotActivityEntry
{
  GObject    parent_instance;

  GDateTime *time;
  char      *service_id;
  char      *service_title;
  char      *event;
  char      *event_title;
  char      *text;
};

G_DEFINE_FINAL_TYPE (OpenIotActivityEntry, openiot_activity_entry, G_TYPE_OBJECT)

/**
 * openiot_activity_entry_new:
 * @time: when it happened
 * @service_title: (nullable): the service's title, else its id is shown
 * @event_title: (nullable): the event's title, else its name is shown
 * @text: (nullable): its data in words
 *
 * Returns: (transfer full): the entry
 */
OpenIotActivityEntry *
openiot_activity_entry_new (GDateTime  *time,
                            const char *service_id,
                            const char *service_title,
                            const char *event,
                            const char *event_title,
                            const char *text)
{
  OpenIotActivityEntry *self;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (service_id != NULL && event != NULL, NULL);

  self = g_object_new (OPENIOT_TYPE_ACTIVITY_ENTRY, NULL);
  self->time = g_date_time_ref (time);
  self->service_id = g_strdup (service_id);
  self->service_title = g_strdup (service_title ? service_title : service_id);
  self->event = g_strdup (event);
  self->event_title = g_strdup (event_title ? event_title : event);
  self->text = g_strdup (text);
  return self;
}

/**
 * openiot_activity_entry_get_time:
 *
 * Returns: (transfer none): when it happened, in UTC
 */
GDateTime *
openiot_activity_entry_get_time (OpenIotActivityEntry *self)
{
  g_return_val_if_fail (OPENIOT_IS_ACTIVITY_ENTRY (self), NULL);
  return self->time;
}

const char *
openiot_activity_entry_get_service_id (OpenIotActivityEntry *self)
{
  g_return_val_if_fail (OPENIOT_IS_ACTIVITY_ENTRY (self), NULL);
  return self->service_id;
}

const char *
openiot_activity_entry_get_service_title (OpenIotActivityEntry *self)
{
  g_return_val_if_fail (OPENIOT_IS_ACTIVITY_ENTRY (self), NULL);
  return self->service_title;
}

const char *
openiot_activity_entry_get_event (OpenIotActivityEntry *self)
{
  g_return_val_if_fail (OPENIOT_IS_ACTIVITY_ENTRY (self), NULL);
  return self->event;
}

const char *
openiot_activity_entry_get_event_title (OpenIotActivityEntry *self)
{
  g_return_val_if_fail (OPENIOT_IS_ACTIVITY_ENTRY (self), NULL);
  return self->event_title;
}

/**
 * openiot_activity_entry_get_text:
 *
 * Returns: (nullable): its data in words, when it had any
 */
const char *
openiot_activity_entry_get_text (OpenIotActivityEntry *self)
{
  g_return_val_if_fail (OPENIOT_IS_ACTIVITY_ENTRY (self), NULL);
  return self->text;
}

static void
openiot_activity_entry_finalize (GObject *object)
{
  OpenIotActivityEntry *self = OPENIOT_ACTIVITY_ENTRY (object);

  g_date_time_unref (self->time);
  g_free (self->service_id);
  g_free (self->service_title);
  g_free (self->event);
  g_free (self->event_title);
  g_free (self->text);

  G_OBJECT_CLASS (openiot_activity_entry_parent_class)->finalize (object);
}

static void
openiot_activity_entry_class_init (OpenIotActivityEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_activity_entry_finalize;
}

static void
openiot_activity_entry_init (OpenIotActivityEntry *self)
{
}
