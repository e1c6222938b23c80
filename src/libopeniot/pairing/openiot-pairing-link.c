// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-pairing-link"

#include "config.h"

#include <string.h>
#include <net/if.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-fingerprint.h"
#include "openiot-pairing-code.h"
#include "openiot-protocol-private.h"

#include "openiot-pairing-link.h"

#define LINK_SCHEME "openiot"

/* Interface names (the zone of a link-local address) are this short on
 * Linux and the BSDs; anything longer cannot name a real interface. */
#define MAX_ZONE_LENGTH (IF_NAMESIZE - 1)

/**
 * OpenIotPairingLink:
 *
 * An `openiot://` pairing link (docs/protocol.md, "Pairing link"):
 *
 * ```
 * openiot://[2001:db8::10]:8444/?code=12345678&fp=sha256:…&name=Home%20Hub&port=8443&addr=fd00::10
 * ```
 *
 * It says where to pair (the host and the pairing port), with which
 * one-time code, and optionally the hub's fingerprint to check the hub
 * against, its name, its main port and further addresses to try.
 *
 * A link is as secret as its code. It is immutable and reference counted.
 */
struct _OpenIotPairingLink
{
  gatomicrefcount  ref_count;
  char            *host;
  guint16          pairing_port;
  guint16          port;
  char            *code;
  char            *fingerprint;
  char            *name;
  GStrv            addresses; /* the host first */
};

G_DEFINE_BOXED_TYPE (OpenIotPairingLink, openiot_pairing_link, openiot_pairing_link_ref,
                     openiot_pairing_link_unref)

static gboolean
is_zone (const char *zone)
{
  gsize len = strlen (zone);

  if (len == 0 || len > MAX_ZONE_LENGTH)
    return FALSE;

  /* RFC 6874 allows only unreserved characters in a zone; they are also
   * the only ones that survive a round trip through a link unescaped. */
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (zone[i]) && strchr ("-._~", zone[i]) == NULL)
        return FALSE;
    }

  return TRUE;
}

/* The canonical text of an IP literal ("2001:DB8::0010" becomes
 * "2001:db8::10"), so equal addresses compare equal; a zone is kept, and
 * only allowed on an IPv6 link-local address, the only kind it qualifies.
 * Returns NULL if @text is not an IP literal. */
static char *
canonical_ip_literal (const char *text)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autofree char *bare = g_strdup (text);
  g_autofree char *canonical = NULL;
  char *zone = strchr (bare, '%');

  if (zone != NULL)
    *zone++ = '\0';

  if (!(inet = g_inet_address_new_from_string (bare)))
    return NULL;

  canonical = g_inet_address_to_string (inet);
  if (zone == NULL)
    return g_steal_pointer (&canonical);

  if (g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6 ||
      !g_inet_address_get_is_link_local (inet) ||
      !is_zone (zone))
    return NULL;

  return g_strconcat (canonical, "%", zone, NULL);
}

/* An IP literal in canonical form, or a DNS name in lowercase (DNS is
 * case-insensitive); NULL for anything else. */
static char *
canonical_host (const char *host)
{
  char *canonical;

  if ((canonical = canonical_ip_literal (host)) != NULL)
    return canonical;

  if (strchr (host, ':') == NULL && _openiot_host_name_is_valid (host))
    return g_ascii_strdown (host, -1);

  return NULL;
}

/* The name a link carries is only a hint for display (pairing returns the
 * hub's real name), so a name a link cannot carry is made to fit rather
 * than refused: control characters become spaces, and it is cut at a
 * character boundary. */
static char *
fit_name (const char *name)
{
  g_autoptr(GString) fitted = NULL;

  if (name == NULL)
    return NULL;

  fitted = g_string_new (NULL);
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gsize c_len = g_utf8_next_char (p) - p;

      if (fitted->len + c_len > OPENIOT_PAIRING_LINK_MAX_NAME_LENGTH)
        break;

      if (g_unichar_iscntrl (c))
        g_string_append_c (fitted, ' ');
      else
        g_string_append_len (fitted, p, c_len);
    }

  if (fitted->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&fitted), FALSE);
}

