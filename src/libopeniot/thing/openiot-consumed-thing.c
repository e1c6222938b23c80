// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-consumed-thing"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-json.h"
#include "openiot-json-private.h"
#include "openiot-observation-private.h"
#include "openiot-protocol-private.h"

#include "openiot-consumed-thing.h"

/**
 * OpenIotConsumedThing:
 *
 * A Thing on a paired hub, to use: read and write its properties, invoke
 * its actions, observe properties and subscribe to events. Every request
 * follows a reachable form of the Thing Description through the pinned
 * [class@OpenIot.HubConnection], and every value is checked against its
 * schema before it is sent.
 */
struct _OpenIotConsumedThing
{
  GObject               parent_instance;

  OpenIotHubConnection *connection;
  OpenIotThing         *thing;
};

G_DEFINE_FINAL_TYPE (OpenIotConsumedThing, openiot_consumed_thing, G_TYPE_OBJECT)

/* The answer of a service as JSON: a body that is no JSON is the service's
 * fault and says so; an empty one (204 after a write) is null. */
static JsonNode *
parse_answer (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  if (len == 0)
    return json_node_new (JSON_NODE_NULL);
  if (!_openiot_json_load (parser, data, len, &parse_error))
    {
      if (parse_error->domain == OPENIOT_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&parse_error));
          return NULL;
        }
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                   _("The service answered with something that is not JSON (%s)."),
                   parse_error->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static void
