// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-action-confirm.h"
#include "openiot-error-text.h"
#include "openiot-toast.h"
#include "openiot-value-editor.h"

#include "openiot-action-row.h"

/*
 * OpenIotActionRow:
 *
 * An action of a Thing: expands to a small form built from its input
 * schema (one row per member, starting from sensible values) and a
 * button named after the action ("Boost"); an action without input has
 * its button on the row itself ("Unlock"). The button is active only
 * while the input is valid, and the row says which field is not. An
 * action that opens, erases or resets something
 * (openiot_interaction_get_needs_confirmation(), docs/actions.md) asks
 * first, naming the device. While it runs, a spinner turns and the
 * button cancels; its result is the row's subtitle right after.
 */
struct _OpenIotActionRow
{
  AdwExpanderRow        parent_instance;

  OpenIotInteraction   *action;
  OpenIotConsumedThing *thing;
  OpenIotValueEditor   *input;
  JsonNode             *input_value;
  GtkWidget            *run_button;
  GtkWidget            *spinner;
  GtkWidget            *run_row;       /* with an input form: the row of the button */
  GCancellable         *cancellable;
  JsonNode             *last_output;
  gboolean              input_valid;
  gboolean              redundant;     /* the Thing is already where it would take it */
};

G_DEFINE_FINAL_TYPE (OpenIotActionRow, openiot_action_row, ADW_TYPE_EXPANDER_ROW)

/* Where a form starts: the minimum, the first choice, false, "". */
static JsonNode *
initial_value (OpenIotDataSchema *schema)
{
  JsonArray *choices = openiot_data_schema_get_enum (schema);
  double minimum = 0;

  if (choices != NULL)
    return json_node_copy (json_array_get_element (choices, 0));

  switch (openiot_data_schema_get_data_type (schema))
    {
    case OPENIOT_DATA_TYPE_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), FALSE);
    case OPENIOT_DATA_TYPE_INTEGER:
      openiot_data_schema_get_minimum (schema, &minimum);
      return json_node_init_int (json_node_alloc (), MAX (minimum, 0));
    case OPENIOT_DATA_TYPE_NUMBER:
      openiot_data_schema_get_minimum (schema, &minimum);
      return json_node_init_double (json_node_alloc (), MAX (minimum, 0));
    case OPENIOT_DATA_TYPE_STRING:
      return json_node_init_string (json_node_alloc (), "");
    case OPENIOT_DATA_TYPE_OBJECT:
      {
        g_autoptr(JsonObject) object = json_object_new ();
        const char * const *names = openiot_data_schema_get_property_names (schema);

        for (guint i = 0; names != NULL && names[i] != NULL; i++)
          {
            OpenIotDataSchema *member = openiot_data_schema_get_property (schema, names[i]);

            json_object_set_member (object, names[i], initial_value (member));
          }
        return json_node_init_object (json_node_alloc (), object);
      }
    default:
      return json_node_new (JSON_NODE_NULL);
    }
}

static void
update_button (OpenIotActionRow *self)
{
  gtk_widget_set_sensitive (self->run_button, self->cancellable != NULL ||
                            (self->input_valid && !self->redundant));
}

/* The button is active only for an input the Thing would accept; the
 * row names the field that is not right. */
static void
validate_input (OpenIotActionRow *self)
{
  OpenIotDataSchema *schema = openiot_interaction_get_schema (self->action);
  g_autoptr(GError) error = NULL;

  self->input_valid =
      schema == NULL || openiot_data_schema_validate (schema, self->input_value, &error);
  if (self->run_row != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->run_row), error ? error->message : "");
  update_button (self);
}

static void
on_input_changed (OpenIotValueEditor *editor,
                  JsonNode           *value,
                  OpenIotActionRow   *self)
{
  g_clear_pointer (&self->input_value, json_node_unref);
  self->input_value = json_node_copy (value);
  openiot_value_editor_set_value (editor, value);
  validate_input (self);
}

static void
on_member_input_changed (OpenIotValueEditor *editor,
                         JsonNode           *value,
                         OpenIotActionRow   *self)
{
  json_object_set_member (json_node_get_object (self->input_value),
                          g_object_get_data (G_OBJECT (editor), "openiot-member"),
                          json_node_copy (value));
  openiot_value_editor_set_value (editor, value);
  validate_input (self);
}

