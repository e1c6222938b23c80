// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libopeniot.h>

#include "openiot-certificate-private.h"
#include "openiot-protocol-private.h"

#include "openiot-hubd-state.h"

#define CERTIFICATE_DAYS (10 * 365)

/*
 * The hub's identity on disk: hub.key (0600), hub.crt and hub.json
 * (id, name, last rotation proof). Made on first start, kept across
 * restarts, replaced only by openiot_hubd_state_rotate().
 */
struct _OpenIotHubdState
{
  GObject          parent_instance;

  char            *dir;
  char            *id;
  char            *name;
  char            *key_pem;
  char            *certificate_pem;
  char            *fingerprint;
  GTlsCertificate *tls_certificate;
  char            *rotation_previous;
  char            *rotation_signature;
};

enum {
  PROP_0,
  PROP_TLS_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (OpenIotHubdState, openiot_hubd_state, G_TYPE_OBJECT)

static char *
state_path (OpenIotHubdState *self,
            const char      *file)
{
  return g_build_filename (self->dir, file, NULL);
}

/* Writes @contents to @file in the state dir through a temporary file and a
 * rename, so a crash leaves the old or the new file, never half of one. */
static gboolean
write_atomically (OpenIotHubdState  *self,
                  const char       *file,
                  const char       *contents,
                  int               mode,
                  GError          **error)
{
  g_autofree char *path = state_path (self, file);

  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   mode, error);
}

/*
 * openiot_hubd_state_rotation_to_json:
 *
 * The proof of the last rotation (docs/protocol.md, "Rotation"), as
 * hub.json keeps it and /.well-known/open-iot shows it: the previous
 * fingerprint and the old key's signature of the step, or null.
 *
 * Returns: (transfer full): an object, or a null node
 */
JsonNode *
openiot_hubd_state_rotation_to_json (OpenIotHubdState *self)
{
  g_autoptr(JsonObject) rotation = NULL;

  if (self->rotation_previous == NULL)
    return json_node_new (JSON_NODE_NULL);

  rotation = json_object_new ();
  json_object_set_string_member (rotation, "previous", self->rotation_previous);
  json_object_set_string_member (rotation, "signature", self->rotation_signature);
  return json_node_init_object (json_node_alloc (), rotation);
}

static gboolean
save_metadata (OpenIotHubdState  *self,
               GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_set_member_name (builder, "rotation");
  json_builder_add_value (builder, openiot_hubd_state_rotation_to_json (self));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, TRUE);
  return write_atomically (self, "hub.json", json, 0644, error);
}

static gboolean
load_metadata (OpenIotHubdState  *self,
               GError          **error)
{
  g_autofree char *path = state_path (self, "hub.json");
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonObject *rotation;

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA, "%s is not a JSON object",
                   path);
      return FALSE;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  self->id = g_strdup (json_object_get_string_member_with_default (object, "id", NULL));
  if (self->name == NULL)
    self->name = g_strdup (json_object_get_string_member_with_default (object, "name", NULL));

  if (json_object_has_member (object, "rotation") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "rotation")))
    {
      rotation = json_object_get_object_member (object, "rotation");
      self->rotation_previous =
        g_strdup (json_object_get_string_member_with_default (rotation, "previous", NULL));
      self->rotation_signature =
        g_strdup (json_object_get_string_member_with_default (rotation, "signature", NULL));
    }

  if (self->id == NULL || !g_uuid_string_is_valid (self->id))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA, "%s has no valid hub id",
                   path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
use_identity (OpenIotHubdState  *self,
              char             *key_pem,
              char             *certificate_pem,
              GError          **error)
{
  g_autofree char *both = g_strconcat (certificate_pem, key_pem, NULL);
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autofree char *fingerprint = NULL;

  if (!(tls = g_tls_certificate_new_from_pem (both, -1, error)))
    return FALSE;
  if (!(fingerprint = _openiot_certificate_fingerprint (certificate_pem, error)))
    return FALSE;

  g_free (self->key_pem);
  self->key_pem = key_pem;
  g_free (self->certificate_pem);
  self->certificate_pem = certificate_pem;
  g_free (self->fingerprint);
  self->fingerprint = g_steal_pointer (&fingerprint);
  g_set_object (&self->tls_certificate, tls);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_CERTIFICATE]);
  return TRUE;
}

static gboolean
generate_identity (OpenIotHubdState  *self,
                   char            **key_pem,
                   char            **certificate_pem,
                   GError          **error)
{
  g_autofree char *cn = g_strdup_printf ("Open-IoT hub %s", self->id);

  return _openiot_certificate_generate (cn, CERTIFICATE_DAYS, key_pem, certificate_pem, error);
}

static gboolean
save_identity (OpenIotHubdState  *self,
               const char       *key_pem,
               const char       *certificate_pem,
               GError          **error)
{
  /* The key first: a crash in between leaves a key without its
   * certificate, which load_identity() treats as "make a new one". */
  return write_atomically (self, "hub.key", key_pem, 0600, error) &&
         write_atomically (self, "hub.crt", certificate_pem, 0644, error);
}

