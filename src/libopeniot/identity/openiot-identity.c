// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-identity"

#include "config.h"

#include <string.h>

#include "openiot-certificate-private.h"
#include "openiot-error.h"
#include "openiot-fingerprint.h"
#include "openiot-gnutls-private.h"
#include "openiot-identity-file-store-private.h"
#include "openiot-identity-private.h"
#include "openiot-identity-secret-store-private.h"
#include "openiot-protocol-private.h"

#include "openiot-identity.h"

/**
 * OpenIotIdentity:
 *
 * This device's key pair and self-signed client certificate (ECDSA P-256,
 * the device name as common name, valid for ten years), as presented to
 * hubs.
 *
 * [type_func@OpenIot.Identity.load_async] creates the identity on first
 * use and loads the same one afterwards; its fingerprint is what hubs
 * register, so it must stay stable. Where the private key lives is described in
 * docs/keystore.md: in the Secret Service by default, or, only when asked
 * for explicitly, in a private directory for headless devices. There is no
 * silent fallback from one to the other.
 *
 * The identity is immutable and may be shared between threads.
 */

struct _OpenIotIdentity
{
  GObject          parent_instance;

  char            *name;
  char            *certificate_pem;
  char            *fingerprint;
  GTlsCertificate *tls_certificate;
};

