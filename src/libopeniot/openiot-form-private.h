// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "openiot-form.h"

G_BEGIN_DECLS

/* The URL a client uses for the pinned hub; forms resolve against
 * OPENIOT_FORM_HUB_URI "/services/<id>/" (docs/protocol.md). */
#define OPENIOT_FORM_HUB_URI "https://hub.invalid"

OpenIotForm *_openiot_form_new         (JsonObject       *object,
                                        const char       *base,
                                        const char       *service_root,
                                        OpenIotOperation  default_operations);
char        *_openiot_form_resolve_uri (const char       *base,
                                        const char       *reference);

G_END_DECLS
