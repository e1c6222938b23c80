#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Black-box tests of openiot-hub: the real hub and demo services, curl,
gnutls-cli, certtool and openssl (docs/protocol.md is the reference)."""

import base64
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import (  # noqa: E402
    ClientIdentity, Hub, SseReader, fingerprint_of_pem, hub_in_tempdir, seconds_until_cut_off)


class HubTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup)
        cls.client = ClientIdentity(os.path.join(cls.tmp.name, "client"), name="Test Phone")
        cls.hub.register(cls.client)

    def assertError(self, status, body, expected_status, code):
        self.assertEqual(status, expected_status, body)
        self.assertIsInstance(body, dict)
        self.assertEqual(body["error"], code)
        self.assertTrue(body["message"])


class TestOpenEndpoints(HubTestCase):
    def test_well_known(self):
        status, doc = self.hub.curl_json("/.well-known/open-iot")
        self.assertEqual(status, 200)
        self.assertEqual(doc["api"], 1)
        self.assertEqual(doc["name"], "Test Hub")
        self.assertRegex(doc["certificate"], r"^sha256:[0-9a-f]{64}$")
        self.assertEqual(doc["pairing"]["port"], self.hub.pairing_port)
        self.assertIsNone(doc["rotation"])
        # the fingerprint published is the one served
        served = subprocess.run(["gnutls-cli", "--print-cert", "--insecure", "-p", str(self.hub.port), "::1"],
                                input=b"", capture_output=True).stdout.decode()
        pem = served[served.index("-----BEGIN CERTIFICATE-----"):served.index("-----END CERTIFICATE-----") + 25]
        with tempfile.NamedTemporaryFile("w", suffix=".pem") as f:
            f.write(pem + "\n")
            f.flush()
            self.assertEqual(fingerprint_of_pem(f.name), doc["certificate"])

    def test_no_certificate_gets_403_everywhere(self):
        for path in ("/open-iot/v1/hub", "/open-iot/v1/services", "/services/thermostat/.well-known/wot",
                     "/anything", "/"):
            status, body = self.hub.curl_json(path)
            self.assertError(status, body, 403, "not-registered")

    def test_unregistered_certificate_gets_403(self):
        stranger = ClientIdentity(os.path.join(self.tmp.name, "stranger"))
        status, body = self.hub.curl_json("/open-iot/v1/hub", stranger)
        self.assertError(status, body, 403, "not-registered")
        status, body = self.hub.curl_json("/services/lock/properties/state", stranger)
        self.assertError(status, body, 403, "not-registered")


class TestPairing(HubTestCase):
    def test_wrong_code_counts_and_locks_out(self):
        code = self.hub.open_code()
        wrong = "%08d" % ((int(code) + 1) % 100000000)
        device = ClientIdentity(os.path.join(self.tmp.name, "guesser"))
        for attempt in range(1, 6):
            status, _ = self.hub.pair(device, wrong)
            self.assertIsNone(status, "a wrong code must fail the SRP handshake")
            _, doc = self.hub.curl_json("/.well-known/open-iot")
            if attempt < 5:
                self.assertTrue(doc["pairing"]["open"])
                self.assertEqual(doc["pairing"]["attempts_left"], 5 - attempt)
        _, doc = self.hub.curl_json("/.well-known/open-iot")
        self.assertEqual(doc["pairing"]["attempts_left"], 0)
        # five wrong codes shut this address out, even with the right code
        # (the code stays open for other addresses: test_hub_pairing_abuse.py)
        status, _ = self.hub.pair(device, code)
        self.assertIsNone(status)
        self.assertIn("guessed wrong 5 times", self.hub.log())
        status, _ = self.hub.curl_json("/open-iot/v1/hub", device)
        self.assertEqual(status, 403)

    def test_right_code_registers_once(self):
        device = ClientIdentity(os.path.join(self.tmp.name, "tablet"), name="Kitchen Tablet")
        code = self.hub.open_code()
        status, reply = self.hub.pair(device, code)
        self.assertEqual(status, 201, reply)
        self.assertRegex(reply["client_id"], r"^[0-9a-f-]{36}$")
        _, doc = self.hub.curl_json("/.well-known/open-iot")
        self.assertEqual(reply["hub"]["certificate"], doc["certificate"])
        self.assertEqual(reply["hub"]["id"], doc["id"])
        self.assertIn("BEGIN CERTIFICATE", reply["hub"]["certificate_pem"])
        self.assertEqual(reply["port"], self.hub.port)
        self.assertIsInstance(reply["addresses"], list)
        # the code is single-use
        other = ClientIdentity(os.path.join(self.tmp.name, "other"))
        status, _ = self.hub.pair(other, code)
        self.assertIsNone(status)
        # the device that was refused may read why: no code is open
        _, doc = self.hub.curl_json("/.well-known/open-iot")
        self.assertFalse(doc["pairing"]["open"])
        # and the device is in
        status, info = self.hub.curl_json("/open-iot/v1/hub", device)
        self.assertEqual(status, 200)
        self.assertEqual(info["you"]["client_id"], reply["client_id"])
        self.assertEqual(info["you"]["name"], "Kitchen Tablet")

    def test_expired_code(self):
        device = ClientIdentity(os.path.join(self.tmp.name, "late"))
        result = self.hub.admin("pairing-code", "--ttl", "5", check=False)
        self.assertEqual(result.returncode, 1, "a TTL under 10 s is refused") if hasattr(result, "returncode") else None
        code = self.hub.open_code(ttl=10)
        time.sleep(10.5)
        status, _ = self.hub.pair(device, code)
        self.assertIsNone(status)

    def test_rejects_bad_certificates(self):
        weak_dir = os.path.join(self.tmp.name, "weak")
        weak = ClientIdentity(weak_dir, key_type=("rsa", 1024))
        status, reply = self.hub.pair(weak, self.hub.open_code())
        self.assertEqual(status, 400)
        self.assertEqual(reply["error"], "invalid-certificate")

    def test_pairing_again_renews(self):
        """A pairing the client gave up on after the hub registered it
        (docs/protocol.md): the same certificate with a new code renews the
        registration under its id and new name."""
        device = ClientIdentity(os.path.join(self.tmp.name, "again"), name="Again")
        status, first = self.hub.pair(device, self.hub.open_code())
        self.assertEqual(status, 201)
        status, reply = self.hub.pair(device, self.hub.open_code(), name="Renamed")
        self.assertEqual(status, 201)
        self.assertEqual(reply["client_id"], first["client_id"])
        mine = [c for c in self.hub.admin("clients") if c["certificate"] == device.fingerprint]
        self.assertEqual([(c["client_id"], c["name"], c["revoked"]) for c in mine],
                         [(first["client_id"], "Renamed", False)])
        status, _ = self.hub.curl_json("/open-iot/v1/services", device)
        self.assertEqual(status, 200)

    def test_revoked_certificate_stays_refused(self):
        device = ClientIdentity(os.path.join(self.tmp.name, "revoked"), name="Revoked")
        status, first = self.hub.pair(device, self.hub.open_code())
        self.assertEqual(status, 201)
        self.hub.admin("revoke", first["client_id"])
        status, reply = self.hub.pair(device, self.hub.open_code())
        self.assertEqual(status, 409)
        self.assertEqual(reply["error"], "already-registered")
        status, _ = self.hub.curl_json("/open-iot/v1/services", device)
        self.assertEqual(status, 403)


class TestServices(HubTestCase):
    def test_services_list(self):
        status, services = self.hub.curl_json("/open-iot/v1/services", self.client)
        self.assertEqual(status, 200)
        ids = [s["id"] for s in services]
        self.assertEqual(ids, sorted(ids))
        services = [s for s in services if s["id"] in ("light", "lock", "meter", "thermostat")]
        self.assertEqual(len(services), 4)
        for service in services:
            self.assertEqual(service["state"], "up")
            self.assertEqual(service["td"], f"/services/{service['id']}/.well-known/wot")
            self.assertNotEqual(service["title"], service["id"])

    def test_services_follow_the_directory(self):
        self.hub.start_service("spare-light", "light")
        status, services = self.hub.curl_json("/open-iot/v1/services", self.client)
        self.assertIn("spare-light", [s["id"] for s in services])
        self.hub.stop_service("spare-light")
        status, services = self.hub.curl_json("/open-iot/v1/services", self.client)
        spare = [s for s in services if s["id"] == "spare-light"]
        self.assertEqual(spare[0]["state"], "down")

    def test_thing_descriptions(self):
        for service in ("thermostat", "lock", "light", "meter"):
            status, td = self.hub.curl_json(f"/services/{service}/.well-known/wot", self.client)
            self.assertEqual(status, 200)
            self.assertIn("properties", td)

    def test_get_put_post_every_service(self):
        cases = {
            "thermostat": ("targetTemperature", 22.5, "boost", {"minutes": 30}),
            "lock": ("autoLockSeconds", 120, "lock", None),
            "light": ("brightness", 40, "fade", {"brightness": 80, "durationSeconds": 1}),
            "meter": ("overloadThreshold", 3000, "reset", {"confirm": True}),
        }
        for service, (prop, value, action, action_input) in cases.items():
            with self.subTest(service=service):
                status, _ = self.hub.curl_json(f"/services/{service}/properties/{prop}", self.client,
                                               method="PUT", data=json.dumps(value),
                                               headers=["Content-Type: application/json"])
                self.assertIn(status, (200, 204))
                status, read = self.hub.curl_json(f"/services/{service}/properties/{prop}", self.client)
                self.assertEqual(status, 200)
                self.assertEqual(read, value)
                status, output = self.hub.curl_json(f"/services/{service}/actions/{action}", self.client,
                                                    method="POST",
                                                    data=json.dumps(action_input) if action_input is not None else "",
                                                    headers=["Content-Type: application/json"])
                self.assertEqual(status, 200, output)
                status, everything = self.hub.curl_json(f"/services/{service}/properties", self.client)
                self.assertEqual(status, 200)
                self.assertIn(prop, everything)

    def test_service_errors_pass_through(self):
        status, body = self.hub.curl_json("/services/thermostat/properties/targetTemperature", self.client,
                                          method="PUT", data="99", headers=["Content-Type: application/json"])
        self.assertEqual(status, 400)
        self.assertIn("error", body)

    def test_unknown_service(self):
        status, body = self.hub.curl_json("/services/garage/.well-known/wot", self.client)
        self.assertError(status, body, 404, "not-found")

    def test_sse_arrives_as_it_happens(self):
        stream = SseReader(self.hub, "/services/meter/properties/power/observe", self.client)
        try:
            events = stream.events(4)
        finally:
            stream.close()
        times = [t for t, _ in events]
        for _, event in events:
            self.assertIn("id", event)
            float(json.loads(event["data"]))
        # not buffered: the events came spread out, one tick apart
        self.assertGreater(times[-1] - times[0], 0.15)

    def test_event_stream_resumes_with_last_event_id(self):
        stream = SseReader(self.hub, "/services/meter/properties/energy/observe", self.client)
        try:
            first = stream.events(3)
        finally:
            stream.close()
        last_id = int(first[-1][1]["id"])
        # ids count every event of the service, so one property's events are
        # a fixed step apart
        step = last_id - int(first[-2][1]["id"])
        time.sleep(0.5)  # about five more events happen while we are away
        stream = SseReader(self.hub, "/services/meter/properties/energy/observe", self.client,
                           headers=[f"Last-Event-ID: {last_id}"])
        try:
            resumed = stream.events(3)
        finally:
            stream.close()
        ids = [int(event["id"]) for _, event in resumed]
        # what was missed is replayed first, in order, nothing twice
        self.assertEqual(ids, sorted(ids))
        self.assertGreater(ids[0], last_id)
        self.assertLessEqual(ids[0], last_id + step, "the first missed event comes first")

    def test_forged_headers_never_reach_the_service(self):
        status, echo = self.hub.curl_json("/services/lock/debug/echo?x=1", self.client,
                                          headers=["X-Open-IoT-Client-Id: someone-else",
                                                   "X-Open-IoT-Client-Name: Admin",
                                                   "x-open-iot-extra: 1",
                                                   "X-Custom: kept"])
        self.assertEqual(status, 200)
        headers = {k.lower(): v for k, v in echo["headers"].items()}
        _, info = self.hub.curl_json("/open-iot/v1/hub", self.client)
        self.assertEqual(headers["x-open-iot-client-id"], info["you"]["client_id"])
        self.assertEqual(headers["x-open-iot-client-name"], "Test Phone")
        self.assertNotIn("x-open-iot-extra", headers)
        self.assertEqual(headers["x-custom"], "kept")
        self.assertEqual(echo["query"], "x=1")

    def test_traversal_is_refused(self):
        # dot segments are resolved before routing (docs/protocol.md): they
        # can only land on another endpoint of the protocol, never a file
        for path, expected in (("/services/../../etc/passwd", 404),
                               ("/services/lock/%2e%2e/%2e%2e/etc/passwd", 404),
                               ("/services/lock/../../open-iot/v1/registration", 405),
                               ("/services/lock/a%00b", 400),
                               ("/services/lock/%zz", 400),
                               ("/services/lock//properties/state", 400),
                               ("/services/lock\\..\\x", 400),
                               ("/services/Lock/properties/state", 400),
                               ("/services/-lock/properties/state", 400)):
            with self.subTest(path=path):
                status, body = self.hub.curl_json(path, self.client, extra=["--path-as-is"])
                self.assertEqual(status, expected, body)
                # libsoup itself refuses malformed escapes, with an empty 400
                if body is not None:
                    self.assertIn("error", body)
        # the same client is still registered and the hub still up
        status, _ = self.hub.curl_json("/open-iot/v1/hub", self.client)
        self.assertEqual(status, 200)

    def test_dead_socket_gives_502_and_hub_stays_up(self):
        os.makedirs(os.path.join(self.hub.services_dir, "ghost"), exist_ok=True)
        status, body = self.hub.curl_json("/services/ghost/properties", self.client)
        self.assertError(status, body, 502, "service-unavailable")
        # a stale socket file with nobody listening
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(os.path.join(self.hub.services_dir, "ghost", "interface.sock"))
        sock.close()
        status, body = self.hub.curl_json("/services/ghost/properties", self.client)
        self.assertError(status, body, 502, "service-unavailable")
        self.assertTrue(self.hub.alive())
        status, _ = self.hub.curl_json("/services/lock/properties", self.client)
        self.assertEqual(status, 200)

    def test_body_too_large(self):
        status, body = self.hub.curl_json("/services/light/properties/brightness", self.client, method="PUT",
                                          data=b"1" * (1024 * 1024 + 1),
                                          headers=["Content-Type: application/json"])
        self.assertError(status, body, 413, "payload-too-large")

    def test_too_many_headers(self):
        status, body = self.hub.curl_json("/open-iot/v1/hub", self.client,
                                          headers=[f"X-Filler-{i}: {i}" for i in range(80)])
        self.assertError(status, body, 431, "headers-too-large")


class TestAdmin(HubTestCase):
    def test_files_are_private(self):
        for name in ("hub.key", "clients.json", "admin.sock"):
            mode = stat.S_IMODE(os.stat(os.path.join(self.hub.state, name)).st_mode)
            self.assertEqual(mode & 0o077, 0, f"{name} is {oct(mode)}")

    def test_status_and_clients(self):
        status = self.hub.admin("status")
        self.assertEqual(status["name"], "Test Hub")
        self.assertGreaterEqual(status["clients"], 1)
        self.assertEqual(status["services"], 4)
        clients = self.hub.admin("clients")
        self.assertIn(self.client.fingerprint, [c["certificate"] for c in clients])

    def test_pairing_code_human_output(self):
        result = subprocess.run([os.environ["OPENIOT_HUB"], "pairing-code", "--state-dir", self.hub.state],
                                capture_output=True, text=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"Pairing code: \d{4} \d{4}")
        self.assertIn("openiot://", result.stdout)
        self.assertIn("█", result.stdout, "a QR code of the link")
        # the fingerprint as the app and the CLI show it: capitals, groups of four
        hexdigits = self.hub.admin("status")["certificate"][len("sha256:"):].upper()
        lines = [" ".join(hexdigits[i + j:i + j + 4] for j in range(0, 16, 4)) for i in range(0, 64, 16)]
        self.assertIn("\n".join("    " + line for line in lines), result.stdout)
        result = subprocess.run([os.environ["OPENIOT_HUB"], "status", "--state-dir", self.hub.state],
                                capture_output=True, text=True, timeout=30)
        self.assertIn("\n".join("    " + line for line in lines), result.stdout)


class TestTimeouts(unittest.TestCase):
    """Idle and trickling connections are closed; quiet event streams that
    receive keep-alives are not."""

    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(
            cls.addClassCleanup, services=("lock",),
            extra_args=["--idle-timeout", "2", "--service-timeout", "4"])
        cls.client = ClientIdentity(os.path.join(cls.tmp.name, "client"))
        cls.hub.register(cls.client)

    def test_slow_service_gives_504(self):
        start = time.monotonic()
        status, body = self.hub.curl_json("/services/lock/debug/slow?seconds=10", self.client, timeout=15)
        self.assertEqual(status, 504, body)
        self.assertEqual(body["error"], "service-timeout")
        self.assertGreaterEqual(time.monotonic() - start, 3.5)

    def test_quiet_long_poll_outlives_the_idle_timeout(self):
        # A long-poll answers only when something happens: a response that
        # takes longer than the connection idle timeout (2 s here) but less
        # than the service timeout is passed on, not cut
        status, body = self.hub.curl_json("/services/lock/debug/slow?seconds=3", self.client, timeout=15)
        self.assertEqual(status, 200, body)

    def tls_socket(self):
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context.wrap_socket(socket.create_connection(("::1", self.hub.port)), server_hostname="hub.invalid")

    def test_idle_connection_is_closed(self):
        sock = self.tls_socket()
        sock.settimeout(10)
        start = time.monotonic()
        self.assertEqual(sock.recv(10), b"")
        self.assertLess(time.monotonic() - start, 5)

    def test_slowloris_is_closed(self):
        sock = self.tls_socket()
        sock.send(b"GET /.well-known/open-iot HTTP/1.1\r\n")
        self.assertLess(seconds_until_cut_off(self, sock, b"X-Slow: 1\r\n", 20), 9)
        self.assertIn("did not send its request in time", self.hub.log())
        self.assertTrue(self.hub.alive())

    def test_quiet_event_stream_survives(self):
        args = ["curl", "-sS", "-N", "-k", "--cert", self.client.cert, "--key", self.client.key,
                "--max-time", "7", self.hub.url("/services/lock/events/jammed")]
        start = time.monotonic()
        result = subprocess.run(args, capture_output=True, timeout=20)
        # curl stops itself at --max-time (exit 28): the hub never cut it
        self.assertEqual(result.returncode, 28, result.stderr)
        self.assertGreater(time.monotonic() - start, 6.5)
        self.assertGreaterEqual(result.stdout.count(b": keep-alive"), 4)


class TestLifecycle(unittest.TestCase):
    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=("lock",))
        self.client = ClientIdentity(os.path.join(self.tmp.name, "client"))
        self.hub.register(self.client)

    def test_restart_keeps_registrations_and_certificate(self):
        _, before = self.hub.curl_json("/.well-known/open-iot")
        self.hub.stop()
        self.hub.start()
        _, after = self.hub.curl_json("/.well-known/open-iot")
        self.assertEqual(before["certificate"], after["certificate"])
        self.assertEqual(before["id"], after["id"])
        status, _ = self.hub.curl_json("/open-iot/v1/hub", self.client)
        self.assertEqual(status, 200)

    def test_kill_during_registration_keeps_registry(self):
        device = ClientIdentity(os.path.join(self.tmp.name, "second"))
        self.hub.register(device)
        self.hub.stop(signal.SIGKILL)
        with open(os.path.join(self.hub.state, "clients.json")) as f:
            self.assertEqual(len(json.load(f)), 2)
        self.hub.start()
        for identity in (self.client, device):
            status, _ = self.hub.curl_json("/open-iot/v1/hub", identity)
            self.assertEqual(status, 200)

    def test_rotation_ends_open_streams_and_the_hub_stays_up(self):
        """A rotation ends every open connection (docs/protocol.md), event
        streams included, while their services keep sending: the hub must
        not touch the messages of the connections it closed."""
        hub = Hub(os.path.join(self.tmp.name, "streaming"), services=("meter",))
        try:
            hub.register(self.client)
            streams = [SseReader(hub, "/services/meter/properties/power/observe", self.client) for _ in range(3)]
            for stream in streams:
                stream.events(1)
            hub.admin("rotate-certificate")
            for stream in streams:
                with self.assertRaises(EOFError):
                    stream.events(100, timeout=10)
                stream.close()
            time.sleep(1.0)  # the meter ticks on
            self.assertIsNone(hub.proc.poll(), "the hub died")
            self.assertNotIn("CRITICAL", open(hub.log_path).read())
            status, _ = hub.curl_json("/open-iot/v1/hub", self.client)
            self.assertEqual(status, 200)
        finally:
            hub.close()

    def test_rotation_proof_verifies_with_old_key(self):
        _, before = self.hub.curl_json("/.well-known/open-iot")
        old_cert = os.path.join(self.hub.state, "old.crt")
        with open(os.path.join(self.hub.state, "hub.crt")) as src, open(old_cert, "w") as dst:
            dst.write(src.read())
        rotated = self.hub.admin("rotate-certificate")
        self.assertEqual(rotated["previous"], before["certificate"])
        _, after = self.hub.curl_json("/.well-known/open-iot")
        self.assertEqual(after["certificate"], rotated["certificate"])
        self.assertNotEqual(after["certificate"], before["certificate"])
        self.assertEqual(after["rotation"]["previous"], before["certificate"])
        message = f"open-iot rotation v1\n{before['certificate']}\n{after['certificate']}\n".encode()
        work = self.tmp.name
        with open(os.path.join(work, "msg"), "wb") as f:
            f.write(message)
        with open(os.path.join(work, "sig"), "wb") as f:
            f.write(base64.b64decode(after["rotation"]["signature"]))
        subprocess.run(["openssl", "x509", "-in", old_cert, "-pubkey", "-noout", "-out",
                        os.path.join(work, "old.pub")], check=True)
        verify = subprocess.run(["openssl", "dgst", "-sha256", "-verify", os.path.join(work, "old.pub"),
                                 "-signature", os.path.join(work, "sig"), os.path.join(work, "msg")],
                                capture_output=True, text=True)
        self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
        # a tampered message does not verify
        with open(os.path.join(work, "msg"), "ab") as f:
            f.write(b"x")
        verify = subprocess.run(["openssl", "dgst", "-sha256", "-verify", os.path.join(work, "old.pub"),
                                 "-signature", os.path.join(work, "sig"), os.path.join(work, "msg")],
                                capture_output=True, text=True)
        self.assertNotEqual(verify.returncode, 0)
        # the new certificate is what the hub serves, and registrations survive
        status, _ = self.hub.curl_json("/open-iot/v1/hub", self.client)
        self.assertEqual(status, 200)

    def test_revoke_and_self_removal(self):
        clients = self.hub.admin("clients")
        client_id = [c for c in clients if c["certificate"] == self.client.fingerprint][0]["client_id"]
        device = ClientIdentity(os.path.join(self.tmp.name, "leaver"))
        self.hub.register(device)
        self.hub.admin("revoke", client_id)
        status, body = self.hub.curl_json("/open-iot/v1/hub", self.client)
        self.assertEqual(status, 403)
        status, _ = self.hub.curl_json("/services/lock/properties", self.client)
        self.assertEqual(status, 403)
        status, _ = self.hub.curl_json("/open-iot/v1/registration", device, method="DELETE")
        self.assertEqual(status, 204)
        status, _ = self.hub.curl_json("/open-iot/v1/hub", device)
        self.assertEqual(status, 403)


if __name__ == "__main__":
    unittest.main(verbosity=2)
