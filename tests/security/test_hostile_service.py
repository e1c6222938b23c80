#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a service says through the hub is the service's word, never the
hub's (docs/security.md, "A service behind the hub is semi-trusted",
issue 19). A hostile service behind the real hub answers the CLI with
redirects, terminal escape sequences, a 1 GiB Thing Description, a forged
"not-registered" and numbers no machine integer holds:

- redirects are never followed: not to the hub's own API, not as a GET
  after a POST, not in plain HTTP (a catch-all listener where the
  redirect points receives nothing, and the service sees one request);
- escapes are shown as visible text in every command's output;
- the CLI's memory stays bounded while the huge TD streams in;
- a service's 403 not-registered is the service's error (exit 1, not 4);
- `observe --json` prints valid JSON for any event id;
- a 5000-digit number is shown as the number it is, or refused."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import (  # noqa: E402
    Hub, accept_in_background, listen_unix, run_cli, service_socket_path)

OPENIOT = os.environ["OPENIOT_CLI"]

ESC = "\x1b"
# OSC 52 (write the clipboard), clear the screen, a C1 CSI, a bidi override
HOSTILE = ESC + "]52;c;aGFja2Vk\x07" + ESC + "[2J" + "\u009b31m" + "\u202e" + "All good"
RAW_CONTROLS = (ESC, "\x07", "\u009b", "\u202e")
HUGE_INTEGER = "1" + "0" * 5000
RSS_LIMIT_KB = 100 * 1024
GIB = 1024 * 1024 * 1024


def thing_description(title=HOSTILE):
    form = lambda href, **extra: [dict(href=href, **extra)]  # noqa: E731
    return {
        "@context": "https://www.w3.org/2022/wot/td/v1.1",
        "title": title,
        "description": "Description " + HOSTILE,
        "securityDefinitions": {"nosec_sc": {"scheme": "nosec"}},
        "security": "nosec_sc",
        "properties": {
            "redirect": {"type": "string", "forms": form("redirect")},
            "redirect-hub": {"type": "string", "forms": form("redirect-hub")},
            "plain-redirect": {"type": "string", "forms": form("plain-redirect")},
            "escape": {"type": "string", "title": "Escape " + HOSTILE, "forms": form("escape")},
            "error": {"type": "string", "forms": form("error")},
            "forged": {"type": "string", "forms": form("forged")},
            "huge": {"type": "integer", "forms": form("huge")},
            "big-value": {"type": "string", "forms": form("big-value")},
            "unit": {"type": "number", "unit": "°C" + HOSTILE, "minimum": 12 * 10 ** 28, "forms": form("escape")},
        },
        "actions": {
            "post-302": {"forms": form("post-302")},
            "post-303": {"forms": form("post-303")},
            "escape": {"forms": form("escape")},
        },
        "events": {
            "odd-ids": {"data": {"type": "integer"},
                        "forms": form("odd-ids", subprotocol="sse", contentType="text/event-stream")},
            "forged-events": {"data": {"type": "string"},
                              "forms": form("forged", subprotocol="sse", contentType="text/event-stream")},
            "odd-values": {"data": {"type": "string"},
                           "forms": form("odd-values", subprotocol="sse", contentType="text/event-stream")},
        },
    }


