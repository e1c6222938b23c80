#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Impostor hubs against the real CLI (docs/security.md): a server at the
hub's address whose certificate is not the pin gets no client certificate
and no request — shown from the impostor's own log — and the CLI reports a
certificate change, "this may be an attack", unless the hub it pinned
signed the new certificate. tests/cli/test_pair.py has the plain impostor
(another certificate) and the genuine rotation; here the impostor holds
a rotation of its own, or replays or forges one."""

import base64
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import Hub, hub_in_tempdir, run_cli  # noqa: E402


def openiot(store, *args):
    return run_cli(*args, store=store)


class TestImpostors(unittest.TestCase):
    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=("lock",))
        self.store = os.path.join(self.tmp.name, "store")
        result = openiot(self.store, "pair", self.hub.admin("pairing-code")["link"], "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.identity = json.loads(openiot(self.store, "identity", "--json").stdout)["certificate"]
        self.pin = self.well_known(self.hub)["certificate"]
        # positive control: the genuine hub sees the certificate and the request
        self.assertEqual(openiot(self.store, "services").returncode, 0)
        self.assertIn(f"A client presented the certificate {self.identity}", self.hub.log())
        self.assertIn("Request GET /open-iot/v1/services", self.hub.log())

    def well_known(self, hub):
        return hub.curl_json("/.well-known/open-iot")[1]

    def other_hub(self, name):
        """Another hub, stopped, with a state of its own."""
        hub = Hub(os.path.join(self.tmp.name, name), services=(), name="Test Hub")
        self.addCleanup(hub.close)
        hub.stop()
        return hub

    def serve_in_place_of_the_hub(self, impostor):
        """The impostor takes the genuine hub's address and port; returns the
        part of its log written from then on."""
        self.hub.stop()
        impostor.port, impostor.pairing_port = self.hub.port, self.hub.pairing_port
        offset = len(impostor.log())
        impostor.start()
        return lambda: impostor.log()[offset:]

    def assertAttackReported(self, impostor_log, presented):
        result = openiot(self.store, "services")
        self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
        self.assertIn("This may be an attack", result.stderr)
        self.assertNotIn("signed by the certificate you trusted", result.stderr)
        self.assertIn("Presented: " + presented, result.stderr)
        log = impostor_log()
        # the impostor's own record: asked for its public document, on a
        # connection without a client certificate, and nothing else
        self.assertIn("Request GET /.well-known/open-iot", log)
        self.assertNotIn("A client presented the certificate", log, "a client certificate reached the impostor")
        self.assertNotIn(self.identity, log)
        requests = [line for line in log.splitlines() if "Request " in line]
        self.assertTrue(all("Request GET /.well-known/open-iot " in line for line in requests), requests)
        # nothing was decided for the user
        result = openiot(self.store, "hubs", "--json")
        self.assertEqual(json.loads(result.stdout)[0]["certificate"], self.pin)
        result = openiot(self.store, "trust")
        self.assertEqual(result.returncode, 3, result.stdout + result.stderr)
        self.assertIn("NOT signed by the one you trusted", result.stdout)

    def test_hub_with_its_own_rotated_certificate(self):
        # another hub that rotated its certificate, with a valid proof of
        # its own: signed, but not by the key the client pinned
        impostor = self.other_hub("other")
        impostor.start()
        impostor.admin("rotate-certificate")
        doc = self.well_known(impostor)
        self.assertIsNotNone(doc["rotation"])
        impostor.stop()
        log = self.serve_in_place_of_the_hub(impostor)
        self.assertAttackReported(log, doc["certificate"])

    def test_replayed_rotation_proof(self):
        # the genuine hub rotates; the impostor serves its own certificate
        # with the genuine proof, whose "previous" is the client's pin
        old_pin = self.pin
        self.hub.admin("rotate-certificate")
        genuine = self.well_known(self.hub)
        self.assertEqual(genuine["rotation"]["previous"], old_pin)
        impostor = self.other_hub("replayer")
        self.set_rotation(impostor, genuine["rotation"])
        log = self.serve_in_place_of_the_hub(impostor)
        self.assertEqual(self.well_known(impostor)["rotation"], genuine["rotation"])
        self.assertAttackReported(log, self.well_known(impostor)["certificate"])

    def test_forged_rotation_proof(self):
        # "previous" is the pin, and the signature is a real ECDSA signature
        # of the right message for the impostor's certificate, made with a
        # key the impostor has: its own
        impostor = self.other_hub("forger")
        impostor.start()
        presented = self.well_known(impostor)["certificate"]
        impostor.stop()
        message = os.path.join(self.tmp.name, "message")
        with open(message, "wb") as f:
            f.write(f"open-iot rotation v1\n{self.pin}\n{presented}\n".encode())
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", os.path.join(impostor.state, "hub.key"),
                                    message], capture_output=True, check=True).stdout
        self.set_rotation(impostor, {"previous": self.pin, "signature": base64.b64encode(signature).decode()})
        log = self.serve_in_place_of_the_hub(impostor)
        self.assertEqual(self.well_known(impostor)["rotation"]["previous"], self.pin)
        self.assertAttackReported(log, presented)

    def test_genuine_rotation_still_waits_for_the_user(self):
        # the hub's own, properly signed rotation: reported as such, and
        # still no certificate and no request until the user accepts it
        self.hub.admin("rotate-certificate")
        offset = len(self.hub.log())
        result = openiot(self.store, "services")
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("signed by the certificate you trusted", result.stderr)
        log = self.hub.log()[offset:]
        self.assertNotIn("A client presented the certificate", log)
        self.assertNotIn("Request GET /open-iot", log)

    def set_rotation(self, hub, rotation):
        path = os.path.join(hub.state, "hub.json")
        with open(path) as f:
            doc = json.load(f)
        doc["rotation"] = rotation
        with open(path, "w") as f:
            json.dump(doc, f)


if __name__ == "__main__":
    unittest.main(verbosity=2)
