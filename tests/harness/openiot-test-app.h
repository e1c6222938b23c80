// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-application.h"
#include "openiot-test-hub.h"
#include "openiot-thing-page.h"
#include "openiot-window.h"

#include "openiot-test-ui.h"

G_BEGIN_DECLS

OpenIotApplication *openiot_test_app_init            (int                  *argc,
                                                      char               ***argv);
OpenIotApplication *openiot_test_app_new             (void);
void                openiot_test_app_wait_loaded     (OpenIotApplication   *app);
OpenIotWindow      *openiot_test_app_open_window     (OpenIotApplication   *app,
                                                      int                   width,
                                                      int                   height);
void                openiot_test_app_wait_until      (OpenIotHub           *hub,
                                                      OpenIotTestCondition  condition,
                                                      gpointer              data,
                                                      const char           *what);
OpenIotHub         *openiot_test_app_pair            (OpenIotApplication   *app,
                                                      OpenIotTestHub       *test_hub);
void                openiot_test_app_invoke          (OpenIotHub           *hub,
                                                      const char           *service_id,
                                                      const char           *action);
JsonNode           *openiot_test_app_read_property   (OpenIotHub           *hub,
                                                      const char           *service_id,
                                                      const char           *name);

gboolean            openiot_test_app_hub_online      (gpointer              hub);
gboolean            openiot_test_app_action_answered (gpointer              action_row);
const char         *openiot_test_app_lock_state      (OpenIotThingPage     *page);
gboolean            openiot_test_app_lock_locked     (gpointer              thing_page);
gboolean            openiot_test_app_lock_unlocked   (gpointer              thing_page);

G_END_DECLS
