// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-data-schema"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "openiot-error.h"
#include "openiot-json.h"
#include "openiot-text.h"

#include "openiot-data-schema-private.h"

/**
 * OpenIotDataSchema:
 *
 * The shape of a value in a Thing Description (W3C WoT TD 1.1 §5.3.2): a
 * property's value, an action's input or output, an event's data. It knows
 * enough to draw the fitting widget (type, unit, range, choices, nested
 * members, items) and to check a value before it is sent.
 */
struct _OpenIotDataSchema
{
  GObject          parent_instance;

  OpenIotDataType  data_type;
  char            *title;
  char            *description;
  char            *unit;
  char            *format;
  gboolean         has_minimum;
  gboolean         has_maximum;
  double           minimum;
  double           maximum;
  double           multiple_of;      /* 0 when not given */
  JsonArray       *enum_values;
  gboolean         read_only;
  gboolean         write_only;
  GPtrArray       *property_names;   /* NULL-terminated, in document order */
  GHashTable      *properties;       /* name → OpenIotDataSchema */
  GStrv            required;
  OpenIotDataSchema *items;
  gint64           max_items;
  gint64           max_length;
};

G_DEFINE_FINAL_TYPE (OpenIotDataSchema, openiot_data_schema, G_TYPE_OBJECT)

static const struct
{
  const char      *name;
  OpenIotDataType  type;
} data_types[] = {
  { "boolean", OPENIOT_DATA_TYPE_BOOLEAN },
  { "integer", OPENIOT_DATA_TYPE_INTEGER },
  { "number", OPENIOT_DATA_TYPE_NUMBER },
  { "string", OPENIOT_DATA_TYPE_STRING },
  { "object", OPENIOT_DATA_TYPE_OBJECT },
  { "array", OPENIOT_DATA_TYPE_ARRAY },
  { "null", OPENIOT_DATA_TYPE_NULL },
};

/* An unknown or missing type (or a list of types, which JSON Schema allows)
 * accepts anything: the device knows better than we do. */
static OpenIotDataType
parse_data_type (JsonObject *object)
{
  const char *name = _openiot_td_string (object, "type");

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (data_types); i++)
    if (g_str_equal (name, data_types[i].name))
      return data_types[i].type;
  return OPENIOT_DATA_TYPE_ANY;
}

static gint64
parse_count (JsonObject *object,
             const char *member)
{
  double value;

  if (!_openiot_td_number (object, member, &value) || value < 0 || value > G_MAXINT32)
    return -1;
  return (gint64) value;
}

static gboolean
parse_properties (OpenIotDataSchema *self,
                  JsonObject        *properties,
                  OpenIotTdBudget   *budget,
                  guint              depth,
                  GError           **error)
{
  g_autoptr(GList) names = json_object_get_members (properties);

  self->property_names = g_ptr_array_new_with_free_func (g_free);
  self->properties = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *member = _openiot_td_object (properties, l->data);
      g_autoptr(OpenIotDataSchema) schema = NULL;
      char *name;

      if (member == NULL)
        continue;  /* not a schema: skip the member, keep the rest */
      if (!(schema = _openiot_data_schema_new (member, budget, depth + 1, error)))
        return FALSE;
      name = g_strdup (l->data);
      g_ptr_array_add (self->property_names, name);
      g_hash_table_insert (self->properties, name, g_steal_pointer (&schema));
    }

  g_ptr_array_add (self->property_names, NULL);
  return TRUE;
}

