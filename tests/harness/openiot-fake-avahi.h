// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _OpenIotFakeAvahi OpenIotFakeAvahi;

OpenIotFakeAvahi *openiot_fake_avahi_new       (const char       *bus_address,
                                                gboolean          with_prepare);
void              openiot_fake_avahi_announce  (OpenIotFakeAvahi *self,
                                                int               interface,
                                                int               protocol,
                                                const char       *name,
                                                const char       *address,
                                                guint16           port,
                                                const char * const *txt);
void              openiot_fake_avahi_withdraw  (OpenIotFakeAvahi *self,
                                                int               interface,
                                                int               protocol,
                                                const char       *name);
guint             openiot_fake_avahi_get_browsers (OpenIotFakeAvahi *self);
void              openiot_fake_avahi_free      (OpenIotFakeAvahi *self);

G_END_DECLS
