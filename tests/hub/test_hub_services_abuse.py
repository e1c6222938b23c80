#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Services are semi-trusted (docs/security.md, "A malicious service"):
hostile Python services behind the real hub, issue 16 findings 6-9. Each
test ends with the hub up and serving; memory is read from
/proc/PID/status while the abuse goes on."""

import json
import os
import re
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import (  # noqa: E402
    ClientIdentity, ScriptedService, assert_still_serving, hub_in_tempdir, rss_kib, wait_for)

MIB = 1024 * 1024
# what a hostile service may cost the hub, over its baseline
RSS_BOUND_KIB = 64 * 1024


class HostileService(ScriptedService):
    """ScriptedService with more modes, by the first path segment:

    .well-known     the Thing Description in self.td: bytes, or a size to
                    stream (no Content-Length, then close)
    headers         200 with headers a service must not give a client
    double-length   two different Content-Lengths
    huge            512 MiB of body, as fast as the hub takes it
    big             32 MiB of body (for a client that reads it all)
    flood           an event stream, events as fast as possible for 5 s
    """

    def __init__(self, services_dir, name, td=b'{"title": "Hostile"}'):
        self.td = td
        self.streams_ended = 0  # bodies the hub stopped taking, or took whole
        self.streams_sent_whole = 0
        super().__init__(services_dir, name)

    def _send_stream(self, conn, head, total, piece):
        conn.sendall(head)
        try:
            sent = 0
            while sent < total:
                conn.sendall(piece)
                sent += len(piece)
        except OSError:
            pass
        conn.close()
        self.streams_sent_whole += sent >= total
        self.streams_ended += 1

    def _answer(self, conn, mode, head):
        if mode == ".well-known" and isinstance(self.td, int):
            self._send_stream(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/td+json\r\n"
                              b"Connection: close\r\n\r\n", self.td, b" " * MIB)
        elif mode == ".well-known":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/td+json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(self.td), self.td))
            conn.close()
        elif mode == "headers":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                         b"Set-Cookie: session=stolen; Path=/\r\n"
                         b"Alt-Svc: h3=\":443\"; ma=86400\r\n"
                         b"Strict-Transport-Security: max-age=31536000\r\n"
                         b"Location: https://evil.example/\r\n"
                         b"X-Open-IoT-Client-Id: forged\r\n"
                         b"X_Open_IoT_Client_Name: forged\r\n"
                         b"Connection: close, X-Secret\r\n"
                         b"X-Secret: hop\r\n"
                         b"X-Kept: yes\r\n\r\n{}")
            conn.close()
        elif mode == "double-length":
            self._send_then_close(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                  b"Content-Length: 2\r\nContent-Length: 12\r\n"
                                  b"Connection: close\r\n\r\n{}{\"more\":1}")
        elif mode == "huge":
            self._send_stream(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                              b"Content-Length: %d\r\n\r\n" % (512 * MIB), 512 * MIB, b"x" * MIB)
        elif mode == "big":
            self._send_stream(conn, b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                              b"Content-Length: %d\r\n\r\n" % (32 * MIB), 32 * MIB, b"x" * MIB)
        elif mode == "flood":
            event = b"data: " + b"e" * 1000 + b"\n\n"
            chunk = (b"%x\r\n%s\r\n" % (len(event), event)) * 64
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
            deadline = time.monotonic() + 5
            try:
                while time.monotonic() < deadline:
                    conn.sendall(chunk)
            except OSError:
                pass
            conn.close()
            self.streams_ended += 1
        else:
            super()._answer(conn, mode, head)


class AbuseTestCase(unittest.TestCase):
    services = ()

    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=("lock",))
        cls.hostile = {name: HostileService(cls.hub.services_dir, name, td) for name, td in cls.services}
        cls.client = ClientIdentity(os.path.join(cls.tmp.name, "client"))
        cls.hub.register(cls.client)

    @classmethod
    def tearDownClass(cls):
        for service in cls.hostile.values():
            service.close()

    def assertServing(self):
        assert_still_serving(self, self.hub, self.client)
        self.assertNotIn("CRITICAL", self.hub.log())

    def listing(self):
        status, services = self.hub.curl_json("/open-iot/v1/services", self.client, timeout=10)
        self.assertEqual(status, 200)
        return {service["id"]: service for service in services}

    def rss_while(self, seconds):
        """The hub's largest VmRSS, sampled while @seconds pass."""
        peak, deadline = 0, time.monotonic() + seconds
        while time.monotonic() < deadline:
            peak = max(peak, rss_kib(self.hub.proc.pid))
            time.sleep(0.1)
        return peak

    def stalled_request(self, path):
        """A client that asks for @path, reads the response head, then
        stops reading. Returns the socket and what it read."""
        sock = self.hub.tls_socket(self.client, timeout=10)
        sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: hub.invalid\r\n\r\n")
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(4096)
        return sock, head


