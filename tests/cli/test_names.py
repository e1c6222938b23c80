#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`openiot rename-hub` (a nickname kept on this device) and `openiot
rename-device` (this device's name on the hub), against a real hub."""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import hub_in_tempdir, run_cli  # noqa: E402


class TestNames(unittest.TestCase):
    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, name="Home Hub")
        self.store = os.path.join(self.tmp.name, "store")
        result = self.openiot("pair", self.hub.admin("pairing-code")["link"], "--yes", "--json",
                              "--name", "CLI Laptop")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.hub_id = json.loads(result.stdout)["id"]

    def openiot(self, *args):
        return run_cli(*args, store=self.store)

    def listed(self):
        result = self.openiot("hubs", "--json", "--no-check")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)[0]

    def admin_names(self):
        return [c["name"] for c in self.hub.admin("clients")]

    def test_rename_hub(self):
        result = self.openiot("rename-hub", "Cellar")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("“Home Hub” is called “Cellar”", result.stdout)
        hub = self.listed()
        self.assertEqual((hub["name"], hub["nickname"]), ("Home Hub", "Cellar"))
        text = self.openiot("hubs", "--no-check").stdout
        self.assertIn(f"{self.hub_id}  Cellar", text)
        self.assertIn("The hub calls itself “Home Hub”", text)
        # the nickname finds the hub, and the hub's own name still does
        self.assertEqual(self.openiot("services", "--hub", "Cellar").returncode, 0)
        self.assertEqual(self.openiot("services", "--hub", "Home Hub").returncode, 0)
        # the hub is not told
        _, info = self.hub.curl_json("/.well-known/open-iot")
        self.assertEqual(info["name"], "Home Hub")

        # a refused nickname changes nothing
        for bad in ("", "x" * 65, "two\nlines", "\u202eevil"):
            result = self.openiot("rename-hub", bad)
            self.assertEqual(result.returncode, 2, bad)
            self.assertIn("Choose another one", result.stderr)
        self.assertEqual(self.listed()["nickname"], "Cellar")

        result = self.openiot("rename-hub", "--reset")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("“Home Hub” again", result.stdout)
        self.assertNotIn("nickname", self.listed())
        # usage
        self.assertEqual(self.openiot("rename-hub").returncode, 2)
        self.assertEqual(self.openiot("rename-hub", "--reset", "x").returncode, 2)

    def test_rename_device(self):
        self.assertIn("CLI Laptop", self.admin_names())
        result = self.openiot("rename-device", "CLI Desktop")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("lists this device as “CLI Desktop”", result.stdout)
        self.assertIn("CLI Desktop", self.admin_names())
        self.assertNotIn("CLI Laptop", self.admin_names())

        result = self.openiot("--json", "rename-device", "--hub", self.hub_id, "Desk")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), {"hub": self.hub_id, "name": "Desk"})

        # refused here before the hub is asked
        result = self.openiot("rename-device", "a\tb")
        self.assertEqual(result.returncode, 2)
        self.assertIn("Choose another one", result.stderr)
        self.assertIn("Desk", self.admin_names())

        # an unreachable hub: the reason, and the exit status scripts know
        self.hub.stop()
        result = self.openiot("rename-device", "Nobody hears")
        self.assertEqual(result.returncode, 5, result.stderr)
        self.assertTrue(result.stderr.strip())


if __name__ == "__main__":
    unittest.main(verbosity=2)
