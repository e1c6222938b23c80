// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-identity"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "openiot-certificate-private.h"
#include "openiot-error.h"
#include "openiot-fingerprint.h"
#include "openiot-gnutls-private.h"
#include "openiot-protocol-private.h"

#include "openiot-identity.h"

/**
 * OpenIotIdentity:
 *
 * This device's key pair and self-signed client certificate (ECDSA P-256,
 * the device name as common name, valid for ten years), as presented to
 * hubs.
 *
 * [type_func@OpenIot.Identity.load_async] creates the identity on first
 * use and loads the same one afterwards; its fingerprint is what hubs
 * register, so it must stay stable. Where the private key lives is described in
 * docs/keystore.md: in the Secret Service by default, or, only when asked
 * for explicitly, in a private directory for headless devices. There is no
 * silent fallback from one to the other.
 *
 * The identity is immutable and may be shared between threads.
 */

/* Ten years, leap days included. */
#define VALID_DAYS 3653
/* X.509's upper bound for a common name, and the pairing limit of names. */
/* A PEM key or certificate of ours is about a kilobyte; a file much larger
 * is not one of ours, and is not read into memory. */
#define MAX_PEM_BYTES (64 * 1024)

#define KEY_FILE "key.pem"
#define CERTIFICATE_FILE "cert.pem"
#define KIND_CLIENT_KEY "client-key"

#define NO_KEYRING_MESSAGE \
  "No keyring (Secret Service) is running. Start one (e.g. gnome-keyring), " \
  "or use an explicit file keystore with --store DIR"

struct _OpenIotIdentity
{
  GObject          parent_instance;

  char            *name;
  char            *certificate_pem;
  char            *fingerprint;
  GTlsCertificate *tls_certificate;
};

G_DEFINE_FINAL_TYPE (OpenIotIdentity, openiot_identity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CERTIFICATE_PEM,
  PROP_FINGERPRINT,
  PROP_TLS_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A string that holds private key material: wiped before it is freed, so
 * the key does not linger in freed heap memory (core dumps, swap). */
typedef char KeyPem;

static void
key_pem_free (KeyPem *pem)
{
  if (pem == NULL)
    return;

  explicit_bzero (pem, strlen (pem));
  g_free (pem);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyPem, key_pem_free)

/* A file descriptor closed on scope exit (g_autofd is GLib 2.76). */
typedef int Fd;

static void
fd_close (Fd fd)
{
  close (fd);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (Fd, fd_close, -1)

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
  char              *store_dir;
  char              *device_name;
  SecretRetrievable *item;
  char              *certificate_pem;
  KeyPem            *key_pem;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->store_dir);
  g_free (data->device_name);
  g_clear_object (&data->item);
  g_free (data->certificate_pem);
  g_clear_pointer (&data->key_pem, key_pem_free);
  g_free (data);
}

/* Whether @key_pem is the private key of @certificate_pem. A mismatch
 * would only show up as failing TLS handshakes, far from its cause. */
static gboolean
check_key_matches (const char  *certificate_pem,
                   const char  *key_pem,
                   GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  gnutls_datum_t in;
  guchar crt_id[64];
  guchar key_id[64];
  size_t crt_id_size = sizeof crt_id;
  size_t key_id_size = sizeof key_id;

  in.data = (unsigned char *) certificate_pem;
  in.size = strlen (certificate_pem);
  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &in, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_x509_crt_get_key_id (crt, 0, crt_id, &crt_id_size) < 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The stored certificate is malformed");
      return FALSE;
    }

  in.data = (unsigned char *) key_pem;
  in.size = strlen (key_pem);
  if (gnutls_x509_privkey_init (&key) < 0 ||
      gnutls_x509_privkey_import2 (key, &in, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 ||
      gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_size) < 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The stored private key is malformed");
      return FALSE;
    }

  if (crt_id_size != key_id_size || memcmp (crt_id, key_id, crt_id_size) != 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The stored private key does not belong to the stored certificate");
      return FALSE;
    }

  return TRUE;
}

