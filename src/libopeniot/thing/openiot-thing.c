// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-thing"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "openiot-error.h"
#include "openiot-form-private.h"
#include "openiot-interaction-private.h"
#include "openiot-protocol-private.h"

#include "openiot-thing.h"

/**
 * OpenIotThing:
 *
 * A service's W3C WoT Thing Description 1.1: its properties, actions and
 * events, each with its data schema and forms.
 *
 * Thing Descriptions come from devices and their makers, so the parser
 * trusts nothing: a document over 1 MiB or nested deeper than 64 levels is
 * refused before it is parsed; a member of the wrong type is ignored; an
 * interaction without usable forms, or with a schema beyond the limits, is
 * skipped and explained in [method@OpenIot.Thing.get_warnings]. Forms that
 * lead off the hub are kept, marked unreachable, and never followed.
 */
struct _OpenIotThing
{
  GObject     parent_instance;

  char       *service_id;
  char       *id;
  char       *title;
  char       *description;
  GStrv       semantic_types;
  GBytes     *bytes;
  GListStore *interactions[3];  /* by OpenIotInteractionKind */
  GPtrArray  *forms;
  GPtrArray  *warnings;         /* NULL-terminated */
};

G_DEFINE_FINAL_TYPE (OpenIotThing, openiot_thing, G_TYPE_OBJECT)

static const char * const kind_members[] = { "properties", "actions", "events" };

static void
warn (OpenIotThing *self,
      const char   *message)
{
  g_ptr_array_insert (self->warnings, self->warnings->len - 1, g_strdup (message));
}

static void
parse_interactions (OpenIotThing           *self,
                    JsonObject             *root,
                    OpenIotInteractionKind  kind,
                    const OpenIotFormScope *scope,
                    OpenIotTdBudget        *budget,
                    guint                  *count)
{
  const char *member = kind_members[kind];
  JsonObject *affordances = _openiot_td_object (root, member);
  g_autoptr(GList) names = NULL;

  if (affordances == NULL)
    {
      if (json_object_has_member (root, member))
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not an object; ignored."), member);
          warn (self, message);
        }
      return;
    }

  names = json_object_get_members (affordances);
  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autoptr(OpenIotInteraction) interaction = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *object = _openiot_td_object (affordances, l->data);

      if (++(*count) > OPENIOT_TD_MAX_INTERACTIONS)
        {
          warn (self, _("Too many interactions; the rest were skipped."));
          return;
        }
      if (object == NULL)
        g_set_error (&error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                     _("“%s” is not an object."), (const char *) l->data);
      else
        interaction = _openiot_interaction_new (kind, l->data, object, scope, budget, &error);

      if (interaction != NULL)
        g_list_store_append (self->interactions[kind], interaction);
      else
        warn (self, error->message);
    }
}

/* The origins under which the hub's services are on the hub: the
 * client's private URL, and "https://[address]:port" for each address of
 * the paired hub (the URL another consumer used, which the hub writes into
 * `base`). A link-local address has no zone there: a Host header carries
 * none (RFC 6874 §4). */
static GStrv
hub_origins (OpenIotHubRecord *record)
{
  GPtrArray *origins = g_ptr_array_new ();
  const char * const *addresses = record ? openiot_hub_record_get_addresses (record) : NULL;

  g_ptr_array_add (origins, g_strdup (OPENIOT_FORM_HUB_URI));
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      g_autofree char *host = NULL;
      guint16 port = openiot_hub_record_get_port (record);

      if (strchr (addresses[i], ':') != NULL)
        host = g_strdup_printf ("[%.*s]", (int) strcspn (addresses[i], "%"), addresses[i]);
      else
        host = g_strdup (addresses[i]);

      g_ptr_array_add (origins, g_strdup_printf ("https://%s:%u", host, port));
      if (port == 443)
        g_ptr_array_add (origins, g_strconcat ("https://", host, NULL));
    }
  g_ptr_array_add (origins, NULL);
  return (GStrv) g_ptr_array_free (origins, FALSE);
}

