// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-pairing-text.h"

#include "openiot-pairing-window-private.h"

/* Steps 2 and 3, "code" and "progress": the pairing code and this
 * device's name, then pairing itself. This device's identity is loaded
 * (or made) first, then libopeniot registers it with the hub over
 * TLS-SRP; the result goes on to the trust step
 * (openiot-pairing-window-trust.c), and errors back to the page pairing
 * started from. */

static void start_pairing (OpenIotPairingWindow *self);

static char *
get_device_name (OpenIotPairingWindow *self)
{
  return _openiot_pairing_window_dup_row_text (self->name_row);
}

void
_openiot_pairing_window_update_code_actions (OpenIotPairingWindow *self)
{
  g_autofree char *code = _openiot_pairing_window_dup_code (self);
  g_autofree char *name = get_device_name (self);
  gboolean name_ok = openiot_check_device_name (name, NULL);

  _openiot_pairing_window_set_row_style_error (self->name_row, !name_ok);
  _openiot_pairing_window_set_row_style_error (self->confirm_name_row, !name_ok);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.pair", code != NULL && name_ok);
}

static void
on_code_changed (OpenIotPairingWindow *self)
{
  _openiot_pairing_window_update_code_actions (self);
}

static void
on_name_changed (OpenIotPairingWindow *self)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  _openiot_pairing_window_update_code_actions (self);
}

static void
on_code_activated (OpenIotPairingWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.pair", NULL);
}

/* The code and confirm pages say an error alike: a title and what to do */
static void
say_error (GtkWidget  *box,
           GtkLabel   *title_label,
           GtkLabel   *label,
           const char *title,
           const char *detail)
{
  gtk_label_set_text (title_label, title);
  gtk_label_set_text (label, detail);
  gtk_widget_set_visible (box, TRUE);
}

/* Says on the page pairing started from what went wrong and what to do
 * about it. */
static void
show_error (OpenIotPairingWindow *self,
            const GError         *error)
{
  const char *host = self->link ? openiot_pairing_link_get_host (self->link) : self->host;
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;
  gboolean code_is_dead = openiot_pairing_text_explain_error (error, host, &title, &detail);

  /* A link whose code the hub refused (or closed) is of no further use,
   * but the hub is still the one the link names: the code it shows now,
   * typed on the code page, pairs with the link's fingerprint checked as
   * before. An impostor is no matter of codes: said where it happened. */
  if (g_strcmp0 (self->input_page, "confirm") == 0 &&
      !(code_is_dead && !g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED)))
    {
      /* Another hub answered: no reassurance, and no Pair to try it
       * again; Cancel is the way out. */
      gboolean attack = g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED);

      say_error (self->confirm_error_box, self->confirm_error_title_label,
                 self->confirm_error_label, title, detail);
      gtk_widget_set_visible (self->confirm_match_box, !attack);
      gtk_widget_set_visible (GTK_WIDGET (self->confirm_button), !attack);
      _openiot_pairing_window_show_page (self, "confirm");
      return;
    }

  /* The name stays as typed; a code the hub refused is of no further use */
  if (code_is_dead)
    gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");

  self->input_page = "code";
  say_error (self->error_box, self->error_title_label, self->error_label, title, detail);
  _openiot_pairing_window_show_page (self, "code");
}

/* After a pairing step's finish: TRUE when there is nothing more to do,
 * because the person cancelled it (then nothing is said) or it failed
 * (then why is said). */
static gboolean
step_failed (OpenIotPairingStep *step,
             gconstpointer       result,
             const GError       *error)
{
  if (_openiot_pairing_step_is_stale (step))
    return TRUE;

  if (result == NULL)
    {
      show_error (step->self, error);
      return TRUE;
    }
  return FALSE;
}

void
_openiot_pairing_window_disconnect_loading (OpenIotPairingWindow *self)
{
  if (self->loading_handler != 0)
    g_clear_signal_handler (&self->loading_handler, self->application);
}

/* The progress page's Cancel: stop what runs and go back one step. */
static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cancellable, g_cancellable_new ());
  _openiot_pairing_window_disconnect_loading (self);
  _openiot_pairing_window_show_page (self,
                                     self->return_page ? self->return_page : self->input_page);
}

static void
on_paired (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(OpenIotPairingStep) step = user_data;
  OpenIotPairingWindow *self = step->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotPairingResult) result = openiot_pair_finish (res, &error);

  if (step_failed (step, result, error))
    return;

  g_clear_pointer (&self->result, openiot_pairing_result_unref);
  self->result = g_steal_pointer (&result);

  /* The hub proved the code and has the certificate the link names: the
   * person already said yes to exactly this, so ask nothing more. */
  if (openiot_pairing_result_get_verification (self->result) ==
      OPENIOT_VERIFICATION_LINK_FINGERPRINT)
    _openiot_pairing_window_save_result (self, self->input_page);
  else
    _openiot_pairing_window_show_trust (self);
}

