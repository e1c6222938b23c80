#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What an eavesdropper on the pairing exchange gets (docs/security.md).

The CLI pairs through a relay that records every byte both ways. The
capture is then taken apart as TLS records: before ChangeCipherSpec it
holds only SRP's public values (N, g, the salt, A and B) and the fixed
user name; everything after is encrypted. Neither the code nor any value
derived from it alone travels: not the code in any spelling, not a plain
hash of it, not SRP's x, not the verifier v = g^x nor k·v. So an
eavesdropper has nothing to test guesses of the code against offline (the
one relation that ties the transcript to the code, B = k·v + g^b, needs
the hub's secret b). A man in the middle who does not know the code cannot
complete the handshake at all."""

import ctypes
import hashlib
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import Hub, Relay, der_of_pem, hub_in_tempdir, run_cli  # noqa: E402

OPENIOT = os.environ["OPENIOT_CLI"]
SRP_USERNAME = b"open-iot"

# TLS content types and handshake message types (RFC 5246, RFC 5054)
CHANGE_CIPHER_SPEC, ALERT, HANDSHAKE, APPLICATION_DATA = 20, 21, 22, 23
CLIENT_HELLO, SERVER_HELLO, CERTIFICATE, SERVER_KEY_EXCHANGE = 1, 2, 11, 12
SERVER_HELLO_DONE, CLIENT_KEY_EXCHANGE = 14, 16
SRP_EXTENSION = 12


def tls_records(stream):
    records, i = [], 0
    while i < len(stream):
        content_type, length = stream[i], int.from_bytes(stream[i + 3:i + 5], "big")
        records.append((content_type, bytes(stream[i + 5:i + 5 + length])))
        i += 5 + length
    assert i == len(stream), "the capture is not a sequence of whole TLS records"
    return records


def plaintext_handshake(records):
    """The handshake messages sent before ChangeCipherSpec (the clear part),
    and the content types of the records after it."""
    clear, after, encrypted = b"", [], False
    for content_type, payload in records:
        if encrypted:
            after.append(content_type)
        elif content_type == CHANGE_CIPHER_SPEC:
            encrypted = True
        else:
            assert content_type == HANDSHAKE, f"a record of type {content_type} in the clear"
            clear += payload
    messages, i = [], 0
    while i < len(clear):
        length = int.from_bytes(clear[i + 1:i + 4], "big")
        messages.append((clear[i], clear[i + 4:i + 4 + length]))
        i += 4 + length
    return messages, after


def read_vector(data, offset, length_bytes):
    length = int.from_bytes(data[offset:offset + length_bytes], "big")
    start = offset + length_bytes
    return data[start:start + length], start + length


def client_hello_extensions(body):
    offset = 2 + 32                                # version, random
    _, offset = read_vector(body, offset, 1)       # session id
    _, offset = read_vector(body, offset, 2)       # cipher suites
    _, offset = read_vector(body, offset, 1)       # compression methods
    extensions, _ = read_vector(body, offset, 2)
    found, i = {}, 0
    while i < len(extensions):
        kind = int.from_bytes(extensions[i:i + 2], "big")
        data, i = read_vector(extensions, i + 2, 2)
        found[kind] = data
    return found


class GnutlsDatum(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_ubyte)), ("size", ctypes.c_uint)]


def datum(data):
    buffer = (ctypes.c_ubyte * len(data)).from_buffer_copy(data)
    return GnutlsDatum(ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ubyte)), len(data)), buffer


def gnutls_verifier(code, salt, g, N):
    """The verifier as GnuTLS makes it (gnutls_srp_verifier), if libgnutls
    can be loaded: a check on the computation below."""
    try:
        gnutls = ctypes.CDLL("libgnutls.so.30")
    except OSError:
        return None
    (s, s_buf), (gd, g_buf), (nd, n_buf) = datum(salt), datum(g), datum(N)
    result = GnutlsDatum()
    ret = gnutls.gnutls_srp_verifier(SRP_USERNAME, code.encode(), ctypes.byref(s), ctypes.byref(gd),
                                     ctypes.byref(nd), ctypes.byref(result))
    assert ret == 0, ret
    return ctypes.string_at(result.data, result.size)


def derived_from_code(code, salt, g, N):
    """Everything an offline guesser could test a guess against, were it
    sent: the code in any spelling and simple hashes of it, and SRP's
    secret values (RFC 5054 §2.4–2.6)."""
    width = len(N)
    values = {
        "code": code.encode(),
        "code, grouped": f"{code[:4]} {code[4:]}".encode(),
        "code as a 32-bit number (big-endian)": int(code).to_bytes(4, "big"),
        "code as a 32-bit number (little-endian)": int(code).to_bytes(4, "little"),
    }
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "blake2b", "blake2s"):
        for label, data in (("code", code.encode()), ("user:code", SRP_USERNAME + b":" + code.encode())):
            digest = hashlib.new(name, data)
            values[f"{name}({label})"] = digest.digest()
            values[f"{name}({label}), hex"] = digest.hexdigest().encode()
            values[f"{name}({label}), HEX"] = digest.hexdigest().upper().encode()
    inner = hashlib.sha1(SRP_USERNAME + b":" + code.encode()).digest()
    x = int.from_bytes(hashlib.sha1(salt + inner).digest(), "big")
    n, generator = int.from_bytes(N, "big"), int.from_bytes(g, "big")
    v = pow(generator, x, n)
    k = int.from_bytes(hashlib.sha1(N + g.rjust(width, b"\0")).digest(), "big")
    values["SRP x"] = x.to_bytes(20, "big")
    values["SRP verifier v"] = v.to_bytes((v.bit_length() + 7) // 8, "big")
    values["SRP verifier v, padded"] = v.to_bytes(width, "big")
    values["SRP k·v"] = (k * v % n).to_bytes(width, "big")
    return values, v


class TestPairingEavesdropper(unittest.TestCase):
    def setUp(self):
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup, services=())
        self.store = os.path.join(self.tmp.name, "store")

    def pair(self, port, code, store=None):
        return run_cli("--json", "pair", "--address", f"[::1]:{port}", "--code", code, "--yes",
                       store=store or self.store)

    def test_capture_holds_only_public_values(self):
        relay = Relay(self.hub.pairing_port)
        code = self.hub.open_code()
        result = self.pair(relay.port, code)
        relay.close()
        self.assertEqual(result.returncode, 0, result.stderr)
        capture = bytes(relay.to_server) + bytes(relay.to_client)
        self.assertGreater(len(relay.to_server), 1000)
        self.assertGreater(len(relay.to_client), 1000)

        # the clear part of the handshake: hellos, the SRP key exchange
        client_messages, client_after = plaintext_handshake(tls_records(relay.to_server))
        server_messages, server_after = plaintext_handshake(tls_records(relay.to_client))
        self.assertEqual([t for t, _ in client_messages], [CLIENT_HELLO, CLIENT_KEY_EXCHANGE])
        self.assertEqual([t for t, _ in server_messages], [SERVER_HELLO, SERVER_KEY_EXCHANGE, SERVER_HELLO_DONE])
        # no certificate in the clear, and after ChangeCipherSpec only
        # encrypted records
        self.assertNotIn(CERTIFICATE, [t for t, _ in client_messages + server_messages])
        self.assertTrue(set(client_after) | set(server_after) <= {HANDSHAKE, APPLICATION_DATA, ALERT})
        self.assertIn(APPLICATION_DATA, client_after)
        self.assertIn(APPLICATION_DATA, server_after)

        # the SRP user name is the fixed "open-iot" of the protocol
        extensions = client_hello_extensions(client_messages[0][1])
        self.assertEqual(extensions[SRP_EXTENSION], bytes([len(SRP_USERNAME)]) + SRP_USERNAME)

        # ServerKeyExchange: N, g, salt, B and nothing else (RFC 5054 §2.5.3)
        body = server_messages[1][1]
        N, offset = read_vector(body, 0, 2)
        g, offset = read_vector(body, offset, 2)
        salt, offset = read_vector(body, offset, 1)
        B, offset = read_vector(body, offset, 2)
        self.assertEqual(offset, len(body), "the server sent more than SRP's public values")
        self.assertEqual(len(N) * 8, 3072)
        self.assertEqual(g, b"\x05")
        self.assertGreaterEqual(len(salt), 16)
        # ClientKeyExchange: A, nothing else
        A, offset = read_vector(client_messages[1][1], 0, 2)
        self.assertEqual(offset, len(client_messages[1][1]))
        n = int.from_bytes(N, "big")
        for value in (A, B):
            self.assertTrue(0 < int.from_bytes(value, "big") % n < n)

        # nothing tied to the code alone is in the capture
        secrets, v = derived_from_code(code, salt, g, N)
        official = gnutls_verifier(code, salt, g, N)
        if official is not None:
            self.assertEqual(int.from_bytes(official, "big"), v, "the verifier computed here is not GnuTLS's")
            secrets["SRP verifier, from GnuTLS"] = official
        for name, value in secrets.items():
            with self.subTest(value=name):
                self.assertNotIn(value, capture)
        self.assertNotEqual(int.from_bytes(B, "big"), v)

        # nor is what pairing exchanges inside: certificates, the request
        with open(os.path.join(self.store, "cert.pem")) as f:
            client_pem = f.read()
        for name, value in (("client certificate (PEM)", client_pem.encode()),
                            ("client certificate (DER)", self.der(os.path.join(self.store, "cert.pem"))),
                            ("hub certificate (DER)", self.der(os.path.join(self.hub.state, "hub.crt"))),
                            ("PEM armour", b"BEGIN CERTIFICATE"), ("the request", b"/open-iot/v1/pair"),
                            ("the hub's name", self.hub.name.encode()), ("the client id", b"client_id")):
            with self.subTest(inside=name):
                self.assertNotIn(value, capture)

        # and the pairing worked, through the eavesdropper
        record = json.loads(result.stdout)
        self.assertEqual(record["verification"], "pairing-code")

    def test_man_in_the_middle_without_the_code(self):
        # another hub poses as this one, with a code of its own (it cannot
        # know the real one): the client's handshake fails, nothing is
        # sent inside it, nothing is saved
        impostor = Hub(os.path.join(self.tmp.name, "impostor"), services=(), name=self.hub.name)
        self.addCleanup(impostor.close)
        impostor.open_code()
        code = self.hub.open_code()
        result = self.pair(impostor.pairing_port, code)
        self.assertEqual(result.returncode, 6, result.stdout + result.stderr)
        self.assertIn("code", result.stderr)
        self.assertEqual(impostor.admin("clients"), [])
        self.assertNotIn("Registered client", impostor.log())
        hubs = subprocess.run([OPENIOT, "--store", self.store, "hubs", "--json"], capture_output=True, text=True)
        self.assertEqual(json.loads(hubs.stdout), [])
        # the code is still good for the real hub
        self.assertEqual(self.pair(self.hub.pairing_port, code).returncode, 0)

    @staticmethod
    def der(pem_path):
        return der_of_pem(pem_path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
