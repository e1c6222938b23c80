// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-discovery"

#include "config.h"

#include <net/if.h>
#include <string.h>

#include "openiot-discovered-hub.h"
#include "openiot-discovery.h"
#include "openiot-protocol-private.h"

/**
 * OpenIotDiscovery:
 *
 * The hubs on the local network, found by DNS-SD (`_open-iot._tcp`,
 * docs/protocol.md, "Discovery"), as a #GListModel of
 * #OpenIotDiscoveredHub that updates live.
 *
 * It talks to Avahi over D-Bus on the system bus rather than through
 * libavahi-client: a sandboxed app then needs only permission to talk to
 * `org.freedesktop.Avahi`, and no Avahi library in its runtime. Without an
 * Avahi daemon the list stays empty and [property@Discovery:available] is
 * false; when one appears later, browsing starts.
 */

#define AVAHI_NAME             "org.freedesktop.Avahi"
#define AVAHI_SERVER           "org.freedesktop.Avahi.Server"
#define AVAHI_SERVER2          "org.freedesktop.Avahi.Server2"
#define AVAHI_SERVICE_BROWSER  "org.freedesktop.Avahi.ServiceBrowser"
#define AVAHI_IF_UNSPEC        (-1)
#define AVAHI_PROTO_UNSPEC     (-1)
#define CALL_TIMEOUT_MS        10000
#define MAX_HUBS               64   /* a hostile network must not flood the UI */

/* One resolved DNS-SD instance, on one interface and protocol. */
typedef struct
{
  char     *hub_id;
  char     *name;
  char     *address;
  guint16   port;
  guint16   pairing_port;
  gboolean  pairing_open;
  int       preference;   /* lower is better */
} Instance;

struct _OpenIotDiscovery
{
  GObject          parent_instance;

  GDBusConnection *bus;
  gboolean         own_bus;       /* the system bus, fetched on start */
  GCancellable    *cancellable;   /* everything of the current browse */
  guint            watch_id;
  char            *browser_path;
  guint            signal_id;
  gboolean         available;
  GHashTable      *instances;     /* "iface/proto/name" → Instance */
  GPtrArray       *hubs;          /* OpenIotDiscoveredHub: the model */
};

static void openiot_discovery_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (OpenIotDiscovery, openiot_discovery, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      openiot_discovery_list_model_init))

enum {
  PROP_0,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
instance_free (Instance *instance)
{
  g_free (instance->hub_id);
  g_free (instance->name);
  g_free (instance->address);
  g_free (instance);
}

static GType
openiot_discovery_get_item_type (GListModel *model)
{
  return OPENIOT_TYPE_DISCOVERED_HUB;
}

static guint
openiot_discovery_get_n_items (GListModel *model)
{
  return OPENIOT_DISCOVERY (model)->hubs->len;
}

static gpointer
openiot_discovery_get_item (GListModel *model,
                            guint       position)
{
  OpenIotDiscovery *self = OPENIOT_DISCOVERY (model);

  return position < self->hubs->len ? g_object_ref (self->hubs->pdata[position]) : NULL;
}

static void
openiot_discovery_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = openiot_discovery_get_item_type;
  iface->get_n_items = openiot_discovery_get_n_items;
  iface->get_item = openiot_discovery_get_item;
}

static void
set_available (OpenIotDiscovery *self,
               gboolean          available)
{
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  OpenIotDiscoveredHub *first = *(OpenIotDiscoveredHub **) a;
  OpenIotDiscoveredHub *second = *(OpenIotDiscoveredHub **) b;
  int order = g_utf8_collate (openiot_discovered_hub_get_name (first),
                              openiot_discovered_hub_get_name (second));

  return order != 0 ? order : g_strcmp0 (openiot_discovered_hub_get_id (first),
                                         openiot_discovered_hub_get_id (second));
}

static gboolean
same_hubs (GPtrArray *old_hubs,
           GPtrArray *new_hubs)
{
  if (old_hubs->len != new_hubs->len)
    return FALSE;
  for (guint i = 0; i < old_hubs->len; i++)
    if (!openiot_discovered_hub_equal (old_hubs->pdata[i], new_hubs->pdata[i]))
      return FALSE;
  return TRUE;
}

/* One entry per hub id: the same hub answers on IPv4 and IPv6 and on
 * every interface; show it once, at its best address. */
