// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-value-history"

#include "config.h"

#include <math.h>
#include <string.h>

#include "openiot-json.h"
#include "openiot-json-private.h"
#include "openiot-protocol-private.h"

#include "openiot-value-history.h"

#define DOCUMENT_SUFFIX ".history.json"
/* A full history of a few properties is some hundred KiB; a much bigger
 * file is not ours */
#define MAX_DOCUMENT_SIZE (4 * 1024 * 1024)
#define THIN_AFTER G_TIME_SPAN_HOUR
#define THIN_RESOLUTION G_TIME_SPAN_MINUTE

/**
 * OpenIotValueHistory:
 *
 * The recent values of a hub's numeric properties, per service and
 * property, for a graph: at most one sample per
 * %OPENIOT_VALUE_HISTORY_RESOLUTION (the latest wins), one a minute past
 * the last hour, nothing older than %OPENIOT_VALUE_HISTORY_MAX_AGE and at
 * most %OPENIOT_VALUE_HISTORY_MAX_SAMPLES per property.
 *
 * It is kept in the Thing cache, one private file per service
 * (`<service>.history.json` beside its cached values, 0600, written
 * atomically) so that two histories of one hub showing different
 * services never overwrite each other. A service's file is read the
 * first time the service is asked for, and written by
 * [method@OpenIot.ValueHistory.save] when it changed. A damaged file is
 * an empty history, never an error.
 */
struct _OpenIotValueHistory
{
  GObject            parent_instance;

  OpenIotThingCache *cache;
  char              *hub_id;
  GHashTable        *services;   /* service id → Service */
};

typedef struct
{
  GHashTable *properties;        /* name → GArray of OpenIotValueSample, oldest first */
  gboolean    dirty;
} Service;

G_DEFINE_FINAL_TYPE (OpenIotValueHistory, openiot_value_history, G_TYPE_OBJECT)

static void
service_free (Service *service)
{
  g_hash_table_unref (service->properties);
  g_free (service);
}

static gint64
to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static char *
document_name (const char *service_id)
{
  return g_strconcat (service_id, DOCUMENT_SUFFIX, NULL);
}

/* Drops what is too old, thins what is past the last hour, keeps the
 * newest MAX_SAMPLES. */
static void
prune (GArray *samples,
       gint64  now)
{
  guint kept = 0;

  for (guint i = 0; i < samples->len; i++)
    {
      OpenIotValueSample *sample = &g_array_index (samples, OpenIotValueSample, i);
      OpenIotValueSample *next = i + 1 < samples->len ? sample + 1 : NULL;

      if (sample->time_us < now - OPENIOT_VALUE_HISTORY_MAX_AGE)
        continue;
      /* Past the last hour, the latest of each minute */
      if (next != NULL && next->time_us < now - THIN_AFTER &&
          next->time_us / THIN_RESOLUTION == sample->time_us / THIN_RESOLUTION)
        continue;
      g_array_index (samples, OpenIotValueSample, kept++) = *sample;
    }
  g_array_set_size (samples, kept);
  if (samples->len > OPENIOT_VALUE_HISTORY_MAX_SAMPLES)
    g_array_remove_range (samples, 0, samples->len - OPENIOT_VALUE_HISTORY_MAX_SAMPLES);
}

static GArray *
samples_from_json (JsonArray *array,
                   gint64     now)
{
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (OpenIotValueSample));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonArray *pair;
      JsonNode *time, *value;
      OpenIotValueSample sample;

      if (!JSON_NODE_HOLDS_ARRAY (node) ||
          json_array_get_length (pair = json_node_get_array (node)) != 2)
        continue;
      time = json_array_get_element (pair, 0);
      value = json_array_get_element (pair, 1);
      if (!JSON_NODE_HOLDS_VALUE (time) || json_node_get_value_type (time) != G_TYPE_INT64 ||
          !JSON_NODE_HOLDS_VALUE (value) ||
          (json_node_get_value_type (value) != G_TYPE_DOUBLE &&
           json_node_get_value_type (value) != G_TYPE_INT64))
        continue;
      sample.time_us = json_node_get_int (time);
      sample.value = json_node_get_double (value);
      /* In order, finite and not from the future: anything else is not ours */
      if (!isfinite (sample.value) || sample.time_us > now ||
          (samples->len > 0 &&
           sample.time_us <= g_array_index (samples, OpenIotValueSample, samples->len - 1).time_us))
        continue;
      g_array_append_val (samples, sample);
    }
  prune (samples, now);
  return samples;
}

