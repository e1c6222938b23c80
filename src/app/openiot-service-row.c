// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-action-confirm.h"
#include "openiot-age-text.h"
#include "openiot-error-text.h"
#include "openiot-toast.h"

#include "openiot-service-row.h"

/*
 * OpenIotServiceRow:
 *
 * A service in a hub's overview: an icon for what it is, its primary
 * value, live, and how fresh that value is; a switch when that value is
 * a writable on/off, else the Thing's most common action when its
 * description makes it clear (docs/overview.md, "One tap"). The kind and
 * the primary property come from the library's rule
 * (openiot_thing_get_kind(), openiot_thing_get_primary_property()), the
 * value from the library's live model (a primary-only
 * OpenIotThingSession): this row only draws it and writes or invokes
 * what it offers. A service that is down shows its last known value and
 * when it was last seen.
 *
 * A tile of the overview's grid (a GtkFlowBoxChild): one column on a
 * phone, two where there is room.
 */
struct _OpenIotServiceRow
{
  GtkFlowBoxChild       parent_instance;

  GtkImage             *icon;
  GtkLabel             *title_label;
  GtkLabel             *subtitle_label;
  GtkLabel             *value_label;
  GtkSwitch            *toggle;
  GtkButton            *action_button;

  OpenIotHub           *hub;
  OpenIotServiceInfo   *service;
  OpenIotThingSession  *session;
  OpenIotInteraction   *primary;
  GPtrArray            *one_tap;       /* the actions it may offer */
  OpenIotInteraction   *offered;       /* the one on the button, of those */
  GCancellable         *cancellable;
  guint                 age_timer;
  gboolean              writing;
  gboolean              invoking;
};

G_DEFINE_FINAL_TYPE (OpenIotServiceRow, openiot_service_row, GTK_TYPE_FLOW_BOX_CHILD)

#define DEVICE_ICON "preferences-system-devices-symbolic"

/* Icons of Adwaita as shipped with GNOME 43, plus the app's own
 * thermometer (Adwaita has none). */
static const char *
kind_icon_name (OpenIotThingKind kind)
{
  switch (kind)
    {
    case OPENIOT_THING_KIND_LOCK:
      return "system-lock-screen-symbolic";
    case OPENIOT_THING_KIND_THERMOSTAT:
      return "openiot-thermometer-symbolic";
    case OPENIOT_THING_KIND_LIGHT:
      return "display-brightness-symbolic";
    case OPENIOT_THING_KIND_SWITCH:
      return "system-shutdown-symbolic";
    case OPENIOT_THING_KIND_METER:
      return "thunderbolt-symbolic";
    case OPENIOT_THING_KIND_DEVICE:
    default:
      return DEVICE_ICON;
    }
}

static gboolean
is_toggle (OpenIotInteraction *property)
{
  OpenIotDataSchema *schema = property ? openiot_interaction_get_schema (property) : NULL;

  return schema != NULL && openiot_interaction_get_writable (property) &&
         openiot_interaction_get_readable (property) &&
         openiot_data_schema_get_data_type (schema) == OPENIOT_DATA_TYPE_BOOLEAN;
}

/* As on the Thing page: values that could come from an impostor's
 * session, or from a hub that removed this device, are not shown. */
static gboolean
is_blocked (OpenIotServiceRow *self)
{
  OpenIotHubStatus status = openiot_hub_get_status (self->hub);

  return status == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED ||
         status == OPENIOT_HUB_STATUS_NOT_REGISTERED;
}

/* Followed, not only read: the session is live once it read the value */
static gboolean
is_live (OpenIotServiceRow *self)
{
  return openiot_thing_session_get_live (self->session) && self->primary != NULL &&
         openiot_interaction_get_observable (self->primary);
}

/* Something is sent to the device only while it answers, through a hub
 * that may be used */
