"""Writing a rebuild's records in a child process, so that Chroma's writes overlap embedding.

Chroma's client holds the interpreter lock while it writes (measured with chromadb 1.5.9: another Python
thread gets about 1% of a core during an `upsert` of 5,000 records), so a writer *thread* stalls the thread
that embeds; a process does not. The child opens its own store on the same folder or server and passes each
batch to `IndexStore.write_postings`, so it writes exactly what an inline write would.

The child is started with subprocess (`python -m index.write_process`), never forked: the parent holds
Chroma's threads and perhaps torch's. Batches go to it as length-prefixed pickles on its stdin, from a thread
of the parent (a full pipe blocks that thread, not the one embedding); it answers once, on its own copy of
stdout, "ok" after the last write or "error: <message>" when a write failed.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any, BinaryIO, Sequence

FRAME = struct.Struct("!Q")  # the length of the pickle that follows
END = None  # the last frame: no more batches


def _read_frame(stream: BinaryIO) -> Any:
    head = stream.read(FRAME.size)
    if len(head) < FRAME.size:
        raise EOFError("the rebuild stopped sending records")
    (size,) = FRAME.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        raise EOFError("the rebuild stopped sending records")
    return pickle.loads(body)


class ProcessWriter:
    """The BackgroundWriter's interface (put, close, stop), writing each batch in a child process.

    put queues a batch (raising an earlier failure); close waits until the child has written every batch and
    raises StoreUnavailable if it could not; stop (always call it) ends the child, written or not.
    """

    def __init__(self, settings: Any):
        from index.rebuild import BackgroundWriter

        root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)}
        self._child = subprocess.Popen([sys.executable, "-m", "index.write_process"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, env=env)
        self._feeder = BackgroundWriter(self._send)
        try:
            self._feeder.put(settings)
        except BaseException:
            self.stop()
            raise

    def _send(self, obj: Any) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        stdin = self._child.stdin
        assert stdin is not None
        try:
            stdin.write(FRAME.pack(len(data)))
            stdin.write(data)
            stdin.flush()
        except (BrokenPipeError, ValueError, OSError):  # the child stopped: say why
            raise self._failure() from None

    def _failure(self) -> Exception:
        from index.store import StoreUnavailable

        answer = self._answer()
        if answer.startswith("error: "):
            return StoreUnavailable(answer[len("error: "):])
        return StoreUnavailable(f"the index store is unavailable: the writer process stopped "
                                f"(exit {self._child.poll()})")

    def _answer(self) -> str:
        stdout = self._child.stdout
        try:
            line = stdout.readline().decode("utf-8", "replace").strip() if stdout is not None else ""
        except (OSError, ValueError):
            line = ""
        self._child.wait()
        return line

    def put(self, records: Sequence[Any]) -> None:
        """Queue a batch for the child (waits while another batch waits); raises an earlier failure."""
        self._feeder.put(list(records))

    def close(self) -> None:
        """Wait until the child has written every batch; raise StoreUnavailable if it could not."""
        self._feeder.put(END)
        self._feeder.close()
        stdin = self._child.stdin
        if stdin is not None:
            stdin.close()
        answer = self._answer()
        if answer != "ok":
            raise self._failure() if answer.startswith("error: ") or not answer else RuntimeError(answer)

    def stop(self) -> None:
        """End the feeding thread and the child, discarding what is not written (idempotent)."""
        self._feeder.stop()
        if self._child.poll() is None:
            self._child.kill()
        self._child.wait()
        for stream in (self._child.stdin, self._child.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


def child_main() -> int:
    """The child: open the store the settings name, write each batch, answer "ok" or "error: ..."."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the rebuild, which stops this process
    status = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the answer
    from index.store import IndexStore, StoreUnavailable

    stream = sys.stdin.buffer
    store = None
    try:
        store = IndexStore.open(_read_frame(stream))
        while (records := _read_frame(stream)) is not END:
            store.write_postings(records)
    except StoreUnavailable as err:
        return _answer(status, f"error: {err}", 1)
    except EOFError:  # the parent stopped (interrupted or failed): nothing to answer
        return 1
    except Exception as err:  # noqa: BLE001 (told to the parent, which keeps the previous index)
        return _answer(status, f"error: the index store is unavailable: the writer process failed "
                               f"({type(err).__name__})", 1)
    finally:
        if store is not None:
            try:
                store.close()
            except StoreUnavailable:
                pass
    return _answer(status, "ok", 0)


def _answer(status: Any, line: str, code: int) -> int:
    status.write(line + "\n")
    status.flush()
    return code


if __name__ == "__main__":
    raise SystemExit(child_main())
