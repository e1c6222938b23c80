// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-pin-database"

#include "config.h"

#include "openiot-pin-database-private.h"

/*
 * A GTlsDatabase that trusts no certificate authority and knows no
 * certificate: every chain it is asked about is G_TLS_CERTIFICATE_UNKNOWN_CA.
 *
 * Hubs are authenticated by their pinned certificate, in the
 * accept-certificate handlers of each request, never by a CA. GIO emits
 * accept-certificate only for a certificate with errors; with this
 * database there always is one, so every handshake meets the pin check —
 * whatever a CA may have signed, and whatever GIO makes of the server
 * identity (our GSocketConnectable is no host name). Unlike a NULL
 * database (which libsoup 3.2 applies only after GIO made the connection
 * with the default one, and which makes GIO warn about that identity),
 * it also spares loading the system CA bundle: see
 * openiot_hub_connection_trust_pins_only().
 */
struct _OpenIotPinDatabase
{
  GTlsDatabase parent_instance;
};

G_DEFINE_FINAL_TYPE (OpenIotPinDatabase, _openiot_pin_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
openiot_pin_database_verify_chain (GTlsDatabase             *database,
                                   GTlsCertificate          *chain,
                                   const char               *purpose,
                                   GSocketConnectable       *identity,
                                   GTlsInteraction          *interaction,
                                   GTlsDatabaseVerifyFlags   flags,
                                   GCancellable             *cancellable,
                                   GError                  **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return G_TLS_CERTIFICATE_GENERIC_ERROR;

  return G_TLS_CERTIFICATE_UNKNOWN_CA;
}

static char *
openiot_pin_database_create_certificate_handle (GTlsDatabase    *database,
                                                GTlsCertificate *certificate)
{
  return NULL;
}

static GTlsCertificate *
openiot_pin_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                    const char               *handle,
                                                    GTlsInteraction          *interaction,
                                                    GTlsDatabaseLookupFlags   flags,
                                                    GCancellable             *cancellable,
                                                    GError                  **error)
{
  return NULL;
}

static GTlsCertificate *
openiot_pin_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                                GTlsCertificate          *certificate,
                                                GTlsInteraction          *interaction,
                                                GTlsDatabaseLookupFlags   flags,
                                                GCancellable             *cancellable,
                                                GError                  **error)
{
  return NULL;
}

static GList *
openiot_pin_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                    GByteArray               *issuer_raw_dn,
                                                    GTlsInteraction          *interaction,
                                                    GTlsDatabaseLookupFlags   flags,
                                                    GCancellable             *cancellable,
                                                    GError                  **error)
{
  return NULL;
}

static void
_openiot_pin_database_class_init (OpenIotPinDatabaseClass *klass)
{
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  database_class->verify_chain = openiot_pin_database_verify_chain;
  database_class->create_certificate_handle = openiot_pin_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle =
    openiot_pin_database_lookup_certificate_for_handle;
  database_class->lookup_certificate_issuer = openiot_pin_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by =
    openiot_pin_database_lookup_certificates_issued_by;
}

static void
_openiot_pin_database_init (OpenIotPinDatabase *self)
{
}

static int process_default;

/*
 * _openiot_pin_database_set_process_default:
 *
 * Asks for the pin-only database to be the process's default TLS
 * database too, from when the next hub session is made.
 */
void
_openiot_pin_database_set_process_default (void)
{
  g_atomic_int_set (&process_default, TRUE);
}

/*
 * _openiot_pin_database_get_default:
 *
 * Hub sessions ask for the database as they are made. That is also when
 * it becomes the process default, if asked: before the session's first
 * connection, and only in a process that makes one (loading GIO's TLS
 * backend for the default costs ~3 ms, which `openiot hubs` need not pay).
 *
 * Returns: (transfer none): the one pin-only database of this process
 */
GTlsDatabase *
_openiot_pin_database_get_default (void)
{
  static GTlsDatabase *database;

  if (g_once_init_enter (&database))
    g_once_init_leave (&database, g_object_new (OPENIOT_TYPE_PIN_DATABASE, NULL));

  if (g_atomic_int_get (&process_default))
    g_tls_backend_set_default_database (g_tls_backend_get_default (), database);
  return database;
}
