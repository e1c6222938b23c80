// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "openiot-td-private.h"

#include "openiot-hubd-td-rewrite.h"

/*
 * The Thing Description of a service as a standard WoT consumer must see
 * it through the hub (docs/protocol.md, "Thing Descriptions of
 * services"): `base` is the hub's URL of the service, and the hrefs the
 * service wrote about itself (node-wot: `http://localhost:8080/counter/
 * properties/count`, once per address of the machine) become paths below
 * that base. Hrefs to other origins stay as they are.
 */

/* Where a relative href of a TD without an absolute base leads: the
 * service root, as the service sees it. */
#define SERVICE_ROOT "http://service.invalid/"
/* a name, an IPv4 or bracketed IPv6 address, a port */
#define HOST_CHARACTERS \
  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]"

static gboolean
is_loopback_name (const char *host)
{
  return g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost") ||
         g_ascii_strcasecmp (host, "service.invalid") == 0;
}

/* One of this machine's own addresses (node-wot lists a form for each) */
static gboolean
is_local_address (const char *host)
{
  g_autofree char *bare = g_strdup (host);
  g_autoptr(GInetAddress) address = NULL;
  struct ifaddrs *interfaces = NULL;
  gboolean local = FALSE;
  char *zone;

  if (bare[0] == '[')
    {
      memmove (bare, bare + 1, strlen (bare));
      bare[strcspn (bare, "]")] = '\0';
    }
  if ((zone = strchr (bare, '%')) != NULL)
    *zone = '\0';
  if (!(address = g_inet_address_new_from_string (bare)))
    return FALSE;
  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_any (address))
    return TRUE;
  if (getifaddrs (&interfaces) != 0)
    return FALSE;

  for (struct ifaddrs *i = interfaces; i != NULL && !local; i = i->ifa_next)
    {
      g_autoptr(GSocketAddress) socket_address = NULL;
      GInetSocketAddress *inet;
      gsize size;

      if (i->ifa_addr == NULL ||
          (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
        continue;
      size = i->ifa_addr->sa_family == AF_INET ? sizeof (struct sockaddr_in)
                                               : sizeof (struct sockaddr_in6);
      socket_address = g_socket_address_new_from_native (i->ifa_addr, size);
      inet = G_IS_INET_SOCKET_ADDRESS (socket_address) ? G_INET_SOCKET_ADDRESS (socket_address)
                                                       : NULL;
      local = inet != NULL &&
              g_inet_address_equal (address, g_inet_socket_address_get_address (inet));
    }
  freeifaddrs (interfaces);
  return local;
}

static gboolean
is_host_name_of_this_machine (const char *host)
{
  const char *name = g_get_host_name ();
  gsize length = strlen (name);

  return g_ascii_strcasecmp (host, name) == 0 ||
         (g_ascii_strncasecmp (host, name, length) == 0 &&
          g_ascii_strcasecmp (host + length, ".local") == 0);
}

/* Whether @uri is the service speaking of itself */
static gboolean
is_service_origin (GUri *uri,
                   GUri *service_base)
{
  const char *host = g_uri_get_host (uri);

  if (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
      g_strcmp0 (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;
  if (host == NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, g_uri_get_host (service_base)) == 0 &&
      g_uri_get_port (uri) == g_uri_get_port (service_base) &&
      g_strcmp0 (g_uri_get_scheme (uri), g_uri_get_scheme (service_base)) == 0)
    return TRUE;
  return is_loopback_name (host) || is_local_address (host) || is_host_name_of_this_machine (host);
}

/* The two views of the service: its own (the old `base`, or its root),
 * and the hub's URL of it that the client used (the new `base`). */
typedef struct
{
  GUri *service;
  GUri *hub;
} Bases;

/* Whether @uri is already under the hub's URL of the service (a service
 * that knows the address the hub is reached at): its path after it. */
static const char *
path_under_hub_base (GUri *uri,
                     GUri *hub_base)
{
  const char *path = g_uri_get_path (uri);
  const char *base_path = g_uri_get_path (hub_base);

  if (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 || g_uri_get_host (uri) == NULL ||
      g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (hub_base)) != 0 ||
      g_uri_get_port (uri) != g_uri_get_port (hub_base) || !g_str_has_prefix (path, base_path))
    return NULL;
  return path + strlen (base_path);
}

/* The href a consumer resolves against the new base to reach what
 * @href reached on the service: its path and query, made relative. */
static char *
rewrite_href (const char  *href,
              const Bases *bases)
{
  g_autoptr(GUri) resolved = g_uri_parse_relative (bases->service, href, G_URI_FLAGS_ENCODED, NULL);
  const char *path;

  if (resolved == NULL)
    return NULL;
  /* Already the hub's URL: relative to it, not read again as a path of
   * the service's own ("services/<id>/services/<id>/…") */
  path = bases->hub != NULL ? path_under_hub_base (resolved, bases->hub) : NULL;
  if (path == NULL)
    {
      if (!is_service_origin (resolved, bases->service))
        return NULL;
      path = g_uri_get_path (resolved);
    }
  while (path[0] == '/')
    path++;
  /* "./" keeps a first segment with a colon from reading as a scheme */
  return g_strconcat (strchr (path, ':') != NULL &&
                      strcspn (path, ":") < strcspn (path, "/") ? "./" : "",
                      path, g_uri_get_query (resolved) ? "?" : "",
                      g_uri_get_query (resolved) ? g_uri_get_query (resolved) : "", NULL);
}

static void
rewrite_forms (JsonObject  *owner,
               const Bases *bases)
{
  JsonNode *node = json_object_get_member (owner, "forms");
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) kept = json_array_new ();
  JsonArray *forms;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  forms = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (forms); i++)
    {
      JsonNode *element = json_array_get_element (forms, i);
      g_autofree char *text = NULL;
      JsonObject *form;
      const char *href;

      if (JSON_NODE_HOLDS_OBJECT (element))
        {
          form = json_node_get_object (element);
          href = json_object_get_string_member_with_default (form, "href", NULL);
          if (href != NULL)
            {
              g_autofree char *rewritten = rewrite_href (href, bases);

              if (rewritten != NULL)
                json_object_set_string_member (form, "href", rewritten);
            }
        }
      /* The same form once per address of the machine becomes one */
      text = json_to_string (element, FALSE);
      if (g_ptr_array_find_with_equal_func (seen, text, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, g_steal_pointer (&text));
      json_array_add_element (kept, json_node_copy (element));
    }
  json_object_set_array_member (owner, "forms", g_steal_pointer (&kept));
}

