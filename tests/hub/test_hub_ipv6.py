#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hub reachable over IPv6 only: two network namespaces joined by a
veth pair, global IPv6 addresses and no IPv4 at all. The hub reports its
global address at registration, and the client uses exactly that address."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import ClientIdentity, Ipv6OnlyTestCase  # noqa: E402

HUB_ADDRESS = Ipv6OnlyTestCase.HUB_ADDRESS


class TestIpv6Only(Ipv6OnlyTestCase):
    def test_pair_and_use_over_the_global_address(self):
        # the client side has no IPv4 at all
        v4 = subprocess.run(["ip", "netns", "exec", self.client_ns, "ip", "-4", "addr", "show", "scope", "global"],
                            capture_output=True, text=True).stdout
        self.assertEqual(v4.strip(), "")

        client = ClientIdentity(os.path.join(self.tmp.name, "client"))
        status, reply = self.hub.pair(client, self.hub.open_code(), host=HUB_ADDRESS)
        self.assertEqual(status, 201, reply)
        globals_ = [a["address"] for a in reply["addresses"] if a["scope"] == "global"]
        self.assertIn(HUB_ADDRESS, globals_)
        self.assertEqual(reply["addresses"][0]["scope"], "global", "global addresses come first")

        # use the hub by the global address registration handed out
        status, info = self.hub.curl_json("/open-iot/v1/hub", client, host=globals_[0])
        self.assertEqual(status, 200)
        self.assertIn(HUB_ADDRESS, [a["address"] for a in info["addresses"]])
        status, temperature = self.hub.curl_json("/services/thermostat/properties/temperature", client,
                                                 host=globals_[0])
        self.assertEqual(status, 200)
        self.assertIsInstance(temperature, (int, float))


if __name__ == "__main__":
    unittest.main(verbosity=2)