static void
set_running (OpenIotActionRow *self,
             gboolean          running)
{
  gtk_widget_set_visible (self->spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), running);
  gtk_button_set_label (GTK_BUTTON (self->run_button),
                        running ? _("Cancel") : openiot_interaction_get_title (self->action));
  update_button (self);
}

/* One line for the row: "State: Unlocked", "Until: 22:48", "Done". */
static char *
summarize_output (OpenIotActionRow *self,
                  JsonNode         *output)
{
  OpenIotDataSchema *schema = openiot_interaction_get_output_schema (self->action);
  g_autoptr(GString) text = NULL;
  JsonObject *object;

  if (json_node_is_null (output))
    return g_strdup (_("Done"));
  if (schema == NULL || !JSON_NODE_HOLDS_OBJECT (output))
    return schema ? openiot_data_schema_format_value (schema,
                                                      output) : json_to_string (output, FALSE);

  text = g_string_new (NULL);
  object = json_node_get_object (output);
  for (const char * const *names = openiot_data_schema_get_property_names (schema); names &&
       *names; names++)
    {
      OpenIotDataSchema *member = openiot_data_schema_get_property (schema, *names);
      JsonNode *value = json_object_get_member (object, *names);
      const char *title = openiot_data_schema_get_title (member);
      g_autofree char *formatted = NULL;
      g_autofree char *label = NULL;

      if (value == NULL)
        continue;
      formatted = openiot_data_schema_format_value (member, value);
      label = title ? g_strdup (title) : g_strdup (*names);
      label[0] = g_ascii_toupper (label[0]);
      /* TRANSLATORS: one member of an action's result, "State: Unlocked"; joined with " · " */
      g_string_append_printf (text, text->len ? _(" · %s: %s") : _("%s: %s"), label, formatted);
    }
  return text->len ? g_string_free (g_steal_pointer (&text), FALSE) : g_strdup (_("Done"));
}

static void
on_invoked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OpenIotActionRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) output =
      openiot_consumed_thing_invoke_action_finish (OPENIOT_CONSUMED_THING (source), result, &error);

  g_clear_object (&self->cancellable);
  set_running (self, FALSE);

  if (output == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *reason = openiot_error_text (error);
          /* TRANSLATORS: an action's title ("Unlock"), then why it failed */
          g_autofree char *message = g_strdup_printf (_("%s failed: %s"),
                                                      openiot_interaction_get_title (self->action),
                                                      reason);
          openiot_toast_show (GTK_WIDGET (self), message);
        }
      return;
    }

  /* The result, right in the row, where the button was pressed */
  {
    g_autofree char *summary = summarize_output (self, output);

    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), summary);
  }
  g_clear_pointer (&self->last_output, json_node_unref);
  self->last_output = json_node_ref (output);
}

/**
 * openiot_action_row_run:
 *
 * Invokes the action with the form's input, or cancels it while it runs.
 */
void
openiot_action_row_run (OpenIotActionRow *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      return;
    }
  if (self->thing == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  openiot_consumed_thing_invoke_action_async (self->thing,
                                              openiot_interaction_get_name (self->action),
                                              self->input_value, self->cancellable, on_invoked,
                                              g_object_ref (self));
}

/* The row runs one action only: @action is always its own */
static void
run_confirmed (GtkWidget          *widget,
               OpenIotInteraction *action)
{
  openiot_action_row_run (OPENIOT_ACTION_ROW (widget));
}

static void
on_run_clicked (GtkButton        *button,
                OpenIotActionRow *self)
{
  if (self->cancellable == NULL && self->thing != NULL &&
      openiot_interaction_get_needs_confirmation (self->action))
    {
      OpenIotThing *thing = openiot_consumed_thing_get_thing (self->thing);

      openiot_action_confirm (GTK_WIDGET (self), self->action, openiot_thing_get_title (thing),
                              run_confirmed);
    }
  else
    openiot_action_row_run (self);
}

