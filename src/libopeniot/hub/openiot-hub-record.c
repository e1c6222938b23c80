// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-hub-record"

#include "config.h"

#include "openiot-certificate-private.h"
#include "openiot-enums.h"
#include "openiot-error.h"
#include "openiot-fingerprint.h"
#include "openiot-json-private.h"
#include "openiot-protocol-private.h"

#include "openiot-hub-record.h"

/**
 * OpenIotHubRecord:
 *
 * What this device knows of a paired hub: who it is, the certificate it is
 * pinned to, this device's registration, where to reach it, and how its
 * identity was verified when the user trusted it, and the nickname the
 * user gave it here. Immutable: a changed certificate or nickname makes a
 * new record, after the user's decision.
 */
struct _OpenIotHubRecord
{
  GObject              parent_instance;

  char                *id;
  char                *name;
  char                *nickname;  /* local, never sent; NULL: the hub's name */
  char                *fingerprint;
  char                *certificate_pem;
  char                *client_id;
  guint16              port;
  GStrv                addresses;
  GStrv                scopes;
  OpenIotVerification  verification;
  GDateTime           *paired;
  GDateTime           *trusted;   /* when this certificate was first trusted */
};

G_DEFINE_FINAL_TYPE (OpenIotHubRecord, openiot_hub_record, G_TYPE_OBJECT)

OpenIotHubRecord *
openiot_hub_record_new_from_pairing (OpenIotPairingResult *result)
{
  OpenIotHubRecord *self = g_object_new (OPENIOT_TYPE_HUB_RECORD, NULL);

  self->id = g_strdup (openiot_pairing_result_get_hub_id (result));
  self->name = g_strdup (openiot_pairing_result_get_hub_name (result));
  self->fingerprint = g_strdup (openiot_pairing_result_get_fingerprint (result));
  self->certificate_pem = g_strdup (openiot_pairing_result_get_certificate_pem (result));
  self->client_id = g_strdup (openiot_pairing_result_get_client_id (result));
  self->port = openiot_pairing_result_get_port (result);
  self->addresses = g_strdupv ((GStrv) openiot_pairing_result_get_addresses (result));
  self->scopes = g_strdupv ((GStrv) openiot_pairing_result_get_scopes (result));
  self->verification = openiot_pairing_result_get_verification (result);
  self->paired = g_date_time_new_now_utc ();
  self->trusted = g_date_time_ref (self->paired);
  return self;
}

/**
 * openiot_hub_record_with_certificate:
 * @certificate_pem: the certificate the user decided to trust instead
 *
 * The record after the user accepted a changed hub certificate: the same
 * hub and registration, pinned to @certificate_pem.
 *
 * Returns: (transfer full): a new record, or %NULL if @certificate_pem is
 *   not a certificate to pin
 */
OpenIotHubRecord *
openiot_hub_record_with_certificate (OpenIotHubRecord  *self,
                                     const char        *certificate_pem,
                                     GError           **error)
{
  g_autoptr(JsonNode) node = openiot_hub_record_to_json (self);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *fingerprint = NULL;

  if (!_openiot_certificate_check_peer (certificate_pem, error) ||
      !(fingerprint = _openiot_certificate_fingerprint (certificate_pem, error)))
    return NULL;

  json_object_set_string_member (object, "certificate", fingerprint);
  json_object_set_string_member (object, "certificate_pem", certificate_pem);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *trusted = g_date_time_format_iso8601 (now);

    json_object_set_string_member (object, "trusted", trusted);
  }
  return openiot_hub_record_new_from_json (node, error);
}

/**
 * openiot_hub_record_with_nickname:
 * @nickname: (nullable): what the user calls the hub on this device, or
 *   %NULL (or "") to go back to the name the hub gives itself
 *
 * The record with a local nickname. Only this device knows it: the hub
 * keeps its own name. It follows the rule of device names (1 to 64 bytes,
 * one line, no control characters), as it is shown in the same places.
 *
 * Returns: (transfer full): a new record, or %NULL if @nickname breaks
 *   the rule (%OPENIOT_ERROR_INVALID_DATA, with a message that says why)
 */
