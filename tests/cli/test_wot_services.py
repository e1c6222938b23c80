#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The CLI on services whose Thing Descriptions are not ours: forms chosen
by content type (JSON over CBOR, whatever the order), a clear refusal
when only CBOR is offered, other origins never followed, and long-poll
events answered by the service (docs/protocol.md, "Using Things"). Hrefs
at the hub's own URL never reach the client through the hub, which turns
them into paths; test-thing's /thing/hub-base covers them."""

import json
import os
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openiot_testlib import ScriptedService, hub_in_tempdir  # noqa: E402
from test_things import Client  # noqa: E402


class WotService(ScriptedService):
    """ScriptedService with a long-poll: `longpoll` answers each request
    with the next number after a short wait; every fourth wait ends in an
    empty 204 (nothing happened), as a long-poll service may answer."""

    def __init__(self, services_dir, name):
        super().__init__(services_dir, name)
        self.polls = 0

    def _answer(self, conn, mode, head):
        if mode != "longpoll":
            return super()._answer(conn, mode, head)
        with self._lock:
            self.polls += 1
            n = self.polls
        time.sleep(0.05)
        if n % 4 == 0:
            conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        else:
            body = json.dumps(n).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n%s" % (len(body), body))
        conn.close()


class TestWotServices(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=())
        cls.service = WotService(cls.hub.services_dir, "wot")
        cls.service.td = json.dumps({
            "@context": ["https://www.w3.org/2022/wot/td/v1.1"],
            "title": "Foreign Thing",
            "properties": {
                "mixed": {"type": "integer", "forms": [
                    {"href": "cbor/mixed", "contentType": "application/cbor"},
                    {"href": "echo/mixed", "contentType": "application/json"}]},
                "onlycbor": {"type": "integer", "forms": [{"href": "cbor/x", "contentType": "application/cbor"}]},
                "elsewhere": {"type": "object", "forms": [{"href": "https://192.0.2.1/services/wot/echo/x"}]},
            },
            "events": {"tick": {"data": {"type": "integer"}, "forms": [
                {"href": "longpoll/tick", "subprotocol": "longpoll", "op": ["subscribeevent"]}]}},
        }).encode()
        cls.client = Client(os.path.join(cls.tmp.name, "store"))
        cls.client.ok("pair", cls.hub.admin("pairing-code")["link"], "--yes", "--name", "WoT test")

    @classmethod
    def tearDownClass(cls):
        cls.service.close()

    def last_request_to(self, path):
        for raw in reversed(self.service.requests):
            head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
            if head.split(" ")[1] == path:
                return head
        self.fail(f"no request for {path}: {self.service.requests}")

    def test_json_form_wins_and_sets_its_content_type(self):
        self.client.ok("set", "wot", "mixed", "5")
        head = self.last_request_to("/echo/mixed")
        self.assertTrue(head.startswith("PUT "), head)
        self.assertIn("content-type: application/json", head.lower())
        self.assertFalse(any(b" /cbor/" in r.split(b"\r\n", 1)[0] for r in self.service.requests))

    def test_only_cbor_is_refused_in_words(self):
        result = self.client.run("get", "wot", "onlycbor")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("application/cbor", result.stderr)
        self.assertIn("JSON", result.stderr)

    def test_other_origin_is_never_followed(self):
        result = self.client.run("get", "wot", "elsewhere")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("not reachable", result.stderr)
        self.assertFalse(any(b"/echo/x" in r for r in self.service.requests))

    def test_events_by_long_poll(self):
        result = self.client.run("observe", "wot", "--event", "tick", "--count", "5", timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        values = [json.loads(line) for line in result.stdout.splitlines()]
        # one value per 200 answer, none for the 204s, in order
        self.assertEqual(len(values), 5, result.stdout)
        self.assertEqual(values, sorted(values))
        self.assertTrue(all(v % 4 != 0 for v in values), values)


if __name__ == "__main__":
    unittest.main(verbosity=2)
