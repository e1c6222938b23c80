// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>
#include <libopeniot.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_NOTIFIER (openiot_notifier_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotNotifier, openiot_notifier, OPENIOT, NOTIFIER, GObject)

OpenIotNotifier    *openiot_notifier_new        (GApplication       *application,
                                                 GListModel         *hubs);
OpenIotActivityLog *openiot_notifier_get_log    (OpenIotNotifier    *self,
                                                 OpenIotHub         *hub);
gboolean            openiot_notifier_get_wanted (OpenIotNotifier    *self,
                                                 OpenIotHub         *hub,
                                                 const char         *service_id,
                                                 OpenIotInteraction *event);
void                openiot_notifier_set_wanted (OpenIotNotifier    *self,
                                                 OpenIotHub         *hub,
                                                 const char         *service_id,
                                                 OpenIotInteraction *event,
                                                 gboolean            wanted);

G_END_DECLS