static gboolean
name_has_control_characters (const char *name)
{
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
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

static OpenIotPairingLink *
link_new (void)
{
  OpenIotPairingLink *self = g_new0 (OpenIotPairingLink, 1);

  g_atomic_ref_count_init (&self->ref_count);
  return self;
}

/**
 * openiot_pairing_link_new:
 * @host: where to pair: an IP address (IPv6 without brackets, with an
 *   optional `%zone` for a link-local one) or a DNS name
 * @pairing_port: the hub's pairing port
 * @port: the hub's main port, or 0 for @pairing_port − 1 (which leaves it
 *   0, unknown, for pairing port 1)
 * @code: the pairing code, 8 digits
 * @fingerprint: (nullable): the hub's fingerprint, `sha256:` and 64
 *   lowercase hexadecimal digits
 * @name: (nullable): the hub's name, for display
 * @extra_addresses: (nullable) (array zero-terminated=1): further IP
 *   addresses of the hub, tried after @host
 *
 * Makes a link, as a hub does to hand it to people, or as a client does
 * from an address and a code typed in.
 *
 * IP addresses are stored in canonical form, and repeated ones dropped.
 * @name is only a hint: control characters in it become spaces and it is
 * cut to [const@OpenIot.PAIRING_LINK_MAX_NAME_LENGTH] bytes, so that the
 * link survives [method@OpenIot.PairingLink.to_string] and
 * [func@OpenIot.PairingLink.parse].
 *
 * A @host that is neither an IP address nor a DNS name is kept as given,
 * so that what a person typed fails where it is used, with a network
 * error, rather than here; such a link, like one with pairing port 1 and
 * no main port, does not parse back.
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
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  OpenIotPairingLink *self;
  char *canonical;

  g_return_val_if_fail (host != NULL && *host != '\0', NULL);
  g_return_val_if_fail (pairing_port != 0, NULL);
  g_return_val_if_fail (_openiot_pairing_code_is_valid (code), NULL);
  g_return_val_if_fail (fingerprint == NULL || openiot_fingerprint_is_valid (fingerprint), NULL);
  g_return_val_if_fail (name == NULL || g_utf8_validate (name, -1, NULL), NULL);

  for (guint i = 0; extra_addresses != NULL && extra_addresses[i] != NULL; i++)
    {
      canonical = canonical_ip_literal (extra_addresses[i]);
      g_return_val_if_fail (canonical != NULL, NULL);
      g_ptr_array_add (extra, canonical);
    }
  g_ptr_array_add (extra, NULL);

  self = link_new ();
  self->host = canonical_host (host);
  if (self->host == NULL)
    self->host = g_strdup (host);
  self->pairing_port = pairing_port;
  self->port = port != 0 ? port : pairing_port - 1;
  self->code = g_strdup (code);
  self->fingerprint = g_strdup (fingerprint);
  self->name = fit_name (name);
  self->addresses = collect_addresses (self->host, (const char * const *) extra->pdata);

  return self;
}

/**
 * openiot_pairing_link_ref:
 * @self: a #OpenIotPairingLink
 *
 * Returns: (transfer full): @self
 */
OpenIotPairingLink *
openiot_pairing_link_ref (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * openiot_pairing_link_unref:
 * @self: (transfer full): a #OpenIotPairingLink
 *
 * Drops a reference; the last one frees the link and wipes its code.
 */
void
openiot_pairing_link_unref (OpenIotPairingLink *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->host);
  /* The code is a one-time secret: do not leave it in freed memory. */
  if (self->code != NULL)
    memset (self->code, 0, strlen (self->code));
  g_free (self->code);
  g_free (self->fingerprint);
  g_free (self->name);
  g_strfreev (self->addresses);
  g_free (self);
}

static gpointer
invalid (GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gpointer
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error,
                     g_error_new_valist (OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA, format, args));
  va_end (args);

  return NULL;
}

/* Values from a link can hold anything percent-encoded; quote them in
 * messages without letting control characters reach a terminal. */
static char *
quote (const char *value)
{
  return g_strescape (value, NULL);
}

static gboolean
is_link_text (const char *uri)
{
  /* RFC 3986: a URI is printable ASCII without spaces. GUri would quietly
   * percent-encode spaces and the like; a link with them was mangled on
   * its way, so it is refused rather than repaired. */
  for (const guchar *p = (const guchar *) uri; *p != '\0'; p++)
    {
      if (*p <= ' ' || *p >= 0x7f)
        return FALSE;
    }

  return TRUE;
}

