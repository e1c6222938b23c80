// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-thing-cache"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "openiot-error.h"
#include "openiot-json.h"
#include "openiot-protocol-private.h"

#include "openiot-thing-cache.h"

/**
 * OpenIotThingCache:
 *
 * The last Thing Description and the last known values of each service,
 * per hub, so that a Thing can be shown at once, before the hub answers,
 * and while it is offline (marked stale, with the values' age).
 *
 * Files live in `$XDG_CACHE_HOME/openiot/<hub id>/` (or a given
 * directory), readable by the user only: values such as occupancy are
 * private. Nothing secret is cached. Files are small and written
 * atomically; reading a damaged one is a cache miss, never an error.
 */
struct _OpenIotThingCache
{
  GObject  parent_instance;

  char    *directory;
};

G_DEFINE_FINAL_TYPE (OpenIotThingCache, openiot_thing_cache, G_TYPE_OBJECT)

/* Hub ids come from the hub: only plain names become directories. */
static gboolean
hub_id_is_safe (const char *hub_id)
{
  if (hub_id == NULL || hub_id[0] == '\0' || strlen (hub_id) > 64 || hub_id[0] == '.')
    return FALSE;
  for (const char *p = hub_id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static char *
cache_path (OpenIotThingCache *self,
            const char        *hub_id,
            const char        *service_id,
            const char        *suffix)
{
  g_autofree char *name = NULL;

  if (!hub_id_is_safe (hub_id) ||
      (service_id != NULL && !_openiot_service_id_is_valid (service_id)))
    return NULL;
  if (service_id == NULL)
    return g_build_filename (self->directory, hub_id, NULL);
  name = g_strconcat (service_id, suffix, NULL);
  return g_build_filename (self->directory, hub_id, name, NULL);
}

/* Writes a file of @hub_id's cache, readable by this user only; @path is
 * NULL when the hub id (or a name in it) is not usable. */
static gboolean
write_private (const char  *hub_id,
               const char  *path,
               const char  *contents,
               gsize        len,
               GError     **error)
{
  g_autofree char *dir = NULL;

  if (path == NULL)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   _("“%s” is not a usable hub id."), hub_id);
      return FALSE;
    }
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (path, contents, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

/**
 * openiot_thing_cache_new:
 * @directory: (nullable): where to keep the cache; %NULL for the user's
 *   cache directory
 *
 * Returns: (transfer full): the cache
 */
OpenIotThingCache *
openiot_thing_cache_new (const char *directory)
{
  OpenIotThingCache *self = g_object_new (OPENIOT_TYPE_THING_CACHE, NULL);

  self->directory = directory != NULL ? g_strdup (directory)
                                      : g_build_filename (g_get_user_cache_dir (), "openiot", NULL);
  return self;
}

const char *
openiot_thing_cache_get_directory (OpenIotThingCache *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), NULL);
  return self->directory;
}

/**
 * openiot_thing_cache_load_thing:
 * @hub: the paired hub the Thing is on
 *
 * Returns: (transfer full) (nullable): the cached Thing, or %NULL when
 *   there is none (or it is unusable)
 */
OpenIotThing *
openiot_thing_cache_load_thing (OpenIotThingCache *self,
                                OpenIotHubRecord  *hub,
                                const char        *service_id)
{
  g_autofree char *path = cache_path (self, openiot_hub_record_get_id (hub), service_id,
                                      ".td.json");
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), NULL);

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return openiot_thing_new_for_hub (bytes, service_id, hub, NULL);
}

gboolean
openiot_thing_cache_save_thing (OpenIotThingCache  *self,
                                const char         *hub_id,
                                OpenIotThing       *thing,
                                GError            **error)
{
  g_autofree char *path = NULL;
  GBytes *bytes;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), FALSE);
  g_return_val_if_fail (OPENIOT_IS_THING (thing), FALSE);

  path = cache_path (self, hub_id, openiot_thing_get_service_id (thing), ".td.json");
  bytes = openiot_thing_get_bytes (thing);
  return write_private (hub_id, path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                        error);
}

/**
 * openiot_thing_cache_load_values:
 * @saved: (out) (optional) (transfer full): when the values were saved
 *
 * Returns: (transfer full) (nullable): the last known values by property
 *   name
 */
