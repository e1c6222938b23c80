// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void    _openiot_read_bounded_async  (GInputStream         *stream,
                                      gsize                 max_size,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GBytes *_openiot_read_bounded_finish (GInputStream         *stream,
                                      GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
