#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The hub and the CLI under valgrind for a whole pair/describe/get/set/
invoke/observe run (tools/valgrind-check): no memory errors and no
definite leaks, in either. Suppressions, each for a documented leak of
libsoup, GLib or GnuTLS, never of this project: tests/valgrind/valgrind.supp.

Run through tools/valgrind-check (inside tests/harness/run-isolated, with
the environment of the meson tests); slow, so not in the default suites."""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "harness"))
from openiot_testlib import Hub  # noqa: E402

OPENIOT = os.environ["OPENIOT_CLI"]
SUPPRESSIONS = os.path.join(os.environ["OPENIOT_SOURCE_ROOT"], "tests", "valgrind", "valgrind.supp")
LOG_DIR = os.environ.get("OPENIOT_VALGRIND_LOGS") or tempfile.mkdtemp(prefix="valgrind-")


def valgrind(name):
    return ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite",
            "--error-exitcode=99", "--num-callers=40", f"--suppressions={SUPPRESSIONS}",
            "--gen-suppressions=all", f"--log-file={os.path.join(LOG_DIR, name)}.%p.log"]


def summary(path):
    with open(path) as f:
        text = f.read()
    errors = int(re.search(r"ERROR SUMMARY: (\d+) errors", text).group(1))
    definite = re.search(r"definitely lost: ([\d,]+) bytes", text)
    return errors, int(definite.group(1).replace(",", "")) if definite else 0, text


class TestValgrind(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)
        self.store = os.path.join(self.tmp.name, "store")
        os.makedirs(LOG_DIR, exist_ok=True)

    def cli(self, *args, name):
        env = dict(os.environ, G_SLICE="always-malloc", G_DEBUG="gc-friendly")
        result = subprocess.run(valgrind(f"openiot-{name}") + [OPENIOT, "--store", self.store, *args],
                                capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL, env=env)
        self.assertNotEqual(result.returncode, 99, f"valgrind found errors in openiot {name}; see {LOG_DIR}")
        self.assertEqual(result.returncode, 0, f"openiot {' '.join(args)}: {result.stderr}")
        return result.stdout

    def test_pair_get_observe(self):
        os.environ["G_SLICE"] = "always-malloc"  # for the hub, started next
        hub = Hub(os.path.join(self.tmp.name, "hub"), services=("thermostat", "meter", "light"),
                  wrapper=valgrind("openiot-hub"))
        try:
            link = hub.admin("pairing-code")["link"]
            self.cli("pair", link, "--yes", "--name", "Valgrind", name="pair")
            self.cli("services", name="services")
            self.cli("describe", "thermostat", name="describe")
            json.loads(self.cli("get", "thermostat", "temperature", name="get"))
            self.cli("set", "thermostat", "targetTemperature", "21", name="set")
            self.cli("invoke", "light", "fade", '{"brightness": 10, "durationSeconds": 0}', name="invoke")
            values = self.cli("observe", "meter", "power", "--count", "3", "--timeout", "60", name="observe")
            self.assertEqual(len(values.splitlines()), 3)
        finally:
            hub.proc.send_signal(signal.SIGTERM)
            status = hub.proc.wait(timeout=300)
            hub.proc = None
            hub.close()
        self.assertNotEqual(status, 99, f"valgrind found errors in the hub; see {LOG_DIR}")
        self.assertEqual(status, 0)

        # every log: no errors, nothing definitely lost
        logs = sorted(os.listdir(LOG_DIR))
        self.assertTrue(any(name.startswith("openiot-hub.") for name in logs))
        report = []
        for name in logs:
            errors, definite, text = summary(os.path.join(LOG_DIR, name))
            report.append(f"{name}: {errors} errors, {definite} bytes definitely lost")
            if errors or definite:
                sys.stderr.write(text)
        print("\n".join(report))
        for line in report:
            self.assertRegex(line, r": 0 errors, 0 bytes definitely lost$")


if __name__ == "__main__":
    unittest.main(verbosity=2)