/* GUri's own messages speak of URIs; say what is wrong with the link. */
static OpenIotPairingLink *
invalid_uri (const GError  *uri_error,
             GError       **error)
{
  if (g_error_matches (uri_error, G_URI_ERROR, G_URI_ERROR_BAD_SCHEME))
    return invalid (error, "This is not a pairing link: it must start with “openiot://”");
  if (g_error_matches (uri_error, G_URI_ERROR, G_URI_ERROR_BAD_PORT))
    return invalid (error, "The pairing link's port must be a number from 1 to 65535");
  if (g_error_matches (uri_error, G_URI_ERROR, G_URI_ERROR_BAD_HOST))
    return invalid (error, "The pairing link's hub address is not a valid IP address or host name");

  return invalid (error, "The pairing link is damaged (%s); copy it again from the hub",
                  uri_error->message);
}

/* Rejects a second code, fingerprint, name or port: which of two values a
 * hostile link meant would be a guess. */
static gboolean
take_once (char       **field,
           char       **value,
           const char  *what,
           GError     **error)
{
  if (*field != NULL)
    {
      invalid (error, "The pairing link gives more than one %s", what);
      return FALSE;
    }

  *field = g_steal_pointer (value);
  return TRUE;
}

/**
 * openiot_pairing_link_parse:
 * @uri: an `openiot://` link, as a hub shows it
 * @error: return location for a #GError
 *
 * Parses a pairing link strictly: anything unexpected is refused rather
 * than guessed at, since the link decides which hub a device pairs with.
 *
 * The host must be an IPv6 address in brackets (a link-local one may carry
 * a zone, written `%25eth0`), an IPv4 address or a DNS name, and the port,
 * the pairing port, is required. In the query, `code` is required; `fp`,
 * `name` and `port` are optional but appear at most once and must be
 * valid; `addr` may repeat, each an IP address. Unknown parameters are
 * ignored, so that later hubs can add some.
 *
 * Returns: (transfer full): the link, or %NULL with
 *   %OPENIOT_ERROR_INVALID_DATA and a message that says what is wrong
 */
