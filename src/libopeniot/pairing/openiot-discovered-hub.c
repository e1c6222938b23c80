// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-discovered-hub"

#include "config.h"

#include "openiot-discovered-hub.h"

/**
 * OpenIotDiscoveredHub:
 *
 * A hub announced on the local network by DNS-SD (docs/protocol.md,
 * "Discovery"): where to pair with it. Nothing here is authenticated;
 * pairing proves the hub. Properties so that list widgets can bind.
 */
struct _OpenIotDiscoveredHub
{
  GObject   parent_instance;

  char     *id;
  char     *name;
  char     *address;
  guint16   port;
  guint16   pairing_port;
  gboolean  pairing_open;
};

G_DEFINE_FINAL_TYPE (OpenIotDiscoveredHub, openiot_discovered_hub, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_PAIRING_PORT,
  PROP_PAIRING_OPEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * openiot_discovered_hub_new:
 * @id: the hub's id (TXT `id`), or its instance name when it gave none
 * @name: the announced instance name
 * @address: an IP address literal; link-local IPv6 with its `%interface`
 * @port: the main port
 * @pairing_port: the TLS-SRP pairing port
 * @pairing_open: whether the hub says a pairing code is open
 *
 * Returns: (transfer full): a new #OpenIotDiscoveredHub
 */
OpenIotDiscoveredHub *
openiot_discovered_hub_new (const char *id,
                            const char *name,
                            const char *address,
                            guint16     port,
                            guint16     pairing_port,
                            gboolean    pairing_open)
{
  OpenIotDiscoveredHub *self;

  g_return_val_if_fail (id != NULL && name != NULL && address != NULL, NULL);

  self = g_object_new (OPENIOT_TYPE_DISCOVERED_HUB, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->address = g_strdup (address);
  self->port = port;
  self->pairing_port = pairing_port;
  self->pairing_open = !!pairing_open;
  return self;
}

const char *
openiot_discovered_hub_get_id (OpenIotDiscoveredHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (self), NULL);
  return self->id;
}

const char *
openiot_discovered_hub_get_name (OpenIotDiscoveredHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (self), NULL);
  return self->name;
}

const char *
openiot_discovered_hub_get_address (OpenIotDiscoveredHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (self), NULL);
  return self->address;
}

guint16
openiot_discovered_hub_get_port (OpenIotDiscoveredHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (self), 0);
  return self->port;
}

guint16
openiot_discovered_hub_get_pairing_port (OpenIotDiscoveredHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (self), 0);
  return self->pairing_port;
}

gboolean
openiot_discovered_hub_get_pairing_open (OpenIotDiscoveredHub *self)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (self), FALSE);
  return self->pairing_open;
}

/**
 * openiot_discovered_hub_equal:
 *
 * Returns: whether both say the same thing, so that a list only changes
 *   when what it shows changes
 */
gboolean
openiot_discovered_hub_equal (OpenIotDiscoveredHub *self,
                              OpenIotDiscoveredHub *other)
{
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (self), FALSE);
  g_return_val_if_fail (OPENIOT_IS_DISCOVERED_HUB (other), FALSE);

  return g_str_equal (self->id, other->id) && g_str_equal (self->name, other->name) &&
         g_str_equal (self->address, other->address) && self->port == other->port &&
         self->pairing_port == other->pairing_port && self->pairing_open == other->pairing_open;
}

static void
openiot_discovered_hub_finalize (GObject *object)
{
  OpenIotDiscoveredHub *self = OPENIOT_DISCOVERED_HUB (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->address);

  G_OBJECT_CLASS (openiot_discovered_hub_parent_class)->finalize (object);
}

static void
openiot_discovered_hub_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  OpenIotDiscoveredHub *self = OPENIOT_DISCOVERED_HUB (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_PAIRING_PORT:
      g_value_set_uint (value, self->pairing_port);
      break;
    case PROP_PAIRING_OPEN:
      g_value_set_boolean (value, self->pairing_open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_discovered_hub_class_init (OpenIotDiscoveredHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = openiot_discovered_hub_finalize;
  object_class->get_property = openiot_discovered_hub_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_PAIRING_PORT] = g_param_spec_uint ("pairing-port", NULL, NULL, 0, G_MAXUINT16, 0,
                                                     flags);
  properties[PROP_PAIRING_OPEN] = g_param_spec_boolean ("pairing-open", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_discovered_hub_init (OpenIotDiscoveredHub *self)
{
}
