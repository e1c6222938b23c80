// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-app"

#include "config.h"

#include <glib/gi18n.h>

#include "openiot-value-editor.h"

/*
 * OpenIotValueEditor:
 *
 * The row that shows, and where allowed edits, one value of a Thing
 * Description, chosen from its data schema: a switch for a boolean, a
 * spin button with the unit for a number, a combo row for a choice, an
 * entry for text, an expander with a row per member for an object, an
 * expander listing the items of a list; read-only values are labels.
 *
 * "changed" is emitted with the whole new value when the user edits it,
 * never when set_value() shows a value that came from the device.
 */
typedef enum
{
  KIND_LABEL,
  KIND_SWITCH,
  KIND_SPIN,
  KIND_COMBO,
  KIND_ENTRY,
  KIND_OBJECT,
  KIND_LIST,
} Kind;

struct _OpenIotValueEditor
{
  GObject            parent_instance;

  OpenIotDataSchema *schema;
  Kind               kind;
  GtkWidget         *row;
  GtkWidget         *control;   /* switch, spin button, value label */
  GtkWidget         *spinner;
  GPtrArray         *members;   /* OpenIotValueEditor, for objects */
  GtkWidget         *list_box;  /* items of a list */
  GPtrArray         *list_rows;
  JsonNode          *value;
  gboolean           updating;
  gboolean           busy;
  gboolean           unreachable;
};

G_DEFINE_FINAL_TYPE (OpenIotValueEditor, openiot_value_editor, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (OpenIotValueEditor *self,
              JsonNode           *value)
{
  if (self->updating)
    return;
  g_signal_emit (self, signals[CHANGED], 0, value);
}

static void
on_switch_active (GtkSwitch          *toggle,
                  GParamSpec         *pspec,
                  OpenIotValueEditor *self)
{
  g_autoptr(JsonNode) value = json_node_init_boolean (json_node_alloc (),
                                                      gtk_switch_get_active (toggle));

  emit_changed (self, value);
}

static void
on_spin_value (GtkSpinButton      *spin,
               OpenIotValueEditor *self)
{
  g_autoptr(JsonNode) value = json_node_alloc ();

  if (openiot_data_schema_get_data_type (self->schema) == OPENIOT_DATA_TYPE_INTEGER)
    json_node_init_int (value, gtk_spin_button_get_value_as_int (spin));
  else
    json_node_init_double (value, gtk_spin_button_get_value (spin));
  emit_changed (self, value);
}

static void
on_combo_selected (AdwComboRow        *combo,
                   GParamSpec         *pspec,
                   OpenIotValueEditor *self)
{
  guint selected = adw_combo_row_get_selected (combo);
  JsonArray *choices = openiot_data_schema_get_enum (self->schema);

  if (selected == GTK_INVALID_LIST_POSITION || selected >= json_array_get_length (choices))
    return;
  emit_changed (self, json_array_get_element (choices, selected));
}

static void
on_entry_apply (AdwEntryRow        *entry,
                OpenIotValueEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(JsonNode) value = NULL;

  if (openiot_data_schema_get_data_type (self->schema) == OPENIOT_DATA_TYPE_STRING)
    value = json_node_init_string (json_node_alloc (), text);
  else if (!(value = json_from_string (text, NULL)))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  emit_changed (self, value);
}

/* A member of an object changed: the device gets the whole object. */
static void
on_member_changed (OpenIotValueEditor *member,
                   JsonNode           *member_value,
                   OpenIotValueEditor *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) value = json_node_alloc ();
  const char * const *names = openiot_data_schema_get_property_names (self->schema);

  for (guint i = 0; i < self->members->len; i++)
    {
      OpenIotValueEditor *editor = self->members->pdata[i];
      JsonNode *current = editor == member ? member_value : editor->value;

      if (current != NULL)
        json_object_set_member (object, names[i], json_node_copy (current));
    }
  json_node_init_object (value, object);
  emit_changed (self, value);
}

static GtkWidget *
value_label (void)
{
  GtkWidget *label = gtk_label_new ("—");

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 18);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "numeric");
  return label;
}

