#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A write or an action is never applied twice when the connection breaks
after the hub received it but before its answer reached the client
(docs/security.md, issue 8).

The CLI reaches the hub through a TCP relay (its stored hub record points
at the relay's port). The relay forwards the TLS bytes both ways; once the
demo service has logged the write it waits for, it drops the next bytes
from the hub and closes both sides. The hub answers only after the service
did, so at that moment the service has the request and the client has not
had its answer. The CLI must then report an error, and the service must
have received the request exactly once: neither the CLI nor libsoup may
send it again on a new connection. Both on a connection's first request
(the Thing Description cached) and after a Thing Description fetch, when
the write goes on that kept-alive connection (one round trip, issue 17)
and an HTTP client may take the close for a stale connection and resend:
libsoup does, for a PUT, and libopeniot cancels that resend."""

import json
import os
import re
import shutil
import sys
import tempfile
import time
import unittest
from unittest import mock

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import Hub, Relay, run_cli, wait_for  # noqa: E402


# How long a resend would have to show up after the CLI gave up
RESEND_GRACE_SECONDS = 1.5


class TestWriteNeverAppliedTwice(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        workdir = os.path.join(self.tmp.name, "hub")
        # the demo service logs every request it receives ("PUT /properties/…")
        with mock.patch.dict(os.environ, G_MESSAGES_DEBUG="openiot-demo"):
            self.hub = Hub(workdir, services=("light",))
        self.addCleanup(self.hub.close)
        self.service_log = os.path.join(workdir, "light.log")
        self.store = os.path.join(self.tmp.name, "store")
        result = self.openiot("pair", "--address", f"[::1]:{self.hub.pairing_port}", "--code",
                              self.hub.open_code(), "--yes")
        self.assertEqual(result.returncode, 0, result.stderr)

        self.relay = Relay(self.hub.port)
        self.addCleanup(self.relay.close)
        path = os.path.join(self.store, "hubs.json")
        with open(path) as f:
            hubs = json.load(f)
        for hub in hubs:
            hub["port"], hub["addresses"] = self.relay.port, ["::1"]
        with open(path, "w") as f:
            json.dump(hubs, f)
        # through the relay, uncut: and the Thing Description is cached
        self.value("get", "light", "brightness")
        self.assertGreater(self.relay.connections, 0, "the CLI did not go through the relay")

    def openiot(self, *args):
        return run_cli(*args, store=self.store)

    def value(self, *args):
        result = self.openiot(*args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def received(self, method, path):
        """How many times the service received @method @path."""
        with open(self.service_log, errors="replace") as f:
            return len(re.findall(rf"DEBUG: [\d:.]+: {method} {re.escape(path)} \(client ", f.read()))

    def hub_received(self, method, path):
        return len(re.findall(rf"Request {method} /services/light{re.escape(path)} from ", self.hub.log()))

    def forget_thing_descriptions(self):
        shutil.rmtree(os.path.join(self.store, "cache"), ignore_errors=True)

    def cut_after(self, method, path, *args):
        """Runs `openiot ARGS` with the relay cutting the answer to the
        service's next @method @path. Asserts that the CLI failed and that
        the service received the request once; returns the CLI's result,
        how many connections it opened and how many times the hub received
        the request."""
        before, hub_before = self.received(method, path), self.hub_received(method, path)
        connections = self.relay.connections
        self.relay.arm(lambda: self.received(method, path) > before)
        result = self.openiot(*args)
        self.assertEqual(self.relay.cuts, 1, f"the relay never saw the answer to {method} {path}:\n"
                                             f"{result.stderr}")
        self.relay.cuts = 0
        # a resend, by the CLI or by libsoup, would have come by now
        time.sleep(RESEND_GRACE_SECONDS)
        with open(self.service_log, errors="replace") as f:
            self.details = (f"\nconnections: {self.relay.connections - connections}"
                            f"\nopeniot: {result.returncode} {result.stdout!r}\n{result.stderr}"
                            f"\nhub:\n{self.hub.log()[-3000:]}\nservice:\n{f.read()[-2000:]}")
        self.assertEqual(self.received(method, path) - before, 1,
                         f"the service did not receive {method} {path} exactly once" + self.details)
        self.assertNotEqual(result.returncode, 0, "reported done without an answer" + self.details)
        self.assertEqual(result.stdout, "", self.details)
        self.assertNotEqual(result.stderr.strip(), "", self.details)
        return result, self.relay.connections - connections, self.hub_received(method, path) - hub_before

    def assertCutReported(self, result, words="Connection terminated unexpectedly"):
        self.assertEqual(result.returncode, 5, self.details)
        self.assertIn(words, result.stderr, self.details)

    def fade(self):
        target = 20 if self.value("get", "light", "brightness") != 20 else 30
        return target, ("invoke", "light", "fade", json.dumps({"brightness": target, "durationSeconds": 0}))

    def brightness(self):
        target = 40 if self.value("get", "light", "brightness") != 40 else 50
        return target, ("set", "light", "brightness", str(target))

    def test_action_cut_on_a_fresh_connection(self):
        target, args = self.fade()
        result, connections, hub_received = self.cut_after("POST", "/actions/fade", *args)
        self.assertCutReported(result)
        self.assertEqual((connections, hub_received), (1, 1), "sent again" + self.details)
        # received once, so applied once
        wait_for(lambda: self.value("get", "light", "brightness") == target, what="the fade applied")

    def test_action_cut_after_fetching_the_description(self):
        target, args = self.fade()
        self.forget_thing_descriptions()
        wot_before = self.received("GET", "/.well-known/wot")
        result, connections, hub_received = self.cut_after("POST", "/actions/fade", *args)
        self.assertEqual(self.received("GET", "/.well-known/wot") - wot_before, 1)
        self.assertCutReported(result)
        # on the kept-alive connection of the description (no new
        # connection, no handshake); libsoup never resends a POST
        self.assertEqual((connections, hub_received), (1, 1), "sent again" + self.details)
        wait_for(lambda: self.value("get", "light", "brightness") == target, what="the fade applied")

    def test_write_cut_on_a_fresh_connection(self):
        target, args = self.brightness()
        result, connections, hub_received = self.cut_after("PUT", "/properties/brightness", *args)
        self.assertCutReported(result)
        self.assertEqual((connections, hub_received), (1, 1), "sent again" + self.details)
        self.assertEqual(self.value("get", "light", "brightness"), target)

    def test_write_cut_after_fetching_the_description(self):
        """The PUT follows the Thing Description's GET on its kept-alive
        connection. libsoup takes a close before the answer for a stale
        connection and would send the PUT again on a new one, though the
        hub had passed it on; libopeniot cancels that resend before it
        goes out: received once, and the user told the change may or may
        not have been made."""
        target, args = self.brightness()
        self.forget_thing_descriptions()
        wot_before = self.received("GET", "/.well-known/wot")
        result, connections, hub_received = self.cut_after("PUT", "/properties/brightness", *args)
        self.assertEqual(self.received("GET", "/.well-known/wot") - wot_before, 1)
        self.assertCutReported(result, "may or may not have been made")
        self.assertEqual((connections, hub_received), (1, 1), "sent again" + self.details)
        self.assertEqual(self.value("get", "light", "brightness"), target)

if __name__ == "__main__":
    unittest.main(verbosity=2)
