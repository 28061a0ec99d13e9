"""Chroma server mode: rebuild into and answer from a real `chroma run`, answer throughout it stopping and coming back."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Callable

import pytest

from prometheus_client.parser import text_string_to_metric_families

from bot.engine import Engine, IndexUnavailable, build_engine
from config import load_settings
from index import cli as index_cli
from index.embedder import HashingEmbedder
from index.rebuild import rebuild
from index.store import IndexStore, now_iso
from processes import free_port

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
    monkeypatch.setenv("POSTINGS_RELOAD_BACKOFF_MAX_SECONDS", "0.4")
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


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def scrape(url: str) -> dict[str, float]:
    status, body = get(url)
    assert status == 200
    return {s.name: s.value for family in text_string_to_metric_families(body.decode("utf-8"))
            for s in family.samples}


def test_a_serving_replica_answers_throughout_the_chroma_server_stopping_and_coming_back(
        settings, server, tmp_path, caplog):
    from bot.metrics import METRICS_PATH, InstrumentedEngine, metrics_route
    from bot.slack.replies import answer_reply
    from bot.slack.server import engine_metrics, make_http_server

    server.start()
    summary = rebuild(settings, EMBEDDER, IndexStore.open(settings))
    assert summary.ok, summary.error
    assert summary.postings_total >= 20
    assert not (tmp_path / "local-folder-unused").exists()  # nothing went to the local folder

    engine = build_engine(settings, EMBEDDER)
    metrics = engine_metrics(engine)  # the replica as `serve` wires it: /healthz and /metrics over a metered engine
    metered = InstrumentedEngine(engine, metrics, "slack")
    replica = make_http_server(None, metered, "127.0.0.1", 0,
                               extra_routes={("GET", METRICS_PATH): metrics_route(metrics)})
    threading.Thread(target=replica.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{replica.server_address[1]}"
    before = metered.ask(QUESTION)
    assert before.status == "answered" and before.postings
    assert engine.stats().postings == summary.postings_total
    answered = 0

    def answer_and_health() -> dict:
        """Ask (it must be answered, as before) and read /healthz (it must be 200)."""
        nonlocal answered
        answer = metered.ask(QUESTION)
        assert answer.text == before.text and [p.id for p in answer.postings] == [p.id for p in before.postings]
        answered += 1
        status, body = get(base + "/healthz")
        assert status == 200, body
        return json.loads(body)

    try:
        assert "stale" not in answer_and_health()
        fresh = answer_reply(metered, QUESTION)
        server.stop()
        stale = wait_for(lambda: (body := answer_and_health()).get("stale") and engine.reload_failures() >= 2
                         and body, 20, "two failed reloads while answering")
        assert stale["stale"] is True and stale["age_seconds"] >= 0 and stale["stale_seconds"] >= 0
        reply = answer_reply(metered, QUESTION)  # what the Slack app sends: the answer, no word of the outage
        assert reply.status == "answered" and reply.text == fresh.text
        assert "out of date" not in json.dumps(reply.blocks) and "unavailable" not in reply.text
        figures = scrape(base + METRICS_PATH)
        assert figures["postings_index_up"] == 1 and figures["postings_index_stale"] == 1
        assert figures["postings_index_reload_failures_total"] >= 2
        assert figures["postings_index_age_seconds"] >= 0
        assert b'postings_errors_total{kind="index_unavailable"} 0.0' in get(base + METRICS_PATH)[1]

        server.start()  # same port, same folder: the replica is current again by itself
        wait_for(lambda: "stale" not in answer_and_health(), 30, "the replica to read the store again")
        figures = scrape(base + METRICS_PATH)
        assert figures["postings_index_stale"] == 0
        assert figures["postings_index_reload_failures_total"] >= 2  # a counter: it keeps the outage
    finally:
        replica.shutdown()
        replica.server_close()
    assert answered >= 4
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
    wait_for(lambda: engine.stats().stale, 20, "the engine to notice the server is gone")
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


def test_a_replica_of_a_server_keeps_each_generation_on_its_local_disk_and_restarts_from_it(settings, server):
    import numpy as np

    server.start()
    assert rebuild(settings, EMBEDDER, IndexStore.open(settings)).ok
    first = build_engine(settings, EMBEDDER)  # built from the server's records, then answers from its copy
    [kept] = settings.snapshot_dir.glob("gen*")  # kept on this host's disk
    assert isinstance(first.catalog().vectors, np.memmap)
    restarted = build_engine(settings, EMBEDDER)
    assert isinstance(restarted.catalog().vectors, np.memmap)  # a restart loads the local copy
    assert list(settings.snapshot_dir.glob("gen*")) == [kept]  # (and writes none)
    assert restarted.ask(QUESTION).text == first.ask(QUESTION).text

    smaller = settings.model_copy(update={"source_dirs": [SAMPLES / "md"]})
    summary = rebuild(smaller, EMBEDDER, IndexStore.open(smaller))
    assert summary.ok and summary.generation == 2
    wait_for(lambda: restarted.stats().generation == 2, 30, "the replica to load generation 2")
    assert restarted.stats().postings == summary.postings_total
    assert sorted(p.name.split("-")[0] for p in settings.snapshot_dir.glob("gen*")) == ["gen1", "gen2"]
