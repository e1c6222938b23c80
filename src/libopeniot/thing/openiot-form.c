// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-form"

#include "config.h"

#include <string.h>

#include "openiot-protocol-private.h"
#include "openiot-td-private.h"

#include "openiot-form-private.h"

/**
 * OpenIotForm:
 *
 * How to perform operations on an interaction (WoT TD 1.1 §5.3.4.2): the
 * target resolved by RFC 3986 against the TD's `base` (the hub sets it to
 * the URL the client used) or the service's root on the hub, the method,
 * the content type and subprotocol.
 *
 * A form whose target leads anywhere but this service on the pinned hub
 * (by the client's private URL or one of the hub's own addresses) is not
 * reachable: it is shown, never followed, so this device's certificate
 * and requests go to the pinned hub only.
 */
struct _OpenIotForm
{
  GObject           parent_instance;

  OpenIotOperation  operations;
  char             *href;
  char             *path;
  char             *method;
  char             *content_type;
  char             *subprotocol;
};

G_DEFINE_FINAL_TYPE (OpenIotForm, openiot_form, G_TYPE_OBJECT)

static const struct
{
  const char       *name;
  OpenIotOperation  operation;
  const char       *method;
} operations[] = {
  { "readproperty", OPENIOT_OPERATION_READ_PROPERTY, "GET" },
  { "writeproperty", OPENIOT_OPERATION_WRITE_PROPERTY, "PUT" },
  { "observeproperty", OPENIOT_OPERATION_OBSERVE_PROPERTY, "GET" },
  { "unobserveproperty", OPENIOT_OPERATION_UNOBSERVE_PROPERTY, "GET" },
  { "invokeaction", OPENIOT_OPERATION_INVOKE_ACTION, "POST" },
  { "queryaction", OPENIOT_OPERATION_QUERY_ACTION, "GET" },
  { "cancelaction", OPENIOT_OPERATION_CANCEL_ACTION, "DELETE" },
  { "subscribeevent", OPENIOT_OPERATION_SUBSCRIBE_EVENT, "GET" },
  { "unsubscribeevent", OPENIOT_OPERATION_UNSUBSCRIBE_EVENT, "GET" },
  { "readallproperties", OPENIOT_OPERATION_READ_ALL_PROPERTIES, "GET" },
  { "writeallproperties", OPENIOT_OPERATION_WRITE_ALL_PROPERTIES, "PUT" },
  { "readmultipleproperties", OPENIOT_OPERATION_READ_MULTIPLE_PROPERTIES, "GET" },
  { "writemultipleproperties", OPENIOT_OPERATION_WRITE_MULTIPLE_PROPERTIES, "PUT" },
  { "observeallproperties", OPENIOT_OPERATION_OBSERVE_ALL_PROPERTIES, "GET" },
  { "unobserveallproperties", OPENIOT_OPERATION_UNOBSERVE_ALL_PROPERTIES, "GET" },
  { "subscribeallevents", OPENIOT_OPERATION_SUBSCRIBE_ALL_EVENTS, "GET" },
  { "unsubscribeallevents", OPENIOT_OPERATION_UNSUBSCRIBE_ALL_EVENTS, "GET" },
  { "queryallactions", OPENIOT_OPERATION_QUERY_ALL_ACTIONS, "GET" },
};

static const char * const allowed_methods[] = { "GET", "PUT", "POST", "PATCH", "DELETE", NULL };

static OpenIotOperation
parse_operation (JsonNode *node)
{
  const char *name;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return OPENIOT_OPERATION_NONE;
  name = json_node_get_string (node);
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (g_str_equal (name, operations[i].name))
      return operations[i].operation;
  return OPENIOT_OPERATION_NONE;
}

/* `op` is a string or a list of strings; absent, the interaction's
 * defaults apply (TD 1.1 §5.4.1 "Default Value Definitions"). */
static OpenIotOperation
parse_operations (JsonObject       *object,
                  OpenIotOperation  default_operations)
{
  JsonNode *node = json_object_get_member (object, "op");
  OpenIotOperation result = OPENIOT_OPERATION_NONE;

  if (node == NULL)
    return default_operations;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return parse_operation (node);

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    result |= parse_operation (json_array_get_element (json_node_get_array (node), i));
  return result;
}

