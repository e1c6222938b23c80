#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`openiot identity|pair|hubs|forget` against the real hub, with the
keyring of the isolated session and with an explicit file keystore."""

import json
import os
import stat
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import Hub, hub_in_tempdir, run_cli  # noqa: E402


def openiot(*args, store=None):
    return run_cli(*args, store=store)


class TestPairing(unittest.TestCase):
    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=())
        self.store = os.path.join(self.tmp.name, "store")

    def link(self):
        return self.hub.admin("pairing-code")["link"]

    def hub_fingerprint(self):
        return self.hub.curl_json("/.well-known/open-iot")[1]["certificate"]

    def test_identity_in_file_keystore(self):
        result = openiot("identity", "--json", store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        identity = json.loads(result.stdout)
        self.assertRegex(identity["certificate"], r"^sha256:[0-9a-f]{64}$")
        again = json.loads(openiot("identity", "--json", store=self.store).stdout)
        self.assertEqual(again["certificate"], identity["certificate"], "the identity is made once")
        # the key and the directory are private; the certificate is public
        for path in (self.store, os.path.join(self.store, "key.pem")):
            mode = stat.S_IMODE(os.stat(path).st_mode)
            self.assertEqual(mode & 0o077, 0, f"{path} is {oct(mode)}")

    def test_pair_by_link(self):
        result = openiot("pair", self.link(), "--yes", "--json", "--name", "Kitchen Tablet", store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        record = json.loads(result.stdout)
        self.assertEqual(record["certificate"], self.hub_fingerprint())
        self.assertEqual(record["name"], "Test Hub")
        self.assertEqual(record["verification"], "link-fingerprint")

        hubs = json.loads(openiot("hubs", "--json", store=self.store).stdout)
        self.assertEqual([h["id"] for h in hubs], [record["id"]])

        identity = json.loads(openiot("identity", "--json", store=self.store).stdout)
        clients = self.hub.admin("clients")
        self.assertEqual([(c["name"], c["certificate"]) for c in clients],
                         [("Kitchen Tablet", identity["certificate"])])

        mode = stat.S_IMODE(os.stat(os.path.join(self.store, "hubs.json")).st_mode)
        self.assertEqual(mode & 0o077, 0, f"hubs.json is {oct(mode)}")

        result = openiot("forget", "Test Hub", "--json", store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), {"forgotten": record["id"]})
        self.assertEqual(json.loads(openiot("hubs", "--json", store=self.store).stdout), [])

    def test_pair_by_address_and_code_shows_fingerprint(self):
        code = self.hub.open_code()
        result = openiot("pair", "--address", f"[::1]:{self.hub.pairing_port}", "--code", code, "--yes",
                         store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        grouped = self.hub_fingerprint()[len("sha256:"):].upper()
        self.assertIn(" ".join(grouped[i:i + 4] for i in range(0, 16, 4)), result.stdout)
        self.assertIn("Verified with the pairing code", result.stdout)
        self.assertIn("Paired with “Test Hub”", result.stdout)

    def test_pair_by_host_name(self):
        # A name, not an IP literal: the library resolves it ("localhost"
        # is ::1 and 127.0.0.1; the hub listens on ::1 only)
        code = self.hub.open_code()
        result = openiot("pair", "--address", f"localhost:{self.hub.pairing_port}", "--code", code, "--yes",
                         "--json", store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        record = json.loads(result.stdout)
        self.assertEqual(record["certificate"], self.hub_fingerprint())
        # it then works through the address it paired over
        result = openiot("hubs", "--json", store=self.store)
        self.assertEqual(json.loads(result.stdout)[0]["status"], "online", result.stderr)

    def test_not_confirmed_saves_nothing(self):
        result = openiot("pair", self.link(), store=self.store)
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("nothing was saved", result.stderr)
        self.assertEqual(json.loads(openiot("hubs", "--json", store=self.store).stdout), [])

    def test_wrong_code_and_closed_code(self):
        link = self.link()
        code = link.split("code=")[1][:8]
        wrong = link.replace(f"code={code}", "code=%08d" % ((int(code) + 1) % 100000000))
        result = openiot("pair", wrong, "--yes", store=self.store)
        self.assertEqual(result.returncode, 6, result.stderr)
        self.assertIn("4 tries left", result.stderr)
        self.assertEqual(openiot("pair", link, "--yes", store=self.store).returncode, 0)
        result = openiot("pair", link, "--yes", store=os.path.join(self.tmp.name, "other"))
        self.assertEqual(result.returncode, 6, result.stderr)
        self.assertIn("Open a new code", result.stderr)

    def test_unreachable_and_usage(self):
        result = openiot("pair", "--address", "[::1]:1", "--code", "12345678", "--yes", store=self.store)
        self.assertEqual(result.returncode, 5, result.stderr)
        self.assertEqual(openiot("pair", store=self.store).returncode, 2)
        self.assertEqual(openiot("pair", "openiot://[::1]:1/?code=12", store=self.store).returncode, 1)
        result = openiot("forget", "Nope", store=self.store)
        self.assertEqual(result.returncode, 1)
        self.assertIn("No paired hub is called", result.stderr)

    def test_keyring_mode_keeps_key_off_disk(self):
        result = openiot("pair", self.link(), "--yes", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        hubs = json.loads(openiot("hubs", "--json").stdout)
        self.assertEqual(len(hubs), 1)
        # gnome-keyring stores its collections encrypted; nothing under
        # $HOME holds a plain private key
        for root, _, files in os.walk(os.environ["HOME"]):
            for name in files:
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    self.assertNotIn(b"PRIVATE KEY", f.read(), path)


class TestPinnedConnection(unittest.TestCase):
    """A paired device talks only to the hub it pinned."""

    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=("lock",))
        self.store = os.path.join(self.tmp.name, "store")
        result = openiot("pair", self.hub.admin("pairing-code")["link"], "--yes", store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.identity = json.loads(openiot("identity", "--json", store=self.store).stdout)["certificate"]

    def test_services(self):
        result = openiot("services", "--json", store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual([s["id"] for s in json.loads(result.stdout)], ["lock"])
        # positive control for the impostor test: a real hub logs both
        self.assertIn(f"A client presented the certificate {self.identity}", self.hub.log())
        self.assertIn("Request GET /open-iot/v1/services", self.hub.log())

    def test_impostor_gets_no_certificate_and_no_request(self):
        self.hub.stop()
        impostor = Hub(os.path.join(self.tmp.name, "impostor"), services=(), port=self.hub.port, name="Test Hub")
        self.addCleanup(impostor.close)
        result = openiot("services", store=self.store)
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("This may be an attack", result.stderr)
        self.assertIn("Presented: " + impostor.curl_json("/.well-known/open-iot")[1]["certificate"], result.stderr)
        log = impostor.log()
        self.assertNotIn(self.identity, log, "the client certificate reached the impostor")
        self.assertNotIn("Request GET /open-iot", log, "a request reached the impostor")
        # the pin is unchanged: nothing was decided for the user
        hubs = json.loads(openiot("hubs", "--json", store=self.store).stdout)
        self.assertNotEqual(hubs[0]["certificate"], impostor.curl_json("/.well-known/open-iot")[1]["certificate"])

    def test_rotation_is_reported_as_signed(self):
        self.hub.admin("rotate-certificate")
        result = openiot("services", store=self.store)
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("signed by the certificate you trusted", result.stderr)
        new = self.hub.curl_json("/.well-known/open-iot")[1]["certificate"]

        # no decision, or the wrong fingerprint: nothing changes
        result = openiot("trust", store=self.store)
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("signed by the one you trusted", result.stdout)
        result = openiot("trust", "--accept", "sha256:" + "0" * 64, store=self.store)
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertEqual(openiot("services", store=self.store).returncode, 3)

        # the deliberate decision
        result = openiot("trust", "--accept", new, store=self.store)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(openiot("services", store=self.store).returncode, 0)
        hubs = json.loads(openiot("hubs", "--json", store=self.store).stdout)
        self.assertEqual(hubs[0]["certificate"], new)
        result = openiot("trust", store=self.store)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Nothing to do", result.stdout)

    def test_revoked_device(self):
        client_id = [c for c in self.hub.admin("clients") if c["certificate"] == self.identity][0]["client_id"]
        self.hub.admin("revoke", client_id)
        result = openiot("services", store=self.store)
        self.assertEqual(result.returncode, 4, result.stderr)
        self.assertIn("removed from the hub", result.stderr)

    def test_hub_down(self):
        self.hub.stop()
        result = openiot("services", store=self.store)
        self.assertEqual(result.returncode, 5, result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
