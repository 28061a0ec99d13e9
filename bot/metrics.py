"""Prometheus metrics of one bot process, and the one structured log line per question.

Each `Metrics` has its own CollectorRegistry (never the global one), so two apps in one process,
and tests, do not share counters. Index figures (postings, chunks, age, generation) and the last
rebuild's outcome are read when /metrics is scraped, through injected callables, so they are
never stale and cost nothing between scrapes.

Metric names (all prefixed `postings_`):
- questions_total{surface,intent,status}: questions answered (status: the Answer's, or unavailable/error);
- answer_seconds{surface}: time to answer a question (histogram);
- errors_total{kind}: index_unavailable, answer_failed, dedup_backend;
- index_up, index_postings, index_chunks, index_generation, index_built_timestamp_seconds,
  index_age_seconds: the index the process answers from, at scrape time;
- index_stale: 1 while reloads fail and the process answers from the index it loaded before;
- index_reload_failures_total: reloads that failed because the store could not be read;
- rebuild_last_success, rebuild_last_duration_seconds, rebuild_last_timestamp_seconds,
  rebuild_last_postings: the last rebuild's report, when the store holds one.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Mapping, Sequence

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.answer import Answer

METRICS_PATH = "/metrics"
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0)
ERROR_KINDS = ("index_unavailable", "answer_failed", "dedup_backend")

log = logging.getLogger("bot.questions")

StatsSource = Callable[[], Any]  # returns an object with postings, chunks, built_at, generation (bot.engine.IndexStats)
ReportSource = Callable[[], Mapping[str, Any] | None]  # the last rebuild's report, or None
CountSource = Callable[[], int]  # a running count kept elsewhere (bot.engine.Engine.reload_failures)


def _timestamp(value: Any) -> float | None:
    """Seconds since the epoch of a datetime or an ISO 8601 string ('...Z' allowed); None when unknown."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