static const char *
default_method (OpenIotOperation ops)
{
  for (guint i = 0; i < G_N_ELEMENTS (operations); i++)
    if (ops & operations[i].operation)
      return operations[i].method;
  return "GET";
}

/* The length of the origin @resolved starts with when it is one of
 * @scope's and the service's path follows it, else 0. Host names compare
 * without regard to case (RFC 3986 §6.2.2.1). */
static gsize
origin_on_hub (const char             *resolved,
               const OpenIotFormScope *scope)
{
  for (guint i = 0; scope->origins[i] != NULL; i++)
    {
      gsize len = strlen (scope->origins[i]);

      if (g_ascii_strncasecmp (resolved, scope->origins[i], len) == 0 &&
          g_str_has_prefix (resolved + len, scope->service_path))
        return len;
    }
  return 0;
}

/* The path on the hub when @resolved stays inside the service on the
 * pinned hub, else NULL. The path itself must pass the hub's own rules,
 * judged from the root: "a/..//x" resolves to /services/ID//x, whose "//"
 * straddles the service root's last "/", and "%00" is refused by the hub
 * however it is placed. The query goes on to the service unchecked by the
 * hub, so it keeps the rules it always had here: no encoded dots, slashes
 * or backslashes and no "//"; and a fragment is never sent at all. */
static char *
path_on_hub (const char             *resolved,
             const OpenIotFormScope *scope)
{
  const char *path;
  g_autofree char *path_part = NULL;
  g_autofree char *lower = NULL;
  gsize origin = origin_on_hub (resolved, scope);

  if (origin == 0)
    return NULL;
  path = resolved + origin;
  path_part = g_strndup (path, strcspn (path, "?#"));
  if (!_openiot_path_is_safe (path_part))
    return NULL;

  lower = g_ascii_strdown (path, -1);
  if (strstr (lower, "%2e") != NULL || strstr (lower, "%2f") != NULL ||
      strstr (lower, "%5c") != NULL ||
      strstr (path, "//") != NULL || strchr (path, '\\') != NULL || strchr (path, '#') != NULL)
    return NULL;
  return g_strdup (path);
}

/*
 * _openiot_content_type_is_json:
 * @content_type: a form's `contentType`, parameters and all
 *
 * Returns: whether it is JSON this library reads and writes:
 *   `application/json` or any `+json` type (`application/td+json`)
 */
gboolean
_openiot_content_type_is_json (const char *content_type)
{
  g_autofree char *type = g_ascii_strdown (content_type, strcspn (content_type, ";"));

  g_strstrip (type);
  return g_str_equal (type, "application/json") ||
         (g_str_has_prefix (type, "application/") && g_str_has_suffix (type, "+json"));
}

/*
 * _openiot_form_resolve_uri:
 * @base: an absolute URI
 * @reference: a URI reference from a Thing Description
 *
 * What g_uri_resolve_relative() gives, without its critical: GLib 2.74
 * removes the dot segments of a reference with a scheme but no authority
 * ("http:/..//x") into a path that starts with "//", which it then cannot
 * print (g_uri_join_internal() asserts). Such a path would read back as
 * an authority, x as the host, so the reference is refused instead.
 *
 * Returns: (transfer full) (nullable): the resolved URI, or %NULL when
 *   @reference is no URI or cannot be resolved
 */
char *
_openiot_form_resolve_uri (const char *base,
                           const char *reference)
{
  g_autoptr(GUri) base_uri = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (base != NULL, NULL);
  g_return_val_if_fail (reference != NULL, NULL);

  if (!(base_uri = g_uri_parse (base, G_URI_FLAGS_ENCODED, NULL)) ||
      !(uri = g_uri_parse_relative (base_uri, reference, G_URI_FLAGS_ENCODED, NULL)))
    return NULL;
  if (g_uri_get_host (uri) == NULL && g_str_has_prefix (g_uri_get_path (uri), "//"))
    return NULL;
  return g_uri_to_string (uri);
}

