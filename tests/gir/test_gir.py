#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""libopeniot from Python through GObject-Introspection (OpenIot-1.typelib).

Run by meson with /usr/bin/python3, the interpreter python3-gi belongs to,
and GI_TYPELIB_PATH/LD_LIBRARY_PATH pointing into the build. Checks that the
annotations hold where a script meets them: strings and string arrays,
boxed types, GListModel, flags, JSON-GLib types, out arguments, GError, and
an async call on a GTask.
"""

import os
import sys
import tempfile
import unittest

try:
    import gi
except ImportError:
    print("SKIP: this python3 has no gi (python3-gi)", file=sys.stderr)
    sys.exit(77)

gi.require_version("GLib", "2.0")
gi.require_version("Gio", "2.0")
gi.require_version("Json", "1.0")
gi.require_version("OpenIot", "1")
from gi.repository import GLib, OpenIot  # noqa: E402

FP = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

# The example of docs/protocol.md, "Pairing link"
LINK = ("openiot://[2001:db8::10]:8444/?code=12345678&fp=" + FP +
        "&name=Home%20Hub&port=8443&addr=fd00::10&addr=192.0.2.10")

TD = b"""{
  "@context": "https://www.w3.org/2022/wot/td/v1.1",
  "id": "urn:uuid:6a1e7f0e-0d0b-4d6e-9d3e-7f1c2a000003",
  "title": "Kitchen light",
  "securityDefinitions": { "nosec_sc": { "scheme": "nosec" } },
  "security": "nosec_sc",
  "properties": {
    "on": {
      "title": "On",
      "type": "boolean",
      "observable": true,
      "forms": [
        { "href": "properties/on", "op": ["readproperty"] },
        { "href": "properties/on", "op": ["writeproperty"], "htv:methodName": "PUT" },
        { "href": "properties/on/observe", "op": ["observeproperty"], "subprotocol": "sse" }
      ]
    },
    "brightness": {
      "title": "Brightness",
      "type": "integer",
      "unit": "percent",
      "minimum": 0,
      "maximum": 100,
      "forms": [ { "href": "properties/brightness" } ]
    },
    "effect": {
      "title": "Effect",
      "type": "string",
      "enum": ["none", "candle"],
      "forms": [ { "href": "properties/effect" } ]
    }
  }
}"""

BASE = "https://hub.invalid/services/light/"


class TestPairingLink(unittest.TestCase):
    def test_parse(self):
        link = OpenIot.PairingLink.parse(LINK)
        self.assertEqual(link.get_host(), "2001:db8::10")
        self.assertEqual(link.get_pairing_port(), 8444)
        self.assertEqual(link.get_port(), 8443)
        self.assertEqual(link.get_code(), "12345678")
        self.assertEqual(link.get_fingerprint(), FP)
        self.assertEqual(link.get_name(), "Home Hub")
        self.assertEqual(link.get_addresses(), ["2001:db8::10", "fd00::10", "192.0.2.10"])
        self.assertEqual(link.to_string(), LINK)

    def test_new_round_trips(self):
        link = OpenIot.PairingLink.new("192.0.2.10", 8444, 8443, "00000000", None, None, None)
        self.assertIsNone(link.get_fingerprint())
        self.assertEqual(OpenIot.PairingLink.parse(link.to_string()).get_code(), "00000000")

    def test_malformed_raises(self):
        with self.assertRaises(GLib.Error) as caught:
            OpenIot.PairingLink.parse("https://192.0.2.10:8444/?code=12345678")
        self.assertTrue(caught.exception.matches(OpenIot.error_quark(), OpenIot.Error.INVALID_DATA))


class TestFingerprint(unittest.TestCase):
    def test_format_grouped(self):
        self.assertEqual(OpenIot.fingerprint_format_grouped(FP),
                         "BA78 16BF 8F01 CFEA\n"
                         "4141 40DE 5DAE 2223\n"
                         "B003 61A3 9617 7A9C\n"
                         "B410 FF61 F200 15AD")

    def test_is_valid_and_equal(self):
        self.assertTrue(OpenIot.fingerprint_is_valid(FP))
        self.assertFalse(OpenIot.fingerprint_is_valid(None))
        self.assertTrue(OpenIot.fingerprint_equal(FP, FP))
        self.assertFalse(OpenIot.fingerprint_equal(FP, None))

    def test_from_der(self):
        fingerprint = OpenIot.fingerprint_from_der(GLib.Bytes.new(b"abc"))
        self.assertEqual(fingerprint, FP)  # SHA-256 of "abc"


class TestThing(unittest.TestCase):
    def setUp(self):
        self.thing = OpenIot.Thing.new_from_bytes(GLib.Bytes.new(TD), "light")

    def test_metadata(self):
        self.assertEqual(self.thing.get_title(), "Kitchen light")
        self.assertEqual(self.thing.get_id(), "urn:uuid:6a1e7f0e-0d0b-4d6e-9d3e-7f1c2a000003")
        self.assertIsNone(self.thing.get_description())
        self.assertEqual(self.thing.get_service_id(), "light")
        self.assertEqual(self.thing.get_bytes().get_data(), TD)

    def test_walk_properties_and_forms(self):
        properties = self.thing.get_interactions(OpenIot.InteractionKind.PROPERTY)
        self.assertEqual([p.get_name() for p in properties], ["on", "brightness", "effect"])
        self.assertEqual(len(self.thing.get_interactions(OpenIot.InteractionKind.ACTION)), 0)

        on = properties[0]
        self.assertEqual(on.get_title(), "On")
        self.assertTrue(on.get_observable())
        self.assertEqual(on.get_schema().get_data_type(), OpenIot.DataType.BOOLEAN)
        forms = on.get_forms()
        self.assertEqual([f.get_href() for f in forms],
                         [BASE + "properties/on", BASE + "properties/on",
                          BASE + "properties/on/observe"])
        self.assertEqual(forms[0].get_operations(), OpenIot.Operation.READ_PROPERTY)
        self.assertEqual(forms[1].get_method(OpenIot.Operation.WRITE_PROPERTY), "PUT")
        self.assertEqual(forms[2].get_subprotocol(), "sse")
        self.assertEqual(on.find_form(OpenIot.Operation.OBSERVE_PROPERTY).get_href(),
                         BASE + "properties/on/observe")

    def test_schema(self):
        brightness = self.thing.lookup(OpenIot.InteractionKind.PROPERTY, "brightness")
        schema = brightness.get_schema()
        self.assertEqual(schema.get_data_type(), OpenIot.DataType.INTEGER)
        self.assertEqual(schema.get_unit(), "percent")
        self.assertEqual(schema.get_minimum(), (True, 0.0))
        self.assertEqual(schema.get_maximum(), (True, 100.0))
        self.assertIsNone(self.thing.lookup(OpenIot.InteractionKind.PROPERTY, "nope"))

        effect = self.thing.lookup(OpenIot.InteractionKind.PROPERTY, "effect").get_schema()
        self.assertEqual([node.get_string() for node in effect.get_enum().get_elements()],
                         ["none", "candle"])

    def test_malformed_td_raises(self):
        for document in (b'{"title": 3', b"[]", b"\xff"):
            with self.subTest(document=document):
                with self.assertRaises(GLib.Error) as caught:
                    OpenIot.Thing.new_from_bytes(GLib.Bytes.new(document), "light")
                error = caught.exception
                self.assertEqual(error.domain, "openiot-error-quark")
                self.assertEqual(error.code, OpenIot.Error.INVALID_DATA)
                self.assertTrue(error.matches(OpenIot.error_quark(), OpenIot.Error.INVALID_DATA))


class TestAsync(unittest.TestCase):
    def test_pin_store_list(self):
        with tempfile.TemporaryDirectory(dir=os.environ.get("OPENIOT_TEST_TMPDIR")) as store_dir:
            store = OpenIot.PinStore.new(store_dir)
            loop = GLib.MainLoop()
            results = []

            def done(source, result):
                results.append(source.list_finish(result))
                loop.quit()

            store.list_async(None, done)
            loop.run()
        self.assertEqual(results, [[]])


if __name__ == "__main__":
    unittest.main(verbosity=2)
