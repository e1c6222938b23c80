// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void        openiot_fake_notifications_serve (void);
guint       openiot_fake_notifications_find  (const char *prefix);
const char *openiot_fake_notifications_get   (guint       id);
guint       openiot_fake_notifications_count (void);
void        openiot_fake_notifications_click (guint       id);
gboolean    openiot_fake_notifications_seen  (gpointer    prefix);

G_END_DECLS
