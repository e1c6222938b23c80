#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Real W3C WoT peers with the hub (issue 13): a Thing exposed by Eclipse
Thingweb node-wot 0.9, unmodified (its default TD: absolute hrefs on every
address of the machine, JSON and CBOR forms, long-poll events), behind
the real hub through a bridge from its interface.sock to node-wot's port;
the openiot CLI using it; node-wot's own consumer resolving the TD it
fetched through the hub. npm packages: tools/install-deps."""

import json
import os
import select
import socket
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import (  # noqa: E402
    ClientIdentity, accept_in_background, hub_in_tempdir, listen_unix, run_cli, wait_for)

HERE = os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "interop")


class UnixToTcpBridge:
    """<service>/interface.sock → 127.0.0.1:PORT, byte for byte: node-wot
    listens on a TCP port, the hub reaches services by UNIX socket."""

    def __init__(self, path, port):
        self.port = port
        self.sock = listen_unix(path, 64)
        accept_in_background(self.sock, self._pump)

    def _pump(self, conn):
        try:
            upstream = socket.create_connection(("127.0.0.1", self.port))
        except OSError:
            conn.close()
            return
        peers = {conn: upstream, upstream: conn}
        try:
            while True:
                readable, _, _ = select.select(list(peers), [], [])
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    peers[s].sendall(data)
        except OSError:
            pass
        finally:
            conn.close()
            upstream.close()

    def close(self):
        self.sock.close()


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipUnless(os.path.isdir(os.path.join(HERE, "node_modules", "@node-wot")),
                     "node-wot is not installed: run tools/install-deps")
class TestNodeWot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=())
        port = free_tcp_port()
        cls.log = open(os.path.join(cls.tmp.name, "node-wot.log"), "w+")
        cls.node = subprocess.Popen(["node", os.path.join(HERE, "counter-thing.mjs"), str(port)], cwd=HERE,
                                    stdout=cls.log, stderr=subprocess.STDOUT,
                                    env=dict(os.environ, COUNTER_TICK_MS="300"))
        wait_for(lambda: "ready on" in open(cls.log.name).read() or cls.node.poll() is not None, timeout=60,
                 what="node-wot")
        if cls.node.poll() is not None:
            raise RuntimeError("node-wot exited:\n" + open(cls.log.name).read())
        cls.bridge = UnixToTcpBridge(os.path.join(cls.hub.services_dir, "counter", "interface.sock"), port)
        cls.store = os.path.join(cls.tmp.name, "store")
        result = cls.openiot("pair", cls.hub.admin("pairing-code")["link"], "--yes")
        assert result.returncode == 0, result.stderr
        cls.client = ClientIdentity(os.path.join(cls.tmp.name, "client"))
        cls.hub.register(cls.client)

    @classmethod
    def tearDownClass(cls):
        cls.node.terminate()
        cls.node.wait(timeout=10)
        cls.bridge.close()
        cls.log.close()

    @classmethod
    def openiot(cls, *args, timeout=60):
        return run_cli(*args, store=cls.store, timeout=timeout)

    def get(self, prop):
        result = self.openiot("get", "counter", prop, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_td_through_the_hub_is_valid_and_resolvable(self):
        status, _, body = self.hub.curl("/services/counter/.well-known/wot", self.client)
        self.assertEqual(status, 200, body)
        td = json.loads(body)
        self.assertEqual(td["base"], f"https://[::1]:{self.hub.port}/services/counter/")
        hrefs = [f["href"] for f in td["properties"]["label"]["forms"]]
        self.assertTrue(hrefs and all(h.startswith(("counter/", "urn")) for h in hrefs), hrefs)
        path = os.path.join(self.tmp.name, "td.json")
        with open(path, "wb") as f:
            f.write(body)
        result = subprocess.run(["node", os.path.join(HERE, "validate-td.mjs"), path], capture_output=True,
                                text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_cli_reads_and_writes_every_type(self):
        self.assertIsInstance(self.get("count"), int)
        for prop, value in (("label", "kitchen"), ("enabled", False), ("ratio", 0.25), ("tags", ["x", "y"]),
                            ("config", {"mode": "manual", "level": 1})):
            result = self.openiot("set", "counter", prop, json.dumps(value))
            self.assertEqual(result.returncode, 0, f"{prop}: {result.stderr}")
            self.assertEqual(self.get(prop), value, prop)

    def test_cli_action_with_input_and_output(self):
        before = self.get("count")
        result = self.openiot("invoke", "counter", "increment", '{"step": 1000}', "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertGreaterEqual(json.loads(result.stdout), before + 1000)

    # The counter ticks every 300 ms. Followed by long-poll, every change
    # arrives (steps of 1, now and then 2 when a tick falls between two
    # polls); read every 5 s instead, the steps would be about 16.
    def assert_follows_each_change(self, values):
        steps = [b - a for a, b in zip(values, values[1:])]
        self.assertTrue(steps and all(1 <= s <= 3 for s in steps), values)

    def test_cli_events_by_long_poll(self):
        result = self.openiot("observe", "counter", "--event", "change", "--count", "4", timeout=90)
        self.assertEqual(result.returncode, 0, result.stderr)
        values = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual(len(values), 4, result.stdout)
        self.assertTrue(all(isinstance(v, int) for v in values), values)
        self.assert_follows_each_change(values)

    def test_cli_observes_a_property_by_long_poll(self):
        result = self.openiot("observe", "counter", "count", "--count", "4", timeout=90)
        self.assertEqual(result.returncode, 0, result.stderr)
        values = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual(len(values), 4, result.stdout)
        self.assert_follows_each_change(values)

    def test_node_wot_consumer_through_the_hub(self):
        result = subprocess.run(["node", os.path.join(HERE, "consume-through-hub.mjs"),
                                 self.hub.url("/services/counter/.well-known/wot")],
                                capture_output=True, text=True, timeout=90, cwd=HERE,
                                env=dict(os.environ, OPENIOT_CLIENT_CERT=self.client.cert,
                                         OPENIOT_CLIENT_KEY=self.client.key))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        answer = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertIsInstance(answer["output"], int)
        self.assertEqual(answer["written"], "through the hub")


if __name__ == "__main__":
    unittest.main(verbosity=2)