static void
rebuild (OpenIotDiscovery *self)
{
  g_autoptr(GHashTable) best = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) hubs = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Instance *instance;
  guint old_len = self->hubs->len;

  g_hash_table_iter_init (&iter, self->instances);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &instance))
    {
      Instance *known = g_hash_table_lookup (best, instance->hub_id);

      if (known == NULL || instance->preference < known->preference ||
          (instance->preference == known->preference &&
           g_strcmp0 (instance->address, known->address) < 0))
        g_hash_table_insert (best, instance->hub_id, instance);
    }

  g_hash_table_iter_init (&iter, best);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &instance))
    g_ptr_array_add (hubs,
                     openiot_discovered_hub_new (instance->hub_id, instance->name,
                                                 instance->address,
                                                       instance->port, instance->pairing_port,
                                                       instance->pairing_open));
  g_ptr_array_sort (hubs, compare_by_name);

  if (same_hubs (self->hubs, hubs))
    return;
  g_ptr_array_unref (self->hubs);
  self->hubs = g_steal_pointer (&hubs);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->hubs->len);
}

static char *
instance_key (gint32      interface,
              gint32      protocol,
              const char *name)
{
  return g_strdup_printf ("%d/%d/%s", interface, protocol, name);
}

/* A global or ULA IPv6 address first, then link-local, then IPv4: the
 * same order in which the library races a paired hub's addresses. */
static int
address_preference (GInetAddress *address)
{
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return 2;
  return g_inet_address_get_is_link_local (address) ? 1 : 0;
}

static guint16
parse_port (const char *text)
{
  guint64 port = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;
  return port;
}

/* TXT entries are "key=value" byte strings, anything at all on the wire. */
static char *
txt_lookup (GVariant   *txt,
            const char *key)
{
  GVariantIter iter;
  GVariant *entry;
  size_t key_len = strlen (key);

  g_variant_iter_init (&iter, txt);
  while ((entry = g_variant_iter_next_value (&iter)))
    {
      gsize len = 0;
      const char *bytes = g_variant_get_fixed_array (entry, &len, 1);
      char *value = NULL;

      if (len > key_len && memcmp (bytes, key, key_len) == 0 && bytes[key_len] == '=' &&
          g_utf8_validate (bytes + key_len + 1, len - key_len - 1, NULL))
        value = g_strndup (bytes + key_len + 1, len - key_len - 1);
      g_variant_unref (entry);
      if (value != NULL)
        return value;
    }
  return NULL;
}

static Instance *
instance_from_resolved (GVariant *reply)
{
  g_autoptr(GVariant) txt = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *id = NULL;
  g_autofree char *pairing = NULL;
  g_autofree char *pairing_port = NULL;
  const char *name, *address;
  gint32 interface, protocol, aprotocol;
  guint16 port;
  guint32 flags;
  Instance *instance;

  g_variant_get (reply, "(ii&s&s&s&si&sq@aayu)", &interface, &protocol, &name, NULL, NULL, NULL,
                 &aprotocol,
                 &address, &port, &txt, &flags);
  if (port == 0 || !(inet = g_inet_address_new_from_string (address)))
    return NULL;

  instance = g_new0 (Instance, 1);
  id = txt_lookup (txt, OPENIOT_TXT_ID);
  pairing = txt_lookup (txt, OPENIOT_TXT_PAIRING);
  pairing_port = txt_lookup (txt, OPENIOT_TXT_PAIRING_PORT);
  instance->hub_id = (id != NULL && *id != '\0') ? g_steal_pointer (&id) : g_strdup (name);
  instance->name = g_strdup (name);
  instance->port = port;
  instance->pairing_port = parse_port (pairing_port);
  if (instance->pairing_port == 0)
    instance->pairing_port = port < G_MAXUINT16 ? port + 1 : port;
  instance->pairing_open = g_strcmp0 (pairing, "open") == 0;
  instance->preference = address_preference (inet);

  /* fe80::1 means nothing without its interface */
  if (g_inet_address_get_is_link_local (inet) &&
      g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 &&
      strchr (address, '%') == NULL)
    {
      char ifname[IF_NAMESIZE] = { 0 };

      if (interface < 0 || if_indextoname (interface, ifname) == NULL)
        {
          instance_free (instance);
          return NULL;
        }
      instance->address = g_strdup_printf ("%s%%%s", address, ifname);
    }
  else
    instance->address = g_strdup (address);
  return instance;
}

typedef struct
{
  OpenIotDiscovery *self;   /* alive while the cancellable is not cancelled */
  char             *key;
} ResolveData;

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ResolveData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  Instance *instance;

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not resolve %s: %s", data->key, error->message);
    }
  else if ((instance = instance_from_resolved (reply)) != NULL)
    {
      if (g_hash_table_size (data->self->instances) < MAX_HUBS ||
          g_hash_table_contains (data->self->instances, data->key))
        {
          g_hash_table_replace (data->self->instances, g_steal_pointer (&data->key), instance);
          rebuild (data->self);
        }
      else
        instance_free (instance);
    }

  g_free (data->key);
  g_free (data);
}