static void
set_row_texts (GtkWidget  *row,
               const char *title,
               const char *description)
{
  /* The Thing Description's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (description != NULL && ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), description);
  else if (description != NULL && ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), description);
}

static GtkWidget *
make_spin (OpenIotValueEditor *self)
{
  double min = -1e9, max = 1e9;
  gboolean integer = openiot_data_schema_get_data_type (self->schema) == OPENIOT_DATA_TYPE_INTEGER;
  GtkWidget *spin;

  openiot_data_schema_get_minimum (self->schema, &min);
  openiot_data_schema_get_maximum (self->schema, &max);
  spin = gtk_spin_button_new_with_range (min, max, integer ? 1 : 0.5);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), integer ? 0 : 1);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 5);  /* fits a phone */
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_value), self);
  return spin;
}

static void
build_combo (OpenIotValueEditor *self)
{
  JsonArray *choices = openiot_data_schema_get_enum (self->schema);
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);

  for (guint i = 0; i < json_array_get_length (choices); i++)
    {
      g_autofree char *text =
          openiot_data_schema_format_value (self->schema, json_array_get_element (choices, i));

      gtk_string_list_append (strings, text);
    }
  self->row = adw_combo_row_new ();
  adw_combo_row_set_model (ADW_COMBO_ROW (self->row), G_LIST_MODEL (strings));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->row), GTK_INVALID_LIST_POSITION);
  g_signal_connect (self->row, "notify::selected", G_CALLBACK (on_combo_selected), self);
}

static void
build_object (OpenIotValueEditor *self,
              gboolean            editable)
{
  const char * const *names = openiot_data_schema_get_property_names (self->schema);

  self->row = adw_expander_row_new ();
  self->members = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; names[i] != NULL; i++)
    {
      OpenIotDataSchema *member_schema = openiot_data_schema_get_property (self->schema, names[i]);
      const char *title = openiot_data_schema_get_title (member_schema);
      OpenIotValueEditor *member =
          openiot_value_editor_new (member_schema, title ? title : names[i], NULL,
                                    editable && !openiot_data_schema_get_read_only (member_schema));

      g_signal_connect (member, "changed", G_CALLBACK (on_member_changed), self);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self->row), member->row);
      g_ptr_array_add (self->members, member);
    }
}

static void
build (OpenIotValueEditor *self,
       gboolean            editable)
{
  OpenIotDataType type = openiot_data_schema_get_data_type (self->schema);
  const char *unit = openiot_data_schema_get_unit_symbol (self->schema);

  if (type == OPENIOT_DATA_TYPE_OBJECT &&
      openiot_data_schema_get_property_names (self->schema) != NULL)
    {
      self->kind = KIND_OBJECT;
      build_object (self, editable);
      return;
    }
  if (type == OPENIOT_DATA_TYPE_ARRAY)
    {
      self->kind = KIND_LIST;
      self->row = adw_expander_row_new ();
      self->list_rows = g_ptr_array_new ();
      return;
    }

  if (!editable)
    self->kind = KIND_LABEL;
  else if (openiot_data_schema_get_enum (self->schema) != NULL)
    self->kind = KIND_COMBO;
  else if (type == OPENIOT_DATA_TYPE_BOOLEAN)
    self->kind = KIND_SWITCH;
  else if (type == OPENIOT_DATA_TYPE_NUMBER || type == OPENIOT_DATA_TYPE_INTEGER)
    self->kind = KIND_SPIN;
  else
    self->kind = KIND_ENTRY;

  switch (self->kind)
    {
    case KIND_COMBO:
      build_combo (self);
      break;
    case KIND_ENTRY:
      self->row = adw_entry_row_new ();
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->row), TRUE);
      g_signal_connect (self->row, "apply", G_CALLBACK (on_entry_apply), self);
      break;
    case KIND_SWITCH:
      self->row = adw_action_row_new ();
      self->control = gtk_switch_new ();
      gtk_widget_set_valign (self->control, GTK_ALIGN_CENTER);
      g_signal_connect (self->control, "notify::active", G_CALLBACK (on_switch_active), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->control);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->row), self->control);
      break;
    case KIND_SPIN:
      self->row = adw_action_row_new ();
      self->control = make_spin (self);
      if (unit != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), gtk_label_new (unit));
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->control);
      break;
    case KIND_LABEL:
    default:
      self->row = adw_action_row_new ();
      self->control = value_label ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->control);
      break;
    }
}

