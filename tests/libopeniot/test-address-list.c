// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <libopeniot.h>

#include "openiot-address-list-private.h"

static void
assert_order (const char * const *addresses,
              const char         *last_good,
              const char         *expected)
{
  g_auto(GStrv) ordered = _openiot_address_list_order (addresses, last_good);
  g_autofree char *joined = g_strjoinv (" ", ordered);

  g_assert_cmpstr (joined, ==, expected);
}

static void
test_order (void)
{
  const char * const addresses[] = { "2001:db8::10", "fd00::10", "fe80::10%eth0", "192.0.2.10",
                                    "10.0.0.2",
                                     "::1", "not an address", NULL };

  /* This network first (as given), then the Internet, then the rest */
  assert_order (addresses, NULL,
                "fd00::10 fe80::10%eth0 10.0.0.2 ::1 2001:db8::10 192.0.2.10 not an address");
  /* The address that answered last goes first */
  assert_order (addresses, "2001:db8::10",
                "2001:db8::10 fd00::10 fe80::10%eth0 10.0.0.2 ::1 192.0.2.10 not an address");
  assert_order (NULL, NULL, "");
}

static void
test_distance (void)
{
  const struct { const char *address; guint distance; } cases[] = {
    { "::1", 0 }, { "fe80::1", 0 }, { "fd12:3456::1", 0 }, { "fc00::1", 0 }, { "10.1.2.3", 0 },
    { "192.168.1.1", 0 }, { "2001:db8::1", 1 }, { "2a01:4f8::1", 1 }, { "8.8.8.8", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (cases[i].address);

      g_assert_nonnull (address);
      if (_openiot_address_distance (address) != cases[i].distance)
        g_error ("%s: expected distance %u", cases[i].address, cases[i].distance);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address-list/order", test_order);
  g_test_add_func ("/address-list/distance", test_distance);

  return g_test_run ();
}
