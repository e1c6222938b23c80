// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A stand-in org.freedesktop.Notifications on the test's private session
 * bus, in the test process itself: enough for GLib's GNotification
 * backend to send notifications to it, and to have one "clicked" (the
 * ActionInvoked signal a desktop sends, which activates the
 * notification's default action in the app).
 */
#include "config.h"

#include "openiot-test-bus.h"

#include "openiot-fake-notifications.h"

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/><arg type='s' name='body' direction='in'/>"
  "      <arg type='as' direction='in'/><arg type='a{sv}' direction='in'/>"
  "      <arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static GPtrArray *notified;   /* "summary\nbody"; a notification's id is its index + 1 */

static void
on_call (GDBusConnection       *connection,
         const char            *sender,
         const char            *path,
         const char            *interface,
         const char            *method,
         GVariant              *parameters,
         GDBusMethodInvocation *invocation,
         gpointer               user_data)
{
  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;

      g_variant_get (parameters, "(&su&s&s&s@as@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     NULL, NULL, NULL);
      g_ptr_array_add (notified, g_strdup_printf ("%s\n%s", summary, body));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notified->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new_parsed ("(@as ['body', 'actions'],)"));
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test", "openiot", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Serves the stand-in on the session bus, before the app sends anything */
void
openiot_fake_notifications_serve (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  const GDBusInterfaceVTable vtable = { on_call, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (bus);
  g_assert_null (notified);
  notified = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  openiot_test_bus_own_name (bus, "org.freedesktop.Notifications");
}

/* Returns: the id of the first notification whose "summary\nbody"
 * starts with @prefix, or 0 */
guint
openiot_fake_notifications_find (const char *prefix)
{
  for (guint i = 0; i < notified->len; i++)
    if (g_str_has_prefix (notified->pdata[i], prefix))
      return i + 1;
  return 0;
}

/* For openiot_test_ui_wait_until(): a notification starting with @prefix came */
gboolean
openiot_fake_notifications_seen (gpointer prefix)
{
  return openiot_fake_notifications_find (prefix) != 0;
}

/* Returns: "summary\nbody" of the notification @id */
const char *
openiot_fake_notifications_get (guint id)
{
  g_assert_cmpuint (id, >=, 1);
  g_assert_cmpuint (id, <=, notified->len);
  return notified->pdata[id - 1];
}

guint
openiot_fake_notifications_count (void)
{
  return notified->len;
}

/* What a desktop sends when the user clicks the notification @id */
void
openiot_fake_notifications_click (guint id)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, "default"), &error);
  g_assert_no_error (error);
}
