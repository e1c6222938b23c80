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
