"""Several replicas: Slack's retries and duplicate deliveries are answered once, shared through a real Redis."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Metrics
from bot.redis_dedup import KEY_PREFIX, RedisDeduplicator, connect_redis, redis_deduplicator
from processes import free_port

REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (scripts/services.sh installs Debian's package)")


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A real redis-server on a free loopback port, nothing persisted; stopped after the module."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (scripts/services.sh installs Debian's package)")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = connect_redis(url)
    deadline = time.monotonic() + 30
    while True:
        try:
            if client.ping():
                break
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"redis-server did not start: {(folder / 'redis.log').read_text()[-1000:]}")
            time.sleep(0.05)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def redis_client(redis_url):
    client = connect_redis(redis_url)
    client.flushdb()
    return client


class FakeRedis:
    """redis-py's `set(name, value, nx=, ex=)` over a dict, on a clock the test moves."""

    def __init__(self):
        self.now = 0.0
        self.values: dict[str, tuple[object, float]] = {}
        self.calls: list[tuple[str, bool, int]] = []

    def set(self, name, value, nx=False, ex=None):
        self.calls.append((name, nx, ex))
        held = self.values.get(name)
        if nx and held is not None and held[1] > self.now:
            return None
        self.values[name] = (value, self.now + ex if ex else float("inf"))
        return True


class DownRedis:
    """A client whose every command fails, like a Redis that is unreachable."""

    def set(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_a_key_is_first_once_within_the_ttl_and_again_after_it_expires():
    redis = FakeRedis()
    dedup = RedisDeduplicator(redis, ttl_seconds=60)

    assert dedup.first_time("event:Ev1") is True
    assert dedup.first_time("event:Ev1") is False
    assert dedup.first_time("event:Ev2") is True
    redis.now = 59.9
    assert dedup.first_time("event:Ev1") is False
    redis.now = 60.0
    assert dedup.first_time("event:Ev1") is True  # expired: a delivery this late is a new one
    assert redis.calls[0] == (KEY_PREFIX + "event:Ev1", True, 60)  # one atomic SET NX EX, prefixed


def test_when_redis_is_down_each_replica_still_answers_once_and_counts_the_error(caplog):
    metrics = Metrics()
    dedup = RedisDeduplicator(DownRedis(), ttl_seconds=60, on_error=metrics.count_error)

    assert dedup.first_time("event:Ev1") is True  # answered rather than dropped
    assert dedup.first_time("event:Ev1") is False  # this replica still remembers it
    assert dedup.first_time("event:Ev2") is True

    assert metrics.errors.labels("dedup_backend")._value.get() == 3
    warnings = [r for r in caplog.records if r.name == "bot.redis_dedup" and r.levelname == "WARNING"]
    assert len(warnings) == 1  # once a minute, not once per event


def test_an_unreachable_redis_url_falls_back_without_raising():
    dedup = redis_deduplicator(f"redis://127.0.0.1:{free_port()}/0", ttl_seconds=60)
    assert dedup.first_time("event:Ev1") is True
    assert dedup.first_time("event:Ev1") is False


@needs_redis
def test_real_redis_keeps_a_key_for_the_ttl_then_forgets_it(redis_client, redis_url):
    dedup = redis_deduplicator(redis_url, ttl_seconds=1)
    other_replica = redis_deduplicator(redis_url, ttl_seconds=1)

    assert dedup.first_time("event:EvTTL") is True
    assert other_replica.first_time("event:EvTTL") is False
    assert 0 < redis_client.pttl(KEY_PREFIX + "event:EvTTL") <= 1000

    deadline = time.monotonic() + 10
    while redis_client.exists(KEY_PREFIX + "event:EvTTL"):
        assert time.monotonic() < deadline, "Redis never expired the key"
        time.sleep(0.05)
    assert other_replica.first_time("event:EvTTL") is True


@needs_redis
def test_many_threads_racing_on_one_key_get_exactly_one_first(redis_client, redis_url):
    dedups = [redis_deduplicator(redis_url, ttl_seconds=60) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: dedups[i % 4].first_time("event:EvRACE"), range(64)))
    assert results.count(True) == 1


# --- two real HTTP replicas of the Slack app behind one fake Slack

SLACK_TESTS = Path(__file__).resolve().parent / "slack"
if str(SLACK_TESTS) not in sys.path:
    sys.path.insert(0, str(SLACK_TESTS))

PAY_QUESTION = "what does the Kestrelvane Rust role pay?"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    from slack_harness import build_engine_on

    return build_engine_on(tmp_path_factory.mktemp("replicas-index"))


