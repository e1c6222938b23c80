// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-interaction"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "openiot-data-schema-private.h"
#include "openiot-error.h"
#include "openiot-form-private.h"

#include "openiot-interaction-private.h"

/**
 * OpenIotInteraction:
 *
 * One property, action or event of a Thing (WoT TD 1.1 §5.3.1), with the
 * schema of its value (a property's value, an action's input, an event's
 * data), an action's output schema, and its forms.
 */
struct _OpenIotInteraction
{
  GObject                 parent_instance;

  OpenIotInteractionKind  kind;
  char                   *name;
  char                   *title;
  char                   *description;
  OpenIotDataSchema      *schema;
  OpenIotDataSchema      *output_schema;
  gboolean                observable;
  gboolean                safe;
  GStrv                   semantic_types;
  GPtrArray              *forms;
};

G_DEFINE_FINAL_TYPE (OpenIotInteraction, openiot_interaction, G_TYPE_OBJECT)

static const OpenIotOperation watching =
  OPENIOT_OPERATION_OBSERVE_PROPERTY | OPENIOT_OPERATION_SUBSCRIBE_EVENT |
  OPENIOT_OPERATION_OBSERVE_ALL_PROPERTIES | OPENIOT_OPERATION_SUBSCRIBE_ALL_EVENTS;

/* Server-sent events: the stream itself is text/event-stream, whatever
 * the content type of each event's data says. */
static gboolean
form_is_event_stream (OpenIotForm *form)
{
  return g_strcmp0 (openiot_form_get_subprotocol (form), "sse") == 0 ||
         g_strcmp0 (openiot_form_get_content_type (form), "text/event-stream") == 0;
}

/* How well this library can follow @form for @operation: 0 not at all
 * (a body it cannot encode or decode: CBOR, XML, plain text), higher is
 * better. Watching prefers an event stream, which carries every change on
 * one connection, over a long-poll, which asks again after each answer. */
static guint
form_rank (OpenIotForm      *form,
           OpenIotOperation  operation)
{
  gboolean json = _openiot_content_type_is_json (openiot_form_get_content_type (form));

  if ((operation & watching) == 0)
    return json && openiot_form_get_subprotocol (form) == NULL ? 1 : 0;
  if (form_is_event_stream (form))
    return 2;
  if (json && g_strcmp0 (openiot_form_get_subprotocol (form), "longpoll") == 0)
    return 1;
  return 0;
}

OpenIotForm *
_openiot_forms_find (GPtrArray        *forms,
                     OpenIotOperation  operation)
{
  OpenIotForm *best = NULL;
  guint best_rank = 0;

  for (guint i = 0; forms != NULL && i < forms->len; i++)
    {
      OpenIotForm *form = forms->pdata[i];
      guint rank;

      if ((openiot_form_get_operations (form) & operation) == 0 ||
          !openiot_form_get_reachable (form))
        continue;
      rank = form_rank (form, operation);
      if (rank > best_rank)
        {
          best = form;
          best_rank = rank;
        }
    }
  return best;
}

GPtrArray *
_openiot_forms_new (JsonObject             *object,
                    const OpenIotFormScope *scope,
                    OpenIotOperation        default_operations)
{
  JsonNode *node = json_object_get_member (object, "forms");
  g_autoptr(GPtrArray) forms = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array) && forms->len < OPENIOT_TD_MAX_FORMS; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      OpenIotForm *form;

      if (JSON_NODE_HOLDS_OBJECT (element) &&
          (form = _openiot_form_new (json_node_get_object (element), scope, default_operations)))
        g_ptr_array_add (forms, form);
    }

  return g_steal_pointer (&forms);
}