G_DEFINE_FINAL_TYPE (OpenIotIdentity, openiot_identity, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CERTIFICATE_PEM,
  PROP_FINGERPRINT,
  PROP_TLS_CERTIFICATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_openiot_key_pem_free (OpenIotKeyPem *pem)
{
  if (pem == NULL)
    return;

  explicit_bzero (pem, strlen (pem));
  g_free (pem);
}

/* Whether @key_pem is the private key of @certificate_pem. A mismatch
 * would only show up as failing TLS handshakes, far from its cause. */
static gboolean
check_key_matches (const char  *certificate_pem,
                   const char  *key_pem,
                   GError     **error)
{
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_auto(gnutls_x509_privkey_t) key = NULL;
  gnutls_datum_t in;
  guchar crt_id[64];
  guchar key_id[64];
  size_t crt_id_size = sizeof crt_id;
  size_t key_id_size = sizeof key_id;

  in.data = (unsigned char *) certificate_pem;
  in.size = strlen (certificate_pem);
  if (gnutls_x509_crt_init (&crt) < 0 ||
      gnutls_x509_crt_import (crt, &in, GNUTLS_X509_FMT_PEM) < 0 ||
      gnutls_x509_crt_get_key_id (crt, 0, crt_id, &crt_id_size) < 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The stored certificate is malformed");
      return FALSE;
    }

  in.data = (unsigned char *) key_pem;
  in.size = strlen (key_pem);
  if (gnutls_x509_privkey_init (&key) < 0 ||
      gnutls_x509_privkey_import2 (key, &in, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 ||
      gnutls_x509_privkey_get_key_id (key, 0, key_id, &key_id_size) < 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The stored private key is malformed");
      return FALSE;
    }

  if (crt_id_size != key_id_size || memcmp (crt_id, key_id, crt_id_size) != 0)
    {
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                           "The stored private key does not belong to the stored certificate");
      return FALSE;
    }

  return TRUE;
}

OpenIotIdentity *
_openiot_identity_new (const char  *certificate_pem,
                       const char  *key_pem,
                       GError     **error)
{
  g_autoptr(OpenIotIdentity) self = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(OpenIotKeyPem) both = NULL;

  if (!(der = _openiot_certificate_pem_to_der (certificate_pem, error)) ||
      !check_key_matches (certificate_pem, key_pem, error))
    return NULL;

  self = g_object_new (OPENIOT_TYPE_IDENTITY, NULL);
  self->certificate_pem = g_strdup (certificate_pem);
  self->fingerprint = openiot_fingerprint_from_der (der);
  self->name = _openiot_certificate_common_name (certificate_pem);
  if (self->name == NULL)
    self->name = g_strdup ("");

  both = g_strconcat (certificate_pem, "\n", key_pem, NULL);
  if (!(self->tls_certificate = g_tls_certificate_new_from_pem (both, -1, error)))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * openiot_identity_load_async:
 * @store_dir: (nullable) (type filename): a directory for an explicit file
 *   keystore, or %NULL for the Secret Service
 * @device_name: the device's name, the certificate's common name when the
 *   identity is created (1 to 64 bytes of UTF-8)
 * @cancellable: (nullable): a cancellable
 * @callback: called when the identity is ready
 * @user_data: data for @callback
 *
 * Loads this device's identity, creating it on first use.
 *
 * With @store_dir %NULL the private key is kept in the Secret Service
 * (gnome-keyring, KWallet, KeePassXC…), unlocking the default collection
 * (which may prompt) when it is locked. Without a Secret Service this
 * fails with %OPENIOT_ERROR_KEYRING; nothing is ever written to a file
 * instead.
 *
 * With @store_dir, the key is kept in `key.pem` (mode 0600) and the
 * certificate in `cert.pem` inside that directory (mode 0700, created if
 * missing). A key file or directory that other users may access is refused
 * with %OPENIOT_ERROR_KEYRING rather than used or repaired.
 *
 * An existing identity keeps the name it was created with: the fingerprint
 * registered with hubs must not change when the device is renamed.
 */
void
openiot_identity_load_async (const char          *store_dir,
                             const char          *device_name,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (device_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, openiot_identity_load_async);

  if (!_openiot_device_name_check (device_name, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (store_dir != NULL)
    {
      if (*store_dir == '\0')
        {
          g_task_return_new_error (task, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                                   "The keystore directory name is empty");
          return;
        }
      _openiot_identity_file_store_load (task, store_dir, device_name);
      return;
    }

  _openiot_identity_secret_store_load (task, device_name);
}

/**
 * openiot_identity_load_finish:
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full): the identity, or %NULL with
 *   %OPENIOT_ERROR_KEYRING (no Secret Service, a locked keyring, a keystore
 *   others may read), %OPENIOT_ERROR_INVALID_DATA (a damaged keystore, a bad
 *   device name), a %G_IO_ERROR, or %G_IO_ERROR_CANCELLED
 */
OpenIotIdentity *
openiot_identity_load_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == openiot_identity_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * openiot_identity_get_name:
 * @self: an identity
 *
 * Returns: the certificate's common name, the device name given when the
 *   identity was created
 */
const char *
openiot_identity_get_name (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->name;
}

/**
 * openiot_identity_get_certificate_pem:
 * @self: an identity
 *
 * Returns: the client certificate in PEM, as sent when pairing
 */
const char *
openiot_identity_get_certificate_pem (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->certificate_pem;
}

/**
 * openiot_identity_get_fingerprint:
 * @self: an identity
 *
 * Returns: the certificate's fingerprint (`sha256:…`), by which hubs know
 *   this device
 */
const char *
openiot_identity_get_fingerprint (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->fingerprint;
}

/**
 * openiot_identity_get_tls_certificate:
 * @self: an identity
 *
 * The certificate together with its private key, for
 * `soup_message_set_tls_client_certificate()`.
 *
 * Returns: (transfer none): the certificate and key
 */
GTlsCertificate *
openiot_identity_get_tls_certificate (OpenIotIdentity *self)
{
  g_return_val_if_fail (OPENIOT_IS_IDENTITY (self), NULL);

  return self->tls_certificate;
}

static void
openiot_identity_finalize (GObject *object)
{
  OpenIotIdentity *self = (OpenIotIdentity *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->certificate_pem, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (openiot_identity_parent_class)->finalize (object);
}

static void
openiot_identity_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OpenIotIdentity *self = OPENIOT_IDENTITY (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_CERTIFICATE_PEM:
      g_value_set_string (value, self->certificate_pem);
      break;

    case PROP_FINGERPRINT:
      g_value_set_string (value, self->fingerprint);
      break;

    case PROP_TLS_CERTIFICATE:
      g_value_set_object (value, self->tls_certificate);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
openiot_identity_class_init (OpenIotIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = openiot_identity_finalize;
  object_class->get_property = openiot_identity_get_property;

  /**
   * OpenIotIdentity:name: (getter get_name)
   *
   * The certificate's common name.
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotIdentity:certificate-pem: (getter get_certificate_pem)
   *
   * The client certificate in PEM.
   */
  properties[PROP_CERTIFICATE_PEM] =
    g_param_spec_string ("certificate-pem", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotIdentity:fingerprint: (getter get_fingerprint)
   *
   * The certificate's fingerprint.
   */
  properties[PROP_FINGERPRINT] =
    g_param_spec_string ("fingerprint", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /**
   * OpenIotIdentity:tls-certificate: (getter get_tls_certificate)
   *
   * The certificate with its private key.
   */
  properties[PROP_TLS_CERTIFICATE] =
    g_param_spec_object ("tls-certificate", NULL, NULL,
                         G_TYPE_TLS_CERTIFICATE,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
openiot_identity_init (OpenIotIdentity *self)
{
}
