"""Saved searches and the notifications sent for them, in SQLite (stdlib sqlite3), with exactly-once claims.

A notification is claimed before it is sent: an INSERT of (search, generation) that fails when the row exists,
so two replicas sharing the file (or one run repeated) send it once. With POSTINGS_REDIS_URL a Redis `SET NX`
on the same pair is claimed as well (RedisClaims), for replicas that do not share a file.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    channel_id TEXT,             -- NULL: the user's DM
    question TEXT NOT NULL,
    created TEXT NOT NULL,       -- ISO 8601, UTC
    paused TEXT,                 -- NULL, or why Slack refused a notification (channel_not_found, ...)
    after_generation INTEGER NOT NULL DEFAULT 0  -- the generation loaded when it was saved: only later ones notify
);
CREATE INDEX IF NOT EXISTS saved_searches_user ON saved_searches (user_id, id);
CREATE TABLE IF NOT EXISTS sent_notifications (
    search_id INTEGER NOT NULL,
    generation TEXT NOT NULL,    -- the index generation and its build time: a lost index restarts at 1
    sent TEXT NOT NULL,
    UNIQUE (search_id, generation)
);
"""

COLUMNS = "id, user_id, channel_id, question, created, paused, after_generation"
REDIS_CLAIM_PREFIX = "postings:watch:"
REDIS_CLAIM_TTL = 30 * 86400


@dataclass(frozen=True)
class SavedSearch:
    """One saved search: who asked, where to post (None: a DM), the question, and whether it is paused."""

    id: int
    user_id: str
    channel_id: str | None
    question: str
    created: datetime
    paused: str | None = None
    after_generation: int = 0


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class WatchStore:
    """Saved searches and sent notifications in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10.0)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock, closing(self._connect()) as db, db:
            return db.execute(sql, args)

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple]:
        with self._lock, closing(self._connect()) as db:
            return db.execute(sql, args).fetchall()

    def add(self, user_id: str, channel_id: str | None, question: str, after_generation: int = 0) -> SavedSearch:
        """Save a search; channel_id None sends its notifications to the user's DM; only generations after
        `after_generation` (the one loaded now) are matched against it."""
        created = utc_now()
        cursor = self._run("INSERT INTO saved_searches (user_id, channel_id, question, created, after_generation) "
                           "VALUES (?, ?, ?, ?, ?)", (user_id, channel_id, question, created.isoformat(),
                                                      after_generation))
        return SavedSearch(int(cursor.lastrowid), user_id, channel_id, question, created, None, after_generation)

    def of_user(self, user_id: str) -> list[SavedSearch]:
        """A person's saved searches, oldest first (their numbers in `watches` are positions in this list)."""
        return [_search(r) for r in self._rows(
            f"SELECT {COLUMNS} FROM saved_searches WHERE user_id = ? ORDER BY id", (user_id,))]

    def remove(self, user_id: str, number: int) -> SavedSearch | None:
        """Remove the user's saved search number `number` (1-based, as `watches` lists them); None if none."""
        searches = self.of_user(user_id)
        if not 1 <= number <= len(searches):
            return None
        search = searches[number - 1]
        self._run("DELETE FROM saved_searches WHERE id = ? AND user_id = ?", (search.id, user_id))
        return search

    def active(self) -> list[SavedSearch]:
        """Every saved search that is not paused."""
        return [_search(r) for r in self._rows(
            f"SELECT {COLUMNS} FROM saved_searches WHERE paused IS NULL ORDER BY id")]

    def pause(self, search_id: int, reason: str) -> None:
        """Stop notifying a search Slack refused (its channel archived, its user gone)."""
        self._run("UPDATE saved_searches SET paused = ? WHERE id = ?", (reason, search_id))

    def claim(self, search_id: int, generation: str) -> bool:
        """True for the one caller that may send this search's notification for this generation."""
        try:
            self._run("INSERT INTO sent_notifications (search_id, generation, sent) VALUES (?, ?, ?)",
                      (search_id, generation, utc_now().isoformat()))
        except sqlite3.IntegrityError:
            return False
        return True

    def release(self, search_id: int, generation: str) -> None:
        """Give a claim back (the send failed for a passing reason): a later run may send it."""
        self._run("DELETE FROM sent_notifications WHERE search_id = ? AND generation = ?", (search_id, generation))


def _search(row: tuple) -> SavedSearch:
    sid, user, channel, question, created, paused, after = row
    return SavedSearch(int(sid), user, channel, question, datetime.fromisoformat(created), paused, int(after))


class RedisClaims:
    """The same claim as WatchStore.claim on a Redis client (redis-py's `set(nx=, ex=)`), shared across hosts."""

    def __init__(self, client: Any, ttl_seconds: int = REDIS_CLAIM_TTL, prefix: str = REDIS_CLAIM_PREFIX):
        self.client = client
        self.ttl = ttl_seconds
        self.prefix = prefix

    def _key(self, search_id: int, generation: str) -> str:
        return f"{self.prefix}{search_id}:{generation}"

    def claim(self, search_id: int, generation: str) -> bool:
        return bool(self.client.set(self._key(search_id, generation), 1, nx=True, ex=self.ttl))

    def release(self, search_id: int, generation: str) -> None:
        self.client.delete(self._key(search_id, generation))
