// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-identity"

#include "config.h"

#include <string.h>
#include <libsecret/secret.h>

#include "openiot-certificate-private.h"
#include "openiot-error.h"
#include "openiot-identity-private.h"

#include "openiot-identity-secret-store-private.h"

/*
 * Secret Service keystore (store_dir == NULL).
 *
 * Only libsecret's "simple" API is used: secret_password_searchv() and
 * secret_password_storev() with our schema, and SecretRetrievable on what
 * the search returns. Inside a Flatpak (or Snap) libsecret does not talk to
 * org.freedesktop.secrets: it keeps secrets in a file of the app's own,
 * encrypted with a key it gets from the Secret portal
 * (org.freedesktop.portal.Secret), and only the simple API takes that
 * path. The object API (the service, collection and item proxies) always
 * goes to org.freedesktop.secrets on the bus, which the sandbox does not
 * let through: with it the app could not load its key at all
 * (docs/packaging.md). tests/data/check-libsecret-api keeps it out of src/.
 *
 * Nothing is lost on the host. SECRET_SEARCH_UNLOCK has the Secret Service
 * unlock a locked item (the keyring's own prompt); storing into a locked
 * default collection makes libsecret unlock it (prompt) and try again, and
 * a missing default collection is created (prompting for its password). A
 * prompt the user dismisses leaves the item or collection locked, and that
 * comes back as SECRET_ERROR_IS_LOCKED, reported as such. The key is
 * generated before the collection is unlocked for storing it; an ECDSA
 * P-256 key costs milliseconds, so a dismissed prompt still costs nothing.
 */

#define KIND_CLIENT_KEY "client-key"

#define NO_KEYRING_MESSAGE \
  "No keyring (Secret Service) is running. Start one (e.g. gnome-keyring), " \
  "or use an explicit file keystore with --store DIR"

/*
 * The schema is an on-disk contract: items stored by one version must be
 * found by the next, so neither its name nor its attributes may change.
 * The certificate is public and sits in an attribute of the same item as
 * the key, so key and certificate are stored, found and deleted together
 * and never get out of step; no file is written in this mode at all.
 */
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.openiot.Identity",
    SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "certificate", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

typedef struct
{
  char              *device_name;
  SecretRetrievable *item;
  char              *certificate_pem;
  OpenIotKeyPem     *key_pem;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->device_name);
  g_clear_object (&data->item);
  g_free (data->certificate_pem);
  g_clear_pointer (&data->key_pem, _openiot_key_pem_free);
  g_free (data);
}

/* Whether @error says that nothing answers for the keyring: no Secret
 * Service on the session bus, or no session bus at all. Anything else is
 * an answer from a keyring, and reported as what it is. */
static gboolean
is_no_keyring_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    return (error->code == G_DBUS_ERROR_SERVICE_UNKNOWN ||
            error->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER ||
            error->code == G_DBUS_ERROR_NO_SERVER ||
            error->code == G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND ||
            error->code == G_DBUS_ERROR_SPAWN_EXEC_FAILED ||
            error->code == G_DBUS_ERROR_SPAWN_CHILD_EXITED ||
            error->code == G_DBUS_ERROR_SPAWN_FAILED);

  /* Connecting to the bus fails with plain GIO errors. */
  return error->domain == G_IO_ERROR &&
         error->code != G_IO_ERROR_CANCELLED &&
         error->code != G_IO_ERROR_TIMED_OUT &&
         !g_dbus_error_is_remote_error (error);
}

static void
return_keyring_error (GTask      *task,
                      GError     *error,
                      const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Never fall back to a file here: a key written to disk behind the
   * user's back is exactly what the keyring is for avoiding. */
  if (is_no_keyring_error (error))
    what = NO_KEYRING_MESSAGE;
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    what = "The keyring is locked. Unlock it (e.g. in Passwords and Keys) and try again";

  g_dbus_error_strip_remote_error (error);
  g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING,
                           "%s. Details: %s", what, error->message);
  g_error_free (error);
}