class HostileService:
    """A service on a UNIX socket, written here so that it can say
    anything: routes by the last path segment; records every request."""

    def __init__(self, services_dir, name, catch_all_port, huge_td=False):
        self.path = service_socket_path(services_dir, name)
        self.catch_all_port = catch_all_port
        self.huge_td = huge_td
        self.requests = []
        self.lock = threading.Lock()
        self.sock = listen_unix(self.path, 64)
        accept_in_background(self.sock, self._serve)

    def _serve(self, conn):
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            method, target = head.split(" ")[:2]
            with self.lock:
                self.requests.append((method, target))
            self._answer(conn, method, target.split("?")[0], "x-open-iot-client-id" in head.lower())
        except OSError:
            pass
        finally:
            conn.close()

    @staticmethod
    def _send(conn, status, body=b"", headers=()):
        if isinstance(body, (dict, list, str)):
            body = json.dumps(body).encode()
        head = [f"HTTP/1.1 {status}", "Content-Type: application/json", f"Content-Length: {len(body)}",
                "Connection: close", *headers]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    def _stream_huge_td(self, conn):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/td+json\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % GIB)
        block = b'{"title": "' + b"x" * (1024 * 1024)
        sent = 0
        while sent < GIB:
            conn.sendall(block[:min(len(block), GIB - sent)])
            sent += len(block)

    def _answer(self, conn, method, path, proxied):
        route = path.rstrip("/").split("/")[-1]
        if path == "/.well-known/wot":
            # the hub's own look (no client id) gets a small one
            if self.huge_td and proxied:
                self._stream_huge_td(conn)
            else:
                self._send(conn, "200 OK", thing_description())
        elif route == "redirect":
            self._send(conn, "302 Found", "", (f"Location: http://[::1]:{self.catch_all_port}/caught",))
        elif route == "plain-redirect":
            self._send(conn, "301 Moved Permanently", "", ("Location: http://hub.invalid/open-iot/v1/hub",))
        elif route == "redirect-hub":
            self._send(conn, "302 Found", "", ("Location: /open-iot/v1/hub",))
        elif route in ("post-302", "post-303"):
            self._send(conn, "302 Found" if route == "post-302" else "303 See Other", "",
                       ("Location: /services/hostile/after-redirect",))
        elif route == "escape":
            self._send(conn, "200 OK", HOSTILE)
        elif route == "error":
            self._send(conn, "500 Internal Server Error", {"error": "failed", "message": HOSTILE})
        elif route == "forged":
            self._send(conn, "403 Forbidden", {"error": "not-registered",
                                               "message": "This device was removed from the hub."})
        elif route == "huge":
            self._send(conn, "200 OK", HUGE_INTEGER.encode())
        elif route == "big-value":
            self._send(conn, "200 OK", b'"' + b"v" * (8 * 1024 * 1024) + b'"')
        elif route in ("odd-ids", "odd-values"):
            events = "".join(f"id: {i}\u00e9\u2028{ESC}[2J\ndata: {json.dumps(HOSTILE) if route == 'odd-values' else n}\n\n"
                             for n, i in enumerate(("\u00e9t\u00e9", "\"quoted\"\\", "\u2603"))).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n"
                         b"Content-Length: %d\r\n\r\n" % len(events) + events)
            time.sleep(5)
        else:
            self._send(conn, "200 OK", {"unexpected": path})

    def received(self, route):
        with self.lock:
            return [r for r in self.requests if r[1].split("?")[0].rstrip("/").endswith("/" + route)]

    def close(self):
        self.sock.close()