JsonObject *
openiot_thing_cache_load_values (OpenIotThingCache  *self,
                                 const char         *hub_id,
                                 const char         *service_id,
                                 GDateTime         **saved)
{
  g_autofree char *path = cache_path (self, hub_id, service_id, ".values.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *values;
  const char *when;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), NULL);

  if (path == NULL || !json_parser_load_from_mapped_file (parser, path, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "values") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "values")))
    return NULL;
  values = json_object_get_object_member (root, "values");

  when = json_object_get_string_member_with_default (root, "saved", NULL);
  if (saved != NULL)
    *saved = when != NULL ? g_date_time_new_from_iso8601 (when, NULL) : NULL;
  return json_object_ref (values);
}

gboolean
openiot_thing_cache_save_values (OpenIotThingCache  *self,
                                 const char         *hub_id,
                                 const char         *service_id,
                                 JsonObject         *values,
                                 GError            **error)
{
  g_autofree char *path = cache_path (self, hub_id, service_id, ".values.json");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) values_node = json_node_alloc ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);
  g_autofree char *text = NULL;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), FALSE);

  json_node_init_object (values_node, values);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "saved");
  json_builder_add_string_value (builder, when);
  json_builder_set_member_name (builder, "values");
  json_builder_add_value (builder, json_node_ref (values_node));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = openiot_json_to_string (root);
  return write_private (hub_id, path, text, strlen (text), error);
}

/* A hub-wide document's name: a plain file name of ours, never a path */
static char *
document_path (OpenIotThingCache *self,
               const char        *hub_id,
               const char        *name)
{
  g_autofree char *dir = cache_path (self, hub_id, NULL, NULL);

  if (dir == NULL || name == NULL || name[0] == '\0' || name[0] == '.' ||
      strchr (name, '/') != NULL)
    return NULL;
  return g_build_filename (dir, name, NULL);
}

/**
 * openiot_thing_cache_load_document:
 * @hub_id: the hub it belongs to
 * @name: its file name, e.g. "activity.json"
 *
 * A document kept for a whole hub (its activity log, its values'
 * history), beside its Things.
 *
 * Returns: (transfer full) (nullable): its contents, or %NULL when there
 *   is none
 */
GBytes *
openiot_thing_cache_load_document (OpenIotThingCache *self,
                                   const char        *hub_id,
                                   const char        *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) file = NULL;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), NULL);

  if (!(path = document_path (self, hub_id, name)) ||
      !(file = g_mapped_file_new (path, FALSE, NULL)))
    return NULL;
  return g_mapped_file_get_bytes (file);
}

/**
 * openiot_thing_cache_save_document:
 * @hub_id: the hub it belongs to
 * @name: its file name, e.g. "activity.json"
 * @contents: what to keep, replacing what was there at once (0600)
 */
gboolean
openiot_thing_cache_save_document (OpenIotThingCache  *self,
                                   const char         *hub_id,
                                   const char         *name,
                                   GBytes             *contents,
                                   GError            **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), FALSE);
  g_return_val_if_fail (contents != NULL, FALSE);

  path = document_path (self, hub_id, name);
  return write_private (hub_id, path, g_bytes_get_data (contents, NULL),
                        g_bytes_get_size (contents), error);
}

/**
 * openiot_thing_cache_forget_hub:
 *
 * Removes everything cached for a hub, e.g. when it is removed.
 */
gboolean
openiot_thing_cache_forget_hub (OpenIotThingCache  *self,
                                const char         *hub_id,
                                GError            **error)
{
  g_autofree char *dir = cache_path (self, hub_id, NULL, NULL);
  g_autoptr(GDir) listing = NULL;
  const char *name;

  g_return_val_if_fail (OPENIOT_IS_THING_CACHE (self), FALSE);

  if (dir == NULL || !(listing = g_dir_open (dir, 0, NULL)))
    return TRUE;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  if (g_rmdir (dir) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not remove %s: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
openiot_thing_cache_finalize (GObject *object)
{
  g_free (OPENIOT_THING_CACHE (object)->directory);
  G_OBJECT_CLASS (openiot_thing_cache_parent_class)->finalize (object);
}

static void
openiot_thing_cache_class_init (OpenIotThingCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_thing_cache_finalize;
}

static void
openiot_thing_cache_init (OpenIotThingCache *self)
{
}
