// SPDX-License-Identifier: GPL-3.0-or-later
#define G_LOG_DOMAIN "openiot-cli"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "openiot-cli-thing.h"

#include "openiot-cli-observe.h"

typedef struct
{
  int       count;
  int       received;
  gboolean  done;
  gboolean  timed_out;
  guint     timer;
} Watch;

static void
on_value (OpenIotObservation *observation,
          JsonNode           *value,
          Watch              *watch)
{
  g_autofree char *text = openiot_json_to_string (value);

  if (openiot_cli_options.json)
    {
      /* The id is the service's text: a JSON string of it, whatever it
       * holds (g_strescape() wrote \303\251 for "é": not JSON). */
      const char *id = openiot_observation_get_last_event_id (observation);
      g_autoptr(JsonNode) id_node = json_node_init_string (json_node_alloc (), id ? id : "");
      g_autofree char *quoted_id = json_to_string (id_node, FALSE);

      g_print ("{\"id\":%s,\"value\":%s}\n", quoted_id, text);
    }
  else
    {
      g_autofree char *safe = openiot_text_escape_for_terminal (text, -1);

      g_print ("%s\n", safe);
    }
  fflush (stdout);

  if (watch->count > 0 && ++watch->received >= watch->count)
    watch->done = TRUE;
}

/* Progress goes to stderr, so stdout stays a clean stream of values. */
static void
on_state (OpenIotObservation *observation,
          GParamSpec         *pspec,
          Watch              *watch)
{
  const GError *error = openiot_observation_get_error (observation);

  switch (openiot_observation_get_state (observation))
    {
    case OPENIOT_OBSERVATION_RECONNECTING:
      g_printerr (_("openiot: the event stream broke (%s); reconnecting…\n"),
                  error ? openiot_cli_safe (error->message) : "");
      break;
    case OPENIOT_OBSERVATION_LIVE:
      if (watch->received > 0)
        g_printerr (_("openiot: live again\n"));
      break;
    case OPENIOT_OBSERVATION_FAILED:
      watch->done = TRUE;
      break;
    default:
      break;
    }
}

static gboolean
on_timeout (gpointer user_data)
{
  Watch *watch = user_data;

  watch->timed_out = TRUE;
  watch->done = TRUE;
  watch->timer = 0;
  return G_SOURCE_REMOVE;
}

int
openiot_cli_observe (int    argc,
                     char **argv)
{
  g_autofree char *hub_name = NULL;
  g_autofree char *event = NULL;
  int count = 0, timeout = 0;
  const GOptionEntry entries[] = {
    openiot_cli_hub_option (&hub_name),
    { "event", 0, 0, G_OPTION_ARG_STRING, &event,
     N_("Subscribe to this event instead of a property"), N_("EVENT") },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("Stop after N values"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout, N_("Stop after SECONDS"), N_("SECONDS") },
    { NULL }
  };
  g_autoptr(OpenIotCliThing) cli_thing = NULL;
  g_autoptr(OpenIotObservation) observation = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { 0 };
  OpenIotInteractionKind kind;

  if (!openiot_cli_parse (&argc, &argv, _("SERVICE (PROPERTY | --event EVENT)"),
                          _("Print a property’s values, or an event’s data, as they come, one "
                            "JSON value a line."),
                          entries))
    return OPENIOT_CLI_EXIT_USAGE;
  if (argc != (event != NULL ? 2 : 3) || count < 0 || timeout < 0)
    {
      g_printerr (_("Usage: openiot observe SERVICE (PROPERTY | --event EVENT) [--count N] "
                    "[--timeout SECONDS]\n"));
      return OPENIOT_CLI_EXIT_USAGE;
    }

  /* Observing lasts; a fresh Thing Description is worth its round trip. */
  if (!(cli_thing = openiot_cli_thing_open (hub_name, argv[1], TRUE, &error)))
    return openiot_cli_fail (error);

  kind = event != NULL ? OPENIOT_INTERACTION_EVENT : OPENIOT_INTERACTION_PROPERTY;
  observation = openiot_consumed_thing_observe (cli_thing->thing, kind,
                                                event != NULL ? event : argv[2], &error);
  if (observation == NULL)
    return openiot_cli_fail (error);

  watch.count = count;
  g_signal_connect (observation, "value", G_CALLBACK (on_value), &watch);
  g_signal_connect (observation, "notify::state", G_CALLBACK (on_state), &watch);
  if (timeout > 0)
    watch.timer = g_timeout_add_seconds (timeout, on_timeout, &watch);

  openiot_observation_start (observation);
  while (!watch.done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_handle_id (&watch.timer, g_source_remove);

  if (openiot_observation_get_state (observation) == OPENIOT_OBSERVATION_FAILED)
    return openiot_cli_thing_fail (cli_thing, openiot_observation_get_error (observation));
  openiot_observation_stop (observation);

  if (watch.timed_out && count > 0 && watch.received < count)
    {
      g_printerr (_("openiot: %d of %d values arrived within %d seconds\n"), watch.received, count,
                  timeout);
      return OPENIOT_CLI_EXIT_ERROR;
    }
  return OPENIOT_CLI_EXIT_OK;
}
