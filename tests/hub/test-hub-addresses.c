// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "openiot-hubd-addresses.h"

static OpenIotHubdAddress *
address_at (GPtrArray *addresses,
            guint      i)
{
  g_assert_cmpuint (i, <, addresses->len);
  return g_ptr_array_index (addresses, i);
}

/* What holds for any machine's interfaces: after the first @n_public, the
 * scopes never go back (global, ULA, link), link-local ones carry their
 * interface, nothing repeats, and loopback is never handed out. */
static void
assert_well_formed (GPtrArray *addresses,
                    guint      n_public)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < addresses->len; i++)
    {
      OpenIotHubdAddress *address = address_at (addresses, i);

      g_assert_true (g_hash_table_add (seen, address->address));
      g_assert_cmpstr (address->address, !=, "::1");
      g_assert_cmpint (address->scope, >=, OPENIOT_HUBD_ADDRESS_GLOBAL);
      g_assert_cmpint (address->scope, <=, OPENIOT_HUBD_ADDRESS_LINK);
      g_assert_cmpint (strchr (address->address, '%') != NULL, ==,
                       address->scope == OPENIOT_HUBD_ADDRESS_LINK);

      if (i > n_public)
        g_assert_cmpint (address_at (addresses, i - 1)->scope, <=, address->scope);
    }
}

static void
test_scope_to_string (void)
{
  g_assert_cmpstr (openiot_hubd_address_scope_to_string (OPENIOT_HUBD_ADDRESS_GLOBAL), ==,
                   "global");
  g_assert_cmpstr (openiot_hubd_address_scope_to_string (OPENIOT_HUBD_ADDRESS_ULA), ==, "ula");
  g_assert_cmpstr (openiot_hubd_address_scope_to_string (OPENIOT_HUBD_ADDRESS_LINK), ==, "link");
}

static void
test_public_first (void)
{
  const char *public_addresses[] = { "2001:db8::10", "fd00::1", "fe80::1%lo", NULL };
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) error = NULL;

  addresses = openiot_hubd_addresses_collect (public_addresses, &error);
  g_assert_no_error (error);
  g_assert_nonnull (addresses);

  g_assert_cmpuint (addresses->len, >=, 3);
  g_assert_cmpstr (address_at (addresses, 0)->address, ==, "2001:db8::10");
  g_assert_cmpint (address_at (addresses, 0)->scope, ==, OPENIOT_HUBD_ADDRESS_GLOBAL);
  g_assert_cmpstr (address_at (addresses, 1)->address, ==, "fd00::1");
  g_assert_cmpint (address_at (addresses, 1)->scope, ==, OPENIOT_HUBD_ADDRESS_ULA);
  g_assert_cmpstr (address_at (addresses, 2)->address, ==, "fe80::1%lo");
  g_assert_cmpint (address_at (addresses, 2)->scope, ==, OPENIOT_HUBD_ADDRESS_LINK);

  assert_well_formed (addresses, 3);
}