class IndexCollector(Collector):
    """Gauges of the live index and of the last rebuild, read at scrape time."""

    def __init__(self, stats: StatsSource | None, report: ReportSource | None, clock: Callable[[], float],
                 reload_failures: CountSource | None = None):
        self.stats = stats
        self.report = report
        self.clock = clock
        self.reload_failures = reload_failures

    def describe(self) -> list:
        """Nothing up front: the gauges present depend on what can be read at scrape time."""
        return []

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield the index and rebuild gauges (a source that fails yields index_up 0, never an exception)."""
        if self.stats is not None:
            yield from self._index()
        if self.reload_failures is not None:
            try:
                failures = int(self.reload_failures())
            except Exception:
                failures = None
            if failures is not None:
                yield CounterMetricFamily("postings_index_reload_failures", "Index reloads that failed because "
                                          "the store could not be read.", value=failures)
        if self.report is not None:
            yield from self._rebuild()

    def _index(self) -> Iterator[GaugeMetricFamily]:
        try:
            stats = self.stats()
        except Exception:  # IndexUnavailable, or anything: the scrape must still answer
            stats = None
        yield GaugeMetricFamily("postings_index_up", "1 when the bot can answer from its index, else 0.",
                                value=0 if stats is None else 1)
        if stats is None:
            return
        yield GaugeMetricFamily("postings_index_postings", "Postings in the index being answered from.",
                                value=int(stats.postings))
        yield GaugeMetricFamily("postings_index_chunks", "Chunks in the index being answered from.",
                                value=int(stats.chunks))
        yield GaugeMetricFamily("postings_index_generation", "Generation of the index being answered from.",
                                value=int(getattr(stats, "generation", 0) or 0))
        yield GaugeMetricFamily("postings_index_stale", "1 while reloads fail and the index loaded before is "
                                "answered from, else 0.", value=1 if getattr(stats, "stale", False) else 0)
        built = _timestamp(getattr(stats, "built_at", None))
        if built is not None:
            yield GaugeMetricFamily("postings_index_built_timestamp_seconds",
                                    "When the index being answered from was built (Unix time).", value=built)
            yield GaugeMetricFamily("postings_index_age_seconds", "Seconds since the index being answered from "
                                    "was built.", value=max(0.0, self.clock() - built))

    def _rebuild(self) -> Iterator[GaugeMetricFamily]:
        try:
            report = self.report()
        except Exception:
            report = None
        if not report:
            return
        yield GaugeMetricFamily("postings_rebuild_last_success", "1 when the last rebuild succeeded, else 0.",
                                value=1 if report.get("ok") else 0)
        if isinstance(report.get("seconds"), (int, float)):
            yield GaugeMetricFamily("postings_rebuild_last_duration_seconds", "How long the last rebuild took.",
                                    value=float(report["seconds"]))
        finished = _timestamp(report.get("finished_at") or report.get("recorded_at"))
        if finished is not None:
            yield GaugeMetricFamily("postings_rebuild_last_timestamp_seconds", "When the last rebuild ended "
                                    "(Unix time).", value=finished)
        if isinstance(report.get("postings_total"), int) and report.get("ok"):
            yield GaugeMetricFamily("postings_rebuild_last_postings", "Postings the last successful rebuild left "
                                    "in the index.", value=report["postings_total"])


class Metrics:
    """The metrics of one app instance, in a registry of its own."""

    def __init__(self, stats: StatsSource | None = None, rebuild_report: ReportSource | None = None,
                 clock: Callable[[], float] = time.time, reload_failures: CountSource | None = None):
        """stats: the engine's stats() (index gauges); rebuild_report: the store's last rebuild report;
        reload_failures: the engine's count of failed reloads."""
        self.registry = CollectorRegistry()
        self.questions = Counter("postings_questions", "Questions answered, by surface, intent and status.",
                                 ["surface", "intent", "status"], registry=self.registry)
        self.latency = Histogram("postings_answer_seconds", "Time to answer a question, in seconds.", ["surface"],
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        self.errors = Counter("postings_errors", "Errors, by kind.", ["kind"], registry=self.registry)
        for kind in ERROR_KINDS:  # present from the start, so rate() and absent-series alerts work
            self.errors.labels(kind)
        self.registry.register(IndexCollector(stats, rebuild_report, clock, reload_failures))

    def observe_question(self, surface: str, intent: str, status: str, seconds: float) -> None:
        """Count one question and its answer time."""
        self.questions.labels(surface, intent, status).inc()
        self.latency.labels(surface).observe(max(0.0, seconds))

    def count_error(self, kind: str) -> None:
        """Count one error of a kind (see ERROR_KINDS)."""
        self.errors.labels(kind).inc()

    def render(self) -> tuple[bytes, str]:
        """The Prometheus text exposition of this registry, and its content type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def metrics_route(metrics: Metrics) -> Callable[[bytes, dict[str, str]], tuple[int, str, bytes]]:
    """GET /metrics as a route of bot.slack.server.make_http_server: (status, content type, body)."""

    def route(_body: bytes, _headers: dict[str, str]) -> tuple[int, str, bytes]:
        payload, content_type = metrics.render()
        return 200, content_type, payload

    return route


def new_request_id() -> str:
    """A short random id that ties a question's log line to its reply."""
    return uuid.uuid4().hex[:12]


def postings_matched(answer: Answer) -> int:
    """How many postings an answer matched (all of them for a list answer)."""
    return int(answer.total or len(answer.postings))


def log_question(request_id: str, surface: str, intent: str, status: str, seconds: float, matched: int,
                 logger: logging.Logger = log) -> None:
    """The one line per question: ids and figures only, never the question's text or a token."""
    latency_ms = int(round(seconds * 1000))
    logger.info(
        "question %s surface=%s intent=%s status=%s latency_ms=%d postings_matched=%d",
        request_id, surface, intent, status, latency_ms, matched,
        extra={"request_id": request_id, "surface": surface, "intent": intent, "status": status,
               "latency_ms": latency_ms, "postings_matched": matched},
    )


# Which surface a question came through (command, mention, thread, dm, button), set by the Slack reply code
# around its engine call; InstrumentedEngine labels its metrics and log line with it.
SURFACE: ContextVar[str | None] = ContextVar("postings_surface", default=None)


class InstrumentedEngine:
    """Wraps an engine (ask + stats): every question is counted, timed and logged once, errors by kind."""

    def __init__(self, engine: Any, metrics: Metrics, surface: str, clock: Callable[[], float] = time.perf_counter,
                 logger: logging.Logger = log):
        self.engine = engine
        self.metrics = metrics
        self.surface = surface
        self.clock = clock
        self.logger = logger

    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        """The engine's answer; IndexUnavailable and other errors are counted, logged and raised again."""
        from bot.engine import IndexUnavailable

        surface = SURFACE.get() or self.surface
        request_id, started = new_request_id(), self.clock()
        intent, status, matched = "unknown", "error", 0
        try:
            answer = self.engine.ask(question, context_posting_ids)
        except IndexUnavailable:
            status = "unavailable"
            self.metrics.count_error("index_unavailable")
            raise
        except Exception:
            self.metrics.count_error("answer_failed")
            raise
        else:
            intent, status, matched = answer.intent, answer.status, postings_matched(answer)
            return answer
        finally:
            seconds = self.clock() - started
            self.metrics.observe_question(surface, intent, status, seconds)
            log_question(request_id, surface, intent, status, seconds, matched, self.logger)

    def stats(self) -> Any:
        """The wrapped engine's stats."""
        return self.engine.stats()
