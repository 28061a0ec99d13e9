"""Chroma server mode: rebuild into and answer from a real `chroma run`, survive it stopping and coming back."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Callable

import pytest

from bot.engine import Engine, IndexUnavailable, build_engine
from config import load_settings
from index import cli as index_cli
from index.embedder import HashingEmbedder
from index.rebuild import rebuild
from index.store import IndexStore, StoreUnavailable, now_iso

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples" / "postings"
UNAVAILABLE = "The postings index is unavailable right now — try again shortly."
QUESTION = "which roles want Python?"
POLL = 0.05  # seconds between two checks of a condition that has a deadline
EMBEDDER = HashingEmbedder()


def _chroma_executable() -> str | None:
    beside = Path(sys.executable).parent / "chroma"
    return str(beside) if beside.exists() else shutil.which("chroma")


pytestmark = pytest.mark.skipif(_chroma_executable() is None, reason="the `chroma` executable (chromadb) is missing")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> object:
    """Check the condition until it is truthy (returned) or the deadline passes (the test fails)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {seconds:.0f} s waiting for {what}")
        time.sleep(POLL)


class ChromaServer:
    """A real `chroma run` on a loopback port, started and stopped (SIGTERM) on demand; same port and folder."""

    def __init__(self, path: Path, log_path: Path):
        self.path = path
        self.port = free_port()
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def heartbeat(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/api/v2/heartbeat", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def start(self) -> "ChromaServer":
        command = [_chroma_executable(), "run", "--path", str(self.path),
                   "--host", "127.0.0.1", "--port", str(self.port)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        wait_for(lambda: self.heartbeat() or self.process.poll() is not None, 60, "the Chroma server to start")
        if self.process.poll() is not None:
            pytest.fail(f"chroma run exited with {self.process.returncode}: {self.log_path.read_text()[-2000:]}")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def server(tmp_path):
    chroma = ChromaServer(tmp_path / "server-data", tmp_path / "chroma.log")
    try:
        yield chroma
    finally:
        chroma.stop()


@pytest.fixture
def settings(tmp_path, server, monkeypatch):
    """Settings from the environment, as the entry points read them: POSTINGS_CHROMA_URL points at the server."""
    monkeypatch.setenv("POSTINGS_CHROMA_URL", server.url)
    monkeypatch.setenv("POSTINGS_CHROMA_PATH", str(tmp_path / "local-folder-unused"))
    monkeypatch.setenv("POSTINGS_SOURCE_DIRS", str(SAMPLES))
    monkeypatch.setenv("POSTINGS_RELOAD_INTERVAL_SECONDS", "0.1")
    return load_settings(_env_file=None)


def answer_or_none(engine: Engine):
    try:
        return engine.ask(QUESTION)
    except IndexUnavailable:
        return None


def unavailable_reason(engine: Engine) -> str | None:
    try:
        engine.ask(QUESTION)
    except IndexUnavailable as err:
        return str(err)
    return None


def test_rebuild_and_answers_go_through_the_server_which_can_stop_and_come_back(settings, server, tmp_path, caplog):
    from bot.slack.replies import answer_reply

    server.start()
    summary = rebuild(settings, EMBEDDER, IndexStore.open(settings))
    assert summary.ok, summary.error
    assert summary.postings_total >= 20
    assert not (tmp_path / "local-folder-unused").exists()  # nothing went to the local folder

    engine = build_engine(settings, EMBEDDER)
    before = engine.ask(QUESTION)
    assert before.status == "answered" and before.postings
    assert engine.stats().postings == summary.postings_total

    server.stop()
    reason = wait_for(lambda: unavailable_reason(engine), 20, "the engine to notice the server is gone")
    assert reason == UNAVAILABLE
    reply = answer_reply(engine, QUESTION)  # what the Slack app sends
    assert reply.status == "unavailable"
    assert reply.text == UNAVAILABLE
    assert "Traceback" not in reply.text + str(reply.blocks)
    with pytest.raises(IndexUnavailable):
        engine.stats()

    server.start()  # same port, same folder: the bot recovers by itself
    after = wait_for(lambda: answer_or_none(engine), 30, "the engine to answer again")
    assert after.text == before.text
    assert [p.id for p in after.postings] == [p.id for p in before.postings]
    assert not any(r.exc_info for r in caplog.records)  # warnings only, never a stack trace


def test_bot_starts_while_the_server_is_down_and_answers_once_it_is_up(settings, server):
    engine = build_engine(settings, EMBEDDER)  # no exception: the store connects on first use
    assert unavailable_reason(engine) == UNAVAILABLE

    server.start()
    assert rebuild(settings, EMBEDDER, IndexStore.open(settings)).ok
    answer = wait_for(lambda: answer_or_none(engine), 30, "the engine to load the index")
    assert answer.postings


def test_an_index_lost_with_the_server_and_rebuilt_from_scratch_is_picked_up(settings, server):
    server.start()
    assert rebuild(settings, EMBEDDER, IndexStore.open(settings)).ok
    engine = build_engine(settings, EMBEDDER)
    first = IndexStore.open(settings).read_manifest()

    server.stop()
    shutil.rmtree(server.path)  # the server's volume is lost
    wait_for(lambda: unavailable_reason(engine), 20, "the engine to notice the server is gone")
    server.start()
    wait_for(lambda: now_iso() != first.built_at, 5, "the clock to pass the first build's second")
    smaller = settings.model_copy(update={"source_dirs": [SAMPLES / "md"]})
    summary = rebuild(smaller, EMBEDDER, IndexStore.open(smaller))
    assert summary.ok and summary.generation == first.generation == 1  # a fresh index starts again at 1
    assert summary.postings_total < len(first.postings)

    def reloaded():
        try:
            return engine.stats().postings == summary.postings_total
        except IndexUnavailable:
            return False

    wait_for(reloaded, 30, "the engine to load the rebuilt index")
    answer = engine.ask(QUESTION)
    assert answer.postings and all("/md/" in p.source for p in answer.postings)


def test_the_rebuild_cli_reports_an_unreachable_server_as_json_with_exit_code_2(settings, capsys):
    code = index_cli.main(["rebuild", "--json"], embedder_factory=lambda _settings: EMBEDDER)
    out, err = capsys.readouterr()
    assert code == index_cli.EXIT_STORE
    assert '"ok": false' in out and "Chroma server" in out
    assert "Traceback" not in out + err


class FlakyStore:
    """A real local store whose reads can be switched off, like a Chroma server going away."""

    def __init__(self, store: IndexStore):
        self.store = store
        self.down = False

    def _check(self) -> None:
        if self.down:
            raise StoreUnavailable("the index store is unavailable: could not read the manifest (ConnectError)")

    def read_manifest(self):
        self._check()
        return self.store.read_manifest()

    def read_postings(self, manifest):
        self._check()
        return self.store.read_postings(manifest)

    def read_chunks(self, manifest):
        self._check()
        return self.store.read_chunks(manifest)


def test_a_failed_poll_makes_the_engine_unavailable_until_a_later_poll_succeeds(tmp_path):
    local = load_settings(_env_file=None, chroma_path=tmp_path / "chroma", source_dirs=str(SAMPLES))
    store = IndexStore.open(local)
    assert rebuild(local, EMBEDDER, store).ok
    flaky = FlakyStore(store)
    engine = Engine(flaky, EMBEDDER, reload_interval=0)  # polls only when told to
    assert engine.ask(QUESTION).postings

    flaky.down = True
    assert engine.reload() is False
    with pytest.raises(IndexUnavailable, match="unavailable right now"):
        engine.ask(QUESTION)
    assert engine.reload() is False  # still down: still unavailable
    with pytest.raises(IndexUnavailable):
        engine.stats()

    flaky.down = False
    assert engine.reload() is True
    assert engine.ask(QUESTION).postings
