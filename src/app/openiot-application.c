// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-background.h"
#include "openiot-notifier.h"
#include "openiot-window.h"

#include "openiot-application.h"

/*
 * OpenIotApplication:
 *
 * Owns what every window shares: this device's identity (made on first
 * use), the pin store, the Thing cache and the list of paired hubs as
 * OpenIotHub objects. Opens `openiot://` pairing links in the wizard.
 */
struct _OpenIotApplication
{
  AdwApplication     parent_instance;

  char              *store_dir;
  OpenIotPinStore   *pin_store;
  OpenIotThingCache *cache;
  OpenIotIdentity   *identity;
  GListStore        *hubs;
  OpenIotNotifier   *notifier;
  OpenIotBackground *background;
  gboolean           loading;
  GError            *error;
  GCancellable      *cancellable;
};

G_DEFINE_FINAL_TYPE (OpenIotApplication, openiot_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (OpenIotApplication *self,
             gboolean            loading)
{
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
fail_loading (OpenIotApplication *self,
              GError             *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return;
    }
  g_clear_error (&self->error);
  self->error = error;
  set_loading (self, FALSE);
}

static OpenIotWindow *
get_or_create_window (OpenIotApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (openiot_window_new (self));

  return OPENIOT_WINDOW (window);
}


/* A hub still referenced elsewhere (an open page) must not go on asking
 * its hub once it left the list. */
static void
unmonitor_all (OpenIotApplication *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->hubs)); i++)
    {
      g_autoptr(OpenIotHub) hub = g_list_model_get_item (G_LIST_MODEL (self->hubs), i);

      openiot_hub_set_monitored (hub, FALSE);
    }
}

static void
on_pins_listed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OpenIotApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records =
      openiot_pin_store_list_finish (OPENIOT_PIN_STORE (source), result, &error);

  if (records == NULL)
    {
      fail_loading (self, g_steal_pointer (&error));
      return;
    }

  unmonitor_all (self);
  g_list_store_remove_all (self->hubs);
  for (guint i = 0; i < records->len; i++)
    openiot_application_add_hub (self, records->pdata[i], self->identity);
  g_clear_error (&self->error);
  set_loading (self, FALSE);
}

static void
on_identity_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OpenIotApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OpenIotIdentity) identity =
      openiot_application_load_identity_finish (self, result, &error);

  if (identity == NULL)
    {
      fail_loading (self, g_steal_pointer (&error));
      return;
    }
  openiot_pin_store_list_async (self->pin_store, self->cancellable, on_pins_listed,
                                g_object_ref (self));
}

/**
 * openiot_application_reload:
 *
 * Loads this device's identity (making it on first use) and the paired
 * hubs; again after a failure (e.g. the keyring was locked).
 */
void
openiot_application_reload (OpenIotApplication *self)
{
  g_return_if_fail (OPENIOT_IS_APPLICATION (self));

  if (self->loading)
    return;
  set_loading (self, TRUE);
  openiot_application_load_identity_async (self, NULL, self->cancellable, on_identity_loaded,
                                           g_object_ref (self));
}

static void
on_identity_made (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotApplication *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  OpenIotIdentity *identity = openiot_identity_load_finish (result, &error);

  if (identity == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_set_object (&self->identity, identity);
  g_task_return_pointer (task, identity, g_object_unref);
}

/**
 * openiot_application_load_identity_async:
 * @device_name: (nullable): the name for a new identity's certificate
 *
 * This device's identity, loaded once; made on first use (a new key in
 * the keyring, or in the --store directory).
 */
void
openiot_application_load_identity_async (OpenIotApplication  *self,
                                         const char          *device_name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, openiot_application_load_identity_async);
  if (self->identity != NULL)
    {
      g_task_return_pointer (task, g_object_ref (self->identity), g_object_unref);
      return;
    }
  openiot_identity_load_async (self->store_dir, device_name ? device_name : g_get_host_name (),
                               cancellable,
                               on_identity_made, g_object_ref (task));
}

/**
 * openiot_application_load_identity_finish:
 *
 * Returns: (transfer full): this device's identity
 */
