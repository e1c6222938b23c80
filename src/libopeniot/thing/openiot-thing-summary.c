// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot"

#include "config.h"

#include <string.h>

#include "openiot-td-private.h"

#include "openiot-thing-summary.h"

/*
 * What a Thing is and which of its values tells its state at a glance:
 * the rule behind an overview's icon and value, for any Thing
 * Description, annotated or not.
 *
 * 1. Semantic annotations first. The last word of each of the Thing's
 *    `@type` local names ("iot:Thermostat" → "Thermostat",
 *    "saref:LightSwitch" → "Switch", "DoorLock" → "Lock") names the kind:
 *    lock; thermostat, heater, conditioner or hvac; light, lamp,
 *    luminaire, bulb or dimmer; meter; switch, plug, outlet or socket (a
 *    light when the first word is "light": a light switch turns on a
 *    light); a sensor, monitor or detector of temperature (thermostat)
 *    or of energy, power or electricity (meter). Among several
 *    annotations the first of lock, thermostat, light, switch, meter
 *    wins ("OnOffSwitch" and "Light" make a light).
 * 2. Else the shape of its interactions, in this order: a property or
 *    action with "lock" or "unlock" among the words of its name, or a
 *    property with "locked" among its enum values → lock; a readable
 *    number in °C → thermostat; a readable, writable boolean named like
 *    an on/off switch ("on", "onOff", "power", "switch", "light", "state",
 *    ECHONET's "operationStatus", or titled "On"/"Power") → light when the Thing also has a
 *    brightness, dimmer or colour property, else switch; a readable
 *    number in W, kW, Wh or kWh → meter.
 * 3. Else a generic device.
 *
 * Readable and writable here mean what the TD offers (a form for the
 * operation, not `writeOnly`/`readOnly`), reachable from this device or
 * not.
 *
 * The primary property: for a lock, the readable property with "lock" or
 * "locked" in its name or "locked" among its values; for a thermostat,
 * the readable °C number that cannot be written (what it measures, not
 * its target), else any readable °C number; for a light or switch, its
 * on/off boolean; for a meter, its readable power (W, kW), else energy
 * (Wh, kWh). When the kind's own choice finds nothing, and for a
 * generic device: the first readable, observable property with a
 * single value (boolean, number, string), else the first such value
 * with a unit (a measurement, not a serial number), else the first
 * readable one.
 */

static gboolean
word_is (const char *word,
         gsize       length,
         const char *expected)
{
  return strlen (expected) == length && g_ascii_strncasecmp (word, expected, length) == 0;
}

