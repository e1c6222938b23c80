// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-certificate-dialog.h"
#include "openiot-error-text.h"
#include "openiot-toast.h"

/*
 * OpenIotCertificateDialog:
 *
 * The decision about a hub that presents another certificate than the
 * pinned one: both fingerprints, one above the other, with when the old
 * one was trusted and when the new one was first seen, and whether the
 * hub's rotation proof verifies (a renewal, a calm notice) or not (an
 * unverified certificate, a warning).
 *
 * Closing it, Escape and Enter all keep blocking; trusting the new
 * certificate needs ticking the comparison box first, then the button.
 * What is accepted is the fingerprint shown, nothing else. Tab goes from
 * the heading to the box to the buttons: the fingerprints are read, not
 * visited, and copied with their buttons.
 */
struct _OpenIotCertificateDialog
{
  AdwMessageDialog  parent_instance;

  GtkWidget        *previous_copy;
  GtkWidget        *presented_copy;
  GtkLabel         *previous_label;
  GtkLabel         *previous_since;
  GtkLabel         *presented_label;
  GtkLabel         *presented_since;
  GtkCheckButton   *confirm_check;

  OpenIotHub       *hub;
  char             *presented;
};

G_DEFINE_FINAL_TYPE (OpenIotCertificateDialog, openiot_certificate_dialog, ADW_TYPE_MESSAGE_DIALOG)

static char *
local_date (GDateTime *when)
{
  g_autoptr(GDateTime) local = when ? g_date_time_to_local (when) : NULL;

  return local ? g_date_time_format (local, "%x %X") : g_strdup ("?");
}

static void
on_confirm_toggled (OpenIotCertificateDialog *self)
{
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "accept",
                                           gtk_check_button_get_active (self->confirm_check));
}

static void
on_copy_clicked (OpenIotCertificateDialog *self,
                 GtkWidget                *button)
{
  const char *fingerprint = button == self->previous_copy
    ? openiot_hub_record_get_fingerprint (openiot_hub_get_record (self->hub))
    : self->presented;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (button), fingerprint);
}

static void
on_accepted (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GtkWindow) parent = user_data;
  g_autoptr(GError) error = NULL;

  if (!openiot_hub_accept_certificate_finish (OPENIOT_HUB (source), result, &error))
    {
      g_autofree char *text = openiot_error_text (error);

      g_warning ("Certificate not accepted: %s", error->message);
      openiot_toast_show (GTK_WIDGET (parent), text);
    }
}

static void
on_response (OpenIotCertificateDialog *self,
             const char               *response)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (g_strcmp0 (response, "accept") == 0 && gtk_check_button_get_active (self->confirm_check))
    openiot_hub_accept_certificate_async (self->hub, self->presented, NULL, on_accepted,
                                          parent ? g_object_ref (parent) : NULL);
}

OpenIotCertificateDialog *
openiot_certificate_dialog_new (GtkWindow  *parent,
                                OpenIotHub *hub)
{
  OpenIotCertificateDialog *self = g_object_new (OPENIOT_TYPE_CERTIFICATE_DIALOG,
                                                 "transient-for", parent, "modal", TRUE, NULL);
  OpenIotHubRecord *record = openiot_hub_get_record (hub);
  g_autofree char *previous =
      openiot_fingerprint_format_grouped (openiot_hub_record_get_fingerprint (record));
  g_autofree char *presented =
      openiot_fingerprint_format_grouped (openiot_hub_get_presented_fingerprint (hub));
  g_autofree char *paired = local_date (openiot_hub_record_get_trusted (record));
  g_autofree char *seen = local_date (openiot_hub_get_presented_since (hub));
  g_autofree char *previous_since = g_strdup_printf (_("Trusted since %s"), paired);
  g_autofree char *presented_since = g_strdup_printf (_("First seen %s"), seen);
  gboolean rotated = openiot_hub_get_rotation_verified (hub);

  self->hub = g_object_ref (hub);
  self->presented = g_strdup (openiot_hub_get_presented_fingerprint (hub));

  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                  rotated ? _("The Hub Renewed Its Certificate")
                                          : _("Unverified Certificate"));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  rotated ? _("“%s” says it replaced its certificate, and the "
                                              "new one is signed by the certificate you trusted. "
                                              "If you or its admin renewed it, trust the new one. "
                                              "Until you do, nothing is sent to the hub.")
                                          : _("“%s” presented a certificate that is not "
                                              "signed by the one you trusted. This may be an "
                                              "attack. If the hub was reset or replaced, compare "
                                              "the new fingerprint with the one it shows. Until "
                                              "you decide, nothing is sent to the hub."),
                                  openiot_hub_record_get_display_name (record));
  gtk_label_set_text (self->previous_label, previous);
  gtk_label_set_text (self->presented_label, presented);
  gtk_label_set_text (self->previous_since, previous_since);
  gtk_label_set_text (self->presented_since, presented_since);
  if (rotated)
    adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (self), "accept",
                                                ADW_RESPONSE_SUGGESTED);

  g_signal_connect (self, "response", G_CALLBACK (on_response), NULL);
  return self;
}

static void
openiot_certificate_dialog_finalize (GObject *object)
{
  OpenIotCertificateDialog *self = OPENIOT_CERTIFICATE_DIALOG (object);

  g_clear_object (&self->hub);
  g_free (self->presented);

  G_OBJECT_CLASS (openiot_certificate_dialog_parent_class)->finalize (object);
}

static void
openiot_certificate_dialog_class_init (OpenIotCertificateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = openiot_certificate_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/openiot/Client/ui/"
                                                             "openiot-certificate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotCertificateDialog, previous_copy);
  gtk_widget_class_bind_template_child (widget_class, OpenIotCertificateDialog, presented_copy);
  gtk_widget_class_bind_template_child (widget_class, OpenIotCertificateDialog, previous_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotCertificateDialog, previous_since);
  gtk_widget_class_bind_template_child (widget_class, OpenIotCertificateDialog, presented_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotCertificateDialog, presented_since);
  gtk_widget_class_bind_template_child (widget_class, OpenIotCertificateDialog, confirm_check);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
}

static void
openiot_certificate_dialog_init (OpenIotCertificateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
