// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-pairing-window.h"

/* STUB: being written (the pairing wizard). Emits "paired" (OpenIotHub *). */
struct _OpenIotPairingWindow
{
  AdwWindow           parent_instance;

  OpenIotApplication *application;
};

G_DEFINE_FINAL_TYPE (OpenIotPairingWindow, openiot_pairing_window, ADW_TYPE_WINDOW)

enum {
  PAIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
openiot_pairing_window_class_init (OpenIotPairingWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/openiot/Client/ui/openiot-pairing-window.ui");

  signals[PAIRED] = g_signal_new ("paired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, OPENIOT_TYPE_HUB);
}

static void
openiot_pairing_window_init (OpenIotPairingWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

OpenIotPairingWindow *
openiot_pairing_window_new (GtkWindow          *parent,
                            OpenIotApplication *application,
                            const char         *link)
{
  OpenIotPairingWindow *self = g_object_new (OPENIOT_TYPE_PAIRING_WINDOW, "transient-for", parent, "modal", TRUE, NULL);

  self->application = application;
  return self;
}
