// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-cli-thing.h"

/* Fetches the Thing Description from the hub and caches it. */
gboolean
openiot_cli_thing_refresh (OpenIotCliThing  *self,
                           GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) cache_error = NULL;
  const char *service_id =
      openiot_thing_get_service_id (openiot_consumed_thing_get_thing (self->thing));
  OpenIotConsumedThing *thing;

  openiot_consumed_thing_fetch_async (self->connection, service_id, NULL, openiot_cli_store_result,
                                      &result);
  if (!(thing = openiot_consumed_thing_fetch_finish (openiot_cli_wait (&result), error)))
    return FALSE;

  g_clear_object (&self->thing);
  self->thing = thing;
  self->from_cache = FALSE;
  if (!openiot_thing_cache_save_thing (self->cache, openiot_hub_record_get_id (self->hub),
                                       openiot_consumed_thing_get_thing (thing), &cache_error))
    g_debug ("Not cached: %s", cache_error->message);
  return TRUE;
}

/*
 * openiot_cli_thing_open:
 * @fresh: fetch the Thing Description even when one is cached
 *
 * A cached Thing Description saves a round trip; when it turns out to be
 * out of date, openiot_cli_thing_should_retry() says so.
 */
OpenIotCliThing *
openiot_cli_thing_open (const char  *hub_name,
                        const char  *service_id,
                        gboolean     fresh,
                        GError     **error)
{
  g_autoptr(OpenIotCliThing) self = g_new0 (OpenIotCliThing, 1);
  g_autoptr(OpenIotThing) cached = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  if (!(self->connection = openiot_cli_connect (hub_name, &self->hub, NULL, error)))
    return NULL;

  self->cache = openiot_cli_new_cache ();

  if (!fresh && (cached = openiot_thing_cache_load_thing (self->cache, self->hub, service_id)))
    {
      self->thing = openiot_consumed_thing_new (self->connection, cached);
      self->from_cache = TRUE;
      return g_steal_pointer (&self);
    }

  openiot_consumed_thing_fetch_async (self->connection, service_id, NULL, openiot_cli_store_result,
                                      &result);
  if (!(self->thing = openiot_consumed_thing_fetch_finish (openiot_cli_wait (&result), error)))
    {
      if (error != NULL && g_error_matches (*error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND))
        g_prefix_error (error, _("No service “%s” (see “openiot services”): "), service_id);
      if (error != NULL)
        openiot_cli_explain_certificate_change (self->hub, self->connection, *error);
      return NULL;
    }
  openiot_thing_cache_save_thing (self->cache, openiot_hub_record_get_id (self->hub),
                                  openiot_consumed_thing_get_thing (self->thing), NULL);
  return g_steal_pointer (&self);
}

/* A request built from a cached Thing Description failed in a way a newer
 * description could fix (the interaction or its form moved). */
gboolean
openiot_cli_thing_should_retry (OpenIotCliThing *self,
                                const GError    *error)
{
  if (!self->from_cache || !g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND))
    return FALSE;
  return openiot_cli_thing_refresh (self, NULL);
}

/* Prints @error with what the user needs to decide a certificate change. */
int
openiot_cli_thing_fail (OpenIotCliThing *self,
                        const GError    *error)
{
  return openiot_cli_fail_on_hub (self->hub, self->connection, error);
}

void
openiot_cli_thing_free (OpenIotCliThing *self)
{
  g_clear_object (&self->thing);
  g_clear_object (&self->cache);
  g_clear_object (&self->connection);
  g_clear_object (&self->hub);
  g_free (self);
}
