"""Several replicas: Slack's retries and duplicate deliveries are answered once, shared through a real Redis."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from bot.metrics import Metrics
from bot.redis_dedup import KEY_PREFIX, RedisDeduplicator, connect_redis, redis_deduplicator

REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (scripts/services.sh installs Debian's package)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    from concurrent.futures import ThreadPoolExecutor

    replicas = [redis_deduplicator(redis_url, ttl_seconds=60) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda i: replicas[i % 4].first_time("event:EvRACE"), range(64)))
    assert results.count(True) == 1
