// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <libopeniot.h>

#include "openiot-protocol-private.h"
#include "openiot-td-private.h"

#include "openiot-hubd-service-socket.h"
#include "openiot-hubd-upstream.h"

#include "openiot-hubd-services.h"

/* A service that cannot hand over its Thing Description this fast is
 * reported "down" rather than holding up the whole list. */
#define PROBE_TIMEOUT_SECONDS 2

typedef struct
{
  char  *id;
  char  *title;
  char  *reason; /* why a service that answered is not usable */
  gboolean up;
} ServiceEntry;

typedef struct
{
  GPtrArray    *entries; /* ServiceEntry */
  guint         timeout_id;
  GPtrArray    *probes;  /* Probe, still running */
} ListData;

static void
service_entry_free (ServiceEntry *entry)
{
  g_free (entry->id);
  g_free (entry->title);
  g_free (entry->reason);
  g_free (entry);
}

static void
list_data_free (ListData *data)
{
  g_clear_pointer (&data->entries, g_ptr_array_unref);
  g_clear_pointer (&data->probes, g_ptr_array_unref);
  g_free (data);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/*
 * openiot_hubd_services_scan:
 *
 * The services as the directory is now: containers come and go while the
 * hub runs, so this is read at every request, never cached.
 *
 * Returns: (transfer full): sorted service ids
 */
GStrv
openiot_hubd_services_scan (OpenIotHubdProxy *proxy)
{
  g_autoptr(GDir) dir = g_dir_open (openiot_hubd_proxy_get_services_dir (proxy), 0, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      if (!_openiot_service_id_is_valid (name))
        continue;
      /* a symlink to a directory elsewhere is no service (finding 8) */
      if (openiot_hubd_service_socket_dir_exists (openiot_hubd_proxy_get_services_dir (proxy),
                                                  name))
        g_strv_builder_add (builder, name);
    }

  ids = g_strv_builder_end (builder);
  g_qsort_with_data (ids, g_strv_length (ids), sizeof (char *), compare_ids, NULL);
  return g_steal_pointer (&ids);
}

/* A service is semi-trusted: its TD goes through the client's own checks
 * (size, nesting, plain JSON) before json-glib parses it, and one that
 * fails them leaves its service "down" with the reason, the hub up. */
static void
entry_take_td (ServiceEntry *entry,
               GBytes       *td)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *title;

  if (!(object = _openiot_td_parse (td, parser, &error)))
    {
      g_warning ("Service “%s” serves an unusable Thing Description: %s", entry->id,
                 error->message);
      entry->reason = g_strdup (error->message);
      return;
    }

  entry->up = TRUE;
  title = json_object_get_string_member_with_default (object, "title", NULL);
  entry->title = title && g_utf8_validate (title, -1, NULL) ? g_strdup (title) : NULL;
}

static JsonNode *
entries_to_json (GPtrArray *entries)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      ServiceEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *td = g_strconcat (OPENIOT_SERVICE_PREFIX, entry->id,
                                         OPENIOT_SERVICE_TD_PATH, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, entry->id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, entry->title ? entry->title : entry->id);
      json_builder_set_member_name (builder, "td");
      json_builder_add_string_value (builder, td);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, entry->up ? "up" : "down");
      if (entry->reason != NULL)
        {
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, entry->reason);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

typedef struct
{
  GTask                      *task;
  ServiceEntry               *entry;
  OpenIotHubdUpstreamRequest *request; /* until it finishes or is cancelled */
  GByteArray                 *td;
} Probe;

static void
list_return (GTask *task)
{
  ListData *data = g_task_get_task_data (task);

  /* the timeout holds the task: it goes now, not after 2 s */
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_task_return_pointer (task, entries_to_json (data->entries), (GDestroyNotify) json_node_unref);
}

