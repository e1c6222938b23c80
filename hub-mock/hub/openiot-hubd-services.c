// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <libopeniot.h>

#include "openiot-protocol-private.h"
#include "openiot-td-private.h"

#include "openiot-hubd-service-socket.h"

#include "openiot-hubd-services.h"

/* A service that cannot hand over its Thing Description this fast is
 * reported "down" rather than holding up the whole list. */
#define PROBE_TIMEOUT_SECONDS 2
#define PROBE_READ_SIZE 16384

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
  guint         pending;
  guint         timeout_id;
  GCancellable *probes;
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
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_clear_pointer (&data->entries, g_ptr_array_unref);
  g_clear_object (&data->probes);
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

static void
probe_done (GTask *task)
{
  ListData *data = g_task_get_task_data (task);

  if (--data->pending == 0)
    g_task_return_pointer (task, entries_to_json (data->entries), (GDestroyNotify) json_node_unref);
}

typedef struct
{
  GTask        *task;
  ServiceEntry *entry;
  SoupMessage  *msg;
  GInputStream *body;
  GByteArray   *td;
} Probe;

static void
probe_free (Probe *probe)
{
  probe_done (probe->task);
  g_object_unref (probe->msg);
  g_clear_object (&probe->body);
  g_byte_array_unref (probe->td);
  g_object_unref (probe->task);
  g_free (probe);
}

static void
probe_refuse_size (Probe *probe)
{
  g_warning ("Service “%s” serves a Thing Description over %u KiB", probe->entry->id,
             OPENIOT_TD_MAX_SIZE / 1024);
  probe->entry->reason = g_strdup_printf ("The Thing Description is too large (over %u KiB).",
                                          OPENIOT_TD_MAX_SIZE / 1024);
}

static void read_td (Probe *probe);

/* The TD is read while it stays within the size a client accepts, and
 * refused at the first byte past it: never read whole and judged after
 * (a 256 MB TD once took the hub to 519 MB). */
static void
on_td_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  g_autoptr(GBytes) td = NULL;

  if (chunk == NULL)
    {
      probe_free (probe);
      return;
    }
  if (g_bytes_get_size (chunk) > 0)
    {
      g_byte_array_append (probe->td, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      if (probe->td->len > OPENIOT_TD_MAX_SIZE)
        probe_refuse_size (probe);
      else
        {
          read_td (probe);
          return;
        }
    }
  else
    {
      td = g_bytes_new (probe->td->data, probe->td->len);
      entry_take_td (probe->entry, td);
    }

  /* Closing an unfinished body drops its connection rather than reading
   * the rest: nothing more of a refused TD is read. */
  probe_free (probe);
}

static void
read_td (Probe *probe)
{
  ListData *data = g_task_get_task_data (probe->task);

  g_input_stream_read_bytes_async (probe->body, PROBE_READ_SIZE, G_PRIORITY_DEFAULT, data->probes,
                                   on_td_read, probe);
}

static void
on_probe_sent (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Probe *probe = user_data;
  SoupMessageHeaders *headers = soup_message_get_response_headers (probe->msg);

  probe->body = soup_session_send_finish (SOUP_SESSION (source), result, NULL);
  if (probe->body == NULL || !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (probe->msg)))
    {
      probe_free (probe);
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > OPENIOT_TD_MAX_SIZE)
    {
      probe_refuse_size (probe);
      probe_free (probe);
      return;
    }

  read_td (probe);
}

static gboolean
on_probes_timeout (gpointer user_data)
{
  ListData *data = user_data;

  data->timeout_id = 0;
  g_cancellable_cancel (data->probes);
  return G_SOURCE_REMOVE;
}

void
openiot_hubd_services_list_async (OpenIotHubdProxy     *proxy,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (proxy, cancellable, callback, user_data);
  g_auto(GStrv) ids = openiot_hubd_services_scan (proxy);
  ListData *data = g_new0 (ListData, 1);

  g_task_set_source_tag (task, openiot_hubd_services_list_async);
  data->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) service_entry_free);
  data->probes = g_cancellable_new ();
  data->pending = 1; /* released below, after every probe started */
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  data->timeout_id = g_timeout_add_seconds (PROBE_TIMEOUT_SECONDS, on_probes_timeout, data);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      ServiceEntry *entry = g_new0 (ServiceEntry, 1);
      Probe *probe = g_new0 (Probe, 1);

      entry->id = g_strdup (ids[i]);
      g_ptr_array_add (data->entries, entry);

      probe->task = g_object_ref (task);
      probe->entry = entry;
      probe->msg = soup_message_new ("GET", "http://localhost" OPENIOT_SERVICE_TD_PATH);
      probe->td = g_byte_array_new ();
      openiot_hubd_service_socket_watch (probe->msg);
      data->pending++;
      soup_session_send_async (openiot_hubd_proxy_get_session (proxy, ids[i]), probe->msg,
                               G_PRIORITY_DEFAULT, data->probes, on_probe_sent, probe);
    }

  probe_done (task);
}

JsonNode *
openiot_hubd_services_list_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