static Service *
load_service (OpenIotValueHistory *self,
              const char          *service_id)
{
  g_autofree char *name = document_name (service_id);
  g_autoptr(GBytes) bytes = openiot_thing_cache_load_document (self->cache, self->hub_id, name);
  g_autoptr(JsonParser) parser = json_parser_new ();
  Service *service = g_new0 (Service, 1);
  JsonObject *root;
  JsonNode *node;
  g_autoptr(GList) names = NULL;

  service->properties = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_array_unref);
  /* An empty file parses to no root at all */
  if (bytes == NULL || g_bytes_get_size (bytes) > MAX_DOCUMENT_SIZE ||
      !_openiot_json_load (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                           NULL) ||
      !(node = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (node))
    return service;

  root = json_node_get_object (node);
  names = json_object_get_members (root);
  for (GList *l = names; l != NULL; l = l->next)
    {
      node = json_object_get_member (root, l->data);
      if (JSON_NODE_HOLDS_ARRAY (node))
        g_hash_table_insert (service->properties, g_strdup (l->data),
                             samples_from_json (json_node_get_array (node), g_get_real_time ()));
    }
  return service;
}

/* A service's history, read the first time it is asked for; %NULL for an
 * id that cannot name a file. */
static Service *
lookup_service (OpenIotValueHistory *self,
                const char          *service_id)
{
  Service *service = g_hash_table_lookup (self->services, service_id);

  if (service == NULL && _openiot_service_id_is_valid (service_id))
    {
      service = load_service (self, service_id);
      g_hash_table_insert (self->services, g_strdup (service_id), service);
    }
  return service;
}

/**
 * openiot_value_history_add:
 * @service_id: the service
 * @property: its numeric property
 * @when: when the value was current
 * @value: the value
 *
 * Adds a sample. Within %OPENIOT_VALUE_HISTORY_RESOLUTION of the
 * previous one (the same slot of that length) it replaces it; samples
 * newer than @when (the clock went back) are dropped. Nothing is written
 * until [method@OpenIot.ValueHistory.save].
 */
void
openiot_value_history_add (OpenIotValueHistory *self,
                           const char          *service_id,
                           const char          *property,
                           GDateTime           *when,
                           double               value)
{
  OpenIotValueSample sample;
  Service *service;
  GArray *samples;

  g_return_if_fail (OPENIOT_IS_VALUE_HISTORY (self));
  g_return_if_fail (service_id != NULL && property != NULL && when != NULL);

  if (!isfinite (value) || !(service = lookup_service (self, service_id)))
    return;
  if (!(samples = g_hash_table_lookup (service->properties, property)))
    {
      samples = g_array_new (FALSE, FALSE, sizeof (OpenIotValueSample));
      g_hash_table_insert (service->properties, g_strdup (property), samples);
    }

  sample = (OpenIotValueSample) { to_usec (when), value };
  while (samples->len > 0 &&
         g_array_index (samples, OpenIotValueSample, samples->len - 1).time_us > sample.time_us)
    g_array_set_size (samples, samples->len - 1);
  if (samples->len > 0 &&
      g_array_index (samples, OpenIotValueSample,
                     samples->len - 1).time_us / OPENIOT_VALUE_HISTORY_RESOLUTION ==
        sample.time_us / OPENIOT_VALUE_HISTORY_RESOLUTION)
    g_array_index (samples, OpenIotValueSample, samples->len - 1) = sample;
  else
    g_array_append_val (samples, sample);
  prune (samples, sample.time_us);
  service->dirty = TRUE;
}

