// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-pairing"

#include "config.h"

#include "openiot-certificate-private.h"
#include "openiot-error.h"
#include "openiot-fingerprint.h"

#include "openiot-pairing-result-private.h"

struct _OpenIotPairingResult
{
  gatomicrefcount      ref_count;
  char                *client_id;
  char                *hub_id;
  char                *hub_name;
  char                *fingerprint;
  char                *certificate_pem;
  guint16              port;
  GStrv                addresses;
  GStrv                scopes;
  OpenIotVerification  verification;
};

G_DEFINE_BOXED_TYPE (OpenIotPairingResult, openiot_pairing_result,
                     openiot_pairing_result_ref, openiot_pairing_result_unref)

OpenIotPairingResult *
openiot_pairing_result_ref (OpenIotPairingResult *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
openiot_pairing_result_unref (OpenIotPairingResult *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->client_id);
  g_free (self->hub_id);
  g_free (self->hub_name);
  g_free (self->fingerprint);
  g_free (self->certificate_pem);
  g_strfreev (self->addresses);
  g_strfreev (self->scopes);
  g_free (self);
}

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_PROTOCOL,
               "The hub's answer to the pairing request is not valid: %s", what);
  return FALSE;
}

/*
 * The hub's list, then the address pairing went through if the hub did not
 * list it (a hub bound to one address, or reached through a forwarded
 * port): it is known to work from here.
 */
static gboolean
read_addresses (OpenIotPairingResult  *self,
                JsonObject            *object,
                const char            *paired_through,
                GError               **error)
{
  gboolean listed = FALSE;
  g_autoptr(GStrvBuilder) addresses = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) scopes = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, "addresses");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "no addresses");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *address, *scope;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return invalid (error, "an address is not an object");
      address = json_object_get_string_member_with_default (json_node_get_object (element),
                                                            "address", NULL);
      scope = json_object_get_string_member_with_default (json_node_get_object (element), "scope",
                                                          NULL);
      if (address == NULL || scope == NULL)
        return invalid (error, "an address is incomplete");
      g_strv_builder_add (addresses, address);
      g_strv_builder_add (scopes, scope);
      listed |= g_strcmp0 (address, paired_through) == 0;
    }

  if (paired_through != NULL && !listed)
    {
      g_strv_builder_add (addresses, paired_through);
      g_strv_builder_add (scopes, "local");
    }

  self->addresses = g_strv_builder_end (addresses);
  self->scopes = g_strv_builder_end (scopes);
  return TRUE;
}

/*
 * _openiot_pairing_result_new_from_json:
 * @link_fingerprint: (nullable): the `fp` of the pairing link, if paired by
 *   link
 *
 * Checks the 201 body of POST /open-iot/v1/pair: the certificate the hub
 * sent must have the fingerprint it claims, and the link's when there is
 * one. A mismatch is an attack or a broken hub; either way nothing may be
 * trusted.
 */
OpenIotPairingResult *
_openiot_pairing_result_new_from_json (JsonNode    *node,
                                       const char  *link_fingerprint,
                                       const char  *paired_through,
                                       GError     **error)
{
  g_autoptr(OpenIotPairingResult) self = g_new0 (OpenIotPairingResult, 1);
  g_autofree char *computed = NULL;
  JsonObject *object, *hub;
  gint64 port;

  g_atomic_ref_count_init (&self->ref_count);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "not a JSON object"), NULL;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, "hub") ||
      !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "hub")))
    return invalid (error, "no hub"), NULL;
  hub = json_object_get_object_member (object, "hub");

  self->client_id =
    g_strdup (json_object_get_string_member_with_default (object, "client_id", NULL));
  self->hub_id = g_strdup (json_object_get_string_member_with_default (hub, "id", NULL));
  self->hub_name = g_strdup (json_object_get_string_member_with_default (hub, "name", NULL));
  self->fingerprint =
    g_strdup (json_object_get_string_member_with_default (hub, "certificate", NULL));
  self->certificate_pem =
    g_strdup (json_object_get_string_member_with_default (hub, "certificate_pem", NULL));
  port = json_object_get_int_member_with_default (object, "port", 0);

  if (self->client_id == NULL || self->hub_id == NULL || self->hub_name == NULL ||
      self->certificate_pem == NULL || !openiot_fingerprint_is_valid (self->fingerprint))
    return invalid (error, "fields are missing"), NULL;
  if (port < 1 || port > 65535)
    return invalid (error, "no valid port"), NULL;
  self->port = port;

  if (!read_addresses (self, object, paired_through, error))
    return NULL;

  if (!_openiot_certificate_check_peer (self->certificate_pem, error))
    return NULL;
  computed = _openiot_certificate_fingerprint (self->certificate_pem, error);
  if (computed == NULL)
    return NULL;

  if (!openiot_fingerprint_equal (computed, self->fingerprint))
    return invalid (error, "the certificate does not have the fingerprint the hub claims"), NULL;

  if (link_fingerprint != NULL)
    {
      if (!openiot_fingerprint_equal (computed, link_fingerprint))
        {
          g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_TRUSTED,
                               "The hub's certificate does not match the pairing link. "
                               "This may be an attack: nothing was saved. "
                               "Check that you scanned the link shown by your own hub.");
          return NULL;
        }
      self->verification = OPENIOT_VERIFICATION_LINK_FINGERPRINT;
    }
  else
    self->verification = OPENIOT_VERIFICATION_PAIRING_CODE;

  return g_steal_pointer (&self);
}

const char *
openiot_pairing_result_get_client_id (OpenIotPairingResult *self)
{
  return self->client_id;
}

const char *
openiot_pairing_result_get_hub_id (OpenIotPairingResult *self)
{
  return self->hub_id;
}

const char *
openiot_pairing_result_get_hub_name (OpenIotPairingResult *self)
{
  return self->hub_name;
}

const char *
openiot_pairing_result_get_fingerprint (OpenIotPairingResult *self)
{
  return self->fingerprint;
}

const char *
openiot_pairing_result_get_certificate_pem (OpenIotPairingResult *self)
{
  return self->certificate_pem;
}

guint16
openiot_pairing_result_get_port (OpenIotPairingResult *self)
{
  return self->port;
}

/**
 * openiot_pairing_result_get_addresses:
 *
 * Returns: (transfer none) (array zero-terminated=1): the hub's addresses,
 *   global first
 */
const char * const *
openiot_pairing_result_get_addresses (OpenIotPairingResult *self)
{
  return (const char * const *) self->addresses;
}

/**
 * openiot_pairing_result_get_scopes:
 *
 * Returns: (transfer none) (array zero-terminated=1): "global", "ula" or
 *   "link" for each address the hub listed; "local" for the address
 *   pairing went through when the hub did not list it
 */
const char * const *
openiot_pairing_result_get_scopes (OpenIotPairingResult *self)
{
  return (const char * const *) self->scopes;
}

OpenIotVerification
openiot_pairing_result_get_verification (OpenIotPairingResult *self)
{
  return self->verification;
}
