// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-address-list"

#include "config.h"

#include <string.h>

#include "openiot-address-list-private.h"

/*
 * A GSocketConnectable over a hub's known addresses, in order. Handed to a
 * SoupSession as its remote-connectable, it lets GSocketClient race them
 * with staggered attempts (its Happy-Eyeballs logic), while URLs keep the
 * fixed host name hub.invalid (an IPv6 literal as TLS server name breaks
 * GnuTLS servers; the pin, not the name, authenticates the hub).
 */
struct _OpenIotAddressList
{
  GObject    parent_instance;

  GPtrArray *addresses; /* GSocketAddress */
};

static void connectable_iface_init (GSocketConnectableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OpenIotAddressList, _openiot_address_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_SOCKET_CONNECTABLE,
                                                      connectable_iface_init))

#define OPENIOT_TYPE_ADDRESS_LIST_ENUMERATOR (openiot_address_list_enumerator_get_type ())
G_DECLARE_FINAL_TYPE (OpenIotAddressListEnumerator, openiot_address_list_enumerator,
                      OPENIOT, ADDRESS_LIST_ENUMERATOR, GSocketAddressEnumerator)

struct _OpenIotAddressListEnumerator
{
  GSocketAddressEnumerator  parent_instance;

  GPtrArray                *addresses;
  guint                     next;
};

G_DEFINE_FINAL_TYPE (OpenIotAddressListEnumerator, openiot_address_list_enumerator,
                     G_TYPE_SOCKET_ADDRESS_ENUMERATOR)

static GSocketAddress *
enumerator_next (GSocketAddressEnumerator  *enumerator,
                 GCancellable              *cancellable,
                 GError                   **error)
{
  OpenIotAddressListEnumerator *self = (OpenIotAddressListEnumerator *) enumerator;

  /* GSocketClient wants an error, not an empty enumeration */
  if (self->addresses->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "No address of the hub is known");
      return NULL;
    }

  if (self->next >= self->addresses->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->addresses, self->next++));
}

static void
enumerator_next_async (GSocketAddressEnumerator *enumerator,
                       GCancellable             *cancellable,
                       GAsyncReadyCallback       callback,
                       gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (enumerator, cancellable, callback, user_data);
  GSocketAddress *address;
  GError *error = NULL;

  g_task_set_source_tag (task, enumerator_next_async);
  address = enumerator_next (enumerator, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, address, g_object_unref);
}

static GSocketAddress *
enumerator_next_finish (GSocketAddressEnumerator  *enumerator,
                        GAsyncResult              *result,
                        GError                   **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
openiot_address_list_enumerator_finalize (GObject *object)
{
  g_ptr_array_unref (((OpenIotAddressListEnumerator *) object)->addresses);

  G_OBJECT_CLASS (openiot_address_list_enumerator_parent_class)->finalize (object);
}

static void
openiot_address_list_enumerator_class_init (OpenIotAddressListEnumeratorClass *klass)
{
  GSocketAddressEnumeratorClass *enumerator_class = G_SOCKET_ADDRESS_ENUMERATOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = openiot_address_list_enumerator_finalize;
  enumerator_class->next = enumerator_next;
  enumerator_class->next_async = enumerator_next_async;
  enumerator_class->next_finish = enumerator_next_finish;
}

static void
openiot_address_list_enumerator_init (OpenIotAddressListEnumerator *self)
{
}

static GSocketAddressEnumerator *
address_list_enumerate (GSocketConnectable *connectable)
{
  OpenIotAddressListEnumerator *enumerator = g_object_new (OPENIOT_TYPE_ADDRESS_LIST_ENUMERATOR,
                                                           NULL);

  enumerator->addresses = g_ptr_array_ref (OPENIOT_ADDRESS_LIST (connectable)->addresses);
  return G_SOCKET_ADDRESS_ENUMERATOR (enumerator);
}

static void
connectable_iface_init (GSocketConnectableIface *iface)
{
  iface->enumerate = address_list_enumerate;
}

OpenIotAddressList *
_openiot_address_list_new (const char * const *addresses,
                           guint16             port)
{
  OpenIotAddressList *self = g_object_new (OPENIOT_TYPE_ADDRESS_LIST, NULL);

  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      GSocketAddress *address = g_inet_socket_address_new_from_string (addresses[i], port);

      if (address != NULL)
        g_ptr_array_add (self->addresses, address);
    }

  return self;
}

/* Where an address leads: 0 for this network (loopback, link-local,
 * unique-local, private IPv4), 1 for the Internet. */
guint
_openiot_address_distance (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_link_local (address) ||
      g_inet_address_get_is_site_local (address))
    return 0;
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 && (bytes[0] & 0xfe) == 0xfc)
    return 0;  /* fc00::/7, unique local */
  return 1;
}

static guint
address_rank (const char *address,
              const char *last_good)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *bare = g_strndup (address, strcspn (address, "%"));

  if (last_good != NULL && g_str_equal (address, last_good))
    return 0;
  if (!(inet = g_inet_address_new_from_string (bare)))
    return 3;
  return 1 + _openiot_address_distance (inet);
}

/*
 * _openiot_address_list_order:
 * @last_good: (nullable): the address that answered last time
 *
 * The order in which to try a hub's addresses: the last good one first,
 * then this network's, then the Internet's (the global address handed out
 * at registration). GSocketClient starts the next attempt 250 ms after
 * the previous one, so a dead first choice costs a quarter second.
 */
GStrv
_openiot_address_list_order (const char * const *addresses,
                             const char         *last_good)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint rank = 0; rank <= 3; rank++)
    for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
      if (address_rank (addresses[i], last_good) == rank)
        g_strv_builder_add (builder, addresses[i]);

  return g_strv_builder_end (builder);
}

static void
_openiot_address_list_finalize (GObject *object)
{
  g_ptr_array_unref (OPENIOT_ADDRESS_LIST (object)->addresses);

  G_OBJECT_CLASS (_openiot_address_list_parent_class)->finalize (object);
}

static void
_openiot_address_list_class_init (OpenIotAddressListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = _openiot_address_list_finalize;
}

static void
_openiot_address_list_init (OpenIotAddressList *self)
{
  self->addresses = g_ptr_array_new_with_free_func (g_object_unref);
}
