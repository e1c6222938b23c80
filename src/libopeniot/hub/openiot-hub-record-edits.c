// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-hub"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-fingerprint.h"

#include "openiot-hub-private.h"

/* Record edits: the nickname and an accepted certificate are both saved
 * as a whole record. Saved side by side, each from the record as it was
 * when asked, the last to finish would put back what the other changed (a
 * lost nickname, or the old pin on disk under a hub that now uses the
 * new one). So one is saved at a time, in the order they were asked, each
 * built from the current record when its turn comes. */
typedef enum
{
  RECORD_EDIT_NICKNAME,
  RECORD_EDIT_CERTIFICATE,
} RecordEditKind;

typedef struct
{
  RecordEditKind    kind;
  char             *value;    /* the nickname, or the accepted fingerprint */
  OpenIotHubRecord *record;   /* what is being saved, once its turn came */
} RecordEdit;

static void
record_edit_free (RecordEdit *edit)
{
  g_free (edit->value);
  g_clear_object (&edit->record);
  g_free (edit);
}

static void start_next_record_edit (OpenIotHub *self);

/* The record @edit makes of the current one, or NULL with @error set */
static OpenIotHubRecord *
build_record (OpenIotHub  *self,
              RecordEdit  *edit,
              GError     **error)
{
  if (edit->kind == RECORD_EDIT_NICKNAME)
    return openiot_hub_record_with_nickname (self->record, edit->value, error);

  /* Checked again now: what the hub presents may have changed since */
  if (self->state != OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED || self->presented_pem == NULL ||
      !openiot_fingerprint_equal (edit->value, self->presented_fingerprint))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED,
                           _("The hub now presents another certificate than the one you reviewed. "
                             "Review it again."));
      return NULL;
    }
  return openiot_hub_record_with_certificate (self->record, self->presented_pem, error);
}

static void
apply_record (OpenIotHub *self,
              RecordEdit *edit)
{
  if (edit->kind == RECORD_EDIT_NICKNAME)
    _openiot_hub_apply_renamed_record (self, edit->record);
  else
    _openiot_hub_apply_accepted_record (self, edit->record);
}

static void
on_record_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHub *self = g_task_get_source_object (task);
  RecordEdit *edit = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  self->saving_record = FALSE;
  if (!openiot_pin_store_save_finish (OPENIOT_PIN_STORE (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    {
      apply_record (self, edit);
      g_task_return_boolean (task, TRUE);
    }
  /* Unless the callback just started the next one */
  start_next_record_edit (self);
}

static void
start_next_record_edit (OpenIotHub *self)
{
  GTask *next;

  if (self->saving_record)
    return;
  while ((next = g_queue_pop_head (&self->record_edits)) != NULL)
    {
      g_autoptr(GTask) task = next;
      RecordEdit *edit = g_task_get_task_data (task);
      GCancellable *cancellable = g_task_get_cancellable (task);  /* before task is handed over */
      g_autoptr(GError) error = NULL;

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (!(edit->record = build_record (self, edit, &error)))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          continue;
        }
      self->saving_record = TRUE;
      openiot_pin_store_save_async (self->pin_store, edit->record, cancellable, on_record_saved,
                                    g_steal_pointer (&task));
      return;
    }
}

/* Queues @task to save the edit; what was asked (a nickname the rule
 * refuses, a certificate other than the one the hub presents) fails at
 * once, and is checked again when its turn comes. */
static void
queue_record_edit (OpenIotHub     *self,
                   GTask          *task,
                   RecordEditKind  kind,
                   const char     *value)
{
  RecordEdit check = { kind, (char *) value, NULL };
  g_autoptr(OpenIotHubRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  RecordEdit *edit;

  if (!(record = build_record (self, &check, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  edit = g_new0 (RecordEdit, 1);
  edit->kind = kind;
  edit->value = g_strdup (value);
  g_task_set_task_data (task, edit, (GDestroyNotify) record_edit_free);
  g_queue_push_tail (&self->record_edits, g_object_ref (task));
  start_next_record_edit (self);
}

/**
 * openiot_hub_accept_certificate_async:
 * @fingerprint: the fingerprint the user was shown and accepted
 *
 * Pins the certificate the hub presented instead of the old one, after
 * the user decided to. Fails when @fingerprint is not what the hub
 * presented: the user accepts what they saw, nothing else.
 */
void
openiot_hub_accept_certificate_async (OpenIotHub          *self,
                                      const char          *fingerprint,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OPENIOT_IS_HUB (self));

  g_task_set_source_tag (task, openiot_hub_accept_certificate_async);
  queue_record_edit (self, task, RECORD_EDIT_CERTIFICATE, fingerprint);
}

gboolean
openiot_hub_accept_certificate_finish (OpenIotHub    *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * openiot_hub_set_nickname_async:
 * @nickname: (nullable): what to call the hub on this device; %NULL or ""
 *   goes back to the hub's own name
 *
 * Stores a local nickname with the hub's record (the hub is not told).
 * [property@OpenIot.Hub:record] changes once it is saved.
 */
void
openiot_hub_set_nickname_async (OpenIotHub          *self,
                                const char          *nickname,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OPENIOT_IS_HUB (self));

  g_task_set_source_tag (task, openiot_hub_set_nickname_async);
  queue_record_edit (self, task, RECORD_EDIT_NICKNAME, nickname);
}

gboolean
openiot_hub_set_nickname_finish (OpenIotHub    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
