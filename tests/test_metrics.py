"""Metrics and the question log line: counted by surface and intent, timed, read at scrape time, never a token."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot.answer import Answer
from bot.engine import IndexUnavailable, build_engine
from bot.logs import JsonFormatter, RedactingFilter
from bot.metrics import ERROR_KINDS, InstrumentedEngine, Metrics, metrics_route
from config import load_settings
from index.embedder import HashingEmbedder
from index.rebuild import RebuildSummary, rebuild
from index.store import IndexStore

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "postings"
BUILT = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def samples(metrics: Metrics) -> dict[tuple[str, tuple], float]:
    """Every sample of the exposition, keyed by (name, sorted labels)."""
    text = metrics.render()[0].decode("utf-8")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return samples(metrics).get((name, tuple(sorted(labels.items()))))


class ScriptedEngine:
    """An engine that gives a prepared answer, or raises a prepared error."""

    def __init__(self, answer: Answer | None = None, error: Exception | None = None, stats=None):
        self.answer, self.error, self._stats = answer, error, stats
        self.questions: list[str] = []

    def ask(self, question, context_posting_ids=()):
        self.questions.append(question)
        if self.error is not None:
            raise self.error
        return self.answer

    def stats(self):
        if self._stats is None:
            raise IndexUnavailable("The postings index is unavailable right now — try again shortly.")
        return self._stats


class Ticks:
    """A clock that advances a fixed step each time it is read."""

    def __init__(self, step: float):
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("metrics-index")
    settings = load_settings(_env_file=None, chroma_path=folder / "chroma", source_dirs=str(SAMPLES))
    embedder = HashingEmbedder()
    assert rebuild(settings, embedder, IndexStore.open(settings)).ok
    return build_engine(settings.model_copy(update={"reload_interval_seconds": 0}), embedder)


def test_questions_are_counted_by_surface_intent_and_status_and_timed(engine):
    metrics = Metrics(stats=engine.stats)
    slack = InstrumentedEngine(engine, metrics, "slack", clock=Ticks(0.2))
    cli = InstrumentedEngine(engine, metrics, "cli", clock=Ticks(0.2))

    answer = slack.ask("which roles want Python?")
    slack.ask("which roles want Python?")
    cli.ask("what does the Kestrelvane Rust role pay?")

    assert answer.postings
    assert value(metrics, "postings_questions_total", surface="slack", intent=answer.intent, status="answered") == 2
    assert sum(v for (name, labels), v in samples(metrics).items()
               if name == "postings_questions_total" and ("surface", "cli") in labels) == 1
    assert value(metrics, "postings_answer_seconds_count", surface="slack") == 2
    assert value(metrics, "postings_answer_seconds_sum", surface="slack") == pytest.approx(0.4)
    assert value(metrics, "postings_answer_seconds_bucket", surface="slack", le="0.25") == 2


def test_the_slack_surface_a_question_came_through_labels_its_count(engine):
    from bot.slack.replies import answer_reply

    metrics = Metrics(stats=engine.stats)
    slack = InstrumentedEngine(engine, metrics, "slack", clock=Ticks(0.1))
    answer_reply(slack, "which roles want Python?", surface="command")
    answer_reply(slack, "which roles want Python?", surface="dm")
    slack.ask("which roles want Python?")
    counted = {labels: v for (name, labels), v in samples(metrics).items() if name == "postings_questions_total"}
    surfaces = sorted(dict(labels)["surface"] for labels, v in counted.items() for _ in range(int(v)))
    assert surfaces == ["command", "dm", "slack"]


def test_unavailable_index_and_failures_are_counted_by_kind_and_raised_again():
    metrics = Metrics()
    unavailable = InstrumentedEngine(ScriptedEngine(error=IndexUnavailable("down")), metrics, "slack")
    broken = InstrumentedEngine(ScriptedEngine(error=RuntimeError("bug")), metrics, "slack")

    with pytest.raises(IndexUnavailable):
        unavailable.ask("salary?")
    with pytest.raises(RuntimeError):
        broken.ask("salary?")

    assert value(metrics, "postings_errors_total", kind="index_unavailable") == 1
    assert value(metrics, "postings_errors_total", kind="answer_failed") == 1
    assert value(metrics, "postings_questions_total", surface="slack", intent="unknown", status="unavailable") == 1
    assert value(metrics, "postings_questions_total", surface="slack", intent="unknown", status="error") == 1


def test_every_error_kind_is_exported_from_the_start_so_alerts_can_use_rate():
    metrics = Metrics()
    for kind in ERROR_KINDS:
        assert value(metrics, "postings_errors_total", kind=kind) == 0
    metrics.count_error("dedup_backend")
    assert value(metrics, "postings_errors_total", kind="dedup_backend") == 1


def test_index_size_and_age_are_read_when_scraped():
    stats = SimpleNamespace(postings=27, chunks=97, built_at=BUILT, generation=3)
    now = [BUILT.timestamp() + 90]
    metrics = Metrics(stats=lambda: stats, clock=lambda: now[0])

    assert value(metrics, "postings_index_up") == 1
    assert value(metrics, "postings_index_postings") == 27
    assert value(metrics, "postings_index_chunks") == 97
    assert value(metrics, "postings_index_generation") == 3
    assert value(metrics, "postings_index_built_timestamp_seconds") == BUILT.timestamp()
    assert value(metrics, "postings_index_age_seconds") == 90
    now[0] += 3600
    stats.postings = 30
    assert value(metrics, "postings_index_age_seconds") == 3690
    assert value(metrics, "postings_index_postings") == 30


def test_an_index_that_cannot_be_read_shows_as_down_and_the_scrape_still_answers():
    metrics = Metrics(stats=ScriptedEngine(stats=None).stats)
    assert value(metrics, "postings_index_up") == 0
    assert value(metrics, "postings_index_postings") is None
    assert value(metrics, "postings_index_age_seconds") is None


def test_the_last_rebuild_report_in_the_store_gives_its_duration_and_outcome(tmp_path):
    settings = load_settings(_env_file=None, chroma_path=tmp_path / "chroma", source_dirs=str(SAMPLES))
    store = IndexStore.open(settings)
    metrics = Metrics(rebuild_report=store.read_rebuild_report)
    assert value(metrics, "postings_rebuild_last_success") is None  # nothing recorded yet: no gauge at all

    summary = rebuild(settings, HashingEmbedder(), store)
    store.write_rebuild_report(asdict(summary))
    assert value(metrics, "postings_rebuild_last_success") == 1
    assert value(metrics, "postings_rebuild_last_duration_seconds") == summary.seconds
    assert value(metrics, "postings_rebuild_last_postings") == summary.postings_total
    recorded = store.read_rebuild_report()["recorded_at"]
    assert value(metrics, "postings_rebuild_last_timestamp_seconds") == datetime.fromisoformat(
        recorded.replace("Z", "+00:00")).timestamp()

    store.write_rebuild_report(asdict(RebuildSummary(error="source folder does not exist", seconds=0.2)))
    assert value(metrics, "postings_rebuild_last_success") == 0
    assert value(metrics, "postings_rebuild_last_duration_seconds") == 0.2


def test_each_metrics_instance_counts_alone_and_the_global_registry_is_untouched():
    first, second = Metrics(), Metrics()
    first.observe_question("slack", "salary", "answered", 0.1)
    assert value(first, "postings_questions_total", surface="slack", intent="salary", status="answered") == 1
    assert value(second, "postings_questions_total", surface="slack", intent="salary", status="answered") is None
    assert REGISTRY.get_sample_value("postings_questions_total",
                                     {"surface": "slack", "intent": "salary", "status": "answered"}) is None


def test_the_metrics_route_serves_the_prometheus_text_format():
    metrics = Metrics()
    metrics.observe_question("cli", "general", "answered", 0.01)
    status, content_type, body = metrics_route(metrics)(b"", {})
    assert status == 200
    assert content_type.startswith("text/plain") and "version=" in content_type
    assert b'postings_questions_total{intent="general",status="answered",surface="cli"} 1.0' in body


@pytest.fixture
def json_lines():
    """The bot.questions logger's output, formatted as in production with POSTINGS_LOG_FORMAT=json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("bot.questions.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)


