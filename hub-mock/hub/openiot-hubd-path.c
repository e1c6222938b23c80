// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "openiot-protocol-private.h"

#include "openiot-hubd-path.h"

/*
 * Request paths of the main port (docs/protocol.md, "the proxy"). libsoup
 * has resolved dot segments already (docs/platform-notes.md); what is here
 * judges and routes the result, without a connection, so that
 * tests/fuzz/fuzz-hub-path.c can throw arbitrary paths at it.
 */

/*
 * openiot_hubd_path_is_safe:
 * @path: a request path as it came, still percent-encoded
 *
 * Refuses what could step out of a service's space once some layer decodes
 * or normalises it: dot segments, empty segments, and encoded "/", "\",
 * "." or NUL. The rule lives in the library (_openiot_path_is_safe()),
 * where clients judge their forms by it too.
 */
gboolean
openiot_hubd_path_is_safe (const char *path)
{
  return _openiot_path_is_safe (path);
}

/*
 * openiot_hubd_path_route:
 * @path: a path that openiot_hubd_path_is_safe() accepted
 * @service_id: (out) (transfer full): for %OPENIOT_HUBD_ROUTE_SERVICE and
 *   %OPENIOT_HUBD_ROUTE_BAD_SERVICE_ID, the service id the path names;
 *   %NULL otherwise
 * @rest: (out) (transfer none): for %OPENIOT_HUBD_ROUTE_SERVICE, the
 *   still encoded path below the service, starting with "/" (a part of
 *   @path, or "/" for "/services/ID"); %NULL otherwise
 *
 * Returns: which endpoint of the main port @path names
 */
OpenIotHubdRoute
openiot_hubd_path_route (const char  *path,
                        char       **service_id,
                        const char **rest)
{
  const char *id_start;
  const char *slash;

  *service_id = NULL;
  *rest = NULL;

  if (g_str_equal (path, OPENIOT_PATH_HUB))
    return OPENIOT_HUBD_ROUTE_HUB;
  if (g_str_equal (path, OPENIOT_PATH_SERVICES))
    return OPENIOT_HUBD_ROUTE_SERVICES;
  if (g_str_equal (path, OPENIOT_PATH_REGISTRATION))
    return OPENIOT_HUBD_ROUTE_REGISTRATION;
  /* Only "self": another client's id is no endpoint at all (404), so a
   * client learns nothing of who else is registered. */
  if (g_str_equal (path, OPENIOT_PATH_CLIENT_NAME))
    return OPENIOT_HUBD_ROUTE_CLIENT_NAME;
  if (!g_str_has_prefix (path, OPENIOT_SERVICE_PREFIX))
    return OPENIOT_HUBD_ROUTE_NOT_FOUND;

  id_start = path + strlen (OPENIOT_SERVICE_PREFIX);
  slash = strchr (id_start, '/');
  *service_id = slash ? g_strndup (id_start, slash - id_start) : g_strdup (id_start);

  if (!_openiot_service_id_is_valid (*service_id))
    return OPENIOT_HUBD_ROUTE_BAD_SERVICE_ID;

  *rest = slash ? slash : "/";
  return OPENIOT_HUBD_ROUTE_SERVICE;
}
