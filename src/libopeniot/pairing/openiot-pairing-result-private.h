// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "openiot-pairing-result.h"

G_BEGIN_DECLS

OpenIotPairingResult *_openiot_pairing_result_new_from_json (JsonNode             *node,
                                                             const char           *link_fingerprint,
                                                             const char           *paired_through,
                                                             GError              **error);

G_END_DECLS