static void
return_identity (GTask      *task,
                 const char *certificate_pem,
                 const char *key_pem)
{
  GError *error = NULL;
  OpenIotIdentity *identity;

  if (certificate_pem == NULL || key_pem == NULL)
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               "The device identity in the keyring is damaged. Remove it "
                               "(secret-tool clear xdg:schema %s) to make a new one",
                               get_schema ()->name);
      return;
    }

  if ((identity = _openiot_identity_new (certificate_pem, key_pem, &error)))
    g_task_return_pointer (task, identity, g_object_unref);
  else
    {
      g_prefix_error (&error, "The device identity in the keyring: ");
      g_task_return_error (task, error);
    }
}

static void
on_stored (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      return_keyring_error (task, error, "Could not store this device's key in the keyring");
      return;
    }

  return_identity (task, data->certificate_pem, data->key_pem);
}

static void
generate_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;

  /* The outer task's data, touched by no one else until this returns. */
  if (!_openiot_certificate_generate (data->device_name, OPENIOT_IDENTITY_VALID_DAYS,
                                      &data->key_pem, &data->certificate_pem, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_generated (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  /* Read before the call that steals @task: C leaves the order in which
   * arguments are evaluated open. */
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  attributes = secret_attributes_build (get_schema (),
                                        "kind", KIND_CLIENT_KEY,
                                        "certificate", data->certificate_pem,
                                        NULL);
  label = g_strdup_printf ("Open-IoT device key (%s)", data->device_name);

  /* libsecret copies the key into its wiped-on-free secure memory, as
   * "text/plain" like every item this schema ever had. */
  secret_password_storev (get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, data->key_pem, cancellable,
                          on_stored, g_steal_pointer (&task));
}

static void
generate_and_store (GTask *task)
{
  g_autoptr(GTask) generate = NULL;

  generate = g_task_new (NULL, g_task_get_cancellable (task), on_generated, g_object_ref (task));
  g_task_set_source_tag (generate, generate_and_store);
  g_task_set_task_data (generate, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (generate, generate_thread);
}

static void
on_secret_retrieved (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(OpenIotKeyPem) key_pem = NULL;
  GError *error = NULL;
  const char *secret;
  gsize len = 0;

  /* An item still locked after the search's unlock (a dismissed prompt)
   * fails here with SECRET_ERROR_IS_LOCKED: reported as a locked keyring,
   * never taken for a missing key, which would make a new identity. */
  value = secret_retrievable_retrieve_secret_finish (data->item, result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error, "Could not read this device's key from the keyring");
      return;
    }

  secret = value != NULL ? secret_value_get (value, &len) : NULL;
  if (secret != NULL && len > 0 && memchr (secret, '\0', len) == NULL)
    key_pem = g_strndup (secret, len);

  attributes = secret_retrievable_get_attributes (data->item);
  return_identity (task, g_hash_table_lookup (attributes, "certificate"), key_pem);
}

static void
on_searched (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GList *items;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_keyring_error (task, error, "Could not search the keyring");
      return;
    }

  if (items == NULL)
    {
      generate_and_store (task);
      return;
    }

  /* Without SECRET_SEARCH_ALL there is at most one. */
  data->item = g_object_ref (items->data);
  g_list_free_full (items, g_object_unref);

  secret_retrievable_retrieve_secret (data->item, cancellable,
                                      on_secret_retrieved, g_steal_pointer (&task));
}

static void
load_keyring (GTask *task)
{
  g_autoptr(GHashTable) attributes = NULL;

  /* Locked items are found too, and unlocking them is asked for here
   * (which may prompt), so that a refusal is reported as such. No
   * SECRET_SEARCH_LOAD_SECRETS: retrieving the secret loads it anyway. */
  attributes = secret_attributes_build (get_schema (), "kind", KIND_CLIENT_KEY, NULL);
  secret_password_searchv (get_schema (), attributes, SECRET_SEARCH_UNLOCK,
                           g_task_get_cancellable (task),
                           on_searched, g_object_ref (task));
}

void
_openiot_identity_secret_store_load (GTask      *task,
                                     const char *device_name)
{
  LoadData *data;

  data = g_new0 (LoadData, 1);
  data->device_name = g_strdup (device_name);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  load_keyring (task);
}
