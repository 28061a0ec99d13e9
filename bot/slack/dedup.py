"""At-least-once delivery made exactly-once: remember which deliveries were already handled.

Slack retries events (same `event_id`, `X-Slack-Retry-Num`), sometimes while the first attempt
still runs, and delivers a mention both as `app_mention` and as `message` (same channel and ts).
A Deduplicator answers "is this the first time?" atomically; the in-process one serves a single
replica, the shared one (bot.redis_dedup: Redis `SET key 1 NX EX ttl`) serves several;
`bot.redis_dedup.build_deduplicator` picks one by POSTINGS_REDIS_URL. This module imports nothing of
bot.redis_dedup (the dependency runs one way: redis_dedup -> slack.dedup).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Callable, Protocol

log = logging.getLogger(__name__)


class Deduplicator(Protocol):
    """Atomic set-if-absent with expiry."""

    def first_time(self, key: str) -> bool:
        """True exactly once per key within the TTL; False for every later call."""
        ...


def event_key(event_id: str) -> str:
    """The key of one Events API delivery (shared by its retries)."""
    return f"event:{event_id}"


def message_key(channel: str, ts: str) -> str:
    """The key of one Slack message, whichever event type delivers it."""
    return f"message:{channel}:{ts}"


class InMemoryDeduplicator:
    """Thread-safe in-process Deduplicator with a TTL and a bound on remembered keys."""

    def __init__(self, ttl_seconds: float, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic):
        self.ttl = float(ttl_seconds)
        self.max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()  # key -> expiry, oldest first
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True exactly once per key within the TTL."""
        now = self._clock()
        with self._lock:
            while self._seen:
                oldest, expiry = next(iter(self._seen.items()))
                if expiry > now and len(self._seen) < self.max_keys:
                    break
                del self._seen[oldest]
            expiry = self._seen.get(key)
            if expiry is not None and expiry > now:
                return False
            self._seen[key] = now + self.ttl
            self._seen.move_to_end(key)
            return True
