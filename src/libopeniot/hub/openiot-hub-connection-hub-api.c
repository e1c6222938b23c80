// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-hub-connection"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "openiot-error.h"
#include "openiot-json-private.h"
#include "openiot-pairing-link.h"
#include "openiot-protocol-private.h"
#include "openiot-service-info-private.h"

#include "openiot-hub-connection.h"

/*
 * The hub's own API as typed calls (docs/protocol.md, "Hub API"): this
 * device's name on the hub (GET /open-iot/v1/hub, PUT
 * /open-iot/v1/clients/self/name), the list of services (GET
 * /open-iot/v1/services) and a plain check that the hub answers under its
 * pin. Apart from the rest of the connection: plain requests over
 * openiot_hub_connection_send_async(), so that the app and the CLI never
 * spell a path or read the protocol's JSON themselves.
 */

/* The "you" member of /open-iot/v1/hub, or the answer of a rename: both
 * carry the client as the hub knows it. */
static char *
name_from_answer (OpenIotHubConnection  *self,
                  GBytes                *body,
                  gboolean               in_you,
                  GError               **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = NULL;
  const char *name;

  root = _openiot_json_from_data (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);
  if (object != NULL && in_you)
    {
      JsonNode *you = json_object_get_member (object, "you");

      object = you != NULL && JSON_NODE_HOLDS_OBJECT (you) ? json_node_get_object (you) : NULL;
    }
  name = object ? json_object_get_string_member_with_default (object, "name", NULL) : NULL;
  if (name == NULL)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                   _("The hub “%s” did not say under which name it lists this device. "
                     "It may run another version of Open-IoT; try again later."),
                   openiot_hub_record_get_display_name (openiot_hub_connection_get_record (self)));
      return NULL;
    }
  return g_strdup (name);
}

