// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "openiot-form.h"

G_BEGIN_DECLS

/* The URL a client uses for the pinned hub; forms resolve against
 * OPENIOT_FORM_HUB_URI "/services/<id>/" (docs/protocol.md). */
#define OPENIOT_FORM_HUB_URI "https://hub.invalid"

/* Where a Thing's forms lead: @base resolves their hrefs (RFC 3986), and
 * a resolved URL is on the hub when it starts with one of @origins (the
 * private one, OPENIOT_FORM_HUB_URI, and the pinned hub's own addresses)
 * followed by @service_path ("/services/<id>/"). */
typedef struct
{
  const char         *base;
  const char         *service_path;
  const char * const *origins;
} OpenIotFormScope;

OpenIotForm *_openiot_form_new         (JsonObject             *object,
                                        const OpenIotFormScope *scope,
                                        OpenIotOperation        default_operations);
gboolean     _openiot_content_type_is_json (const char         *content_type);
char        *_openiot_form_resolve_uri (const char       *base,
                                        const char       *reference);

G_END_DECLS
