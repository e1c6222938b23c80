// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>
#include <libopeniot.h>

#include "openiot-background.h"
#include "openiot-notifier.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_APPLICATION (openiot_application_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotApplication, openiot_application, OPENIOT, APPLICATION, AdwApplication)

OpenIotApplication *openiot_application_new                   (void);
OpenIotApplication *openiot_application_from_widget           (GtkWidget            *widget);
const char         *openiot_application_get_store_dir         (OpenIotApplication   *self);
OpenIotPinStore    *openiot_application_get_pin_store         (OpenIotApplication   *self);
OpenIotThingCache  *openiot_application_get_cache             (OpenIotApplication   *self);
OpenIotBackground  *openiot_application_get_background        (OpenIotApplication   *self);
OpenIotNotifier    *openiot_application_get_notifier          (OpenIotApplication   *self);
OpenIotActivityLog *openiot_application_get_activity_log      (OpenIotApplication   *self,
                                                               OpenIotHub           *hub);
GListModel         *openiot_application_get_hubs              (OpenIotApplication   *self);
gboolean            openiot_application_get_loading           (OpenIotApplication   *self);
const GError       *openiot_application_get_error             (OpenIotApplication   *self);
void                openiot_application_load_identity_async   (OpenIotApplication   *self,
                                                               const char           *device_name,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
OpenIotIdentity    *openiot_application_load_identity_finish  (OpenIotApplication   *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
OpenIotHub         *openiot_application_add_hub               (OpenIotApplication   *self,
                                                               OpenIotHubRecord     *record,
                                                               OpenIotIdentity      *identity);
void                openiot_application_remove_hub            (OpenIotApplication   *self,
                                                               OpenIotHub           *hub);
void                openiot_application_reload                (OpenIotApplication   *self);

G_END_DECLS
