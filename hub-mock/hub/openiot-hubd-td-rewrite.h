// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GBytes *openiot_hubd_td_rewrite       (GBytes               *td,
                                      const char           *base,
                                      GError              **error);
char   *openiot_hubd_td_base_for_host (const char           *host,
                                      const char           *service_id);

G_END_DECLS
