#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Black-box tests of the `openiot-hub` binary's command line."""

import os
import subprocess
import unittest

HUB = os.environ["OPENIOT_HUB"]


def run(*args):
    return subprocess.run([HUB, *args], capture_output=True, text=True, timeout=30)


class TestHubCli(unittest.TestCase):
    def test_help(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Usage: openiot-hub", result.stdout)

    def test_version(self):
        result = run("--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^openiot-hub \d+\.\d+\.\d+")

    def test_unknown_command(self):
        result = run("frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("is not a command", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
