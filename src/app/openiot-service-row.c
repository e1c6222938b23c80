// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-age-text.h"
#include "openiot-error-text.h"
#include "openiot-toast.h"

#include "openiot-service-row.h"

/*
 * OpenIotServiceRow:
 *
 * A service in a hub's overview: an icon for what it is, its primary
 * value, live, and how fresh that value is; a switch when that value is
 * a writable on/off. The kind and the primary property come from the
 * library's rule (openiot_thing_get_kind(),
 * openiot_thing_get_primary_property()); this row only reads, observes
 * and writes that one property. A service that is down shows its last
 * known value and when it was last seen.
 *
 * Built in code rather than from a template: it is an AdwActionRow with
 * three small children.
 */
struct _OpenIotServiceRow
{
  AdwActionRow          parent_instance;

  GtkImage             *icon;
  GtkLabel             *value_label;
  GtkSwitch            *toggle;

  OpenIotHub           *hub;
  OpenIotServiceInfo   *service;
  OpenIotConsumedThing *thing;
  OpenIotInteraction   *primary;       /* owned by the thing */
  OpenIotObservation   *observation;
  JsonNode             *value;
  GDateTime            *updated;
  GCancellable         *cancellable;
  gint64                saved;         /* monotonic, µs */
  guint                 age_timer;
  gboolean              writing;
};

G_DEFINE_FINAL_TYPE (OpenIotServiceRow, openiot_service_row, ADW_TYPE_ACTION_ROW)

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

static const char *
hub_id (OpenIotServiceRow *self)
{
  return openiot_hub_record_get_id (openiot_hub_get_record (self->hub));
}

static gboolean
is_toggle (OpenIotInteraction *property)
{
  return property != NULL && openiot_interaction_get_writable (property) &&
         openiot_interaction_get_readable (property) &&
         openiot_data_schema_get_data_type (openiot_interaction_get_schema (property)) == OPENIOT_DATA_TYPE_BOOLEAN;
}

/* As on the Thing page: values that could come from an impostor's
 * session, or from a hub that removed this device, are not shown. */
static gboolean
is_blocked (OpenIotServiceRow *self)
{
  OpenIotHubStatus status = openiot_hub_get_status (self->hub);

  return status == OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED || status == OPENIOT_HUB_STATUS_NOT_REGISTERED;
}

static gboolean
is_live (OpenIotServiceRow *self)
{
  OpenIotObservationState state = self->observation ? openiot_observation_get_state (self->observation)
                                                    : OPENIOT_OBSERVATION_STOPPED;

  return state == OPENIOT_OBSERVATION_LIVE || state == OPENIOT_OBSERVATION_POLLING;
}

/* The subtitle: down, live, or how old the value is. */
static void
show_freshness (OpenIotServiceRow *self)
{
  g_autofree char *age = self->updated ? openiot_age_text (self->updated) : NULL;
  g_autofree char *text = NULL;

  if (is_blocked (self))
    text = g_strdup (_("Blocked"));
  else if (!openiot_service_info_get_up (self->service))
    /* TRANSLATORS: a service that is down; %s is "just now", "5 minutes ago"… */
    text = age ? g_strdup_printf (_("Not answering · last seen %s"), age) : g_strdup (_("Not answering right now"));
  else if (self->primary == NULL)
    text = NULL;
  else if (is_live (self))
    text = g_strdup (_("Live"));
  else if (age != NULL)
    /* TRANSLATORS: the subtitle of a device whose values are not live; %s is "just now", "5 minutes ago"… */
    text = g_strdup_printf (_("Updated %s"), age);
  else
    text = g_strdup (_("Connecting…"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), text ? text : "");
}

static void
show_value (OpenIotServiceRow *self)
{
  g_autofree char *text = NULL;

  if (self->primary != NULL && self->value != NULL && !is_blocked (self))
    text = openiot_data_schema_format_value (openiot_interaction_get_schema (self->primary), self->value);
  gtk_label_set_text (self->value_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->value_label), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->toggle), is_toggle (self->primary) && !is_blocked (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->toggle), openiot_service_info_get_up (self->service) && !self->writing);
  if (!openiot_service_info_get_up (self->service))
    gtk_widget_add_css_class (GTK_WIDGET (self->value_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->value_label), "dim-label");

  if (is_toggle (self->primary) && self->value != NULL && JSON_NODE_HOLDS_VALUE (self->value) &&
      json_node_get_value_type (self->value) == G_TYPE_BOOLEAN && !self->writing)
    {
      gboolean on = json_node_get_boolean (self->value);

      gtk_switch_set_state (self->toggle, on);
      gtk_switch_set_active (self->toggle, on);
    }
  show_freshness (self);
}