static void
resolve (OpenIotDiscovery *self,
         GVariant         *item)
{
  gint32 interface, protocol;
  const char *name, *type, *domain;
  ResolveData *data;

  g_variant_get (item, "(ii&s&s&su)", &interface, &protocol, &name, &type, &domain, NULL);
  data = g_new0 (ResolveData, 1);
  data->self = self;
  data->key = instance_key (interface, protocol, name);
  g_dbus_connection_call (self->bus, AVAHI_NAME, "/", AVAHI_SERVER, "ResolveService",
                          g_variant_new ("(iisssiu)", interface, protocol, name, type, domain,
                                         AVAHI_PROTO_UNSPEC, 0),
                          G_VARIANT_TYPE ("(iissssisqaayu)"), G_DBUS_CALL_FLAGS_NONE,
                          CALL_TIMEOUT_MS,
                          self->cancellable, on_resolved, data);
}

static void
on_browser_signal (GDBusConnection *bus,
                   const char      *sender,
                   const char      *path,
                   const char      *interface,
                   const char      *signal,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  OpenIotDiscovery *self = user_data;
  gboolean is_item = g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(iisssu)"));

  /* Before the browser's path is known, any browser of ours is this one */
  if (self->browser_path != NULL && !g_str_equal (path, self->browser_path))
    return;

  if (g_str_equal (signal, "ItemNew") && is_item)
    resolve (self, parameters);
  else if (g_str_equal (signal, "ItemRemove") && is_item)
    {
      gint32 iface, protocol;
      const char *name;
      g_autofree char *key = NULL;

      g_variant_get (parameters, "(ii&s&s&su)", &iface, &protocol, &name, NULL, NULL, NULL);
      key = instance_key (iface, protocol, name);
      if (g_hash_table_remove (self->instances, key))
        rebuild (self);
    }
  else if (g_str_equal (signal, "Failure"))
    {
      g_autofree char *reason = g_variant_print (parameters, FALSE);

      g_debug ("Avahi browsing failed: %s", reason);
      set_available (self, FALSE);
    }
}

static void
on_browser_started (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  if (reply != NULL)
    set_available (user_data, TRUE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not start browsing: %s", error->message);
}

static void
listen_to_browser (OpenIotDiscovery *self,
                   const char       *path,
                   gboolean          start)
{
  g_free (self->browser_path);
  self->browser_path = g_strdup (path);
  if (start)
    g_dbus_connection_call (self->bus, AVAHI_NAME, path, AVAHI_SERVICE_BROWSER, "Start", NULL, NULL,
                            G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS, self->cancellable,
                            on_browser_started, self);
  else
    set_available (self, TRUE);
}

static void
on_browser_new (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  const char *path;

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Avahi refused a service browser: %s", error->message);
      return;
    }
  g_variant_get (reply, "(&o)", &path);
  listen_to_browser (user_data, path, FALSE);
}

static void
on_browser_prepared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  OpenIotDiscovery *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply =
    g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  const char *path;

  if (reply == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Avahi before 0.8: browsing starts at once, so a hub that answers
       * before the subscription is seen only on its next announcement. */
      g_debug ("No ServiceBrowserPrepare (%s); using ServiceBrowserNew", error->message);
      g_dbus_connection_call (self->bus, AVAHI_NAME, "/", AVAHI_SERVER, "ServiceBrowserNew",
                              g_variant_new ("(iissu)", AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                             OPENIOT_DNSSD_SERVICE_TYPE, "", 0),
                              G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS,
                              self->cancellable,
                              on_browser_new, self);
      return;
    }
  g_variant_get (reply, "(&o)", &path);
  listen_to_browser (self, path, TRUE);
}

static void
forget_browser (OpenIotDiscovery *self)
{
  if (self->bus != NULL && self->signal_id != 0)
    g_dbus_connection_signal_unsubscribe (self->bus, self->signal_id);
  self->signal_id = 0;
  if (self->bus != NULL && self->browser_path != NULL)
    g_dbus_connection_call (self->bus, AVAHI_NAME, self->browser_path, AVAHI_SERVICE_BROWSER,
                            "Free", NULL, NULL,
                            G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL, NULL, NULL);
  g_clear_pointer (&self->browser_path, g_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->instances);
  rebuild (self);
  set_available (self, FALSE);
}