static GStrv
parse_string_array (JsonObject *object,
                    const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

OpenIotDataSchema *
_openiot_data_schema_new (JsonObject       *object,
                          OpenIotTdBudget  *budget,
                          guint             depth,
                          GError          **error)
{
  g_autoptr(OpenIotDataSchema) self = NULL;
  JsonObject *members, *items;
  JsonNode *node;

  if (depth > OPENIOT_TD_MAX_SCHEMA_DEPTH || budget->schemas_left == 0)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   depth > OPENIOT_TD_MAX_SCHEMA_DEPTH
                     ? _("The Thing Description nests its data deeper than %u levels.")
                     : _("The Thing Description describes more than %u values."),
                   depth > OPENIOT_TD_MAX_SCHEMA_DEPTH ? OPENIOT_TD_MAX_SCHEMA_DEPTH
                                                       : OPENIOT_TD_MAX_SCHEMAS);
      return NULL;
    }
  budget->schemas_left--;

  self = g_object_new (OPENIOT_TYPE_DATA_SCHEMA, NULL);
  self->data_type = parse_data_type (object);
  self->title = g_strdup (_openiot_td_localized (object, "title"));
  self->description = g_strdup (_openiot_td_localized (object, "description"));
  self->unit = g_strdup (_openiot_td_string (object, "unit"));
  self->format = g_strdup (_openiot_td_string (object, "format"));
  self->has_minimum = _openiot_td_number (object, "minimum", &self->minimum);
  self->has_maximum = _openiot_td_number (object, "maximum", &self->maximum);
  if (!_openiot_td_number (object, "multipleOf", &self->multiple_of) || !(self->multiple_of > 0))
    self->multiple_of = 0;
  self->read_only = _openiot_td_boolean (object, "readOnly", FALSE);
  self->write_only = _openiot_td_boolean (object, "writeOnly", FALSE);
  self->required = parse_string_array (object, "required");
  self->max_items = parse_count (object, "maxItems");
  self->max_length = parse_count (object, "maxLength");

  node = json_object_get_member (object, "enum");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
      json_array_get_length (json_node_get_array (node)) > 0)
    self->enum_values = json_array_ref (json_node_get_array (node));

  if ((members = _openiot_td_object (object, "properties")) != NULL &&
      !parse_properties (self, members, budget, depth, error))
    return NULL;

  if ((items = _openiot_td_object (object, "items")) != NULL &&
      !(self->items = _openiot_data_schema_new (items, budget, depth + 1, error)))
    return NULL;

  return g_steal_pointer (&self);
}

static gboolean
fail_at (GError     **error,
         const char  *where,
         const char  *message)
{
  if (where[0] == '\0')
    g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA, message);
  else
    /* Translators: the value's place in the data, then what is wrong with it */
    g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA, _("%s: %s"), where, message);
  return FALSE;
}

static gboolean validate_at (OpenIotDataSchema *self, JsonNode *value, const char *where,
                             GError **error);

static gboolean
validate_number (OpenIotDataSchema  *self,
                 JsonNode           *value,
                 const char         *where,
                 GError            **error)
{
  g_autofree char *message = NULL;
  double number;

  if (!JSON_NODE_HOLDS_VALUE (value) ||
      (json_node_get_value_type (value) != G_TYPE_INT64 &&
       json_node_get_value_type (value) != G_TYPE_DOUBLE))
    return fail_at (error, where, _("expected a number"));

  number = json_node_get_double (value);
  if (!isfinite (number))
    return fail_at (error, where, _("expected a finite number"));
  if (self->data_type == OPENIOT_DATA_TYPE_INTEGER && number != floor (number))
    return fail_at (error, where, _("expected a whole number"));
  if (self->has_minimum && number < self->minimum)
    message = g_strdup_printf (_("must be at least %g"), self->minimum);
  else if (self->has_maximum && number > self->maximum)
    message = g_strdup_printf (_("must be at most %g"), self->maximum);
  return message == NULL || fail_at (error, where, message);
}

