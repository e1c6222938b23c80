#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hub serves every Thing Description so that a standard WoT consumer
resolves it by RFC 3986 (docs/protocol.md, "Thing Descriptions of
services"): `base` is the URL the client used, hrefs a service wrote about
itself become paths below it, other origins stay as they are."""

import json
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import ClientIdentity, ScriptedService, hub_in_tempdir  # noqa: E402


def form(href, **extra):
    return dict(href=href, **extra)


# What node-wot 0.9 serves by default: absolute hrefs on each of the
# machine's addresses, JSON and CBOR forms, long-poll for events
NODE_WOT_TD = {
    "@context": ["https://www.w3.org/2019/wot/td/v1", {"@language": "en"}],
    "title": "counter",
    "securityDefinitions": {"nosec_sc": {"scheme": "nosec"}},
    "security": ["nosec_sc"],
    "properties": {
        "count": {"type": "integer", "observable": True, "forms": [
            form("http://localhost:8080/counter/properties/count", contentType="application/json",
                 op=["readproperty", "writeproperty"]),
            form("http://localhost:8080/counter/properties/count", contentType="application/json",
                 op=["readproperty", "writeproperty"]),
            form("http://127.0.0.1:8080/counter/properties/count", contentType="application/cbor",
                 op=["readproperty", "writeproperty"]),
            form("http://[::1]:8080/counter/properties/count/observable", contentType="application/json",
                 op=["observeproperty"], subprotocol="longpoll"),
            form(f"http://{socket.gethostname()}:8080/counter/properties/count?x=1%2F2",
                 contentType="application/json", op=["readproperty"]),
        ]},
    },
    "actions": {"increment": {"forms": [form("http://localhost:8080/counter/actions/increment")]}},
    "events": {"change": {"forms": [
        form("http://localhost:8080/counter/events/change", subprotocol="longpoll"),
        form("http://192.0.2.77:8080/counter/events/change", subprotocol="longpoll"),
        form("coap://localhost/counter/events/change"),
    ]}},
    "forms": [form("http://localhost:8080/counter/properties", op=["readallproperties"])],
}


class TestTdRewrite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp, cls.hub = hub_in_tempdir(cls.addClassCleanup, services=("thermostat",))
        cls.service = ScriptedService(cls.hub.services_dir, "counter")
        cls.client = ClientIdentity(os.path.join(cls.tmp.name, "client"))
        cls.hub.register(cls.client)

    @classmethod
    def tearDownClass(cls):
        cls.service.close()

    def fetch(self, service, headers=()):
        status, head, body = self.hub.curl(f"/services/{service}/.well-known/wot", self.client, headers=headers)
        self.assertEqual(status, 200, body)
        self.assertIn("application/td+json", head)
        return json.loads(body)

    def test_node_wot_default_td(self):
        self.service.td = json.dumps(NODE_WOT_TD).encode()
        td = self.fetch("counter")
        base = f"https://[::1]:{self.hub.port}/services/counter/"
        self.assertEqual(td["base"], base)
        count = [f["href"] for f in td["properties"]["count"]["forms"]]
        # each address of this machine, and the host name, is the service
        # itself; the two equal JSON forms are one now
        self.assertEqual(count, ["counter/properties/count", "counter/properties/count",
                                 "counter/properties/count/observable", "counter/properties/count?x=1%2F2"])
        self.assertEqual([f.get("contentType") for f in td["properties"]["count"]["forms"]],
                         ["application/json", "application/cbor", "application/json", "application/json"])
        self.assertEqual(td["actions"]["increment"]["forms"][0]["href"], "counter/actions/increment")
        # another origin, another scheme: as the service wrote them
        self.assertEqual([f["href"] for f in td["events"]["change"]["forms"]],
                         ["counter/events/change", "http://192.0.2.77:8080/counter/events/change",
                          "coap://localhost/counter/events/change"])
        self.assertEqual(td["forms"][0]["href"], "counter/properties")
        # the rest as the service wrote it
        self.assertEqual(td["@context"], NODE_WOT_TD["@context"])
        self.assertEqual(td["properties"]["count"]["type"], "integer")

    def test_service_base_resolves_relative_hrefs(self):
        self.service.td = json.dumps({
            "title": "based", "base": "http://localhost:8080/based/",
            "properties": {"p": {"forms": [form("properties/p"), form("../other/p"), form("/root")]}},
        }).encode()
        td = self.fetch("counter")
        self.assertEqual([f["href"] for f in td["properties"]["p"]["forms"]],
                         ["based/properties/p", "other/p", "root"])

    def test_href_at_the_hubs_own_url_is_not_doubled(self):
        # a service that knows where the hub is reached writes that URL; it
        # is on loopback here, like the service's own view, but it is the
        # hub's: relative to the new base, not "services/counter/" again
        hub_url = f"https://[::1]:{self.hub.port}/services/counter/"
        self.service.td = json.dumps({
            "title": "knows the hub",
            "properties": {"p": {"forms": [form(hub_url + "properties/p?x=1"), form("properties/q")]}},
        }).encode()
        td = self.fetch("counter")
        self.assertEqual(td["base"], hub_url)
        self.assertEqual([f["href"] for f in td["properties"]["p"]["forms"]], ["properties/p?x=1", "properties/q"])

    def test_relative_hrefs_without_base_stay_below_the_service(self):
        td = self.fetch("thermostat")
        self.assertEqual(td["base"], f"https://[::1]:{self.hub.port}/services/thermostat/")
        self.assertEqual(td["properties"]["temperature"]["forms"][0]["href"], "properties/temperature")

    def test_host_header_is_the_base(self):
        td = self.fetch("thermostat", headers=["Host: hub.example:8443"])
        self.assertEqual(td["base"], "https://hub.example:8443/services/thermostat/")
        # anything but a host and a port never reaches the URL: refused
        # (libsoup answers 400 to such a Host) or replaced. Over HTTP/2
        # curl sends it as :authority, which nghttp2 refuses with a stream
        # reset before the hub sees it (test_hub_h2.py); this is HTTP/1's.
        for host in ("evil.example/x?", "a@b", "x y", "h\"ost"):
            status, _, body = self.hub.curl("/services/thermostat/.well-known/wot", self.client,
                                            headers=[f"Host: {host}"], extra=["--http1.1"])
            if status == 200:
                self.assertEqual(json.loads(body)["base"], "https://hub.invalid/services/thermostat/", host)
            else:
                self.assertEqual(status, 400, host)
        # no Host at all (HTTP/1.0)
        status, _, body = self.hub.curl("/services/thermostat/.well-known/wot", self.client,
                                        headers=["Host:"], extra=["--http1.0"])
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["base"], "https://hub.invalid/services/thermostat/")

    def test_not_a_td_is_502(self):
        self.service.td = b"[" * 100 + b"]" * 100
        status, _, body = self.hub.curl("/services/counter/.well-known/wot", self.client)
        self.assertEqual(status, 502, body)
        self.assertEqual(json.loads(body)["error"], "service-unavailable")
        self.assertTrue(self.hub.alive())

    def test_only_the_td_is_rewritten(self):
        self.service.td = json.dumps(NODE_WOT_TD).encode()
        status, _, body = self.hub.curl("/services/counter/.well-known/wot?raw=1", self.client)
        self.assertEqual(status, 200)
        self.assertNotIn(b'"base"', body)


if __name__ == "__main__":
    unittest.main(verbosity=2)
