#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Pairing against devices that race, dawdle or lie, and strangers who
jam or guess (issue 16, findings 3, 4 and the names of 9; docs/security.md,
"Pairing"). Strangers stay on loopback and are bounded in count and time."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import ClientIdentity, HUB, hub_in_tempdir  # noqa: E402


class PairingTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=())

    def device(self, name):
        return ClientIdentity(os.path.join(self.tmp.name, name.replace(" ", "-")), name=name)

    def registered_names(self):
        return [c["name"] for c in self.hub.admin("clients")]

    def assertGone(self, status, reply, reason):
        self.assertEqual(status, 410, reply)
        self.assertEqual(reply["error"], "pairing-code-gone")
        self.assertEqual(reply["reason"], reason)


class TestCodeChecksAtRegistration(PairingTestCase):
    """Finding 4: single use and expiry hold when the request comes, not
    only at the SRP handshake."""

    def test_racing_devices_get_one_registration(self):
        code = self.hub.open_code()
        devices = [self.device(f"Racer {i}") for i in range(4)]
        sessions = [self.hub.pair_handshake(code) for _ in devices]
        self.assertNotIn(None, sessions, "all four know the code: all four handshakes pass")
        results = [None] * 4

        def finish(i):
            results[i] = self.hub.pair_finish(sessions[i], devices[i])

        threads = [threading.Thread(target=finish, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(status for status, _ in results)
        self.assertEqual(statuses, [201, 410, 410, 410], results)
        for status, reply in results:
            if status == 410:
                self.assertGone(status, reply, "code-used")
        self.assertEqual(sum(name.startswith("Racer") for name in self.registered_names()), 1)

    def test_request_after_use_is_gone(self):
        code = self.hub.open_code()
        owner, late = self.device("Owner Phone"), self.device("Late Phone")
        early = self.hub.pair_handshake(code)
        slow = self.hub.pair_handshake(code)
        self.assertEqual(self.hub.pair_finish(early, owner)[0], 201)
        status, reply = self.hub.pair_finish(slow, late)
        self.assertGone(status, reply, "code-used")
        self.assertNotIn("Late Phone", self.registered_names())

    def test_slow_request_after_expiry_is_gone(self):
        code = self.hub.open_code(ttl=10)
        time.sleep(7.5)
        slow = self.hub.pair_handshake(code)
        self.assertIsNotNone(slow, "the code is still open at the handshake")
        time.sleep(3)
        status, reply = self.hub.pair_finish(slow, self.device("Slow Sensor"))
        self.assertGone(status, reply, "code-expired")
        self.assertNotIn("Slow Sensor", self.registered_names())

    def test_request_after_a_new_code_is_gone(self):
        old = self.hub.pair_handshake(self.hub.open_code())
        self.hub.open_code()
        status, reply = self.hub.pair_finish(old, self.device("Old Code Device"))
        self.assertGone(status, reply, "code-replaced")

    def test_refused_request_leaves_the_code_open(self):
        code = self.hub.open_code()
        session = self.hub.pair_handshake(code)
        status, _ = self.hub.pair_finish(session, self.device("Unnamed"), name="x" * 65)
        self.assertEqual(status, 400)
        self.assertEqual(self.hub.pair(self.device("Named"), code)[0], 201)


class TestJamming(PairingTestCase):
    """Finding 3: strangers holding the pairing port's slots."""

    def test_silent_connections_do_not_stop_the_owner(self):
        code = self.hub.open_code()
        silent = [socket.create_connection((self.hub.listen, self.hub.pairing_port)) for _ in range(12)]
        try:
            time.sleep(0.5)
            started = time.monotonic()
            status, reply = self.hub.pair(self.device("Owner Behind Jam"), code)
            self.assertEqual(status, 201, reply)
            self.assertLess(time.monotonic() - started, 5)
        finally:
            for sock in silent:
                sock.close()

    def test_trickled_request_meets_the_deadline(self):
        """A peer that proved the code and then sends its request a byte at
        a time is cut off 10 s after it connected, not served in the end."""
        proc = self.hub.pair_handshake(self.hub.open_code())
        request = self.hub.pair_request(self.device("Trickler"))
        started = time.monotonic()
        try:
            for byte in request[:40]:
                if proc.poll() is not None:
                    break
                proc.stdin.write(bytes([byte]))
                proc.stdin.flush()
                time.sleep(0.5)
        except BrokenPipeError:
            pass
        elapsed = time.monotonic() - started
        proc.kill()
        proc.wait()
        self.assertLess(elapsed, 15, "the hub kept a trickling session open")


class TestGuessing(unittest.TestCase):
    """Finding 3: a stranger guessing from one address cannot burn the
    owner's code. The hub listens on ::1 and 127.0.0.1: the stranger
    comes from one, the owner from the other."""

    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=(),
                                          extra_args=("--listen", "127.0.0.1"))

    def test_stranger_cannot_burn_the_owners_code(self):
        code = self.hub.open_code()
        wrong = "%08d" % ((int(code) + 1) % 100000000)
        stranger = ClientIdentity(os.path.join(self.tmp.name, "stranger"), name="Stranger")
        for _ in range(8):
            self.assertIsNone(self.hub.pair(stranger, wrong, host="127.0.0.1")[0])
        # the stranger is shut out, even with the right code
        self.assertIsNone(self.hub.pair(stranger, code, host="127.0.0.1")[0])
        owner = ClientIdentity(os.path.join(self.tmp.name, "owner"), name="Owner Phone")
        status, reply = self.hub.pair(owner, code)
        self.assertEqual(status, 201, reply)
        # the owner sees who tried
        pairing = self.hub.admin("status")["pairing"]
        self.assertEqual(pairing["state"], "code-used")
        self.assertEqual(pairing["guessers"], [{"address": "127.0.0.1", "failures": 5, "shut_out": True}])
        text = subprocess.run([HUB, "status", "--state-dir", self.hub.state],
                              capture_output=True, text=True, timeout=30, check=True).stdout
        self.assertIn("last code    used", text)
        self.assertIn("wrong code   5× from 127.0.0.1 (shut out)", text)
        # and the public document names no one, nor when a code closes, nor,
        # to one whose handshake was not just refused, whether one is open
        self.hub.open_code()
        _, doc = self.hub.curl_json("/.well-known/open-iot")
        self.assertEqual(doc["pairing"], {"port": self.hub.pairing_port})
        _, doc = self.hub.curl_json("/.well-known/open-iot", host="127.0.0.1")
        self.assertTrue(doc["pairing"]["open"], "127.0.0.1 guessed wrong just now")
        self.assertEqual(doc["pairing"]["attempts_left"], 5, "its own count, on the new code")
        self.assertNotIn("guessers", doc["pairing"])
        self.assertNotIn("expires_in", doc["pairing"])
        self.assertNotIn("127.0.0.1", json.dumps(doc))
        self.assertIn("expires_in", self.hub.admin("status")["pairing"])


class TestDeviceNames(PairingTestCase):
    """Finding 9 (names): a name cannot forge lines in the hub's log or in
    `openiot-hub clients`."""

    FORGERIES = ("Phone\r\nRegistered client 0000 (“Admin”)", "Lamp\x1b[2J\x1b[HAdmin",
                 "Tab\u0085let", "Bell\x07", "Evil\u202egnp.exe", "Del\x7f")

    def test_control_characters_are_refused_at_pairing(self):
        for name in self.FORGERIES:
            with self.subTest(name=name):
                code = self.hub.open_code()
                status, reply = self.hub.pair(self.device("Forger"), code, name=name)
                self.assertEqual(status, 400, reply)
                self.assertEqual(reply["error"], "bad-request")
                self.assertEqual(reply["reason"], "invalid-name")
        self.assertNotIn("Forger", " ".join(self.registered_names()))
        log = self.hub.log()
        self.assertNotIn("\x1b", log)
        self.assertNotIn("Registered client 0000", log)

    def test_old_names_are_escaped_on_output(self):
        """A name stored before the check (edited into clients.json) is
        printed as one escaped line."""
        self.hub.register(self.device("Plain"), name="Plain Device")
        self.hub.stop()
        path = os.path.join(self.hub.state, "clients.json")
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.write(text.replace("Plain Device", "Plain\\r\\nforged line\\u001b[31m\\\\"))
        self.hub.start()
        listing = subprocess.run([HUB, "clients", "--state-dir", self.hub.state],
                                 capture_output=True, text=True, timeout=30, check=True).stdout
        self.assertIn("Plain\\x0D\\x0Aforged line\\x1B[31m\\\\", listing)
        self.assertNotIn("\r", listing)
        self.assertNotIn("\x1b", listing)
        for line in listing.splitlines():
            self.assertFalse(line.startswith("forged"), listing)


if __name__ == "__main__":
    unittest.main(verbosity=2)
