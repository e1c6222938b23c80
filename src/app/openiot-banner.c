// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "openiot-banner.h"

/*
 * OpenIotBanner:
 *
 * A strip across the top of a page that says why it cannot show what it
 * should (offline, certificate changed, removed) and offers the one thing
 * to do about it, as an action. AdwBanner needs libadwaita 1.3.
 */
struct _OpenIotBanner
{
  GtkWidget    parent_instance;

  GtkRevealer *revealer;
  GtkWidget   *box;
  GtkLabel    *label;
  GtkButton   *button;
};

G_DEFINE_FINAL_TYPE (OpenIotBanner, openiot_banner, GTK_TYPE_WIDGET)

/**
 * openiot_banner_show:
 * @button: the button's label, with its mnemonic
 * @action: the detailed action the button activates
 * @error: whether it is an error (red) rather than a warning
 */
void
openiot_banner_show (OpenIotBanner *self,
                     const char    *text,
                     const char    *button,
                     const char    *action,
                     gboolean       error)
{
  g_return_if_fail (OPENIOT_IS_BANNER (self));

  gtk_label_set_text (self->label, text);
  gtk_button_set_label (self->button, button);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->button), action);
  if (error)
    gtk_widget_add_css_class (self->box, "error");
  else
    gtk_widget_remove_css_class (self->box, "error");
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

void
openiot_banner_hide (OpenIotBanner *self)
{
  g_return_if_fail (OPENIOT_IS_BANNER (self));

  gtk_revealer_set_reveal_child (self->revealer, FALSE);
}

static void
openiot_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), OPENIOT_TYPE_BANNER);

  G_OBJECT_CLASS (openiot_banner_parent_class)->dispose (object);
}

static void
openiot_banner_class_init (OpenIotBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = openiot_banner_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openiot/Client/ui/openiot-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, OpenIotBanner, box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotBanner, label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotBanner, button);
}

static void
openiot_banner_init (OpenIotBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