/* The Thing page's cache keeps the last values with the time they were
 * read: the overview starts from them and adds its own. */
static void
save_value (OpenIotServiceRow *self)
{
  OpenIotThingCache *cache = openiot_hub_get_cache (self->hub);
  const char *service_id = openiot_service_info_get_id (self->service);
  g_autoptr(JsonObject) values = NULL;

  if (self->primary == NULL || self->value == NULL)
    return;
  self->saved = g_get_monotonic_time ();
  values = openiot_thing_cache_load_values (cache, hub_id (self), service_id, NULL);
  if (values == NULL)
    values = json_object_new ();
  json_object_set_member (values, openiot_interaction_get_name (self->primary), json_node_copy (self->value));
  openiot_thing_cache_save_values (cache, hub_id (self), service_id, values, NULL);
}

static void
set_value (OpenIotServiceRow *self,
           JsonNode          *value)
{
  g_clear_pointer (&self->value, json_node_unref);
  self->value = json_node_copy (value);
  g_clear_pointer (&self->updated, g_date_time_unref);
  self->updated = g_date_time_new_now_utc ();
  show_value (self);
}

/* The cache's time is the "last seen" of a service that goes down: kept
 * within a minute of the last value, without a write for every one. */
#define SAVE_INTERVAL (60 * G_USEC_PER_SEC)

static void
on_value (OpenIotObservation *observation,
          JsonNode           *value,
          OpenIotServiceRow  *self)
{
  set_value (self, value);
  if (g_get_monotonic_time () - self->saved >= SAVE_INTERVAL)
    save_value (self);
}

static void
on_observation_state (OpenIotServiceRow *self)
{
  show_freshness (self);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OpenIotServiceRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = openiot_consumed_thing_read_property_finish (OPENIOT_CONSUMED_THING (source), result,
                                                                           &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (value == NULL)
    {
      g_debug ("%s: %s", openiot_service_info_get_id (self->service), error->message);
      show_freshness (self);
      return;
    }
  set_value (self, value);
  save_value (self);
}

/* One property: read it now, then follow it while the row is shown. */
static void
use_thing (OpenIotServiceRow *self,
           OpenIotThing      *thing)
{
  const char *name;

  g_assert (self->thing == NULL);
  self->thing = openiot_consumed_thing_new (openiot_hub_get_connection (self->hub), thing);
  self->primary = openiot_thing_get_primary_property (thing);
  gtk_image_set_from_icon_name (self->icon, kind_icon_name (openiot_thing_get_kind (thing)));
  /* A service that is down is listed by its id: its description knows
   * the name people gave it */
  if (g_strcmp0 (openiot_service_info_get_title (self->service), openiot_service_info_get_id (self->service)) == 0)
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), openiot_thing_get_title (thing));
  show_value (self);

  if (self->primary == NULL || !openiot_interaction_get_readable (self->primary) ||
      !openiot_service_info_get_up (self->service))
    return;
  name = openiot_interaction_get_name (self->primary);
  openiot_consumed_thing_read_property_async (self->thing, name, self->cancellable, on_read, g_object_ref (self));
  if (openiot_interaction_get_observable (self->primary) &&
      (self->observation = openiot_consumed_thing_observe (self->thing, OPENIOT_INTERACTION_PROPERTY, name, NULL)))
    {
      g_signal_connect (self->observation, "value", G_CALLBACK (on_value), self);
      g_signal_connect_swapped (self->observation, "notify::state", G_CALLBACK (on_observation_state), self);
      openiot_observation_start (self->observation);
    }
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpenIotServiceRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotConsumedThing) thing = openiot_hub_fetch_thing_finish (OPENIOT_HUB (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (thing == NULL)
    {
      g_debug ("%s: %s", openiot_service_info_get_id (self->service), error->message);
      return;  /* the Thing page says why, when opened */
    }
  use_thing (self, openiot_consumed_thing_get_thing (thing));
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpenIotServiceRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) written = NULL;
  gboolean on = gtk_switch_get_active (self->toggle);

  if (!openiot_consumed_thing_write_property_finish (OPENIOT_CONSUMED_THING (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_autofree char *text = openiot_error_text (error);
      /* TRANSLATORS: the first %s is a device ("Kitchen light"), the second why it failed */
      g_autofree char *message = g_strdup_printf (_("Could not switch %s: %s"),
                                                  openiot_service_info_get_title (self->service), text);

      self->writing = FALSE;
      gtk_widget_set_sensitive (GTK_WIDGET (self->toggle), TRUE);
      /* Back to what the device still is */
      gtk_switch_set_active (self->toggle, gtk_switch_get_state (self->toggle));
      openiot_toast_show (GTK_WIDGET (self), message);
      return;
    }
  self->writing = FALSE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->toggle), TRUE);
  written = json_node_init_boolean (json_node_alloc (), on);
  set_value (self, written);
  save_value (self);
}

