"""What the bot last answered in each thread, so follow-ups without a mention are understood."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Protocol, Sequence

DEFAULT_TTL_SECONDS = 24 * 3600


class ThreadMemory(Protocol):
    """Thread -> posting ids of the bot's last answer there (in-process now; pluggable later)."""

    def remember(self, channel: str, thread_ts: str, posting_ids: Sequence[str]) -> None:
        """Record that the bot answered in this thread, about these postings."""
        ...

    def recall(self, channel: str, thread_ts: str) -> list[str] | None:
        """The posting ids of the last answer, [] if it named none, None if the bot never answered here."""
        ...


class InMemoryThreadMemory:
    """Thread-safe ThreadMemory with a TTL (refreshed on each answer) and a bound on threads kept."""

    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_threads: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.ttl = float(ttl_seconds)
        self.max_threads = max_threads
        self._clock = clock
        self._threads: OrderedDict[tuple[str, str], tuple[float, list[str]]] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, channel: str, thread_ts: str, posting_ids: Sequence[str]) -> None:
        """Record the bot's answer in this thread."""
        key = (channel, thread_ts)
        with self._lock:
            self._threads[key] = (self._clock() + self.ttl, list(posting_ids))
            self._threads.move_to_end(key)
            while len(self._threads) > self.max_threads:
                self._threads.popitem(last=False)

    def recall(self, channel: str, thread_ts: str) -> list[str] | None:
        """The posting ids of the last answer in this thread, or None."""
        key = (channel, thread_ts)
        with self._lock:
            entry = self._threads.get(key)
            if entry is None:
                return None
            expiry, ids = entry
            if expiry <= self._clock():
                del self._threads[key]
                return None
            return list(ids)
