#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The main port's front against strangers (issue 16, findings 1, 2 and 5)
and the HTTP/1.0 keep-alive a plain loader expects (docs/hub-front.md).

Floods are loopback-only and bounded: a few hundred connections, seconds."""

import os
import re
import socket
import statistics
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import ClientIdentity, SseReader, hub_in_tempdir  # noqa: E402


def timed_request(hub, client, path="/open-iot/v1/hub", timeout=10):
    start = time.monotonic()
    status, _ = hub.curl_json(path, client, timeout=timeout)
    return status, time.monotonic() - start


def read_response(sock):
    """One response with a Content-Length: (head, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("closed before the response head: %r" % data)
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError("closed in the body")
        body += chunk
    return head, body[:length]


class FrontTestCase(unittest.TestCase):
    wrapper = ()
    services = ("thermostat",)

    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=self.services,
                                            wrapper=list(self.wrapper))
        self.client = ClientIdentity(os.path.join(self.tmp.name, "client"))
        self.hub.register(self.client)

    def open_strangers(self, count, tls=False):
        """@count connections that never send a request, after an
        anonymous TLS handshake with @tls."""
        strangers, failures = [], 0
        while len(strangers) < count and failures < 3:
            try:
                if tls:
                    strangers.append(self.hub.tls_socket(timeout=2))
                else:
                    strangers.append(socket.create_connection((self.hub.listen, self.hub.port), timeout=5))
            except OSError:
                failures += 1  # a full hub may refuse or drop some: what matters is what happens next
        return strangers


class TestFileDescriptorExhaustion(FrontTestCase):
    """Finding 1: with a 256 file limit, more anonymous connections than
    that used to stop the listener for good at the first EMFILE."""

    wrapper = ("prlimit", "--nofile=256")

    def test_accepting_survives_exhaustion(self):
        # each handshake makes the hub accept: it runs out of descriptors
        # unless it caps its connections
        strangers = self.open_strangers(300, tls=True)
        # while they are held, a paired client still gets through: the
        # oldest unauthenticated connections make room
        status, elapsed = timed_request(self.hub, self.client)
        self.assertEqual(status, 200)
        for sock in strangers:
            sock.close()
        status, elapsed = timed_request(self.hub, self.client)
        self.assertEqual(status, 200, self.hub.log()[-2000:])
        self.assertLess(elapsed, 3.0)
        self.assertTrue(self.hub.alive())


class TestSilentConnections(FrontTestCase):
    """Finding 2: connections that never send a byte must neither starve
    paired clients nor stay open past the handshake deadline."""

    DEADLINE = 3
    wrapper = ("env", f"OPENIOT_HUB_HANDSHAKE_TIMEOUT={DEADLINE}")

    def test_silent_connections_starve_no_one(self):
        start = time.monotonic()
        strangers = self.open_strangers(150)
        self.assertEqual(len(strangers), 150)
        for _ in range(5):
            status, elapsed = timed_request(self.hub, self.client)
            self.assertEqual(status, 200)
            self.assertLess(elapsed, 1.5, "a paired client stalled behind silent connections")
        # each is closed once the deadline has passed, not before
        ended = 0
        for sock in strangers:
            sock.settimeout(max(0.1, start + self.DEADLINE + 5 - time.monotonic()))
            try:
                if sock.recv(1) == b"":
                    ended += 1
            except ConnectionResetError:
                ended += 1
            except (TimeoutError, socket.timeout):
                pass
            sock.close()
        self.assertEqual(ended, 150, "silent connections outlived the handshake deadline")
        self.assertGreaterEqual(time.monotonic() - start, self.DEADLINE - 0.5)


class TestRevocation(FrontTestCase):
    """Finding 5: revoking a client ends what it has open at once."""

    services = ("meter",)

    def test_revoke_ends_open_event_stream(self):
        stream = SseReader(self.hub, "/services/meter/properties/power/observe", self.client)
        self.addCleanup(stream.close)
        stream.events(1, timeout=10)
        client_id = [c for c in self.hub.admin("clients")
                     if c["certificate"] == self.client.fingerprint][0]["client_id"]
        revoked = time.monotonic()
        self.hub.admin("revoke", client_id)
        with self.assertRaises(EOFError):
            stream.events(100, timeout=5)
        self.assertLess(time.monotonic() - revoked, 1.5, "the stream outlived the revocation")
        status, _ = self.hub.curl_json("/open-iot/v1/hub", self.client)
        self.assertEqual(status, 403)


class TestKeepAlive(FrontTestCase):
    """ab -k speaks HTTP/1.0 with "Connection: keep-alive"; the hub used to
    close after every response."""

    def request(self, version, connection):
        return (f"GET /open-iot/v1/hub HTTP/{version}\r\nHost: hub.invalid\r\n"
                f"Connection: {connection}\r\n\r\n").encode()

    def test_http10_keep_alive(self):
        sock = self.hub.tls_socket(self.client, timeout=5)
        self.addCleanup(sock.close)
        for _ in range(3):
            sock.sendall(self.request("1.0", "keep-alive"))
            head, body = read_response(sock)
            self.assertIn(b" 200 ", head.split(b"\r\n")[0])
            self.assertRegex(head, rb"(?im)^connection:\s*keep-alive")
        # without asking, an HTTP/1.0 client still gets its connection closed
        sock.sendall(self.request("1.0", "close"))
        read_response(sock)
        self.assertEqual(sock.recv(1), b"")

    def test_small_responses_are_not_delayed(self):
        # Nagle's algorithm against the client's delayed ACK costs ~40 ms a
        # response when one is written in more than one segment
        sock = self.hub.tls_socket(self.client, timeout=5)
        self.addCleanup(sock.close)
        times = []
        for _ in range(30):
            start = time.monotonic()
            sock.sendall(self.request("1.1", "keep-alive"))
            read_response(sock)
            times.append(time.monotonic() - start)
        self.assertLess(statistics.median(times), 0.02, times)


class TestFirstRequest(FrontTestCase):
    """A client with Nagle's algorithm on (ab, Python, OpenSSL's default)
    holds its first request until the hub acknowledges its last handshake
    flight, which the kernel delays by up to 40 ms unless told otherwise."""

    def test_first_request_is_not_delayed(self):
        times = []
        for _ in range(15):
            sock = self.hub.tls_socket(self.client, timeout=5)
            start = time.monotonic()
            sock.sendall(b"GET /open-iot/v1/hub HTTP/1.1\r\nHost: hub.invalid\r\nConnection: close\r\n\r\n")
            read_response(sock)
            times.append(time.monotonic() - start)
            sock.close()
        self.assertLess(statistics.median(times), 0.02, times)


if __name__ == "__main__":
    unittest.main(verbosity=2)
