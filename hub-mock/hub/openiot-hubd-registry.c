// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libopeniot.h>

#include "openiot-certificate-private.h"
#include "openiot-protocol-private.h"

#include "openiot-hubd-registry.h"


/*
 * The registered clients, kept in clients.json. Pairing registers from a
 * worker thread while the main loop looks clients up, so every access
 * holds the mutex; records are immutable and handed out with a reference.
 */
struct _OpenIotHubdRegistry
{
  GObject     parent_instance;

  GMutex      mutex;
  char       *path;
  GPtrArray  *clients; /* OpenIotHubdClient */
};

G_DEFINE_FINAL_TYPE (OpenIotHubdRegistry, openiot_hubd_registry, G_TYPE_OBJECT)

enum { REVOKED, N_SIGNALS };
static guint signals[N_SIGNALS];
G_DEFINE_QUARK (openiot-hubd-registry-error-quark, openiot_hubd_registry_error)

static gboolean
save_locked (OpenIotHubdRegistry  *self,
             GError             **error)
{
  g_autoptr(JsonArray) array = json_array_sized_new (self->clients->len);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *json = NULL;

  for (guint i = 0; i < self->clients->len; i++)
    json_array_add_element (array,
                            openiot_hubd_client_to_json (g_ptr_array_index (self->clients, i),
                                                         TRUE));

  json_node_set_array (root, array);
  json = json_to_string (root, TRUE);

  /* CONSISTENT: write a temporary file, fsync, rename; a hub killed in the
   * middle of a registration restarts with the old or the new registry. */
  return g_file_set_contents_full (self->path, json, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

OpenIotHubdRegistry *
openiot_hubd_registry_load (const char  *path,
                           GError     **error)
{
  g_autoptr(OpenIotHubdRegistry) self = g_object_new (OPENIOT_TYPE_HUBD_REGISTRY, NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *array;

  self->path = g_strdup (path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&self);

  parser = json_parser_new ();
  if (!json_parser_load_from_file (parser, path, error))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   "%s is not a JSON array of clients", path);
      return NULL;
    }

  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      OpenIotHubdClient *client;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !(client = openiot_hubd_client_from_json (json_node_get_object (node), error)))
        {
          g_prefix_error (error, "%s, entry %u: ", path, i);
          if (error != NULL && *error == NULL)
            g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                         "%s, entry %u is not an object", path, i);
          return NULL;
        }
      g_ptr_array_add (self->clients, client);
    }

  return g_steal_pointer (&self);
}

typedef enum { BY_ID, BY_FINGERPRINT } FindBy;

static OpenIotHubdClient *
find_locked (OpenIotHubdRegistry *self,
             FindBy              by,
             const char         *value)
{
  for (guint i = 0; i < self->clients->len; i++)
    {
      OpenIotHubdClient *client = g_ptr_array_index (self->clients, i);
      const char *field = by == BY_ID ? client->id : client->fingerprint;

      if (g_strcmp0 (field, value) == 0)
        return client;
    }

  return NULL;
}

/*
 * openiot_hubd_registry_lookup:
 *
 * Returns: (transfer full) (nullable): the client registered with the
 *   certificate of @fingerprint, revoked or not (the caller decides), or
 *   %NULL
 */
OpenIotHubdClient *
openiot_hubd_registry_lookup (OpenIotHubdRegistry *self,
                             const char         *fingerprint)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  OpenIotHubdClient *client = find_locked (self, BY_FINGERPRINT, fingerprint);

  return client ? openiot_hubd_client_ref (client) : NULL;
}

/* The protocol's rule for a device name, as the registry's error */
static gboolean
check_name (const char  *name,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (_openiot_device_name_check (name, &local_error))
    return TRUE;
  g_set_error_literal (error, OPENIOT_HUBD_REGISTRY_ERROR, OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME,
                       local_error->message);
  return FALSE;
}

/*
 * openiot_hubd_registry_check_client:
 * @name: (nullable): the name a device asks to be registered under
 * @certificate_pem: (nullable): its certificate
 * @fingerprint: (out) (optional) (transfer full): the certificate's
 *   fingerprint
 *
 * What the registry demands of a new client, checked without touching the
 * registry: a name that passes _openiot_device_name_check() (1 to 64 bytes
 * of UTF-8, no control characters) and a certificate that passes
 * _openiot_certificate_check_peer().
 *
 * Returns: %TRUE, or %FALSE with %OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME
 *   or %OPENIOT_HUBD_REGISTRY_ERROR_INVALID_CERTIFICATE
 */