static gboolean
validate_object (OpenIotDataSchema  *self,
                 JsonNode           *value,
                 const char         *where,
                 GError            **error)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (value))
    return fail_at (error, where, _("expected an object"));
  object = json_node_get_object (value);

  for (guint i = 0; self->required != NULL && self->required[i] != NULL; i++)
    if (!json_object_has_member (object, self->required[i]))
      {
        g_autofree char *message = g_strdup_printf (_("“%s” is missing"), self->required[i]);
        return fail_at (error, where, message);
      }

  for (guint i = 0; self->property_names != NULL && self->property_names->pdata[i] != NULL; i++)
    {
      const char *name = self->property_names->pdata[i];
      JsonNode *member = json_object_get_member (object, name);
      g_autofree char *member_where =
        where[0] ? g_strconcat (where, ".", name, NULL) : g_strdup (name);

      if (member != NULL &&
          !validate_at (g_hash_table_lookup (self->properties, name), member, member_where, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_array (OpenIotDataSchema  *self,
                JsonNode           *value,
                const char         *where,
                GError            **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (value))
    return fail_at (error, where, _("expected a list"));
  array = json_node_get_array (value);

  /* %lld, not G_GINT64_FORMAT: xgettext cannot see through the macro */
  if (self->max_items >= 0 && json_array_get_length (array) > self->max_items)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "at most %lld item", "at most %lld items",
                                      (gulong) self->max_items),
                         (long long) self->max_items);
      return fail_at (error, where, message);
    }

  for (guint i = 0; self->items != NULL && i < json_array_get_length (array); i++)
    {
      g_autofree char *item_where = g_strdup_printf ("%s[%u]", where, i);

      if (!validate_at (self->items, json_array_get_element (array, i), item_where, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
in_enum (OpenIotDataSchema *self,
         JsonNode          *value)
{
  for (guint i = 0; i < json_array_get_length (self->enum_values); i++)
    if (json_node_equal (json_array_get_element (self->enum_values, i), value))
      return TRUE;
  return FALSE;
}

static gboolean
validate_at (OpenIotDataSchema  *self,
             JsonNode           *value,
             const char         *where,
             GError            **error)
{
  if (self->enum_values != NULL && !in_enum (self, value))
    return fail_at (error, where, _("not one of the allowed choices"));

  switch (self->data_type)
    {
    case OPENIOT_DATA_TYPE_ANY:
      return TRUE;
    case OPENIOT_DATA_TYPE_NULL:
      return JSON_NODE_HOLDS_NULL (value) || fail_at (error, where, _("expected null"));
    case OPENIOT_DATA_TYPE_BOOLEAN:
      return (JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_BOOLEAN) ||
             fail_at (error, where, _("expected true or false"));
    case OPENIOT_DATA_TYPE_STRING:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return fail_at (error, where, _("expected a string"));
      if (self->max_length >= 0 &&
          g_utf8_strlen (json_node_get_string (value), -1) > self->max_length)
        return fail_at (error, where, _("too long"));
      return TRUE;
    case OPENIOT_DATA_TYPE_INTEGER:
    case OPENIOT_DATA_TYPE_NUMBER:
      return validate_number (self, value, where, error);
    case OPENIOT_DATA_TYPE_OBJECT:
      return validate_object (self, value, where, error);
    case OPENIOT_DATA_TYPE_ARRAY:
      return validate_array (self, value, where, error);
    default:
      g_assert_not_reached ();
    }
}

/**
 * openiot_data_schema_validate:
 * @value: the value to check
 *
 * Checks @value against the schema before it is sent: type, range,
 * choices, required members, length of lists. The error message says
 * where the value is wrong, for people.
 *
 * Returns: whether @value fits
 */
gboolean
openiot_data_schema_validate (OpenIotDataSchema  *self,
                              JsonNode           *value,
                              GError            **error)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  return validate_at (self, value, "", error);
}

static const struct
{
  const char *unit;
  const char *symbol;
} unit_symbols[] = {
  { "cel", "°C" }, { "celsius", "°C" }, { "degree celsius", "°C" },
  { "om2:degreeCelsius", "°C" }, { "fahrenheit", "°F" }, { "kelvin", "K" },
  { "percent", "%" }, { "om2:percent", "%" },
  { "watt", "W" }, { "kilowatt", "kW" }, { "kilowatt hour", "kWh" },
  { "volt", "V" }, { "ampere", "A" }, { "lux", "lx" }, { "hertz", "Hz" },
  { "second", "s" }, { "minute", "min" }, { "hour", "h" },
};

/**
 * openiot_data_schema_get_unit_symbol:
 *
 * Returns: (nullable): the unit as people write it (`°C` for `cel`), or
 *   the unit as given when it has no well-known symbol
 */
const char *
openiot_data_schema_get_unit_symbol (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);

  for (guint i = 0; self->unit != NULL && i < G_N_ELEMENTS (unit_symbols); i++)
    if (g_ascii_strcasecmp (self->unit, unit_symbols[i].unit) == 0)
      return unit_symbols[i].symbol;
  return self->unit;
}

/**
 * openiot_data_schema_format_value:
 * @value: a value of this schema
 *
 * Returns: (transfer full): @value for people: numbers with their unit,
 *   booleans as “On”/“Off”, objects and lists as compact JSON
 */
/* An enum's value in words, with a capital: "auto" → "Auto",
 * "heatCool" → "Heat cool", "off_peak" → "Off peak". */
static char *
format_choice (const char *value)
{
  g_autoptr(GString) words = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '_' || *p == '-')
        g_string_append_c (words, ' ');
      else if (g_ascii_isupper (*p) && p > value && g_ascii_islower (p[-1]))
        g_string_append_printf (words, " %c", g_ascii_tolower (*p));
      else
        g_string_append_c (words, words->len == 0 ? g_ascii_toupper (*p) : *p);
    }
  return g_string_free (g_steal_pointer (&words), FALSE);
}