/* The link to pair with: the one given (with the code as typed now), or
 * one made from the typed address. A host name stays a name: libopeniot
 * resolves it and races its addresses, link-local last. */
static OpenIotPairingLink *
make_link (OpenIotPairingWindow *self,
           const char           *code)
{
  if (self->link != NULL)
    return openiot_pairing_link_copy_with_code (self->link, code);
  return openiot_pairing_link_new (self->host, self->pairing_port, 0, code, NULL, NULL, NULL);
}

static void
pair_with (OpenIotPairingWindow *self)
{
  g_autofree char *code = _openiot_pairing_window_dup_code (self);
  g_autofree char *name = get_device_name (self);
  g_autoptr(OpenIotPairingLink) link = NULL;

  /* The code and name were checked before Pair was enabled; only a change
   * while the key was being made could get here without them. */
  if (code == NULL || !openiot_check_device_name (name, NULL))
    {
      _openiot_pairing_window_show_page (self, self->input_page);
      return;
    }

  link = make_link (self, code);
  _openiot_pairing_window_show_progress (self, _("Checking the code with the hub…"),
                                         self->input_page);
  openiot_pair_async (link, name, openiot_identity_get_certificate_pem (self->identity),
                      self->cancellable, on_paired, _openiot_pairing_step_new (self));
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(OpenIotPairingStep) step = user_data;
  OpenIotPairingWindow *self = step->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotIdentity) identity =
      openiot_application_load_identity_finish (OPENIOT_APPLICATION (source), res, &error);

  if (step_failed (step, identity, error))
    return;
  g_set_object (&self->identity, identity);
  pair_with (self);
}

static void
on_application_loading (OpenIotPairingWindow *self)
{
  if (openiot_application_get_loading (self->application))
    return;
  _openiot_pairing_window_disconnect_loading (self);
  start_pairing (self);
}

static void
start_pairing (OpenIotPairingWindow *self)
{
  g_autofree char *name = get_device_name (self);

  _openiot_pairing_window_show_progress (self, _("Making this device’s key…"),
                                         self->input_page);

  /* The application loads (or makes) this device's identity when it
   * starts. Asking at the same time would make a second key on first use,
   * and the hub would then know a certificate this device does not use. */
  if (openiot_application_get_loading (self->application))
    {
      if (self->loading_handler == 0)
        self->loading_handler = g_signal_connect_swapped (self->application, "notify::loading",
                                                          G_CALLBACK (on_application_loading),
                                                          self);
      return;
    }

  openiot_application_load_identity_async (self->application, name, self->cancellable,
                                           on_identity_loaded, _openiot_pairing_step_new (self));
}

static void
pair_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (widget);

  _openiot_pairing_window_clear_error (self);
  start_pairing (self);
}

/* A name the wizard suggests, which does not count as typed */
static void
set_device_name (OpenIotPairingWindow *self,
                 const char           *name)
{
  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  self->setting_name = FALSE;
}

static void
on_machine_info_loaded (GObject      *source,
                        GAsyncResult *res,
                        gpointer      user_data)
{
  g_autoptr(OpenIotPairingStep) step = user_data;
  OpenIotPairingWindow *self = step->self;
  g_autofree char *contents = NULL;
  g_autofree char *pretty = NULL;

  if (!g_file_load_contents_finish (G_FILE (source), res, &contents, NULL, NULL, NULL) ||
      _openiot_pairing_step_is_stale (step))
    return;

  if ((pretty = openiot_pairing_text_pretty_name (contents)) == NULL || self->name_edited)
    return;

  set_device_name (self, pretty);
}

/* PRETTY_HOSTNAME ("Anna's Laptop") is what people call the machine;
 * the host name ("anna-laptop") is shown until it arrives, and stays when
 * there is none. */
void
_openiot_pairing_window_load_device_name (OpenIotPairingWindow *self)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/etc/machine-info");

  set_device_name (self, g_get_host_name ());

  g_file_load_contents_async (file, self->cancellable, on_machine_info_loaded,
                              _openiot_pairing_step_new (self));
}

void
_openiot_pairing_window_pair_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_code_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);

  gtk_widget_class_install_action (widget_class, "wizard.pair", NULL, pair_action);
  gtk_widget_class_install_action (widget_class, "wizard.stop", NULL, stop_action);
}
