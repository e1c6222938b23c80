// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include "openiot-pairing-text.h"

#include "openiot-pairing-window-private.h"

/*
 * OpenIotPairingWindow:
 *
 * The pairing wizard: reach the hub (a pairing link or an address), enter
 * the pairing code, let libopeniot register this device over TLS-SRP, and
 * ask the person to trust the hub's certificate. Nothing is stored before
 * they press "Trust This Hub"; then the pin is saved, the hub is added to
 * the application and "paired" is emitted.
 *
 * A whole link (code and fingerprint) needs one confirmation only: the
 * "confirm" page shows the fingerprint the link names, and Pair runs
 * TLS-SRP and saves at once when the hub both proved the code and has
 * that certificate. There is nothing left for a person to compare.
 *
 * A link for a hub that is already paired (the same fingerprint) leads to
 * "known" instead, which offers to open that hub ("open-hub") or to pair
 * again, for a hub that has forgotten this device.
 *
 * Pages of one GtkStack, in order: "reach", "code" or "confirm" (or
 * "known"), "progress", "trust", "success". Every step that waits runs with
 * self->cancellable, which Cancel, Escape and closing the window cancel.
 * Each page has one Cancel: the header's, or its own where Cancel means
 * something else (stop and go back on "progress", store nothing on
 * "trust").
 *
 * This file holds the type, the pages' navigation (header buttons, focus,
 * Enter) and what every step shares; the steps are in
 * openiot-pairing-window-{reach,pair,trust}.c.
 */

G_DEFINE_FINAL_TYPE (OpenIotPairingWindow, openiot_pairing_window, ADW_TYPE_WINDOW)

enum {
  PAIRED,
  OPEN_HUB,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

OpenIotPairingStep *
_openiot_pairing_step_new (OpenIotPairingWindow *self)
{
  OpenIotPairingStep *step = g_new0 (OpenIotPairingStep, 1);

  step->self = g_object_ref (self);
  step->cancellable = g_object_ref (self->cancellable);
  return step;
}

void
_openiot_pairing_step_free (OpenIotPairingStep *step)
{
  g_object_unref (step->self);
  g_object_unref (step->cancellable);
  g_free (step);
}

gboolean
_openiot_pairing_step_is_stale (OpenIotPairingStep *step)
{
  return g_cancellable_is_cancelled (step->cancellable);
}

void
_openiot_pairing_window_emit_paired (OpenIotPairingWindow *self,
                                     OpenIotHub           *hub)
{
  g_signal_emit (self, signals[PAIRED], 0, hub);
}

void
_openiot_pairing_window_emit_open_hub (OpenIotPairingWindow *self,
                                       OpenIotHub           *hub)
{
  g_signal_emit (self, signals[OPEN_HUB], 0, hub);
}

/* What a row holds, without the spaces a paste brings along */
char *
_openiot_pairing_window_dup_row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The code as typed, or NULL while it is not a whole code */
char *
_openiot_pairing_window_dup_code (OpenIotPairingWindow *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->code_row));

  return openiot_pairing_code_normalize (typed);
}

void
_openiot_pairing_window_set_row_style_error (AdwEntryRow *row,
                                             gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

void
_openiot_pairing_window_show_page (OpenIotPairingWindow *self,
                                   const char           *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

void
_openiot_pairing_window_show_progress (OpenIotPairingWindow *self,
                                       const char           *what,
                                       const char           *return_page)
{
  gtk_label_set_text (self->progress_label, what);
  self->return_page = return_page;
  _openiot_pairing_window_show_page (self, "progress");
}

/* Header buttons, spinner, Enter's default and focus follow the page. */
static void
on_page_changed (OpenIotPairingWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  GtkWidget *default_widget = NULL;
  GtkWidget *focus = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button),
                          g_strcmp0 (page, "code") == 0 || g_strcmp0 (page, "confirm") == 0);
  /* "progress" and "trust" have a Cancel of their own; a second one in
   * the header, meaning something else, would make people guess. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          g_strcmp0 (page, "reach") == 0 || g_strcmp0 (page, "code") == 0 ||
                          g_strcmp0 (page, "confirm") == 0 || g_strcmp0 (page, "known") == 0);
  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (page, "progress") == 0);

  if (g_strcmp0 (page, "reach") == 0)
    {
      default_widget = GTK_WIDGET (self->continue_button);
      focus = GTK_WIDGET (self->link_row);
    }
  else if (g_strcmp0 (page, "code") == 0)
    {
      g_autofree char *code = _openiot_pairing_window_dup_code (self);

      default_widget = GTK_WIDGET (self->pair_button);
      /* With the code from a link, Enter pairs at once */
      focus = code ? GTK_WIDGET (self->pair_button) : GTK_WIDGET (self->code_row);
    }
  else if (g_strcmp0 (page, "confirm") == 0)
    {
      /* The link said which hub; Enter pairs, and pairing checks it */
      default_widget = GTK_WIDGET (self->confirm_button);
      focus = GTK_WIDGET (self->confirm_button);
    }
  else if (g_strcmp0 (page, "progress") == 0)
    focus = GTK_WIDGET (self->stop_button);
  else if (g_strcmp0 (page, "trust") == 0)
    {
      /* Trusting is a deliberate click: Enter (and a stray Space) lands
       * on Cancel, which stores nothing. */
      default_widget = GTK_WIDGET (self->distrust_button);
      focus = GTK_WIDGET (self->distrust_button);
    }
  else if (g_strcmp0 (page, "known") == 0)
    {
      default_widget = GTK_WIDGET (self->open_hub_button);
      focus = GTK_WIDGET (self->open_hub_button);
    }
  else if (g_strcmp0 (page, "success") == 0)
    {
      default_widget = GTK_WIDGET (self->done_button);
      focus = GTK_WIDGET (self->done_button);
    }

  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);

  /* The stack may have passed focus to the selectable fingerprint on the
   * way, which selects it all: show it unselected, ready to be read. */
  gtk_label_select_region (self->fingerprint_label, 0, 0);
}

