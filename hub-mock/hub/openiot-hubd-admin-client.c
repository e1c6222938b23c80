// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-hubd"

#include "config.h"

#include <string.h>
#include <gio/gunixsocketaddress.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <libopeniot.h>

#include "openiot-protocol-private.h"

#include "openiot-hubd-qr.h"

#include "openiot-hubd-admin-client.h"

/* The admin subcommands: small clients of <state-dir>/admin.sock. */

typedef struct
{
  char     *state_dir;
  gboolean  json;
} CommonOptions;

static void
common_options_clear (CommonOptions *options)
{
  g_free (options->state_dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CommonOptions, common_options_clear)

static gboolean
parse_options (int            *argc,
               char         ***argv,
               const char     *parameters,
               const char     *summary,
               GOptionEntry   *extra,
               CommonOptions  *options)
{
  const GOptionEntry common[] = {
    { "state-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->state_dir,
     "The running hub's state directory", "DIR" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
     "Machine-readable output (see docs/protocol.md)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common, NULL);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, NULL);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("openiot-hub: %s\n", error->message);
      return FALSE;
    }

  if (options->state_dir == NULL)
    {
      g_printerr ("openiot-hub: --state-dir is required\n");
      return FALSE;
    }

  return TRUE;
}

/* Sends one request to the running hub. Returns the JSON answer (or an
 * empty node for 204); prints the error and returns %NULL otherwise. */
static JsonNode *
admin_call (const CommonOptions *options,
            const char          *method,
            const char          *path,
            const char          *body)
{
  g_autofree char *socket_path = g_build_filename (options->state_dir, "admin.sock", NULL);
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("remote-connectable", address,
                                                                  "proxy-resolver", NULL,
                                                                  "timeout", 30, NULL);
  g_autofree char *uri = g_strconcat ("http://localhost", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  if (!(reply = soup_session_send_and_read (session, msg, NULL, &error)))
    {
      g_printerr ("openiot-hub: cannot reach the hub at %s: %s\n"
                  "Is “openiot-hub serve --state-dir %s” running?\n",
                  socket_path, error->message, options->state_dir);
      return NULL;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      if (_openiot_protocol_parse_error (reply, &code, &message))
        g_printerr ("openiot-hub: %s\n", message);
      else
        g_printerr ("openiot-hub: the hub answered %u\n", soup_message_get_status (msg));
      return NULL;
    }

  if (g_bytes_get_size (reply) == 0)
    return json_node_new (JSON_NODE_NULL);

  if (!json_parser_load_from_data (parser, g_bytes_get_data (reply, NULL),
                                   g_bytes_get_size (reply), &error))
    {
      g_printerr ("openiot-hub: the hub's answer is not JSON: %s\n", error->message);
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

/* Grouped in capitals, four groups a line, exactly as the app and the
 * CLI show it: people compare the two by eye or read them aloud. */
static void
print_fingerprint (const char *label,
                   const char *fingerprint)
{
  g_autofree char *grouped = openiot_fingerprint_is_valid (fingerprint)
    ? openiot_fingerprint_format_grouped (fingerprint) : g_strdup (fingerprint ? fingerprint : "?");
  g_auto(GStrv) lines = g_strsplit (grouped, "\n", -1);

  g_print ("%s\n", label);
  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("    %s\n", lines[i]);
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

int
openiot_hubd_admin_client_pairing_code (int    argc,
                                       char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  int ttl = 300;
  gboolean no_qr = FALSE;
  GOptionEntry extra[] = {
    { "ttl", 0, 0, G_OPTION_ARG_INT, &ttl,
     "How long the code stays valid, in seconds (default 300)", "SECONDS" },
    { "no-qr", 0, 0, G_OPTION_ARG_NONE, &no_qr, "Do not draw the QR code", NULL },
    { NULL }
  };
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *qr = NULL;
  JsonObject *object;
  const char *code;

  if (!parse_options (&argc, &argv, "", "Open a one-time pairing code (replaces any open one).",
                      extra, &options))
    return 2;

  body = g_strdup_printf ("{\"ttl\":%d}", ttl);
  if (!(reply = admin_call (&options, "POST", "/pairing-code", body)))
    return 1;

  if (options.json)
    {
      print_json (reply);
      return 0;
    }

  object = json_node_get_object (reply);
  code = json_object_get_string_member (object, "code");
  g_print ("Pairing code: %.4s %.4s   (valid until %s)\n", code, code + 4,
           json_object_get_string_member (object, "expires"));
  g_print ("Pairing link: %s\n", json_object_get_string_member (object, "link"));
  print_fingerprint ("Certificate fingerprint (SHA-256):",
                     json_object_get_string_member_with_default (object, "certificate", NULL));
  if (!no_qr &&
      (qr = openiot_hubd_qr_render_terminal (json_object_get_string_member (object, "link"))))
    g_print ("\n%s", qr);
  g_print ("\nOn the device: openiot pair '%s'\n", json_object_get_string_member (object, "link"));
  return 0;
}

int
openiot_hubd_admin_client_rotate (int    argc,
                                 char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *object;

  if (!parse_options (&argc, &argv, "",
                      "Replace the hub's key and certificate. "
                      "Every client will ask its user to confirm.",
                      NULL, &options))
    return 2;

  if (!(reply = admin_call (&options, "POST", "/rotate-certificate", "{}")))
    return 1;

  if (options.json)
    {
      print_json (reply);
      return 0;
    }

  object = json_node_get_object (reply);
  g_print ("Rotated the hub certificate.\n");
  print_fingerprint ("Previous fingerprint (SHA-256):",
                     json_object_get_string_member (object, "previous"));
  print_fingerprint ("New fingerprint (SHA-256):",
                     json_object_get_string_member (object, "certificate"));
  g_print ("Clients will ask their users to confirm the new certificate; "
           "it is signed by the previous one.\n");
  return 0;
}

int
openiot_hubd_admin_client_clients (int    argc,
                                  char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *array;

  if (!parse_options (&argc, &argv, "", "List the registered clients.", NULL, &options))
    return 2;

  if (!(reply = admin_call (&options, "GET", "/clients", NULL)))
    return 1;

  if (options.json)
    {
      print_json (reply);
      return 0;
    }

  array = json_node_get_array (reply);
  if (json_array_get_length (array) == 0)
    g_print ("No clients are registered. "
             "Open a pairing code with “openiot-hub pairing-code”.\n");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *client = json_array_get_object_element (array, i);
      /* A name stored before names were checked may hold CR, LF or ESC:
       * one client, one entry, whatever its name says. */
      g_autofree char *name =
        _openiot_device_name_escape (json_object_get_string_member (client, "name"));

      g_print ("%s  %-24s %s%s\n    %s\n",
               json_object_get_string_member (client, "client_id"),
               name,
               json_object_get_string_member (client, "registered"),
               json_object_get_boolean_member (client, "revoked") ? "  REVOKED" : "",
               json_object_get_string_member (client, "certificate"));
    }

  return 0;
}

int
openiot_hubd_admin_client_revoke (int    argc,
                                 char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;

  if (!parse_options (&argc, &argv, "CLIENT_ID",
                      "Revoke a client: its certificate is refused from now on.", NULL, &options))
    return 2;

  if (argc != 2 || !g_uuid_string_is_valid (argv[1]))
    {
      g_printerr ("openiot-hub revoke: give one client id (see “openiot-hub clients”)\n");
      return 2;
    }

  path = g_strconcat ("/clients/", argv[1], NULL);
  if (!(reply = admin_call (&options, "DELETE", path, NULL)))
    return 1;

  if (!options.json)
    g_print ("Revoked client %s.\n", argv[1]);
  else
    g_print ("{\"revoked\":\"%s\"}\n", argv[1]);
  return 0;
}

/* Why the last code is closed, and who guessed it wrong: the owner's
 * answer to "my code stopped working". */
static void
print_guessers (JsonObject *pairing)
{
  JsonArray *guessers = json_object_has_member (pairing, "guessers") ?
    json_object_get_array_member (pairing, "guessers") : NULL;
  const char *state = json_object_get_string_member_with_default (pairing, "state", NULL);

  if (state != NULL && g_strcmp0 (state, "code-open") != 0)
    g_print ("  last code    %s\n", state + strlen ("code-"));
  for (guint i = 0; guessers != NULL && i < json_array_get_length (guessers); i++)
    {
      JsonObject *guesser = json_array_get_object_element (guessers, i);

      g_print ("  wrong code   %" G_GINT64_FORMAT "× from %s%s\n",
               json_object_get_int_member (guesser, "failures"),
               json_object_get_string_member (guesser, "address"),
               json_object_get_boolean_member (guesser, "shut_out") ? " (shut out)" : "");
    }
}

int
openiot_hubd_admin_client_status (int    argc,
                                 char **argv)
{
  g_auto(CommonOptions) options = { 0 };
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *object, *pairing;
  JsonArray *addresses;

  if (!parse_options (&argc, &argv, "", "Show the running hub's status.", NULL, &options))
    return 2;

  if (!(reply = admin_call (&options, "GET", "/status", NULL)))
    return 1;

  if (options.json)
    {
      print_json (reply);
      return 0;
    }

  object = json_node_get_object (reply);
  pairing = json_object_get_object_member (object, "pairing");
  addresses = json_object_get_array_member (object, "addresses");
  g_print ("Hub “%s” (%s)\n", json_object_get_string_member (object, "name"),
           json_object_get_string_member (object, "id"));
  print_fingerprint ("  certificate fingerprint (SHA-256):",
                     json_object_get_string_member (object, "certificate"));
  g_print ("  ports        %" G_GINT64_FORMAT " (HTTPS), %" G_GINT64_FORMAT " (pairing)\n",
           json_object_get_int_member (object, "port"),
           json_object_get_int_member (object, "pairing_port"));
  for (guint i = 0; i < json_array_get_length (addresses); i++)
    {
      JsonObject *address = json_array_get_object_element (addresses, i);

      g_print ("  address      %s (%s)\n", json_object_get_string_member (address, "address"),
               json_object_get_string_member (address, "scope"));
    }
  g_print ("  clients      %" G_GINT64_FORMAT "\n", json_object_get_int_member (object, "clients"));
  g_print ("  services     %" G_GINT64_FORMAT "\n",
           json_object_get_int_member (object, "services"));
  g_print ("  pairing      %s\n",
           json_object_get_boolean_member (pairing, "open") ? "open" : "closed");
  print_guessers (pairing);
  return 0;
}