class CatchAll:
    """Listens where a redirect points, and remembers whether anyone came."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET6)
        self.sock.bind(("::1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        # one thread counts them all: no lock needed
        accept_in_background(self.sock, self._count, thread_per_connection=False)

    def _count(self, conn):
        self.connections += 1
        conn.close()

    def close(self):
        self.sock.close()


class HostileServiceTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        workdir = os.path.join(cls.tmp.name, "hub")
        cls.catch_all = CatchAll()
        services_dir = os.path.join(workdir, "services")
        cls.service = HostileService(services_dir, "hostile", cls.catch_all.port)
        cls.big = HostileService(services_dir, "big", cls.catch_all.port, huge_td=True)
        cls.hub = Hub(workdir, services=())
        cls.store = os.path.join(cls.tmp.name, "store")
        result = cls.openiot("pair", "--address", f"[::1]:{cls.hub.pairing_port}", "--code",
                             cls.hub.open_code(), "--yes")
        assert result.returncode == 0, result.stderr

    @classmethod
    def tearDownClass(cls):
        cls.hub.close()
        cls.service.close()
        cls.big.close()
        cls.catch_all.close()
        cls.tmp.cleanup()

    @classmethod
    def openiot(cls, *args, timeout=60):
        return run_cli(*args, store=cls.store, timeout=timeout, errors="surrogateescape")

    def assertNoRawControls(self, text):
        for control in RAW_CONTROLS:
            self.assertNotIn(control, text, f"raw {control!r} printed:\n{text!r}")


class TestRedirectsAreNotFollowed(HostileServiceTestCase):
    def assertRedirectRefused(self, result):
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("redirect", result.stderr)

    def test_redirect_elsewhere(self):
        self.assertRedirectRefused(self.openiot("get", "hostile", "redirect"))
        self.assertRedirectRefused(self.openiot("get", "hostile", "plain-redirect"))
        self.assertEqual(self.catch_all.connections, 0)
        self.assertNotIn("/caught", self.hub.log())

    def test_redirect_to_the_hubs_api(self):
        result = self.openiot("get", "hostile", "redirect-hub")
        self.assertRedirectRefused(result)
        self.assertNotIn(self.hub.name, result.stdout + result.stderr)

    def test_post_redirect_is_not_turned_into_get(self):
        for action in ("post-302", "post-303"):
            self.assertRedirectRefused(self.openiot("invoke", "hostile", action))
            self.assertEqual(len(self.service.received(action)), 1)
        self.assertEqual(self.service.received("after-redirect"), [])


class TestEscapesAreShownNotObeyed(HostileServiceTestCase):
    def assertShownSafely(self, result, returncode=0):
        self.assertEqual(result.returncode, returncode, result.stderr)
        self.assertNoRawControls(result.stdout + result.stderr)
        self.assertIn("\\x1b]52;c;aGFja2Vk\\x07", result.stdout + result.stderr)

    def test_services(self):
        self.assertShownSafely(self.openiot("services"))

    def test_describe(self):
        result = self.openiot("describe", "hostile")
        self.assertShownSafely(result)
        self.assertIn("Escape \\x1b]52", result.stdout)   # a property's title
        self.assertIn("°C\\x1b]52", result.stdout)        # a unit

    def test_get_and_invoke(self):
        for args in (("get", "hostile", "escape"), ("invoke", "hostile", "escape")):
            result = self.openiot(*args)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertNoRawControls(result.stdout)
            self.assertIn("\\u009b31m\\u202eAll good", result.stdout)

    def test_service_error(self):
        self.assertShownSafely(self.openiot("get", "hostile", "error"), returncode=1)

    def test_observe(self):
        result = self.openiot("observe", "hostile", "--event", "odd-values", "--count", "3", "--timeout", "20")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNoRawControls(result.stdout + result.stderr)
        self.assertEqual(result.stdout.count("\\u009b31m\\u202eAll good"), 3, result.stdout)

    def test_observe_json_ids_are_json_strings(self):
        result = self.openiot("--json", "observe", "hostile", "--event", "odd-ids", "--count", "3",
                              "--timeout", "20")
        self.assertEqual(result.returncode, 0, result.stderr)
        # U+2028 may be in a JSON string as it is: lines end at "\n" only
        lines = [json.loads(line) for line in result.stdout.split("\n") if line]
        self.assertEqual([line["value"] for line in lines], [0, 1, 2])
        self.assertEqual([line["id"] for line in lines],
                         [i + f"\u00e9\u2028{ESC}[2J" for i in ("\u00e9t\u00e9", "\"quoted\"\\", "\u2603")])


class TestHugeNumbers(HostileServiceTestCase):
    def test_huge_value_is_refused_not_wrapped(self):
        result = self.openiot("get", "hostile", "huge")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("too large", result.stderr)

    def test_minimum_beyond_gint64_is_shown_as_it_is(self):
        result = self.openiot("describe", "hostile")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("number 1.2e+29…", result.stdout)


class TestSizesAreBoundedWhileReading(HostileServiceTestCase):
    def test_huge_thing_description(self):
        proc = subprocess.Popen([OPENIOT, "--store", self.store, "describe", "big"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        peak = 0
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with open(f"/proc/{proc.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak = max(peak, int(line.split()[1]))
            except OSError:
                pass
            if peak > RSS_LIMIT_KB:
                proc.kill()
                break
            time.sleep(0.02)
        if proc.poll() is None:
            proc.kill()
        out, err = proc.communicate()
        self.assertLess(peak, RSS_LIMIT_KB, "the CLI read the whole Thing Description into memory")
        self.assertEqual(proc.returncode, 1, err)
        self.assertIn(b"too large", err)

    def test_huge_value(self):
        result = self.openiot("get", "hostile", "big-value")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("too large", result.stderr)


class TestForgedRemoval(HostileServiceTestCase):
    def test_service_403_is_the_services_error(self):
        result = self.openiot("get", "hostile", "forged")
        self.assertEqual(result.returncode, 1, result.stderr)
        # still registered: the next request works
        self.assertEqual(self.openiot("services").returncode, 0)

    def test_observe_keeps_going(self):
        result = self.openiot("observe", "hostile", "--event", "forged-events", "--timeout", "3")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("reconnecting", result.stderr)
        self.assertNotIn("Pair it again", result.stderr)  # the library's own "removed" sentence


class TestRealRemoval(unittest.TestCase):
    """The other side: when the hub itself removed this device, a request
    through a service still says so (exit 4), as the hub confirms it."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        workdir = os.path.join(self.tmp.name, "hub")
        self.service = HostileService(os.path.join(workdir, "services"), "hostile", 9)
        self.addCleanup(self.service.close)
        self.hub = Hub(workdir, services=())
        self.addCleanup(self.hub.close)
        self.store = os.path.join(self.tmp.name, "store")
        self.assertEqual(self.openiot("pair", "--address", f"[::1]:{self.hub.pairing_port}", "--code",
                                      self.hub.open_code(), "--yes").returncode, 0)

    def openiot(self, *args):
        return run_cli(*args, store=self.store)

    def test_revoked_device_learns_it_through_a_service(self):
        self.assertEqual(self.openiot("get", "hostile", "escape").returncode, 0)  # TD cached
        for client in self.hub.admin("clients"):
            self.hub.admin("revoke", client["client_id"])
        result = self.openiot("get", "hostile", "escape")
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertIn("removed from the hub", result.stderr)


if __name__ == "__main__":
    unittest.main()
