// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <gio/gio.h>

#include "openiot-hubd-addresses.h"

/*
 * The hub's IPv6 addresses, as registration and the admin socket hand them
 * out (docs/protocol.md, "Addresses"): the admin's --public-address first,
 * in the admin's order, then the interfaces' own, global before ULA before
 * link-local. Clients try them in this order, so the ones that work from
 * anywhere come first.
 */

/**
 * openiot_hubd_address_new:
 * @address: an IPv6 address, with `%interface` if link-local
 * @scope: its scope
 *
 * Returns: (transfer full): a new #OpenIotHubdAddress
 */
OpenIotHubdAddress *
openiot_hubd_address_new (const char             *address,
                         OpenIotHubdAddressScope  scope)
{
  OpenIotHubdAddress *self;

  g_return_val_if_fail (address != NULL, NULL);

  self = g_new0 (OpenIotHubdAddress, 1);
  self->address = g_strdup (address);
  self->scope = scope;
  return self;
}

void
openiot_hubd_address_free (OpenIotHubdAddress *address)
{
  if (address == NULL)
    return;

  g_free (address->address);
  g_free (address);
}

/**
 * openiot_hubd_address_scope_to_string:
 * @scope: a scope
 *
 * Returns: the scope's name on the wire: `global`, `ula` or `link`
 */
const char *
openiot_hubd_address_scope_to_string (OpenIotHubdAddressScope scope)
{
  switch (scope)
    {
    case OPENIOT_HUBD_ADDRESS_GLOBAL:
      return "global";
    case OPENIOT_HUBD_ADDRESS_ULA:
      return "ula";
    case OPENIOT_HUBD_ADDRESS_LINK:
      return "link";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* FALSE for addresses no client can use to reach the hub: loopback,
 * unspecified, multicast, IPv4-mapped, the old site-local fec0::/10. */
static gboolean
classify (const guint8           *bytes,
          OpenIotHubdAddressScope *scope)
{
  if ((bytes[0] & 0xe0) == 0x20)
    *scope = OPENIOT_HUBD_ADDRESS_GLOBAL;
  else if ((bytes[0] & 0xfe) == 0xfc)
    *scope = OPENIOT_HUBD_ADDRESS_ULA;
  else if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80)
    *scope = OPENIOT_HUBD_ADDRESS_LINK;
  else
    return FALSE;

  return TRUE;
}

/* An interface name as a zone: what Linux allows in one, and nothing that
 * would need escaping in a pairing link (RFC 6874 unreserved). */
static gboolean
is_zone (const char *zone)
{
  gsize len = strlen (zone);

  if (len == 0 || len >= IF_NAMESIZE)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (zone[i]) && strchr ("-._~", zone[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* A public address in canonical form (so that it matches the same address
 * found on an interface), or NULL with an error saying what is wrong. */
static OpenIotHubdAddress *
parse_public_address (const char  *text,
                      GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *bare = g_strdup (text);
  g_autofree char *canonical = NULL;
  OpenIotHubdAddressScope scope;
  char *zone = strchr (bare, '%');

  if (zone != NULL)
    *zone++ = '\0';

  inet = g_inet_address_new_from_string (bare);
  if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The public address “%s” is not an IPv6 address", text);
      return NULL;
    }

  if (!classify (g_inet_address_to_bytes (inet), &scope))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The public address “%s” is not a global, ULA or link-local address "
                   "clients could reach", text);
      return NULL;
    }

  canonical = g_inet_address_to_string (inet);

  /* A link-local address means nothing without its link: the client must
   * know which interface it was meant for (and the hub lists its own
   * link-local addresses with one). */
  if (scope == OPENIOT_HUBD_ADDRESS_LINK && zone == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The public address “%s” is link-local; add its interface, as in %s%%eth0",
                   text, canonical);
      return NULL;
    }

  if (zone != NULL && scope != OPENIOT_HUBD_ADDRESS_LINK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The public address “%s” has an interface (“%%…”), which only a "
                   "link-local address takes", text);
      return NULL;
    }

  if (zone != NULL && !is_zone (zone))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The interface of the public address “%s” must be a plain interface name "
                   "(letters, digits, “-”, “.”, “_”) of at most %d characters",
                   text, IF_NAMESIZE - 1);
      return NULL;
    }

  if (zone != NULL)
    {
      g_autofree char *scoped = g_strconcat (canonical, "%", zone, NULL);

      return openiot_hubd_address_new (scoped, scope);
    }

  return openiot_hubd_address_new (canonical, scope);
}

