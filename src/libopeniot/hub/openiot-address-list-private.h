// SPDX-License-Identifier: LGPL-2.1-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define OPENIOT_TYPE_ADDRESS_LIST (_openiot_address_list_get_type ())

G_DECLARE_FINAL_TYPE (OpenIotAddressList, _openiot_address_list, OPENIOT, ADDRESS_LIST, GObject)

OpenIotAddressList *_openiot_address_list_new (const char * const *addresses,
                                               guint16             port);
GStrv               _openiot_address_list_order (const char * const *addresses,
                                                 const char         *last_good);
guint               _openiot_address_distance   (GInetAddress       *address);

G_END_DECLS