OpenIotForm *
_openiot_form_new (JsonObject             *object,
                   const OpenIotFormScope *scope,
                   OpenIotOperation        default_operations)
{
  g_autoptr(OpenIotForm) self = g_object_new (OPENIOT_TYPE_FORM, NULL);
  const char *href = _openiot_td_string (object, "href");
  const char *method = _openiot_td_string (object, "htv:methodName");
  g_autofree char *resolved = NULL;

  if (href == NULL)
    return NULL;

  self->operations = parse_operations (object, default_operations);
  self->content_type = g_strdup (_openiot_td_string (object, "contentType"));
  if (self->content_type == NULL)
    self->content_type = g_strdup ("application/json");
  self->subprotocol = g_strdup (_openiot_td_string (object, "subprotocol"));
  /* Only plain methods: a TD does not get to send CONNECT or a method
   * name with spaces through the hub. */
  if (method != NULL && g_strv_contains (allowed_methods, method))
    self->method = g_strdup (method);

  resolved = _openiot_form_resolve_uri (scope->base, href);
  self->href = g_strdup (resolved != NULL ? resolved : href);
  if (resolved != NULL)
    self->path = path_on_hub (resolved, scope);

  return g_steal_pointer (&self);
}

/**
 * openiot_form_get_operations:
 *
 * Returns: the operations this form performs
 */
OpenIotOperation
openiot_form_get_operations (OpenIotForm *self)
{
  g_return_val_if_fail (OPENIOT_IS_FORM (self), OPENIOT_OPERATION_NONE);
  return self->operations;
}

/**
 * openiot_form_get_href:
 *
 * Returns: the resolved target, as an absolute URL
 */
const char *
openiot_form_get_href (OpenIotForm *self)
{
  g_return_val_if_fail (OPENIOT_IS_FORM (self), NULL);
  return self->href;
}

/**
 * openiot_form_get_path:
 *
 * Returns: (nullable): the path on the hub, with its query, or %NULL when
 *   the form is not reachable
 */
const char *
openiot_form_get_path (OpenIotForm *self)
{
  g_return_val_if_fail (OPENIOT_IS_FORM (self), NULL);
  return self->path;
}

/**
 * openiot_form_get_reachable:
 *
 * Returns: whether the form targets this service on the pinned hub
 */
gboolean
openiot_form_get_reachable (OpenIotForm *self)
{
  g_return_val_if_fail (OPENIOT_IS_FORM (self), FALSE);
  return self->path != NULL;
}

/**
 * openiot_form_get_method:
 * @operation: the operation to perform
 *
 * Returns: the form's `htv:methodName`, or the default method for
 *   @operation (GET to read, PUT to write, POST to invoke)
 */
const char *
openiot_form_get_method (OpenIotForm      *self,
                         OpenIotOperation  operation)
{
  g_return_val_if_fail (OPENIOT_IS_FORM (self), NULL);
  return self->method != NULL ? self->method : default_method (operation);
}

const char *
openiot_form_get_content_type (OpenIotForm *self)
{
  g_return_val_if_fail (OPENIOT_IS_FORM (self), NULL);
  return self->content_type;
}

/**
 * openiot_form_get_subprotocol:
 *
 * Returns: (nullable): the subprotocol, e.g. `sse`
 */
const char *
openiot_form_get_subprotocol (OpenIotForm *self)
{
  g_return_val_if_fail (OPENIOT_IS_FORM (self), NULL);
  return self->subprotocol;
}

static void
openiot_form_finalize (GObject *object)
{
  OpenIotForm *self = OPENIOT_FORM (object);

  g_free (self->href);
  g_free (self->path);
  g_free (self->method);
  g_free (self->content_type);
  g_free (self->subprotocol);

  G_OBJECT_CLASS (openiot_form_parent_class)->finalize (object);
}

static void
openiot_form_class_init (OpenIotFormClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = openiot_form_finalize;
}

static void
openiot_form_init (OpenIotForm *self)
{
}
