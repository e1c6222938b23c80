// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "openiot-toast.h"

/**
 * openiot_toast_show:
 * @widget: a widget inside a toast overlay (a page, a row), or a window
 *   whose content is one
 *
 * Shows a transient message where @widget is. Without an overlay (a
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
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}
