// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-action-confirm.h"

/*
 * Opening a lock or erasing data is never one slip of a finger away
 * (openiot_interaction_get_needs_confirmation(), docs/actions.md): the
 * one question, asked the same way wherever such an action has a button
 * (the Thing page's action rows, the overview's one-tap actions).
 */

static void
on_response (AdwMessageDialog *dialog,
             const char       *response,
             GtkWidget        *widget)
{
  OpenIotActionConfirmed confirmed = g_object_get_data (G_OBJECT (dialog), "openiot-confirmed");
  OpenIotInteraction *action = g_object_get_data (G_OBJECT (dialog), "openiot-action");

  if (g_strcmp0 (response, "run") == 0)
    confirmed (widget, action);
}

/**
 * openiot_action_confirm:
 * @widget: the widget whose button was pressed
 * @action: the action
 * @device: the Thing's title
 * @confirmed: called with @widget and @action when the action is
 *   confirmed, unless @widget is gone by then: the action the person
 *   agreed to, which the widget may no longer offer (a live state change
 *   while the question was open)
 *
 * Asks "*Action* “*Device*”?", *Cancel* being the default.
 */
void
openiot_action_confirm (GtkWidget              *widget,
                        OpenIotInteraction     *action,
                        const char             *device,
                        OpenIotActionConfirmed  confirmed)
{
  const char *title = openiot_interaction_get_title (action);
  GtkWindow *parent;
  AdwMessageDialog *dialog;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (OPENIOT_IS_INTERACTION (action));
  g_return_if_fail (confirmed != NULL);

  parent = GTK_WINDOW (gtk_widget_get_root (widget));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, NULL, NULL));
  /* TRANSLATORS: an action's title, then a device's: "Unlock “Front door lock”?" */
  adw_message_dialog_format_heading (dialog, _("%s “%s”?"), title, device);
  adw_message_dialog_format_body (dialog,
                                  _("“%s” does this at once, and it cannot be taken back from "
                                    "here."),
                                  device);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), NULL);
  adw_message_dialog_add_response (dialog, "run", title);
  adw_message_dialog_set_response_appearance (dialog, "run", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "openiot-confirmed", confirmed);
  g_object_set_data_full (G_OBJECT (dialog), "openiot-action", g_object_ref (action),
                          g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), widget, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