static OpenIotIdentity *
identity_new (const char  *certificate_pem,
              const char  *key_pem,
              GError     **error)
{
  g_autoptr(OpenIotIdentity) self = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(KeyPem) both = NULL;

  if (!(der = _openiot_certificate_pem_to_der (certificate_pem, error)) ||
      !check_key_matches (certificate_pem, key_pem, error))
    return NULL;

  self = g_object_new (OPENIOT_TYPE_IDENTITY, NULL);
  self->certificate_pem = g_strdup (certificate_pem);
  self->fingerprint = openiot_fingerprint_from_der (der);
  self->name = _openiot_certificate_common_name (certificate_pem);
  if (self->name == NULL)
    self->name = g_strdup ("");

  both = g_strconcat (certificate_pem, "\n", key_pem, NULL);
  if (!(self->tls_certificate = g_tls_certificate_new_from_pem (both, -1, error)))
    return NULL;

  return g_steal_pointer (&self);
}

/* File keystore (store_dir != NULL), all of it in a worker thread. */

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
check_private (const struct stat  *st,
               const char         *path,
               gboolean            is_dir,
               GError            **error)
{
  if (is_dir ? !S_ISDIR (st->st_mode) : !S_ISREG (st->st_mode))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING,
                   "%s is not a %s", path, is_dir ? "directory" : "regular file");
      return FALSE;
    }

  if (st->st_uid != geteuid ())
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING,
                   "%s belongs to another user; the keystore must be this user's own",
                   path);
      return FALSE;
    }

  /* Refuse rather than repair: if others could read the key, it may have
   * been copied already, and only the owner can judge whether to make a
   * new identity. */
  if ((st->st_mode & 0077) != 0)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING,
                   "%s is accessible by other users (mode %04o). "
                   "Make it private with “chmod %s %s”, or remove the keystore "
                   "to make a new identity if others may have read the key",
                   path, (guint) (st->st_mode & 07777), is_dir ? "700" : "600", path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_all (int           fd,
           const char   *buf,
           gsize         len)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      buf += n;
      len -= n;
    }

  return TRUE;
}

/* Reads a small file whole into a buffer that is wiped on free, since it
 * may be the key. Returns NULL with errno set on failure. */
static KeyPem *
read_small_file (int          fd,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(KeyPem) buf = g_malloc0 (MAX_PEM_BYTES + 1);
  gsize len = 0;

  for (;;)
    {
      gssize n = read (fd, buf + len, MAX_PEM_BYTES + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno, "Could not read", path);
          return NULL;
        }
      if (n == 0)
        break;
      len += n;
      if (len > MAX_PEM_BYTES)
        {
          g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                       "%s is too large to be a PEM file", path);
          return NULL;
        }
    }

  if (memchr (buf, '\0', len) != NULL)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   "%s is not a PEM file", path);
      return NULL;
    }

  return g_steal_pointer (&buf);
}

static gboolean
write_new_file (const char  *dir,
                const char  *name,
                const char  *contents,
                int          mode,
                char       **tmp_path,
                GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s/.%s.XXXXXX", dir, name);
  g_auto(Fd) fd = -1;

  /* g_mkstemp_full() opens with O_CREAT | O_EXCL and @mode: the file is
   * born with its final permissions (the umask can only take bits away),
   * so the key is never readable by others, not even for an instant. */
  fd = g_mkstemp_full (path, O_WRONLY | O_CLOEXEC, mode);
  if (fd < 0)
    return set_errno_error (error, errno, "Could not create", path);

  *tmp_path = g_strdup (path);

  if (!write_all (fd, contents, strlen (contents)) || fsync (fd) != 0)
    return set_errno_error (error, errno, "Could not write", path);

  return TRUE;
}

static gboolean
create_files (const char  *dir,
              int          dir_fd,
              const char  *certificate_pem,
              const char  *key_pem,
              GError     **error)
{
  g_autofree char *cert_tmp = NULL;
  g_autofree char *key_tmp = NULL;
  g_autofree char *cert_path = g_build_filename (dir, CERTIFICATE_FILE, NULL);
  g_autofree char *key_path = g_build_filename (dir, KEY_FILE, NULL);
  gboolean ok = FALSE;

  /* The key goes in last: a key.pem always has its cert.pem, whenever
   * the device loses power. */
  if (write_new_file (dir, CERTIFICATE_FILE, certificate_pem, 0644, &cert_tmp, error) &&
      write_new_file (dir, KEY_FILE, key_pem, 0600, &key_tmp, error))
    {
      if (rename (cert_tmp, cert_path) != 0)
        set_errno_error (error, errno, "Could not create", cert_path);
      else if (rename (key_tmp, key_path) != 0)
        set_errno_error (error, errno, "Could not create", key_path);
      else
        ok = TRUE;
    }

  if (!ok)
    {
      if (cert_tmp != NULL)
        g_unlink (cert_tmp);
      if (key_tmp != NULL)
        g_unlink (key_tmp);
      return FALSE;
    }

  fsync (dir_fd);
  return TRUE;
}

