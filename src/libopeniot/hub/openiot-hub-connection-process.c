// SPDX-License-Identifier: LGPL-2.1-or-later
#define G_LOG_DOMAIN "openiot-hub-connection"

#include "config.h"

#include "openiot-pin-database-private.h"

#include "openiot-hub-connection.h"

/*
 * What a program that talks to hubs sets up once, for the whole process,
 * before its first hub connection: how libsoup 3.2 and GIO are told what
 * they offer no per-session switch for.
 */

/**
 * openiot_hub_connection_trust_pins_only:
 *
 * Makes a database that trusts no certificate authority the default TLS
 * database of this process (g_tls_backend_set_default_database()), from
 * when the first hub session is made. For programs whose only TLS peers
 * are paired hubs, such as `openiot` and the app: hub connections never
 * trust a CA, whether this is called or not, but GIO loads the default
 * database as it makes a program's first TLS connection — before libsoup
 * 3.2 gives the connection the session's own — and the system's CA
 * bundle is parsed twice for it (~25 ms of a ~60 ms `openiot get`,
 * bench/RESULTS.md).
 *
 * Call it at start-up. Every other TLS connection of the process then
 * sees every certificate as signed by an unknown CA.
 */
void
openiot_hub_connection_trust_pins_only (void)
{
  _openiot_pin_database_set_process_default ();
}

/**
 * openiot_hub_connection_use_http1_only:
 *
 * Hubs offer HTTP/2 beside HTTP/1.1 (docs/protocol.md); this library's
 * clients keep to HTTP/1.1, for two reasons measured in December 2026:
 * libsoup 3.2's HTTP/2 client does not end an event stream whose
 * connection died, so an observation never reconnects after a hub
 * restart or a cut link (three tests of tests/cli/test_things.py fail
 * over h2); and the reference hub serves h2 through an internal HTTP/1.1
 * hop, at 0.8–0.9× its HTTP/1.1 rate (docs/hub-front.md).
 *
 * With HTTP/2 possible, libsoup 3.2 also makes a request wait for any
 * connection to the same host still in its TLS handshake, in case it
 * turns out to be HTTP/2 and can be shared; an HTTP/1.1 one cannot, so the
 * request then opens its own connection after all, a whole handshake
 * late (+1 RTT for the app's first values, bench/RESULTS.md). With
 * HTTP/1.1 forced it opens its own at once. libsoup 3.2 offers this per
 * process only, by the environment variable `SOUP_FORCE_HTTP1`, which it
 * reads each time it picks a connection.
 *
 * Call it first thing in main(), before any thread starts: it sets that
 * variable.
 */
void
openiot_hub_connection_use_http1_only (void)
{
  g_setenv ("SOUP_FORCE_HTTP1", "1", TRUE);
}
