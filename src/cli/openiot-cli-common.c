// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "openiot-cli-common.h"

OpenIotCliOptions openiot_cli_options;

gboolean
openiot_cli_parse (int                 *argc,
                   char              ***argv,
                   const char          *parameters,
                   const char          *summary,
                   const GOptionEntry  *extra)
{
  const GOptionEntry common[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &openiot_cli_options.json, N_("Machine-readable output"),
     NULL },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &openiot_cli_options.store_dir,
      N_("Keep this device’s key and pins in DIR (0600 files) instead of the "
         "keyring"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (parameters);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("openiot: %s\n", error->message);
      return FALSE;
    }

  return TRUE;
}

/* The --hub option of the commands that talk to one hub */
GOptionEntry
openiot_cli_hub_option (char **hub_name)
{
  return (GOptionEntry) { "hub", 0, 0, G_OPTION_ARG_STRING, hub_name,
                          N_("The hub, by id or name (needed when several are paired)"),
                          N_("HUB") };
}

/* openiot_cli_parse() for a command whose one option is --hub */
gboolean
openiot_cli_parse_with_hub (int          *argc,
                            char       ***argv,
                            const char   *parameters,
                            const char   *summary,
                            char        **hub_name)
{
  const GOptionEntry entries[] = {
    openiot_cli_hub_option (hub_name),
    { NULL }
  };

  return openiot_cli_parse (argc, argv, parameters, summary, entries);
}

void
openiot_cli_store_result (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The CLI is synchronous; the library is not: iterate until it answers. */
GAsyncResult *
openiot_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Prints @error for people and returns the documented exit code. */
int
openiot_cli_fail (const GError *error)
{
  g_printerr ("openiot: %s\n", openiot_cli_safe (error->message));

  if (error->domain != OPENIOT_ERROR)
    return OPENIOT_CLI_EXIT_ERROR;

  switch ((OpenIotError) error->code)
    {
    case OPENIOT_ERROR_CERTIFICATE_CHANGED:
    case OPENIOT_ERROR_NOT_TRUSTED:
      return OPENIOT_CLI_EXIT_CERTIFICATE;
    case OPENIOT_ERROR_NOT_REGISTERED:
      return OPENIOT_CLI_EXIT_NOT_REGISTERED;
    case OPENIOT_ERROR_UNREACHABLE:
      return OPENIOT_CLI_EXIT_UNREACHABLE;
    case OPENIOT_ERROR_PAIRING_REJECTED:
    case OPENIOT_ERROR_PAIRING_CLOSED:
      return OPENIOT_CLI_EXIT_PAIRING;
    default:
      return OPENIOT_CLI_EXIT_ERROR;
    }
}

OpenIotIdentity *
openiot_cli_load_identity (const char  *device_name,
                           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  openiot_identity_load_async (openiot_cli_options.store_dir,
                               device_name ? device_name : g_get_host_name (),
                               NULL, openiot_cli_store_result, &result);
  return openiot_identity_load_finish (openiot_cli_wait (&result), error);
}

/*
 * openiot_cli_safe:
 * @text: (nullable): text a hub, a service or a Thing Description chose
 *
 * The text, safe to print on a terminal (openiot_text_escape_for_terminal():
 * no escape sequences, no line breaks, no bidi overrides). Error messages
 * carry a service's sentence, so they go through it too.
 *
 * Returns: (transfer none): the escaped text, kept until the process
 *   exits: the CLI prints a bounded number of such strings per command
 *   (observe, which does not, escapes its values itself)
 */
const char *
openiot_cli_safe (const char *text)
{
  static GPtrArray *kept;

  if (text == NULL)
    return "";
  if (kept == NULL)
    kept = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (kept, openiot_text_escape_for_terminal (text, -1));
  return g_ptr_array_index (kept, kept->len - 1);
}

void
openiot_cli_print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, TRUE);

  g_print ("%s\n", text);
}

/*
 * openiot_cli_print_json_strings:
 * @first_member: a member name, then its string value, then more pairs,
 *   then %NULL
 *
 * Prints a JSON object of string members, as openiot_cli_print_json() does.
 */
void
openiot_cli_print_json_strings (const char *first_member,
                                ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  va_list members;

  json_builder_begin_object (builder);
  va_start (members, first_member);
  for (const char *name = first_member; name != NULL; name = va_arg (members, const char *))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_string_value (builder, va_arg (members, const char *));
    }
  va_end (members);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  openiot_cli_print_json (root);
}

GPtrArray *
openiot_cli_list_hubs (GError **error)
{
  g_autoptr(OpenIotPinStore) store = openiot_pin_store_new (openiot_cli_options.store_dir);
  g_autoptr(GAsyncResult) result = NULL;

  openiot_pin_store_list_async (store, NULL, openiot_cli_store_result, &result);
  return openiot_pin_store_list_finish (store, openiot_cli_wait (&result), error);
}

/*
 * openiot_cli_find_hub:
 * @hub: (nullable): a hub id, name or nickname; may be left out when only one hub
 *   is paired
 */