OpenIotIdentity *
openiot_application_load_identity_finish (OpenIotApplication  *self,
                                          GAsyncResult        *result,
                                          GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
find_hub (OpenIotApplication *self,
          const char         *hub_id,
          guint              *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->hubs)); i++)
    {
      g_autoptr(OpenIotHub) hub = g_list_model_get_item (G_LIST_MODEL (self->hubs), i);

      if (g_str_equal (openiot_hub_record_get_id (openiot_hub_get_record (hub)), hub_id))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * openiot_application_add_hub:
 * @record: a hub whose pin was saved
 *
 * Adds the hub to the list, or replaces the hub of the same id (paired
 * again).
 *
 * Returns: (transfer none): the hub
 */
OpenIotHub *
openiot_application_add_hub (OpenIotApplication *self,
                             OpenIotHubRecord   *record,
                             OpenIotIdentity    *identity)
{
  g_autoptr(OpenIotHub) hub = openiot_hub_new (record, identity, self->pin_store, self->cache);
  guint position;

  /* Every paired hub, shown or not, keeps its status true by itself:
   * the sidebar shows them all. */
  openiot_hub_set_monitored (hub, TRUE);
  if (find_hub (self, openiot_hub_record_get_id (record), &position))
    {
      g_autoptr(OpenIotHub) old = g_list_model_get_item (G_LIST_MODEL (self->hubs), position);

      openiot_hub_set_monitored (old, FALSE);
      g_list_store_splice (self->hubs, position, 1, (gpointer *) &hub, 1);
    }
  else
    g_list_store_append (self->hubs, hub);
  return hub;  /* the store holds it */
}

/**
 * openiot_application_remove_hub:
 *
 * Takes a hub off the list, after it was removed.
 */
void
openiot_application_remove_hub (OpenIotApplication *self,
                                OpenIotHub         *hub)
{
  guint position;

  openiot_hub_set_monitored (hub, FALSE);
  if (g_list_store_find (self->hubs, hub, &position))
    g_list_store_remove (self->hubs, position);
}

const char *
openiot_application_get_store_dir (OpenIotApplication *self)
{
  return self->store_dir;
}

OpenIotPinStore *
openiot_application_get_pin_store (OpenIotApplication *self)
{
  return self->pin_store;
}

/* Returns: (transfer none) (nullable): the app of @widget's window */
OpenIotApplication *
openiot_application_from_widget (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkApplication *application =
      GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  return OPENIOT_IS_APPLICATION (application) ? OPENIOT_APPLICATION (application) : NULL;
}

/* Returns: (transfer none) (nullable): the hub's activity log */
OpenIotActivityLog *
openiot_application_get_activity_log (OpenIotApplication *self,
                                      OpenIotHub         *hub)
{
  return self->notifier != NULL ? openiot_notifier_get_log (self->notifier, hub) : NULL;
}

/* Returns: (transfer none) (nullable): what keeps the app running in the background */
OpenIotBackground *
openiot_application_get_background (OpenIotApplication *self)
{
  return self->background;
}

OpenIotNotifier *
openiot_application_get_notifier (OpenIotApplication *self)
{
  return self->notifier;
}

OpenIotThingCache *
openiot_application_get_cache (OpenIotApplication *self)
{
  return self->cache;
}

GListModel *
openiot_application_get_hubs (OpenIotApplication *self)
{
  return G_LIST_MODEL (self->hubs);
}

gboolean
openiot_application_get_loading (OpenIotApplication *self)
{
  return self->loading;
}

const GError *
openiot_application_get_error (OpenIotApplication *self)
{
  return self->error;
}

static void
openiot_application_activate (GApplication *app)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (app);
  gboolean first = gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL;
  OpenIotWindow *window = get_or_create_window (self);
  const char *bench_show = g_getenv ("OPENIOT_BENCH_SHOW");

  /* bench/ times the start-up: openiot_window_start_bench() */
  if (first && (bench_show != NULL || g_strcmp0 (g_getenv ("OPENIOT_BENCH_FIRST_FRAME"), "1") == 0))
    openiot_window_start_bench (window, bench_show);
  gtk_window_present (GTK_WINDOW (window));
}

/* An openiot:// pairing link (from a file manager, a browser, a QR
 * scanner) opens the pairing wizard at once. */
static void
openiot_application_open (GApplication  *app,
                          GFile        **files,
                          int            n_files,
                          const char    *hint)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (app);
  OpenIotWindow *window = get_or_create_window (self);

  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      openiot_window_pair (window, uri);
    }
}

