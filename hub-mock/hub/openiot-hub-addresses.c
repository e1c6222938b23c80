// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <gio/gio.h>

#include "openiot-hub-addresses.h"

/*
 * The hub's IPv6 addresses, as registration hands them to clients
 * (docs/protocol.md, "Addresses"): the admin's --public-address first, then
 * the interfaces' own, global before ULA before link-local.
 */

void
openiot_hub_address_free (OpenIotHubAddress *address)
{
  g_free (address->address);
  g_free (address);
}

const char *
openiot_hub_address_scope_to_string (OpenIotHubAddressScope scope)
{
  switch (scope)
    {
    case OPENIOT_HUB_ADDRESS_GLOBAL: return "global";
    case OPENIOT_HUB_ADDRESS_ULA: return "ula";
    case OPENIOT_HUB_ADDRESS_LINK: return "link";
    default: g_assert_not_reached ();
    }
}

/* Returns FALSE for addresses clients cannot use (loopback, multicast,
 * unspecified, v4-mapped). */
static gboolean
classify (const guint8           *bytes,
          OpenIotHubAddressScope *scope)
{
  if ((bytes[0] & 0xe0) == 0x20)
    *scope = OPENIOT_HUB_ADDRESS_GLOBAL;       /* 2000::/3 */
  else if ((bytes[0] & 0xfe) == 0xfc)
    *scope = OPENIOT_HUB_ADDRESS_ULA;          /* fc00::/7 */
  else if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80)
    *scope = OPENIOT_HUB_ADDRESS_LINK;         /* fe80::/10 */
  else
    return FALSE;

  return TRUE;
}

static void
add_address (GPtrArray              *addresses,
             GHashTable             *seen,
             const char             *text,
             OpenIotHubAddressScope  scope)
{
  OpenIotHubAddress *address;

  if (!g_hash_table_add (seen, g_strdup (text)))
    return;

  address = g_new0 (OpenIotHubAddress, 1);
  address->address = g_strdup (text);
  address->scope = scope;
  g_ptr_array_add (addresses, address);
}

static gint
compare_scope (gconstpointer a,
               gconstpointer b)
{
  const OpenIotHubAddress *x = *(OpenIotHubAddress **) a;
  const OpenIotHubAddress *y = *(OpenIotHubAddress **) b;

  return (int) x->scope - (int) y->scope;
}

static void
collect_interfaces (GPtrArray  *addresses,
                    GHashTable *seen)
{
  struct ifaddrs *list = NULL;

  if (getifaddrs (&list) != 0)
    return;

  for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
    {
      const struct sockaddr_in6 *sin6;
      g_autoptr(GInetAddress) inet = NULL;
      g_autofree char *text = NULL;
      OpenIotHubAddressScope scope;

      if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET6 || (ifa->ifa_flags & IFF_LOOPBACK))
        continue;

      sin6 = (const struct sockaddr_in6 *) ifa->ifa_addr;
      if (!classify (sin6->sin6_addr.s6_addr, &scope))
        continue;

      inet = g_inet_address_new_from_bytes (sin6->sin6_addr.s6_addr, G_SOCKET_FAMILY_IPV6);
      text = g_inet_address_to_string (inet);
      if (scope == OPENIOT_HUB_ADDRESS_LINK)
        {
          char *scoped = g_strdup_printf ("%s%%%s", text, ifa->ifa_name);

          g_free (text);
          text = scoped;
        }
      add_address (addresses, seen, text, scope);
    }

  freeifaddrs (list);
}

/*
 * openiot_hub_addresses_collect:
 * @public_addresses: (nullable): addresses the admin says clients reach
 *
 * Returns: (transfer full): #OpenIotHubAddress, or %NULL if a public
 *   address is not a usable IPv6 address
 */
GPtrArray *
openiot_hub_addresses_collect (const char * const  *public_addresses,
                               GError             **error)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) openiot_hub_address_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) openiot_hub_address_free);

  for (guint i = 0; public_addresses != NULL && public_addresses[i] != NULL; i++)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (public_addresses[i]);
      g_autofree char *canonical = NULL;
      OpenIotHubAddressScope scope;

      if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6 ||
          !classify (g_inet_address_to_bytes (inet), &scope))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "--public-address %s is not a global, ULA or link-local IPv6 address",
                       public_addresses[i]);
          return NULL;
        }

      canonical = g_inet_address_to_string (inet);
      add_address (addresses, seen, canonical, scope);
    }

  collect_interfaces (found, seen);
  g_ptr_array_sort (found, compare_scope);
  while (found->len > 0)
    g_ptr_array_add (addresses, g_ptr_array_steal_index (found, 0));

  return g_steal_pointer (&addresses);
}

JsonNode *
openiot_hub_addresses_to_json (GPtrArray *addresses)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < addresses->len; i++)
    {
      OpenIotHubAddress *address = g_ptr_array_index (addresses, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address->address);
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, openiot_hub_address_scope_to_string (address->scope));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}
