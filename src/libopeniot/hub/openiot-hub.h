// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include "openiot-consumed-thing.h"
#include "openiot-hub-connection.h"
#include "openiot-pin-store.h"
#include "openiot-thing-cache.h"

G_BEGIN_DECLS

/**
 * OpenIotHubStatus:
 * @OPENIOT_HUB_STATUS_UNKNOWN: not asked yet
 * @OPENIOT_HUB_STATUS_CONNECTING: asking
 * @OPENIOT_HUB_STATUS_ONLINE: the hub answered
 * @OPENIOT_HUB_STATUS_OFFLINE: the hub could not be reached
 * @OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED: the hub presented another
 *   certificate; everything is blocked until the user decides
 * @OPENIOT_HUB_STATUS_NOT_REGISTERED: this device was removed from the hub
 *
 * What is known of a paired hub right now.
 */
typedef enum
{
  OPENIOT_HUB_STATUS_UNKNOWN,
  OPENIOT_HUB_STATUS_CONNECTING,
  OPENIOT_HUB_STATUS_ONLINE,
  OPENIOT_HUB_STATUS_OFFLINE,
  OPENIOT_HUB_STATUS_CERTIFICATE_CHANGED,
  OPENIOT_HUB_STATUS_NOT_REGISTERED,
} OpenIotHubStatus;

#define OPENIOT_TYPE_HUB (openiot_hub_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotHub, openiot_hub, OPENIOT, HUB, GObject)

OpenIotHub           *openiot_hub_new                      (OpenIotHubRecord     *record,
                                                            OpenIotIdentity      *identity,
                                                            OpenIotPinStore      *pin_store,
                                                            OpenIotThingCache    *cache);
OpenIotHubRecord     *openiot_hub_get_record               (OpenIotHub           *self);
OpenIotHubConnection *openiot_hub_get_connection           (OpenIotHub           *self);
OpenIotThingCache    *openiot_hub_get_cache                (OpenIotHub           *self);
OpenIotHubStatus       openiot_hub_get_status                (OpenIotHub           *self);
OpenIotThing         *openiot_hub_load_cached_thing        (OpenIotHub           *self,
                                                            const char           *service_id);
void                  openiot_hub_fetch_thing_async        (OpenIotHub           *self,
                                                            const char           *service_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
OpenIotConsumedThing *openiot_hub_fetch_thing_finish       (OpenIotHub           *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
const GError         *openiot_hub_get_error                (OpenIotHub           *self);
GListModel           *openiot_hub_get_services             (OpenIotHub           *self);
const char           *openiot_hub_get_presented_fingerprint (OpenIotHub          *self);
GDateTime            *openiot_hub_get_presented_since      (OpenIotHub           *self);
gboolean              openiot_hub_get_rotation_verified    (OpenIotHub           *self);
void                  openiot_hub_set_monitored            (OpenIotHub           *self,
                                                            gboolean              monitored);
gboolean              openiot_hub_get_monitored            (OpenIotHub           *self);
GDateTime            *openiot_hub_get_offline_since        (OpenIotHub           *self);
char                 *openiot_hub_dup_status_text          (OpenIotHub           *self);
void                  openiot_hub_report_error             (OpenIotHub           *self,
                                                            const GError         *error);
void                  openiot_hub_refresh_async            (OpenIotHub           *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean              openiot_hub_refresh_finish           (OpenIotHub           *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                  openiot_hub_accept_certificate_async (OpenIotHub           *self,
                                                            const char           *fingerprint,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean              openiot_hub_accept_certificate_finish (OpenIotHub          *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                  openiot_hub_set_nickname_async       (OpenIotHub           *self,
                                                            const char           *nickname,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean              openiot_hub_set_nickname_finish      (OpenIotHub           *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                  openiot_hub_remove_async             (OpenIotHub           *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean              openiot_hub_remove_finish            (OpenIotHub           *self,
                                                            GAsyncResult         *result,
                                                            gboolean             *told_hub,
                                                            GError              **error);

G_END_DECLS
