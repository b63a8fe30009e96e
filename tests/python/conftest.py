"""Shared fixtures: where the source tree and the CLI are (set by CTest, tests/CMakeLists.txt)."""
import json
import os
import subprocess
from pathlib import Path

import pytest

SOURCE = Path(os.environ.get("EXTRASIM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("EXTRASIM_CLI", str(SOURCE / "build/release/tools/extrasim"))


@pytest.fixture
def source():
    return SOURCE


def cli(*args):
    """Runs the CLI and returns its standard output (it must succeed)."""
    done = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def cli_json(*args):
    return json.loads(cli(*args, "--format", "json"))


class InterruptOnceStarted:
    """A progress callback that sends this process SIGINT (Ctrl-C) the first time it is
    called: the run under test has then really started, with no sleep before the signal."""

    def __init__(self):
        self.sent = None

    def __call__(self, done, total):
        if self.sent is None:
            import signal
            import time

            self.sent = time.monotonic()
            os.kill(os.getpid(), signal.SIGINT)
