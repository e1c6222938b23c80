#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A client's private key never lands on disk in plain text
(docs/security.md): after a whole pair/describe/get/set/invoke/observe run
of the CLI in keyring mode, every file under the test's $HOME, XDG and
runtime directories and the hub's directories is searched for the key, in
every form it could take: PEM, each line of its base64, DER, the raw
private scalar, in hex too. The key is taken from the Secret Service
(secret-tool), where it must be. A file keystore (--store) keeps the key in
a 0600 file on purpose: that is tests/cli/test_pair.py's business."""

import base64
import os
import re
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import hub_in_tempdir, run_cli  # noqa: E402


def openiot(*args):
    result = run_cli(*args)
    if result.returncode != 0:
        raise AssertionError(f"openiot {' '.join(args)} → {result.returncode}\n{result.stderr}")
    return result.stdout


def key_forms(pem):
    """The private key as it could appear in a file: labelled forms first."""
    der = subprocess.run(["openssl", "pkey", "-outform", "DER"], input=pem.encode(), capture_output=True,
                         check=True).stdout
    text = subprocess.run(["openssl", "pkey", "-text", "-noout"], input=pem, capture_output=True,
                          check=True, text=True).stdout
    scalar_hex = "".join(re.search(r"priv:\s*\n((?:\s+[0-9a-f:]+\n)+)", text).group(1).split()).replace(":", "")
    scalar = bytes.fromhex(scalar_hex).lstrip(b"\0")
    forms = {
        "PEM": pem.strip().encode(),
        "DER": der,
        "DER, base64 on one line": base64.b64encode(der),
        "private scalar": scalar,
        "private scalar, hex": scalar.hex().encode(),
        "private scalar, HEX": scalar.hex().upper().encode(),
    }
    body = [line for line in pem.splitlines() if line and not line.startswith("-----")]
    for i, line in enumerate(body):
        if len(line) >= 40:
            forms[f"PEM line {i + 1}"] = line.encode()
    return forms


def scan(roots, forms, allowed=()):
    """[(path, form)] for every file under @roots holding one of @forms, or
    any PEM private key but those at @allowed."""
    found = []
    for root in roots:
        for directory, _, files in os.walk(root):
            for name in files:
                path = os.path.join(directory, name)
                if not os.path.isfile(path) or os.path.islink(path):
                    continue
                try:
                    with open(path, "rb") as f:
                        data = f.read()
                except OSError:
                    continue
                found += [(path, form) for form, value in forms.items() if value in data]
                if b"PRIVATE KEY" in data and path not in allowed:
                    found.append((path, "a PEM private key (any)"))
    return found


class TestKeyOffDisk(unittest.TestCase):
    def setUp(self):
        if shutil.which("secret-tool") is None:
            self.skipTest("needs secret-tool (libsecret-tools) to read the key from the keyring")
        self.start = time.time()
        self.tmp, self.hub = hub_in_tempdir(self.addCleanup)

    def test_whole_run_leaves_no_key_on_disk(self):
        # keyring mode: no --store
        openiot("pair", self.hub.admin("pairing-code")["link"], "--yes", "--name", "Key test")
        openiot("hubs")
        openiot("services")
        openiot("describe", "thermostat")
        openiot("get", "thermostat", "temperature")
        openiot("set", "thermostat", "targetTemperature", "21.5")
        openiot("invoke", "light", "fade", '{"brightness": 10, "durationSeconds": 0}')
        openiot("observe", "meter", "power", "--count", "2", "--timeout", "30")
        openiot("identity")

        # the key is where it belongs
        lookup = subprocess.run(["secret-tool", "lookup", "xdg:schema", "org.openiot.Identity", "kind",
                                 "client-key"], capture_output=True, text=True, timeout=30)
        self.assertEqual(lookup.returncode, 0, lookup.stderr)
        self.assertIn("PRIVATE KEY", lookup.stdout)
        forms = key_forms(lookup.stdout)

        roots = [os.environ.get("OPENIOT_TEST_TMPDIR") or os.environ["HOME"], self.tmp.name]
        roots += [os.environ[v] for v in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                                          "XDG_STATE_HOME", "XDG_RUNTIME_DIR") if v in os.environ]
        # positive control: the scan finds the key where it is put
        canary = os.path.join(self.tmp.name, "canary")
        os.makedirs(canary)
        with open(os.path.join(canary, "blob"), "wb") as f:
            f.write(b"xx" + forms["private scalar"] + b"yy")
        self.assertIn("private scalar", [form for _, form in scan([canary], forms)])
        shutil.rmtree(canary)

        # then: nowhere, under any form, and no other private key either
        # (the hub's own key is in its state directory, 0600, by design)
        found = scan(roots, forms, allowed=[os.path.join(self.hub.state, "hub.key")])
        # files left in shared temporary directories during the run too
        for shared in ("/tmp", "/var/tmp", "/dev/shm"):
            if os.path.isdir(shared):
                for name in os.listdir(shared):
                    path = os.path.join(shared, name)
                    try:
                        if os.path.isfile(path) and os.stat(path).st_mtime >= self.start:
                            found += scan_file(path, forms)
                    except OSError:
                        pass
        self.assertEqual(found, [], "the private key is on disk")
        # the keyring's own file holds it encrypted
        keyrings = os.path.join(os.environ.get("XDG_DATA_HOME", os.path.expanduser("~/.local/share")), "keyrings")
        self.assertTrue(os.path.isdir(keyrings) and os.listdir(keyrings), "no keyring on disk at all?")


def scan_file(path, forms):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return []
    return [(path, form) for form, value in forms.items() if value in data]


if __name__ == "__main__":
    unittest.main(verbosity=2)
