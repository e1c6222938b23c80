// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <libopeniot.h>

#include "openiot-hubd-client.h"

G_DEFINE_BOXED_TYPE (OpenIotHubdClient, openiot_hubd_client, openiot_hubd_client_ref,
                     openiot_hubd_client_unref)

OpenIotHubdClient *
openiot_hubd_client_new (const char *id,
                        const char *name,
                        const char *fingerprint,
                        const char *certificate_pem,
                        GDateTime  *registered,
                        gboolean    revoked)
{
  OpenIotHubdClient *self = g_new0 (OpenIotHubdClient, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->fingerprint = g_strdup (fingerprint);
  self->certificate_pem = g_strdup (certificate_pem);
  self->registered = g_date_time_ref (registered);
  self->revoked = revoked;
  return self;
}

OpenIotHubdClient *
openiot_hubd_client_ref (OpenIotHubdClient *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
openiot_hubd_client_unref (OpenIotHubdClient *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->fingerprint);
  g_free (self->certificate_pem);
  g_date_time_unref (self->registered);
  g_free (self);
}

JsonNode *
openiot_hubd_client_to_json (OpenIotHubdClient *self,
                            gboolean          with_certificate)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *registered = g_date_time_format_iso8601 (self->registered);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_string_value (builder, self->fingerprint);
  if (with_certificate)
    {
      json_builder_set_member_name (builder, "certificate_pem");
      json_builder_add_string_value (builder, self->certificate_pem);
    }
  json_builder_set_member_name (builder, "registered");
  json_builder_add_string_value (builder, registered);
  json_builder_set_member_name (builder, "revoked");
  json_builder_add_boolean_value (builder, self->revoked);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

OpenIotHubdClient *
openiot_hubd_client_from_json (JsonObject  *object,
                              GError     **error)
{
  const char *id = json_object_get_string_member_with_default (object, "client_id", NULL);
  const char *name = json_object_get_string_member_with_default (object, "name", NULL);
  const char *fingerprint =
    json_object_get_string_member_with_default (object, "certificate", NULL);
  const char *pem = json_object_get_string_member_with_default (object, "certificate_pem", NULL);
  const char *registered = json_object_get_string_member_with_default (object, "registered", NULL);
  gboolean revoked = json_object_get_boolean_member_with_default (object, "revoked", FALSE);
  g_autoptr(GDateTime) when = NULL;

  if (registered != NULL)
    when = g_date_time_new_from_iso8601 (registered, NULL);

  if (id == NULL || name == NULL || pem == NULL || when == NULL ||
      !openiot_fingerprint_is_valid (fingerprint))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "A client record is incomplete");
      return NULL;
    }

  return openiot_hubd_client_new (id, name, fingerprint, pem, when, revoked);
}
