// SPDX-License-Identifier: LGPL-2.1-or-later
#include "config.h"

#include "openiot-error.h"

G_DEFINE_QUARK (openiot-error-quark, openiot_error)
