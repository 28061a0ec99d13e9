"""The rebuild lock of a local index folder: one rebuild at a time; a lock whose process died is taken over.

The lock is an flock on `<index>/.rebuild.lock`, and the file records who holds it (pid, host, process
start). The kernel drops an flock when the last process holding it ends, so a killed rebuild's lock is
free at once, and its record, left behind, says a rebuild died (logged as taken over). A helper process
that inherited the lock can keep it after the rebuild was killed: then the recorded pid is checked, and
a holder on this host that is no longer running is taken over (the file is replaced). A holder on
another host, or one still running, is respected.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

log = logging.getLogger(__name__)

LOCK_NAME = ".rebuild.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds (or held) the lock."""

    pid: int
    host: str
    since: str = ""  # ISO UTC
    start: str | None = None  # the process's start time (Linux clock ticks since boot): tells a reused pid

    def __str__(self) -> str:
        return f"pid {self.pid} on {self.host}" + (f" since {self.since}" if self.since else "")


@dataclass(frozen=True)
class LockState:
    """The outcome of taking the lock: true when held; otherwise who holds it (when recorded)."""

    held: bool
    holder: Holder | None = None  # the live holder, when not held
    taken_over: Holder | None = None  # the dead holder whose lock was taken over, when held

    def __bool__(self) -> bool:
        return self.held


def process_start(pid: int) -> str | None:
    """A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def running(holder: Holder) -> bool:
    """Whether the holder's process (on this host) still runs: its pid exists and started when recorded."""
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    start = process_start(holder.pid)
    return holder.start is None or start is None or start == holder.start


@contextmanager
def hold(folder: Path, host: str | None = None, is_running: Callable[[Holder], bool] = running) -> Iterator[LockState]:
    """Hold the rebuild lock of an index folder for the block (the state is false when another holds it)."""
    host = host or socket.gethostname()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    taken_over: Holder | None = None
    for _attempt in range(3):
        handle = open(path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _recorded(handle)
            stale = holder is not None and holder.host == host and not is_running(holder)
            if stale and _still_named(handle, path):
                log.warning("the rebuild lock of %s is kept by a process that outlived %s, which no longer runs; "
                            "taken over", folder, holder)
                os.unlink(path)  # whoever keeps the old file keeps a lock nobody asks for
                handle.close()
                taken_over = holder
                continue
            handle.close()
            yield LockState(False, holder=holder)
            return
        try:
            left = _recorded(handle)
            if left is not None and taken_over is None:
                log.warning("the rebuild lock of %s was left by %s, which ended without releasing it (killed?); "
                            "taken over", folder, left)
                taken_over = left
            _record(handle, Holder(os.getpid(), host, _now(), process_start(os.getpid())))
            yield LockState(True, taken_over=taken_over)
        finally:
            handle.truncate(0)  # a clean end leaves no record: a record found later means a rebuild died
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    yield LockState(False)  # replaced under us again and again: let the scheduler try later


def _recorded(handle) -> Holder | None:
    handle.seek(0)
    try:
        data = json.loads(handle.read() or "null")
        return Holder(int(data["pid"]), str(data["host"]), str(data.get("since", "")), data.get("start"))
    except (ValueError, TypeError, KeyError):
        return None


def _record(handle, holder: Holder) -> None:
    handle.seek(0)
    handle.truncate(0)
    handle.write(json.dumps({"pid": holder.pid, "host": holder.host, "since": holder.since, "start": holder.start}))
    handle.flush()


def _still_named(handle, path: Path) -> bool:
    """Whether the open lock file is still the one at path (another process may have replaced it)."""
    try:
        return os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
    except OSError:
        return False


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
