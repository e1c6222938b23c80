// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "openiot-test-bus.h"

/* From the D-Bus specification: RequestName's flag and its answer */
#define DBUS_NAME_FLAG_DO_NOT_QUEUE           0x4
#define DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER 1

/**
 * openiot_test_bus_own_name:
 * @bus: the private session bus of the test, or another
 * @name: a well-known name, such as org.freedesktop.Notifications
 *
 * Owns @name on @bus before returning, for a stand-in service whose
 * objects are already registered: the code under test may call it at
 * once. (g_bus_own_name() would own it later, from the main loop.)
 */
void
openiot_test_bus_own_name (GDBusConnection *bus,
                           const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result = 0;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", name, DBUS_NAME_FLAG_DO_NOT_QUEUE),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER);
}
