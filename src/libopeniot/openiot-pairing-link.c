// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-pairing-link"

#include "config.h"

#include <string.h>
#include <gio/gio.h>

#include "openiot-error.h"
#include "openiot-fingerprint.h"
#include "openiot-protocol-private.h"

#include "openiot-pairing-link.h"

#define MAX_LINK_LENGTH 2048
#define MAX_NAME_BYTES 64

struct _OpenIotPairingLink
{
  gatomicrefcount  ref_count;
  char            *host;
  guint16          pairing_port;
  guint16          port;
  char            *code;
  char            *fingerprint;
  char            *name;
  GStrv            addresses; /* host first */
};

G_DEFINE_BOXED_TYPE (OpenIotPairingLink, openiot_pairing_link, openiot_pairing_link_ref, openiot_pairing_link_unref)

static OpenIotPairingLink *
link_new (void)
{
  OpenIotPairingLink *self = g_new0 (OpenIotPairingLink, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

static GStrv
collect_addresses (const char         *host,
                   const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_strv_builder_add (builder, host);
  g_hash_table_add (seen, (gpointer) host);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      if (g_hash_table_add (seen, (gpointer) extra[i]))
        g_strv_builder_add (builder, extra[i]);
    }

  return g_strv_builder_end (builder);
}

/**
 * openiot_pairing_link_new:
 * @extra_addresses: (nullable) (array zero-terminated=1): further addresses
 *   of the hub, tried after @host
 *
 * Returns: (transfer full): a new link
 */
OpenIotPairingLink *
openiot_pairing_link_new (const char         *host,
                          guint16             pairing_port,
                          guint16             port,
                          const char         *code,
                          const char         *fingerprint,
                          const char         *name,
                          const char * const *extra_addresses)
{
  OpenIotPairingLink *self;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (_openiot_pairing_code_is_valid (code), NULL);

  self = link_new ();
  self->host = g_strdup (host);
  self->pairing_port = pairing_port;
  self->port = port;
  self->code = g_strdup (code);
  self->fingerprint = g_strdup (fingerprint);
  self->name = g_strdup (name);
  self->addresses = collect_addresses (host, extra_addresses);
  return self;
}

OpenIotPairingLink *
openiot_pairing_link_ref (OpenIotPairingLink *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
openiot_pairing_link_unref (OpenIotPairingLink *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->host);
  if (self->code != NULL)
    memset (self->code, 0, strlen (self->code));
  g_free (self->code);
  g_free (self->fingerprint);
  g_free (self->name);
  g_strfreev (self->addresses);
  g_free (self);
}

static gboolean
invalid (GError     **error,
         const char  *message)
{
  g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA, message);
  return FALSE;
}

static gboolean
is_ip_literal (const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *bare = g_strdup (address);
  char *zone = strchr (bare, '%');

  if (zone != NULL)
    *zone = '\0';
  inet = g_inet_address_new_from_string (bare);
  return inet != NULL && (zone == NULL || g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6);
}

static gboolean
parse_port (const char *text,
            guint16    *port)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;
  *port = value;
  return TRUE;
}

static gboolean
set_once (char       **field,
          const char  *value,
          GError     **error)
{
  if (*field != NULL)
    return invalid (error, "The pairing link repeats a parameter");
  *field = g_strdup (value);
  return TRUE;
}

/**
 * openiot_pairing_link_parse:
 * @uri: an `openiot://` link
 *
 * Parses a pairing link strictly: anything unexpected is refused rather
 * than guessed at, since the link decides whom the device trusts.
 *
 * Returns: (transfer full): the link, or %NULL with
 *   %OPENIOT_ERROR_INVALID_DATA
 */
