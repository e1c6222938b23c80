// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include <libopeniot.h>

static void
test_fingerprint_from_der (void)
{
  g_autoptr(GBytes) der = g_bytes_new_static ("abc", 3);
  g_autofree char *fp = openiot_fingerprint_from_der (der);

  /* SHA-256("abc"), the FIPS 180-2 test vector */
  g_assert_cmpstr (fp, ==,
                   "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_true (openiot_fingerprint_is_valid (fp));
}

static void
test_fingerprint_validity (void)
{
  g_assert_false (openiot_fingerprint_is_valid (NULL));
  g_assert_false (openiot_fingerprint_is_valid (""));
  g_assert_false (openiot_fingerprint_is_valid ("sha256:"));
  /* uppercase digits are not the wire form */
  g_assert_false (openiot_fingerprint_is_valid (
    "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  g_assert_false (openiot_fingerprint_is_valid (
    "sha1:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  g_assert_false (openiot_fingerprint_is_valid (
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"));
  g_assert_false (openiot_fingerprint_is_valid (
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0"));
  g_assert_false (openiot_fingerprint_is_valid (
    "sha256:ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

static void
test_fingerprint_grouped (void)
{
  g_autofree char *grouped = openiot_fingerprint_format_grouped (
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  g_assert_cmpstr (grouped, ==,
                   "BA78 16BF 8F01 CFEA\n"
                   "4141 40DE 5DAE 2223\n"
                   "B003 61A3 9617 7A9C\n"
                   "B410 FF61 F200 15AD");
}

static void
test_fingerprint_equal (void)
{
  const char *a = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const char *b = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ae";

  g_assert_true (openiot_fingerprint_equal (a, a));
  g_assert_false (openiot_fingerprint_equal (a, b));
  g_assert_false (openiot_fingerprint_equal (a, NULL));
  g_assert_false (openiot_fingerprint_equal ("garbage", "garbage"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fingerprint/from-der", test_fingerprint_from_der);
  g_test_add_func ("/fingerprint/validity", test_fingerprint_validity);
  g_test_add_func ("/fingerprint/grouped", test_fingerprint_grouped);
  g_test_add_func ("/fingerprint/equal", test_fingerprint_equal);

  return g_test_run ();
}
