// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-message"

#include "config.h"

#include "openiot-message-private.h"

/*
 * _openiot_message_new:
 *
 * Every HTTP message this library sends is made here. A redirect is never
 * followed: a service behind the hub could otherwise send a request (even
 * a POST turned into a GET, or one in plain HTTP) to wherever it likes —
 * another service, the hub's own API, another host — and the answer would
 * look like the one asked for. A 3xx is handed back to the caller as the
 * service's answer (docs/security.md, "A malicious service or Thing
 * Description").
 */
SoupMessage *
_openiot_message_new (const char *method,
                      GUri       *uri)
{
  SoupMessage *msg = soup_message_new_from_uri (method, uri);

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  return msg;
}