on_answer (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonNode *answer;
  guint status = 0;

  if (!(body = openiot_hub_connection_send_finish (OPENIOT_HUB_CONNECTION (source), result,
                                                   &status, &error)) ||
      !_openiot_protocol_response_error (status, body, &error) ||
      !(answer = parse_answer (body, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, answer, (GDestroyNotify) json_node_unref);
}

static void
send_form (OpenIotConsumedThing *self,
           GTask                *task,
           OpenIotForm          *form,
           OpenIotOperation      operation,
           JsonNode             *value)
{
  g_autoptr(GBytes) body = NULL;

  if (value != NULL)
    {
      gsize len;
      char *text = openiot_json_to_string (value);

      len = strlen (text);
      body = g_bytes_new_take (text, len);
    }

  openiot_hub_connection_send_async (self->connection, openiot_form_get_method (form, operation),
                                     openiot_form_get_path (form),
                                     openiot_form_get_content_type (form), body,
                                     g_task_get_cancellable (task), on_answer, g_object_ref (task));
}

/* The interaction and its form for @operation, or FALSE with the task
 * returned with an error people understand. */
static OpenIotForm *
find_form (OpenIotConsumedThing    *self,
           GTask                   *task,
           OpenIotInteractionKind   kind,
           const char              *name,
           OpenIotOperation         operation,
           OpenIotInteraction     **interaction_out)
{
  OpenIotInteraction *interaction = openiot_thing_lookup (self->thing, kind, name);
  g_autoptr(GError) error = NULL;
  OpenIotForm *form;

  if (interaction == NULL)
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                               _("“%s” has no %s “%s”."),
                               openiot_thing_get_title (self->thing),
                               kind == OPENIOT_INTERACTION_ACTION ? _("action") :
                               kind == OPENIOT_INTERACTION_EVENT ? _("event") : _("property"),
                               name);
      return NULL;
    }
  if (operation == OPENIOT_OPERATION_WRITE_PROPERTY &&
      openiot_data_schema_get_read_only (openiot_interaction_get_schema (interaction)))
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               _("“%s” can only be read."),
                               openiot_interaction_get_title (interaction));
      return NULL;
    }
  if (!(form = openiot_interaction_check_operation (interaction, operation, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }
  if (interaction_out != NULL)
    *interaction_out = interaction;
  return form;
}

/* Checks @value against the interaction's schema; if it does not fit,
 * the task returns why, named after the interaction. */
static gboolean
check_value (GTask              *task,
             OpenIotInteraction *interaction,
             JsonNode           *value)
{
  g_autoptr(GError) error = NULL;

  if (openiot_data_schema_validate (openiot_interaction_get_schema (interaction), value, &error))
    return TRUE;
  g_prefix_error (&error, "%s: ", openiot_interaction_get_title (interaction));
  g_task_return_error (task, g_steal_pointer (&error));
  return FALSE;
}

static JsonNode *
propagate_node (OpenIotConsumedThing  *self,
                GAsyncResult          *result,
                GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * openiot_consumed_thing_read_property_async:
 *
 * Reads a property's current value.
 */
void
openiot_consumed_thing_read_property_async (OpenIotConsumedThing *self,
                                            const char           *name,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OpenIotForm *form;

  g_task_set_source_tag (task, openiot_consumed_thing_read_property_async);
  if ((form = find_form (self, task, OPENIOT_INTERACTION_PROPERTY, name,
                         OPENIOT_OPERATION_READ_PROPERTY, NULL)))
    send_form (self, task, form, OPENIOT_OPERATION_READ_PROPERTY, NULL);
}

/**
 * openiot_consumed_thing_read_property_finish:
 *
 * Returns: (transfer full): the value
 */
JsonNode *
openiot_consumed_thing_read_property_finish (OpenIotConsumedThing  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  return propagate_node (self, result, error);
}

/**
 * openiot_consumed_thing_write_property_async:
 * @value: the new value; checked against the property's schema first
 *
 * Writes a property. It completes once the service confirmed the write.
 */
void
openiot_consumed_thing_write_property_async (OpenIotConsumedThing *self,
                                             const char           *name,
                                             JsonNode             *value,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OpenIotInteraction *interaction = NULL;
  OpenIotForm *form;

  g_return_if_fail (value != NULL);

  g_task_set_source_tag (task, openiot_consumed_thing_write_property_async);
  if (!(form = find_form (self, task, OPENIOT_INTERACTION_PROPERTY, name,
                          OPENIOT_OPERATION_WRITE_PROPERTY, &interaction)) ||
      !check_value (task, interaction, value))
    return;
  send_form (self, task, form, OPENIOT_OPERATION_WRITE_PROPERTY, value);
}

gboolean
openiot_consumed_thing_write_property_finish (OpenIotConsumedThing  *self,
                                              GAsyncResult          *result,
                                              GError               **error)
{
  g_autoptr(JsonNode) answer = propagate_node (self, result, error);

  return answer != NULL;
}

/**
 * openiot_consumed_thing_invoke_action_async:
 * @input: (nullable): the action's input; checked against its schema first
 *
 * Invokes an action and waits for its output.
 */
void
openiot_consumed_thing_invoke_action_async (OpenIotConsumedThing *self,
                                            const char           *name,
                                            JsonNode             *input,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OpenIotInteraction *interaction = NULL;
  OpenIotDataSchema *schema;
  OpenIotForm *form;

  g_task_set_source_tag (task, openiot_consumed_thing_invoke_action_async);
  if (!(form = find_form (self, task, OPENIOT_INTERACTION_ACTION, name,
                          OPENIOT_OPERATION_INVOKE_ACTION, &interaction)))
    return;

  schema = openiot_interaction_get_schema (interaction);
  if (schema != NULL && input == NULL)
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               _("“%s” needs an input."),
                               openiot_interaction_get_title (interaction));
      return;
    }
  if (schema != NULL && !check_value (task, interaction, input))
    return;
  send_form (self, task, form, OPENIOT_OPERATION_INVOKE_ACTION, input);
}

/**
 * openiot_consumed_thing_invoke_action_finish:
 *
 * Returns: (transfer full): the action's output; a null node when it has none
 */
JsonNode *
openiot_consumed_thing_invoke_action_finish (OpenIotConsumedThing  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  return propagate_node (self, result, error);
}

typedef struct
{
  JsonObject *values;
  guint       pending;
  GError     *first_error;
} ReadAll;

static void
read_all_free (ReadAll *read_all)
{
  json_object_unref (read_all->values);
  g_clear_error (&read_all->first_error);
  g_free (read_all);
}

static void
read_all_complete (GTask *task)
{
  ReadAll *read_all = g_task_get_task_data (task);

  if (json_object_get_size (read_all->values) == 0 && read_all->first_error != NULL)
    g_task_return_error (task, g_steal_pointer (&read_all->first_error));
  else
    g_task_return_pointer (task, json_object_ref (read_all->values),
                           (GDestroyNotify) json_object_unref);
}