def test_one_json_line_per_question_with_ids_and_figures_but_not_the_question(engine, json_lines):
    logger, lines = json_lines
    instrumented = InstrumentedEngine(engine, Metrics(), "slack", clock=Ticks(0.25), logger=logger)
    question = "which roles want Python? my token is xoxb-1234-5678-abcdefSECRET"

    answer = instrumented.ask(question)

    [line] = lines()
    assert line["level"] == "INFO"
    assert len(line["request_id"]) == 12
    assert line["surface"] == "slack"
    assert line["intent"] == answer.intent
    assert line["status"] == answer.status
    assert line["latency_ms"] == 250
    assert line["postings_matched"] == answer.total > 0
    text = json.dumps(line)
    assert "xoxb" not in text and "SECRET" not in text and "Python" not in text



def test_without_an_app_the_http_server_serves_only_health_and_metrics(engine):
    """The Socket Mode shape: probes on the HTTP port, and no Slack route that an empty signing secret would open."""
    import threading
    import urllib.error
    import urllib.request

    from bot.metrics import METRICS_PATH
    from bot.slack.server import make_http_server

    metrics = Metrics(stats=engine.stats)
    routes = {("GET", METRICS_PATH): metrics_route(metrics)}
    server = make_http_server(None, engine, "127.0.0.1", 0, extra_routes=routes)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=10) as response:
            assert response.status == 200 and json.loads(response.read())["status"] == "ok"
        with urllib.request.urlopen(base + "/metrics", timeout=10) as response:
            assert b"postings_index_up 1.0" in response.read()
        request = urllib.request.Request(base + "/slack/events", data=b"{}", method="POST")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(request, timeout=10)
        assert err.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
