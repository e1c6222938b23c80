// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "openiot-application.h"
#include "openiot-test-hub.h"

#include "openiot-test-ui.h"

G_BEGIN_DECLS

OpenIotApplication *openiot_test_app_init         (int                  *argc,
                                                   char               ***argv);
OpenIotApplication *openiot_test_app_new          (void);
void                openiot_test_app_wait_loaded  (OpenIotApplication   *app);
void                openiot_test_app_wait_until   (OpenIotHub           *hub,
                                                   OpenIotTestCondition  condition,
                                                   gpointer              data,
                                                   const char           *what);
OpenIotHub         *openiot_test_app_pair         (OpenIotApplication   *app,
                                                   OpenIotTestHub       *test_hub);
void                openiot_test_app_invoke       (OpenIotHub           *hub,
                                                   const char           *service_id,
                                                   const char           *action);

G_END_DECLS
