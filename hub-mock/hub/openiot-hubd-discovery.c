// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#if HAVE_AVAHI
# include <avahi-client/client.h>
# include <avahi-client/publish.h>
# include <avahi-common/alternative.h>
# include <avahi-common/error.h>
# include <avahi-common/malloc.h>
# include <avahi-common/strlst.h>
# include <avahi-glib/glib-watch.h>
#endif
#include <libopeniot.h>
#include "openiot-protocol-private.h"

#include "openiot-hubd-discovery.h"

#define DEFAULT_NAME "Open-IoT Hub"

/* A DNS-SD instance name is one DNS label: at most 63 bytes. */
#define MAX_NAME_BYTES 63

/* Each rename on a collision gives "Name #2", "Name #3", …; past this many
 * something is wrong, and the hub stops trying rather than loop. */
#define MAX_RENAMES 32

/* Without a system bus there is nothing to wait on: look again this
 * often, in case it comes up after the hub. */
#define RETRY_SECONDS 30

/*
 * DNS-SD advertisement through Avahi (docs/protocol.md, "Discovery"):
 * `_open-iot._tcp` on the main port, with `id`, `api`, `fp` and
 * `pairing-port` in TXT.
 *
 * Discovery is only a convenience for finding the hub; the pin and the
 * pairing code authenticate it. So nothing here may fail or block the hub:
 * without an Avahi daemon it says so once and keeps waiting for one
 * (AVAHI_CLIENT_NO_FAIL), and when the daemon restarts it advertises again.
 */
struct _OpenIotHubdDiscovery
{
  GObject          parent_instance;

  char            *name; /* the advertised name, renamed on collisions */
  guint16          port;
  guint16          pairing_port;
  char            *id;
  char            *fingerprint;

  gboolean         started;

#if HAVE_AVAHI
  gboolean         said_unavailable;
  AvahiGLibPoll   *poll;
  AvahiClient     *client;
  AvahiEntryGroup *group;    /* owned by client: avahi_client_free() frees it */
  gboolean         service_added;
  guint            renames;
  guint            reconnect_id;
#endif
};

