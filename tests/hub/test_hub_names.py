#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A client renames itself on the hub: PUT /open-iot/v1/clients/self/name
(docs/protocol.md). The real hub and demo services, curl."""

import json
import os
import re
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import ClientIdentity, Hub, hub_in_tempdir  # noqa: E402

PATH = "/open-iot/v1/clients/self/name"


class TestClientName(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup)
        cls.anna = ClientIdentity(os.path.join(cls.tmp.name, "anna"), name="Anna's phone")
        cls.bob = ClientIdentity(os.path.join(cls.tmp.name, "bob"), name="Bob's laptop")
        cls.anna_id = cls.hub.register(cls.anna)["client_id"]
        cls.bob_id = cls.hub.register(cls.bob)["client_id"]

    def rename(self, identity, body, path=PATH, method="PUT"):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.hub.curl_json(path, identity, method=method, data=data,
                                  headers=["Content-Type: application/json"])

    def name_on_hub(self, identity):
        status, info = self.hub.curl_json("/open-iot/v1/hub", identity)
        self.assertEqual(status, 200, info)
        return info["you"]["name"]

    def admin_name(self, client_id):
        return {c["client_id"]: c["name"] for c in self.hub.admin("clients")}[client_id]

    def test_rename_is_seen_everywhere(self):
        status, reply = self.rename(self.bob, {"name": "Bob’s tablet ☕"})
        self.assertEqual(status, 200, reply)
        self.assertEqual(reply, {"client_id": self.bob_id, "name": "Bob’s tablet ☕",
                                 "registered": reply["registered"]})
        self.assertEqual(self.name_on_hub(self.bob), "Bob’s tablet ☕")
        self.assertEqual(self.admin_name(self.bob_id), "Bob’s tablet ☕")
        # services get the new name from the next request on
        status, echo = self.hub.curl_json("/services/lock/debug/echo", self.bob)
        self.assertEqual(status, 200)
        headers = {k.lower(): v for k, v in echo["headers"].items()}
        self.assertEqual(headers["x-open-iot-client-name"], "Bob’s tablet ☕")
        self.assertIn(f"Client {self.bob_id} renamed itself “Bob's laptop” → “Bob’s tablet ☕”", self.hub.log())
        # the admin listing for people shows it too
        import subprocess
        out = subprocess.run([os.environ["OPENIOT_HUB"], "clients", "--state-dir", self.hub.state],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("Bob’s tablet ☕", out.stdout)
        # the same name again changes nothing and is fine
        status, reply = self.rename(self.bob, {"name": "Bob’s tablet ☕"})
        self.assertEqual(status, 200, reply)

    def test_refused_names_change_nothing(self):
        before = self.name_on_hub(self.anna)
        for name in ("", "x" * 65, "é" * 33, "two\nlines", "tab\there", "del\x7f", "c1\u0085",
                     "sep\u2028", "bidi\u202e", "iso\u2066"):
            status, body = self.rename(self.anna, {"name": name})
            self.assertEqual(status, 400, (name, body))
            self.assertEqual(body["error"], "bad-request")
            self.assertEqual(body["reason"], "invalid-name", name)
            self.assertTrue(body["message"])
        # 64 bytes is the most
        status, body = self.rename(self.anna, {"name": "n" * 64})
        self.assertEqual(status, 200, body)
        status, body = self.rename(self.anna, {"name": before})
        self.assertEqual(status, 200, body)
        for bad in ("not json", "[]", '{"name": 5}', "{}", '{"nom": "x"}'):
            status, body = self.rename(self.anna, bad)
            self.assertEqual(status, 400, (bad, body))
            self.assertEqual(body["error"], "bad-request")
            self.assertNotIn("reason", body)
        self.assertEqual(self.name_on_hub(self.anna), before)

    def test_renames_are_rate_limited(self):
        # docs/protocol.md: 3 changes in a row, then one a second; each
        # change is a durable write, so alternating names cannot stall the hub
        dave = ClientIdentity(os.path.join(self.tmp.name, "dave"), name="Dave")
        self.hub.register(dave)
        answers = []
        for i in range(8):
            status, head, body = self.hub.curl(PATH, dave, method="PUT",
                                               data=json.dumps({"name": f"Dave {i % 2}"}),
                                               headers=["Content-Type: application/json"])
            answers.append((status, head, json.loads(body)))
        self.assertEqual([a[0] for a in answers[:3]], [200, 200, 200], answers)
        limited = [a for a in answers if a[0] == 429]
        self.assertTrue(limited, [a[0] for a in answers])
        for status, head, body in limited:
            self.assertEqual(body["error"], "too-many-requests")
            self.assertEqual(body["reason"], "rename-rate")
            self.assertTrue(body["message"])
            retry = re.search(r"^Retry-After: (\d+)\r?$", head, re.M | re.I)
            self.assertIsNotNone(retry, head)
            self.assertGreaterEqual(int(retry.group(1)), 1)
        # what the hub lists is the last change it took
        last = [a[2]["name"] for a in answers if a[0] == 200][-1]
        self.assertEqual(self.name_on_hub(dave), last)
        # the same name, or a refused one, is never held back
        status, body = self.rename(dave, {"name": last})
        self.assertEqual(status, 200, body)
        status, body = self.rename(dave, {"name": ""})
        self.assertEqual(status, 400, body)
        # others are not held back by Dave
        status, body = self.rename(self.bob, {"name": "Bob, not Dave"})
        self.assertEqual(status, 200, body)
        # and after Retry-After, a change goes through
        time.sleep(int(re.search(r"^Retry-After: (\d+)", limited[-1][1], re.M | re.I).group(1)))
        status, body = self.rename(dave, {"name": "Dave again"})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.name_on_hub(dave), "Dave again")

    def test_only_put(self):
        for method in ("GET", "POST", "DELETE", "PATCH"):
            status, body = self.rename(self.anna, {"name": "x"}, method=method)
            self.assertEqual(status, 405, (method, body))
            self.assertEqual(body["error"], "method-not-allowed")

    def test_nobody_renames_someone_else(self):
        before = self.name_on_hub(self.anna)
        for path in (f"/open-iot/v1/clients/{self.anna_id}/name", "/open-iot/v1/clients/anna/name",
                     f"/open-iot/v1/clients/{self.bob_id}/name", "/open-iot/v1/clients/self",
                     "/open-iot/v1/clients/self/name/", "/open-iot/v1/clients"):
            status, body = self.rename(self.bob, {"name": "Mallory"}, path=path)
            self.assertEqual(status, 404, (path, body))
            self.assertEqual(body["error"], "not-found")
        self.assertEqual(self.name_on_hub(self.anna), before)
        self.assertEqual(self.admin_name(self.anna_id), before)
        # strangers and the unregistered get 403 as everywhere
        stranger = ClientIdentity(os.path.join(self.tmp.name, "stranger"))
        status, body = self.rename(stranger, {"name": "Mallory"})
        self.assertEqual(status, 403, body)
        self.assertEqual(body["error"], "not-registered")
        status, body = self.rename(None, {"name": "Mallory"})
        self.assertEqual(status, 403, body)


class TestNameSurvives(unittest.TestCase):
    def test_restart_and_revocation(self):
        with tempfile.TemporaryDirectory() as tmp:
            hub = Hub(os.path.join(tmp, "hub"))
            try:
                carol = ClientIdentity(os.path.join(tmp, "carol"), name="Carol")
                carol_id = hub.register(carol)["client_id"]
                status, _ = hub.curl_json(PATH, carol, method="PUT", data=json.dumps({"name": "Carol 2"}))
                self.assertEqual(status, 200)
                hub.stop()
                hub.start()
                _, info = hub.curl_json("/open-iot/v1/hub", carol)
                self.assertEqual(info["you"]["name"], "Carol 2")
                hub.admin("revoke", carol_id)
                status, body = hub.curl_json(PATH, carol, method="PUT", data=json.dumps({"name": "Carol 3"}))
                self.assertEqual(status, 403, body)
                self.assertEqual({c["client_id"]: c["name"] for c in hub.admin("clients")}[carol_id], "Carol 2")
            finally:
                hub.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