static void
on_hub_fetched (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHubConnection *self = OPENIOT_HUB_CONNECTION (source);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  char *name;
  guint status = 0;

  if (!(body = openiot_hub_connection_send_finish (self, result, &status, &error)) ||
      !_openiot_protocol_response_error (status, body, &error) ||
      !(name = name_from_answer (self, body, TRUE, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, name, g_free);
}

/**
 * openiot_hub_connection_fetch_device_name_async:
 *
 * Asks the hub under which name it lists this device.
 */
void
openiot_hub_connection_fetch_device_name_async (OpenIotHubConnection *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OPENIOT_IS_HUB_CONNECTION (self));

  g_task_set_source_tag (task, openiot_hub_connection_fetch_device_name_async);
  openiot_hub_connection_send_async (self, "GET", OPENIOT_PATH_HUB, NULL, NULL, cancellable,
                                     on_hub_fetched, g_object_ref (task));
}

/**
 * openiot_hub_connection_fetch_device_name_finish:
 *
 * Returns: (transfer full): this device's name on the hub
 */
char *
openiot_hub_connection_fetch_device_name_finish (OpenIotHubConnection  *self,
                                                 GAsyncResult          *result,
                                                 GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_renamed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpenIotHubConnection *self = OPENIOT_HUB_CONNECTION (source);
  OpenIotHubRecord *record = openiot_hub_connection_get_record (self);
  const char *hub_name = openiot_hub_record_get_display_name (record);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  char *name;
  guint status = 0;

  if (!(body = openiot_hub_connection_send_finish (self, result, &status, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A hub from before the rename endpoint: it has no such path or method.
   * Say so rather than "not found", which would read as a lost hub. */
  if (status == 404 || status == 405)
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_NOT_SUPPORTED,
                               _("The hub “%s” cannot rename devices: it runs an older "
                                 "version of Open-IoT. This device keeps its name there "
                                 "until the hub is updated."),
                               hub_name);
      return;
    }
  /* The protocol's reason, not any 400 (a malformed request is another
   * story); and the sentence is ours, in the user's language, not the
   * hub's English one */
  reason = status == 400 ? _openiot_protocol_parse_error_reason (body) : NULL;
  if (g_strcmp0 (reason, "invalid-name") == 0)
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               _("The hub “%s” does not accept this name. Choose another "
                                 "name."),
                               hub_name);
      return;
    }
  if (!_openiot_protocol_response_error (status, body, &error) ||
      !(name = name_from_answer (self, body, FALSE, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, name, g_free);
}

/**
 * openiot_hub_connection_rename_device_async:
 * @name: the name the hub should list this device under, by the rule of
 *   [func@OpenIot.check_device_name]
 *
 * Renames this device on the hub (its admin's list, and the name services
 * are told). A name the rule refuses fails at once with
 * %OPENIOT_ERROR_INVALID_DATA, without asking the hub; a hub that cannot
 * rename devices fails with %OPENIOT_ERROR_NOT_SUPPORTED.
 */
void
openiot_hub_connection_rename_device_async (OpenIotHubConnection *self,
                                            const char           *name,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  char *json;

  g_return_if_fail (OPENIOT_IS_HUB_CONNECTION (self));

  g_task_set_source_tag (task, openiot_hub_connection_rename_device_async);
  if (!_openiot_device_name_check (name, NULL))
    {
      g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                               _("A device name is 1 to %d bytes on one line, without "
                                 "control characters. Choose another name."),
                               OPENIOT_DEVICE_NAME_MAX_BYTES);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  body = g_bytes_new_take (json, strlen (json));
  openiot_hub_connection_send_async (self, "PUT", OPENIOT_PATH_CLIENT_NAME, "application/json",
                                     body, cancellable, on_renamed, g_object_ref (task));
}

/**
 * openiot_hub_connection_rename_device_finish:
 *
 * Returns: (transfer full): the name the hub now lists this device under
 */
char *
openiot_hub_connection_rename_device_finish (OpenIotHubConnection  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_services (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *services;
  guint status = 0;

  if (!(body = openiot_hub_connection_send_finish (OPENIOT_HUB_CONNECTION (source), result,
                                                   &status, &error)) ||
      !_openiot_protocol_response_error (status, body, &error) ||
      !(services = _openiot_service_info_list_parse (body, &error)))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, services, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * openiot_hub_connection_list_services_async:
 *
 * Asks the hub for its services as they are now.
 */
void
openiot_hub_connection_list_services_async (OpenIotHubConnection *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OPENIOT_IS_HUB_CONNECTION (self));

  g_task_set_source_tag (task, openiot_hub_connection_list_services_async);
  openiot_hub_connection_send_async (self, "GET", OPENIOT_PATH_SERVICES, NULL, NULL, cancellable,
                                     on_services, g_object_ref (task));
}

/**
 * openiot_hub_connection_list_services_finish:
 *
 * Entries that are not services with a valid id are left out.
 *
 * Returns: (transfer container) (element-type OpenIotServiceInfo): the
 *   services, in the hub's order, or %NULL with %OPENIOT_ERROR_PROTOCOL
 *   when the hub sent no list, or the error of the request
 */
GPtrArray *
openiot_hub_connection_list_services_finish (OpenIotHubConnection  *self,
                                             GAsyncResult          *result,
                                             GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  if (!(body = openiot_hub_connection_send_finish (OPENIOT_HUB_CONNECTION (source), result, NULL,
                                                   &error)))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * openiot_hub_connection_check_async:
 *
 * Reaches the hub once (GET /open-iot/v1/hub), to learn whether it still
 * presents the pinned certificate, before anything else is asked of it.
 * Any answer over the pinned connection counts.
 */
void
openiot_hub_connection_check_async (OpenIotHubConnection *self,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (OPENIOT_IS_HUB_CONNECTION (self));

  g_task_set_source_tag (task, openiot_hub_connection_check_async);
  openiot_hub_connection_send_async (self, "GET", OPENIOT_PATH_HUB, NULL, NULL, cancellable,
                                     on_checked, g_object_ref (task));
}

/**
 * openiot_hub_connection_check_finish:
 *
 * Returns: %TRUE when the hub answered under its pin; %FALSE with
 *   %OPENIOT_ERROR_CERTIFICATE_CHANGED when it presents another
 *   certificate ([method@OpenIot.HubConnection.get_presented_fingerprint]
 *   then tells which), or with the error that kept the request from it
 */
gboolean
openiot_hub_connection_check_finish (OpenIotHubConnection  *self,
                                     GAsyncResult          *result,
                                     GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
