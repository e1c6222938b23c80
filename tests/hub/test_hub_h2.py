#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP/2 on the main port by ALPN (issue 16, docs/hub-front.md "HTTP/2"):
the same API and proxy as HTTP/1.1, streaming, back-pressure, resets,
limits and revocation, with curl, nghttp and a small frame-level client
of the test's own (H2Connection) for what the tools cannot do: reset one
stream and keep the connection, stop reading, send malformed frames."""

import json
import os
import re
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import (  # noqa: E402
    ClientIdentity, ScriptedService, accept_in_background, hub_in_tempdir, listen_unix, rss_kib,
    service_socket_path, wait_for)

DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 3, 4, 6, 7, 8
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
CANCEL = 0x8


def hpack_int(value, prefix_bits, first=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first | value])
    out = [first | limit]
    value -= limit
    while value >= 128:
        out.append(value % 128 + 128)
        value //= 128
    out.append(value)
    return bytes(out)


def hpack_literal(name, value):
    """A literal field, new name, not indexed: no table to keep."""
    name, value = name.encode(), value.encode()
    return b"\x00" + hpack_int(len(name), 7) + name + hpack_int(len(value), 7) + value


class H2Connection:
    """Just enough HTTP/2 to drive the hub frame by frame. Statuses are
    read only as far as ":status: 200" (static table entry 8, 0x88)."""

    def __init__(self, hub, identity, timeout=10):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_alpn_protocols(["h2"])
        if identity:
            context.load_cert_chain(identity.cert, identity.key)
        self.sock = context.wrap_socket(socket.create_connection((hub.listen, hub.port), timeout=timeout),
                                        server_hostname="hub.invalid")
        assert self.sock.selected_alpn_protocol() == "h2"
        self.sock.settimeout(timeout)
        self.buffer = b""
        self.next_id = 1
        self.sock.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + self.frame(SETTINGS, 0, 0, b""))

    @staticmethod
    def frame(kind, flags, stream_id, payload):
        return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream_id) + payload

    def send(self, kind, flags, stream_id, payload=b""):
        self.sock.sendall(self.frame(kind, flags, stream_id, payload))

    def request(self, path, method="GET", headers=(), end_stream=True, send=True):
        stream_id = self.next_id
        self.next_id += 2
        block = b"".join(hpack_literal(n, v) for n, v in
                         [(":method", method), (":scheme", "https"), (":authority", "hub.invalid"),
                          (":path", path), *headers])
        frame = self.frame(HEADERS, END_HEADERS | (END_STREAM if end_stream else 0), stream_id, block)
        if send:
            self.sock.sendall(frame)
        return stream_id, frame

    def read_frame(self):
        """(type, flags, stream id, payload), or None at the end."""
        while True:
            if len(self.buffer) >= 9:
                length = struct.unpack(">I", b"\x00" + self.buffer[:3])[0]
                if len(self.buffer) >= 9 + length:
                    head, self.buffer = self.buffer[:9 + length], self.buffer[9 + length:]
                    kind, flags = head[3], head[4]
                    stream_id = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
                    if kind == SETTINGS and not flags & ACK:
                        self.send(SETTINGS, ACK, 0)
                    return kind, flags, stream_id, head[9:]
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk

    def responses(self, stream_ids, timeout=20):
        """Reads until every stream in @stream_ids ended: {id: (status_is_200, body)}."""
        pending, results = set(stream_ids), {}
        deadline = time.monotonic() + timeout
        while pending and time.monotonic() < deadline:
            frame = self.read_frame()
            if frame is None:
                break
            kind, flags, stream_id, payload = frame
            if stream_id not in pending:
                continue
            ok, body = results.get(stream_id, (None, b""))
            if kind == HEADERS:
                ok = payload[:1] == b"\x88"
            elif kind == DATA:
                body += payload
                self.send(WINDOW_UPDATE, 0, 0, struct.pack(">I", max(len(payload), 1)))
                self.send(WINDOW_UPDATE, 0, stream_id, struct.pack(">I", max(len(payload), 1)))
            elif kind == RST_STREAM:
                ok = False
                pending.discard(stream_id)
            results[stream_id] = (ok, body)
            if kind in (HEADERS, DATA) and flags & END_STREAM:
                pending.discard(stream_id)
        return results

    def close(self):
        self.sock.close()


class StreamingService:
    """A service that answers every request with an event stream, an event
    every 50 ms (or, with "/flood", 4 KiB events as fast as it can write),
    and notes when the hub hangs up on it."""

    def __init__(self, services_dir, name="stream"):
        self.path = service_socket_path(services_dir, name)
        self.requests = 0
        self.disconnects = 0
        self.written = 0
        self.lock = threading.Lock()
        self.sock = listen_unix(self.path, 256)
        accept_in_background(self.sock, self._serve)

    def _serve(self, conn):
        data = b""
        with conn:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            with self.lock:
                self.requests += 1
            flood = b"/flood" in data.split(b"\r\n")[0]
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                             b"Transfer-Encoding: chunked\r\n\r\n")
                for n in range(1, 100000):
                    event = b"id: %d\ndata: %s\n\n" % (n, b"x" * 4096 if flood else b"%d" % n)
                    conn.sendall(b"%x\r\n%s\r\n" % (len(event), event))
                    with self.lock:
                        self.written += len(event)
                    if not flood:
                        time.sleep(0.05)
            except OSError:
                with self.lock:
                    self.disconnects += 1

    def close(self):
        self.sock.close()


class H2TestCase(unittest.TestCase):
    services = ("thermostat", "meter")

    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=self.services)
        self.client = ClientIdentity(os.path.join(self.tmp.name, "client"))
        self.hub.register(self.client)

    def curl(self, path, *args, identity=None, timeout=10):
        """curl over HTTP/2 (or as told): (status, http version, body)."""
        identity = identity or self.client
        result = subprocess.run(["curl", "-sS", "-k", "-v", "--globoff", "--max-time", str(timeout),
                                 "--cert", identity.cert, "--key", identity.key, *args, self.hub.url(path)],
                                capture_output=True, timeout=timeout + 5)
        match = re.search(r"^< HTTP/([\d.]+) (\d+)", result.stderr.decode(), re.M)
        self.assertIsNotNone(match, result.stderr.decode())
        return int(match.group(2)), match.group(1), result.stdout

    def body_file(self, text):
        path = os.path.join(self.tmp.name, "body")
        with open(path, "w") as f:
            f.write(text)
        return path

    def client_id(self):
        return [c for c in self.hub.admin("clients") if c["certificate"] == self.client.fingerprint][0]["client_id"]


class TestAlpn(H2TestCase):
    def negotiate(self, protocols):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        if protocols:
            context.set_alpn_protocols(protocols)
        with context.wrap_socket(socket.create_connection((self.hub.listen, self.hub.port), timeout=5),
                                 server_hostname="hub.invalid") as sock:
            return sock.selected_alpn_protocol()

    def test_h2_and_http11_offered(self):
        self.assertEqual(self.negotiate(["h2", "http/1.1"]), "h2")
        self.assertEqual(self.negotiate(["http/1.1"]), "http/1.1")
        self.assertEqual(self.negotiate(["h2c", "http/1.1"]), "http/1.1")
        self.assertIsNone(self.negotiate(None))

    def test_http11_client_gets_http11(self):
        status, version, body = self.curl("/open-iot/v1/hub", "--http1.1")
        self.assertEqual((status, version), (200, "1.1"))
        self.assertTrue(json.loads(body)["you"]["registered"])

    def test_no_h2_without_alpn(self):
        # prior knowledge on a TLS connection that did not negotiate h2 is
        # not HTTP/2: the HTTP/1 server answers (or closes), no SETTINGS
        preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + H2Connection.frame(SETTINGS, 0, 0, b"")
        received, _ = self.hub.raw_request(preface, self.client, timeout=3)
        self.assertTrue(received == b"" or received.startswith(b"HTTP/1."), received[:40])


class TestApi(H2TestCase):
    def test_api_get(self):
        status, version, body = self.curl("/open-iot/v1/hub", "--http2")
        self.assertEqual((status, version), (200, "2"))
        self.assertTrue(json.loads(body)["you"]["registered"])

    def test_unregistered_certificate_refused_as_on_http1(self):
        stranger = ClientIdentity(os.path.join(self.tmp.name, "stranger"), name="Stranger")
        for protocol in ("--http2", "--http1.1"):
            status, _, body = self.curl("/services/thermostat/properties/targetTemperature", protocol,
                                        identity=stranger)
            self.assertEqual(status, 403, protocol)
            self.assertEqual(json.loads(body)["error"], "not-registered", protocol)

    def test_proxied_get_and_put(self):
        path = "/services/thermostat/properties/targetTemperature"
        status, version, _ = self.curl(path, "--http2", "-X", "PUT", "-H", "Content-Type: application/json",
                                       "--data-binary", "23.5")
        self.assertEqual(version, "2")
        self.assertIn(status, (200, 204))
        status, version, body = self.curl(path, "--http2")
        self.assertEqual((status, version), (200, "2"))
        self.assertEqual(json.loads(body), 23.5)

    def test_request_body_larger_than_a_window(self):
        # 300 KiB, sent in several flow-control windows: the service (not
        # the hub, whose limit is 1 MiB) reads it whole and refuses it
        status, version, answer = self.curl("/services/thermostat/properties/targetTemperature", "--http2",
                                            "-X", "PUT", "-H", "Content-Type: application/json",
                                            "--data-binary", "@" + self.body_file(json.dumps("x" * 300 * 1024)))
        self.assertEqual((status, version), (413, "2"))
        self.assertEqual(json.loads(answer)["message"], "Bodies are limited to 64 KiB")

    def test_body_over_the_limit_is_refused(self):
        status, version, answer = self.curl("/services/thermostat/properties/targetTemperature", "--http2",
                                            "-X", "PUT", "-H", "Content-Type: application/json",
                                            "--data-binary", "@" + self.body_file("1" * 2 * 1024 * 1024))
        self.assertEqual((status, version), (413, "2"))
        # the connection's window was given back: the hub still serves
        status, _, _ = self.curl("/open-iot/v1/hub", "--http2")
        self.assertEqual(status, 200)

    def test_header_list_bound(self):
        # 24 KiB of headers: past HTTP/1's 16 KiB, answered the same way
        pad = sum([["-H", f"X-Pad-{i}: " + "a" * 400] for i in range(60)], [])
        for protocol in ("--http2", "--http1.1"):
            status, _, body = self.curl("/open-iot/v1/hub", protocol, *pad)
            self.assertEqual(status, 431, protocol)
            self.assertEqual(json.loads(body)["error"], "headers-too-large")
        status, _, _ = self.curl("/open-iot/v1/hub", "--http2", *pad[:40])
        self.assertEqual(status, 200)

    def test_bad_authority_never_reaches_the_url(self):
        # what test_hub_td_rewrite checks of Host over HTTP/1.1, as :authority
        for host in ("evil.example/x?", "a@b", "x y"):
            result = subprocess.run(["curl", "-sS", "-k", "--http2", "--cert", self.client.cert,
                                     "--key", self.client.key, "-H", f"Host: {host}", "-w", "%{http_code}",
                                     self.hub.url("/services/thermostat/.well-known/wot")],
                                    capture_output=True, timeout=10)
            if result.returncode == 0 and result.stdout.endswith(b"200"):
                self.assertIn(b'"https://hub.invalid/services/thermostat/"', result.stdout, host)
            else:
                self.assertIn(result.returncode, (0, 92), result.stderr)
        self.assertTrue(self.hub.alive())

    def test_cut_response_resets_the_stream(self):
        # the service dies mid-body: over HTTP/1.1 the connection closes,
        # over HTTP/2 the one stream is reset and the connection serves on
        scripted = ScriptedService(self.hub.services_dir)
        self.addCleanup(scripted.close)
        h2 = H2Connection(self.hub, self.client)
        self.addCleanup(h2.close)
        cut, _ = h2.request("/services/scripted/die-mid-body")
        kinds = []
        while True:
            kind, _, stream_id, _ = h2.read_frame()
            if stream_id == cut:
                kinds.append(kind)
                if kind == RST_STREAM:
                    break
        self.assertEqual(kinds[0], HEADERS)
        other, _ = h2.request("/open-iot/v1/hub")
        self.assertTrue(h2.responses([other])[other][0])

    def test_many_concurrent_streams(self):
        h2 = H2Connection(self.hub, self.client)
        self.addCleanup(h2.close)
        ids = [h2.request(p)[0] for p in ["/open-iot/v1/hub", "/services/thermostat/properties"] * 75]
        results = h2.responses(ids, timeout=60)
        self.assertEqual(len(results), 150)
        refused = [i for i, (ok, _) in results.items() if not ok]
        # past SETTINGS_MAX_CONCURRENT_STREAMS (100) a stream may be refused
        # before the client saw the setting; none of the first 100 is
        self.assertFalse([i for i in refused if i <= 199], refused)
        for ok, body in results.values():
            if ok:
                json.loads(body)

    def test_many_streams_with_nghttp(self):
        result = subprocess.run(["nghttp", "-ns", "-m", "300", "--cert", self.client.cert, "--key", self.client.key,
                                 self.hub.url("/services/thermostat/properties")],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        # one line per response: id, request and response times, status
        served = re.findall(r"^\s*\d+\s+\+\S+\s+\+\S+\s+\S+\s+200\b", result.stdout, re.M)
        self.assertEqual(len(served), 300, result.stdout[-2000:])
        self.assertTrue(self.hub.alive())


class TestStreaming(H2TestCase):
    def setUp(self):
        super().setUp()
        self.service = StreamingService(self.hub.services_dir)
        self.addCleanup(self.service.close)

    def test_events_arrive_one_by_one_beside_other_streams(self):
        h2 = H2Connection(self.hub, self.client)
        self.addCleanup(h2.close)
        sse, _ = h2.request("/services/meter/properties/power/observe", headers=[("accept", "text/event-stream")])
        arrivals, other, other_done = [], None, None
        deadline = time.monotonic() + 15
        while len(arrivals) < 6 and time.monotonic() < deadline:
            kind, flags, stream_id, payload = h2.read_frame()
            if stream_id == sse and kind == HEADERS:
                self.assertEqual(payload[:1], b"\x88")
            if stream_id == sse and kind == DATA and b"data:" in payload:
                arrivals.append(time.monotonic())
                h2.send(WINDOW_UPDATE, 0, 0, struct.pack(">I", len(payload)))
                h2.send(WINDOW_UPDATE, 0, sse, struct.pack(">I", len(payload)))
                if other is None:
                    other, _ = h2.request("/open-iot/v1/hub")
            self.assertNotEqual(kind, RST_STREAM)
            if stream_id == other and flags & END_STREAM:
                other_done = time.monotonic()
        self.assertEqual(len(arrivals), 6)
        self.assertIsNotNone(other_done, "the other stream was not served while events flowed")
        self.assertLess(other_done, arrivals[-1], "served only after the events")
        # event by event: spread over time, not one buffered burst
        self.assertGreater(arrivals[-1] - arrivals[1], 0.15, arrivals)

    def test_reset_of_an_event_stream_cancels_upstream(self):
        h2 = H2Connection(self.hub, self.client)
        self.addCleanup(h2.close)
        sse, _ = h2.request("/services/stream/events")
        got = 0
        while got < 2:
            kind, _, stream_id, payload = h2.read_frame()
            if stream_id == sse and kind == DATA:
                got += 1
        h2.send(RST_STREAM, 0, sse, struct.pack(">I", CANCEL))
        wait_for(lambda: self.service.disconnects == 1, timeout=5, what="the service to see the reset")
        # the connection is still good
        other, _ = h2.request("/open-iot/v1/hub")
        self.assertTrue(h2.responses([other])[other][0])

    def test_connection_close_cancels_upstream(self):
        h2 = H2Connection(self.hub, self.client)
        sse, _ = h2.request("/services/stream/events")
        while h2.read_frame()[0] != DATA:
            pass
        h2.close()
        wait_for(lambda: self.service.disconnects == 1, timeout=5, what="the service to see the close")

    def test_client_that_stops_reading_does_not_grow_the_hub(self):
        h2 = H2Connection(self.hub, self.client)
        self.addCleanup(h2.close)
        before = rss_kib(self.hub.proc.pid)
        for _ in range(4):
            h2.request("/services/stream/flood")
        # read nothing, give no window: the service must stall
        time.sleep(2)
        written = self.service.written
        time.sleep(1.5)
        self.assertEqual(self.service.written, written, "the service was still being read")
        # four streams: the hub holds at most a few windows of each
        self.assertLess(written, 8 * 1024 * 1024)
        self.assertLess(rss_kib(self.hub.proc.pid) - before, 16 * 1024)
        self.assertTrue(self.hub.alive())

    def test_revocation_cuts_an_open_stream(self):
        proc = subprocess.Popen(["curl", "-sS", "-N", "-k", "--http2", "--cert", self.client.cert,
                                 "--key", self.client.key, self.hub.url("/services/stream/events")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        first = proc.stdout.readline()
        self.assertTrue(first.startswith(b"id:"), first)
        revoked = time.monotonic()
        self.hub.admin("revoke", self.client_id())
        proc.wait(timeout=5)
        self.assertLess(time.monotonic() - revoked, 1.5, "the stream outlived the revocation")
        wait_for(lambda: self.service.disconnects == 1, timeout=5, what="the service to see the end")
        status, _, _ = self.curl("/open-iot/v1/hub", "--http2")
        self.assertEqual(status, 403)


class TestHostileClients(H2TestCase):
    def setUp(self):
        super().setUp()
        self.service = StreamingService(self.hub.services_dir)
        self.addCleanup(self.service.close)

    def test_rapid_reset(self):
        # CVE-2023-44487: streams opened and reset at once, thousands of
        # them, each asking for an event stream that would never end
        before = rss_kib(self.hub.proc.pid)
        h2 = H2Connection(self.hub, self.client)
        self.addCleanup(h2.close)
        batch = b""
        try:
            for _ in range(5000):
                stream_id, frame = h2.request("/services/stream/events", send=False)
                batch += frame + h2.frame(RST_STREAM, 0, stream_id, struct.pack(">I", CANCEL))
                if len(batch) > 32768:
                    h2.sock.sendall(batch)
                    batch = b""
            h2.sock.sendall(batch)
        except OSError:
            pass  # told to go away
        time.sleep(2)
        self.assertTrue(self.hub.alive())
        # bounded: not one upstream request per reset stream, not memory
        self.assertLess(self.service.requests, 1500)
        self.assertLess(rss_kib(self.hub.proc.pid) - before, 32 * 1024)
        wait_for(lambda: self.service.requests == self.service.disconnects, timeout=10,
                 what="the upstream requests of reset streams to be cancelled")
        status, _, _ = self.curl("/open-iot/v1/hub", "--http2")
        self.assertEqual(status, 200)

    def test_malformed_frames(self):
        for garbage in (H2Connection.frame(DATA, 0, 0, b"x"),              # DATA on stream 0
                        H2Connection.frame(HEADERS, END_HEADERS, 1, b"\xff\xff\xff\xff"),  # bad HPACK
                        H2Connection.frame(SETTINGS, 0, 0, b"\x00"),       # bad length
                        b"\x00\xff\xff\x00\x00\x00\x00\x00\x01" + b"z" * 100):  # oversized frame
            h2 = H2Connection(self.hub, self.client)
            h2.sock.sendall(garbage)
            kinds = []
            try:
                while True:
                    frame = h2.read_frame()
                    if frame is None:
                        break
                    kinds.append(frame[0])
            except OSError:
                pass
            h2.close()
            self.assertIn(GOAWAY, kinds, garbage[:12])
        self.assertTrue(self.hub.alive())
        status, _, _ = self.curl("/open-iot/v1/hub", "--http2")
        self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main(verbosity=2)