static void
probe_free (Probe *probe)
{
  ListData *data = g_task_get_task_data (probe->task);

  g_clear_pointer (&probe->request, openiot_hubd_upstream_request_cancel);
  g_ptr_array_remove_fast (data->probes, probe);
  if (data->probes->len == 0)
    list_return (probe->task);
  g_clear_pointer (&probe->td, g_byte_array_unref);
  g_object_unref (probe->task);
  g_free (probe);
}

/* A TD over the size a client accepts is refused at its head when it
 * says its length, else at the first byte past the limit: never read
 * whole and judged after (a 256 MB TD once took the hub to 519 MB).
 * Cancelling the request closes its connection: nothing more of the TD
 * is read. */
static void
probe_refuse_size (Probe *probe)
{
  g_warning ("Service “%s” serves a Thing Description over %u KiB", probe->entry->id,
             OPENIOT_TD_MAX_SIZE / 1024);
  probe->entry->reason = g_strdup_printf ("The Thing Description is too large (over %u KiB).",
                                          OPENIOT_TD_MAX_SIZE / 1024);
  probe_free (probe);
}

/* A service that fails to answer, or answers anything but success, is
 * "down" with no reason given. */
static void
on_probe_head (guint               status,
               const char         *reason,
               SoupMessageHeaders *headers,
               gpointer            user_data)
{
  Probe *probe = user_data;

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    probe_free (probe);
  else if (openiot_hubd_upstream_request_get_content_length (probe->request) > OPENIOT_TD_MAX_SIZE)
    probe_refuse_size (probe);
}

static void
on_probe_body (GBytes   *chunk,
               gpointer  user_data)
{
  Probe *probe = user_data;
  gsize size = g_bytes_get_size (chunk);

  if (probe->td->len + size > OPENIOT_TD_MAX_SIZE)
    probe_refuse_size (probe);
  else
    g_byte_array_append (probe->td, g_bytes_get_data (chunk, NULL), size);
}

static void
on_probe_finished (const GError *error,
                   gpointer      user_data)
{
  Probe *probe = user_data;

  probe->request = NULL; /* freed when this returns */
  if (error == NULL)
    {
      g_autoptr(GBytes) td = g_byte_array_free_to_bytes (g_steal_pointer (&probe->td));

      entry_take_td (probe->entry, td);
    }
  probe_free (probe);
}

static const OpenIotHubdUpstreamCallbacks probe_callbacks = {
  .got_head = on_probe_head,
  .got_body = on_probe_body,
  .finished = on_probe_finished,
};

/* The probes still running are given up: their services stay "down". */
static gboolean
on_probes_timeout (gpointer user_data)
{
  ListData *data = g_task_get_task_data (user_data);

  data->timeout_id = 0;
  while (data->probes->len > 0)
    probe_free (g_ptr_array_index (data->probes, 0));
  return G_SOURCE_REMOVE;
}

void
openiot_hubd_services_list_async (OpenIotHubdProxy     *proxy,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (proxy, cancellable, callback, user_data);
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_auto(GStrv) ids = openiot_hubd_services_scan (proxy);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, openiot_hubd_services_list_async);
  data->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) service_entry_free);
  data->probes = g_ptr_array_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      ServiceEntry *entry = g_new0 (ServiceEntry, 1);
      Probe *probe = g_new0 (Probe, 1);

      entry->id = g_strdup (ids[i]);
      g_ptr_array_add (data->entries, entry);

      probe->task = g_object_ref (task);
      probe->entry = entry;
      probe->td = g_byte_array_new ();
      g_ptr_array_add (data->probes, probe);
      /* no callback comes before this returns */
      probe->request = openiot_hubd_upstream_send (openiot_hubd_proxy_get_upstream (proxy, ids[i]),
                                                   "GET", OPENIOT_SERVICE_TD_PATH, headers, NULL,
                                                   &probe_callbacks, probe);
    }

  if (data->probes->len == 0)
    list_return (task);
  else
    data->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, PROBE_TIMEOUT_SECONDS,
                                                   on_probes_timeout, g_object_ref (task),
                                                   g_object_unref);
}

JsonNode *
openiot_hubd_services_list_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