static OpenIotOperation
default_operations (OpenIotInteractionKind  kind,
                    OpenIotDataSchema      *schema)
{
  switch (kind)
    {
    case OPENIOT_INTERACTION_PROPERTY:
      if (openiot_data_schema_get_read_only (schema))
        return OPENIOT_OPERATION_READ_PROPERTY;
      if (openiot_data_schema_get_write_only (schema))
        return OPENIOT_OPERATION_WRITE_PROPERTY;
      return OPENIOT_OPERATION_READ_PROPERTY | OPENIOT_OPERATION_WRITE_PROPERTY;
    case OPENIOT_INTERACTION_ACTION:
      return OPENIOT_OPERATION_INVOKE_ACTION;
    case OPENIOT_INTERACTION_EVENT:
      return OPENIOT_OPERATION_SUBSCRIBE_EVENT | OPENIOT_OPERATION_UNSUBSCRIBE_EVENT;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_member_schema (JsonObject          *object,
                     const char          *member,
                     OpenIotTdBudget     *budget,
                     OpenIotDataSchema  **schema,
                     GError             **error)
{
  JsonObject *schema_object = _openiot_td_object (object, member);

  if (schema_object == NULL)
    return TRUE;
  *schema = _openiot_data_schema_new (schema_object, budget, 1, error);
  return *schema != NULL;
}

/* Fails with a message for people when the interaction has to be skipped
 * (no usable forms, or a schema beyond the limits); the rest of the Thing
 * stays usable. */
OpenIotInteraction *
_openiot_interaction_new (OpenIotInteractionKind   kind,
                          const char              *name,
                          JsonObject              *object,
                          const OpenIotFormScope  *scope,
                          OpenIotTdBudget         *budget,
                          GError                 **error)
{
  g_autoptr(OpenIotInteraction) self = g_object_new (OPENIOT_TYPE_INTERACTION, NULL);

  self->kind = kind;
  self->name = g_strdup (name);
  self->title = g_strdup (_openiot_td_localized (object, "title"));
  self->description = g_strdup (_openiot_td_localized (object, "description"));
  self->observable = _openiot_td_boolean (object, "observable", FALSE);
  self->safe = _openiot_td_boolean (object, "safe", FALSE);
  self->semantic_types = _openiot_td_semantic_types (object);

  switch (kind)
    {
    case OPENIOT_INTERACTION_PROPERTY:
      if (!(self->schema = _openiot_data_schema_new (object, budget, 0, error)))
        return NULL;
      break;
    case OPENIOT_INTERACTION_ACTION:
      if (!parse_member_schema (object, "input", budget, &self->schema, error) ||
          !parse_member_schema (object, "output", budget, &self->output_schema, error))
        return NULL;
      break;
    case OPENIOT_INTERACTION_EVENT:
      if (!parse_member_schema (object, "data", budget, &self->schema, error))
        return NULL;
      break;
    default:
      g_assert_not_reached ();
    }

  self->forms = _openiot_forms_new (object, scope, default_operations (kind, self->schema));
  if (self->forms == NULL || self->forms->len == 0)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   _("“%s” has no forms, so there is no way to use it."), name);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * openiot_interaction_get_semantic_types:
 *
 * Returns: (transfer none): its `@type` annotations ("iot:UnlockAction",
 *   "saref:OnOffFunction"…), empty when it has none
 */
const char * const *
openiot_interaction_get_semantic_types (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return (const char * const *) self->semantic_types;
}

/* What an action does that people must confirm first: it opens, erases,
 * resets or disarms something. */
static const char * const confirm_verbs[] = {
  "unlock", "open", "erase", "delete", "reset", "wipe", "disarm", "clear", "remove", NULL
};

/* What an event says that people want to hear of at once: something is
 * wrong, or in danger. */
static const char * const alarm_words[] = {
  "alarm", "alert", "jam", "jammed", "overload", "overheat", "overheated", "leak", "smoke", "fire",
  "intrusion",
  "tamper", "tampered", "fault", "failure", "failed", "error", "emergency", "panic", NULL
};

static gboolean
word_is_listed (const char *word,
                gsize       length,
                gpointer    data)
{
  const char * const *words = data;

  for (guint i = 0; words[i] != NULL; i++)
    if (strlen (words[i]) == length && g_ascii_strncasecmp (word, words[i], length) == 0)
      return TRUE;
  return FALSE;
}

/* Whether one of @words is among the words of the local name of a
 * semantic type ("iot:UnlockAction" → "Unlock Action") when it has any,
 * else of its name and title ("factoryReset", "Erase log"). */
static gboolean
says_one_of (OpenIotInteraction *self,
             const char * const *words)
{
  if (self->semantic_types != NULL && self->semantic_types[0] != NULL)
    {
      for (guint i = 0; self->semantic_types[i] != NULL; i++)
        if (_openiot_td_for_each_word (_openiot_td_local_name (self->semantic_types[i]),
                                       word_is_listed,
                                       (gpointer) words))
          return TRUE;
      return FALSE;
    }
  return _openiot_td_for_each_word (self->name, word_is_listed, (gpointer) words) ||
         (self->title != NULL &&
          _openiot_td_for_each_word (self->title, word_is_listed, (gpointer) words));
}

/**
 * openiot_interaction_get_needs_confirmation:
 *
 * Whether an app should ask before invoking this action: docs/actions.md
 * gives the rule. An action the Thing Description marks `"safe": true`
 * never needs it; one with semantic types needs it when one of them names
 * a confirm verb (its local name: "iot:UnlockAction" → "Unlock Action");
 * one without, when its name or title does ("unlock", "Factory reset").
 *
 * Returns: whether to confirm first
 */
gboolean
openiot_interaction_get_needs_confirmation (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), FALSE);

  return self->kind == OPENIOT_INTERACTION_ACTION && !self->safe &&
         says_one_of (self, confirm_verbs);
}