static gboolean
word_in (const char         *word,
         gsize               length,
         const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (word_is (word, length, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean
word_in_list (const char *word,
              gsize       length,
              gpointer    list)
{
  return word_in (word, length, list);
}

static gboolean
has_word (const char         *text,
          const char * const *words)
{
  return _openiot_td_for_each_word (text, word_in_list, (gpointer) words);
}

static const char * const lock_words[] = { "lock", "locked", "unlock", NULL };
static const char * const thermostat_words[] = { "thermostat", "heater", "conditioner", "hvac",
                                                NULL };
static const char * const light_words[] = { "light", "lamp", "luminaire", "bulb", "dimmer", NULL };
static const char * const meter_words[] = { "meter", NULL };
static const char * const switch_words[] = { "switch", "plug", "outlet", "socket", NULL };
static const char * const on_off_names[] = { "on", "onOff", "power", "switch", "light", "state",
                                            "operationStatus", NULL };
static const char * const dimming_words[] = { "brightness", "dim", "dimmer", "dimming", "color",
                                             "colour", "hue", NULL };

typedef struct
{
  const char *first;
  gsize       first_length;
  const char *previous;
  gsize       previous_length;
  const char *last;
  gsize       last_length;
} Words;

static gboolean
collect_word (const char *word,
              gsize       length,
              gpointer    data)
{
  Words *words = data;

  if (words->first == NULL)
    {
      words->first = word;
      words->first_length = length;
    }
  words->previous = words->last;
  words->previous_length = words->last_length;
  words->last = word;
  words->last_length = length;
  return FALSE;
}

/* Sensors and monitors show what they measure: a temperature sensor as a
 * thermostat, an energy monitor as a meter; a light or door sensor is no
 * light and no lock. */
static const char * const measuring_words[] = { "sensor", "monitor", "detector", NULL };
static const char * const measured_words[] = { "temperature", "energy", "power", "electricity",
                                              NULL };

static gboolean
kind_from_type (const char       *type,
                OpenIotThingKind *kind)
{
  Words words = { NULL, };

  _openiot_td_for_each_word (_openiot_td_local_name (type), collect_word, &words);
  if (words.last == NULL)
    return FALSE;
  if (word_in (words.last, words.last_length, measuring_words))
    {
      if (words.previous == NULL ||
          !word_in (words.previous, words.previous_length, measured_words))
        return FALSE;
      *kind = word_is (words.previous, words.previous_length, "temperature")
                ? OPENIOT_THING_KIND_THERMOSTAT
                : OPENIOT_THING_KIND_METER;
    }
  else if (word_in (words.last, words.last_length, lock_words))
    *kind = OPENIOT_THING_KIND_LOCK;
  else if (word_in (words.last, words.last_length, thermostat_words))
    *kind = OPENIOT_THING_KIND_THERMOSTAT;
  else if (word_in (words.last, words.last_length, light_words))
    *kind = OPENIOT_THING_KIND_LIGHT;
  else if (word_in (words.last, words.last_length, meter_words))
    *kind = OPENIOT_THING_KIND_METER;
  else if (word_in (words.last, words.last_length, switch_words))
    *kind = word_in (words.first, words.first_length, light_words) ? OPENIOT_THING_KIND_LIGHT
                                                                   : OPENIOT_THING_KIND_SWITCH;
  else
    return FALSE;
  return TRUE;
}

/* Among several annotations the most telling wins: a Thing that is an
 * "OnOffSwitch" and a "Light" is a light; a plug that monitors its
 * energy is still a plug. */
static const OpenIotThingKind type_priority[] = {
  OPENIOT_THING_KIND_LOCK, OPENIOT_THING_KIND_THERMOSTAT, OPENIOT_THING_KIND_LIGHT,
  OPENIOT_THING_KIND_SWITCH,
  OPENIOT_THING_KIND_METER,
};

static gboolean
kind_from_types (const char * const *types,
                 OpenIotThingKind   *kind)
{
  guint best = G_N_ELEMENTS (type_priority);

  for (guint i = 0; types != NULL && types[i] != NULL; i++)
    {
      OpenIotThingKind found;

      if (!kind_from_type (types[i], &found))
        continue;
      for (guint p = 0; p < best; p++)
        if (type_priority[p] == found)
          best = p;
    }
  if (best == G_N_ELEMENTS (type_priority))
    return FALSE;
  *kind = type_priority[best];
  return TRUE;
}

/* What the TD offers, whether or not this device can follow the form: the
 * kind says what a Thing is, not how it is reached (a TD read straight
 * from a device points at the device). */
static gboolean
offers (OpenIotInteraction *property,
        OpenIotOperation    operation)
{
  GPtrArray *forms = openiot_interaction_get_forms (property);

  if (operation == OPENIOT_OPERATION_WRITE_PROPERTY &&
      openiot_data_schema_get_read_only (openiot_interaction_get_schema (property)))
    return FALSE;
  if (operation == OPENIOT_OPERATION_READ_PROPERTY &&
      openiot_data_schema_get_write_only (openiot_interaction_get_schema (property)))
    return FALSE;
  for (guint i = 0; forms != NULL && i < forms->len; i++)
    if (openiot_form_get_operations (forms->pdata[i]) & operation)
      return TRUE;
  return FALSE;
}

static gboolean
readable (OpenIotInteraction *property)
{
  return offers (property, OPENIOT_OPERATION_READ_PROPERTY);
}

static gboolean
writable (OpenIotInteraction *property)
{
  return offers (property, OPENIOT_OPERATION_WRITE_PROPERTY);
}

typedef gboolean (*PropertyTest) (OpenIotInteraction *property);

/* The first property that passes @test, in the TD's order. */
static OpenIotInteraction *
find_property (OpenIotThing *thing,
               PropertyTest  test)
{
  GListModel *properties = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_PROPERTY);

  for (guint i = 0; i < g_list_model_get_n_items (properties); i++)
    {
      g_autoptr(OpenIotInteraction) property = g_list_model_get_item (properties, i);

      if (test (property))
        return property;  /* the thing holds it */
    }
  return NULL;
}

static gboolean
is_number (OpenIotInteraction *property)
{
  OpenIotDataType type =
    openiot_data_schema_get_data_type (openiot_interaction_get_schema (property));

  return readable (property) &&
         (type == OPENIOT_DATA_TYPE_NUMBER || type == OPENIOT_DATA_TYPE_INTEGER);
}

static gboolean
has_unit (OpenIotInteraction *property,
          const char * const *symbols)
{
  const char *symbol =
    openiot_data_schema_get_unit_symbol (openiot_interaction_get_schema (property));

  for (guint i = 0; symbol != NULL && symbols[i] != NULL; i++)
    if (g_ascii_strcasecmp (symbol, symbols[i]) == 0)
      return is_number (property);
  return FALSE;
}

static const char * const celsius[] = { "°C", "C", "celsius", "degreeCelsius", NULL };
static const char * const power_units[] = { "W", "kW", "watt", NULL };
static const char * const energy_units[] = { "Wh", "kWh", NULL };

static gboolean
is_celsius (OpenIotInteraction *property)
{
  return has_unit (property, celsius);
}

static gboolean
is_measured_celsius (OpenIotInteraction *property)
{
  return is_celsius (property) && !writable (property);
}

static gboolean
is_power (OpenIotInteraction *property)
{
  return has_unit (property, power_units);
}

static gboolean
is_energy (OpenIotInteraction *property)
{
  return has_unit (property, energy_units);
}

static gboolean
is_power_or_energy (OpenIotInteraction *property)
{
  return is_power (property) || is_energy (property);
}

static gboolean
enum_has_locked (OpenIotInteraction *property)
{
  JsonArray *values = openiot_data_schema_get_enum (openiot_interaction_get_schema (property));

  for (guint i = 0; values != NULL && i < json_array_get_length (values); i++)
    {
      JsonNode *value = json_array_get_element (values, i);

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
          g_ascii_strcasecmp (json_node_get_string (value), "locked") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_lock_state (OpenIotInteraction *property)
{
  return readable (property) &&
         (has_word (openiot_interaction_get_name (property), lock_words) ||
          enum_has_locked (property));
}

static gboolean
is_on_off (OpenIotInteraction *property)
{
  const char *title = openiot_interaction_get_title (property);

  return readable (property) && writable (property) &&
         openiot_data_schema_get_data_type (openiot_interaction_get_schema (property)) ==
           OPENIOT_DATA_TYPE_BOOLEAN &&
         (g_strv_contains (on_off_names, openiot_interaction_get_name (property)) ||
          g_strcmp0 (title, "On") == 0 || g_strcmp0 (title, "Power") == 0);
}

static gboolean
is_dimming (OpenIotInteraction *property)
{
  return has_word (openiot_interaction_get_name (property), dimming_words);
}

static gboolean
is_readable_scalar (OpenIotInteraction *property)
{
  switch (openiot_data_schema_get_data_type (openiot_interaction_get_schema (property)))
    {
    case OPENIOT_DATA_TYPE_BOOLEAN:
    case OPENIOT_DATA_TYPE_INTEGER:
    case OPENIOT_DATA_TYPE_NUMBER:
    case OPENIOT_DATA_TYPE_STRING:
      return readable (property);
    case OPENIOT_DATA_TYPE_ANY:
    case OPENIOT_DATA_TYPE_OBJECT:
    case OPENIOT_DATA_TYPE_ARRAY:
    case OPENIOT_DATA_TYPE_NULL:
    default:
      return FALSE;
    }
}

static gboolean
is_observable_scalar (OpenIotInteraction *property)
{
  return is_readable_scalar (property) && openiot_interaction_get_observable (property);
}

static gboolean
is_scalar_with_unit (OpenIotInteraction *property)
{
  return is_readable_scalar (property) &&
         openiot_data_schema_get_unit (openiot_interaction_get_schema (property)) != NULL;
}

static gboolean
has_lock_action (OpenIotThing *thing)
{
  GListModel *actions = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_ACTION);

  for (guint i = 0; i < g_list_model_get_n_items (actions); i++)
    {
      g_autoptr(OpenIotInteraction) action = g_list_model_get_item (actions, i);

      if (has_word (openiot_interaction_get_name (action), lock_words))
        return TRUE;
    }
  return FALSE;
}

/**
 * openiot_thing_get_kind:
 *
 * What the Thing is, from its `@type` annotations (iot.schema.org, SAREF
 * or any vocabulary whose local names say it: "iot:Thermostat",
 * "saref:LightSwitch") or, without them, from the shape of its
 * interactions: a `locked` property or `lock`/`unlock` actions make a
 * lock, a temperature in °C a thermostat, a writable on/off boolean a
 * light (with a brightness) or a switch, a power or energy reading a
 * meter. The full rule is at the top of `openiot-thing-summary.c`.
 *
 * Returns: its kind; %OPENIOT_THING_KIND_DEVICE when nothing says
 */
OpenIotThingKind
openiot_thing_get_kind (OpenIotThing *self)
{
  OpenIotThingKind kind;

  g_return_val_if_fail (OPENIOT_IS_THING (self), OPENIOT_THING_KIND_DEVICE);

  if (kind_from_types (openiot_thing_get_semantic_types (self), &kind))
    return kind;

  if (find_property (self, is_lock_state) != NULL || has_lock_action (self))
    return OPENIOT_THING_KIND_LOCK;
  if (find_property (self, is_celsius) != NULL)
    return OPENIOT_THING_KIND_THERMOSTAT;
  if (find_property (self, is_on_off) != NULL)
    return find_property (self, is_dimming) != NULL ? OPENIOT_THING_KIND_LIGHT
                                                    : OPENIOT_THING_KIND_SWITCH;
  if (find_property (self, is_power_or_energy) != NULL)
    return OPENIOT_THING_KIND_METER;
  return OPENIOT_THING_KIND_DEVICE;
}

/**
 * openiot_thing_get_primary_property:
 *
 * The property that tells the Thing's state at a glance, for its kind
 * (see openiot_thing_get_kind()): a lock's locked state, a thermostat's
 * measured temperature, a light's or switch's on/off, a meter's power;
 * else its first readable, observable single value.
 *
 * Returns: (transfer none) (nullable): the property, or %NULL when the
 *   Thing has no readable single-valued property
 */
OpenIotInteraction *
openiot_thing_get_primary_property (OpenIotThing *self)
{
  OpenIotInteraction *property = NULL;

  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);

  switch (openiot_thing_get_kind (self))
    {
    case OPENIOT_THING_KIND_LOCK:
      property = find_property (self, is_lock_state);
      break;
    case OPENIOT_THING_KIND_THERMOSTAT:
      if (!(property = find_property (self, is_measured_celsius)))
        property = find_property (self, is_celsius);
      break;
    case OPENIOT_THING_KIND_LIGHT:
    case OPENIOT_THING_KIND_SWITCH:
      property = find_property (self, is_on_off);
      break;
    case OPENIOT_THING_KIND_METER:
      if (!(property = find_property (self, is_power)))
        property = find_property (self, is_energy);
      break;
    case OPENIOT_THING_KIND_DEVICE:
    default:
      break;
    }
  if (property == NULL)
    property = find_property (self, is_observable_scalar);
  if (property == NULL)
    property = find_property (self, is_scalar_with_unit);
  if (property == NULL)
    property = find_property (self, is_readable_scalar);
  return property;
}

/*
 * What an action does, where the Thing Description makes the state it
 * leads to visible (docs/actions.md, docs/overview.md): the app can tell
 * that pressing it would do nothing ("Unlock" while the lock's "state"
 * is "unlocked", "Lock" while a "locked" property is true), and which
 * action an overview offers with one tap. The rule matches the action's
 * name against the Thing's properties and their values, in the words of
 * the TD itself:
 *
 * - a text value that is the action's past participle or the action's
 *   name itself ("lock" → "locked", "close" → "closed", "open" → "open");
 * - a boolean property named that way ("locked") that is true, or, for an
 *   "un…" action, false ("unlock" while "locked" is false).
 */

static gboolean
is_participle_of (const char *word,
                  const char *action)
{
  gsize length = strlen (action);

  if (g_ascii_strncasecmp (word, action, length) != 0)
    return FALSE;
  return word[length] == '\0' ||
         g_ascii_strcasecmp (word + length, "ed") == 0 ||
         (length > 0 && action[length - 1] == 'e' && g_ascii_strcasecmp (word + length, "d") == 0);
}

/* A boolean property named after what @action does, or undoes ("un…"):
 * 1 when true means done, -1 when false means done, else 0. */
static int
boolean_says (const char *property,
              const char *action)
{
  if (is_participle_of (property, action))
    return 1;
  if (g_ascii_strncasecmp (action, "un", 2) == 0 && action[2] != '\0' &&
      is_participle_of (property, action + 2))
    return -1;
  return 0;
}

static gboolean
value_says_done (const char *property,
                 JsonNode   *value,
                 const char *action)
{
  if (!JSON_NODE_HOLDS_VALUE (value))
    return FALSE;
  if (json_node_get_value_type (value) == G_TYPE_STRING)
    return is_participle_of (json_node_get_string (value), action);
  if (json_node_get_value_type (value) != G_TYPE_BOOLEAN)
    return FALSE;
  switch (boolean_says (property, action))
    {
    case 1:
      return json_node_get_boolean (value);
    case -1:
      return !json_node_get_boolean (value);
    default:
      return FALSE;
    }
}

/**
 * openiot_thing_action_is_redundant:
 * @self: a Thing
 * @action: the name of one of its actions
 * @values: the Thing's last known property values
 *
 * Returns: whether invoking @action would leave the Thing as it is, as
 *   far as its Thing Description shows ("Unlock" while unlocked)
 */
gboolean
openiot_thing_action_is_redundant (OpenIotThing *self,
                                   const char   *action,
                                   JsonObject   *values)
{
  GListModel *properties;

  g_return_val_if_fail (OPENIOT_IS_THING (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  properties = openiot_thing_get_interactions (self, OPENIOT_INTERACTION_PROPERTY);
  for (guint i = 0; i < g_list_model_get_n_items (properties); i++)
    {
      g_autoptr(OpenIotInteraction) property = g_list_model_get_item (properties, i);
      const char *name = openiot_interaction_get_name (property);
      JsonNode *value = json_object_get_member (values, name);

      if (value != NULL && value_says_done (name, value, action))
        return TRUE;
    }
  return FALSE;
}

/* Whether @action leads to a state the main value @primary can show:
 * "lock" beside a "state" with "locked" among its choices, "unlock"
 * beside a boolean "locked". */
static gboolean
is_paired (OpenIotInteraction *action,
           OpenIotInteraction *primary)
{
  const char *name = openiot_interaction_get_name (action);
  OpenIotDataSchema *schema = openiot_interaction_get_schema (primary);
  JsonArray *choices = schema ? openiot_data_schema_get_enum (schema) : NULL;

  if (schema == NULL)
    return FALSE;
  if (openiot_data_schema_get_data_type (schema) == OPENIOT_DATA_TYPE_BOOLEAN)
    return boolean_says (openiot_interaction_get_name (primary), name) != 0;
  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonNode *choice = json_array_get_element (choices, i);

      if (JSON_NODE_HOLDS_VALUE (choice) && json_node_get_value_type (choice) == G_TYPE_STRING &&
          is_participle_of (json_node_get_string (choice), name))
        return TRUE;
    }
  return FALSE;
}

/**
 * openiot_thing_get_one_tap_actions:
 * @self: a Thing
 *
 * The actions an overview may offer with one tap, where the Thing
 * Description makes the Thing's most common action clear: those without
 * input that lead to a state its primary property
 * ([method@OpenIot.Thing.get_primary_property]) shows ("lock" and
 * "unlock" beside a lock's "state" with "locked" among its choices, or
 * beside a boolean "locked"), else its only action when it takes no
 * input. Of a pair, an overview offers the one that is not redundant
 * ([method@OpenIot.Thing.action_is_redundant]).
 *
 * Returns: (transfer container) (element-type OpenIotInteraction): the
 *   actions, maybe none
 */
GPtrArray *
openiot_thing_get_one_tap_actions (OpenIotThing *self)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  OpenIotInteraction *primary;
  GListModel *actions;
  guint n_actions;

  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);

  primary = openiot_thing_get_primary_property (self);
  actions = openiot_thing_get_interactions (self, OPENIOT_INTERACTION_ACTION);
  n_actions = g_list_model_get_n_items (actions);
  for (guint i = 0; primary != NULL && i < n_actions; i++)
    {
      g_autoptr(OpenIotInteraction) action = g_list_model_get_item (actions, i);

      if (openiot_interaction_get_schema (action) == NULL && is_paired (action, primary))
        g_ptr_array_add (found, g_steal_pointer (&action));
    }
  if (found->len == 0 && n_actions == 1)
    {
      g_autoptr(OpenIotInteraction) action = g_list_model_get_item (actions, 0);

      if (openiot_interaction_get_schema (action) == NULL)
        g_ptr_array_add (found, g_steal_pointer (&action));
    }
  return g_steal_pointer (&found);
}