static gboolean
open_store_dir (const char  *dir,
                int         *dir_fd_out,
                GError     **error)
{
  g_auto(Fd) dir_fd = -1;
  struct stat st;

  /* New directories are 0700 whatever the umask; an existing one is
   * checked, not changed (it may be one the user made for other things). */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, errno, "Could not create the keystore", dir);

  dir_fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0)
    return set_errno_error (error, errno, "Could not open the keystore", dir);

  if (fstat (dir_fd, &st) != 0)
    return set_errno_error (error, errno, "Could not open the keystore", dir);

  if (!check_private (&st, dir, TRUE, error))
    return FALSE;

  /* Two processes starting at once on a new device must not make two
   * identities and end up with one's key next to the other's certificate:
   * the directory itself is the lock. */
  while (flock (dir_fd, LOCK_EX) != 0)
    {
      if (errno != EINTR)
        return set_errno_error (error, errno, "Could not lock the keystore", dir);
    }

  *dir_fd_out = g_steal_fd (&dir_fd);
  return TRUE;
}

static OpenIotIdentity *
load_files (LoadData      *data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *key_path = g_build_filename (data->store_dir, KEY_FILE, NULL);
  g_autofree char *cert_path = g_build_filename (data->store_dir, CERTIFICATE_FILE, NULL);
  g_autoptr(KeyPem) key_pem = NULL;
  g_autoptr(KeyPem) certificate_pem = NULL;
  g_auto(Fd) dir_fd = -1;
  g_auto(Fd) key_fd = -1;
  g_auto(Fd) cert_fd = -1;
  g_autoptr(GError) local_error = NULL;
  OpenIotIdentity *identity;
  struct stat st;

  if (!open_store_dir (data->store_dir, &dir_fd, error))
    return NULL;

  key_fd = openat (dir_fd, KEY_FILE, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (key_fd < 0 && errno != ENOENT)
    return set_errno_error (error, errno, "Could not open", key_path), NULL;

  if (key_fd >= 0)
    {
      if (fstat (key_fd, &st) != 0)
        return set_errno_error (error, errno, "Could not open", key_path), NULL;
      if (!check_private (&st, key_path, FALSE, error))
        return NULL;
      if (!(key_pem = read_small_file (key_fd, key_path, error)))
        return NULL;

      cert_fd = openat (dir_fd, CERTIFICATE_FILE, O_RDONLY | O_CLOEXEC | O_NOCTTY);
      if (cert_fd < 0 && errno == ENOENT)
        {
          g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                       "%s is missing next to %s. Restore it, or remove both "
                       "to make a new identity", cert_path, key_path);
          return NULL;
        }
      if (cert_fd < 0)
        return set_errno_error (error, errno, "Could not open", cert_path), NULL;
      if (!(certificate_pem = read_small_file (cert_fd, cert_path, error)))
        return NULL;

      if (!(identity = identity_new (certificate_pem, key_pem, &local_error)))
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    "%s: ", data->store_dir);
      return identity;
    }

  /* First use: make the identity. A cert.pem without a key.pem is what an
   * interrupted creation leaves; it is replaced. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!_openiot_certificate_generate (data->device_name, VALID_DAYS,
                                      &key_pem, &certificate_pem, error))
    return NULL;

  if (!create_files (data->store_dir, dir_fd, certificate_pem, key_pem, error))
    return NULL;

  return identity_new (certificate_pem, key_pem, error);
}

static void
load_files_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  OpenIotIdentity *identity;

  if (g_task_return_error_if_cancelled (task))
    return;

  if ((identity = load_files (data, cancellable, &error)))
    g_task_return_pointer (task, identity, g_object_unref);
  else
    g_task_return_error (task, error);
}

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

  if ((identity = identity_new (certificate_pem, key_pem, &error)))
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
  if (!_openiot_certificate_generate (data->device_name, VALID_DAYS,
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
  g_autoptr(KeyPem) key_pem = NULL;
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

/**
 * openiot_identity_load_async:
 * @store_dir: (nullable) (type filename): a directory for an explicit file
 *   keystore, or %NULL for the Secret Service
 * @device_name: the device's name, the certificate's common name when the
 *   identity is created (1 to 64 bytes of UTF-8)
 * @cancellable: (nullable): a cancellable
 * @callback: called when the identity is ready
 * @user_data: data for @callback
 *
 * Loads this device's identity, creating it on first use.
 *
 * With @store_dir %NULL the private key is kept in the Secret Service
 * (gnome-keyring, KWallet, KeePassXC…), unlocking the default collection
 * (which may prompt) when it is locked. Without a Secret Service this
 * fails with %OPENIOT_ERROR_KEYRING; nothing is ever written to a file
 * instead.
 *
 * With @store_dir, the key is kept in `key.pem` (mode 0600) and the
 * certificate in `cert.pem` inside that directory (mode 0700, created if
 * missing). A key file or directory that other users may access is refused
 * with %OPENIOT_ERROR_KEYRING rather than used or repaired.
 *
 * An existing identity keeps the name it was created with: the fingerprint
 * registered with hubs must not change when the device is renamed.
 */