static void
on_one_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadAll *read_all = g_task_get_task_data (task);
  const char *name = g_object_get_data (G_OBJECT (result), "openiot-property");
  g_autoptr(GError) error = NULL;
  JsonNode *value =
    openiot_consumed_thing_read_property_finish (OPENIOT_CONSUMED_THING (source), result, &error);

  if (value != NULL)
    json_object_set_member (read_all->values, name, value);
  else if (read_all->first_error == NULL)
    read_all->first_error = g_steal_pointer (&error);

  if (--read_all->pending == 0)
    read_all_complete (task);
}

static void
on_all_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer =
    propagate_node (OPENIOT_CONSUMED_THING (g_task_get_source_object (task)), result, &error);

  if (answer == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!JSON_NODE_HOLDS_OBJECT (answer))
    g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                             _("The service answered “read all properties” with something "
                               "other than an object."));
  else
    g_task_return_pointer (task, json_object_ref (json_node_get_object (answer)),
                           (GDestroyNotify) json_object_unref);
}

/**
 * openiot_consumed_thing_read_all_properties_async:
 *
 * Reads every readable property: in one round trip when the Thing offers
 * `readallproperties`, else one request per property, all at once.
 */
void
openiot_consumed_thing_read_all_properties_async (OpenIotConsumedThing *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  OpenIotForm *form = openiot_thing_find_form (self->thing, OPENIOT_OPERATION_READ_ALL_PROPERTIES);
  GListModel *properties = openiot_thing_get_interactions (self->thing,
                                                           OPENIOT_INTERACTION_PROPERTY);
  ReadAll *read_all;

  g_task_set_source_tag (task, openiot_consumed_thing_read_all_properties_async);

  if (form != NULL)
    {
      g_autoptr(GTask) inner = g_task_new (self, cancellable, on_all_read, g_object_ref (task));

      send_form (self, inner, form, OPENIOT_OPERATION_READ_ALL_PROPERTIES, NULL);
      return;
    }

  read_all = g_new0 (ReadAll, 1);
  read_all->values = json_object_new ();
  g_task_set_task_data (task, read_all, (GDestroyNotify) read_all_free);

  read_all->pending = 1;  /* held until every read started */
  for (guint i = 0; i < g_list_model_get_n_items (properties); i++)
    {
      g_autoptr(OpenIotInteraction) property = g_list_model_get_item (properties, i);
      g_autoptr(GTask) one = NULL;
      OpenIotForm *read_form =
        openiot_interaction_find_form (property, OPENIOT_OPERATION_READ_PROPERTY);

      if (read_form == NULL)
        continue;
      read_all->pending++;
      one = g_task_new (self, cancellable, on_one_read, g_object_ref (task));
      g_object_set_data_full (G_OBJECT (one), "openiot-property",
                              g_strdup (openiot_interaction_get_name (property)), g_free);
      send_form (self, one, read_form, OPENIOT_OPERATION_READ_PROPERTY, NULL);
    }
  if (--read_all->pending == 0)
    read_all_complete (task);
}

/**
 * openiot_consumed_thing_read_all_properties_finish:
 *
 * Returns: (transfer full): the values by property name
 */
JsonObject *
openiot_consumed_thing_read_all_properties_finish (OpenIotConsumedThing  *self,
                                                   GAsyncResult          *result,
                                                   GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * openiot_consumed_thing_observe:
 * @kind: %OPENIOT_INTERACTION_PROPERTY or %OPENIOT_INTERACTION_EVENT
 *
 * Prepares to follow a property's changes or an event: over the form's
 * event stream when it offers one (`sse`), else by long-poll
 * (`longpoll`), else, for a property, by reading it at intervals. Call
 * [method@OpenIot.Observation.start].
 *
 * Returns: (transfer full): the observation, or %NULL when there is no
 *   way to follow it
 */
OpenIotObservation *
openiot_consumed_thing_observe (OpenIotConsumedThing    *self,
                                OpenIotInteractionKind   kind,
                                const char              *name,
                                GError                 **error)
{
  OpenIotInteraction *interaction;
  OpenIotForm *watch, *poll = NULL;
  g_autoptr(GError) watch_error = NULL;

  g_return_val_if_fail (OPENIOT_IS_CONSUMED_THING (self), NULL);
  g_return_val_if_fail (kind == OPENIOT_INTERACTION_PROPERTY || kind == OPENIOT_INTERACTION_EVENT,
                        NULL);

  if (!(interaction = openiot_thing_lookup (self->thing, kind, name)))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND, _("“%s” has no %s “%s”."),
                   openiot_thing_get_title (self->thing),
                   kind == OPENIOT_INTERACTION_EVENT ? _("event") : _("property"),
                   name);
      return NULL;
    }

  /* A property without a stream or long-poll of its own is read at
   * intervals; an event has no such fallback. */
  watch = openiot_interaction_check_operation (interaction, kind == OPENIOT_INTERACTION_EVENT
                                                              ? OPENIOT_OPERATION_SUBSCRIBE_EVENT
                                                              : OPENIOT_OPERATION_OBSERVE_PROPERTY,
                                               &watch_error);
  if (kind == OPENIOT_INTERACTION_PROPERTY && watch == NULL)
    poll = openiot_interaction_check_operation (interaction, OPENIOT_OPERATION_READ_PROPERTY, NULL);
  if (watch == NULL && poll == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&watch_error));
      return NULL;
    }

  return _openiot_observation_new (self->connection, watch, poll);
}