OpenIotHubRecord *
openiot_hub_record_with_nickname (OpenIotHubRecord  *self,
                                  const char        *nickname,
                                  GError           **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_return_val_if_fail (OPENIOT_IS_HUB_RECORD (self), NULL);

  if (nickname != NULL && *nickname != '\0' && !_openiot_device_name_check (nickname, error))
    return NULL;

  node = openiot_hub_record_to_json (self);
  object = json_node_get_object (node);
  /* The hub's own name is no nickname: storing it would pin today's name
   * and hide a later one the hub takes. */
  if (nickname == NULL || *nickname == '\0' || g_str_equal (nickname, self->name))
    json_object_remove_member (object, "nickname");
  else
    json_object_set_string_member (object, "nickname", nickname);
  return openiot_hub_record_new_from_json (node, error);
}

static void
add_strv (JsonBuilder *builder,
          const char  *name,
          GStrv        values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static GStrv
get_strv (JsonObject *object,
          const char *name)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  _openiot_json_add_strings (builder, json_object_get_member (object, name));
  return g_strv_builder_end (builder);
}

JsonNode *
openiot_hub_record_to_json (OpenIotHubRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *paired = g_date_time_format_iso8601 (self->paired);
  g_autofree char *trusted = g_date_time_format_iso8601 (self->trusted);
  GEnumClass *verification = g_type_class_ref (OPENIOT_TYPE_VERIFICATION);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  if (self->nickname != NULL)
    {
      json_builder_set_member_name (builder, "nickname");
      json_builder_add_string_value (builder, self->nickname);
    }
  json_builder_set_member_name (builder, "certificate");
  json_builder_add_string_value (builder, self->fingerprint);
  json_builder_set_member_name (builder, "certificate_pem");
  json_builder_add_string_value (builder, self->certificate_pem);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, self->client_id);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, self->port);
  add_strv (builder, "addresses", self->addresses);
  add_strv (builder, "scopes", self->scopes);
  json_builder_set_member_name (builder, "verification");
  json_builder_add_string_value (builder,
                                 g_enum_get_value (verification, self->verification)->value_nick);
  json_builder_set_member_name (builder, "paired");
  json_builder_add_string_value (builder, paired);
  json_builder_set_member_name (builder, "trusted");
  json_builder_add_string_value (builder, trusted);
  json_builder_end_object (builder);

  g_type_class_unref (verification);
  return json_builder_get_root (builder);
}

OpenIotHubRecord *
openiot_hub_record_new_from_json (JsonNode  *node,
                                  GError   **error)
{
  g_autoptr(OpenIotHubRecord) self = g_object_new (OPENIOT_TYPE_HUB_RECORD, NULL);
  GEnumClass *verification_class;
  GEnumValue *verification;
  JsonObject *object;
  const char *paired;
  const char *trusted;
  const char *verification_nick;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "A stored hub is not a JSON object");
      return NULL;
    }

  object = json_node_get_object (node);
  self->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  self->name = g_strdup (json_object_get_string_member_with_default (object, "name", NULL));
  self->nickname = g_strdup (json_object_get_string_member_with_default (object, "nickname", NULL));
  if (self->nickname != NULL &&
      (*self->nickname == '\0' || !_openiot_device_name_check (self->nickname, NULL)))
    g_clear_pointer (&self->nickname, g_free);  /* a hand-edited file shows the hub's name */
  self->fingerprint =
    g_strdup (json_object_get_string_member_with_default (object, "certificate", NULL));
  self->certificate_pem =
    g_strdup (json_object_get_string_member_with_default (object, "certificate_pem", NULL));
  self->client_id =
    g_strdup (json_object_get_string_member_with_default (object, "client_id", NULL));
  self->port = CLAMP (json_object_get_int_member_with_default (object, "port", 0), 0, 65535);
  self->addresses = get_strv (object, "addresses");
  self->scopes = get_strv (object, "scopes");
  paired = json_object_get_string_member_with_default (object, "paired", NULL);
  self->paired = paired ? g_date_time_new_from_iso8601 (paired, NULL) : NULL;
  /* Records from before "trusted" existed: trusted since pairing */
  trusted = json_object_get_string_member_with_default (object, "trusted", NULL);
  self->trusted = trusted ? g_date_time_new_from_iso8601 (trusted, NULL) : NULL;
  if (self->trusted == NULL && self->paired != NULL)
    self->trusted = g_date_time_ref (self->paired);

  verification_class = g_type_class_ref (OPENIOT_TYPE_VERIFICATION);
  verification_nick = json_object_get_string_member_with_default (object, "verification", "");
  verification = g_enum_get_value_by_nick (verification_class, verification_nick);
  self->verification = verification ? (OpenIotVerification) verification->value
                                    : OPENIOT_VERIFICATION_TRUST_ON_FIRST_USE;
  g_type_class_unref (verification_class);

  if (self->id == NULL || self->name == NULL || self->client_id == NULL ||
      self->certificate_pem == NULL ||
      !openiot_fingerprint_is_valid (self->fingerprint) || self->port == 0 || self->paired == NULL)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "A stored hub is incomplete");
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
openiot_hub_record_get_id (OpenIotHubRecord *self)
{
  return self->id;
}