class TestThingDescriptions(AbuseTestCase):
    """Findings 6 and 7 (the listing's TD read)."""
    services = (("deep", b"[" * 100000 + b"]" * 100000),
                ("bigtd", 256 * MIB),
                ("fine", b'{"title": "Fine"}'))

    def test_deep_td_leaves_hub_up_and_service_down(self):
        listing = self.listing()
        self.assertServing()
        self.assertEqual(listing["deep"]["state"], "down")
        self.assertIn("reason", listing["deep"])
        self.assertEqual(listing["fine"]["state"], "up")
        self.assertEqual(listing["fine"]["title"], "Fine")
        self.assertIn("deep", self.hub.log())

    def test_huge_td_is_refused_with_bounded_memory(self):
        before = rss_kib(self.hub.proc.pid, "VmHWM")
        listing = self.listing()
        self.assertEqual(listing["bigtd"]["state"], "down")
        self.assertIn("too large", listing["bigtd"].get("reason", ""))
        self.assertLess(rss_kib(self.hub.proc.pid, "VmHWM") - before, RSS_BOUND_KIB,
                        "the hub read the whole TD")
        service = self.hostile["bigtd"]
        wait_for(lambda: service.streams_ended > 0, timeout=10, what="the hub to drop the TD")
        self.assertEqual(service.streams_sent_whole, 0, "the hub read the rest of the TD anyway")
        self.assertServing()


class ProbedService(HostileService):
    """HostileService whose Thing Description is one of: "hang" (read the
    request, never answer), "declared" (a Content-Length over the limit,
    then nothing), "missing" (404)."""

    def _answer(self, conn, mode, head):
        if mode == ".well-known" and self.td == "hang":
            with self._lock:
                self._held.append(conn)
        elif mode == ".well-known" and self.td == "declared":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/td+json\r\n"
                         b"Content-Length: %d\r\n\r\n{" % (2 * MIB))
            with self._lock:
                self._held.append(conn)
        elif mode == ".well-known" and self.td == "missing":
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            conn.close()
        else:
            super()._answer(conn, mode, head)


class TestListingProbes(AbuseTestCase):
    """The listing's look at each TD: a service that does not answer
    within 2 s, says it will send too much, or has no TD is "down", and
    the listing comes anyway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("hang", "declared", "missing"):
            cls.hostile[name] = ProbedService(cls.hub.services_dir, name, name)
        cls.hostile["fine"] = HostileService(cls.hub.services_dir, "fine", b'{"title": "Fine"}')

    def test_listing_survives_probes(self):
        start = time.monotonic()
        listing = self.listing()
        self.assertLess(time.monotonic() - start, 8, "the listing waited on a service")
        for name in ("hang", "declared", "missing"):
            with self.subTest(service=name):
                self.assertEqual(listing[name]["state"], "down")
        self.assertNotIn("reason", listing["hang"])
        self.assertNotIn("reason", listing["missing"])
        self.assertIn("too large", listing["declared"].get("reason", ""))
        self.assertEqual(listing["fine"]["state"], "up")
        self.assertEqual(listing["lock"]["state"], "up")
        self.assertServing()

    def test_admin_socket_is_no_service_in_the_listing(self):
        os.makedirs(os.path.join(self.hub.services_dir, "hardlink"))
        os.link(os.path.join(self.hub.state, "admin.sock"),
                os.path.join(self.hub.services_dir, "hardlink", "interface.sock"))
        self.addCleanup(os.unlink, os.path.join(self.hub.services_dir, "hardlink", "interface.sock"))
        self.assertEqual(self.listing()["hardlink"]["state"], "down")
        self.assertIn("leads back to the hub itself", self.hub.log())
        self.assertServing()


class TestBackPressure(AbuseTestCase):
    """Finding 7: a client that stops reading holds the service, not the
    hub's memory."""
    services = (("hostile", b'{"title": "Hostile"}'),)

    def stall_and_measure(self, path, expect):
        service = self.hostile["hostile"]
        baseline = rss_kib(self.hub.proc.pid)
        ended, whole = service.streams_ended, service.streams_sent_whole
        sock, head = self.stalled_request(path)
        try:
            self.assertIn(expect, head.lower())
            peak = self.rss_while(6)
            self.assertEqual(service.streams_ended, ended, "the service got to send it all")
        finally:
            sock.close()
        # the client left while the hub waited on it: the hub lets go of
        # the service's connection too
        wait_for(lambda: service.streams_ended > ended, timeout=10, what="the hub to drop the upstream")
        self.assertEqual(service.streams_sent_whole, whole, "the hub read the rest of the reply anyway")
        print(f"\n{path.decode()}: RSS {baseline} KiB before, {peak} KiB at most while stalled",
              file=sys.stderr)
        # Under AddressSanitizer freed memory waits in its quarantine (256 MB)
        # and RSS says nothing about what the hub keeps: the bound is the
        # plain build's (the stalled service is still checked above)
        if not os.environ.get("OPENIOT_SANITIZER_REPORTS"):
            self.assertLess(peak - baseline, RSS_BOUND_KIB,
                            f"RSS grew {(peak - baseline) // 1024} MiB behind a stalled client")
        self.assertServing()

    def test_stalled_client_is_cut_after_idle_timeout(self):
        # 30 s without the client taking a byte of a body that is not an
        # event stream: the hub ends the response and lets the service go
        service = self.hostile["hostile"]
        ended = service.streams_ended
        sock, _ = self.stalled_request(b"/services/hostile/huge")
        self.addCleanup(sock.close)
        wait_for(lambda: service.streams_ended > ended, timeout=45, what="the hub to give up on the client")
        self.assertIn("the client stopped reading", self.hub.log())
        self.assertServing()

    def test_reading_client_gets_every_byte(self):
        # back-pressure resumes: the whole body arrives, in order
        status, _, body = self.hub.curl("/services/hostile/big", self.client, timeout=60)
        self.assertEqual(status, 200)
        self.assertEqual(len(body), 32 * MIB)
        self.assertEqual(body.count(b"x"), 32 * MIB)

    def test_512_mib_reply_to_stalled_client(self):
        self.stall_and_measure(b"/services/hostile/huge", b"content-length: 536870912")

    def test_event_flood_to_stalled_client(self):
        self.stall_and_measure(b"/services/hostile/flood", b"text/event-stream")