static gboolean
load_identity (OpenIotHubdState  *self,
               GError          **error)
{
  g_autofree char *key_path = state_path (self, "hub.key");
  g_autofree char *crt_path = state_path (self, "hub.crt");
  char *key_pem = NULL;
  char *certificate_pem = NULL;
  GStatBuf st;

  if (g_file_test (key_path, G_FILE_TEST_EXISTS) && g_file_test (crt_path, G_FILE_TEST_EXISTS))
    {
      if (g_stat (key_path, &st) == 0 && (st.st_mode & 0077) != 0)
        {
          g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_FAILED,
                       "%s is readable by other users; run “chmod 600 %s”", key_path, key_path);
          return FALSE;
        }

      if (!g_file_get_contents (key_path, &key_pem, NULL, error) ||
          !g_file_get_contents (crt_path, &certificate_pem, NULL, error))
        {
          g_free (key_pem);
          return FALSE;
        }
    }
  else
    {
      g_message ("Generating the hub's key and self-signed certificate in %s", self->dir);
      if (!generate_identity (self, &key_pem, &certificate_pem, error))
        return FALSE;
      if (!save_identity (self, key_pem, certificate_pem, error))
        {
          g_free (key_pem);
          g_free (certificate_pem);
          return FALSE;
        }
    }

  if (!use_identity (self, key_pem, certificate_pem, error))
    {
      g_free (key_pem);
      g_free (certificate_pem);
      return FALSE;
    }

  return TRUE;
}

OpenIotHubdState *
openiot_hubd_state_load (const char  *state_dir,
                        const char  *name,
                        GError     **error)
{
  g_autoptr(OpenIotHubdState) self = NULL;
  g_autofree char *metadata = NULL;

  g_return_val_if_fail (state_dir != NULL, NULL);

  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create the state directory %s: %s", state_dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (OPENIOT_TYPE_HUBD_STATE, NULL);
  self->dir = g_canonicalize_filename (state_dir, NULL);
  self->name = g_strdup (name);

  metadata = state_path (self, "hub.json");
  if (g_file_test (metadata, G_FILE_TEST_EXISTS))
    {
      if (!load_metadata (self, error))
        return NULL;
      if (name != NULL)
        {
          g_free (self->name);
          self->name = g_strdup (name);
        }
    }
  else
    self->id = g_uuid_string_random ();

  if (self->name == NULL)
    self->name = g_strdup ("Open-IoT Hub");

  if (!save_metadata (self, error) || !load_identity (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/*
 * openiot_hubd_state_rotate:
 *
 * Replaces the hub's key and certificate, and signs the step from the old
 * fingerprint to the new one with the old key (docs/protocol.md,
 * "Rotation"), so clients can tell a rotation from an impostor.
 */
gboolean
openiot_hubd_state_rotate (OpenIotHubdState  *self,
                          GError          **error)
{
  g_autofree char *key_pem = NULL;
  g_autofree char *certificate_pem = NULL;
  g_autofree char *new_fingerprint = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autoptr(GBytes) signature = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *previous_signature = NULL;

  g_return_val_if_fail (OPENIOT_IS_HUBD_STATE (self), FALSE);

  if (!generate_identity (self, &key_pem, &certificate_pem, error))
    return FALSE;
  if (!(new_fingerprint = _openiot_certificate_fingerprint (certificate_pem, error)))
    return FALSE;

  message = _openiot_rotation_message (self->fingerprint, new_fingerprint);
  if (!(signature = _openiot_certificate_sign (self->key_pem, message, error)))
    return FALSE;

  previous = g_steal_pointer (&self->rotation_previous);
  previous_signature = g_steal_pointer (&self->rotation_signature);
  self->rotation_previous = g_strdup (self->fingerprint);
  self->rotation_signature = g_base64_encode (g_bytes_get_data (signature, NULL),
                                              g_bytes_get_size (signature));

  if (!save_identity (self, key_pem, certificate_pem, error) ||
      !save_metadata (self, error) ||
      !use_identity (self, g_steal_pointer (&key_pem), g_steal_pointer (&certificate_pem), error))
    {
      g_free (self->rotation_previous);
      self->rotation_previous = g_steal_pointer (&previous);
      g_free (self->rotation_signature);
      self->rotation_signature = g_steal_pointer (&previous_signature);
      return FALSE;
    }

  g_message ("Rotated the hub certificate: %s → %s", self->rotation_previous, self->fingerprint);
  return TRUE;
}

const char *
openiot_hubd_state_get_dir (OpenIotHubdState *self)
{
  return self->dir;
}

const char *
openiot_hubd_state_get_id (OpenIotHubdState *self)
{
  return self->id;
}

const char *
openiot_hubd_state_get_name (OpenIotHubdState *self)
{
  return self->name;
}

const char *
openiot_hubd_state_get_fingerprint (OpenIotHubdState *self)
{
  return self->fingerprint;
}

const char *
openiot_hubd_state_get_certificate_pem (OpenIotHubdState *self)
{
  return self->certificate_pem;
}

GTlsCertificate *
openiot_hubd_state_get_tls_certificate (OpenIotHubdState *self)
{
  return self->tls_certificate;
}

const char *
openiot_hubd_state_get_rotation_previous (OpenIotHubdState *self)
{
  return self->rotation_previous;
}

static void
openiot_hubd_state_finalize (GObject *object)
{
  OpenIotHubdState *self = OPENIOT_HUBD_STATE (object);

  g_free (self->dir);
  g_free (self->id);
  g_free (self->name);
  if (self->key_pem != NULL)
    memset (self->key_pem, 0, strlen (self->key_pem));
  g_free (self->key_pem);
  g_free (self->certificate_pem);
  g_free (self->fingerprint);
  g_clear_object (&self->tls_certificate);
  g_free (self->rotation_previous);
  g_free (self->rotation_signature);

  G_OBJECT_CLASS (openiot_hubd_state_parent_class)->finalize (object);
}

static void
openiot_hubd_state_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  OpenIotHubdState *self = OPENIOT_HUBD_STATE (object);

  switch (prop_id)
    {
    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_hubd_state_class_init (OpenIotHubdStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = openiot_hubd_state_finalize;
  object_class->get_property = openiot_hubd_state_get_property;

  /* Notified when a rotation replaced the certificate the server presents. */
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_hubd_state_init (OpenIotHubdState *self)
{
}
