#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`openiot hubs` asks every paired hub how it is and prints the
same states as the app: online, offline, certificate renewed or
unverified (with what to do), against two real hubs."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import Hub, run_cli  # noqa: E402


class TestHubsStatus(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.store = os.path.join(self.tmp.name, "store")
        self.hubs = []
        for name in ("Hub One", "Hub Two"):
            hub = Hub(os.path.join(self.tmp.name, name.replace(" ", "-")), services=(), name=name)
            self.addCleanup(hub.close)
            result = self.openiot("pair", hub.admin("pairing-code")["link"], "--yes", "--json")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.hubs.append((hub, json.loads(result.stdout)["id"]))

    def openiot(self, *args):
        return run_cli(*args, store=self.store)

    def statuses(self):
        result = self.openiot("hubs", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return {h["name"]: h["status"] for h in json.loads(result.stdout)}

    def test_states(self):
        self.assertEqual(self.statuses(), {"Hub One": "online", "Hub Two": "online"})

        # One hub stops: only it is offline, and its reason is printed
        self.hubs[1][0].stop()
        self.assertEqual(self.statuses(), {"Hub One": "online", "Hub Two": "offline"})
        text = self.openiot("hubs").stdout
        self.assertIn("Online", text)
        self.assertIn("not reachable", text)

        # A signed renewal: blocked, calmly, with what to do
        self.hubs[0][0].admin("rotate-certificate")
        self.assertEqual(self.statuses()["Hub One"], "certificate-renewed")
        text = self.openiot("hubs").stdout
        self.assertIn("Blocked: the hub renewed its certificate", text)
        self.assertIn(f"openiot trust --hub {self.hubs[0][1]}", text)

        # --no-check asks nobody
        result = self.openiot("hubs", "--json", "--no-check")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(all("status" not in h for h in json.loads(result.stdout)))

    def test_an_impostor_reads_as_unverified(self):
        hub, _ = self.hubs[0]
        hub.stop()
        impostor = Hub(os.path.join(self.tmp.name, "impostor"), services=(), name="Hub One", port=hub.port)
        self.addCleanup(impostor.close)
        self.assertEqual(self.statuses()["Hub One"], "certificate-unverified")
        self.assertIn("Blocked: unverified certificate, maybe an attack", self.openiot("hubs").stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