static gboolean
is_usable (OpenIotServiceRow *self)
{
  return openiot_service_info_get_up (self->service) && !is_blocked (self) &&
         openiot_thing_session_get_consumed_thing (self->session) != NULL;
}

static JsonNode *
get_value (OpenIotServiceRow *self)
{
  if (self->primary == NULL)
    return NULL;
  return json_object_get_member (openiot_thing_session_get_values (self->session),
                                 openiot_interaction_get_name (self->primary));
}

/* The subtitle: down, live, or how old the value is. */
static void
show_freshness (OpenIotServiceRow *self)
{
  GDateTime *updated = openiot_thing_session_get_updated (self->session);
  g_autofree char *age = updated ? openiot_age_text (updated) : NULL;
  g_autofree char *text = NULL;

  if (is_blocked (self))
    text = g_strdup (_("Blocked"));
  else if (!openiot_service_info_get_up (self->service))
    /* TRANSLATORS: a service that is down; %s is "just now", "5 minutes ago"… */
    text = age ? g_strdup_printf (_("Not answering · last seen %s"),
                                  age) : g_strdup (_("Not answering right now"));
  else if (self->primary == NULL)
    text = NULL;
  else if (is_live (self))
    text = g_strdup (_("Live"));
  else if (age != NULL)
    /* TRANSLATORS: the subtitle of a device whose values are not live; %s is
     * "just now", "5 minutes ago"… */
    text = g_strdup_printf (_("Updated %s"), age);
  else
    text = g_strdup (_("Connecting…"));
  gtk_label_set_text (self->subtitle_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), text != NULL);
  /* Read as an AdwActionRow is: its title, then its subtitle; the value
   * and the control are its children */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text ? text : "", -1);
}

/* Of the actions it may offer, the one that would change the state:
 * none while that is not clear (a jammed lock, no value yet). */
static OpenIotInteraction *
find_offered (OpenIotServiceRow *self)
{
  OpenIotThing *thing = openiot_thing_session_get_thing (self->session);
  JsonObject *values = openiot_thing_session_get_values (self->session);
  OpenIotInteraction *offered = NULL;

  if (thing == NULL || self->one_tap == NULL || is_toggle (self->primary))
    return NULL;
  for (guint i = 0; i < self->one_tap->len; i++)
    {
      OpenIotInteraction *action = self->one_tap->pdata[i];

      if (openiot_thing_action_is_redundant (thing, openiot_interaction_get_name (action), values))
        continue;
      if (offered != NULL)
        return NULL;
      offered = action;
    }
  return offered;
}

static void
show_action (OpenIotServiceRow *self)
{
  GtkWidget *button = GTK_WIDGET (self->action_button);

  /* The button stays what it is while its action runs */
  if (!self->invoking)
    g_set_object (&self->offered, find_offered (self));
  gtk_widget_set_visible (button, self->offered != NULL && !is_blocked (self));
  if (self->offered == NULL)
    return;
  gtk_button_set_label (self->action_button, openiot_interaction_get_title (self->offered));
  if (openiot_interaction_get_needs_confirmation (self->offered))
    gtk_widget_add_css_class (button, "destructive-action");
  else
    gtk_widget_remove_css_class (button, "destructive-action");
  gtk_widget_set_sensitive (button, is_usable (self) && !self->invoking);
}

static void
show_value (OpenIotServiceRow *self)
{
  JsonNode *value = get_value (self);
  g_autofree char *text = NULL;

  if (value != NULL && !is_blocked (self))
    text = openiot_data_schema_format_value (openiot_interaction_get_schema (self->primary), value);
  gtk_label_set_text (self->value_label, text ? text : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->value_label), text);  /* the whole of a long one */
  gtk_widget_set_visible (GTK_WIDGET (self->value_label), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->toggle), is_toggle (self->primary) &&
                          !is_blocked (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->toggle),
                            openiot_service_info_get_up (self->service) && !self->writing);
  if (!openiot_service_info_get_up (self->service))
    gtk_widget_add_css_class (GTK_WIDGET (self->value_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->value_label), "dim-label");

  if (is_toggle (self->primary) && value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
      json_node_get_value_type (value) == G_TYPE_BOOLEAN && !self->writing)
    {
      gboolean on = json_node_get_boolean (value);

      gtk_switch_set_state (self->toggle, on);
      gtk_switch_set_active (self->toggle, on);
    }
  show_action (self);
  show_freshness (self);
}