static int
openiot_application_handle_local_options (GApplication *app,
                                          GVariantDict *options)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (app);
  const char *store_dir = NULL;

  if (g_variant_dict_lookup (options, "store", "^&ay", &store_dir))
    self->store_dir = g_canonicalize_filename (store_dir, NULL);
  return -1;
}

static void
show_about (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  OpenIotApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Open-IoT developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Open-IoT"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Open-IoT developers"),
                         "version", PACKAGE_VERSION,
                         "comments",
                         _("Reach your smart home through your own hub, without a cloud."),
                         "website", "https://github.com/open-iot/open-iot",
                         "issue-url", "https://github.com/open-iot/open-iot/issues",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         /* Translators: put your names here, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit (GSimpleAction *action,
      GVariant      *parameter,
      gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* A notification's click: the Thing that raised it, on its hub */
static void
show_thing (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  OpenIotApplication *self = user_data;
  const char *hub_id, *service_id;
  OpenIotWindow *window;
  guint position;

  g_variant_get (parameter, "(&s&s)", &hub_id, &service_id);
  window = get_or_create_window (self);
  gtk_window_present (GTK_WINDOW (window));
  if (find_hub (self, hub_id, &position))
    {
      g_autoptr(OpenIotHub) hub = g_list_model_get_item (G_LIST_MODEL (self->hubs), position);

      openiot_window_show_hub (window, hub);
      openiot_window_show_service (window, service_id, NULL);
    }
}

static const GActionEntry app_actions[] = {
  { "about", show_about },
  { "quit", quit },
  { "show-thing", show_thing, "(ss)" },
};

static void
openiot_application_startup (GApplication *app)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  g_autofree char *cache_dir = NULL;

  G_APPLICATION_CLASS (openiot_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);

  /* With --store, everything of this device stays in that directory. */
  if (self->store_dir != NULL)
    cache_dir = g_build_filename (self->store_dir, "cache", NULL);
  /* The app talks TLS to paired hubs only, each checked against its pin:
   * the system's CA bundle would be parsed for nothing (~25 ms, on the
   * main thread, as the first hub connection is made). */
  openiot_hub_connection_trust_pins_only ();
  self->pin_store = openiot_pin_store_new (self->store_dir);
  self->cache = openiot_thing_cache_new (cache_dir);
  self->notifier = openiot_notifier_new (G_APPLICATION (self), G_LIST_MODEL (self->hubs));
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autoptr(GAction) run_in_background = g_settings_create_action (settings, "run-in-background");

    /* A check item of the main menu; the keeper holds the app while on */
    g_action_map_add_action (G_ACTION_MAP (app), run_in_background);
    self->background = openiot_background_new (app, settings);
  }
  openiot_application_reload (self);
}

static void
openiot_application_shutdown (GApplication *app)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->notifier);
  g_clear_object (&self->background);
  unmonitor_all (self);
  G_APPLICATION_CLASS (openiot_application_parent_class)->shutdown (app);
}

static void
openiot_application_finalize (GObject *object)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (object);

  g_free (self->store_dir);
  g_clear_object (&self->pin_store);
  g_clear_object (&self->cache);
  g_clear_object (&self->identity);
  g_clear_object (&self->hubs);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (openiot_application_parent_class)->finalize (object);
}

static void
openiot_application_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  OpenIotApplication *self = OPENIOT_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_application_class_init (OpenIotApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = openiot_application_finalize;
  object_class->get_property = openiot_application_get_property;
  app_class->activate = openiot_application_activate;
  app_class->open = openiot_application_open;
  app_class->startup = openiot_application_startup;
  app_class->shutdown = openiot_application_shutdown;
  app_class->handle_local_options = openiot_application_handle_local_options;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_application_init (OpenIotApplication *self)
{
  const GOptionEntry options[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Keep this device’s key and pins in DIR (0600 files) instead of the "
         "keyring"), N_("DIR") },
    { NULL }
  };

  self->hubs = g_list_store_new (OPENIOT_TYPE_HUB);
  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

OpenIotApplication *
openiot_application_new (void)
{
  /* The resources live under one path whatever the profile's app id, so
   * the Devel build finds the same templates and shortcuts window. */
  return g_object_new (OPENIOT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/org/openiot/Client",
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       NULL);
}
