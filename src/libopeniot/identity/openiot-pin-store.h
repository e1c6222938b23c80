// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#if !defined (OPENIOT_INSIDE) && !defined (OPENIOT_COMPILATION)
# error "Only <libopeniot.h> can be included directly."
#endif

#include <gio/gio.h>

#include "openiot-hub-record.h"

G_BEGIN_DECLS

#define OPENIOT_TYPE_PIN_STORE (openiot_pin_store_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotPinStore, openiot_pin_store, OPENIOT, PIN_STORE, GObject)

OpenIotPinStore *openiot_pin_store_new           (const char           *store_dir);
void             openiot_pin_store_list_async    (OpenIotPinStore      *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray       *openiot_pin_store_list_finish   (OpenIotPinStore      *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void             openiot_pin_store_save_async    (OpenIotPinStore      *self,
                                                  OpenIotHubRecord     *record,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean         openiot_pin_store_save_finish   (OpenIotPinStore      *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void             openiot_pin_store_remove_async  (OpenIotPinStore      *self,
                                                  const char           *hub_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean         openiot_pin_store_remove_finish (OpenIotPinStore      *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