G_DEFINE_FINAL_TYPE (OpenIotHubdDiscovery, openiot_hubd_discovery, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_PORT,
  PROP_PAIRING_PORT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The hub's name as an instance name: cut to one label at a character
 * boundary, since Avahi refuses longer ones outright. */
static char *
fit_name (const char *name)
{
  const char *end;

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    return g_strdup (DEFAULT_NAME);

  end = name;
  while (*end != '\0' && g_utf8_next_char (end) - name <= MAX_NAME_BYTES)
    end = g_utf8_next_char (end);

  return g_strndup (name, end - name);
}

#if HAVE_AVAHI
static void publish         (OpenIotHubdDiscovery *self);
static void connect_client  (OpenIotHubdDiscovery *self);

static void
say_unavailable (OpenIotHubdDiscovery *self)
{
  /* Once: a hub on a machine without Avahi is normal, not a problem to
   * repeat every time the daemon comes and goes. */
  if (self->said_unavailable)
    return;

  self->said_unavailable = TRUE;
  g_message ("DNS-SD unavailable: no Avahi daemon; the hub works without it");
}

static void
rename_service (OpenIotHubdDiscovery *self)
{
  char *alternative = avahi_alternative_service_name (self->name);

  g_message ("DNS-SD name “%s” is taken on the network; advertising as “%s”", self->name,
             alternative);
  g_free (self->name);
  self->name = g_strdup (alternative);
  avahi_free (alternative);
  self->renames++;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

static void
on_group_state (AvahiEntryGroup      *group,
                AvahiEntryGroupState  state,
                void                 *data)
{
  OpenIotHubdDiscovery *self = data;

  switch (state)
    {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      g_debug ("Advertising %s “%s” on port %u", OPENIOT_DNSSD_SERVICE_TYPE, self->name,
               self->port);
      break;

    case AVAHI_ENTRY_GROUP_COLLISION:
      /* Another host on the link advertises this name. */
      if (self->renames >= MAX_RENAMES)
        {
          g_message ("DNS-SD: no free name after %u tries; not advertising", self->renames);
          break;
        }
      rename_service (self);
      avahi_entry_group_reset (group);
      self->service_added = FALSE;
      publish (self);
      break;

    case AVAHI_ENTRY_GROUP_FAILURE:
      g_message ("DNS-SD advertisement failed: %s",
                 avahi_strerror (avahi_client_errno (avahi_entry_group_get_client (group))));
      break;

    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
    default:
      break;
    }
}

static AvahiStringList *
make_txt (OpenIotHubdDiscovery *self)
{
  AvahiStringList *txt = NULL;

  /* avahi_string_list_add() prepends: add in reverse order */
  txt = avahi_string_list_add_printf (txt, OPENIOT_TXT_PAIRING_PORT "=%u",
                                      (guint) self->pairing_port);
  /* Whether a code is open is not said to the whole network: a stranger
   * would watch for it (docs/protocol.md, "Discovery") */
  if (self->fingerprint != NULL)
    txt = avahi_string_list_add_printf (txt, OPENIOT_TXT_FINGERPRINT "=%s", self->fingerprint);
  txt = avahi_string_list_add_printf (txt, OPENIOT_TXT_API "=%d", OPENIOT_PROTOCOL_API);
  txt = avahi_string_list_add_printf (txt, OPENIOT_TXT_ID "=%s", self->id);

  return txt;
}

static void
publish (OpenIotHubdDiscovery *self)
{
  AvahiStringList *txt;
  int ret;

  /* Until the daemon runs and the hub has said who it is, there is
   * nothing to do: RUNNING and set_txt() both come back here. */
  if (self->client == NULL || avahi_client_get_state (self->client) != AVAHI_CLIENT_S_RUNNING ||
      self->id == NULL)
    return;

  if (self->group == NULL)
    {
      self->service_added = FALSE;
      if (!(self->group = avahi_entry_group_new (self->client, on_group_state, self)))
        {
          g_message ("DNS-SD advertisement failed: %s",
                     avahi_strerror (avahi_client_errno (self->client)));
          return;
        }
    }

  txt = make_txt (self);

  if (self->service_added)
    {
      ret = avahi_entry_group_update_service_txt_strlst (self->group, AVAHI_IF_UNSPEC,
                                                         AVAHI_PROTO_UNSPEC, 0,
                                                         self->name, OPENIOT_DNSSD_SERVICE_TYPE,
                                                         NULL, txt);
    }
  else
    {
      /* A collision with a service of this same host is reported here,
       * not through the group's state. */
      while ((ret = avahi_entry_group_add_service_strlst (self->group, AVAHI_IF_UNSPEC,
                                                          AVAHI_PROTO_UNSPEC, 0,
                                                          self->name, OPENIOT_DNSSD_SERVICE_TYPE,
                                                          NULL, NULL, self->port, txt)) ==
               AVAHI_ERR_COLLISION &&
             self->renames < MAX_RENAMES)
        rename_service (self);

      if (ret == AVAHI_OK)
        {
          self->service_added = TRUE;
          ret = avahi_entry_group_commit (self->group);
        }
    }

  avahi_string_list_free (txt);

  if (ret < 0)
    g_message ("DNS-SD advertisement failed: %s", avahi_strerror (ret));
}

static void
drop_client (OpenIotHubdDiscovery *self)
{
  /* The client owns its entry groups and frees them with itself. */
  self->group = NULL;
  self->service_added = FALSE;
  g_clear_pointer (&self->client, avahi_client_free);
}

static gboolean
on_reconnect (gpointer data)
{
  OpenIotHubdDiscovery *self = data;

  self->reconnect_id = 0;
  drop_client (self);
  connect_client (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (OpenIotHubdDiscovery *self,
                    guint                seconds)
{
  if (self->reconnect_id != 0)
    return;

  if (seconds == 0)
    self->reconnect_id = g_idle_add (on_reconnect, self);
  else
    self->reconnect_id = g_timeout_add_seconds (seconds, on_reconnect, self);
}

static void
on_client_state (AvahiClient      *client,
                 AvahiClientState  state,
                 void             *data)
{
  OpenIotHubdDiscovery *self = data;
  gboolean disconnected;

  /* This first runs inside avahi_client_new(), before it has returned
   * the client. */
  self->client = client;

  switch (state)
    {
    case AVAHI_CLIENT_S_RUNNING:
      publish (self);
      break;

    case AVAHI_CLIENT_S_COLLISION:
    case AVAHI_CLIENT_S_REGISTERING:
      /* The daemon is (re)registering the host name: withdraw, and
       * advertise again once it runs. */
      if (self->group != NULL && self->service_added)
        {
          avahi_entry_group_reset (self->group);
          self->service_added = FALSE;
        }
      break;

    case AVAHI_CLIENT_CONNECTING:
      /* NO_FAIL: no daemon yet; the client waits for one to appear. */
      say_unavailable (self);
      break;

    case AVAHI_CLIENT_FAILURE:
    default:
      /* The daemon went away or restarted: this client is dead and a new
       * one (NO_FAIL, so waiting for the daemon) takes over. Not from
       * inside the dying client's own callback, though. */
      g_debug ("Avahi client failed: %s", avahi_strerror (avahi_client_errno (client)));
      say_unavailable (self);
      disconnected = avahi_client_errno (client) == AVAHI_ERR_DISCONNECTED;
      schedule_reconnect (self, disconnected ? 0 : RETRY_SECONDS);
      break;
    }
}

static void
connect_client (OpenIotHubdDiscovery *self)
{
  AvahiClient *client;
  int error = 0;

  g_assert (self->client == NULL);

  client = avahi_client_new (avahi_glib_poll_get (self->poll), AVAHI_CLIENT_NO_FAIL,
                             on_client_state, self, &error);
  if (client == NULL)
    {
      /* NO_FAIL covers a missing daemon, not a missing system bus. */
      g_debug ("Avahi client: %s", avahi_strerror (error));
      self->client = NULL;
      self->group = NULL;
      say_unavailable (self);
      schedule_reconnect (self, RETRY_SECONDS);
      return;
    }

  self->client = client;
}
#endif /* HAVE_AVAHI */

/**
 * openiot_hubd_discovery_new:
 * @name: (nullable): the hub's name, advertised as the instance name
 * @port: the hub's main port
 * @pairing_port: the hub's TLS-SRP pairing port
 *
 * Nothing is advertised before [method@HubDiscovery.start] and
 * [method@HubDiscovery.set_txt].
 *
 * Returns: (transfer full): a new #OpenIotHubdDiscovery
 */
OpenIotHubdDiscovery *
openiot_hubd_discovery_new (const char *name,
                           guint16     port,
                           guint16     pairing_port)
{
  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (pairing_port != 0, NULL);

  return g_object_new (OPENIOT_TYPE_HUBD_DISCOVERY,
                       "name", name,
                       "port", (guint) port,
                       "pairing-port", (guint) pairing_port,
                       NULL);
}

/**
 * openiot_hubd_discovery_get_name:
 * @self: a #OpenIotHubdDiscovery
 *
 * Returns: the advertised name: the hub's, cut to 63 bytes, or another
 *   if the network already had it
 */
const char *
openiot_hubd_discovery_get_name (OpenIotHubdDiscovery *self)
{
  g_return_val_if_fail (OPENIOT_IS_HUBD_DISCOVERY (self), NULL);

  return self->name;
}

/**
 * openiot_hubd_discovery_set_txt:
 * @self: a #OpenIotHubdDiscovery
 * @id: the hub's id
 * @fingerprint: (nullable): the hub's certificate fingerprint
 *
 * Sets the TXT record, and updates the advertisement if it changed.
 */
void
openiot_hubd_discovery_set_txt (OpenIotHubdDiscovery *self,
                               const char          *id,
                               const char          *fingerprint)
{
  g_return_if_fail (OPENIOT_IS_HUBD_DISCOVERY (self));
  g_return_if_fail (id != NULL);

  if (g_strcmp0 (self->id, id) == 0 && g_strcmp0 (self->fingerprint, fingerprint) == 0)
    return;

  g_free (self->id);
  self->id = g_strdup (id);
  g_free (self->fingerprint);
  self->fingerprint = g_strdup (fingerprint);

#if HAVE_AVAHI
  publish (self);
#endif
}

/**
 * openiot_hubd_discovery_start:
 * @self: a #OpenIotHubdDiscovery
 *
 * Starts advertising, now or whenever an Avahi daemon appears. Never
 * fails: without Avahi the hub only loses being found by DNS-SD.
 */
void
openiot_hubd_discovery_start (OpenIotHubdDiscovery *self)
{
  g_return_if_fail (OPENIOT_IS_HUBD_DISCOVERY (self));

  if (self->started)
    return;
  self->started = TRUE;

#if HAVE_AVAHI
  self->poll = avahi_glib_poll_new (NULL, G_PRIORITY_DEFAULT);
  connect_client (self);
#else
  g_message ("DNS-SD unavailable: built without Avahi; the hub works without it");
#endif
}

static void
openiot_hubd_discovery_dispose (GObject *object)
{
#if HAVE_AVAHI
  OpenIotHubdDiscovery *self = OPENIOT_HUBD_DISCOVERY (object);

  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  /* Freeing the client withdraws the advertisement. */
  drop_client (self);
  g_clear_pointer (&self->poll, avahi_glib_poll_free);
#endif

  G_OBJECT_CLASS (openiot_hubd_discovery_parent_class)->dispose (object);
}

static void
openiot_hubd_discovery_finalize (GObject *object)
{
  OpenIotHubdDiscovery *self = OPENIOT_HUBD_DISCOVERY (object);

  g_free (self->name);
  g_free (self->id);
  g_free (self->fingerprint);

  G_OBJECT_CLASS (openiot_hubd_discovery_parent_class)->finalize (object);
}

static void
openiot_hubd_discovery_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  OpenIotHubdDiscovery *self = OPENIOT_HUBD_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_PAIRING_PORT:
      g_value_set_uint (value, self->pairing_port);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_hubd_discovery_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  OpenIotHubdDiscovery *self = OPENIOT_HUBD_DISCOVERY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_free (self->name);
      self->name = fit_name (g_value_get_string (value));
      break;

    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;

    case PROP_PAIRING_PORT:
      self->pairing_port = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_hubd_discovery_class_init (OpenIotHubdDiscoveryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_hubd_discovery_dispose;
  object_class->finalize = openiot_hubd_discovery_finalize;
  object_class->get_property = openiot_hubd_discovery_get_property;
  object_class->set_property = openiot_hubd_discovery_set_property;

  /**
   * OpenIotHubdDiscovery:name:
   *
   * The advertised instance name. Set from the hub's name; renamed
   * ("Name #2") if another service on the network has it.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotHubdDiscovery:port:
   *
   * The hub's main port, advertised in the SRV record.
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL,
                       1, G_MAXUINT16, 8443,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotHubdDiscovery:pairing-port:
   *
   * The TLS-SRP pairing port, advertised in TXT (`pairing-port`) so that
   * a client can pair with a hub it found without guessing.
   */
  properties[PROP_PAIRING_PORT] =
    g_param_spec_uint ("pairing-port", NULL, NULL,
                       1, G_MAXUINT16, 8444,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                        G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_hubd_discovery_init (OpenIotHubdDiscovery *self)
{
}
