// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The hub's request paths (hub-mock/hub/openiot-hubd-path.c) on hostile
 * request targets, through the same steps as a real request: libsoup turns
 * the Host header and the request target into the GUri whose path the
 * hub's handler sees (dot segments removed, escapes normalised), the hub
 * judges it with openiot_hubd_path_is_safe() and routes it with
 * openiot_hubd_path_route(), and the proxy builds the URI for the service.
 *
 * Input: "HOST\nTARGET"; without a newline, all of it is the target and
 * the host is "hub". Up to the first NUL, as a request line would be.
 *
 * Invariants for every path the hub accepts:
 *   - it starts with "/" and has no "//", "\", "." or ".." segment, no NUL
 *     and no "." or ".." segment once percent-decoded;
 *   - libsoup's resolution is idempotent on it: resolving it again as a
 *     request target gives the same path (so a second layer cannot make
 *     another path out of it);
 *   - routing: a service route has a valid service id and a rest that
 *     starts with "/", and the path is "/services/" + id + rest; the URI
 *     the proxy builds from the rest and the query parses, and its path is
 *     the rest unchanged, so the service sees what the hub checked.
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "openiot-protocol-private.h"
#include "openiot-hubd-path.h"

#include "fuzz-common.h"

/* What libsoup 3.2 does with a request line's target
 * (soup-server-message-io-http1.c, parse_headers()), for the forms a
 * client can send: origin-form ("/…") with a Host header, absolute-form,
 * and "*". */
static GUri *
parse_like_libsoup (const char *host,
                    const char *target)
{
  g_autofree char *url = NULL;

  if (strchr (host, '/') != NULL)
    return NULL;

  if (g_str_equal (target, "*"))
    url = g_strdup_printf ("https://%s/", host);
  else if (*target != '/')
    url = g_strdup (target);
  else
    url = g_strdup_printf ("https://%s%s", host, target);

  return g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
}

static gboolean
has_dot_segment (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);

  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (g_str_equal (segments[i], ".") || g_str_equal (segments[i], ".."))
        return TRUE;
    }
  return FALSE;
}

static void
check_route (GUri       *request,
             const char *path)
{
  g_autofree char *service_id = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *uri_string = NULL;
  g_autoptr(GUri) upstream = NULL;
  const char *rest = NULL;
  const char *query = g_uri_get_query (request);

  switch (openiot_hubd_path_route (path, &service_id, &rest))
    {
    case OPENIOT_HUBD_ROUTE_HUB:
    case OPENIOT_HUBD_ROUTE_SERVICES:
    case OPENIOT_HUBD_ROUTE_REGISTRATION:
    case OPENIOT_HUBD_ROUTE_CLIENT_NAME:
    case OPENIOT_HUBD_ROUTE_NOT_FOUND:
      FUZZ_CHECK (service_id == NULL && rest == NULL, "a service for a hub endpoint");
      return;

    case OPENIOT_HUBD_ROUTE_BAD_SERVICE_ID:
      FUZZ_CHECK (service_id != NULL && !_openiot_service_id_is_valid (service_id) && rest == NULL,
                  "bad service id “%s” for “%s”", service_id, path);
      return;

    case OPENIOT_HUBD_ROUTE_SERVICE:
      break;

    default:
      FUZZ_CHECK (FALSE, "no such route");
    }

  FUZZ_CHECK (_openiot_service_id_is_valid (service_id), "service id “%s”", service_id);
  FUZZ_CHECK (rest != NULL && rest[0] == '/', "rest “%s”", rest);
  /* "/services/ID/REST", or "/services/ID" with the rest "/" */
  expected = g_strconcat (OPENIOT_SERVICE_PREFIX, service_id, NULL);
  FUZZ_CHECK (g_str_has_prefix (path, expected), "“%s” routed to service “%s”", path, service_id);
  FUZZ_CHECK (path[strlen (expected)] == '\0' ? g_str_equal (rest, "/")
                                              : rest == path + strlen (expected),
              "“%s” routed to service “%s” with rest “%s”", path, service_id, rest);
  FUZZ_CHECK (!has_dot_segment (rest), "dot segment in the rest “%s”", rest);

  /* As openiot_hubd_proxy_forward() builds it */
  uri_string = g_strconcat ("http://localhost", rest, query ? "?" : "", query ? query : "", NULL);
  upstream = g_uri_parse (uri_string, SOUP_HTTP_URI_FLAGS, NULL);
  FUZZ_CHECK (upstream != NULL, "the proxy's URI “%s” does not parse", uri_string);
  FUZZ_CHECK (g_str_equal (g_uri_get_path (upstream), rest),
              "the service sees “%s”, the hub checked “%s”", g_uri_get_path (upstream), rest);
  FUZZ_CHECK (g_strcmp0 (g_uri_get_query (upstream), query) == 0,
              "the service gets the query “%s”, not “%s”", g_uri_get_query (upstream), query);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autofree char *decoded = NULL;
  g_autoptr(GUri) request = NULL;
  g_autoptr(GUri) again = NULL;
  const char *host = "hub";
  const char *target = input;
  const char *path;
  char *newline = strchr (input, '\n');

  if (newline != NULL)
    {
      *newline = '\0';
      host = input;
      target = newline + 1;
    }

  /* libsoup answers 400 itself when it cannot make a URI with a host */
  request = parse_like_libsoup (host, target);
  if (request == NULL || g_uri_get_host (request) == NULL)
    return 0;

  path = g_uri_get_path (request);
  FUZZ_CHECK (path != NULL, "no path");
  if (!openiot_hubd_path_is_safe (path))
    return 0;

  FUZZ_CHECK (path[0] == '/', "accepted “%s”", path);
  FUZZ_CHECK (strstr (path, "//") == NULL, "accepted “%s”", path);
  FUZZ_CHECK (strchr (path, '\\') == NULL, "accepted “%s”", path);
  FUZZ_CHECK (!has_dot_segment (path), "accepted “%s”", path);

  decoded = g_uri_unescape_string (path, NULL);
  FUZZ_CHECK (decoded != NULL, "accepted “%s” that does not decode", path);
  FUZZ_CHECK (!has_dot_segment (decoded), "accepted “%s”, decoded “%s”", path, decoded);
  FUZZ_CHECK (strchr (decoded, '\\') == NULL, "accepted “%s”, decoded “%s”", path, decoded);

  /* Normalising twice changes nothing */
  again = parse_like_libsoup ("hub", path);
  FUZZ_CHECK (again != NULL, "“%s” does not parse again", path);
  FUZZ_CHECK (g_str_equal (g_uri_get_path (again), path),
              "resolving again gives “%s” for “%s”", g_uri_get_path (again), path);
  FUZZ_CHECK (openiot_hubd_path_is_safe (g_uri_get_path (again)), "not safe the second time");

  check_route (request, path);
  return 0;
}
