// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"
#define _GNU_SOURCE /* O_PATH */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gio/gunixsocketaddress.h>

#include "openiot-hubd-service-socket.h"

#define SOCKET_NAME "interface.sock"

/*
 * Where the proxy connects for a service: <services-dir>/<id>/interface.sock,
 * found without following a symlink below the services directory (issue
 * 16, finding 8). A service that made its socket a symlink to the hub's
 * admin.sock, or its directory a symlink out of the services directory,
 * had the hub connect there on a client's behalf — and the admin socket
 * trusts the hub's own uid. So each connection opens the service's
 * directory and then its socket with O_NOFOLLOW, requires a socket, and
 * connects through /proc/self/fd/N, the inode just checked: renaming
 * things meanwhile changes nothing. openiot_hubd_service_socket_check_peer()
 * then refuses a peer that is the hub itself (a hard link to admin.sock
 * has no symlink to refuse).
 */
struct _OpenIotHubdServiceSocket
{
  GObject  parent_instance;

  char    *services_dir;
  char    *service_id;
};

static void openiot_hubd_service_socket_connectable_init (GSocketConnectableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OpenIotHubdServiceSocket, openiot_hubd_service_socket, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_SOCKET_CONNECTABLE,
                                                      openiot_hubd_service_socket_connectable_init))

/* One address per connection attempt; it holds the O_PATH descriptor its
 * address names until GSocketClient is done with it. */
typedef struct
{
  GSocketAddressEnumerator  parent_instance;

  OpenIotHubdServiceSocket  *socket;
  int                       fd;
  gboolean                  done;
} ServiceSocketEnumerator;

typedef GSocketAddressEnumeratorClass ServiceSocketEnumeratorClass;

static GType service_socket_enumerator_get_type (void);
G_DEFINE_TYPE (ServiceSocketEnumerator, service_socket_enumerator, G_TYPE_SOCKET_ADDRESS_ENUMERATOR)

static int
open_below (int         dir_fd,
            const char *name,
            int         flags,
            mode_t      type,
            GError    **error)
{
  struct stat st;
  int fd = openat (dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC | flags);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR,
                   saved == ELOOP ? G_IO_ERROR_NOT_REGULAR_FILE : g_io_error_from_errno (saved),
                   "%s: %s", name, saved == ELOOP ? "a symlink, not followed" : g_strerror (saved));
      return -1;
    }
  /* O_PATH | O_NOFOLLOW opens a symlink itself: its type gives it away */
  if (fstat (fd, &st) < 0 || (st.st_mode & S_IFMT) != type)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "%s: not a %s", name, type == S_IFSOCK ? "socket" : "directory");
      close (fd);
      return -1;
    }
  return fd;
}

static int
open_service_socket (OpenIotHubdServiceSocket  *self,
                     GError                  **error)
{
  int services_fd = open (self->services_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  int service_fd, fd;

  if (services_fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", self->services_dir,
                   g_strerror (saved));
      return -1;
    }
  service_fd = open_below (services_fd, self->service_id, O_DIRECTORY, S_IFDIR, error);
  close (services_fd);
  if (service_fd < 0)
    return -1;
  fd = open_below (service_fd, SOCKET_NAME, 0, S_IFSOCK, error);
  close (service_fd);
  return fd;
}

static GSocketAddress *
service_socket_enumerator_next (GSocketAddressEnumerator  *enumerator,
                                GCancellable              *cancellable,
                                GError                   **error)
{
  ServiceSocketEnumerator *self = (ServiceSocketEnumerator *) enumerator;
  g_autofree char *path = NULL;

  if (self->done)
    return NULL;
  self->done = TRUE;

  if ((self->fd = open_service_socket (self->socket, error)) < 0)
    return NULL;

  path = g_strdup_printf ("/proc/self/fd/%d", self->fd);
  return g_unix_socket_address_new (path);
}

static void
service_socket_enumerator_finalize (GObject *object)
{
  ServiceSocketEnumerator *self = (ServiceSocketEnumerator *) object;

  if (self->fd >= 0)
    close (self->fd);
  g_clear_object (&self->socket);

  G_OBJECT_CLASS (service_socket_enumerator_parent_class)->finalize (object);
}

static void
service_socket_enumerator_class_init (ServiceSocketEnumeratorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = service_socket_enumerator_finalize;
  /* the parent's next_async() runs next(): a few system calls, no waiting */
  klass->next = service_socket_enumerator_next;
}

static void
service_socket_enumerator_init (ServiceSocketEnumerator *self)
{
  self->fd = -1;
}

static GSocketAddressEnumerator *
openiot_hubd_service_socket_enumerate (GSocketConnectable *connectable)
{
  ServiceSocketEnumerator *enumerator = g_object_new (service_socket_enumerator_get_type (), NULL);

  enumerator->socket = g_object_ref (OPENIOT_HUBD_SERVICE_SOCKET (connectable));
  return G_SOCKET_ADDRESS_ENUMERATOR (enumerator);
}

static char *
openiot_hubd_service_socket_to_string (GSocketConnectable *connectable)
{
  OpenIotHubdServiceSocket *self = OPENIOT_HUBD_SERVICE_SOCKET (connectable);

  return g_build_filename (self->services_dir, self->service_id, SOCKET_NAME, NULL);
}

static void
openiot_hubd_service_socket_connectable_init (GSocketConnectableIface *iface)
{
  iface->enumerate = openiot_hubd_service_socket_enumerate;
  iface->to_string = openiot_hubd_service_socket_to_string;
}

/* Whether @service_id is a directory right in @services_dir, not a
 * symlink to one elsewhere. */
gboolean
openiot_hubd_service_socket_dir_exists (const char *services_dir,
                                       const char *service_id)
{
  int services_fd = open (services_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  struct stat st;
  gboolean exists;

  if (services_fd < 0)
    return FALSE;
  exists = fstatat (services_fd, service_id, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR (st.st_mode);
  close (services_fd);
  return exists;
}

/*
 * openiot_hubd_service_socket_check_peer:
 *
 * Refuses a connection whose peer is the hub's own process: the admin
 * socket, or any other the hub listens on.
 */
gboolean
openiot_hubd_service_socket_check_peer (GSocket  *socket,
                                        GError  **error)
{
  g_autoptr(GCredentials) credentials = g_socket_get_credentials (socket, NULL);

  if (credentials == NULL || g_credentials_get_unix_pid (credentials, NULL) == getpid ())
    {
      g_warning ("A service socket leads back to the hub itself (or its peer is unknown): refused");
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "the socket leads back to the hub itself");
      return FALSE;
    }
  return TRUE;
}

GSocketConnectable *
openiot_hubd_service_socket_new (const char *services_dir,
                                const char *service_id)
{
  OpenIotHubdServiceSocket *self = g_object_new (OPENIOT_TYPE_HUBD_SERVICE_SOCKET, NULL);

  self->services_dir = g_strdup (services_dir);
  self->service_id = g_strdup (service_id);
  return G_SOCKET_CONNECTABLE (self);
}

static void
openiot_hubd_service_socket_finalize (GObject *object)
{
  OpenIotHubdServiceSocket *self = OPENIOT_HUBD_SERVICE_SOCKET (object);

  g_free (self->services_dir);
  g_free (self->service_id);

  G_OBJECT_CLASS (openiot_hubd_service_socket_parent_class)->finalize (object);
}

static void
openiot_hubd_service_socket_class_init (OpenIotHubdServiceSocketClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hubd_service_socket_finalize;
}

static void
openiot_hubd_service_socket_init (OpenIotHubdServiceSocket *self)
{
}