OpenIotPairingLink *
openiot_pairing_link_parse (const char  *uri,
                            GError     **error)
{
  g_autoptr(OpenIotPairingLink) self = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *port_text = NULL;
  GUriParamsIter iter;
  char *key, *value;
  const char *host, *path, *query;
  gsize length;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  length = strlen (uri);
  if (length == 0)
    return invalid (error, "The pairing link is empty");
  if (length > OPENIOT_PAIRING_LINK_MAX_LENGTH)
    return invalid (error, "The pairing link is longer than %d characters, so no hub made it",
                    OPENIOT_PAIRING_LINK_MAX_LENGTH);
  if (!is_link_text (uri))
    return invalid (error, "The pairing link contains spaces or characters a link cannot hold; "
                           "copy it again from the hub");

  /* Said before GUri has a go, which would only call most mistakes "not
   * absolute"; schemes are case-insensitive (RFC 3986). */
  if (!openiot_pairing_link_looks_like (uri))
    return invalid (error, "This is not a pairing link: it must start with “openiot://”");

  /* ENCODED_QUERY: the query is split on "&" before it is decoded, so a
   * "%26" in a name stays in the name. NON_DNS: the host is checked below,
   * without GUri's IDN conversions. */
  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS, &local_error);
  if (parsed == NULL)
    return invalid_uri (local_error, error);

  /* No host at all means no "//" after the scheme either */
  if (!g_str_equal (g_uri_get_scheme (parsed), LINK_SCHEME) || g_uri_get_host (parsed) == NULL)
    return invalid (error, "This is not a pairing link: it must start with “openiot://”");
  if (g_uri_get_userinfo (parsed) != NULL)
    return invalid (error,
                    "The pairing link must not contain a user name (“…@”) before the hub "
                    "address");
  if (g_uri_get_fragment (parsed) != NULL)
    return invalid (error, "The pairing link must not end with a “#…” part");

  path = g_uri_get_path (parsed);
  if (!g_str_equal (path, "") && !g_str_equal (path, "/"))
    return invalid (error,
                    "The pairing link has a path after the port; a hub's link continues with "
                    "“/?code=”");

  host = g_uri_get_host (parsed);
  if (*host == '\0')
    return invalid (error, "The pairing link names no hub address");

  self = link_new ();
  if (!(self->host = canonical_host (host)))
    {
      g_autofree char *quoted = quote (host);

      return invalid (error,
                      "The pairing link's hub address “%s” is not an IP address or host name",
                      quoted);
    }

  if (g_uri_get_port (parsed) == -1)
    return invalid (error,
                    "The pairing link has no port; it must look like "
                    "“openiot://ADDRESS:PORT/?code=…”");
  if (g_uri_get_port (parsed) < 1 || g_uri_get_port (parsed) > G_MAXUINT16)
    return invalid (error, "The pairing link's port must be a number from 1 to 65535");
  self->pairing_port = g_uri_get_port (parsed);

  if ((query = g_uri_get_query (parsed)) == NULL)
    return invalid (error, "The pairing link has no code");

  g_uri_params_iter_init (&iter, query, -1, "&", G_URI_PARAMS_NONE);
  while (g_uri_params_iter_next (&iter, &key, &value, &local_error))
    {
      g_autofree char *k = key;
      g_autofree char *v = value;
      gboolean ok = TRUE;

      if (g_str_equal (k, "code"))
        ok = take_once (&self->code, &v, "code", error);
      else if (g_str_equal (k, "fp"))
        ok = take_once (&self->fingerprint, &v, "fingerprint (fp)", error);
      else if (g_str_equal (k, "name"))
        ok = take_once (&self->name, &v, "hub name", error);
      else if (g_str_equal (k, "port"))
        ok = take_once (&port_text, &v, "main port", error);
      else if (g_str_equal (k, "addr"))
        {
          char *address = canonical_ip_literal (v);

          if (address == NULL)
            {
              g_autofree char *quoted = quote (v);

              return invalid (error,
                              "The pairing link's further address “%s” is not an IP address",
                              quoted);
            }
          g_ptr_array_add (extra, address);
        }

      /* Anything else is from a later version of the protocol: ignored. */

      if (!ok)
        return NULL;
    }

  if (local_error != NULL)
    return invalid (error, "The pairing link is damaged (%s); copy it again from the hub",
                    local_error->message);

  if (self->code == NULL)
    return invalid (error, "The pairing link has no code");
  if (!_openiot_pairing_code_is_valid (self->code))
    return invalid (error, "The pairing link's code must be %d digits",
                    OPENIOT_PAIRING_CODE_DIGITS);

  if (self->fingerprint != NULL && !openiot_fingerprint_is_valid (self->fingerprint))
    return invalid (error, "The pairing link's fingerprint is malformed: it must be “sha256:” "
                           "and 64 lowercase hexadecimal digits");

  if (self->name != NULL)
    {
      if (*self->name == '\0')
        return invalid (error, "The pairing link's hub name is empty");
      if (!g_utf8_validate (self->name, -1, NULL))
        return invalid (error, "The pairing link's hub name is not valid UTF-8");
      if (strlen (self->name) > OPENIOT_PAIRING_LINK_MAX_NAME_LENGTH)
        return invalid (error, "The pairing link's hub name is longer than %d bytes",
                        OPENIOT_PAIRING_LINK_MAX_NAME_LENGTH);
      if (name_has_control_characters (self->name))
        return invalid (error, "The pairing link's hub name contains control characters");
    }

  if (port_text != NULL)
    {
      guint64 port;

      if (!g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &port, NULL))
        {
          g_autofree char *quoted = quote (port_text);

          return invalid (error,
                          "The pairing link's main port “%s” must be a number from 1 to 65535",
                          quoted);
        }
      self->port = port;
    }
  else if (self->pairing_port > 1)
    self->port = self->pairing_port - 1;
  else
    return invalid (error,
                    "The pairing link gives no main port, and its pairing port 1 leaves none to "
                    "assume");

  g_ptr_array_add (extra, NULL);
  self->addresses = collect_addresses (self->host, (const char * const *) extra->pdata);

  return g_steal_pointer (&self);
}

/**
 * openiot_pairing_link_to_string:
 * @self: a #OpenIotPairingLink
 *
 * The link in canonical form: an IPv6 host in brackets with its zone
 * written `%25`, then `code`, `fp`, `name` (percent-encoded), `port` and
 * each further address as `addr`. [func@OpenIot.PairingLink.parse] gives
 * back an equal link.
 *
 * Returns: (transfer full): the `openiot://` link
 */
