// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-service-info"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "openiot-error.h"
#include "openiot-json-private.h"
#include "openiot-protocol-private.h"

#include "openiot-service-info-private.h"

/**
 * OpenIotServiceInfo:
 *
 * One entry of a hub's list of services (`GET /open-iot/v1/services`):
 * its id, its Thing's title and whether it answered just now. Properties
 * so that list widgets can bind to them.
 */
struct _OpenIotServiceInfo
{
  GObject   parent_instance;

  char     *id;
  char     *title;
  gboolean  up;
};

G_DEFINE_FINAL_TYPE (OpenIotServiceInfo, openiot_service_info, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_UP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

OpenIotServiceInfo *
openiot_service_info_new (const char *id,
                          const char *title,
                          gboolean    up)
{
  return g_object_new (OPENIOT_TYPE_SERVICE_INFO, "id", id, "title", title ? title : id, "up", up,
                       NULL);
}

const char *
openiot_service_info_get_id (OpenIotServiceInfo *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_INFO (self), NULL);
  return self->id;
}

const char *
openiot_service_info_get_title (OpenIotServiceInfo *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_INFO (self), NULL);
  return self->title;
}

gboolean
openiot_service_info_get_up (OpenIotServiceInfo *self)
{
  g_return_val_if_fail (OPENIOT_IS_SERVICE_INFO (self), FALSE);
  return self->up;
}

static void
openiot_service_info_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  OpenIotServiceInfo *self = OPENIOT_SERVICE_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_UP:
      g_value_set_boolean (value, self->up);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_service_info_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  OpenIotServiceInfo *self = OPENIOT_SERVICE_INFO (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_UP:
      self->up = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_service_info_finalize (GObject *object)
{
  OpenIotServiceInfo *self = OPENIOT_SERVICE_INFO (object);

  g_free (self->id);
  g_free (self->title);

  G_OBJECT_CLASS (openiot_service_info_parent_class)->finalize (object);
}

static void
openiot_service_info_class_init (OpenIotServiceInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = openiot_service_info_finalize;
  object_class->get_property = openiot_service_info_get_property;
  object_class->set_property = openiot_service_info_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UP] =
    g_param_spec_boolean ("up", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_service_info_init (OpenIotServiceInfo *self)
{
}

/*
 * _openiot_service_info_list_parse:
 * @body: the answer to GET /open-iot/v1/services
 *
 * The one reader of the hub's list of services. An entry that is not an
 * object with a valid service id is left out: a hub's list is shown
 * whole or not at all, and one odd entry must not hide the others. A
 * missing title is the id; any state but "up" is down.
 *
 * Returns: (transfer container): the services, or %NULL with
 *   %OPENIOT_ERROR_PROTOCOL when @body is no JSON array
 */
GPtrArray *
_openiot_service_info_list_parse (GBytes  *body,
                                  GError **error)
{
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  const char *data = g_bytes_get_data (body, &length);
  JsonArray *array;

  root = _openiot_json_from_data (data, length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
                           _("The hub sent no list of services."));
      return NULL;
    }

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *service;
      const char *id, *title, *state;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      service = json_node_get_object (element);
      id = json_object_get_string_member_with_default (service, "id", NULL);
      if (!_openiot_service_id_is_valid (id))
        continue;
      title = json_object_get_string_member_with_default (service, "title", id);
      state = json_object_get_string_member_with_default (service, "state", "");
      g_ptr_array_add (services,
                       openiot_service_info_new (id, title, g_strcmp0 (state, "up") == 0));
    }

  return g_steal_pointer (&services);
}
