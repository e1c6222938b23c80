// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>

#include "openiot-pairing-link.h"

G_BEGIN_DECLS

/* Names from docs/protocol.md, shared by the hub and the clients so the two
 * sides cannot drift apart. */
#define OPENIOT_PATH_HUB_API        "/open-iot/v1/"
#define OPENIOT_PATH_WELL_KNOWN     "/.well-known/open-iot"
#define OPENIOT_PATH_HUB            "/open-iot/v1/hub"
#define OPENIOT_PATH_SERVICES       "/open-iot/v1/services"
#define OPENIOT_PATH_REGISTRATION   "/open-iot/v1/registration"
#define OPENIOT_PATH_CLIENT_NAME    "/open-iot/v1/clients/self/name"
#define OPENIOT_PATH_PAIR           "/open-iot/v1/pair"
#define OPENIOT_SERVICE_PREFIX      "/services/"
#define OPENIOT_SERVICE_TD_PATH     "/.well-known/wot"

#define OPENIOT_HEADER_CLIENT_ID    "X-Open-IoT-Client-Id"
#define OPENIOT_HEADER_CLIENT_NAME  "X-Open-IoT-Client-Name"
#define OPENIOT_HEADER_PREFIX       "X-Open-IoT-"

/* DNS-SD (docs/protocol.md, "Discovery"): the service type and the keys
 * of its TXT record */
#define OPENIOT_DNSSD_SERVICE_TYPE  "_open-iot._tcp"
#define OPENIOT_TXT_ID              "id"
#define OPENIOT_TXT_API             "api"
#define OPENIOT_TXT_FINGERPRINT     "fp"
#define OPENIOT_TXT_PAIRING         "pairing"
#define OPENIOT_TXT_PAIRING_PORT    "pairing-port"

#define OPENIOT_SRP_USERNAME        "open-iot"
#define OPENIOT_ROTATION_CONTEXT    "open-iot rotation v1"

char     *_openiot_protocol_error_json   (const char  *error,
                                          const char  *message);
char     *_openiot_protocol_error_json_full (const char *error,
                                            const char *message,
                                            const char *reason);
gboolean  _openiot_protocol_parse_error  (GBytes      *body,
                                          char       **error,
                                          char       **message);
char     *_openiot_protocol_parse_error_reason (GBytes *body);
gboolean  _openiot_protocol_response_error (guint        status,
                                           GBytes      *body,
                                           GError     **error);
gboolean  _openiot_service_id_is_valid   (const char  *service_id);
gboolean  _openiot_host_name_is_valid    (const char  *name);
gboolean  _openiot_path_is_safe          (const char  *path);
gboolean  _openiot_pairing_code_is_valid (const char  *code);
gboolean  _openiot_device_name_check     (const char  *name,
                                          GError     **error);
char     *_openiot_device_name_escape    (const char  *name);
GBytes   *_openiot_rotation_message      (const char  *previous_fingerprint,
                                          const char  *new_fingerprint);

G_END_DECLS