char *
openiot_pairing_link_to_string (OpenIotPairingLink *self)
{
  g_autoptr(GString) query = g_string_new ("code=");

  g_return_val_if_fail (self != NULL, NULL);

  g_string_append (query, self->code);
  if (self->fingerprint != NULL)
    g_string_append_printf (query, "&fp=%s", self->fingerprint);
  if (self->name != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->name, NULL, FALSE);

      g_string_append_printf (query, "&name=%s", escaped);
    }
  /* 0 only for a link made with pairing port 1 and no main port */
  if (self->port != 0)
    g_string_append_printf (query, "&port=%u", self->port);
  for (guint i = 1; self->addresses[i] != NULL; i++)
    {
      g_autofree char *escaped = g_uri_escape_string (self->addresses[i], ":", FALSE);

      g_string_append_printf (query, "&addr=%s", escaped);
    }

  /* g_uri_join() brackets an IPv6 host and escapes its zone as "%25". */
  return g_uri_join (G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS,
                     LINK_SCHEME, NULL, self->host, self->pairing_port, "/", query->str, NULL);
}

/**
 * openiot_pairing_link_get_host:
 * @self: a #OpenIotPairingLink
 *
 * Returns: where to pair: an IP address (IPv6 without brackets, a zone
 *   after `%`) or a DNS name
 */
const char *
openiot_pairing_link_get_host (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host;
}

/**
 * openiot_pairing_link_get_pairing_port:
 * @self: a #OpenIotPairingLink
 *
 * Returns: the hub's TLS-SRP pairing port
 */
guint16
openiot_pairing_link_get_pairing_port (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pairing_port;
}

/**
 * openiot_pairing_link_get_port:
 * @self: a #OpenIotPairingLink
 *
 * Returns: the hub's main port: the link's `port`, else the pairing port
 *   − 1 (docs/protocol.md: the pairing port defaults to the main port + 1);
 *   0 only for a link made with pairing port 1 and no main port
 */
