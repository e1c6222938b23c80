// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-read-bounded"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "openiot-error.h"

#include "openiot-read-bounded-private.h"

#define CHUNK_SIZE (64 * 1024)

/*
 * Reads a whole answer, but never more than a limit: a hostile service
 * behind the hub may stream gigabytes, and checking the size once all of
 * it is in memory is too late (a phone would be killed first). The read
 * stops at the first byte past the limit and the task fails.
 */
typedef struct
{
  GByteArray *buffer;
  gsize       max_size;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_clear_pointer (&data->buffer, g_byte_array_unref);
  g_free (data);
}

static void read_next (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk =
    g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize len;
  const guint8 *bytes;

  if (chunk == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  bytes = g_bytes_get_data (chunk, &len);
  if (len == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&data->buffer)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (len > data->max_size - data->buffer->len)
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               _("The answer is too large (over %u KiB); it was not read further."),
                               (guint) (data->max_size / 1024));
      return;
    }
  g_byte_array_append (data->buffer, bytes, len);
  read_next (task);
}

static void
read_next (GTask *task)
{
  GInputStream *stream = g_task_get_source_object (task);
  ReadData *data = g_task_get_task_data (task);
  /* One byte more than is left, so that going past the limit shows. */
  gsize want = MIN (CHUNK_SIZE, data->max_size - data->buffer->len + 1);

  g_input_stream_read_bytes_async (stream, want, g_task_get_priority (task),
                                   g_task_get_cancellable (task),
                                   on_read, g_object_ref (task));
}

/*
 * _openiot_read_bounded_async:
 * @max_size: the most bytes the answer may have
 *
 * Reads @stream to its end into memory, failing with
 * %OPENIOT_ERROR_INVALID_DATA as soon as it holds more than @max_size
 * bytes.
 */
void
_openiot_read_bounded_async (GInputStream        *stream,
                             gsize                max_size,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  ReadData *data = g_new0 (ReadData, 1);

  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  g_task_set_source_tag (task, _openiot_read_bounded_async);
  data->buffer = g_byte_array_new ();
  data->max_size = max_size;
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  read_next (task);
}

GBytes *
_openiot_read_bounded_finish (GInputStream  *stream,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