static void
on_thing_fetched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHubConnection *connection = OPENIOT_HUB_CONNECTION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(OpenIotThing) thing = NULL;
  guint status = 0;

  if (!(body = openiot_hub_connection_send_finish (connection, result, &status, &error)) ||
      !_openiot_protocol_response_error (status, body, &error) ||
      !(thing = openiot_thing_new_for_hub (body, g_task_get_task_data (task),
                                           openiot_hub_connection_get_record (connection), &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, openiot_consumed_thing_new (connection, thing), g_object_unref);
}

/**
 * openiot_consumed_thing_fetch_async:
 * @service_id: a service of the hub
 *
 * Fetches the service's Thing Description from the hub.
 */
void
openiot_consumed_thing_fetch_async (OpenIotHubConnection *connection,
                                    const char           *service_id,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *path = NULL;

  g_return_if_fail (OPENIOT_IS_HUB_CONNECTION (connection));

  g_task_set_source_tag (task, openiot_consumed_thing_fetch_async);
  if (!_openiot_service_id_is_valid (service_id))
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                               _("“%s” is not a service id."), service_id);
      return;
    }
  g_task_set_task_data (task, g_strdup (service_id), g_free);
  path = g_strconcat (OPENIOT_SERVICE_PREFIX, service_id, OPENIOT_SERVICE_TD_PATH, NULL);
  openiot_hub_connection_send_async (connection, "GET", path, NULL, NULL, cancellable,
                                     on_thing_fetched,
                                     g_object_ref (task));
}

/**
 * openiot_consumed_thing_fetch_finish:
 *
 * Returns: (transfer full): the Thing, ready to use
 */
OpenIotConsumedThing *
openiot_consumed_thing_fetch_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * openiot_consumed_thing_new:
 * @thing: a Thing Description of a service of that hub, e.g. from the cache
 *
 * Returns: (transfer full): the Thing, ready to use
 */
OpenIotConsumedThing *
openiot_consumed_thing_new (OpenIotHubConnection *connection,
                            OpenIotThing         *thing)
{
  OpenIotConsumedThing *self;

  g_return_val_if_fail (OPENIOT_IS_HUB_CONNECTION (connection), NULL);
  g_return_val_if_fail (OPENIOT_IS_THING (thing), NULL);

  self = g_object_new (OPENIOT_TYPE_CONSUMED_THING, NULL);
  self->connection = g_object_ref (connection);
  self->thing = g_object_ref (thing);
  return self;
}

/**
 * openiot_consumed_thing_get_thing:
 *
 * Returns: (transfer none): its Thing Description
 */
OpenIotThing *
openiot_consumed_thing_get_thing (OpenIotConsumedThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_CONSUMED_THING (self), NULL);
  return self->thing;
}

/**
 * openiot_consumed_thing_get_connection:
 *
 * Returns: (transfer none): the pinned connection to its hub
 */
OpenIotHubConnection *
openiot_consumed_thing_get_connection (OpenIotConsumedThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_CONSUMED_THING (self), NULL);
  return self->connection;
}

static void
openiot_consumed_thing_finalize (GObject *object)
{
  OpenIotConsumedThing *self = OPENIOT_CONSUMED_THING (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->thing);

  G_OBJECT_CLASS (openiot_consumed_thing_parent_class)->finalize (object);
}

static void
openiot_consumed_thing_class_init (OpenIotConsumedThingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_consumed_thing_finalize;
}

static void
openiot_consumed_thing_init (OpenIotConsumedThing *self)
{
}