/**
 * openiot_interaction_get_is_alarm:
 *
 * Whether this event reports something wrong or dangerous, which people
 * want to be told of even when they did not ask (an app notifies of it
 * by default): docs/notifications.md gives the rule. Decided as
 * [method@OpenIot.Interaction.get_needs_confirmation] is, from its
 * semantic types, else its name and title ("jammed", "overload", "Smoke
 * detected").
 *
 * Returns: whether it is an alarm
 */
gboolean
openiot_interaction_get_is_alarm (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), FALSE);

  return self->kind == OPENIOT_INTERACTION_EVENT && says_one_of (self, alarm_words);
}

OpenIotInteractionKind
openiot_interaction_get_kind (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), OPENIOT_INTERACTION_PROPERTY);
  return self->kind;
}

/**
 * openiot_interaction_get_name:
 *
 * Returns: the name of the interaction in its Thing Description
 */
const char *
openiot_interaction_get_name (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return self->name;
}

/**
 * openiot_interaction_get_title:
 *
 * Returns: the title for people: the TD's title in the user's language if
 *   offered, else the name
 */
const char *
openiot_interaction_get_title (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return self->title != NULL ? self->title : self->name;
}

/**
 * openiot_interaction_get_description:
 *
 * Returns: (nullable): the description
 */
const char *
openiot_interaction_get_description (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return self->description;
}

/**
 * openiot_interaction_get_schema:
 *
 * Returns: (nullable) (transfer none): a property's value schema, an
 *   action's input schema or an event's data schema
 */
OpenIotDataSchema *
openiot_interaction_get_schema (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return self->schema;
}

/**
 * openiot_interaction_get_output_schema:
 *
 * Returns: (nullable) (transfer none): an action's output schema
 */
OpenIotDataSchema *
openiot_interaction_get_output_schema (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return self->output_schema;
}

gboolean
openiot_interaction_get_observable (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), FALSE);
  return self->observable;
}

/**
 * openiot_interaction_get_readable:
 *
 * Returns: whether a reachable form reads this property
 */
gboolean
openiot_interaction_get_readable (OpenIotInteraction *self)
{
  return openiot_interaction_find_form (self, OPENIOT_OPERATION_READ_PROPERTY) != NULL;
}

/**
 * openiot_interaction_get_writable:
 *
 * Returns: whether a reachable form writes this property and it is not
 *   read-only
 */
gboolean
openiot_interaction_get_writable (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), FALSE);
  return self->kind == OPENIOT_INTERACTION_PROPERTY &&
         !openiot_data_schema_get_read_only (self->schema) &&
         openiot_interaction_find_form (self, OPENIOT_OPERATION_WRITE_PROPERTY) != NULL;
}

/**
 * openiot_interaction_get_forms:
 *
 * Returns: (transfer none) (element-type OpenIotForm): all its forms,
 *   unreachable ones included
 */
