// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#define OPENIOT_INSIDE
# include "openiot-version.h"
# include "openiot-consumed-thing.h"
# include "openiot-data-schema.h"
# include "openiot-discovered-hub.h"
# include "openiot-discovery.h"
# include "openiot-error.h"
# include "openiot-enums.h"
# include "openiot-fingerprint.h"
# include "openiot-form.h"
# include "openiot-hub-connection.h"
# include "openiot-hub.h"
# include "openiot-hub-record.h"
# include "openiot-identity.h"
# include "openiot-interaction.h"
# include "openiot-json.h"
# include "openiot-observation.h"
# include "openiot-pairing-link.h"
# include "openiot-pairing-result.h"
# include "openiot-pairing.h"
# include "openiot-pin-store.h"
# include "openiot-service-info.h"
# include "openiot-sse-parser.h"
# include "openiot-thing.h"
# include "openiot-thing-cache.h"
#undef OPENIOT_INSIDE