/**
 * openiot_value_editor_new:
 * @editable: whether the user may change the value
 *
 * Returns: (transfer full): the editor; put its row in a list
 */
OpenIotValueEditor *
openiot_value_editor_new (OpenIotDataSchema *schema,
                          const char        *title,
                          const char        *description,
                          gboolean           editable)
{
  OpenIotValueEditor *self = g_object_new (OPENIOT_TYPE_VALUE_EDITOR, NULL);

  self->schema = schema != NULL ? g_object_ref (schema) : NULL;
  if (schema == NULL)
    {
      self->kind = KIND_LABEL;
      self->row = adw_action_row_new ();
      self->control = value_label ();
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->control);
    }
  else
    build (self, editable);

  self->spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->spinner, FALSE);
  /* Beside the control, not as a prefix: a prefix box with a hidden
   * spinner would still indent the row's title. */
  if (self->control != NULL && gtk_widget_get_parent (self->control) != NULL)
    gtk_widget_insert_before (self->spinner, gtk_widget_get_parent (self->control), self->control);
  else if (ADW_IS_ACTION_ROW (self->row))
    adw_action_row_add_suffix (ADW_ACTION_ROW (self->row), self->spinner);
  else if (ADW_IS_ENTRY_ROW (self->row))
    adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->row), self->spinner);
  else
    adw_expander_row_add_action (ADW_EXPANDER_ROW (self->row), self->spinner);

  g_object_ref_sink (self->row);
  set_row_texts (self->row, title, description);
  return self;
}

static void
show_list (OpenIotValueEditor *self,
           JsonNode           *value)
{
  OpenIotDataSchema *items = openiot_data_schema_get_items (self->schema);
  JsonArray *array = JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;
  guint length = array ? json_array_get_length (array) : 0;
  g_autofree char *count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items",
                                                         length), length);

  for (guint i = 0; i < self->list_rows->len; i++)
    adw_expander_row_remove (ADW_EXPANDER_ROW (self->row), self->list_rows->pdata[i]);
  g_ptr_array_set_size (self->list_rows, 0);

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->row), count);
  for (guint i = 0; i < length && i < 100; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *text = items ? openiot_data_schema_format_value (items, element)
                                    : openiot_json_to_string (element);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self->row), row);
      g_ptr_array_add (self->list_rows, row);
    }
}

static guint
enum_position (OpenIotValueEditor *self,
               JsonNode           *value)
{
  JsonArray *choices = openiot_data_schema_get_enum (self->schema);

  for (guint i = 0; i < json_array_get_length (choices); i++)
    if (json_node_equal (json_array_get_element (choices, i), value))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
is_number (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) &&
         (json_node_get_value_type (value) == G_TYPE_DOUBLE ||
          json_node_get_value_type (value) == G_TYPE_INT64);
}

/**
 * openiot_value_editor_set_value:
 * @value: (nullable): the device's value; %NULL when unknown
 *
 * Shows a value without emitting "changed".
 */
void
openiot_value_editor_set_value (OpenIotValueEditor *self,
                                JsonNode           *value)
{
  g_autofree char *text = NULL;

  g_return_if_fail (OPENIOT_IS_VALUE_EDITOR (self));

  g_clear_pointer (&self->value, json_node_unref);
  self->value = value ? json_node_copy (value) : NULL;
  self->updating = TRUE;

  switch (self->kind)
    {
    case KIND_SWITCH:
      if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_BOOLEAN)
        gtk_switch_set_active (GTK_SWITCH (self->control), json_node_get_boolean (value));
      break;
    case KIND_SPIN:
      if (value != NULL && is_number (value))
        gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->control), json_node_get_double (value));
      break;
    case KIND_COMBO:
      if (value != NULL)
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->row), enum_position (self, value));
      break;
    case KIND_ENTRY:
      /* Not while the user is typing in it. */
      if (value != NULL &&
          !gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->row)))))
        {
          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            gtk_editable_set_text (GTK_EDITABLE (self->row), json_node_get_string (value));
          else
            {
              text = openiot_json_to_string (value);
              gtk_editable_set_text (GTK_EDITABLE (self->row), text);
            }
        }
      break;
    case KIND_OBJECT:
      for (guint i = 0; i < self->members->len; i++)
        {
          const char *name = openiot_data_schema_get_property_names (self->schema)[i];
          JsonObject *object =
              value && JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;

          openiot_value_editor_set_value (self->members->pdata[i],
                                          object ? json_object_get_member (object, name) : NULL);
        }
      break;
    case KIND_LIST:
      show_list (self, value);
      break;
    case KIND_LABEL:
    default:
      text = value == NULL ? g_strdup ("—")
             : self->schema ? openiot_data_schema_format_value (self->schema, value)
                            : openiot_json_to_string (value);
      gtk_label_set_text (GTK_LABEL (self->control), text);
      break;
    }

  self->updating = FALSE;
}