static void
set_title (OpenIotServiceRow *self,
           const char        *title)
{
  gtk_label_set_text (self->title_label, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
}

/* A description to draw: the cache's at once, the hub's when there was
 * none. */
static void
on_thing (OpenIotServiceRow *self)
{
  OpenIotThing *thing = openiot_thing_session_get_thing (self->session);

  if (thing == NULL)
    return;
  g_set_object (&self->primary, openiot_thing_session_get_primary (self->session));
  g_clear_pointer (&self->one_tap, g_ptr_array_unref);
  self->one_tap = openiot_thing_get_one_tap_actions (thing);
  gtk_image_set_from_icon_name (self->icon, kind_icon_name (openiot_thing_get_kind (thing)));
  /* A service that is down is listed by its id: its description knows
   * the name people gave it */
  if (g_strcmp0 (openiot_service_info_get_title (self->service),
                 openiot_service_info_get_id (self->service)) == 0)
    set_title (self, openiot_thing_get_title (thing));
  show_value (self);
}

static void
on_value_changed (OpenIotThingSession *session,
                  const char          *name,
                  JsonNode            *value,
                  OpenIotServiceRow   *self)
{
  if (self->primary != NULL && g_strcmp0 (name, openiot_interaction_get_name (self->primary)) == 0)
    show_value (self);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpenIotServiceRow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!openiot_thing_session_write_property_finish (OPENIOT_THING_SESSION (source), result, &error))
    {
      g_autofree char *text = NULL;
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = openiot_error_text (error);
      /* TRANSLATORS: the first %s is a device ("Kitchen light"), the second why it failed */
      message = g_strdup_printf (_("Could not switch %s: %s"),
                                 openiot_service_info_get_title (self->service), text);
      /* Back to what the device still is */
      gtk_switch_set_active (self->toggle, gtk_switch_get_state (self->toggle));
      openiot_toast_show (GTK_WIDGET (self), message);
    }
  /* Taken: the session has the value and said so (value-changed) */
  show_value (self);
}

/* The switch shows the device's state: it moves when the write is done. */
static gboolean
on_state_set (OpenIotServiceRow *self,
              gboolean           on,
              GtkSwitch         *toggle)
{
  g_autoptr(JsonNode) value = NULL;
  const char *name;

  if (self->primary == NULL || self->writing || on == gtk_switch_get_state (toggle))
    return FALSE;
  self->writing = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  value = json_node_init_boolean (json_node_alloc (), on);
  name = openiot_interaction_get_name (self->primary);
  openiot_thing_session_write_property_async (self->session, name, value, self->cancellable,
                                              on_written, g_object_ref (self));
  return TRUE;
}

