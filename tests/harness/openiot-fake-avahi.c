// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "openiot-test-bus.h"

#include "openiot-fake-avahi.h"

/*
 * A stand-in for avahi-daemon on a private bus: the part of its D-Bus API
 * (org.freedesktop.Avahi, avahi-daemon/org.freedesktop.Avahi.*.xml) that
 * service browsing uses, with the same names, signatures and order of
 * events. A real avahi-daemon needs the system bus and a multicast
 * network; this lets the tests say exactly which hubs are announced, and
 * when they go.
 */

static const char introspection_xml[] =
  "<node>"
  " <interface name='org.freedesktop.Avahi.Server'>"
  "  <method name='ServiceBrowserNew'>"
  "   <arg name='interface' type='i' direction='in'/><arg name='protocol' type='i' direction='in'/>"
  "   <arg name='type' type='s' direction='in'/><arg name='domain' type='s' direction='in'/>"
  "   <arg name='flags' type='u' direction='in'/><arg name='path' type='o' direction='out'/>"
  "  </method>"
  "  <method name='ResolveService'>"
  "   <arg name='interface' type='i' direction='in'/><arg name='protocol' type='i' direction='in'/>"
  "   <arg name='name' type='s' direction='in'/><arg name='type' type='s' direction='in'/>"
  "   <arg name='domain' type='s' direction='in'/><arg name='aprotocol' type='i' direction='in'/>"
  "   <arg name='flags' type='u' direction='in'/>"
  "   <arg name='interface' type='i' direction='out'/><arg name='protocol' type='i' "
  "direction='out'/>"
  "   <arg name='name' type='s' direction='out'/><arg name='type' type='s' direction='out'/>"
  "   <arg name='domain' type='s' direction='out'/><arg name='host' type='s' direction='out'/>"
  "   <arg name='aprotocol' type='i' direction='out'/><arg name='address' type='s' "
  "direction='out'/>"
  "   <arg name='port' type='q' direction='out'/><arg name='txt' type='aay' direction='out'/>"
  "   <arg name='flags' type='u' direction='out'/>"
  "  </method>"
  " </interface>"
  " <interface name='org.freedesktop.Avahi.Server2'>"
  "  <method name='ServiceBrowserPrepare'>"
  "   <arg name='interface' type='i' direction='in'/><arg name='protocol' type='i' direction='in'/>"
  "   <arg name='type' type='s' direction='in'/><arg name='domain' type='s' direction='in'/>"
  "   <arg name='flags' type='u' direction='in'/><arg name='path' type='o' direction='out'/>"
  "  </method>"
  " </interface>"
  " <interface name='org.freedesktop.Avahi.ServiceBrowser'>"
  "  <method name='Free'/>"
  "  <method name='Start'/>"
  "  <signal name='ItemNew'>"
  "   <arg name='interface' type='i'/><arg name='protocol' type='i'/><arg name='name' type='s'/>"
  "   <arg name='type' type='s'/><arg name='domain' type='s'/><arg name='flags' type='u'/>"
  "  </signal>"
  "  <signal name='ItemRemove'>"
  "   <arg name='interface' type='i'/><arg name='protocol' type='i'/><arg name='name' type='s'/>"
  "   <arg name='type' type='s'/><arg name='domain' type='s'/><arg name='flags' type='u'/>"
  "  </signal>"
  "  <signal name='Failure'><arg name='error' type='s'/></signal>"
  "  <signal name='AllForNow'/>"
  "  <signal name='CacheExhausted'/>"
  " </interface>"
  "</node>";

typedef struct
{
  int      interface;
  int      protocol;
  char    *name;
  char    *address;
  guint16  port;
  GStrv    txt;
} Entry;

typedef struct
{
  char  *path;
  guint  registration;
  char  *owner;      /* the unique name that made it: signals go there only */
  gboolean started;
} Browser;

struct _OpenIotFakeAvahi
{
  GDBusConnection *bus;
  GDBusNodeInfo   *info;
  guint            server_ids[2];
  guint            name_id;
  GPtrArray       *entries;
  GPtrArray       *browsers;
  guint            next_browser;
};

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_free (entry->address);
  g_strfreev (entry->txt);
  g_free (entry);
}