/* The switch shows the device's state: it moves when the write is done. */
static gboolean
on_state_set (OpenIotServiceRow *self,
              gboolean           on,
              GtkSwitch         *toggle)
{
  g_autoptr(JsonNode) value = NULL;

  if (self->thing == NULL || self->primary == NULL || self->writing ||
      on == gtk_switch_get_state (toggle))
    return FALSE;
  self->writing = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (toggle), FALSE);
  value = json_node_init_boolean (json_node_alloc (), on);
  openiot_consumed_thing_write_property_async (self->thing, openiot_interaction_get_name (self->primary), value,
                                               self->cancellable, on_written, g_object_ref (self));
  return TRUE;
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
 * last value), then reads and follows its primary value.
 */
GtkWidget *
openiot_service_row_new (OpenIotHub         *hub,
                         OpenIotServiceInfo *service)
{
  OpenIotServiceRow *self = g_object_new (OPENIOT_TYPE_SERVICE_ROW, NULL);
  OpenIotThingCache *cache = openiot_hub_get_cache (hub);
  const char *service_id = openiot_service_info_get_id (service);
  g_autoptr(OpenIotThing) cached = NULL;
  g_autoptr(JsonObject) values = NULL;

  self->hub = g_object_ref (hub);
  self->service = g_object_ref (service);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), openiot_service_info_get_title (service));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  openiot_service_info_get_title (service), -1);

  values = openiot_thing_cache_load_values (cache, hub_id (self), service_id, &self->updated);
  cached = openiot_hub_load_cached_thing (hub, service_id);
  if (cached != NULL)
    {
      OpenIotInteraction *primary = openiot_thing_get_primary_property (cached);

      if (values != NULL && primary != NULL &&
          json_object_has_member (values, openiot_interaction_get_name (primary)))
        self->value = json_node_copy (json_object_get_member (values, openiot_interaction_get_name (primary)));
      use_thing (self, cached);
    }
  else if (openiot_service_info_get_up (service))
    openiot_hub_fetch_thing_async (hub, service_id, self->cancellable, on_fetched, g_object_ref (self));
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

static void
openiot_service_row_dispose (GObject *object)
{
  OpenIotServiceRow *self = OPENIOT_SERVICE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->age_timer, g_source_remove);
  if (self->observation != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->observation, self);
      openiot_observation_stop (self->observation);
      g_clear_object (&self->observation);
    }
  self->primary = NULL;
  g_clear_object (&self->thing);

  G_OBJECT_CLASS (openiot_service_row_parent_class)->dispose (object);
}

static void
openiot_service_row_finalize (GObject *object)
{
  OpenIotServiceRow *self = OPENIOT_SERVICE_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->hub);
  g_clear_object (&self->service);
  g_clear_pointer (&self->value, json_node_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);

  G_OBJECT_CLASS (openiot_service_row_parent_class)->finalize (object);
}

static void
openiot_service_row_class_init (OpenIotServiceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_service_row_dispose;
  object_class->finalize = openiot_service_row_finalize;
}

static void
openiot_service_row_init (OpenIotServiceRow *self)
{
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

  self->cancellable = g_cancellable_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "service-row");

  self->icon = GTK_IMAGE (gtk_image_new_from_icon_name (DEVICE_ICON));
  gtk_image_set_icon_size (self->icon, GTK_ICON_SIZE_LARGE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->icon));

  self->value_label = GTK_LABEL (gtk_label_new (NULL));
  /* Short ("21.5 °C", "Locked"): kept on one line, the title wraps instead */
  gtk_label_set_xalign (self->value_label, 1);
  gtk_widget_add_css_class (GTK_WIDGET (self->value_label), "service-value");
  gtk_widget_set_visible (GTK_WIDGET (self->value_label), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->value_label));

  self->toggle = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->toggle), GTK_ALIGN_CENTER);
  gtk_widget_set_visible (GTK_WIDGET (self->toggle), FALSE);
  g_signal_connect_swapped (self->toggle, "state-set", G_CALLBACK (on_state_set), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));

  adw_action_row_add_suffix (ADW_ACTION_ROW (self), arrow);
}