/**
 * openiot_value_editor_get_value:
 *
 * Returns: (nullable) (transfer none): the value last shown
 */
JsonNode *
openiot_value_editor_get_value (OpenIotValueEditor *self)
{
  g_return_val_if_fail (OPENIOT_IS_VALUE_EDITOR (self), NULL);
  return self->value;
}

static void
update_sensitive (OpenIotValueEditor *self)
{
  gtk_widget_set_sensitive (self->control != NULL ? self->control : self->row, !self->busy &&
                            !self->unreachable);
}

/**
 * openiot_value_editor_set_busy:
 *
 * While a write is on its way: a spinner, and no further edits.
 */
void
openiot_value_editor_set_busy (OpenIotValueEditor *self,
                               gboolean            busy)
{
  g_return_if_fail (OPENIOT_IS_VALUE_EDITOR (self));

  self->busy = busy;
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
  update_sensitive (self);
}

/**
 * openiot_value_editor_set_reachable:
 *
 * While the hub cannot be reached (offline, blocked), a control that
 * would only fail is insensitive; the page says why, once.
 */
void
openiot_value_editor_set_reachable (OpenIotValueEditor *self,
                                    gboolean            reachable)
{
  g_return_if_fail (OPENIOT_IS_VALUE_EDITOR (self));

  self->unreachable = !reachable;
  update_sensitive (self);
}

gboolean
openiot_value_editor_get_busy (OpenIotValueEditor *self)
{
  g_return_val_if_fail (OPENIOT_IS_VALUE_EDITOR (self), FALSE);
  return self->busy;
}

/**
 * openiot_value_editor_get_title:
 *
 * Returns: (transfer none): the property's title, as its row shows it
 */
const char *
openiot_value_editor_get_title (OpenIotValueEditor *self)
{
  g_return_val_if_fail (OPENIOT_IS_VALUE_EDITOR (self), NULL);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->row));
}

/**
 * openiot_value_editor_get_row:
 *
 * Returns: (transfer none): its row
 */
GtkWidget *
openiot_value_editor_get_row (OpenIotValueEditor *self)
{
  g_return_val_if_fail (OPENIOT_IS_VALUE_EDITOR (self), NULL);
  return self->row;
}

/**
 * openiot_value_editor_get_control:
 *
 * Returns: (nullable) (transfer none): its switch, spin button or value
 *   label; %NULL for rows that are their own control
 */
GtkWidget *
openiot_value_editor_get_control (OpenIotValueEditor *self)
{
  g_return_val_if_fail (OPENIOT_IS_VALUE_EDITOR (self), NULL);
  return self->control;
}

static void
openiot_value_editor_dispose (GObject *object)
{
  OpenIotValueEditor *self = OPENIOT_VALUE_EDITOR (object);

  if (self->members != NULL)
    for (guint i = 0; i < self->members->len; i++)
      g_signal_handlers_disconnect_by_data (self->members->pdata[i], self);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_object (&self->row);

  G_OBJECT_CLASS (openiot_value_editor_parent_class)->dispose (object);
}

static void
openiot_value_editor_finalize (GObject *object)
{
  OpenIotValueEditor *self = OPENIOT_VALUE_EDITOR (object);

  g_clear_object (&self->schema);
  g_clear_pointer (&self->value, json_node_unref);
  g_clear_pointer (&self->list_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (openiot_value_editor_parent_class)->finalize (object);
}

static void
openiot_value_editor_class_init (OpenIotValueEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = openiot_value_editor_dispose;
  object_class->finalize = openiot_value_editor_finalize;

  /**
   * OpenIotValueEditor::changed:
   * @value: the value the user chose
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, JSON_TYPE_NODE);
}

static void
openiot_value_editor_init (OpenIotValueEditor *self)
{
}
