// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

G_BEGIN_DECLS

typedef void (*OpenIotActionConfirmed) (GtkWidget          *widget,
                                        OpenIotInteraction *action);

void openiot_action_confirm (GtkWidget              *widget,
                             OpenIotInteraction     *action,
                             const char             *device,
                             OpenIotActionConfirmed  confirmed);

G_END_DECLS
