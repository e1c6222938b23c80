// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#define OPENIOT_INSIDE
# include "openiot-version.h"
# include "openiot-error.h"
# include "openiot-enums.h"
# include "openiot-fingerprint.h"
# include "openiot-pairing-link.h"
#undef OPENIOT_INSIDE