static void
emit_item (OpenIotFakeAvahi *self,
           Browser          *browser,
           const char       *signal,
           Entry            *entry)
{
  g_dbus_connection_emit_signal (self->bus, browser->owner, browser->path,
                                 "org.freedesktop.Avahi.ServiceBrowser",
                                 signal,
                                 g_variant_new ("(iisssu)", entry->interface, entry->protocol,
                                                entry->name,
                                                "_open-iot._tcp", "local", 0),
                                 NULL);
}

static void
emit_to_started (OpenIotFakeAvahi *self,
                 const char       *signal,
                 Entry            *entry)
{
  for (guint i = 0; i < self->browsers->len; i++)
    {
      Browser *browser = self->browsers->pdata[i];

      if (browser->started)
        emit_item (self, browser, signal, entry);
    }
}

static void
start_browser (OpenIotFakeAvahi *self,
               Browser          *browser)
{
  browser->started = TRUE;
  for (guint i = 0; i < self->entries->len; i++)
    emit_item (self, browser, "ItemNew", self->entries->pdata[i]);
  g_dbus_connection_emit_signal (self->bus, browser->owner, browser->path,
                                 "org.freedesktop.Avahi.ServiceBrowser",
                                 "AllForNow", NULL, NULL);
}

static Browser *
find_browser (OpenIotFakeAvahi *self,
              const char       *path)
{
  for (guint i = 0; i < self->browsers->len; i++)
    if (g_str_equal (((Browser *) self->browsers->pdata[i])->path, path))
      return self->browsers->pdata[i];
  return NULL;
}

static void browser_method (GDBusConnection *, const char *, const char *, const char *,
                            const char *, GVariant *,
                            GDBusMethodInvocation *, gpointer);

static const GDBusInterfaceVTable browser_vtable = { browser_method, NULL, NULL, { 0 } };

static void
remove_browser (OpenIotFakeAvahi *self,
                Browser          *browser)
{
  g_dbus_connection_unregister_object (self->bus, browser->registration);
  g_ptr_array_remove (self->browsers, browser);
  g_free (browser->path);
  g_free (browser->owner);
  g_free (browser);
}

static void
browser_method (GDBusConnection       *bus,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  OpenIotFakeAvahi *self = user_data;
  Browser *browser = find_browser (self, path);

  g_dbus_method_invocation_return_value (invocation, NULL);
  if (browser == NULL)
    return;
  if (g_str_equal (method, "Start") && !browser->started)
    start_browser (self, browser);
  else if (g_str_equal (method, "Free"))
    remove_browser (self, browser);
}

static Browser *
new_browser (OpenIotFakeAvahi *self,
             const char       *owner)
{
  Browser *browser = g_new0 (Browser, 1);

  browser->path = g_strdup_printf ("/Client1/ServiceBrowser%u", ++self->next_browser);
  browser->owner = g_strdup (owner);
  browser->registration = g_dbus_connection_register_object (
    self->bus, browser->path,
    g_dbus_node_info_lookup_interface (self->info, "org.freedesktop.Avahi.ServiceBrowser"),
    &browser_vtable, self, NULL, NULL);
  g_ptr_array_add (self->browsers, browser);
  return browser;
}

static Entry *
find_entry (OpenIotFakeAvahi *self,
            int               interface,
            int               protocol,
            const char       *name)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = self->entries->pdata[i];

      if (entry->interface == interface && entry->protocol == protocol &&
          g_str_equal (entry->name, name))
        return entry;
    }
  return NULL;
}

static void
server_method (GDBusConnection       *bus,
               const char            *sender,
               const char            *path,
               const char            *interface,
               const char            *method,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  OpenIotFakeAvahi *self = user_data;

  if (g_str_equal (method, "ServiceBrowserPrepare") || g_str_equal (method, "ServiceBrowserNew"))
    {
      Browser *browser = new_browser (self, sender);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", browser->path));
      if (g_str_equal (method, "ServiceBrowserNew"))
        start_browser (self, browser);   /* Avahi < 0.8 starts at once */
    }
  else if (g_str_equal (method, "ResolveService"))
    {
      int iface, protocol;
      const char *name;
      Entry *entry;
      GVariantBuilder txt;

      g_variant_get (parameters, "(ii&s&s&siu)", &iface, &protocol, &name, NULL, NULL, NULL, NULL);
      if (!(entry = find_entry (self, iface, protocol, name)))
        {
          g_dbus_method_invocation_return_dbus_error (invocation,
                                                      "org.freedesktop.Avahi.TimeoutError",
                                                      "Timeout reached");
          return;
        }
      g_variant_builder_init (&txt, G_VARIANT_TYPE ("aay"));
      for (guint i = 0; entry->txt != NULL && entry->txt[i] != NULL; i++)
        g_variant_builder_add_value (&txt,
                                     g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, entry->txt[i],
                                                                      strlen (entry->txt[i]), 1));
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(iissssisqaayu)", entry->interface,
                                                            entry->protocol,
                                                            entry->name, "_open-iot._tcp", "local",
                                                            "hub.local",
                                                            strchr (entry->address, ':') ? 1 : 0,
                                                            entry->address,
                                                            entry->port, &txt, 0));
    }
  else
    g_dbus_method_invocation_return_dbus_error (invocation,
                                                "org.freedesktop.DBus.Error.UnknownMethod", method);
}