/* A date and time in this device's zone: the time alone today ("22:48"),
 * the date and time otherwise. */
static char *
format_date_time (const char *value)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (value, NULL);

  return when != NULL ? openiot_text_format_when (when, FALSE) : g_strdup (value);
}

static char *
format_string (OpenIotDataSchema *self,
               const char        *value)
{
  if (self->enum_values != NULL && g_utf8_validate (value, -1, NULL) && value[0] != '\0')
    return format_choice (value);
  if (g_strcmp0 (self->format, "date-time") == 0)
    return format_date_time (value);
  return g_strdup (value);
}

/* How many decimals a number is shown with, the same for every value of
 * the property so that it does not jitter ("19.55", "19.6", "19.5"): its
 * multipleOf's ("0.5" → 1), else one fewer the wider its range is (a
 * span of 1000 or more → 0, of 10 or more → 1, else 2), else 1. */
static int
number_decimals (OpenIotDataSchema *self)
{
  if (self->multiple_of > 0)
    {
      double step = self->multiple_of;
      int decimals = 0;

      /* the decimals of the step itself, without libm */
      while (decimals < 6 && step - (double) (gint64) (step + 1e-9) > 1e-9)
        {
          step *= 10;
          decimals++;
        }
      return decimals;
    }
  if (self->has_minimum && self->has_maximum)
    {
      double span = self->maximum - self->minimum;

      return span >= 1000 ? 0 : span >= 10 ? 1 : 2;
    }
  return 1;
}

char *
openiot_data_schema_format_value (OpenIotDataSchema *self,
                                  JsonNode          *value)
{
  const char *symbol;

  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  g_return_val_if_fail (value != NULL, NULL);

  symbol = openiot_data_schema_get_unit_symbol (self);

  if (JSON_NODE_HOLDS_VALUE (value))
    switch (json_node_get_value_type (value))
      {
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (value) ? _("On") : _("Off"));
      case G_TYPE_STRING:
        return format_string (self, json_node_get_string (value));
      case G_TYPE_INT64:
        /* 21 of a number that also is 21.5: "21.0", not "21" */
        if (self->data_type != OPENIOT_DATA_TYPE_NUMBER)
          return symbol != NULL ? g_strdup_printf ("%" G_GINT64_FORMAT " %s",
                                                   json_node_get_int (value), symbol)
                                : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
        G_GNUC_FALLTHROUGH;
      case G_TYPE_DOUBLE:
        /* In the user's locale: "21,5 °C" in German */
        return symbol != NULL
          ? g_strdup_printf ("%.*f %s", number_decimals (self), json_node_get_double (value),
                             symbol)
          : g_strdup_printf ("%.*f", number_decimals (self), json_node_get_double (value));
      default:
        break;
      }

  return openiot_json_to_string (value);
}

OpenIotDataType
openiot_data_schema_get_data_type (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), OPENIOT_DATA_TYPE_ANY);
  return self->data_type;
}

