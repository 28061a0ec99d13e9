"""The rebuild lock: one rebuild per index folder; a lock whose process died is taken over, a live one never."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from config import load_settings
from index.rebuild import _rebuild_lock

REPO = Path(__file__).resolve().parents[1]

HOLDER = """
import os, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from config import load_settings
from index.rebuild import _rebuild_lock

with _rebuild_lock(load_settings(chroma_path=Path(sys.argv[1]))) as held:
    assert held
    child = 0
    if sys.argv[2] == "fork":  # a helper process that inherits the lock and outlives the rebuild
        child = os.fork()
        if child == 0:
            time.sleep(60)
            os._exit(0)
    print(child, flush=True)
    time.sleep(60)
"""

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX processes")


def start_holder(index: Path, mode: str) -> tuple[subprocess.Popen, int]:
    """A real process holding the rebuild lock of index (mode 'fork': with a child sharing it); its child's pid."""
    process = subprocess.Popen([sys.executable, "-c", HOLDER.format(repo=str(REPO)), str(index), mode],
                               stdout=subprocess.PIPE, text=True, cwd=REPO)
    line = process.stdout.readline()
    if not line:
        process.wait()
        pytest.fail("the holder process did not take the lock")
    return process, int(line)


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()  # reaped: its pid is gone


def settings_for(index: Path):
    return load_settings(chroma_path=index, source_dirs=[index])


def test_the_lock_names_the_process_and_host_that_hold_it(tmp_path):
    with _rebuild_lock(settings_for(tmp_path)) as held:
        assert held
        recorded = json.loads((tmp_path / ".rebuild.lock").read_text())
        assert recorded["pid"] == os.getpid() and recorded["host"] == socket.gethostname()
        with _rebuild_lock(settings_for(tmp_path)) as again:
            assert not again
            assert again.holder.pid == os.getpid()  # alive: never taken over


def test_a_lock_left_by_a_killed_rebuild_is_taken_over_and_said_so(tmp_path, caplog):
    process, _ = start_holder(tmp_path, "plain")
    kill(process)
    with caplog.at_level(logging.WARNING, logger="index.lock"):
        with _rebuild_lock(settings_for(tmp_path)) as held:
            assert held
    assert any(f"pid {process.pid}" in message and "taken over" in message for message in caplog.messages)


def test_a_lock_kept_by_a_child_of_a_killed_rebuild_is_taken_over(tmp_path):
    process, child = start_holder(tmp_path, "fork")
    try:
        kill(process)  # its child still holds the lock: only the recorded pid tells it is stale
        with _rebuild_lock(settings_for(tmp_path)) as held:
            assert held
            with _rebuild_lock(settings_for(tmp_path)) as again:
                assert not again  # and the new holder is respected
    finally:
        os.kill(child, signal.SIGKILL)
