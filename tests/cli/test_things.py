#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""`openiot describe|get|set|invoke|observe` on every demo service, through
the real hub, with a client paired by the CLI itself."""

import json
import os
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import Ipv6OnlyTestCase, hub_in_tempdir, run_cli, wait_for  # noqa: E402

OPENIOT = os.environ["OPENIOT_CLI"]


class Client:
    """The CLI with its own file keystore (and TD cache) under the test."""

    def __init__(self, store, netns=None):
        self.store = store
        self.prefix = ["ip", "netns", "exec", netns] if netns else []

    def run(self, *args, timeout=60):
        return run_cli(*args, store=self.store, prefix=self.prefix, timeout=timeout)

    def ok(self, *args):
        result = self.run(*args)
        if result.returncode != 0:
            raise AssertionError(f"openiot {' '.join(args)} → {result.returncode}\n{result.stderr}")
        return result.stdout

    def value(self, *args):
        return json.loads(self.ok(*args))

    def popen(self, *args):
        return subprocess.Popen(self.prefix + [OPENIOT, "--store", self.store, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)


class TestThings(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup)
        cls.client = Client(os.path.join(cls.tmp.name, "store"))
        link = cls.hub.admin("pairing-code")["link"]
        cls.client.ok("pair", link, "--yes", "--name", "Things test")

    def test_describe_every_service(self):
        expected = {
            "thermostat": ("Living-room thermostat", "targetTemperature", "boost", "targetReached"),
            "lock": ("Front door lock", "autoLockSeconds", "unlock", "stateChanged"),
            "light": ("Kitchen light", "brightness", "fade", "changed"),
            "meter": ("Electricity meter", "power", "reset", "overload"),
        }
        for service, words in expected.items():
            with self.subTest(service=service):
                text = self.client.ok("describe", service)
                for word in words:
                    self.assertIn(word, text)
                td = json.loads(self.client.ok("--json", "describe", service))
                self.assertEqual(td["title"], words[0])

    def test_get_every_readable_property(self):
        for service in ("thermostat", "lock", "light", "meter"):
            td = json.loads(self.client.ok("--json", "describe", service))
            for name, prop in td["properties"].items():
                if prop.get("writeOnly"):
                    continue
                with self.subTest(service=service, property=name):
                    value = self.client.value("get", service, name)
                    kind = prop.get("type")
                    python_types = {"number": (int, float), "integer": int, "boolean": bool, "string": str,
                                    "object": dict, "array": list}
                    if kind in python_types:
                        self.assertIsInstance(value, python_types[kind])
                    if "enum" in prop:
                        self.assertIn(value, prop["enum"])

    def test_set_then_get(self):
        cases = [
            ("thermostat", "targetTemperature", "22.5", 22.5),
            ("thermostat", "mode", "cool", "cool"),
            ("thermostat", "schedule", '[{"time": "07:00", "target": 21}]', [{"time": "07:00", "target": 21}]),
            ("lock", "autoLockSeconds", "90", 90),
            ("light", "on", "true", True),
            ("light", "brightness", "40", 40),
            ("light", "color", '{"r": 255, "g": 128, "b": 0}', {"r": 255, "g": 128, "b": 0}),
            ("meter", "overloadThreshold", "5000", 5000),
        ]
        for service, name, text, expected in cases:
            with self.subTest(service=service, property=name):
                self.assertEqual(self.client.ok("set", service, name, text), "")
                self.assertEqual(self.client.value("get", service, name), expected)

    def test_set_refuses_bad_values_before_sending(self):
        for args, message in ((("thermostat", "targetTemperature", "40"), "at most 30"),
                              (("thermostat", "mode", "toast"), "allowed choices"),
                              (("thermostat", "temperature", "20"), "can only be read"),
                              (("light", "brightness", "{"), "not a JSON value"),
                              (("thermostat", "nosuch", "1"), "no property")):
            with self.subTest(args=args):
                result = self.client.run("set", *args)
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertIn(message, result.stderr)
        self.assertNotEqual(self.client.value("get", "thermostat", "targetTemperature"), 40)

    def test_invoke_every_service(self):
        until = self.client.value("invoke", "thermostat", "boost", '{"minutes": 15}')
        self.assertRegex(until["until"], r"^\d{4}-\d\d-\d\dT")
        # the motor takes a moment: "moving", then the final state
        self.assertIn(self.client.value("invoke", "lock", "unlock")["state"], ("moving", "unlocked"))
        wait_for(lambda: self.client.value("get", "lock", "state") == "unlocked", what="unlocked")
        self.assertIn(self.client.value("invoke", "lock", "lock")["state"], ("moving", "locked"))
        wait_for(lambda: self.client.value("get", "lock", "state") == "locked", what="locked")
        self.assertEqual(self.client.value("invoke", "light", "fade", '{"brightness": 10, "durationSeconds": 0}'),
                         {"finalBrightness": 10})
        self.assertIn("previousEnergy", self.client.value("invoke", "meter", "reset", '{"confirm": true}'))

        result = self.client.run("invoke", "thermostat", "boost", '{"minutes": 1}')
        self.assertEqual(result.returncode, 1)
        self.assertIn("Boost: minutes: must be at least 5", result.stderr)
        result = self.client.run("invoke", "thermostat", "boost")
        self.assertIn("needs an input", result.stderr)

    def test_observe_properties(self):
        for service, name in (("thermostat", "temperature"), ("meter", "power")):
            with self.subTest(service=service):
                result = self.client.run("observe", service, name, "--count", "3", "--timeout", "30")
                self.assertEqual(result.returncode, 0, result.stderr)
                values = [json.loads(line) for line in result.stdout.splitlines()]
                self.assertEqual(len(values), 3)
                self.assertTrue(all(isinstance(v, (int, float)) for v in values))

    def test_observe_events(self):
        """Events that an action causes, observed while another client acts."""
        cases = (
            ("lock", "stateChanged", ("invoke", "lock", "unlock")),
            ("light", "changed", ("set", "light", "brightness", "77")),
        )
        for service, event, action in cases:
            with self.subTest(service=service):
                observer = self.client.popen("--json", "observe", service, "--event", event, "--count", "1",
                                             "--timeout", "30")
                time.sleep(1.5)
                self.client.ok(*action)
                out, err = observer.communicate(timeout=40)
                self.assertEqual(observer.returncode, 0, err)
                event_line = json.loads(out.splitlines()[0])
                self.assertRegex(event_line["id"], r"^\d+$")
                self.assertIn("value", event_line)

    def test_observe_timeout_and_usage(self):
        result = self.client.run("observe", "lock", "--event", "jammed", "--count", "1", "--timeout", "1")
        self.assertEqual(result.returncode, 1)
        self.assertIn("0 of 1", result.stderr)
        self.assertEqual(self.client.run("observe", "lock").returncode, 2)
        self.assertEqual(self.client.run("get", "lock").returncode, 2)

    def test_unknown_service(self):
        result = self.client.run("get", "toaster", "slices")
        self.assertEqual(result.returncode, 1)
        self.assertIn("toaster", result.stderr)


class TestObserveAcrossRestart(unittest.TestCase):
    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=("thermostat",))
        self.client = Client(os.path.join(self.tmp.name, "store"))
        self.client.ok("pair", self.hub.admin("pairing-code")["link"], "--yes")

    def test_hub_restart_during_observe(self):
        observer = self.client.popen("--json", "observe", "thermostat", "temperature", "--count", "12",
                                     "--timeout", "90")
        self.addCleanup(observer.stdout.close)
        self.addCleanup(observer.stderr.close)
        lines = []
        reader = threading.Thread(target=lambda: lines.extend(observer.stdout), daemon=True)
        reader.start()
        wait_for(lambda: len(lines) >= 2, timeout=20, what="first values")

        self.hub.stop()
        time.sleep(2)
        self.hub.start()

        observer.wait(timeout=90)
        reader.join(timeout=5)
        err = observer.stderr.read()
        self.assertEqual(observer.returncode, 0, err)
        self.assertIn("reconnecting", err)
        self.assertIn("live again", err)
        ids = [int(json.loads(line)["id"]) for line in lines]
        self.assertEqual(len(ids), 12)
        # Last-Event-ID: nothing twice, in order (the service replays what
        # was published while the hub was away)
        self.assertEqual(ids, sorted(set(ids)))


class TestObserveAcrossLinkFlap(Ipv6OnlyTestCase):
    """The client's network link goes down and comes back up under an
    observation: the CLI carries on by itself, nothing lost, nothing twice;
    a write while the link is down fails and is not applied later."""

    def setUp(self):
        super().setUp()
        self.client = Client(os.path.join(self.tmp.name, "store"), netns=self.client_ns)
        self.client.ok("pair", "--address", f"[{self.HUB_ADDRESS}]:{self.hub.pairing_port}",
                       "--code", self.hub.open_code(), "--yes")

    def link(self, state):
        subprocess.run(["ip", "netns", "exec", self.client_ns, "ip", "link", "set", self.client_veth, state],
                       check=True, capture_output=True)

    def observe(self, count):
        observer = self.client.popen("--json", "observe", "thermostat", "temperature", "--count", str(count),
                                     "--timeout", "90")
        self.addCleanup(observer.stdout.close)
        self.addCleanup(observer.stderr.close)
        lines = []
        threading.Thread(target=lambda: lines.extend(observer.stdout), daemon=True).start()
        wait_for(lambda: len(lines) >= 2, timeout=20, what="first values")
        return observer, lines

    def assertCompleted(self, observer, lines, count):
        observer.wait(timeout=90)
        err = observer.stderr.read()
        self.assertEqual(observer.returncode, 0, err)
        ids = [int(json.loads(line)["id"]) for line in lines]
        self.assertEqual(len(ids), count)
        self.assertEqual(ids, sorted(set(ids)), "an event was delivered twice or out of order")
        return err

    def test_link_down_and_up(self):
        observer, lines = self.observe(10)
        self.link("down")
        time.sleep(3)
        self.link("up")
        self.assertCompleted(observer, lines, 10)

    def test_link_down_while_the_hub_restarts(self):
        # the old TCP connection dies on the hub's side while the client
        # cannot hear it: the client must notice and reconnect
        observer, lines = self.observe(10)
        self.link("down")
        self.hub.stop()
        self.hub.start()
        time.sleep(1)
        self.link("up")
        err = self.assertCompleted(observer, lines, 10)
        self.assertIn("live again", err)

    def test_write_while_the_link_is_down(self):
        before = self.client.value("get", "thermostat", "targetTemperature")
        new = 18 if before != 18 else 19
        self.link("down")
        result = self.client.run("set", "thermostat", "targetTemperature", str(new), timeout=90)
        self.assertNotEqual(result.returncode, 0, "a write reported done with the link down")
        self.link("up")
        time.sleep(1)
        # not applied behind the user's back once the link is back
        self.assertEqual(self.client.value("get", "thermostat", "targetTemperature"), before)
        self.client.ok("set", "thermostat", "targetTemperature", str(new))
        self.assertEqual(self.client.value("get", "thermostat", "targetTemperature"), new)


class TestIpv6OnlyCli(Ipv6OnlyTestCase):
    """Pair and use a hub in another network namespace over IPv6 only, by
    the global address the hub handed out at registration."""

    def setUp(self):
        super().setUp()
        self.client = Client(os.path.join(self.tmp.name, "store"), netns=self.client_ns)

    def test_pair_and_use(self):
        code = self.hub.open_code()
        record = json.loads(self.client.ok("--json", "pair", "--address",
                                           f"[{self.HUB_ADDRESS}]:{self.hub.pairing_port}",
                                           "--code", code, "--yes"))
        self.assertIn(self.HUB_ADDRESS, record["addresses"])

        self.assertIsInstance(self.client.value("get", "thermostat", "temperature"), (int, float))
        self.client.ok("set", "thermostat", "targetTemperature", "19")
        self.assertEqual(self.client.value("get", "thermostat", "targetTemperature"), 19)
        values = self.client.ok("observe", "thermostat", "temperature", "--count", "2", "--timeout", "30")
        self.assertEqual(len(values.splitlines()), 2)
        # every request came from the client's namespace to the global address
        self.assertIn(self.CLIENT_ADDRESS, self.hub.log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
