"""Helpers for tests that run servers in child processes: a free loopback port, waiting on a process, and
`postings-bot serve` started in a child process and stopped as an operator would."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator


def free_port() -> int:
    """A loopback TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], Any], process: subprocess.Popen, what: str, timeout: float = 60.0) -> Any:
    """check()'s first true result while the process runs (its stderr in the failure when it stops first);
    an OSError of check() (a server not listening yet) counts as not yet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1]
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"never: {what}")


@contextmanager
def python_process(script: str, *args: str, env: dict[str, str], cwd: Path) -> Iterator[subprocess.Popen]:
    """`python -c script args` with text pipes; killed on the way out if it is still running."""
    process = subprocess.Popen([sys.executable, "-c", script, *args], env=env, cwd=cwd, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def stop_with_sigterm(process: subprocess.Popen, timeout: float = 30.0) -> str:
    """Send SIGTERM, as an operator or an orchestrator stops the bot, and return what it wrote on stderr."""
    process.send_signal(signal.SIGTERM)
    _stdout, stderr = process.communicate(timeout=timeout)
    return stderr
