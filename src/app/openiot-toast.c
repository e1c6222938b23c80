// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "openiot-toast.h"

/**
 * openiot_toast_show:
 * @widget: a widget inside a toast overlay (a page, a row), or a window
 *   whose content is one
 *
 * Shows a transient message where @widget is; @message is plain text,
 * not markup. Without an overlay (a
 * widget not on screen yet) the message is dropped: it was transient.
 */
void
openiot_toast_show (GtkWidget  *widget,
                    const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  if (overlay == NULL && GTK_IS_WINDOW (widget))
    overlay = gtk_widget_get_first_child (widget);
  if (overlay != NULL && ADW_IS_TOAST_OVERLAY (overlay))
    {
      /* A toast's title is markup (libadwaita 1.2), and messages carry
       * names people and hubs chose ("Anna & Tom"): escaped there, plain
       * text in the label that shows. */
      g_autofree char *title = g_markup_escape_text (message, -1);
      AdwToast *toast = adw_toast_new (title);
      GtkWidget *label = gtk_label_new (message);

      /* A toast's own title keeps to one line and cuts a reason short
       * on a phone; this one wraps, and asks no more width than a
       * phone has (a toast takes its natural width). */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 26);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      adw_toast_set_custom_title (toast, label);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}
