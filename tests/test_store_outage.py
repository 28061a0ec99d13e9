"""A store outage under a replica that holds an index: it keeps answering, says it is stale, retries with backoff."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.engine import Engine, IndexUnavailable
from bot.metrics import Metrics
from bot.slack.replies import answer_reply
from bot.slack.server import engine_metrics, health
from config import load_settings
from index.embedder import HashingEmbedder
from index.rebuild import rebuild
from index.store import IndexStore, StoreUnavailable

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "postings"
EMBEDDER = HashingEmbedder()
QUESTION = "which roles want Python?"
UNAVAILABLE = "The postings index is unavailable right now — try again shortly."


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FailingStore:
    """A real local index store that can be switched off, like a Chroma server going away; counts manifest reads."""

    def __init__(self, store: IndexStore, down: bool = False):
        self.store = store
        self.down = down
        self.manifest_reads = 0

    def _check(self, what: str) -> None:
        if self.down:
            raise StoreUnavailable(f"the index store is unavailable: could not read the {what} (ConnectError)")

    def read_manifest(self):
        self.manifest_reads += 1
        self._check("manifest")
        return self.store.read_manifest()

    def read_postings(self, manifest):
        self._check("postings")
        return self.store.read_postings(manifest)

    def read_chunks(self, manifest):
        self._check("chunks")
        return self.store.read_chunks(manifest)


@pytest.fixture(scope="module")
def index_store(tmp_path_factory) -> IndexStore:
    folder = tmp_path_factory.mktemp("outage-index")
    settings = load_settings(_env_file=None, chroma_path=folder / "chroma", source_dirs=str(SAMPLES))
    store = IndexStore.open(settings)
    assert rebuild(settings, EMBEDDER, store).ok
    return store


@pytest.fixture
def store(index_store) -> FailingStore:
    return FailingStore(index_store)


def samples(metrics: Metrics) -> dict[str, float]:
    text = metrics.render()[0].decode("utf-8")
    return {s.name: s.value for family in text_string_to_metric_families(text) for s in family.samples}


def test_a_replica_with_an_index_keeps_giving_the_same_answers_while_reloads_fail(store):
    engine = Engine(store, EMBEDDER, reload_interval=0)  # reloads only when told to
    before = engine.ask(QUESTION)
    postings = engine.stats().postings
    assert before.postings and engine.stats().stale is False

    store.down = True
    assert engine.reload() is False
    assert engine.reload() is False
    during = engine.ask(QUESTION)
    assert during.text == before.text
    assert [p.id for p in during.postings] == [p.id for p in before.postings]
    stats = engine.stats()
    assert stats.stale and stats.postings == postings
    assert engine.reload_failures() == 2

    store.down = False
    assert engine.reload() is True
    assert engine.stats().stale is False
    assert engine.reload_failures() == 2  # a counter: it never goes back


def test_failed_reloads_are_retried_with_capped_exponential_backoff_not_on_every_question(store):
    clock = Clock()
    engine = Engine(store, EMBEDDER, reload_interval=10, reload_backoff_max=40, clock=clock)
    store.down = True
    waits = []
    for _ in range(5):  # find when each retry happens, a second at a time, asking a question every second
        reads, waited = store.manifest_reads, 0
        while store.manifest_reads == reads:
            clock.advance(1)
            waited += 1
            for _ in range(3):
                assert engine.ask(QUESTION).postings  # answered from the loaded index every time
            assert waited <= 100, "no retry within 100 s"
        waits.append(waited)
    assert waits == [10, 10, 20, 40, 40]  # the plain check, then 1, 2, 4 intervals after failures, capped at 40 s

    store.down = False
    clock.advance(40)
    engine.ask(QUESTION)
    assert engine.stats().stale is False
    reads = store.manifest_reads
    clock.advance(10)  # back to the plain interval once a reload succeeds
    engine.ask(QUESTION)
    assert store.manifest_reads == reads + 1


def test_reload_failures_are_counted_in_metrics_and_the_index_age_keeps_growing(store):
    clock = Clock()
    engine = Engine(store, EMBEDDER, reload_interval=10, reload_backoff_max=40, clock=clock)
    metrics = engine_metrics(engine)  # as `serve` wires it
    assert samples(metrics)["postings_index_reload_failures_total"] == 0

    store.down = True
    clock.advance(10)
    engine.ask(QUESTION)
    clock.advance(20)
    engine.ask(QUESTION)
    scraped = samples(metrics)
    assert scraped["postings_index_reload_failures_total"] == 2
    assert scraped["postings_index_up"] == 1
    assert scraped["postings_index_stale"] == 1

    wall = Clock(engine.stats().built_at.timestamp() + 3600)
    aged = Metrics(stats=engine.stats, clock=wall)
    first = samples(aged)["postings_index_age_seconds"]
    wall.advance(600)
    assert samples(aged)["postings_index_age_seconds"] == first + 600 == 4200


def test_healthz_stays_200_and_reports_stale_with_the_age_while_the_store_is_down(store):
    clock = Clock()
    engine = Engine(store, EMBEDDER, reload_interval=10, clock=clock)
    status, fresh = health(engine)
    assert status == 200 and fresh == {"status": "ok", "postings": engine.stats().postings}

    store.down = True
    clock.advance(10)
    engine.ask(QUESTION)  # the reload fails
    clock.advance(5)
    status, data = health(engine)
    assert status == 200
    assert data["status"] == "ok" and data["postings"] == fresh["postings"]
    assert data["stale"] is True
    assert data["stale_seconds"] == 15  # since the store was last read
    assert isinstance(data["age_seconds"], int) and data["age_seconds"] >= 0  # since the index was built


def test_a_replica_that_never_loaded_an_index_is_not_ready_and_counts_its_failed_loads(store):
    store.down = True
    engine = Engine(store, EMBEDDER, reload_interval=0)
    with pytest.raises(IndexUnavailable, match="unavailable right now"):
        engine.ask(QUESTION)
    status, data = health(engine)
    assert status == 503 and data == {"status": "unavailable", "reason": UNAVAILABLE}
    scraped = samples(engine_metrics(engine))
    assert scraped["postings_index_up"] == 0
    assert scraped["postings_index_reload_failures_total"] == 1

    store.down = False
    assert engine.reload() is True
    assert health(engine)[0] == 200


def test_answers_say_nothing_of_staleness_until_the_store_has_been_unreadable_longer_than_the_set_age(store):
    clock = Clock()
    engine = Engine(store, EMBEDDER, reload_interval=10, reload_backoff_max=60, stale_answer_age=3600, clock=clock)
    fresh = answer_reply(engine, QUESTION)
    assert fresh.status == "answered"

    store.down = True
    clock.advance(3599)  # reloads fail from the 10th second on: an hour, less one second, unrefreshed
    quiet = answer_reply(engine, QUESTION)
    assert engine.stats().stale
    assert quiet.status == "answered" and quiet.text == fresh.text
    assert "out of date" not in json.dumps(quiet.blocks)

    clock.advance(1)
    noted = answer_reply(engine, QUESTION)
    assert noted.status == "answered" and noted.text == fresh.text
    footer = [b for b in noted.blocks if b["type"] == "context" and "index updated" in json.dumps(b)]
    assert footer and "may be out of date" in json.dumps(footer)

    store.down = False
    clock.advance(60)
    assert "out of date" not in json.dumps(answer_reply(engine, QUESTION).blocks)


def test_the_notice_is_off_when_the_set_age_is_zero(store):
    clock = Clock()
    engine = Engine(store, EMBEDDER, reload_interval=10, stale_answer_age=0, clock=clock)
    store.down = True
    clock.advance(timedelta(days=30).total_seconds())
    reply = answer_reply(engine, QUESTION)
    assert engine.stats().stale and reply.status == "answered"
    assert "out of date" not in json.dumps(reply.blocks)
