// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#if HAVE_AVAHI
# include <avahi-client/client.h>
# include <avahi-client/publish.h>
# include <avahi-common/alternative.h>
# include <avahi-common/error.h>
# include <avahi-common/malloc.h>
# include <avahi-glib/glib-watch.h>
#endif

#include "openiot-hub-discovery.h"

#define SERVICE_TYPE "_open-iot._tcp"

/*
 * DNS-SD advertisement through Avahi (docs/protocol.md, "Discovery"). Only a
 * convenience for finding the hub: without an Avahi daemon the hub works
 * the same, and this says so once.
 */
struct _OpenIotHubDiscovery
{
  GObject          parent_instance;

  char            *name;
  guint16          port;
  char            *id;
  char            *fingerprint;
  gboolean         pairing_open;
  gboolean         started;
#if HAVE_AVAHI
  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;
#endif
};

G_DEFINE_FINAL_TYPE (OpenIotHubDiscovery, openiot_hub_discovery, G_TYPE_OBJECT)

#if HAVE_AVAHI
static void publish (OpenIotHubDiscovery *self);

static void
on_group_state (AvahiEntryGroup      *group,
                AvahiEntryGroupState  state,
                void                 *data)
{
  OpenIotHubDiscovery *self = data;

  if (state == AVAHI_ENTRY_GROUP_COLLISION)
    {
      char *alternative = avahi_alternative_service_name (self->name);

      g_message ("DNS-SD name “%s” is taken; using “%s”", self->name, alternative);
      g_free (self->name);
      self->name = g_strdup (alternative);
      avahi_free (alternative);
      avahi_entry_group_reset (group);
      publish (self);
    }
  else if (state == AVAHI_ENTRY_GROUP_ESTABLISHED)
    g_debug ("Advertised %s “%s” on port %u", SERVICE_TYPE, self->name, self->port);
}

static void
publish (OpenIotHubDiscovery *self)
{
  g_autofree char *id = NULL, *fp = NULL, *pairing = NULL;
  int ret;

  if (self->client == NULL || avahi_client_get_state (self->client) != AVAHI_CLIENT_S_RUNNING || self->id == NULL)
    return;

  if (self->group == NULL)
    self->group = avahi_entry_group_new (self->client, on_group_state, self);
  if (self->group == NULL)
    return;

  id = g_strconcat ("id=", self->id, NULL);
  fp = g_strconcat ("fp=", self->fingerprint, NULL);
  pairing = g_strconcat ("pairing=", self->pairing_open ? "open" : "closed", NULL);

  if (avahi_entry_group_is_empty (self->group))
    ret = avahi_entry_group_add_service (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                         self->name, SERVICE_TYPE, NULL, NULL, self->port,
                                         id, "api=1", fp, pairing, NULL);
  else
    ret = avahi_entry_group_update_service_txt (self->group, AVAHI_IF_UNSPEC, AVAHI_PROTO_UNSPEC, 0,
                                                self->name, SERVICE_TYPE, NULL,
                                                id, "api=1", fp, pairing, NULL);

  if (ret < 0)
    {
      g_message ("DNS-SD advertisement failed: %s", avahi_strerror (ret));
      return;
    }

  if (!avahi_entry_group_is_empty (self->group))
    avahi_entry_group_commit (self->group);
}

static void
on_client_state (AvahiClient      *client,
                 AvahiClientState  state,
                 void             *data)
{
  OpenIotHubDiscovery *self = data;

  self->client = client;
  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      publish (self);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      if (self->group != NULL)
        avahi_entry_group_reset (self->group);
      break;

    case AVAHI_CLIENT_FAILURE:
    case AVAHI_CLIENT_CONNECTING:
    default:
      /* the daemon went away or is not there yet: NO_FAIL reconnects */
      self->group = NULL;
      break;
    }
}
#endif

void
openiot_hub_discovery_set_txt (OpenIotHubDiscovery *self,
                               const char          *id,
                               const char          *fingerprint,
                               gboolean             pairing_open)
{
  if (g_strcmp0 (self->id, id) == 0 && g_strcmp0 (self->fingerprint, fingerprint) == 0 &&
      self->pairing_open == pairing_open)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);
  self->pairing_open = pairing_open;

#if HAVE_AVAHI
  publish (self);
#endif
}

void
openiot_hub_discovery_start (OpenIotHubDiscovery *self)
{
#if HAVE_AVAHI
  int error = 0;

  if (self->started)
    return;
  self->started = TRUE;

  self->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  self->client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                                   on_client_state, self, &error);
  if (self->client == NULL)
    g_message ("DNS-SD unavailable (%s); the hub works without it", avahi_strerror (error));
  else if (avahi_client_get_state (self->client) == AVAHI_CLIENT_CONNECTING)
    g_message ("DNS-SD unavailable: no Avahi daemon yet; the hub works without it");
#else
  g_message ("DNS-SD: built without Avahi; the hub works without it");
#endif
}

OpenIotHubDiscovery *
openiot_hub_discovery_new (const char *name,
                           guint16     port)
{
  OpenIotHubDiscovery *self = g_object_new (OPENIOT_TYPE_HUB_DISCOVERY, NULL);

  self->name = g_strdup (name);
  self->port = port;
  return self;
}

static void
openiot_hub_discovery_finalize (GObject *object)
{
  OpenIotHubDiscovery *self = OPENIOT_HUB_DISCOVERY (object);

#if HAVE_AVAHI
  g_clear_pointer (&self->client, avahi_client_free);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
#endif
  g_free (self->name);
  g_free (self->id);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (openiot_hub_discovery_parent_class)->finalize (object);
}

static void
openiot_hub_discovery_class_init (OpenIotHubDiscoveryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hub_discovery_finalize;
}

static void
openiot_hub_discovery_init (OpenIotHubDiscovery *self)
{
}