/**
 * openiot_value_history_get_samples:
 * @service_id: the service
 * @property: its numeric property
 * @since: (nullable): the oldest time wanted; %NULL for all
 *
 * Returns: (transfer full) (element-type OpenIotValueSample): the
 *   property's samples since then, oldest first (maybe none)
 */
GArray *
openiot_value_history_get_samples (OpenIotValueHistory *self,
                                   const char          *service_id,
                                   const char          *property,
                                   GDateTime           *since)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (OpenIotValueSample));
  gint64 from = since != NULL ? to_usec (since) : G_MININT64;
  Service *service;
  GArray *samples;

  g_return_val_if_fail (OPENIOT_IS_VALUE_HISTORY (self), result);
  g_return_val_if_fail (service_id != NULL && property != NULL, result);

  if (!(service = lookup_service (self, service_id)) ||
      !(samples = g_hash_table_lookup (service->properties, property)))
    return result;
  for (guint i = 0; i < samples->len; i++)
    if (g_array_index (samples, OpenIotValueSample, i).time_us >= from)
      {
        /* Oldest first: the rest is newer still */
        g_array_append_vals (result, &g_array_index (samples, OpenIotValueSample, i),
                             samples->len - i);
        break;
      }
  return result;
}

static GBytes *
service_to_bytes (Service *service)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer name, value;
  char *text;

  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, service->properties);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      GArray *samples = value;

      json_builder_set_member_name (builder, name);
      json_builder_begin_array (builder);
      for (guint i = 0; i < samples->len; i++)
        {
          json_builder_begin_array (builder);
          json_builder_add_int_value (builder,
                                      g_array_index (samples, OpenIotValueSample, i).time_us);
          json_builder_add_double_value (builder,
                                         g_array_index (samples, OpenIotValueSample, i).value);
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = openiot_json_to_string (root);
  return g_bytes_new_take (text, strlen (text));
}

/**
 * openiot_value_history_save:
 *
 * Writes the history of each service that changed since it was read.
 *
 * Returns: whether all of it was written
 */
gboolean
openiot_value_history_save (OpenIotValueHistory  *self,
                            GError              **error)
{
  GHashTableIter iter;
  gpointer service_id, value;

  g_return_val_if_fail (OPENIOT_IS_VALUE_HISTORY (self), FALSE);

  g_hash_table_iter_init (&iter, self->services);
  while (g_hash_table_iter_next (&iter, &service_id, &value))
    {
      Service *service = value;
      g_autofree char *name = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (!service->dirty)
        continue;
      name = document_name (service_id);
      bytes = service_to_bytes (service);
      if (!openiot_thing_cache_save_document (self->cache, self->hub_id, name, bytes, error))
        return FALSE;
      service->dirty = FALSE;
    }
  return TRUE;
}

/**
 * openiot_value_history_new:
 * @cache: where it is kept
 * @hub_id: the hub whose values it holds
 *
 * Returns: (transfer full): the history, with what was kept before
 */
OpenIotValueHistory *
openiot_value_history_new (OpenIotThingCache *cache,
                           const char        *hub_id)
{
  OpenIotValueHistory *self;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (cache), NULL);
  g_return_val_if_fail (hub_id != NULL, NULL);

  self = g_object_new (OPENIOT_TYPE_VALUE_HISTORY, NULL);
  self->cache = g_object_ref (cache);
  self->hub_id = g_strdup (hub_id);
  return self;
}

static void
openiot_value_history_finalize (GObject *object)
{
  OpenIotValueHistory *self = OPENIOT_VALUE_HISTORY (object);

  g_clear_object (&self->cache);
  g_free (self->hub_id);
  g_hash_table_unref (self->services);

  G_OBJECT_CLASS (openiot_value_history_parent_class)->finalize (object);
}

static void
openiot_value_history_class_init (OpenIotValueHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_value_history_finalize;
}

static void
openiot_value_history_init (OpenIotValueHistory *self)
{
  self->services = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) service_free);
}