/* Interface addresses in getifaddrs() order, one array per scope. Loopback
 * interfaces and interfaces that are down are left out: no client reaches
 * the hub through them. */
static void
collect_interfaces (GPtrArray *by_scope[])
{
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    {
      int saved_errno = errno;

      g_message ("Cannot list the network interfaces (%s); only public addresses are handed out",
                 g_strerror (saved_errno));
      return;
    }

  for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
    {
      const struct sockaddr_in6 *sin6;
      g_autoptr(GInetAddress) inet = NULL;
      g_autofree char *text = NULL;
      OpenIotHubdAddressScope scope;

      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET6 ||
          (ifa->ifa_flags & IFF_LOOPBACK) != 0 || (ifa->ifa_flags & IFF_UP) == 0)
        continue;

      sin6 = (const struct sockaddr_in6 *) ifa->ifa_addr;
      if (!classify (sin6->sin6_addr.s6_addr, &scope))
        continue;

      inet = g_inet_address_new_from_bytes (sin6->sin6_addr.s6_addr, G_SOCKET_FAMILY_IPV6);
      text = g_inet_address_to_string (inet);
      if (scope == OPENIOT_HUBD_ADDRESS_LINK)
        {
          g_autofree char *bare = g_steal_pointer (&text);

          /* The name becomes the zone in pairing links, which take only
           * plain names (Linux allows nearly anything in one). */
          if (!is_zone (ifa->ifa_name))
            {
              g_debug ("Leaving out %s: its interface name cannot be a zone", bare);
              continue;
            }

          text = g_strdup_printf ("%s%%%s", bare, ifa->ifa_name);
        }

      g_ptr_array_add (by_scope[scope], openiot_hubd_address_new (text, scope));
    }

  freeifaddrs (list);
}

static void
add_unseen (GPtrArray         *addresses,
            GHashTable        *seen,
            OpenIotHubdAddress *address)
{
  if (g_hash_table_add (seen, g_strdup (address->address)))
    g_ptr_array_add (addresses, address);
  else
    openiot_hubd_address_free (address);
}

/**
 * openiot_hubd_addresses_collect:
 * @public_addresses: (nullable) (array zero-terminated=1): the addresses
 *   the admin says clients reach the hub at (`--public-address`)
 * @error: return location for a #GError
 *
 * The hub's addresses for clients: @public_addresses first, in their
 * order, then the IPv6 addresses of the machine's interfaces, global, ULA,
 * then link-local (each with its `%interface`). Each address appears once.
 *
 * Returns: (transfer full) (element-type OpenIotHubdAddress): the
 *   addresses, or %NULL with %G_IO_ERROR_INVALID_ARGUMENT if a public
 *   address is not a usable IPv6 address
 */
GPtrArray *
openiot_hubd_addresses_collect (const char * const  *public_addresses,
                               GError             **error)
{
  g_autoptr(GPtrArray) addresses =
    g_ptr_array_new_with_free_func ((GDestroyNotify) openiot_hubd_address_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) global = g_ptr_array_new ();
  g_autoptr(GPtrArray) ula = g_ptr_array_new ();
  g_autoptr(GPtrArray) link = g_ptr_array_new ();
  GPtrArray *by_scope[] = {
    [OPENIOT_HUBD_ADDRESS_GLOBAL] = global,
    [OPENIOT_HUBD_ADDRESS_ULA] = ula,
    [OPENIOT_HUBD_ADDRESS_LINK] = link,
  };

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (guint i = 0; public_addresses != NULL && public_addresses[i] != NULL; i++)
    {
      OpenIotHubdAddress *address = parse_public_address (public_addresses[i], error);

      if (address == NULL)
        return NULL;
      add_unseen (addresses, seen, address);
    }

  collect_interfaces (by_scope);
  for (guint s = 0; s < G_N_ELEMENTS (by_scope); s++)
    {
      for (guint i = 0; i < by_scope[s]->len; i++)
        add_unseen (addresses, seen, g_ptr_array_index (by_scope[s], i));
    }

  return g_steal_pointer (&addresses);
}

/**
 * openiot_hubd_addresses_to_json:
 * @addresses: (element-type OpenIotHubdAddress): addresses
 *
 * Returns: (transfer full): the wire form, `[{"address", "scope"}, …]`
 */
JsonNode *
openiot_hubd_addresses_to_json (GPtrArray *addresses)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (addresses != NULL, NULL);

  json_builder_begin_array (builder);
  for (guint i = 0; i < addresses->len; i++)
    {
      OpenIotHubdAddress *address = g_ptr_array_index (addresses, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address->address);
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder,
                                     openiot_hubd_address_scope_to_string (address->scope));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}
