// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "openiot-action-state.h"

/*
 * Where a Thing Description makes the state an action leads to visible,
 * the app can tell that pressing it would do nothing: "Unlock" while the
 * lock's "state" is "unlocked", "Lock" while a "locked" property is true.
 * The rule (docs/actions.md) matches the action's name against the
 * values of the Thing's properties, in the words of the TD itself:
 *
 * - a text property whose value is the action's past participle or the
 *   action's name itself ("lock" → "locked", "close" → "closed",
 *   "open" → "open");
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
  if (is_participle_of (property, action))
    return json_node_get_boolean (value);
  if (g_ascii_strncasecmp (action, "un", 2) == 0 && action[2] != '\0' && is_participle_of (property, action + 2))
    return !json_node_get_boolean (value);
  return FALSE;
}

/**
 * openiot_action_state_is_redundant:
 * @values: the Thing's last known property values
 *
 * Returns: whether invoking @action would leave the Thing as it is
 */
gboolean
openiot_action_state_is_redundant (OpenIotThing *thing,
                                   const char   *action,
                                   JsonObject   *values)
{
  GListModel *properties = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_PROPERTY);

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
 * "lock" beside a "state" with "locked" among its values, "unlock"
 * beside a boolean "locked". */
static gboolean
is_paired (OpenIotInteraction *action,
           OpenIotInteraction *primary)
{
  const char *name = openiot_interaction_get_name (action);
  const char *property = openiot_interaction_get_name (primary);
  OpenIotDataSchema *schema = openiot_interaction_get_schema (primary);
  JsonArray *choices = schema ? openiot_data_schema_get_enum (schema) : NULL;

  if (schema == NULL)
    return FALSE;
  if (openiot_data_schema_get_data_type (schema) == OPENIOT_DATA_TYPE_BOOLEAN)
    return is_participle_of (property, name) ||
           (g_ascii_strncasecmp (name, "un", 2) == 0 && name[2] != '\0' &&
            is_participle_of (property, name + 2));
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
 * openiot_action_state_get_one_tap:
 * @primary: (nullable): the Thing's main value
 *
 * The actions the overview may offer with one tap (docs/overview.md):
 * those without input that lead to a state @primary shows (Lock and
 * Unlock beside a lock's state), else the Thing's only action when it
 * takes no input. Of a pair, the overview offers the one that is not
 * redundant (openiot_action_state_is_redundant()).
 *
 * Returns: (transfer full) (element-type OpenIotInteraction): the
 *   actions, maybe none
 */
GPtrArray *
openiot_action_state_get_one_tap (OpenIotThing       *thing,
                                  OpenIotInteraction *primary)
{
  GListModel *actions = openiot_thing_get_interactions (thing, OPENIOT_INTERACTION_ACTION);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_actions = g_list_model_get_n_items (actions);

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