class TestHeaders(AbuseTestCase):
    """Finding 9: what a service may not say to a client, and paths."""
    services = (("hostile", b'{"title": "Hostile"}'),)

    def test_dropped_response_headers(self):
        status, head, body = self.hub.curl("/services/hostile/headers", self.client)
        self.assertEqual(status, 200)
        self.assertEqual(body, b"{}")
        lower = head.lower()
        for name in ("set-cookie", "alt-svc", "strict-transport-security", "location",
                     "x-open-iot-client-id", "x_open_iot_client_name", "x-secret"):
            with self.subTest(header=name):
                self.assertNotIn(name + ":", lower)
        self.assertIn("x-kept: yes", lower)
        self.assertServing()

    def test_two_content_lengths_give_502(self):
        status, _, body = self.hub.curl("/services/hostile/double-length", self.client)
        self.assertEqual(status, 502)
        self.assertEqual(json.loads(body)["error"], "service-unavailable")
        self.assertIn("two different Content-Lengths", self.hub.log())
        self.assertServing()

    def test_encoded_slash_after_service_id_is_400(self):
        before = len(self.hostile["hostile"].requests)
        for path in ("/services/hostile/a%2Fb", "/services/hostile%2Fecho", "/services/hostile/echo%2f..%2flock"):
            with self.subTest(path=path):
                status, _, body = self.hub.curl(path, self.client)
                self.assertEqual(status, 400, body)
        self.assertEqual(len(self.hostile["hostile"].requests), before, "a request reached the service")
        self.assertServing()


class TestSymlinks(AbuseTestCase):
    """Finding 8: a service socket is never found through a symlink, and
    the admin socket is never the proxy's upstream."""
    services = (("hostile", b'{"title": "Hostile"}'),)

    def assertNoAdmin(self, service):
        admin = os.path.join(self.hub.state, "admin.sock")
        for path in ("status", "clients"):
            status, _, body = self.hub.curl(f"/services/{service}/{path}", self.client)
            self.assertIn(status, (404, 502), body)
            self.assertNotIn(b"fingerprint", body)
            self.assertNotIn(self.client.name.encode(), body)
        self.assertTrue(os.path.exists(admin))
        self.assertServing()

    def test_socket_symlinked_to_admin_socket(self):
        os.makedirs(os.path.join(self.hub.services_dir, "evil"))
        os.symlink(os.path.join(self.hub.state, "admin.sock"),
                   os.path.join(self.hub.services_dir, "evil", "interface.sock"))
        self.assertNoAdmin("evil")

    def test_admin_socket_hard_linked(self):
        os.makedirs(os.path.join(self.hub.services_dir, "hardlink"))
        os.link(os.path.join(self.hub.state, "admin.sock"),
                os.path.join(self.hub.services_dir, "hardlink", "interface.sock"))
        self.assertNoAdmin("hardlink")

    def test_service_dir_symlinked_out_of_services_dir(self):
        outside = os.path.join(self.tmp.name, "outside")
        elsewhere = HostileService(outside, "real")
        self.addCleanup(elsewhere.close)
        os.symlink(os.path.join(outside, "real"), os.path.join(self.hub.services_dir, "away"))
        status, _, body = self.hub.curl("/services/away/echo", self.client)
        self.assertIn(status, (404, 502), body)
        self.assertEqual(elsewhere.requests, [], "the hub followed the symlink")
        self.assertNoAdmin("away")


if __name__ == "__main__":
    unittest.main(verbosity=2)
