// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-activity-log"

#include "config.h"

#include "openiot-json.h"
#include "openiot-json-private.h"

#include "openiot-activity-log.h"

#define DOCUMENT "activity.json"
/* A log of 200 entries is some 60 KiB; a bigger file is not ours */
#define MAX_DOCUMENT_SIZE (1024 * 1024)

/**
 * OpenIotActivityLog:
 *
 * What happened on a hub, newest first: the events of its services as
 * they came, kept in the Thing cache (a private file per hub, written at
 * once) so that they survive reconnects and restarts. It holds the last
 * %OPENIOT_ACTIVITY_LOG_MAX_ENTRIES entries. A damaged file is an empty
 * log, never an error.
 */
struct _OpenIotActivityLog
{
  GObject            parent_instance;

  OpenIotThingCache *cache;
  char              *hub_id;
  GPtrArray         *entries;    /* OpenIotActivityEntry, newest first */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OpenIotActivityLog, openiot_activity_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return OPENIOT_TYPE_ACTIVITY_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return OPENIOT_ACTIVITY_LOG (model)->entries->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  OpenIotActivityLog *self = OPENIOT_ACTIVITY_LOG (model);

  return position < self->entries->len ? g_object_ref (self->entries->pdata[position]) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node) : NULL;
}

static OpenIotActivityEntry *
entry_from_json (JsonNode *node)
{
  g_autoptr(GDateTime) time = NULL;
  JsonObject *object;
  const char *when, *service, *event;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  when = string_member (object, "time");
  service = string_member (object, "service");
  event = string_member (object, "event");
  if (when == NULL || service == NULL || event == NULL ||
      !(time = g_date_time_new_from_iso8601 (when, NULL)))
    return NULL;
  return openiot_activity_entry_new (time, service, string_member (object, "service_title"), event,
                                     string_member (object, "event_title"),
                                     string_member (object, "text"));
}

static void
load (OpenIotActivityLog *self)
{
  g_autoptr(GBytes) bytes = openiot_thing_cache_load_document (self->cache, self->hub_id, DOCUMENT);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *array;

  if (bytes == NULL || g_bytes_get_size (bytes) > MAX_DOCUMENT_SIZE ||
      !_openiot_json_load (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           NULL) ||
      !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return;

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array) &&
       self->entries->len < OPENIOT_ACTIVITY_LOG_MAX_ENTRIES; i++)
    {
      OpenIotActivityEntry *entry = entry_from_json (json_array_get_element (array, i));

      if (entry != NULL)
        g_ptr_array_add (self->entries, entry);
    }
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
save (OpenIotActivityLog *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *text;

  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    {
      OpenIotActivityEntry *entry = self->entries->pdata[i];
      g_autofree char *when = g_date_time_format_iso8601 (openiot_activity_entry_get_time (entry));

      json_builder_begin_object (builder);
      add_string (builder, "time", when);
      add_string (builder, "service", openiot_activity_entry_get_service_id (entry));
      add_string (builder, "service_title", openiot_activity_entry_get_service_title (entry));
      add_string (builder, "event", openiot_activity_entry_get_event (entry));
      add_string (builder, "event_title", openiot_activity_entry_get_event_title (entry));
      add_string (builder, "text", openiot_activity_entry_get_text (entry));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  text = openiot_json_to_string (root);
  bytes = g_bytes_new_take (text, strlen (text));
  if (!openiot_thing_cache_save_document (self->cache, self->hub_id, DOCUMENT, bytes, &error))
    g_debug ("Activity not kept: %s", error->message);
}

/**
 * openiot_activity_log_add:
 * @entry: what happened
 *
 * Adds it first, drops the oldest beyond the limit, and keeps the log.
 */
void
openiot_activity_log_add (OpenIotActivityLog   *self,
                          OpenIotActivityEntry *entry)
{
  g_return_if_fail (OPENIOT_IS_ACTIVITY_LOG (self));
  g_return_if_fail (OPENIOT_IS_ACTIVITY_ENTRY (entry));

  /* Each change announced as the model is right after it */
  g_ptr_array_insert (self->entries, 0, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  if (self->entries->len > OPENIOT_ACTIVITY_LOG_MAX_ENTRIES)
    {
      guint removed = self->entries->len - OPENIOT_ACTIVITY_LOG_MAX_ENTRIES;

      g_ptr_array_set_size (self->entries, OPENIOT_ACTIVITY_LOG_MAX_ENTRIES);
      g_list_model_items_changed (G_LIST_MODEL (self), OPENIOT_ACTIVITY_LOG_MAX_ENTRIES, removed,
                                  0);
    }
  save (self);
}

/**
 * openiot_activity_log_new:
 * @cache: where it is kept
 * @hub_id: the hub whose activity it is
 *
 * Returns: (transfer full): the log, with what was kept before
 */
OpenIotActivityLog *
openiot_activity_log_new (OpenIotThingCache *cache,
                          const char        *hub_id)
{
  OpenIotActivityLog *self;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (cache), NULL);
  g_return_val_if_fail (hub_id != NULL, NULL);

  self = g_object_new (OPENIOT_TYPE_ACTIVITY_LOG, NULL);
  self->cache = g_object_ref (cache);
  self->hub_id = g_strdup (hub_id);
  load (self);
  return self;
}

static void
openiot_activity_log_finalize (GObject *object)
{
  OpenIotActivityLog *self = OPENIOT_ACTIVITY_LOG (object);

  g_clear_object (&self->cache);
  g_free (self->hub_id);
  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (openiot_activity_log_parent_class)->finalize (object);
}

static void
openiot_activity_log_class_init (OpenIotActivityLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_activity_log_finalize;
}

static void
openiot_activity_log_init (OpenIotActivityLog *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
}
