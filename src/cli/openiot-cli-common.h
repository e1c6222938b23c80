// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libopeniot.h>

#include "openiot-cli-exit.h"

G_BEGIN_DECLS

/* Options every command takes, also accepted before the command name. */
typedef struct
{
  gboolean  json;
  char     *store_dir;
} OpenIotCliOptions;

extern OpenIotCliOptions openiot_cli_options;

gboolean          openiot_cli_parse           (int            *argc,
                                               char         ***argv,
                                               const char     *parameters,
                                               const char     *summary,
                                               const GOptionEntry *extra);
GOptionEntry      openiot_cli_hub_option      (char          **hub_name);
gboolean          openiot_cli_parse_with_hub  (int            *argc,
                                               char         ***argv,
                                               const char     *parameters,
                                               const char     *summary,
                                               char          **hub_name);
GAsyncResult     *openiot_cli_wait            (GAsyncResult  **result);
void              openiot_cli_store_result    (GObject        *source,
                                               GAsyncResult   *result,
                                               gpointer        user_data);
int               openiot_cli_fail            (const GError   *error);
OpenIotIdentity  *openiot_cli_load_identity   (const char     *device_name,
                                               GError        **error);
void              openiot_cli_print_json      (JsonNode       *node);
void              openiot_cli_print_json_strings (const char    *first_member,
                                                  ...) G_GNUC_NULL_TERMINATED;
const char       *openiot_cli_safe            (const char     *text);
GPtrArray        *openiot_cli_list_hubs       (GError        **error);
OpenIotHubRecord *openiot_cli_find_hub        (const char     *hub,
                                               GError        **error);
OpenIotHubConnection *openiot_cli_connect     (const char        *hub_name,
                                               OpenIotHubRecord **hub,
                                               OpenIotIdentity  **identity,
                                               GError           **error);
const char       *openiot_cli_verification_text (OpenIotVerification verification);
void              openiot_cli_print_fingerprint (const char     *label,
                                                 const char     *fingerprint);
gboolean          openiot_cli_confirm           (const char     *question);
void              openiot_cli_explain_certificate_change (OpenIotHubRecord     *hub,
                                                          OpenIotHubConnection *connection,
                                                          const GError         *error);
int               openiot_cli_fail_on_hub     (OpenIotHubRecord     *hub,
                                               OpenIotHubConnection *connection,
                                               const GError         *error);
OpenIotThingCache *openiot_cli_new_cache       (void);
gboolean          openiot_cli_save_hub          (OpenIotHubRecord *record,
                                                 GError        **error);

G_END_DECLS
