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

#include "openiot-certificate-private.h"
#include "openiot-error.h"
#include "openiot-identity-private.h"

#include "openiot-identity-file-store-private.h"

/* File keystore (store_dir != NULL), all of it in a worker thread. */

/* A PEM key or certificate of ours is about a kilobyte; a file much larger
 * is not one of ours, and is not read into memory. */
#define MAX_PEM_BYTES (64 * 1024)

#define KEY_FILE "key.pem"
#define CERTIFICATE_FILE "cert.pem"

/* A file descriptor closed on scope exit (g_autofd is GLib 2.76). */
typedef int Fd;

static void
fd_close (Fd fd)
{
  close (fd);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (Fd, fd_close, -1)

typedef struct
{
  char *store_dir;
  char *device_name;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->store_dir);
  g_free (data->device_name);
  g_free (data);
}

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
static OpenIotKeyPem *
read_small_file (int          fd,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(OpenIotKeyPem) buf = g_malloc0 (MAX_PEM_BYTES + 1);
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
  g_autoptr(OpenIotKeyPem) key_pem = NULL;
  g_autoptr(OpenIotKeyPem) certificate_pem = NULL;
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

      if (!(identity = _openiot_identity_new (certificate_pem, key_pem, &local_error)))
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    "%s: ", data->store_dir);
      return identity;
    }

  /* First use: make the identity. A cert.pem without a key.pem is what an
   * interrupted creation leaves; it is replaced. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (!_openiot_certificate_generate (data->device_name, OPENIOT_IDENTITY_VALID_DAYS,
                                      &key_pem, &certificate_pem, error))
    return NULL;

  if (!create_files (data->store_dir, dir_fd, certificate_pem, key_pem, error))
    return NULL;

  return _openiot_identity_new (certificate_pem, key_pem, error);
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

void
_openiot_identity_file_store_load (GTask      *task,
                                   const char *store_dir,
                                   const char *device_name)
{
  LoadData *data;

  data = g_new0 (LoadData, 1);
  data->store_dir = g_strdup (store_dir);
  data->device_name = g_strdup (device_name);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  g_task_run_in_thread (task, load_files_thread);
}
