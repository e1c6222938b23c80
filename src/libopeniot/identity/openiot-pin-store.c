// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-pin-store"

#include "config.h"

#include <libsecret/secret.h>

#include "openiot-error.h"

#include "openiot-pin-store.h"

/**
 * OpenIotPinStore:
 *
 * The paired hubs and the certificates they are pinned to. In the Secret
 * Service (one item per hub, schema `org.openiot.Hub`) by default, so a pin
 * can only be changed by someone who can unlock the user's keyring; or in
 * `hubs.json` (0600) inside an explicit keystore directory for headless
 * devices (docs/keystore.md).
 *
 * All work happens in a worker thread: libsecret's calls may prompt.
 */
struct _OpenIotPinStore
{
  GObject  parent_instance;

  char    *store_dir;
  GMutex   file_mutex;
};

G_DEFINE_FINAL_TYPE (OpenIotPinStore, openiot_pin_store, G_TYPE_OBJECT)

static const SecretSchema *
hub_schema (void)
{
  static const SecretSchema schema = {
    "org.openiot.Hub", SECRET_SCHEMA_NONE,
    {
      { "hub-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
set_keyring_error (GError     **error,
                   GError      *cause)
{
  g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING,
               "The keyring (Secret Service) could not be used: %s. Start or unlock it, "
               "or use an explicit keystore with --store DIR.", cause->message);
}

static char *
hubs_path (OpenIotPinStore *self)
{
  return g_build_filename (self->store_dir, "hubs.json", NULL);
}

static GPtrArray *
records_from_array (JsonNode  *root,
                    GError   **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "hubs.json is not a JSON array");
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      OpenIotHubRecord *record =
        openiot_hub_record_new_from_json (json_array_get_element (array, i), error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);
    }

  return g_steal_pointer (&records);
}

static GPtrArray *
file_list (OpenIotPinStore  *self,
           GError          **error)
{
  g_autofree char *path = hubs_path (self);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_ptr_array_new_with_free_func (g_object_unref);

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;

  return records_from_array (json_parser_get_root (parser), error);
}

static gboolean
file_write (OpenIotPinStore  *self,
            GPtrArray        *records,
            GError          **error)
{
  g_autofree char *path = hubs_path (self);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *json = NULL;

  for (guint i = 0; i < records->len; i++)
    json_array_add_element (array, openiot_hub_record_to_json (g_ptr_array_index (records, i)));
  json_node_set_array (root, array);
  json = json_to_string (root, TRUE);

  g_mkdir_with_parents (self->store_dir, 0700);
  return g_file_set_contents_full (path, json, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

/* Replaces the record of @hub_id with @record (NULL: removes it). */
static gboolean
file_replace (OpenIotPinStore   *self,
              const char        *hub_id,
              OpenIotHubRecord  *record,
              GError           **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->file_mutex);
  g_autoptr(GPtrArray) records = file_list (self, error);

  if (records == NULL)
    return FALSE;

  for (guint i = records->len; i > 0; i--)
    {
      if (g_str_equal (openiot_hub_record_get_id (g_ptr_array_index (records, i - 1)), hub_id))
        g_ptr_array_remove_index (records, i - 1);
    }
  if (record != NULL)
    g_ptr_array_add (records, g_object_ref (record));

  return file_write (self, records, error);
}

static GPtrArray *
keyring_list (GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  GList *items;

  items = secret_password_search_sync (hub_schema (),
                                       SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                       SECRET_SEARCH_LOAD_SECRETS,
                                       cancellable, &local_error, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error);
      return NULL;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(SecretValue) value =
        secret_retrievable_retrieve_secret_sync (l->data, cancellable, NULL);
      g_autoptr(JsonParser) parser = json_parser_new ();
      OpenIotHubRecord *record;

      if (value == NULL ||
          !json_parser_load_from_data (parser, secret_value_get_text (value), -1, NULL) ||
          !(record = openiot_hub_record_new_from_json (json_parser_get_root (parser), NULL)))
        {
          g_warning ("Skipping an unreadable hub record in the keyring");
          continue;
        }
      g_ptr_array_add (records, record);
    }

  g_list_free_full (items, g_object_unref);
  return g_steal_pointer (&records);
}

static gboolean
keyring_save (OpenIotHubRecord  *record,
              GCancellable      *cancellable,
              GError           **error)
{
  g_autoptr(JsonNode) node = openiot_hub_record_to_json (record);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autofree char *label = g_strdup_printf ("Open-IoT hub “%s”",
                                            openiot_hub_record_get_name (record));
  g_autoptr(GError) local_error = NULL;

  if (!secret_password_store_sync (hub_schema (), SECRET_COLLECTION_DEFAULT, label, json,
                                   cancellable, &local_error,
                                   "hub-id", openiot_hub_record_get_id (record), NULL))
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
keyring_remove (const char    *hub_id,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_sync (hub_schema (), cancellable, &local_error, "hub-id", hub_id, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }

  return TRUE;
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenIotPinStore *self = source_object;
  GError *error = NULL;
  GPtrArray *records;

  if (self->store_dir != NULL)
    {
      g_mutex_lock (&self->file_mutex);
      records = file_list (self, &error);
      g_mutex_unlock (&self->file_mutex);
    }
  else
    records = keyring_list (cancellable, &error);

  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify) g_ptr_array_unref);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenIotPinStore *self = source_object;
  OpenIotHubRecord *record = task_data;
  GError *error = NULL;
  gboolean ok;

  if (self->store_dir != NULL)
    ok = file_replace (self, openiot_hub_record_get_id (record), record, &error);
  else
    ok = keyring_save (record, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
remove_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  OpenIotPinStore *self = source_object;
  const char *hub_id = task_data;
  GError *error = NULL;
  gboolean ok;

  if (self->store_dir != NULL)
    ok = file_replace (self, hub_id, NULL, &error);
  else
    ok = keyring_remove (hub_id, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
run (OpenIotPinStore     *self,
     gpointer             source_tag,
     gpointer             data,
     GDestroyNotify       destroy,
     GTaskThreadFunc      func,
     GCancellable        *cancellable,
     GAsyncReadyCallback  callback,
     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, destroy);
  g_task_run_in_thread (task, func);
}

/**
 * openiot_pin_store_list_async:
 *
 * Lists the paired hubs.
 */
void
openiot_pin_store_list_async (OpenIotPinStore     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (OPENIOT_IS_PIN_STORE (self));

  run (self, openiot_pin_store_list_async, NULL, NULL, list_thread, cancellable, callback,
       user_data);
}

/**
 * openiot_pin_store_list_finish:
 *
 * Returns: (transfer container) (element-type OpenIotHubRecord): the hubs
 */
GPtrArray *
openiot_pin_store_list_finish (OpenIotPinStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * openiot_pin_store_save_async:
 *
 * Stores @record, replacing any record of the same hub. Call it only after
 * the user confirmed the hub's identity.
 */
void
openiot_pin_store_save_async (OpenIotPinStore     *self,
                              OpenIotHubRecord    *record,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (OPENIOT_IS_PIN_STORE (self));
  g_return_if_fail (OPENIOT_IS_HUB_RECORD (record));

  run (self, openiot_pin_store_save_async, g_object_ref (record), g_object_unref, save_thread,
       cancellable, callback, user_data);
}

gboolean
openiot_pin_store_save_finish (OpenIotPinStore  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
openiot_pin_store_remove_async (OpenIotPinStore     *self,
                                const char          *hub_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (OPENIOT_IS_PIN_STORE (self));
  g_return_if_fail (hub_id != NULL);

  run (self, openiot_pin_store_remove_async, g_strdup (hub_id), g_free, remove_thread,
       cancellable, callback, user_data);
}

gboolean
openiot_pin_store_remove_finish (OpenIotPinStore  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * openiot_pin_store_new:
 * @store_dir: (nullable): an explicit keystore directory, or %NULL for the
 *   Secret Service
 */
OpenIotPinStore *
openiot_pin_store_new (const char *store_dir)
{
  OpenIotPinStore *self = g_object_new (OPENIOT_TYPE_PIN_STORE, NULL);

  self->store_dir = g_strdup (store_dir);
  return self;
}

static void
openiot_pin_store_finalize (GObject *object)
{
  OpenIotPinStore *self = OPENIOT_PIN_STORE (object);

  g_free (self->store_dir);
  g_mutex_clear (&self->file_mutex);

  G_OBJECT_CLASS (openiot_pin_store_parent_class)->finalize (object);
}

static void
openiot_pin_store_class_init (OpenIotPinStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_pin_store_finalize;
}

static void
openiot_pin_store_init (OpenIotPinStore *self)
{
  g_mutex_init (&self->file_mutex);
}