gboolean
openiot_hubd_registry_check_client (const char  *name,
                                   const char  *certificate_pem,
                                   char       **fingerprint,
                                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *computed = NULL;

  if (!check_name (name, error))
    return FALSE;

  if (!_openiot_certificate_check_peer (certificate_pem, &local_error) ||
      !(computed = _openiot_certificate_fingerprint (certificate_pem, &local_error)))
    {
      g_set_error_literal (error, OPENIOT_HUBD_REGISTRY_ERROR,
                           OPENIOT_HUBD_REGISTRY_ERROR_INVALID_CERTIFICATE, local_error->message);
      return FALSE;
    }

  if (fingerprint != NULL)
    *fingerprint = g_steal_pointer (&computed);
  return TRUE;
}

OpenIotHubdClient *
openiot_hubd_registry_add (OpenIotHubdRegistry  *self,
                          const char          *name,
                          const char          *certificate_pem,
                          GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(OpenIotHubdClient) client = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *fingerprint = NULL;
  g_autofree char *id = NULL;
  g_autofree char *escaped_name = NULL;
  OpenIotHubdClient *known;  /* a renewal takes over the array's reference */
  guint index = 0;

  if (!openiot_hubd_registry_check_client (name, certificate_pem, &fingerprint, error))
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);

  known = find_locked (self, BY_FINGERPRINT, fingerprint);

  /* A revoked certificate stays refused: a removed device pairs again with
   * a fresh identity, so a stolen old key never comes back to life. */
  if (known != NULL && known->revoked)
    {
      g_set_error_literal (error, OPENIOT_HUBD_REGISTRY_ERROR,
                           OPENIOT_HUBD_REGISTRY_ERROR_ALREADY_REGISTERED,
                           "This certificate was revoked; pair with a new identity");
      return NULL;
    }

  /* Registered and in use: a pairing the client gave up on after the hub
   * had registered it (docs/protocol.md, "Pairing"). The new code proves
   * the admin wants this device in; renew it under its own id. */
  if (known != NULL)
    {
      g_ptr_array_find (self->clients, known, &index);
      client = openiot_hubd_client_new (known->id, name, fingerprint, certificate_pem,
                                        known->registered, FALSE);
      self->clients->pdata[index] = openiot_hubd_client_ref (client);
    }
  else
    {
      id = g_uuid_string_random ();
      client = openiot_hubd_client_new (id, name, fingerprint, certificate_pem, now, FALSE);
      g_ptr_array_add (self->clients, openiot_hubd_client_ref (client));
    }

  if (!save_locked (self, error))
    {
      if (known != NULL)
        {
          openiot_hubd_client_unref (self->clients->pdata[index]);
          self->clients->pdata[index] = known;
        }
      else
        g_ptr_array_remove (self->clients, client);
      return NULL;
    }

  escaped_name = _openiot_device_name_escape (client->name);
  g_message ("%s client %s (“%s”, %s)", known != NULL ? "Renewed" : "Registered", client->id,
             escaped_name,
             client->fingerprint);
  if (known != NULL)
    openiot_hubd_client_unref (known);
  return g_steal_pointer (&client);
}

static gboolean
replace_locked (OpenIotHubdRegistry  *self,
                const char          *client_id,
                gboolean             remove,
                GError             **error)
{
  OpenIotHubdClient *old = find_locked (self, BY_ID, client_id);
  guint index;

  if (old == NULL || !g_ptr_array_find (self->clients, old, &index))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND, "No client has the id %s",
                   client_id);
      return FALSE;
    }

  if (remove)
    g_ptr_array_remove_index (self->clients, index);
  else
    self->clients->pdata[index] = openiot_hubd_client_new (old->id, old->name, old->fingerprint,
                                                         old->certificate_pem, old->registered,
                                                         TRUE);

  if (!remove)
    openiot_hubd_client_unref (old);

  return save_locked (self, error);
}