static void
on_invoked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpenIotServiceRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) output =
    openiot_consumed_thing_invoke_action_finish (OPENIOT_CONSUMED_THING (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->invoking = FALSE;
  if (output == NULL)
    {
      g_autofree char *reason = openiot_error_text (error);
      const char *title = openiot_interaction_get_title (self->offered);
      /* TRANSLATORS: an action's title ("Unlock"), then why it failed */
      g_autofree char *message = g_strdup_printf (_("%s failed: %s"), title, reason);

      openiot_toast_show (GTK_WIDGET (self), message);
    }
  /* What it did shows as the main value changes, live */
  show_value (self);
}

static void
invoke (GtkWidget *widget)
{
  OpenIotServiceRow *self = OPENIOT_SERVICE_ROW (widget);
  OpenIotConsumedThing *thing = openiot_thing_session_get_consumed_thing (self->session);
  const char *name;

  if (self->offered == NULL || self->invoking || thing == NULL)
    return;
  name = openiot_interaction_get_name (self->offered);
  self->invoking = TRUE;
  show_action (self);
  openiot_consumed_thing_invoke_action_async (thing, name, NULL, self->cancellable, on_invoked,
                                              g_object_ref (self));
}

/* What the person confirmed, not what the button offers now: a live
 * change while the question was open ("Unlock" asked, the lock unlocked
 * meanwhile) may have made it redundant or swapped the button to the
 * other action. Then nothing is sent, and a toast says why. */
static void
invoke_confirmed (GtkWidget          *widget,
                  OpenIotInteraction *action)
{
  OpenIotServiceRow *self = OPENIOT_SERVICE_ROW (widget);
  OpenIotThing *thing = openiot_thing_session_get_thing (self->session);
  const char *name = openiot_interaction_get_name (action);
  const char *title = openiot_interaction_get_title (action);
  const char *device = thing ? openiot_thing_get_title (thing)
                             : openiot_service_info_get_title (self->service);
  g_autofree char *message = NULL;

  if (self->invoking)
    return;  /* confirmed twice: the first one runs */
  if (thing != NULL &&
      openiot_thing_action_is_redundant (thing, name,
                                         openiot_thing_session_get_values (self->session)))
    /* TRANSLATORS: an action's title ("Unlock"), then a device's ("Front door") */
    message = g_strdup_printf (_("%s was not sent: “%s” already is that way."), title, device);
  else if (self->offered == NULL || !is_usable (self) ||
           g_strcmp0 (openiot_interaction_get_name (self->offered), name) != 0)
    /* TRANSLATORS: an action's title ("Unlock"), then a device's ("Front door") */
    message = g_strdup_printf (_("%s was not sent: “%s” changed while you were asked. Check it "
                                 "and try again."), title, device);
  if (message != NULL)
    {
      openiot_toast_show (GTK_WIDGET (self), message);
      return;
    }
  invoke (widget);
}

/* One tap, as on the Thing page: an action that opens or erases
 * something asks first, in the very same words. */
static void
on_action_clicked (OpenIotServiceRow *self)
{
  OpenIotThing *thing = openiot_thing_session_get_thing (self->session);

  if (self->offered == NULL || self->invoking || thing == NULL)
    return;
  if (openiot_interaction_get_needs_confirmation (self->offered))
    openiot_action_confirm (GTK_WIDGET (self), self->offered, openiot_thing_get_title (thing),
                            invoke_confirmed);
  else
    invoke (GTK_WIDGET (self));
}

static gboolean
on_age_timer (gpointer user_data)
{
  show_freshness (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * openiot_service_row_new:
 *
 * Shows @service of @hub at once from the cache (its description, its
 * last value), then reads and follows its primary value while it is up.
 */
GtkWidget *
openiot_service_row_new (OpenIotHub         *hub,
                         OpenIotServiceInfo *service)
{
  OpenIotServiceRow *self = g_object_new (OPENIOT_TYPE_SERVICE_ROW, NULL);

  self->hub = g_object_ref (hub);
  self->service = g_object_ref (service);
  set_title (self, openiot_service_info_get_title (service));

  self->session = openiot_thing_session_new_primary (hub, openiot_service_info_get_id (service));
  g_signal_connect_object (self->session, "notify::thing", G_CALLBACK (on_thing), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::consumed-thing", G_CALLBACK (show_value), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::live", G_CALLBACK (show_freshness), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notify::updated", G_CALLBACK (show_freshness), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "value-changed", G_CALLBACK (on_value_changed), self, 0);
  /* A service that is down is asked nothing: its last value, from the
   * cache the Thing page shares */
  if (openiot_service_info_get_up (service))
    openiot_thing_session_start (self->session);
  else
    openiot_thing_session_load_cached (self->session);
  show_value (self);
  g_signal_connect_object (hub, "notify::status", G_CALLBACK (show_value), self, G_CONNECT_SWAPPED);
  self->age_timer = g_timeout_add_seconds (10, on_age_timer, self);
  return GTK_WIDGET (self);
}

OpenIotServiceInfo *
openiot_service_row_get_service (OpenIotServiceRow *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_ROW (self), NULL);
  return self->service;
}

/**
 * openiot_service_row_get_icon_name:
 *
 * Returns: the icon shown for the service's kind
 */
const char *
openiot_service_row_get_icon_name (OpenIotServiceRow *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_ROW (self), NULL);
  return gtk_image_get_icon_name (self->icon);
}

/**
 * openiot_service_row_get_title:
 *
 * Returns: the service's name as shown
 */
const char *
openiot_service_row_get_title (OpenIotServiceRow *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_ROW (self), NULL);
  return gtk_label_get_text (self->title_label);
}

/**
 * openiot_service_row_get_subtitle:
 *
 * Returns: how fresh the value is ("Live"), or why there is none
 */
const char *
openiot_service_row_get_subtitle (OpenIotServiceRow *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_ROW (self), NULL);
  return gtk_label_get_text (self->subtitle_label);
}