static void
test_scopes (void)
{
  struct {
    const char             *given;
    const char             *address;
    OpenIotHubdAddressScope  scope;
  } cases[] = {
    { "2000::1", "2000::1", OPENIOT_HUBD_ADDRESS_GLOBAL },
    { "3fff:ffff::1", "3fff:ffff::1", OPENIOT_HUBD_ADDRESS_GLOBAL },
    { "2001:DB8:0:0::0010", "2001:db8::10", OPENIOT_HUBD_ADDRESS_GLOBAL },
    { "fc00::1", "fc00::1", OPENIOT_HUBD_ADDRESS_ULA },
    { "fdff:ffff::1", "fdff:ffff::1", OPENIOT_HUBD_ADDRESS_ULA },
    { "fe80::1%eth0", "fe80::1%eth0", OPENIOT_HUBD_ADDRESS_LINK },
    { "FEBF::1%wlan0", "febf::1%wlan0", OPENIOT_HUBD_ADDRESS_LINK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *public_addresses[] = { cases[i].given, NULL };
      g_autoptr(GPtrArray) addresses = NULL;
      g_autoptr(GError) error = NULL;

      addresses = openiot_hubd_addresses_collect (public_addresses, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (address_at (addresses, 0)->address, ==, cases[i].address);
      g_assert_cmpint (address_at (addresses, 0)->scope, ==, cases[i].scope);
    }
}

static void
test_public_order_kept (void)
{
  /* The admin's order stands, even against the scopes' order, and a
   * repeat (in another spelling too) is dropped. */
  const char *public_addresses[] = { "fe80::1%lo", "fd00::1", "2001:db8::10", "FD00:0::1",
                                    "2001:db8::10", NULL };
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GError) error = NULL;

  addresses = openiot_hubd_addresses_collect (public_addresses, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (address_at (addresses, 0)->address, ==, "fe80::1%lo");
  g_assert_cmpstr (address_at (addresses, 1)->address, ==, "fd00::1");
  g_assert_cmpstr (address_at (addresses, 2)->address, ==, "2001:db8::10");
  assert_well_formed (addresses, 3);
}

static void
test_interfaces (void)
{
  g_autoptr(GPtrArray) addresses = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  const char *public_addresses[2] = { NULL, NULL };

  addresses = openiot_hubd_addresses_collect (NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < addresses->len; i++)
    g_test_message ("%s (%s)", address_at (addresses, i)->address,
                    openiot_hubd_address_scope_to_string (address_at (addresses, i)->scope));
  assert_well_formed (addresses, 0);

  if (addresses->len == 0)
    {
      g_test_skip ("No IPv6 address on this machine's interfaces");
      return;
    }

  /* An interface's address given as public comes first, and only once. */
  public_addresses[0] = address_at (addresses, addresses->len - 1)->address;
  again = openiot_hubd_addresses_collect (public_addresses, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, addresses->len);
  g_assert_cmpstr (address_at (again, 0)->address, ==, public_addresses[0]);
  assert_well_formed (again, 1);
}

static void
test_invalid (void)
{
  const char *invalid[] = {
    "",
    "garbage",
    "192.0.2.10",          /* IPv4 */
    "[2001:db8::10]",      /* brackets are for URIs */
    "2001:db8::10::1",     /* two "::" */
    "::1",                 /* loopback */
    "::",                  /* unspecified */
    "ff02::1",             /* multicast */
    "fec0::1",             /* site-local, deprecated */
    "::ffff:192.0.2.10",   /* IPv4-mapped */
    "fe80::1",             /* link-local without its interface */
    "fe80::1%",            /* empty interface */
    "fe80::1%eth0/64",     /* a prefix length is not an interface */
    "fe80::1%averyveryverylongname",
    "2001:db8::10%eth0",   /* an interface on a global address */
    "fd00::1%eth0",        /* an interface on a ULA */
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      const char *public_addresses[] = { "2001:db8::1", invalid[i], NULL };
      g_autoptr(GPtrArray) addresses = NULL;
      g_autoptr(GError) error = NULL;

      addresses = openiot_hubd_addresses_collect (public_addresses, &error);
      g_test_message ("“%s”: %s", invalid[i], error ? error->message : "(accepted)");
      g_assert_null (addresses);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      /* the message names the culprit, so the admin can find it */
      g_assert_nonnull (strstr (error->message, invalid[i]));
    }
}

static void
test_json (void)
{
  g_autoptr(GPtrArray) addresses =
    g_ptr_array_new_with_free_func ((GDestroyNotify) openiot_hubd_address_free);
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) empty_node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *empty_text = NULL;

  g_ptr_array_add (addresses,
                   openiot_hubd_address_new ("2001:db8::10", OPENIOT_HUBD_ADDRESS_GLOBAL));
  g_ptr_array_add (addresses, openiot_hubd_address_new ("fd00::10", OPENIOT_HUBD_ADDRESS_ULA));
  g_ptr_array_add (addresses,
                   openiot_hubd_address_new ("fe80::10%eth0", OPENIOT_HUBD_ADDRESS_LINK));

  node = openiot_hubd_addresses_to_json (addresses);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  text = json_to_string (node, FALSE);
  /* docs/protocol.md, the pairing answer's "addresses" */
  g_assert_cmpstr (text, ==,
                   "[{\"address\":\"2001:db8::10\",\"scope\":\"global\"},"
                   "{\"address\":\"fd00::10\",\"scope\":\"ula\"},"
                   "{\"address\":\"fe80::10%eth0\",\"scope\":\"link\"}]");

  empty_node = openiot_hubd_addresses_to_json (empty);
  empty_text = json_to_string (empty_node, FALSE);
  g_assert_cmpstr (empty_text, ==, "[]");
}

static void
test_collected_json (void)
{
  const char *public_addresses[] = { "2001:db8::10", NULL };
  g_autoptr(GPtrArray) addresses = openiot_hubd_addresses_collect (public_addresses, NULL);
  g_autoptr(JsonNode) node = openiot_hubd_addresses_to_json (addresses);
  JsonArray *array = json_node_get_array (node);
  JsonObject *first = json_array_get_object_element (array, 0);

  g_assert_cmpuint (json_array_get_length (array), ==, addresses->len);
  g_assert_cmpstr (json_object_get_string_member (first, "address"), ==, "2001:db8::10");
  g_assert_cmpstr (json_object_get_string_member (first, "scope"), ==, "global");
  g_assert_cmpuint (json_object_get_size (first), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/hub-addresses/scope-to-string", test_scope_to_string);
  g_test_add_func ("/hub-addresses/public-first", test_public_first);
  g_test_add_func ("/hub-addresses/scopes", test_scopes);
  g_test_add_func ("/hub-addresses/public-order-kept", test_public_order_kept);
  g_test_add_func ("/hub-addresses/interfaces", test_interfaces);
  g_test_add_func ("/hub-addresses/invalid", test_invalid);
  g_test_add_func ("/hub-addresses/json", test_json);
  g_test_add_func ("/hub-addresses/collected-json", test_collected_json);

  return g_test_run ();
}