OpenIotPairingLink *
openiot_pairing_link_parse (const char  *uri,
                            GError     **error)
{
  g_autoptr(OpenIotPairingLink) self = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GStrvBuilder) extra = g_strv_builder_new ();
  g_auto(GStrv) extra_addresses = NULL;
  g_autofree char *port_text = NULL;
  GUriParamsIter iter;
  char *key, *value;
  const char *host;

  if (uri == NULL || strlen (uri) > MAX_LINK_LENGTH)
    return invalid (error, "The pairing link is missing or too long"), NULL;

  if (!(parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS, NULL)))
    return invalid (error, "This is not a valid pairing link"), NULL;

  if (g_strcmp0 (g_uri_get_scheme (parsed), "openiot") != 0)
    return invalid (error, "A pairing link starts with openiot://"), NULL;
  if (g_uri_get_userinfo (parsed) != NULL || g_uri_get_fragment (parsed) != NULL)
    return invalid (error, "The pairing link has unexpected parts"), NULL;
  if (g_strcmp0 (g_uri_get_path (parsed), "") != 0 && g_strcmp0 (g_uri_get_path (parsed), "/") != 0)
    return invalid (error, "The pairing link has an unexpected path"), NULL;

  host = g_uri_get_host (parsed);
  if (host == NULL || *host == '\0')
    return invalid (error, "The pairing link names no hub address"), NULL;
  if (g_uri_get_port (parsed) <= 0 || g_uri_get_port (parsed) > 65535)
    return invalid (error, "The pairing link has no valid port"), NULL;

  self = link_new ();
  self->host = g_strdup (host);
  self->pairing_port = g_uri_get_port (parsed);

  if (g_uri_get_query (parsed) == NULL)
    return invalid (error, "The pairing link has no code"), NULL;

  g_uri_params_iter_init (&iter, g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE);
  while (g_uri_params_iter_next (&iter, &key, &value, NULL))
    {
      g_autofree char *k = key;
      g_autofree char *v = value;
      gboolean ok = TRUE;

      if (g_str_equal (k, "code"))
        ok = set_once (&self->code, v, error);
      else if (g_str_equal (k, "fp"))
        ok = set_once (&self->fingerprint, v, error);
      else if (g_str_equal (k, "name"))
        ok = set_once (&self->name, v, error);
      else if (g_str_equal (k, "port"))
        ok = set_once (&port_text, v, error);
      else if (g_str_equal (k, "addr"))
        {
          if (!is_ip_literal (v))
            ok = invalid (error, "The pairing link has an invalid address");
          else
            g_strv_builder_add (extra, v);
        }

      if (!ok)
        return NULL;
    }

  if (!_openiot_pairing_code_is_valid (self->code))
    return invalid (error, self->code ? "The pairing link's code must be 8 digits" : "The pairing link has no code"), NULL;
  if (self->fingerprint != NULL && !openiot_fingerprint_is_valid (self->fingerprint))
    return invalid (error, "The pairing link's fingerprint is malformed"), NULL;
  if (self->name != NULL && (strlen (self->name) > MAX_NAME_BYTES || !g_utf8_validate (self->name, -1, NULL)))
    return invalid (error, "The pairing link's hub name is invalid"), NULL;
  if (port_text != NULL && !parse_port (port_text, &self->port))
    return invalid (error, "The pairing link's port is invalid"), NULL;
  if (port_text == NULL)
    self->port = self->pairing_port > 1 ? self->pairing_port - 1 : 0;

  extra_addresses = g_strv_builder_end (extra);
  self->addresses = collect_addresses (self->host, (const char * const *) extra_addresses);
  return g_steal_pointer (&self);
}

/**
 * openiot_pairing_link_to_string:
 *
 * Returns: (transfer full): the canonical `openiot://` form
 */
char *
openiot_pairing_link_to_string (OpenIotPairingLink *self)
{
  g_autoptr(GString) out = g_string_new ("openiot://");
  g_autofree char *host = NULL;

  if (strchr (self->host, ':') != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->host, ":", FALSE);

      g_string_append_printf (out, "[%s]", escaped);
    }
  else
    g_string_append (out, self->host);

  g_string_append_printf (out, ":%u/?code=%s", self->pairing_port, self->code);
  if (self->fingerprint != NULL)
    g_string_append_printf (out, "&fp=%s", self->fingerprint);
  if (self->name != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->name, NULL, FALSE);

      g_string_append_printf (out, "&name=%s", escaped);
    }
  g_string_append_printf (out, "&port=%u", self->port);
  for (guint i = 1; self->addresses[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (self->addresses[i], ":", FALSE);

      g_string_append_printf (out, "&addr=%s", escaped);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
openiot_pairing_link_get_host (OpenIotPairingLink *self)
{
  return self->host;
}

guint16
openiot_pairing_link_get_pairing_port (OpenIotPairingLink *self)
{
  return self->pairing_port;
}

guint16
openiot_pairing_link_get_port (OpenIotPairingLink *self)
{
  return self->port;
}

const char *
openiot_pairing_link_get_code (OpenIotPairingLink *self)
{
  return self->code;
}

const char *
openiot_pairing_link_get_fingerprint (OpenIotPairingLink *self)
{
  return self->fingerprint;
}

const char *
openiot_pairing_link_get_name (OpenIotPairingLink *self)
{
  return self->name;
}

/**
 * openiot_pairing_link_get_addresses:
 *
 * Returns: (transfer none) (array zero-terminated=1): the host, then the
 *   further addresses, without duplicates
 */
const char * const *
openiot_pairing_link_get_addresses (OpenIotPairingLink *self)
{
  return (const char * const *) self->addresses;
}
