// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The order is the order clients get them in: global first. */
typedef enum
{
  OPENIOT_HUB_ADDRESS_GLOBAL, /* 2000::/3 */
  OPENIOT_HUB_ADDRESS_ULA,    /* fc00::/7 */
  OPENIOT_HUB_ADDRESS_LINK,   /* fe80::/10, always with its %interface */
} OpenIotHubAddressScope;

typedef struct
{
  char                   *address;
  OpenIotHubAddressScope  scope;
} OpenIotHubAddress;

OpenIotHubAddress *openiot_hub_address_new             (const char              *address,
                                                        OpenIotHubAddressScope   scope);
void               openiot_hub_address_free            (OpenIotHubAddress       *address);
const char        *openiot_hub_address_scope_to_string (OpenIotHubAddressScope   scope);
GPtrArray         *openiot_hub_addresses_collect       (const char * const      *public_addresses,
                                                        GError                 **error);
JsonNode          *openiot_hub_addresses_to_json       (GPtrArray               *addresses);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotHubAddress, openiot_hub_address_free)

G_END_DECLS
