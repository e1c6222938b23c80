#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Who may do what at the hub (docs/security.md): strangers, removed
devices and registered clients on the main port, other local users on the
hub's box, and what TLS the main port speaks."""

import json
import os
import re
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import ClientIdentity, ScriptedService, hub_in_tempdir  # noqa: E402

HUB = os.environ["OPENIOT_HUB"]

# Every kind of path the main port knows, and some it does not; the hub
# must refuse each before it routes, whatever the method.
PATHS = (
    "/open-iot/v1/hub", "/open-iot/v1/services", "/open-iot/v1/registration", "/open-iot/v1/pair",
    "/services/scripted/echo", "/services/scripted/properties/x?y=1", "/services/lock/actions/unlock",
    "/services/nosuch/x", "/services/BAD/x", "/services/scripted/../lock/actions/unlock",
    "/services/%2e%2e/open-iot/v1/hub", "/.well-known/open-iot/x", "/.well-known/open-iotx",
    "/.well-known/wot", "/", "/clients", "/status", "/pairing-code", "/rotate-certificate",
)
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")


class TestStrangersAndRemovedDevices(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=("lock",))
        cls.scripted = ScriptedService(cls.hub.services_dir)
        cls.member = ClientIdentity(os.path.join(cls.tmp.name, "member"), name="Member")
        cls.hub.register(cls.member)
        cls.stranger = ClientIdentity(os.path.join(cls.tmp.name, "stranger"), name="Stranger")
        cls.removed = ClientIdentity(os.path.join(cls.tmp.name, "removed"), name="Removed")
        cls.hub.register(cls.removed)
        cls.revoked = ClientIdentity(os.path.join(cls.tmp.name, "revoked"), name="Revoked")
        cls.hub.register(cls.revoked)
        # one device removed itself, the admin revoked another
        assert cls.hub.curl_json("/open-iot/v1/registration", cls.removed, method="DELETE")[0] == 204
        revoked_id = [c["client_id"] for c in cls.hub.admin("clients")
                      if c["certificate"] == cls.revoked.fingerprint][0]
        cls.hub.admin("revoke", revoked_id)

    @classmethod
    def tearDownClass(cls):
        cls.scripted.close()

    def test_every_path_and_method_is_refused(self):
        before = len(self.scripted.requests)
        for who, identity in (("no certificate", None), ("unregistered", self.stranger),
                              ("removed itself", self.removed), ("revoked", self.revoked)):
            for path in PATHS:
                for method in METHODS:
                    with self.subTest(who=who, path=path, method=method):
                        status, body = self.hub.curl_json(path, identity, method=method,
                                                          data="{}" if method in ("POST", "PUT", "PATCH") else None,
                                                          headers=["Content-Type: application/json"],
                                                          extra=["--path-as-is"], timeout=10)
                        self.assertEqual(status, 403, body)
                        self.assertEqual(body["error"], "not-registered")
        # nothing reached a service, and the lock did not move
        self.assertEqual(len(self.scripted.requests), before)
        self.assertEqual(self.hub.curl_json("/services/lock/properties/state", self.member)[1], "locked")
        # the one open door says nothing about anybody
        status, doc = self.hub.curl_json("/.well-known/open-iot", self.stranger)
        self.assertEqual(status, 200)
        self.assertEqual(set(doc), {"api", "id", "name", "certificate", "pairing", "rotation"})

    def test_kept_alive_connection_is_judged_per_request(self):
        # a stranger's connection stays a stranger's after an open request
        sock = self.hub.tls_socket(self.stranger)
        try:
            for path in (b"/.well-known/open-iot", b"/open-iot/v1/hub", b"/services/lock/properties/state"):
                sock.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: hub.invalid\r\n\r\n")
                head = b""
                while b"\r\n\r\n" not in head:
                    head += sock.recv(4096)
                length = int(re.search(rb"Content-Length: (\d+)", head, re.I).group(1))
                body = head.split(b"\r\n\r\n", 1)[1]
                while len(body) < length:
                    body += sock.recv(4096)
                expected = b"200" if path == b"/.well-known/open-iot" else b"403"
                self.assertIn(b" " + expected + b" ", head.split(b"\r\n")[0], head)
        finally:
            sock.close()