OpenIotHubRecord *
openiot_cli_find_hub (const char  *hub,
                      GError     **error)
{
  g_autoptr(GPtrArray) hubs = openiot_cli_list_hubs (error);
  OpenIotHubRecord *found = NULL;

  if (hubs == NULL)
    return NULL;

  if (hub == NULL)
    {
      if (hubs->len == 1)
        return g_object_ref (g_ptr_array_index (hubs, 0));
      g_set_error_literal (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                           hubs->len == 0
                             ? _("No hub is paired yet. Pair one with “openiot pair LINK”.")
                             : _("Several hubs are paired: name one with --hub (see “openiot "
                                 "hubs”)."));
      return NULL;
    }

  for (guint i = 0; i < hubs->len; i++)
    {
      OpenIotHubRecord *record = g_ptr_array_index (hubs, i);

      if (g_str_equal (openiot_hub_record_get_id (record), hub) ||
          g_utf8_collate (openiot_hub_record_get_name (record), hub) == 0 ||
          (openiot_hub_record_get_nickname (record) != NULL &&
           g_utf8_collate (openiot_hub_record_get_nickname (record), hub) == 0))
        {
          if (found != NULL)
            {
              g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                           _("Several hubs are called “%s”: use the hub’s id (see “openiot "
                             "hubs”)."), hub);
              return NULL;
            }
          found = record;
        }
    }

  if (found == NULL)
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_NOT_FOUND,
                   _("No paired hub is called “%s” (see “openiot hubs”)."), hub);
      return NULL;
    }

  return g_object_ref (found);
}

/*
 * openiot_cli_connect:
 * @hub_name: (nullable): as for openiot_cli_find_hub()
 * @hub: (out): the paired hub
 * @identity: (out) (optional): this device's identity
 *
 * A connection, as this device, to the paired hub @hub_name.
 */
OpenIotHubConnection *
openiot_cli_connect (const char        *hub_name,
                     OpenIotHubRecord **hub,
                     OpenIotIdentity  **identity,
                     GError           **error)
{
  g_autoptr(OpenIotHubRecord) record = NULL;
  g_autoptr(OpenIotIdentity) self = NULL;
  OpenIotHubConnection *connection;

  if (!(record = openiot_cli_find_hub (hub_name, error)) ||
      !(self = openiot_cli_load_identity (NULL, error)))
    return NULL;

  connection = openiot_hub_connection_new (record, self);
  *hub = g_steal_pointer (&record);
  if (identity != NULL)
    *identity = g_steal_pointer (&self);
  return connection;
}

const char *
openiot_cli_verification_text (OpenIotVerification verification)
{
  switch (verification)
    {
    case OPENIOT_VERIFICATION_LINK_FINGERPRINT:
      return _("Verified: it matches the pairing link, and the hub proved it knows the pairing "
               "code.");
    case OPENIOT_VERIFICATION_PAIRING_CODE:
      return _("Verified with the pairing code: the hub proved it knows it.");
    case OPENIOT_VERIFICATION_TRUST_ON_FIRST_USE:
    default:
      return _("Not verified: compare the fingerprint with the one your hub shows before you trust "
               "it.");
    }
}

void
openiot_cli_print_fingerprint (const char *label,
                               const char *fingerprint)
{
  g_autofree char *grouped = openiot_fingerprint_format_grouped (fingerprint);
  g_auto(GStrv) lines = g_strsplit (grouped, "\n", -1);

  g_print ("%s\n", label);
  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("    %s\n", lines[i]);
}

/**
 * openiot_cli_explain_certificate_change:
 * @error: why a request failed
 *
 * When @error is a certificate change, shows both fingerprints on stderr
 * (the one pinned, the one the hub presented) and how to review them:
 * the same lines from every command that talks to a hub.
 */
void
openiot_cli_explain_certificate_change (OpenIotHubRecord     *hub,
                                        OpenIotHubConnection *connection,
                                        const GError         *error)
{
  if (g_error_matches (error, OPENIOT_ERROR, OPENIOT_ERROR_CERTIFICATE_CHANGED))
    g_printerr (_("Pinned:    %s\nPresented: %s\nReview it with “openiot trust”.\n"),
                openiot_hub_record_get_fingerprint (hub),
                openiot_hub_connection_get_presented_fingerprint (connection));
}

/* openiot_cli_fail() for a request to @hub, certificate details included */
int
openiot_cli_fail_on_hub (OpenIotHubRecord     *hub,
                         OpenIotHubConnection *connection,
                         const GError         *error)
{
  openiot_cli_explain_certificate_change (hub, connection, error);
  return openiot_cli_fail (error);
}

/* A yes from a person at a terminal; never from a pipe. */
gboolean
openiot_cli_confirm (const char *question)
{
  char answer[16] = "";

  if (!isatty (STDIN_FILENO))
    return FALSE;

  g_print ("%s", question);
  fflush (stdout);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;

  return answer[0] == 'y' || answer[0] == 'Y';
}

gboolean
openiot_cli_save_hub (OpenIotHubRecord  *record,
                      GError           **error)
{
  g_autoptr(OpenIotPinStore) store = openiot_pin_store_new (openiot_cli_options.store_dir);
  g_autoptr(GAsyncResult) result = NULL;

  openiot_pin_store_save_async (store, record, NULL, openiot_cli_store_result, &result);
  return openiot_pin_store_save_finish (store, openiot_cli_wait (&result), error);
}

/* The Thing cache of this device; with --store, inside that directory
 * like everything else of it. */
OpenIotThingCache *
openiot_cli_new_cache (void)
{
  g_autofree char *directory = NULL;

  if (openiot_cli_options.store_dir != NULL)
    directory = g_build_filename (openiot_cli_options.store_dir, "cache", NULL);
  return openiot_thing_cache_new (directory);
}