static const GDBusInterfaceVTable server_vtable = { server_method, NULL, NULL, { 0 } };

/**
 * openiot_fake_avahi_new:
 * @bus_address: the private bus to serve on
 * @with_prepare: whether to offer Server2.ServiceBrowserPrepare (Avahi
 *   0.8) or only ServiceBrowserNew (older Avahi)
 *
 * Owns `org.freedesktop.Avahi` on its own connection, as a separate peer
 * would. Returns once it owns the name.
 */
OpenIotFakeAvahi *
openiot_fake_avahi_new (const char *bus_address,
                        gboolean    with_prepare)
{
  g_autoptr(GError) error = NULL;
  OpenIotFakeAvahi *self = g_new0 (OpenIotFakeAvahi, 1);

  self->bus = g_dbus_connection_new_for_address_sync (
    bus_address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  self->info = g_dbus_node_info_new_for_xml (introspection_xml, &error);
  g_assert_no_error (error);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->browsers = g_ptr_array_new ();

  self->server_ids[0] = g_dbus_connection_register_object (
    self->bus, "/", g_dbus_node_info_lookup_interface (self->info, "org.freedesktop.Avahi.Server"),
    &server_vtable, self, NULL, &error);
  g_assert_no_error (error);
  if (with_prepare)
    {
      self->server_ids[1] = g_dbus_connection_register_object (
        self->bus, "/",
        g_dbus_node_info_lookup_interface (self->info, "org.freedesktop.Avahi.Server2"),
        &server_vtable, self, NULL, &error);
      g_assert_no_error (error);
    }

  openiot_test_bus_own_name (self->bus, "org.freedesktop.Avahi");
  return self;
}

void
openiot_fake_avahi_announce (OpenIotFakeAvahi   *self,
                             int                 interface,
                             int                 protocol,
                             const char         *name,
                             const char         *address,
                             guint16             port,
                             const char * const *txt)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->interface = interface;
  entry->protocol = protocol;
  entry->name = g_strdup (name);
  entry->address = g_strdup (address);
  entry->port = port;
  entry->txt = g_strdupv ((GStrv) txt);
  g_ptr_array_add (self->entries, entry);
  emit_to_started (self, "ItemNew", entry);
}

void
openiot_fake_avahi_withdraw (OpenIotFakeAvahi *self,
                             int               interface,
                             int               protocol,
                             const char       *name)
{
  Entry *entry = find_entry (self, interface, protocol, name);

  g_assert_nonnull (entry);
  emit_to_started (self, "ItemRemove", entry);
  g_ptr_array_remove (self->entries, entry);
}

/* Browsers not yet freed by their clients. */
guint
openiot_fake_avahi_get_browsers (OpenIotFakeAvahi *self)
{
  return self->browsers->len;
}

void
openiot_fake_avahi_free (OpenIotFakeAvahi *self)
{
  while (self->browsers->len > 0)
    remove_browser (self, self->browsers->pdata[0]);
  g_ptr_array_unref (self->browsers);
  for (guint i = 0; i < G_N_ELEMENTS (self->server_ids); i++)
    if (self->server_ids[i] != 0)
      g_dbus_connection_unregister_object (self->bus, self->server_ids[i]);
  g_dbus_connection_close_sync (self->bus, NULL, NULL);
  g_object_unref (self->bus);
  g_dbus_node_info_unref (self->info);
  g_ptr_array_unref (self->entries);
  g_free (self);
}