void
openiot_identity_load_async (const char          *store_dir,
                             const char          *device_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;
  GError *error = NULL;

  g_return_if_fail (device_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, openiot_identity_load_async);

  data = g_new0 (LoadData, 1);
  data->store_dir = g_strdup (store_dir);
  data->device_name = g_strdup (device_name);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (!_openiot_device_name_check (device_name, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (store_dir != NULL)
    {
      if (*store_dir == '\0')
        {
          g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                                   "The keystore directory name is empty");
          return;
        }
      g_task_run_in_thread (task, load_files_thread);
      return;
    }

  load_keyring (task);
}

/**
 * openiot_identity_load_finish:
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the identity, or %NULL with
 *   %OPENIOT_ERROR_KEYRING (no Secret Service, a locked keyring, a keystore
 *   others may read), %OPENIOT_ERROR_INVALID_DATA (a damaged keystore, a bad
 *   device name), a %G_IO_ERROR, or %G_IO_ERROR_CANCELLED
 */
OpenIotIdentity *
openiot_identity_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == openiot_identity_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * openiot_identity_get_name:
 * @self: an identity
 *
 * Returns: the certificate's common name, the device name given when the
 *   identity was created
 */
const char *
openiot_identity_get_name (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->name;
}

/**
 * openiot_identity_get_certificate_pem:
 * @self: an identity
 *
 * Returns: the client certificate in PEM, as sent when pairing
 */
const char *
openiot_identity_get_certificate_pem (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->certificate_pem;
}

/**
 * openiot_identity_get_fingerprint:
 * @self: an identity
 *
 * Returns: the certificate's fingerprint (`sha256:…`), by which hubs know
 *   this device
 */
const char *
openiot_identity_get_fingerprint (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->fingerprint;
}

/**
 * openiot_identity_get_tls_certificate:
 * @self: an identity
 *
 * The certificate together with its private key, for
 * `soup_message_set_tls_client_certificate()`.
 *
 * Returns: (transfer none): the certificate and key
 */
GTlsCertificate *
openiot_identity_get_tls_certificate (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->tls_certificate;
}

static void
openiot_identity_finalize (GObject *object)
{
  OpenIotIdentity *self = (OpenIotIdentity *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->certificate_pem, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (openiot_identity_parent_class)->finalize (object);
}

static void
openiot_identity_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OpenIotIdentity *self = OPENIOT_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_CERTIFICATE_PEM:
      g_value_set_string (value, self->certificate_pem);
      break;

    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;

    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_identity_class_init (OpenIotIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = openiot_identity_finalize;
  object_class->get_property = openiot_identity_get_property;

  /**
   * OpenIotIdentity:name: (getter get_name)
   *
   * The certificate's common name.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotIdentity:certificate-pem: (getter get_certificate_pem)
   *
   * The client certificate in PEM.
   */
  properties[PROP_CERTIFICATE_PEM] =
    g_param_spec_string ("certificate-pem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotIdentity:fingerprint: (getter get_fingerprint)
   *
   * The certificate's fingerprint.
   */
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotIdentity:tls-certificate: (getter get_tls_certificate)
   *
   * The certificate with its private key.
   */
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_identity_init (OpenIotIdentity *self)
{
}