/**
 * openiot_service_row_get_value_text:
 *
 * Returns: the primary value as shown; empty until it is known
 */
const char *
openiot_service_row_get_value_text (OpenIotServiceRow *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_ROW (self), NULL);
  return gtk_label_get_text (self->value_label);
}

/**
 * openiot_service_row_get_toggle:
 *
 * Returns: (transfer none): the switch, visible when the primary value
 *   is a writable on/off
 */
GtkSwitch *
openiot_service_row_get_toggle (OpenIotServiceRow *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_ROW (self), NULL);
  return self->toggle;
}

/**
 * openiot_service_row_get_action_button:
 *
 * Returns: (transfer none): the button of the one-tap action, visible
 *   when the Thing's description makes that action clear
 */
GtkButton *
openiot_service_row_get_action_button (OpenIotServiceRow *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_ROW (self), NULL);
  return self->action_button;
}

static void
openiot_service_row_dispose (GObject *object)
{
  OpenIotServiceRow *self = OPENIOT_SERVICE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->age_timer, g_source_remove);
  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      openiot_thing_session_stop (self->session);
      g_clear_object (&self->session);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), OPENIOT_TYPE_SERVICE_ROW);

  G_OBJECT_CLASS (openiot_service_row_parent_class)->dispose (object);
}

static void
openiot_service_row_finalize (GObject *object)
{
  OpenIotServiceRow *self = OPENIOT_SERVICE_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->hub);
  g_clear_object (&self->service);
  g_clear_object (&self->primary);
  g_clear_object (&self->offered);
  g_clear_pointer (&self->one_tap, g_ptr_array_unref);

  G_OBJECT_CLASS (openiot_service_row_parent_class)->finalize (object);
}

static void
openiot_service_row_class_init (OpenIotServiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = openiot_service_row_dispose;
  object_class->finalize = openiot_service_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/openiot/Client/ui/openiot-service-row.ui");
  gtk_widget_class_bind_template_child (widget_class, OpenIotServiceRow, icon);
  gtk_widget_class_bind_template_child (widget_class, OpenIotServiceRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotServiceRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotServiceRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, OpenIotServiceRow, toggle);
  gtk_widget_class_bind_template_child (widget_class, OpenIotServiceRow, action_button);
  gtk_widget_class_bind_template_callback (widget_class, on_state_set);
  gtk_widget_class_bind_template_callback (widget_class, on_action_clicked);
}

static void
openiot_service_row_init (OpenIotServiceRow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