const char *
openiot_hub_record_get_name (OpenIotHubRecord *self)
{
  return self->name;
}

/**
 * openiot_hub_record_get_nickname:
 *
 * Returns: (nullable): what the user calls the hub on this device, or
 *   %NULL when they kept the hub's own name
 */
const char *
openiot_hub_record_get_nickname (OpenIotHubRecord *self)
{
  return self->nickname;
}

/**
 * openiot_hub_record_get_display_name:
 *
 * Returns: the name to show people: the nickname, else the hub's name
 */
const char *
openiot_hub_record_get_display_name (OpenIotHubRecord *self)
{
  return self->nickname != NULL ? self->nickname : self->name;
}

const char *
openiot_hub_record_get_fingerprint (OpenIotHubRecord *self)
{
  return self->fingerprint;
}

const char *
openiot_hub_record_get_certificate_pem (OpenIotHubRecord *self)
{
  return self->certificate_pem;
}

const char *
openiot_hub_record_get_client_id (OpenIotHubRecord *self)
{
  return self->client_id;
}

guint16
openiot_hub_record_get_port (OpenIotHubRecord *self)
{
  return self->port;
}

/**
 * openiot_hub_record_get_addresses:
 *
 * Returns: (transfer none) (array zero-terminated=1): the hub's addresses
 */
const char * const *
openiot_hub_record_get_addresses (OpenIotHubRecord *self)
{
  return (const char * const *) self->addresses;
}

/**
 * openiot_hub_record_get_scopes:
 *
 * Returns: (transfer none) (array zero-terminated=1): the scope of each address
 */
const char * const *
openiot_hub_record_get_scopes (OpenIotHubRecord *self)
{
  return (const char * const *) self->scopes;
}

OpenIotVerification
openiot_hub_record_get_verification (OpenIotHubRecord *self)
{
  return self->verification;
}

/**
 * openiot_hub_record_get_paired:
 *
 * Returns: (transfer none): when the user trusted this hub
 */
GDateTime *
openiot_hub_record_get_paired (OpenIotHubRecord *self)
{
  return self->paired;
}

/**
 * openiot_hub_record_get_trusted:
 *
 * Returns: (transfer none): when the user trusted the pinned certificate:
 *   at pairing, or when they accepted a changed one
 */
GDateTime *
openiot_hub_record_get_trusted (OpenIotHubRecord *self)
{
  return self->trusted;
}

static void
openiot_hub_record_finalize (GObject *object)
{
  OpenIotHubRecord *self = OPENIOT_HUB_RECORD (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->nickname);
  g_free (self->fingerprint);
  g_free (self->certificate_pem);
  g_free (self->client_id);
  g_strfreev (self->addresses);
  g_strfreev (self->scopes);
  g_clear_pointer (&self->paired, g_date_time_unref);
  g_clear_pointer (&self->trusted, g_date_time_unref);

  G_OBJECT_CLASS (openiot_hub_record_parent_class)->finalize (object);
}

static void
openiot_hub_record_class_init (OpenIotHubRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_hub_record_finalize;
}

static void
openiot_hub_record_init (OpenIotHubRecord *self)
{
}