/**
 * openiot_thing_new_for_hub:
 * @bytes: the Thing Description, JSON
 * @service_id: the service that served it, for resolving its forms
 * @record: (nullable): the paired hub that serves it
 *
 * Parses a Thing Description a hub served. Its forms resolve by RFC 3986
 * against its `base` (the hub sets it to the URL the client used), or the
 * service's root on the hub when it has none; a form that resolves under
 * `/services/<service_id>/` on the hub — by the client's private URL or one
 * of @record's addresses — is reachable, any other is shown and never
 * followed (docs/protocol.md, "Thing Descriptions of services").
 *
 * Returns: (transfer full): the Thing, or %NULL with
 *   %OPENIOT_ERROR_INVALID_DATA when the document cannot be used at all
 */
OpenIotThing *
openiot_thing_new_for_hub (GBytes            *bytes,
                           const char        *service_id,
                           OpenIotHubRecord  *record,
                           GError           **error)
{
  g_autoptr(OpenIotThing) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *service_path = NULL;
  g_autofree char *service_root = NULL;
  g_autofree char *base = NULL;
  g_auto(GStrv) origins = NULL;
  OpenIotTdBudget budget = { OPENIOT_TD_MAX_SCHEMAS };
  OpenIotFormScope scope;
  const char *base_member;
  JsonObject *root;
  guint count = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (service_id != NULL, NULL);
  g_return_val_if_fail (record == NULL || OPENIOT_IS_HUB_RECORD (record), NULL);

  if (!_openiot_service_id_is_valid (service_id))
    {
      g_set_error (error, OPENIOT_ERROR, OPENIOT_ERROR_INVALID_DATA,
                   _("“%s” is not a valid service id."), service_id);
      return NULL;
    }
  if (!(root = _openiot_td_parse (bytes, parser, error)))
    return NULL;

  self = g_object_new (OPENIOT_TYPE_THING, NULL);
  self->service_id = g_strdup (service_id);
  self->bytes = g_bytes_ref (bytes);
  self->id = g_strdup (_openiot_td_string (root, "id"));
  self->title = g_strdup (_openiot_td_localized (root, "title"));
  self->description = g_strdup (_openiot_td_localized (root, "description"));
  self->semantic_types = _openiot_td_semantic_types (root);

  service_path = g_strconcat (OPENIOT_SERVICE_PREFIX, service_id, "/", NULL);
  service_root = g_strconcat (OPENIOT_FORM_HUB_URI, service_path, NULL);
  base_member = _openiot_td_string (root, "base");
  if (base_member != NULL)
    base = _openiot_form_resolve_uri (service_root, base_member);
  if (base == NULL)
    base = g_strdup (service_root);
  origins = hub_origins (record);
  scope = (OpenIotFormScope) { base, service_path, (const char * const *) origins };

  self->forms = _openiot_forms_new (root, &scope, OPENIOT_OPERATION_NONE);
  for (guint kind = 0; kind < G_N_ELEMENTS (kind_members); kind++)
    parse_interactions (self, root, kind, &scope, &budget, &count);

  return g_steal_pointer (&self);
}

/**
 * openiot_thing_new_from_bytes:
 * @bytes: the Thing Description, JSON
 * @service_id: the service that served it, for resolving its forms
 *
 * [ctor@OpenIot.Thing.new_for_hub] without knowing the hub: only forms
 * under the client's private URL for it are reachable.
 *
 * Returns: (transfer full): the Thing, or %NULL with
 *   %OPENIOT_ERROR_INVALID_DATA when the document cannot be used at all
 */
OpenIotThing *
openiot_thing_new_from_bytes (GBytes      *bytes,
                              const char  *service_id,
                              GError     **error)
{
  return openiot_thing_new_for_hub (bytes, service_id, NULL, error);
}