class TestNoClientActsAsAnother(unittest.TestCase):
    """The hub tells services who asks (X-Open-IoT-Client-Id/-Name), from the
    TLS client certificate only; what a client says about itself is dropped."""

    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=())
        cls.scripted = ScriptedService(cls.hub.services_dir)
        cls.anna = ClientIdentity(os.path.join(cls.tmp.name, "anna"), name="Anna's phone")
        cls.bob = ClientIdentity(os.path.join(cls.tmp.name, "bob"), name="Bob's tablet")
        cls.anna_id = cls.hub.register(cls.anna)["client_id"]
        cls.bob_id = cls.hub.register(cls.bob)["client_id"]

    @classmethod
    def tearDownClass(cls):
        cls.scripted.close()

    def forwarded_headers(self):
        raw = self.scripted.requests[-1].split(b"\r\n\r\n")[0].decode("latin-1")
        return [line.split(":", 1) for line in raw.split("\r\n")[1:]]

    def test_forged_identity_headers(self):
        # Anna claims to be Bob every way HTTP allows
        forged = [f"X-Open-IoT-Client-Id: {self.bob_id}", "X-Open-IoT-Client-Name: Bob's tablet",
                  f"x-open-iot-client-id: {self.bob_id}", f"X-OPEN-IOT-CLIENT-ID:{self.bob_id}",
                  f"X-Open-IoT-Client-Id:\t {self.bob_id}", f"X-Open-IoT-Client-Id: {self.bob_id}, {self.bob_id}",
                  f"X_Open_IoT_Client_Id: {self.bob_id}", f"X-Open-IoT-Anything: {self.bob_id}",
                  f"Forwarded: for=bob;by={self.bob_id}", f"X-Forwarded-For: {self.bob_id}"]
        status, echo = self.hub.curl_json(f"/services/scripted/echo?client_id={self.bob_id}", self.anna,
                                          headers=forged)
        self.assertEqual(status, 200, echo)
        headers = self.forwarded_headers()
        identity = [(k.strip().lower(), v.strip()) for k, v in headers if k.strip().lower().startswith("x-open-iot-")]
        # exactly the hub's two headers, about Anna
        self.assertEqual(sorted(identity), [("x-open-iot-client-id", self.anna_id),
                                            ("x-open-iot-client-name", "Anna's phone")])
        # Bob's id arrives only where no service takes it for the hub's word
        for name, value in headers:
            if self.bob_id in value:
                self.assertFalse(name.strip().lower().replace("_", "-").startswith("x-open-iot-"), name)

    def test_each_client_is_itself(self):
        for identity, client_id, name in ((self.anna, self.anna_id, "Anna's phone"),
                                          (self.bob, self.bob_id, "Bob's tablet")):
            status, info = self.hub.curl_json("/open-iot/v1/hub", identity,
                                              headers=[f"X-Open-IoT-Client-Id: {self.anna_id}"])
            self.assertEqual((status, info["you"]["client_id"], info["you"]["name"]), (200, client_id, name))
            self.hub.curl_json("/services/scripted/echo", identity)
            self.assertIn(["X-Open-IoT-Client-Id", f" {client_id}"], self.forwarded_headers())

    def test_removing_oneself_removes_nobody_else(self):
        carol = ClientIdentity(os.path.join(self.tmp.name, "carol"), name="Carol")
        self.hub.register(carol)
        status, _ = self.hub.curl_json("/open-iot/v1/registration", carol, method="DELETE",
                                       headers=[f"X-Open-IoT-Client-Id: {self.bob_id}"])
        self.assertEqual(status, 204)
        self.assertEqual(self.hub.curl_json("/open-iot/v1/hub", carol)[0], 403)
        self.assertEqual(self.hub.curl_json("/open-iot/v1/hub", self.bob)[0], 200)
        # the admin's requests do not exist on the main port
        for path, method in ((f"/clients/{self.bob_id}", "DELETE"), ("/clients", "GET"),
                             ("/pairing-code", "POST"), ("/rotate-certificate", "POST"),
                             (f"/open-iot/v1/registration/{self.bob_id}", "DELETE")):
            status, _ = self.hub.curl_json(path, self.anna, method=method)
            self.assertIn(status, (400, 404, 405), path)
        self.assertEqual(self.hub.curl_json("/open-iot/v1/hub", self.bob)[0], 200)
        self.assertEqual([c["revoked"] for c in self.hub.admin("clients") if c["client_id"] == self.bob_id], [False])