guint16
openiot_pairing_link_get_port (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

/**
 * openiot_pairing_link_get_code:
 * @self: a #OpenIotPairingLink
 *
 * Returns: the one-time pairing code, 8 digits
 */
const char *
openiot_pairing_link_get_code (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->code;
}

/**
 * openiot_pairing_link_get_fingerprint:
 * @self: a #OpenIotPairingLink
 *
 * Returns: (nullable): the fingerprint the hub must present, or %NULL if
 *   the link gives none
 */
const char *
openiot_pairing_link_get_fingerprint (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->fingerprint;
}

/**
 * openiot_pairing_link_get_name:
 * @self: a #OpenIotPairingLink
 *
 * The name the link gives the hub. Only a hint: pairing returns the name
 * the hub itself vouches for.
 *
 * Returns: (nullable): the hub's name, or %NULL
 */
const char *
openiot_pairing_link_get_name (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

/**
 * openiot_pairing_link_get_addresses:
 * @self: a #OpenIotPairingLink
 *
 * The addresses to try, in order: the host, then each `addr`, without
 * repeats.
 *
 * Returns: (transfer none) (array zero-terminated=1): the addresses
 */
const char * const *
openiot_pairing_link_get_addresses (OpenIotPairingLink *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char * const *) self->addresses;
}

/**
 * openiot_pairing_link_parse_address:
 * @address: "[fd00::10]:8444", "fd00::10", "192.0.2.10:8444", "hub.local"
 *   or "hub.local:8500", as people type a hub's address
 * @host: (out) (transfer full): the IP literal (an IPv6 zone kept) or the
 *   host name, in ASCII (IDN)
 * @pairing_port: (out): the port given, else %OPENIOT_PAIRING_DEFAULT_PORT
 *
 * An IPv6 address with a port goes in brackets; one without may go bare.
 *
 * Returns: %TRUE, or %FALSE with %OPENIOT_ERROR_INVALID_DATA
 */
gboolean
openiot_pairing_link_parse_address (const char  *address,
                                    char       **host_out,
                                    guint16     *pairing_port,
                                    GError     **error)
{
  g_autofree char *host = NULL;
  g_autofree char *ascii = NULL;
  guint64 port = OPENIOT_PAIRING_DEFAULT_PORT;
  const char *colon;

  g_return_val_if_fail (address != NULL, FALSE);

  if (address[0] == '[')
    {
      const char *end = strchr (address, ']');

      if (end == NULL || (end[1] != '\0' && (end[1] != ':' ||
          !g_ascii_string_to_unsigned (end + 2, 10, 1, 65535, &port, NULL))))
        goto invalid;
      host = g_strndup (address + 1, end - address - 1);
      if (!g_hostname_is_ip_address (host))
        goto invalid;
    }
  else if ((colon = strchr (address, ':')) != NULL && strchr (colon + 1, ':') == NULL)
    {
      if (!g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        goto invalid;
      host = g_strndup (address, colon - address);
    }
  else
    host = g_strdup (address);

  if (*host == '\0')
    goto invalid;

  if (!g_hostname_is_ip_address (host))
    {
      /* A name: letters, digits, dots and hyphens once in ASCII (IDN) */
      if (!(ascii = g_hostname_to_ascii (host)) || !_openiot_host_name_is_valid (ascii))
        goto invalid;
      g_free (host);
      host = g_steal_pointer (&ascii);
    }

  *host_out = g_steal_pointer (&host);
  *pairing_port = port;
  return TRUE;

invalid:
  invalid (error, _("“%s” is not an address: write it as HOST, HOST:PORT or [IPv6]:PORT."),
           address);
  return FALSE;
}

/**
 * openiot_pairing_link_new_from_address:
 * @address: a hub's address as people type it
 *   ([func@OpenIot.PairingLink.parse_address])
 * @code: the pairing code the hub shows, as typed
 *   ([func@OpenIot.pairing_code_normalize])
 *
 * A link for pairing without one: no fingerprint to compare (the SRP
 * proof alone vouches for the hub), its HTTPS port the one below the
 * pairing port.
 *
 * Returns: (transfer full): the link, or %NULL with
 *   %OPENIOT_ERROR_INVALID_DATA
 */
OpenIotPairingLink *
openiot_pairing_link_new_from_address (const char  *address,
                                       const char  *code,
                                       GError     **error)
{
  g_autofree char *host = NULL;
  g_autofree char *digits = NULL;
  guint16 port;

  g_return_val_if_fail (address != NULL, NULL);

  if (!openiot_pairing_link_parse_address (address, &host, &port, error))
    return NULL;
  if (code == NULL || !(digits = openiot_pairing_code_normalize (code)))
    {
      invalid (error, _("The pairing code is %d digits, as the hub shows it."),
               OPENIOT_PAIRING_CODE_DIGITS);
      return NULL;
    }
  return openiot_pairing_link_new (host, port, port - 1, digits, NULL, NULL, NULL);
}

/**
 * openiot_pairing_link_copy_with_code:
 * @self: a #OpenIotPairingLink
 * @code: another pairing code, %OPENIOT_PAIRING_CODE_DIGITS digits
 *
 * The same link with another code, for when the hub has shown a new
 * code since the link was made: the hub, its fingerprint, name, ports and
 * addresses stay.
 *
 * Returns: (transfer full): a new link
 */
OpenIotPairingLink *
openiot_pairing_link_copy_with_code (OpenIotPairingLink *self,
                                     const char         *code)
{
  OpenIotPairingLink *copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (_openiot_pairing_code_is_valid (code), NULL);

  copy = link_new ();
  copy->host = g_strdup (self->host);
  copy->pairing_port = self->pairing_port;
  copy->port = self->port;
  copy->code = g_strdup (code);
  copy->fingerprint = g_strdup (self->fingerprint);
  copy->name = g_strdup (self->name);
  copy->addresses = g_strdupv (self->addresses);

  return copy;
}

/**
 * openiot_pairing_link_looks_like:
 * @text: what someone pasted or scanned
 *
 * Whether @text was meant as a pairing link, whole or not: it starts with
 * the link's scheme, in any case (RFC 3986 schemes are case-insensitive).
 * Use it to tell a damaged link (copy it again) from an address typed in
 * the wrong field, after [func@OpenIot.PairingLink.parse] failed.
 *
 * Returns: %TRUE when @text starts with `openiot:`
 */
gboolean
openiot_pairing_link_looks_like (const char *text)
{
  g_return_val_if_fail (text != NULL, FALSE);

  return g_ascii_strncasecmp (text, LINK_SCHEME ":", strlen (LINK_SCHEME ":")) == 0;
}
