"""A Deduplicator shared by every replica: Redis `SET key 1 NX EX ttl` (atomic set-if-absent with expiry).

Two replicas behind one Slack app both receive retries and duplicate deliveries; whichever sets the
key first answers, the other drops the delivery. When Redis cannot be reached, the replica falls back
to its own in-process memory (each delivery is still answered, at worst once per replica) rather than
dropping questions, logs a warning at most once a minute, and counts a `dedup_backend` error.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable

from bot.logs import redact
from bot.slack.dedup import Deduplicator, InMemoryDeduplicator
from bot.slack.memory import InMemoryThreadMemory

log = logging.getLogger(__name__)

KEY_PREFIX = "postings-bot:dedup:"
WARN_EVERY_SECONDS = 60.0


class RedisDeduplicator:
    """Deduplicator on a Redis client (anything with redis-py's `set(name, value, nx=, ex=)`)."""

    def __init__(
        self,
        client: Any,
        ttl_seconds: int,
        fallback: Any | None = None,
        prefix: str = KEY_PREFIX,
        on_error: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        """client: a redis.Redis; fallback: the in-process Deduplicator used while Redis fails."""
        self.client = client
        self.ttl = max(1, int(ttl_seconds))
        self.fallback = fallback or InMemoryDeduplicator(self.ttl)
        self.prefix = prefix
        self.on_error = on_error
        self._clock = clock
        self._warned_at: float | None = None

    def first_time(self, key: str) -> bool:
        """True exactly once per key within the TTL across every replica sharing the Redis."""
        try:
            return bool(self.client.set(self.prefix + key, 1, nx=True, ex=self.ttl))
        except Exception as err:  # redis.RedisError, OSError: never lose the question over it
            self._failed(err)
            return self.fallback.first_time(key)

    def _failed(self, err: Exception) -> None:
        if self.on_error is not None:
            self.on_error("dedup_backend")
        now = self._clock()
        if self._warned_at is None or now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            log.warning("Redis de-duplication failed (%s: %s); de-duplicating in this process only until it is back",
                        type(err).__name__, redact(str(err))[:200])


def connect_redis(url: str, timeout_seconds: float = 2.0) -> Any:
    """A redis.Redis for a URL (redis://, rediss://, unix://), with short timeouts; connects lazily."""
    import redis

    return redis.Redis.from_url(url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds,
                                health_check_interval=30)


def redis_deduplicator(url: str, ttl_seconds: int, on_error: Callable[[str], None] | None = None) -> RedisDeduplicator:
    """The shared Deduplicator for POSTINGS_REDIS_URL."""
    return RedisDeduplicator(connect_redis(url), ttl_seconds, on_error=on_error)


THREAD_PREFIX = "postings-bot:thread:"


class RedisThreadMemory:
    """ThreadMemory shared by every replica: thread -> posting ids as a Redis string with expiry.

    A follow-up in a thread may reach another replica than the one that answered; with this memory
    it is still understood. While Redis fails, the replica falls back to its own in-process memory.
    """

    def __init__(self, client: Any, ttl_seconds: int, fallback: Any | None = None, prefix: str = THREAD_PREFIX):
        self.client = client
        self.ttl = max(1, int(ttl_seconds))
        self.fallback = fallback or InMemoryThreadMemory(self.ttl)
        self.prefix = prefix

    def _key(self, channel: str, thread_ts: str) -> str:
        return f"{self.prefix}{channel}:{thread_ts}"

    def remember(self, channel: str, thread_ts: str, posting_ids) -> None:
        """Record the bot's answer in this thread (here and, when it answers, in Redis)."""
        self.fallback.remember(channel, thread_ts, posting_ids)
        try:
            self.client.set(self._key(channel, thread_ts), "\n".join(posting_ids), ex=self.ttl)
        except Exception as err:  # noqa: BLE001 (any client failure: keep the in-process copy)
            log.warning("thread memory: Redis unavailable (%s); using this replica's memory", redact(str(err)))

    def recall(self, channel: str, thread_ts: str) -> list[str] | None:
        """The posting ids of the last answer in this thread, from Redis, else from this replica's memory."""
        try:
            value = self.client.get(self._key(channel, thread_ts))
        except Exception as err:  # noqa: BLE001
            log.warning("thread memory: Redis unavailable (%s); using this replica's memory", redact(str(err)))
            return self.fallback.recall(channel, thread_ts)
        if value is None:
            return self.fallback.recall(channel, thread_ts)
        text = value.decode() if isinstance(value, bytes) else str(value)
        return [part for part in text.split("\n") if part]


def build_thread_memory(settings):
    """Thread memory shared through Redis when POSTINGS_REDIS_URL is set, else in-process."""
    if settings.redis_url is not None and settings.redis_url.get_secret_value():
        return RedisThreadMemory(connect_redis(settings.redis_url.get_secret_value()), 24 * 3600)
    return InMemoryThreadMemory()


def build_deduplicator(settings, on_error: Callable[[str], None] | None = None) -> Deduplicator:
    """Shared through Redis when POSTINGS_REDIS_URL is set (on_error is told of each Redis failure), else in-process."""
    if settings.redis_url is not None and settings.redis_url.get_secret_value():
        log.info("de-duplicating Slack deliveries through Redis (shared by every replica)")
        return redis_deduplicator(settings.redis_url.get_secret_value(), settings.dedup_ttl_seconds, on_error=on_error)
    return InMemoryDeduplicator(settings.dedup_ttl_seconds)