const char *
openiot_thing_get_service_id (OpenIotThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return self->service_id;
}

/**
 * openiot_thing_get_id:
 *
 * Returns: (nullable): the Thing's `id`, a URI
 */
const char *
openiot_thing_get_id (OpenIotThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return self->id;
}

/**
 * openiot_thing_get_title:
 *
 * Returns: the title, in the user's language when offered; the service id
 *   when the TD has none
 */
const char *
openiot_thing_get_title (OpenIotThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return self->title != NULL ? self->title : self->service_id;
}

/**
 * openiot_thing_get_semantic_types:
 *
 * Returns: (transfer none): the Thing's own `@type` annotations ("Thing",
 *   "iot:Thermostat", "saref:LightSwitch"), as written; empty when none
 */
const char * const *
openiot_thing_get_semantic_types (OpenIotThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return (const char * const *) self->semantic_types;
}

/**
 * openiot_thing_get_description:
 *
 * Returns: (nullable): the description
 */
const char *
openiot_thing_get_description (OpenIotThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return self->description;
}

/**
 * openiot_thing_get_bytes:
 *
 * Returns: (transfer none): the document as it was parsed, to cache
 */
GBytes *
openiot_thing_get_bytes (OpenIotThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return self->bytes;
}

/**
 * openiot_thing_get_interactions:
 *
 * Returns: (transfer none): a list of [class@OpenIot.Interaction] of that
 *   kind, in document order
 */
GListModel *
openiot_thing_get_interactions (OpenIotThing           *self,
                                OpenIotInteractionKind  kind)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  g_return_val_if_fail (kind <= OPENIOT_INTERACTION_EVENT, NULL);
  return G_LIST_MODEL (self->interactions[kind]);
}

/**
 * openiot_thing_lookup:
 *
 * Returns: (nullable) (transfer none): the interaction of that kind and name
 */
OpenIotInteraction *
openiot_thing_lookup (OpenIotThing           *self,
                      OpenIotInteractionKind  kind,
                      const char             *name)
{
  GListModel *model;

  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  g_return_val_if_fail (kind <= OPENIOT_INTERACTION_EVENT, NULL);

  model = G_LIST_MODEL (self->interactions[kind]);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(OpenIotInteraction) interaction = g_list_model_get_item (model, i);

      if (g_strcmp0 (openiot_interaction_get_name (interaction), name) == 0)
        return interaction;  /* the store keeps its reference */
    }
  return NULL;
}

/**
 * openiot_thing_find_form:
 * @operation: a Thing-level operation, e.g. readallproperties
 *
 * Returns: (nullable) (transfer none): a reachable top-level form for it
 */
OpenIotForm *
openiot_thing_find_form (OpenIotThing     *self,
                         OpenIotOperation  operation)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return _openiot_forms_find (self->forms, operation);
}

/**
 * openiot_thing_get_warnings:
 *
 * Returns: (array zero-terminated=1) (transfer none): what was skipped
 *   while parsing, and why, for people
 */
const char * const *
openiot_thing_get_warnings (OpenIotThing *self)
{
  g_return_val_if_fail (OPENIOT_IS_THING (self), NULL);
  return (const char * const *) self->warnings->pdata;
}

static void
openiot_thing_finalize (GObject *object)
{
  OpenIotThing *self = OPENIOT_THING (object);

  g_free (self->service_id);
  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_strfreev (self->semantic_types);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->interactions); i++)
    g_clear_object (&self->interactions[i]);
  g_clear_pointer (&self->forms, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (openiot_thing_parent_class)->finalize (object);
}

static void
openiot_thing_class_init (OpenIotThingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_thing_finalize;
}

static void
openiot_thing_init (OpenIotThing *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->interactions); i++)
    self->interactions[i] = g_list_store_new (OPENIOT_TYPE_INTERACTION);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->warnings, NULL);
}