GPtrArray *
openiot_interaction_get_forms (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return self->forms;
}

/**
 * openiot_interaction_find_form:
 * @operation: one operation
 *
 * Only forms this library can follow count: JSON bodies (`application/json`
 * or a `+json` type) and, to observe or subscribe, an event stream (`sse`)
 * or else a JSON long-poll (`longpoll`).
 *
 * Returns: (nullable) (transfer none): the best reachable form that
 *   performs @operation
 */
OpenIotForm *
openiot_interaction_find_form (OpenIotInteraction *self,
                               OpenIotOperation    operation)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);
  return _openiot_forms_find (self->forms, operation);
}

/**
 * openiot_interaction_check_operation:
 * @operation: one operation
 * @error: why it cannot be done, for people
 *
 * Like [method@OpenIot.Interaction.find_form], and when there is no form
 * says why: no form offers @operation; the forms that do lead away from
 * the hub; or they use only content types or subprotocols this library
 * cannot follow (named in the message).
 *
 * Returns: (nullable) (transfer none): the form to use
 */
OpenIotForm *
openiot_interaction_check_operation (OpenIotInteraction  *self,
                                     OpenIotOperation     operation,
                                     GError             **error)
{
  OpenIotForm *form;
  OpenIotForm *unusable = NULL;
  gboolean offered = FALSE;

  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), NULL);

  if ((form = _openiot_forms_find (self->forms, operation)))
    return form;

  for (guint i = 0; i < self->forms->len; i++)
    {
      OpenIotForm *candidate = self->forms->pdata[i];

      if ((openiot_form_get_operations (candidate) & operation) == 0)
        continue;
      offered = TRUE;
      if (openiot_form_get_reachable (candidate) && unusable == NULL)
        unusable = candidate;
    }

  if (unusable != NULL && (operation & watching) != 0 &&
      openiot_form_get_subprotocol (unusable) != NULL &&
      _openiot_content_type_is_json (openiot_form_get_content_type (unusable)))
    g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_SUPPORTED,
                 _("“%s” can only be followed by “%s”, which this device does not speak."),
                 openiot_interaction_get_title (self), openiot_form_get_subprotocol (unusable));
  else if (unusable != NULL)
    g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_SUPPORTED,
                 _("“%s” is offered only as %s, which this device cannot read or write. "
                   "Ask the service to offer JSON."),
                 openiot_interaction_get_title (self), openiot_form_get_content_type (unusable));
  else if (offered)
    g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                 _("“%s” is not reachable through the hub: its Thing Description points "
                   "elsewhere, and this device only talks to the hub it trusts."),
                 openiot_interaction_get_title (self));
  else if ((operation & watching) != 0)
    g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                 _("“%s” offers no event stream through the hub, so it cannot be followed."),
                 openiot_interaction_get_title (self));
  else
    g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                 _("“%s” offers no way to do that."), openiot_interaction_get_title (self));
  return NULL;
}

/**
 * openiot_interaction_get_reachable:
 *
 * Returns: whether any of its forms can be followed; when none can, the
 *   interaction is shown as unreachable
 */
gboolean
openiot_interaction_get_reachable (OpenIotInteraction *self)
{
  g_return_val_if_fail (OPENIOT_IS_INTERACTION (self), FALSE);
  for (guint i = 0; i < self->forms->len; i++)
    if (openiot_form_get_reachable (self->forms->pdata[i]))
      return TRUE;
  return FALSE;
}

static void
openiot_interaction_finalize (GObject *object)
{
  OpenIotInteraction *self = OPENIOT_INTERACTION (object);

  g_free (self->name);
  g_free (self->title);
  g_free (self->description);
  g_strfreev (self->semantic_types);
  g_clear_object (&self->schema);
  g_clear_object (&self->output_schema);
  g_clear_pointer (&self->forms, g_ptr_array_unref);

  G_OBJECT_CLASS (openiot_interaction_parent_class)->finalize (object);
}

static void
openiot_interaction_class_init (OpenIotInteractionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_interaction_finalize;
}

static void
openiot_interaction_init (OpenIotInteraction *self)
{
}