gboolean
openiot_hubd_registry_revoke (OpenIotHubdRegistry  *self,
                             const char          *client_id,
                             GError             **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  OpenIotHubdClient *client = find_locked (self, BY_ID, client_id);
  g_autofree char *fingerprint = client != NULL ? g_strdup (client->fingerprint) : NULL;

  g_message ("Revoking client %s", client_id);
  if (!replace_locked (self, client_id, FALSE, error))
    return FALSE;

  g_clear_pointer (&locker, g_mutex_locker_free);
  g_signal_emit (self, signals[REVOKED], 0, fingerprint);
  return TRUE;
}

/*
 * openiot_hubd_registry_rename:
 * @name: the client's new name, checked as at pairing
 *
 * A client renames itself (docs/protocol.md). The record is swapped, not
 * changed, so a request that already holds the old one finishes with it.
 *
 * Returns: (transfer full): the renamed client, or %NULL with
 *   %OPENIOT_HUBD_REGISTRY_ERROR_INVALID_NAME, %OPENIOT_ERROR_NOT_FOUND
 *   (unknown or revoked) or the error of saving the registry
 */
OpenIotHubdClient *
openiot_hubd_registry_rename (OpenIotHubdRegistry  *self,
                             const char          *client_id,
                             const char          *name,
                             GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *escaped_old = NULL;
  g_autofree char *escaped_new = NULL;
  OpenIotHubdClient *old;
  OpenIotHubdClient *renamed;
  guint index;

  if (!check_name (name, error))
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);
  old = find_locked (self, BY_ID, client_id);
  if (old == NULL || old->revoked || !g_ptr_array_find (self->clients, old, &index))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND, "No client has the id %s",
                   client_id);
      return NULL;
    }
  if (g_str_equal (old->name, name))
    return openiot_hubd_client_ref (old);

  renamed = openiot_hubd_client_new (old->id, name, old->fingerprint, old->certificate_pem,
                                     old->registered, FALSE);
  self->clients->pdata[index] = renamed;
  if (!save_locked (self, error))
    {
      self->clients->pdata[index] = old;
      openiot_hubd_client_unref (renamed);
      return NULL;
    }

  escaped_old = _openiot_device_name_escape (old->name);
  escaped_new = _openiot_device_name_escape (renamed->name);
  g_message ("Client %s renamed itself “%s” → “%s”", renamed->id, escaped_old,
             escaped_new);
  openiot_hubd_client_unref (old);
  return openiot_hubd_client_ref (renamed);
}

gboolean
openiot_hubd_registry_remove (OpenIotHubdRegistry  *self,
                             const char          *client_id,
                             GError             **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  g_message ("Client %s removed itself", client_id);
  return replace_locked (self, client_id, TRUE, error);
}

/* Returns: (transfer container): references to every client */
GPtrArray *
openiot_hubd_registry_list (OpenIotHubdRegistry *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) openiot_hubd_client_unref);

  for (guint i = 0; i < self->clients->len; i++)
    g_ptr_array_add (list, openiot_hubd_client_ref (g_ptr_array_index (self->clients, i)));

  return list;
}

guint
openiot_hubd_registry_count_active (OpenIotHubdRegistry *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  guint count = 0;

  for (guint i = 0; i < self->clients->len; i++)
    count += !((OpenIotHubdClient *) g_ptr_array_index (self->clients, i))->revoked;

  return count;
}

static void
openiot_hubd_registry_finalize (GObject *object)
{
  OpenIotHubdRegistry *self = OPENIOT_HUBD_REGISTRY (object);

  g_clear_pointer (&self->clients, g_ptr_array_unref);
  g_free (self->path);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (openiot_hubd_registry_parent_class)->finalize (object);
}

static void
openiot_hubd_registry_class_init (OpenIotHubdRegistryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hubd_registry_finalize;

  /**
   * OpenIotHubdRegistry::revoked:
   * @fingerprint: the revoked client's certificate fingerprint
   *
   * Emitted, in the thread that revoked it, once a client's revocation is
   * saved.
   */
  signals[REVOKED] = g_signal_new ("revoked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
openiot_hubd_registry_init (OpenIotHubdRegistry *self)
{
  g_mutex_init (&self->mutex);
  self->clients = g_ptr_array_new_with_free_func ((GDestroyNotify) openiot_hubd_client_unref);
}