@contextmanager
def replicas(engine, fake, count: int = 2, **settings):
    """`count` replicas as `postings-bot serve` wires them (make_replica_server), each on its own port."""
    from slack_harness import Running, make_settings

    from bot.slack.server import make_replica_server

    servers, running = [], []
    try:
        for _ in range(count):
            executor = ThreadPoolExecutor(max_workers=2)
            server = make_replica_server(make_settings(fake, **settings), engine, executor=executor,
                                         host="127.0.0.1", port=0)
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
            servers.append((server, executor))
            running.append(Running(fake, f"http://127.0.0.1:{server.server_address[1]}", engine))
        yield running
    finally:
        for server, executor in servers:
            server.shutdown()
            server.server_close()
            executor.shutdown(wait=True)


def mention(text: str, ts: str) -> dict:
    return {"type": "app_mention", "channel": "C1", "user": "U1", "text": text, "ts": ts, "team": "T1"}


def dm(text: str, ts: str) -> dict:
    return {"type": "message", "channel": "D1", "channel_type": "im", "user": "U1", "text": text, "ts": ts,
            "team": "T1"}


def questions_counted(replica) -> float:
    from slack_harness import http

    body = http("GET", replica.url + "/metrics").body
    return sum(s.value for family in text_string_to_metric_families(body) for s in family.samples
               if s.name == "postings_questions_total")


@needs_redis
def test_an_event_delivered_to_both_replicas_and_retried_is_answered_exactly_once(engine, redis_client, redis_url):
    from fake_slack import FakeSlack

    with FakeSlack() as fake, replicas(engine, fake, redis_url=redis_url) as (first, second):
        event = mention(f"<@UBOT> {PAY_QUESTION}", "7000.1")
        assert first.event(event, event_id="EvBOTH").status == 200
        assert second.event(event, event_id="EvBOTH").status == 200
        assert first.event(event, event_id="EvBOTH", retry=1).status == 200
        fake.wait_for("chat.postMessage")
        fake.settle(quiet=0.5)
        posts = fake.requests("chat.postMessage")
        assert len(posts) == 1
        assert "Kestrelvane" in posts[0].text_and_blocks()
        assert questions_counted(first) + questions_counted(second) == 1
    assert redis_client.exists(KEY_PREFIX + "event:EvBOTH")


@needs_redis
def test_one_dm_delivered_twice_under_two_event_ids_is_answered_once(engine, redis_client, redis_url):
    from fake_slack import FakeSlack

    with FakeSlack() as fake, replicas(engine, fake, redis_url=redis_url) as (first, second):
        message = dm(PAY_QUESTION, "7100.1")
        assert first.event(message, event_id="EvDM1").status == 200
        assert second.event(message, event_id="EvDM2").status == 200
        fake.wait_for("chat.postMessage")
        fake.settle(quiet=0.5)
        assert len(fake.requests("chat.postMessage")) == 1


def test_without_redis_each_replica_only_remembers_its_own_deliveries(engine):
    from fake_slack import FakeSlack

    with FakeSlack() as fake, replicas(engine, fake) as (first, second):
        event = mention(f"<@UBOT> {PAY_QUESTION}", "7200.1")
        first.event(event, event_id="EvLOCAL")
        first.event(event, event_id="EvLOCAL", retry=1)  # a retry to the same replica: dropped
        second.event(event, event_id="EvLOCAL")  # the other replica has not seen it: answered again
        fake.wait_for("chat.postMessage", count=2)
        fake.settle(quiet=0.5)
        assert len(fake.requests("chat.postMessage")) == 2


@needs_redis
def test_a_thread_follow_up_reaching_the_other_replica_is_understood_in_context(engine, redis_client, redis_url):
    from fake_slack import FakeSlack

    with FakeSlack() as fake, replicas(engine, fake, redis_url=redis_url) as (first, second):
        first.event(mention(f"<@UBOT> {PAY_QUESTION}", "7300.1"), event_id="EvASK")
        fake.wait_for("chat.postMessage")
        follow_up = {"type": "message", "channel": "C1", "channel_type": "channel", "user": "U1",
                     "text": "and is it remote?", "ts": "7300.2", "thread_ts": "7300.1", "team": "T1"}
        assert second.event(follow_up, event_id="EvFOLLOW").status == 200
        fake.wait_for("chat.postMessage", count=2)
        fake.settle(quiet=0.5)
        posts = fake.requests("chat.postMessage")
        assert len(posts) == 2
        assert posts[1].body.get("thread_ts") == "7300.1"
        assert "Kestrelvane" in posts[1].text_and_blocks()
