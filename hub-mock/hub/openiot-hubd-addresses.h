// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The order is the order clients get them in: global first. */
typedef enum
{
  OPENIOT_HUBD_ADDRESS_GLOBAL, /* 2000::/3 */
  OPENIOT_HUBD_ADDRESS_ULA,    /* fc00::/7 */
  OPENIOT_HUBD_ADDRESS_LINK,   /* fe80::/10, always with its %interface */
} OpenIotHubdAddressScope;

typedef struct
{
  char                   *address;
  OpenIotHubdAddressScope  scope;
} OpenIotHubdAddress;

OpenIotHubdAddress *openiot_hubd_address_new             (const char              *address,
                                                        OpenIotHubdAddressScope   scope);
void               openiot_hubd_address_free            (OpenIotHubdAddress       *address);
const char        *openiot_hubd_address_scope_to_string (OpenIotHubdAddressScope   scope);
GPtrArray         *openiot_hubd_addresses_collect       (const char * const      *public_addresses,
                                                        GError                 **error);
JsonNode          *openiot_hubd_addresses_to_json       (GPtrArray               *addresses);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenIotHubdAddress, openiot_hubd_address_free)

G_END_DECLS
