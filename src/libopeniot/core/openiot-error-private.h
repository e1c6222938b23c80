// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include "openiot-error.h"

G_BEGIN_DECLS

void _openiot_error_set_attempts_left (GError *error,
                                       int     attempts_left);

G_END_DECLS
