#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Black-box tests of the `openiot` binary's own interface."""

import os
import subprocess
import unittest

OPENIOT = os.environ["OPENIOT_CLI"]


def run(*args):
    return subprocess.run([OPENIOT, *args], capture_output=True, text=True, timeout=30)


class TestCliBasics(unittest.TestCase):
    def test_version(self):
        result = run("--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^openiot \d+\.\d+\.\d+ \(Open-IoT protocol 1\)\n$")

    def test_help(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Usage: openiot", result.stdout)
        # the exit codes are a documented interface
        self.assertIn("3 certificate changed", result.stdout)
        self.assertIn("6 pairing code rejected", result.stdout)

    def test_no_arguments_is_a_usage_error(self):
        result = run()
        self.assertEqual(result.returncode, 2)
        self.assertIn("Usage: openiot", result.stderr)

    def test_unknown_command_is_a_usage_error(self):
        result = run("frobnicate")
        self.assertEqual(result.returncode, 2)
        self.assertIn("“frobnicate” is not a command", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
