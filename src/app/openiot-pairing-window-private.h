// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-pairing-window.h"

G_BEGIN_DECLS

/* The wizard's fields, here rather than in openiot-pairing-window.c so
 * that each step lives in a file of its own, as GNOME Text Editor splits
 * editor-window.c: openiot-pairing-window-reach.c (where the hub is),
 * openiot-pairing-window-pair.c (the code, and pairing),
 * openiot-pairing-window-trust.c (trusting the hub, saving it). One
 * template and one type: the pages are one GtkStack. */
struct _OpenIotPairingWindow
{
  AdwWindow             parent_instance;

  OpenIotApplication   *application;
  GCancellable         *cancellable;

  /* Where to pair: a link (from the caller or pasted), or a typed host
   * and pairing port. Exactly one of link and host is set past "reach". */
  OpenIotPairingLink   *link;
  char                 *host;
  guint16               pairing_port;

  OpenIotIdentity      *identity;
  OpenIotPairingResult *result;
  /* Made from result on "Trust": the very record saved is the one added */
  OpenIotHubRecord     *record;
  /* The page the progress page's Cancel returns to. */
  const char           *return_page;
  /* Where pairing starts and its errors are said: "code" or "confirm" */
  const char           *input_page;
  gulong                loading_handler;
  gulong                known_handler;
  /* The paired hub a link leads to, on "known" */
  OpenIotHub           *known_hub;
  /* "Pair Again" was pressed: the link is not checked against the list */
  gboolean              pair_again;
  /* The pretty host name arrives later; never overwrite a typed name. */
  gboolean              name_edited;
  gboolean              setting_name;

  /* Hubs announced on the local network, while "reach" is possible */
  OpenIotDiscovery     *discovery;

  GtkButton            *back_button;
  GtkButton            *cancel_button;
  GtkLabel             *reach_description_label;
  GtkWidget            *searching_box;
  GtkSpinner           *searching_spinner;
  GtkLabel             *searching_label;
  AdwPreferencesGroup  *nearby_group;
  GtkListBox           *nearby_list;
  GtkStack             *stack;
  AdwEntryRow          *link_row;
  AdwEntryRow          *address_row;
  GtkLabel             *link_error_label;
  GtkLabel             *address_error_label;
  GtkButton            *continue_button;
  GtkLabel             *code_description_label;
  GtkWidget            *error_box;
  GtkLabel             *error_title_label;
  GtkLabel             *error_label;
  AdwEntryRow          *code_row;
  AdwEntryRow          *name_row;
  GtkButton            *pair_button;
  GtkLabel             *confirm_title_label;
  GtkWidget            *confirm_error_box;
  GtkLabel             *confirm_error_title_label;
  GtkLabel             *confirm_error_label;
  GtkLabel             *confirm_fingerprint_label;
  GtkWidget            *confirm_match_box;
  GtkLabel             *confirm_match_label;
  AdwEntryRow          *confirm_name_row;
  GtkButton            *confirm_button;
  GtkSpinner           *spinner;
  GtkLabel             *progress_label;
  GtkButton            *stop_button;
  GtkLabel             *trust_title_label;
  GtkLabel             *fingerprint_label;
  GtkWidget            *verification_box;
  GtkImage             *verification_icon;
  GtkLabel             *verification_label;
  GtkLabel             *trust_error_label;
  GtkButton            *trust_button;
  GtkButton            *distrust_button;
  AdwStatusPage        *success_page;
  AdwPreferencesGroup  *addresses_group;
  GtkButton            *done_button;
  AdwStatusPage        *known_page;
  GtkButton            *open_hub_button;
  GtkButton            *pair_again_button;
  /* Rows added to addresses_group, so that a second success (never, but
   * cheap to be safe) does not list them twice. */
  GPtrArray            *address_rows;
};

/* One asynchronous step. It carries the cancellable it ran with: a result
 * that arrives after the person pressed Cancel (or closed the window) is
 * dropped even when the operation itself finished just before. */
typedef struct
{
  OpenIotPairingWindow *self;
  GCancellable         *cancellable;
} OpenIotPairingStep;

OpenIotPairingStep *_openiot_pairing_step_new      (OpenIotPairingWindow *self);
void                _openiot_pairing_step_free     (OpenIotPairingStep   *step);
gboolean            _openiot_pairing_step_is_stale (OpenIotPairingStep   *step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotPairingStep, _openiot_pairing_step_free)

/* openiot-pairing-window.c: moving between pages, and what every step shares */
void  _openiot_pairing_window_show_page           (OpenIotPairingWindow *self,
                                                   const char           *name);
void  _openiot_pairing_window_show_progress       (OpenIotPairingWindow *self,
                                                   const char           *what,
                                                   const char           *return_page);
void  _openiot_pairing_window_clear_error         (OpenIotPairingWindow *self);
char *_openiot_pairing_window_dup_row_text        (AdwEntryRow          *row);
char *_openiot_pairing_window_dup_code            (OpenIotPairingWindow *self);
void  _openiot_pairing_window_set_row_style_error (AdwEntryRow          *row,
                                                   gboolean              error);
void  _openiot_pairing_window_emit_paired         (OpenIotPairingWindow *self,
                                                   OpenIotHub           *hub);
void  _openiot_pairing_window_emit_open_hub       (OpenIotPairingWindow *self,
                                                   OpenIotHub           *hub);

/* openiot-pairing-window-reach.c: step 1, and a link's "confirm" and "known" */
void  _openiot_pairing_window_reach_class_init    (GtkWidgetClass       *widget_class);
void  _openiot_pairing_window_reach_init          (OpenIotPairingWindow *self);

/* openiot-pairing-window-pair.c: the code, this device's name, pairing */
void  _openiot_pairing_window_pair_class_init     (GtkWidgetClass       *widget_class);
void  _openiot_pairing_window_update_code_actions (OpenIotPairingWindow *self);
void  _openiot_pairing_window_load_device_name    (OpenIotPairingWindow *self);
void  _openiot_pairing_window_disconnect_loading  (OpenIotPairingWindow *self);

/* openiot-pairing-window-trust.c: trusting the hub, saving it, success */
void  _openiot_pairing_window_trust_class_init    (GtkWidgetClass       *widget_class);
void  _openiot_pairing_window_show_trust          (OpenIotPairingWindow *self);
void  _openiot_pairing_window_save_result         (OpenIotPairingWindow *self,
                                                   const char           *return_page);

G_END_DECLS
