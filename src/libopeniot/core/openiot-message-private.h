// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

SoupMessage *_openiot_message_new (const char *method,
                                   GUri       *uri);

G_END_DECLS