/**
 * openiot_data_schema_get_title:
 *
 * Returns: (nullable): the title, in the user's language when offered
 */
const char *
openiot_data_schema_get_title (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->title;
}

/**
 * openiot_data_schema_get_description:
 *
 * Returns: (nullable): the description, in the user's language when offered
 */
const char *
openiot_data_schema_get_description (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->description;
}

/**
 * openiot_data_schema_get_unit:
 *
 * Returns: (nullable): the unit as the TD gives it (e.g. `cel`)
 */
const char *
openiot_data_schema_get_unit (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->unit;
}

/**
 * openiot_data_schema_get_format:
 *
 * Returns: (nullable): the string format (`date-time`, `date`, …)
 */
const char *
openiot_data_schema_get_format (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->format;
}

/**
 * openiot_data_schema_get_minimum:
 * @minimum: (out) (optional): the least allowed number
 *
 * Returns: whether the schema has a minimum
 */
gboolean
openiot_data_schema_get_minimum (OpenIotDataSchema *self,
                                 double            *minimum)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), FALSE);
  if (self->has_minimum && minimum != NULL)
    *minimum = self->minimum;
  return self->has_minimum;
}

/**
 * openiot_data_schema_get_maximum:
 * @maximum: (out) (optional): the greatest allowed number
 *
 * Returns: whether the schema has a maximum
 */
gboolean
openiot_data_schema_get_maximum (OpenIotDataSchema *self,
                                 double            *maximum)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), FALSE);
  if (self->has_maximum && maximum != NULL)
    *maximum = self->maximum;
  return self->has_maximum;
}

/**
 * openiot_data_schema_get_enum:
 *
 * Returns: (nullable) (transfer none): the allowed values, when the schema
 *   lists them
 */
JsonArray *
openiot_data_schema_get_enum (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->enum_values;
}

gboolean
openiot_data_schema_get_read_only (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), FALSE);
  return self->read_only;
}

gboolean
openiot_data_schema_get_write_only (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), FALSE);
  return self->write_only;
}

/**
 * openiot_data_schema_get_property_names:
 *
 * Returns: (nullable) (array zero-terminated=1) (transfer none): an
 *   object's members in document order, or %NULL when it lists none
 */
const char * const *
openiot_data_schema_get_property_names (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->property_names != NULL ? (const char * const *) self->property_names->pdata : NULL;
}

/**
 * openiot_data_schema_get_property:
 *
 * Returns: (nullable) (transfer none): the schema of an object's member
 */
OpenIotDataSchema *
openiot_data_schema_get_property (OpenIotDataSchema *self,
                                  const char        *name)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->properties != NULL ? g_hash_table_lookup (self->properties, name) : NULL;
}

gboolean
openiot_data_schema_is_required (OpenIotDataSchema *self,
                                 const char        *name)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), FALSE);
  return self->required != NULL && g_strv_contains ((const char * const *) self->required, name);
}

/**
 * openiot_data_schema_get_items:
 *
 * Returns: (nullable) (transfer none): the schema of a list's items
 */
OpenIotDataSchema *
openiot_data_schema_get_items (OpenIotDataSchema *self)
{
  g_return_val_if_fail (OPENIOT_IS_DATA_SCHEMA (self), NULL);
  return self->items;
}

static void
openiot_data_schema_finalize (GObject *object)
{
  OpenIotDataSchema *self = OPENIOT_DATA_SCHEMA (object);

  g_free (self->title);
  g_free (self->description);
  g_free (self->unit);
  g_free (self->format);
  g_clear_pointer (&self->enum_values, json_array_unref);
  g_clear_pointer (&self->property_names, g_ptr_array_unref);
  g_clear_pointer (&self->properties, g_hash_table_unref);
  g_strfreev (self->required);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (openiot_data_schema_parent_class)->finalize (object);
}

static void
openiot_data_schema_class_init (OpenIotDataSchemaClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_data_schema_finalize;
}

static void
openiot_data_schema_init (OpenIotDataSchema *self)
{
  self->max_items = -1;
  self->max_length = -1;
}
