// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-pairing-text.h"

#include "openiot-pairing-window-private.h"

/* Steps 4 and 5, "trust" and "success": the hub's certificate and how it
 * was verified, then saving its pin, the only thing the wizard stores,
 * and saying where the hub can be reached. */

void
_openiot_pairing_window_show_trust (OpenIotPairingWindow *self)
{
  OpenIotPairingResult *result = self->result;
  g_autofree char *title = g_strdup_printf (_("Trust “%s”?"),
                                            openiot_pairing_result_get_hub_name (result));
  g_autofree char *grouped =
      openiot_fingerprint_format_grouped (openiot_pairing_result_get_fingerprint (result));
  const char *verification;
  gboolean verified = TRUE;

  switch (openiot_pairing_result_get_verification (result))
    {
    case OPENIOT_VERIFICATION_LINK_FINGERPRINT:
      verification = _("Matches the pairing link, and the hub proved it knows the pairing code.");
      break;
    case OPENIOT_VERIFICATION_PAIRING_CODE:
      verification = _("Verified with the pairing code: the hub proved it knows it.");
      break;
    case OPENIOT_VERIFICATION_TRUST_ON_FIRST_USE:
    default:
      verification = _("Not verified. Compare the fingerprint with the one your hub shows before "
                       "you trust it.");
      verified = FALSE;
      break;
    }

  gtk_label_set_text (self->trust_title_label, title);
  gtk_label_set_text (self->fingerprint_label, grouped);
  gtk_label_set_text (self->verification_label, verification);
  gtk_image_set_from_icon_name (self->verification_icon,
                                verified ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (self->verification_box, verified ? "warning" : "success");
  gtk_widget_add_css_class (self->verification_box, verified ? "success" : "warning");
  _openiot_pairing_window_clear_error (self);
  _openiot_pairing_window_show_page (self, "trust");
}

static void
on_pin_saved (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(OpenIotPairingStep) step = user_data;
  OpenIotPairingWindow *self = step->self;
  OpenIotHubRecord *record = self->record;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char * const *addresses;
  const char * const *scopes;
  OpenIotHub *hub;

  if (!openiot_pin_store_save_finish (OPENIOT_PIN_STORE (source), res, &error))
    {
      g_autofree char *message = NULL;

      if (_openiot_pairing_step_is_stale (step))
        return;

      if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_KEYRING))
        message = g_strdup_printf (_("The hub could not be saved: the keyring is not available. "
                                     "Unlock it (for example in Passwords and Keys) and press "
                                     "Trust again.\n\nDetails: %s"),
                                   error->message);
      else
        message = g_strdup_printf (_("The hub could not be saved. Details: %s"), error->message);
      /* Also after one-step pairing: the hub has registered this device
       * and the code is spent, so Trust (saving again) is the way on. */
      _openiot_pairing_window_show_trust (self);
      gtk_label_set_text (self->trust_error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->trust_error_label), TRUE);
      return;
    }

  /* Saved, even if the person pressed Cancel a moment too late: the
   * application's list must match the pin store either way. */
  hub = openiot_application_add_hub (self->application, record, self->identity);
  if (_openiot_pairing_step_is_stale (step))
    return;

  title = g_strdup_printf (_("Paired with “%s”"), openiot_hub_record_get_name (record));
  adw_status_page_set_title (self->success_page, title);
  if (openiot_pairing_result_get_verification (self->result) ==
      OPENIOT_VERIFICATION_LINK_FINGERPRINT)
    adw_status_page_set_description (self->success_page,
                                     _("The hub matches the link and proved it knows the code. "
                                       "This device remembers its certificate and checks it "
                                       "every time."));
  else
    adw_status_page_set_description (self->success_page,
                                     _("This device remembers the hub’s certificate and checks "
                                       "it every time."));

  for (guint i = 0; i < self->address_rows->len; i++)
    adw_preferences_group_remove (self->addresses_group, self->address_rows->pdata[i]);
  g_ptr_array_set_size (self->address_rows, 0);

  addresses = openiot_hub_record_get_addresses (record);
  scopes = openiot_hub_record_get_scopes (record);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), addresses[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   openiot_pairing_text_scope (scopes ? scopes[i] : NULL));
      adw_preferences_group_add (self->addresses_group, row);
      g_ptr_array_add (self->address_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->addresses_group), self->address_rows->len > 0);

  _openiot_pairing_window_show_page (self, "success");
  _openiot_pairing_window_emit_paired (self, hub);
}

/* The only place anything is stored: after the person said they trust
 * it, on the trust page or, for a whole link, by pressing Pair. */
void
_openiot_pairing_window_save_result (OpenIotPairingWindow *self,
                                     const char           *return_page)
{
  g_autofree char *what = NULL;

  g_assert (self->result != NULL);

  g_clear_object (&self->record);
  self->record = openiot_hub_record_new_from_pairing (self->result);
  what = g_strdup_printf (_("Saving “%s”…"), openiot_hub_record_get_name (self->record));
  _openiot_pairing_window_clear_error (self);
  _openiot_pairing_window_show_progress (self, what, return_page);
  openiot_pin_store_save_async (openiot_application_get_pin_store (self->application), self->record,
                                self->cancellable, on_pin_saved, _openiot_pairing_step_new (self));
}

static void
trust_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);

  if (self->result != NULL)
    _openiot_pairing_window_save_result (self, "trust");
}

void
_openiot_pairing_window_trust_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "wizard.trust", NULL, trust_action);
}
