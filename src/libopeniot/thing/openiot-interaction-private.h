// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-form-private.h"
#include "openiot-interaction.h"
#include "openiot-td-private.h"

G_BEGIN_DECLS

OpenIotInteraction *_openiot_interaction_new (OpenIotInteractionKind   kind,
                                              const char              *name,
                                              JsonObject              *object,
                                              const OpenIotFormScope  *scope,
                                              OpenIotTdBudget         *budget,
                                              GError                 **error);
GPtrArray          *_openiot_forms_new       (JsonObject              *object,
                                              const OpenIotFormScope  *scope,
                                              OpenIotOperation         default_operations);
OpenIotForm        *_openiot_forms_find      (GPtrArray               *forms,
                                              OpenIotOperation         operation);

G_END_DECLS