static void
on_avahi_appeared (GDBusConnection *bus,
                   const char      *name,
                   const char      *owner,
                   gpointer         user_data)
{
  OpenIotDiscovery *self = user_data;

  forget_browser (self);
  self->cancellable = g_cancellable_new ();
  /* Subscribed before the browser exists, so that no hub found before its
   * path is known is missed: Avahi 0.8's ServiceBrowserPrepare waits for
   * Start, but older ones browse at once. */
  self->signal_id = g_dbus_connection_signal_subscribe (bus, AVAHI_NAME, AVAHI_SERVICE_BROWSER,
                                                        NULL, NULL, NULL,
                                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                                        on_browser_signal, self, NULL);
  g_dbus_connection_call (bus, AVAHI_NAME, "/", AVAHI_SERVER2, "ServiceBrowserPrepare",
                          g_variant_new ("(iissu)", AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC,
                                         OPENIOT_DNSSD_SERVICE_TYPE, "", 0),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, CALL_TIMEOUT_MS,
                          self->cancellable,
                          on_browser_prepared, self);
}

static void
on_avahi_vanished (GDBusConnection *bus,
                   const char      *name,
                   gpointer         user_data)
{
  OpenIotDiscovery *self = user_data;

  g_debug ("No Avahi daemon: hubs cannot be found on this network");
  /* its browser went with it */
  g_clear_pointer (&self->browser_path, g_free);
  forget_browser (self);
}

static void
watch (OpenIotDiscovery *self)
{
  self->watch_id = g_bus_watch_name_on_connection (self->bus, AVAHI_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_avahi_appeared, on_avahi_vanished, self,
                                                   NULL);
}

static void
on_system_bus (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OpenIotDiscovery) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_finish (result, &error);

  if (bus == NULL)
    {
      g_debug ("No system bus, so no discovery: %s", error->message);
      return;
    }
  if (!self->own_bus)   /* stopped meanwhile */
    {
      g_object_unref (bus);
      return;
    }
  self->bus = bus;
  watch (self);
}

/**
 * openiot_discovery_new:
 *
 * Returns: (transfer full): a discovery on the system bus's Avahi; call
 *   [method@Discovery.start]
 */
OpenIotDiscovery *
openiot_discovery_new (void)
{
  return g_object_new (OPENIOT_TYPE_DISCOVERY, NULL);
}

/**
 * openiot_discovery_new_for_connection:
 * @bus: the bus on which `org.freedesktop.Avahi` lives
 *
 * Returns: (transfer full): a discovery on @bus (tests use a private bus)
 */
OpenIotDiscovery *
openiot_discovery_new_for_connection (GDBusConnection *bus)
{
  OpenIotDiscovery *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (bus), NULL);

  self = g_object_new (OPENIOT_TYPE_DISCOVERY, NULL);
  self->bus = g_object_ref (bus);
  return self;
}

/**
 * openiot_discovery_start:
 *
 * Starts browsing, now or whenever an Avahi daemon appears.
 */
void
openiot_discovery_start (OpenIotDiscovery *self)
{
  g_return_if_fail (OPENIOT_IS_DISCOVERY (self));

  if (self->watch_id != 0 || self->own_bus)
    return;
  if (self->bus != NULL)
    watch (self);
  else
    {
      self->own_bus = TRUE;
      g_bus_get (G_BUS_TYPE_SYSTEM, NULL, on_system_bus, g_object_ref (self));
    }
}

/**
 * openiot_discovery_stop:
 *
 * Stops browsing and empties the list.
 */
void
openiot_discovery_stop (OpenIotDiscovery *self)
{
  g_return_if_fail (OPENIOT_IS_DISCOVERY (self));

  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  forget_browser (self);
  if (self->own_bus)
    {
      g_clear_object (&self->bus);
      self->own_bus = FALSE;
    }
}

/**
 * openiot_discovery_get_available:
 *
 * Returns: whether an Avahi daemon is browsing for hubs
 */
gboolean
openiot_discovery_get_available (OpenIotDiscovery *self)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERY (self), FALSE);
  return self->available;
}

static void
openiot_discovery_dispose (GObject *object)
{
  OpenIotDiscovery *self = OPENIOT_DISCOVERY (object);

  openiot_discovery_stop (self);
  g_clear_object (&self->bus);

  G_OBJECT_CLASS (openiot_discovery_parent_class)->dispose (object);
}

static void
openiot_discovery_finalize (GObject *object)
{
  OpenIotDiscovery *self = OPENIOT_DISCOVERY (object);

  g_hash_table_unref (self->instances);
  g_ptr_array_unref (self->hubs);

  G_OBJECT_CLASS (openiot_discovery_parent_class)->finalize (object);
}

static void
openiot_discovery_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, OPENIOT_DISCOVERY (object)->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_discovery_class_init (OpenIotDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_discovery_dispose;
  object_class->finalize = openiot_discovery_finalize;
  object_class->get_property = openiot_discovery_get_property;

  /**
   * OpenIotDiscovery:available:
   *
   * Whether an Avahi daemon is browsing for hubs right now.
   */
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_discovery_init (OpenIotDiscovery *self)
{
  self->instances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) instance_free);
  self->hubs = g_ptr_array_new_with_free_func (g_object_unref);
}