void
_openiot_pairing_window_clear_error (OpenIotPairingWindow *self)
{
  gtk_widget_set_visible (self->error_box, FALSE);
  gtk_widget_set_visible (self->confirm_error_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->trust_error_label), FALSE);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _openiot_pairing_window_show_page (OPENIOT_PAIRING_WINDOW (widget), "reach");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  /* dispose cancels whatever still runs */
  gtk_window_close (GTK_WINDOW (widget));
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
openiot_pairing_window_dispose (GObject *object)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (object);

  /* Closing the window stops whatever was running */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  _openiot_pairing_window_disconnect_loading (self);
  if (self->known_handler != 0)
    g_clear_signal_handler (&self->known_handler, self->application);
  if (self->discovery != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->discovery, self);
      openiot_discovery_stop (self->discovery);
      g_clear_object (&self->discovery);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), OPENIOT_TYPE_PAIRING_WINDOW);

  G_OBJECT_CLASS (openiot_pairing_window_parent_class)->dispose (object);
}

static void
openiot_pairing_window_finalize (GObject *object)
{
  OpenIotPairingWindow *self = OPENIOT_PAIRING_WINDOW (object);

  g_clear_object (&self->application);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->link, openiot_pairing_link_unref);
  g_clear_pointer (&self->host, g_free);
  g_clear_object (&self->identity);
  g_clear_pointer (&self->result, openiot_pairing_result_unref);
  g_clear_object (&self->record);
  g_clear_object (&self->known_hub);
  g_clear_pointer (&self->address_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (openiot_pairing_window_parent_class)->finalize (object);
}

static void
openiot_pairing_window_class_init (OpenIotPairingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = openiot_pairing_window_dispose;
  object_class->finalize = openiot_pairing_window_finalize;

  /**
   * OpenIotPairingWindow::paired:
   * @hub: the hub, already saved and added to the application
   *
   * Emitted once the person trusted the hub and its pin was saved.
   */
  signals[PAIRED] = g_signal_new ("paired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL,
                                  G_TYPE_NONE, 1, OPENIOT_TYPE_HUB);

  /**
   * OpenIotPairingWindow::open-hub:
   * @hub: a hub that was paired already
   *
   * Emitted when the person opened a link of a hub this device already
   * pairs with, and asked to see that hub. The wizard closes.
   */
  signals[OPEN_HUB] = g_signal_new ("open-hub", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL,
                                    G_TYPE_NONE, 1, OPENIOT_TYPE_HUB);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openiot/Client/ui/openiot-pairing-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow,
                                        reach_description_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, searching_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, searching_spinner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, searching_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, nearby_group);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, nearby_list);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, link_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, link_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, address_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, continue_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, code_description_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, error_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, error_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, code_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, pair_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_error_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow,
                                        confirm_error_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow,
                                        confirm_fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_match_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_match_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_name_row);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, confirm_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, trust_title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, verification_box);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, verification_icon);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, verification_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, trust_error_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, trust_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, distrust_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, success_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, addresses_group);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, done_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, known_page);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, open_hub_button);
  gtk_widget_class_bind_template_child (widget_class, OpenIotPairingWindow, pair_again_button);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  _openiot_pairing_window_reach_class_init (widget_class);
  _openiot_pairing_window_pair_class_init (widget_class);
  _openiot_pairing_window_trust_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "wizard.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "wizard.done", NULL, done_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "wizard.cancel", NULL);
}

static void
openiot_pairing_window_init (OpenIotPairingWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->address_rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->input_page = "code";

  /* The device's name, on whichever page pairing starts from */
  g_object_bind_property (self->name_row, "text", self->confirm_name_row, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  _openiot_pairing_window_reach_init (self);
  _openiot_pairing_window_update_code_actions (self);
}

/**
 * openiot_pairing_window_new:
 * @parent: (nullable): the window the wizard belongs to
 * @application: the application, which owns identity, pins and hubs
 * @link: (nullable): an `openiot://` pairing link to start from
 *
 * Opens on "Reach your hub", or with @link straight on the pairing code
 * it carries.
 *
 * Returns: (transfer none): a new wizard; GTK owns toplevels
 */
OpenIotPairingWindow *
openiot_pairing_window_new (GtkWindow          *parent,
                            OpenIotApplication *application,
                            const char         *link)
{
  OpenIotPairingWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (OPENIOT_IS_APPLICATION (application), NULL);

  /* Not gtk_window_set_application: the application takes its active
   * window for the main window, and the wizard must never be that. */
  self = g_object_new (OPENIOT_TYPE_PAIRING_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       "destroy-with-parent", TRUE,
                       NULL);
  self->application = g_object_ref (application);
  _openiot_pairing_window_load_device_name (self);

  if (link != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->link_row), link);
      gtk_widget_activate_action (GTK_WIDGET (self), "wizard.continue", NULL);
    }
  else
    on_page_changed (self);

  return self;
}