def run_as_nobody(*args):
    return subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", *args],
                          capture_output=True, text=True, timeout=30)


class TestLocalUsers(unittest.TestCase):
    """Other users on the hub's machine: the key, the registry and the admin
    socket are the hub's user's alone."""

    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=())

    def test_state_files_are_private(self):
        modes = {name: stat.S_IMODE(os.stat(os.path.join(self.hub.state, name)).st_mode)
                 for name in ("hub.key", "admin.sock")}
        self.assertEqual(modes, {"hub.key": 0o600, "admin.sock": 0o600})
        self.assertEqual(stat.S_IMODE(os.stat(self.hub.state).st_mode) & 0o077, 0, "the state dir is open")
        self.hub.register(ClientIdentity(os.path.join(self.tmp.name, "client")))
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(self.hub.state, "clients.json")).st_mode), 0o600)
        with open(os.path.join(self.hub.state, "hub.key")) as f:
            self.assertIn("PRIVATE KEY", f.read())

    def test_hub_refuses_a_readable_key(self):
        self.hub.stop()
        key = os.path.join(self.hub.state, "hub.key")
        os.chmod(key, 0o644)
        result = subprocess.run([HUB, "serve", "--state-dir", self.hub.state, "--services-dir", self.hub.services_dir,
                                 "--listen", "::1", "--port", str(self.hub.port)],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 1)
        self.assertIn("readable by other users", result.stderr)
        os.chmod(key, 0o600)

    def test_other_users_cannot_administer(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to run a command as nobody")
        # let nobody walk to the state dir, so that only the socket's own
        # mode and the hub's check stand in the way
        path = self.hub.state
        while path != "/":
            path = os.path.dirname(path)
            os.chmod(path, os.stat(path).st_mode | 0o001)
        os.chmod(self.hub.state, 0o711)
        admin = os.path.join(self.hub.state, "admin.sock")

        result = run_as_nobody(HUB, "pairing-code", "--state-dir", self.hub.state, "--json")
        self.assertNotEqual(result.returncode, 0)
        self.assertRegex(result.stderr, "(?i)permission denied")
        result = run_as_nobody("cat", os.path.join(self.hub.state, "hub.key"))
        self.assertNotEqual(result.returncode, 0)

        # a mistaken chmod: the socket opens, the hub still says no
        os.chmod(admin, 0o666)
        for method, path in (("POST", "/pairing-code"), ("GET", "/clients"), ("POST", "/rotate-certificate"),
                             ("GET", "/status")):
            result = run_as_nobody("curl", "-sS", "--unix-socket", admin, "-X", method, "-d", "{}",
                                   "-w", "\n%{http_code}", f"http://localhost{path}")
            body, _, status = result.stdout.rpartition("\n")
            self.assertEqual(status, "403", result.stdout + result.stderr)
            self.assertEqual(json.loads(body)["error"], "forbidden")
        self.assertIn("Refused an admin request from another user", self.hub.log())
        status = self.hub.admin("status")
        self.assertFalse(status["pairing"]["open"], "another user opened a pairing code")
        # while the hub's own user is served as before
        self.assertRegex(self.hub.admin("pairing-code")["code"], r"^\d{8}$")


class TestTls(unittest.TestCase):
    """What the main port offers, listed with gnutls-cli: TLS 1.3 and 1.2,
    ECDHE key exchange, AEAD ciphers; nothing older or weaker."""

    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=())

    def handshake(self, priority):
        result = subprocess.run(["gnutls-cli", "--insecure", "--priority", priority, "-p", str(self.hub.port),
                                 "::1"], input=b"", capture_output=True, timeout=30)
        match = re.search(r"^- Description: (.*)$", result.stdout.decode(errors="replace"), re.M)
        return match.group(1) if match else None

    def test_what_is_offered(self):
        offered = {}
        probes = {f"{version}": f"NORMAL:-VERS-ALL:+VERS-{version}" for version in
                  ("TLS1.0", "TLS1.1", "TLS1.2", "TLS1.3")}
        probes["SSL3.0"] = "NORMAL:%COMPAT:-VERS-ALL:+VERS-SSL3.0"
        for kx in ("RSA", "DHE-RSA", "DHE-DSS", "ECDHE-RSA", "ECDHE-ECDSA", "ANON-DH", "ANON-ECDH", "PSK",
                   "RSA-PSK"):
            probes[f"TLS1.2 {kx}"] = f"NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+{kx}"
        for cipher in ("AES-128-CBC", "AES-256-CBC", "3DES-CBC", "ARCFOUR-128", "CAMELLIA-128-CBC", "NULL",
                       "AES-128-GCM", "AES-256-GCM", "CHACHA20-POLY1305", "AES-128-CCM"):
            for version in ("TLS1.2", "TLS1.3"):
                probes[f"{version} {cipher}"] = (f"NORMAL:-VERS-ALL:+VERS-{version}:-CIPHER-ALL:+{cipher}"
                                                 + (":+NULL:+MAC-ALL" if cipher == "NULL" else ""))
        for name, priority in probes.items():
            offered[name] = self.handshake(priority)
        listing = "\n".join(f"  {name:28} {description or '-- refused'}" for name, description in offered.items())
        print("What the main port negotiates:\n" + listing)

        accepted = {name: d for name, d in offered.items() if d}
        for name, description in accepted.items():
            self.assertRegex(description, r"^\(TLS1\.[23]-", listing)
            self.assertRegex(description, r"ECDHE", listing)
            self.assertRegex(description, r"\((AES-(128|256)-(GCM|CCM)|CHACHA20-POLY1305)\)$", listing)
        # and what must work, does
        for name in ("TLS1.2", "TLS1.3", "TLS1.2 ECDHE-ECDSA", "TLS1.3 AES-256-GCM", "TLS1.3 CHACHA20-POLY1305",
                     "TLS1.2 AES-128-GCM"):
            self.assertIn(name, accepted, listing)
        for name in ("SSL3.0", "TLS1.0", "TLS1.1", "TLS1.2 RSA", "TLS1.2 ANON-ECDH", "TLS1.2 AES-128-CBC",
                     "TLS1.2 NULL"):
            self.assertNotIn(name, accepted, listing)

    def test_environment_cannot_loosen_it(self):
        # the hub sets its own policy whatever G_TLS_GNUTLS_PRIORITY says
        self.hub.stop()
        self.hub.proc = None
        env_hub = subprocess.Popen([HUB, "serve", "--state-dir", self.hub.state, "--services-dir", self.hub.services_dir,
                                    "--listen", "::1", "--port", str(self.hub.port)],
                                   env=dict(os.environ, G_TLS_GNUTLS_PRIORITY="NORMAL:+VERS-TLS1.0:+VERS-TLS1.1"),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            from openiot_testlib import wait_for
            wait_for(lambda: self.handshake("NORMAL") is not None, what="the hub")
            self.assertIsNone(self.handshake("NORMAL:-VERS-ALL:+VERS-TLS1.0"))
        finally:
            env_hub.terminate()
            env_hub.wait(timeout=10)
            self.hub.start()


if __name__ == "__main__":
    unittest.main(verbosity=2)