GtkWidget *
openiot_action_row_new (OpenIotInteraction *action)
{
  OpenIotActionRow *self = g_object_new (OPENIOT_TYPE_ACTION_ROW, NULL);
  OpenIotDataSchema *input = openiot_interaction_get_schema (action);

  self->action = g_object_ref (action);
  /* Titles and descriptions are the Thing Description's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 openiot_interaction_get_title (action));
  if (openiot_interaction_get_description (action) != NULL)
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self),
                                   openiot_interaction_get_description (action));

  if (input != NULL)
    {
      const char * const *names = openiot_data_schema_get_property_names (input);

      self->input_value = initial_value (input);
      /* An object's members go straight into this expander. */
      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          OpenIotDataSchema *member = openiot_data_schema_get_property (input, names[i]);
          const char *title = openiot_data_schema_get_title (member);
          JsonObject *values = json_node_get_object (self->input_value);
          g_autoptr(OpenIotValueEditor) editor =
              openiot_value_editor_new (member, title ? title : names[i], NULL, TRUE);

          openiot_value_editor_set_value (editor, json_object_get_member (values, names[i]));
          g_signal_connect_object (editor, "changed", G_CALLBACK (on_member_input_changed), self,
                                   0);
          g_object_set_data_full (G_OBJECT (openiot_value_editor_get_row (editor)),
                                  "openiot-editor",
                                  g_object_ref (editor), g_object_unref);
          g_object_set_data_full (G_OBJECT (editor), "openiot-member", g_strdup (names[i]), g_free);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (self), openiot_value_editor_get_row (editor));
        }
      if (names == NULL)
        {
          self->input = openiot_value_editor_new (input, _("Input"), NULL, TRUE);
          openiot_value_editor_set_value (self->input, self->input_value);
          g_signal_connect_object (self->input, "changed", G_CALLBACK (on_input_changed), self, 0);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (self),
                                    openiot_value_editor_get_row (self->input));
        }
    }

  /* Named after the action; not suggested: a page has many actions, and
   * none of them is the obvious next step for everyone. */
  self->run_button = gtk_button_new_with_label (openiot_interaction_get_title (action));
  gtk_widget_set_valign (self->run_button, GTK_ALIGN_CENTER);
  if (openiot_interaction_get_needs_confirmation (action))
    gtk_widget_add_css_class (self->run_button, "destructive-action");
  g_signal_connect (self->run_button, "clicked", G_CALLBACK (on_run_clicked), self);
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  if (input == NULL)
    {
      /* Nothing to fill in: one click, right on the row ("Unlock") */
      adw_expander_row_add_action (ADW_EXPANDER_ROW (self), self->spinner);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (self), self->run_button);
      adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (self), FALSE);
    }
  else
    {
      self->run_row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->run_row), FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->run_row), self->spinner);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->run_row), self->run_button);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self), self->run_row);
    }

  validate_input (self);
  return GTK_WIDGET (self);
}

const char *
openiot_action_row_get_name (OpenIotActionRow *self)
{
  return openiot_interaction_get_name (self->action);
}

/**
 * openiot_action_row_get_output:
 *
 * Returns: (nullable) (transfer none): the last run's output, once shown
 */
JsonNode *
openiot_action_row_get_output (OpenIotActionRow *self)
{
  return self->last_output;
}

/**
 * openiot_action_row_get_button:
 *
 * Returns: (transfer none): the button named after the action
 */
GtkWidget *
openiot_action_row_get_button (OpenIotActionRow *self)
{
  return self->run_button;
}

/**
 * openiot_action_row_set_redundant:
 * @redundant: whether the Thing is already where the action would take
 *   it (Unlock while unlocked)
 *
 * An action that would do nothing is insensitive.
 */
void
openiot_action_row_set_redundant (OpenIotActionRow *self,
                                  gboolean          redundant)
{
  self->redundant = redundant;
  update_button (self);
}

void
openiot_action_row_set_thing (OpenIotActionRow     *self,
                              OpenIotConsumedThing *thing)
{
  g_set_object (&self->thing, thing);
}

static void
openiot_action_row_dispose (GObject *object)
{
  OpenIotActionRow *self = OPENIOT_ACTION_ROW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->thing);
  g_clear_object (&self->input);

  G_OBJECT_CLASS (openiot_action_row_parent_class)->dispose (object);
}

static void
openiot_action_row_finalize (GObject *object)
{
  OpenIotActionRow *self = OPENIOT_ACTION_ROW (object);

  g_clear_object (&self->action);
  g_clear_pointer (&self->input_value, json_node_unref);
  g_clear_pointer (&self->last_output, json_node_unref);

  G_OBJECT_CLASS (openiot_action_row_parent_class)->finalize (object);
}

static void
openiot_action_row_class_init (OpenIotActionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_action_row_dispose;
  object_class->finalize = openiot_action_row_finalize;
}

static void
openiot_action_row_init (OpenIotActionRow *self)
{
}