static void
rewrite_affordances (JsonObject  *td,
                     const char  *member,
                     const Bases *bases)
{
  JsonObject *affordances = _openiot_td_object (td, member);
  g_autoptr(GList) names = affordances ? json_object_get_members (affordances) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (affordances, l->data);

      if (JSON_NODE_HOLDS_OBJECT (node))
        rewrite_forms (json_node_get_object (node), bases);
    }
}

/**
 * openiot_hubd_td_rewrite:
 * @td: the Thing Description the service sent
 * @base: the hub's URL of the service, `https://<host>/services/<id>/`
 *
 * Returns: (transfer full): the rewritten Thing Description, or %NULL
 *   with @error set when @td is not one (too large, not plain JSON, too
 *   deeply nested, not an object)
 */
GBytes *
openiot_hubd_td_rewrite (GBytes      *td,
                        const char  *base,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GUri) service_base = NULL;
  g_autoptr(GUri) hub_base = NULL;
  g_autoptr(JsonNode) root = NULL;
  Bases bases;
  const char *old_base;
  JsonObject *object;
  char *text;
  gsize length;

  if (!(object = _openiot_td_parse (td, parser, error)))
    return NULL;

  old_base = json_object_get_string_member_with_default (object, "base", NULL);
  if (old_base != NULL)
    service_base = g_uri_parse (old_base, G_URI_FLAGS_ENCODED, NULL);
  if (service_base == NULL || g_uri_get_host (service_base) == NULL ||
      (g_strcmp0 (g_uri_get_scheme (service_base), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (service_base), "https") != 0))
    {
      g_clear_pointer (&service_base, g_uri_unref);
      service_base = g_uri_parse (SERVICE_ROOT, G_URI_FLAGS_ENCODED, NULL);
    }

  hub_base = g_uri_parse (base, G_URI_FLAGS_ENCODED, NULL);
  bases = (Bases) { service_base, hub_base };
  rewrite_forms (object, &bases);
  rewrite_affordances (object, "properties", &bases);
  rewrite_affordances (object, "actions", &bases);
  rewrite_affordances (object, "events", &bases);
  json_object_set_string_member (object, "base", base);

  root = json_node_init_object (json_node_alloc (), object);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  return g_bytes_new_take (text, length);
}

/**
 * openiot_hubd_td_base_for_host:
 * @host: (nullable): the request's Host header
 *
 * Returns: (transfer full): `https://<host>/services/<id>/`, with the
 *   private `hub.invalid` when @host is missing or could smuggle anything
 *   into the URL but a host and port
 */
char *
openiot_hubd_td_base_for_host (const char *host,
                              const char *service_id)
{
  gboolean usable = host != NULL && host[0] != '\0' && strlen (host) <= 255 &&
                    strspn (host, HOST_CHARACTERS) == strlen (host);
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;

  if (usable)
    {
      url = g_strdup_printf ("https://%s/services/%s/", host, service_id);
      uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
      usable = uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
    }
  if (!usable)
    return g_strdup_printf ("https://hub.invalid/services/%s/", service_id);
  return g_steal_pointer (&url);
}
