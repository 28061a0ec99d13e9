"""Saved searches and the notifications sent for them, with exactly-once claims: one protocol (WatchStorage), two
databases sharing their SQL (SQLite here, WatchStore on stdlib sqlite3; PostgreSQL in bot/watch_pg.py, psycopg).

A notification is claimed before it is sent: an INSERT of (search, generation) that is refused when the row
exists, so two replicas sharing the database (or one run repeated) send it once. A claim has a state:
'claimed' (with a lease: `lease_until`) until the message is posted, then 'sent'. A claim still 'claimed' after
its lease (its replica crashed mid-notification, or its send failed) is taken over by a later run, which first
looks for the message in Slack (the notifier tags it with message metadata) so that a crash after Slack took
the post but before 'sent' was recorded does not send it twice. With POSTINGS_REDIS_URL a Redis `SET NX` with
the same lease is claimed as well (RedisClaims), for replicas that do not share a database.

`posting_versions` is the watch side's own diff of the catalog: each posting id's content hash and the
generation in which it last changed, so that a rebuild that re-writes unchanged postings (`rebuild --full`,
a new model, new extraction code) notifies nobody.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Protocol

CLAIM_LEASE_SECONDS = 120.0  # a claim not marked sent within this is taken over (a send takes seconds)
BASELINE = "baseline"  # changed_in of the postings already in the catalog when the watch side first saw it

# The SQL both databases run, in SQLite's `?` placeholders (bot/watch_pg.py turns them into psycopg's `%s`).
SCHEMA = """
CREATE TABLE IF NOT EXISTS saved_searches (
    id {id_column},
    user_id TEXT NOT NULL,
    channel_id TEXT,             -- NULL: the user's DM
    question TEXT NOT NULL,
    created TEXT NOT NULL,       -- ISO 8601, UTC
    paused TEXT,                 -- NULL, or why Slack refused a notification (channel_not_found, ...)
    after_generation INTEGER NOT NULL DEFAULT 0  -- the generation loaded when it was saved: only later ones notify
);
CREATE INDEX IF NOT EXISTS saved_searches_user ON saved_searches (user_id, id);
CREATE TABLE IF NOT EXISTS notifications (
    search_id BIGINT NOT NULL,
    generation TEXT NOT NULL,    -- the index generation and its build time: a lost index restarts at 1
    state TEXT NOT NULL,         -- 'claimed' (being sent), 'sent'
    first_claimed DOUBLE PRECISION NOT NULL,  -- epoch seconds: the earliest the message can have been posted
    lease_until DOUBLE PRECISION NOT NULL,    -- a 'claimed' row past this may be taken over
    attempts INTEGER NOT NULL DEFAULT 1,
    posting_ids TEXT NOT NULL DEFAULT '[]',   -- the matches, in order (JSON): what the More button pages through
    sent_at TEXT,
    message_ts TEXT,
    PRIMARY KEY (search_id, generation)
);
CREATE TABLE IF NOT EXISTS posting_versions (
    posting_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    changed_in TEXT NOT NULL     -- the generation key in which this content first appeared, or 'baseline'
);
CREATE INDEX IF NOT EXISTS posting_versions_changed ON posting_versions (changed_in);
"""

COLUMNS = "id, user_id, channel_id, question, created, paused, after_generation"
INSERT_SEARCH = ("INSERT INTO saved_searches (user_id, channel_id, question, created, after_generation) "
                 "VALUES (?, ?, ?, ?, ?) RETURNING id")
OF_USER = f"SELECT {COLUMNS} FROM saved_searches WHERE user_id = ? ORDER BY id"
BY_ID = f"SELECT {COLUMNS} FROM saved_searches WHERE id = ?"
ACTIVE = f"SELECT {COLUMNS} FROM saved_searches WHERE paused IS NULL ORDER BY id"
DELETE_SEARCH = "DELETE FROM saved_searches WHERE id = ? AND user_id = ?"
PAUSE = "UPDATE saved_searches SET paused = ? WHERE id = ?"
# A new row is a first claim; an existing one is taken over only while 'claimed' and past its lease.
CLAIM = """
INSERT INTO notifications (search_id, generation, state, first_claimed, lease_until, attempts, posting_ids)
VALUES (?, ?, 'claimed', ?, ?, 1, ?)
ON CONFLICT (search_id, generation) DO UPDATE SET lease_until = excluded.lease_until,
    attempts = notifications.attempts + 1
WHERE notifications.state = 'claimed' AND notifications.lease_until <= ?
RETURNING attempts, first_claimed, posting_ids
"""
CLAIM_STATE = "SELECT state, lease_until FROM notifications WHERE search_id = ? AND generation = ?"
RELEASE = ("UPDATE notifications SET lease_until = 0 WHERE search_id = ? AND generation = ? "
           "AND state = 'claimed'")
MARK_SENT = ("UPDATE notifications SET state = 'sent', sent_at = ?, message_ts = ? "
             "WHERE search_id = ? AND generation = ?")
NOTIFIED = "SELECT posting_ids FROM notifications WHERE search_id = ? AND generation = ?"
ANY_VERSION = "SELECT 1 FROM posting_versions LIMIT 1"
# A posting's row changes (and names this generation) only when its content hash differs from the one seen.
RECORD_VERSION = """
INSERT INTO posting_versions (posting_id, content_hash, changed_in) VALUES (?, ?, ?)
ON CONFLICT (posting_id) DO UPDATE SET content_hash = excluded.content_hash, changed_in = excluded.changed_in
WHERE posting_versions.content_hash <> excluded.content_hash
"""
CHANGED_IN = "SELECT posting_id FROM posting_versions WHERE changed_in = ?"


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


@dataclass(frozen=True)
class Claim:
    """The answer to a claim: granted or not; when granted after a crash or a failure (`taken_over`), the
    message may already be in Slack, posted no earlier than `first_claimed`; `held` when another run holds a
    live claim (it may still fail: look again after the lease)."""

    granted: bool
    taken_over: bool = False
    first_claimed: float = 0.0
    posting_ids: list[str] = field(default_factory=list)
    held: bool = False


class WatchStorage(Protocol):
    """What the notifier and the Slack side need of a store (WatchStore: SQLite; bot.watch_pg.PostgresWatchStore)."""

    def add(self, user_id: str, channel_id: str | None, question: str,
            after_generation: int = 0) -> SavedSearch: ...
    def of_user(self, user_id: str) -> list[SavedSearch]: ...
    def get(self, search_id: int) -> SavedSearch | None: ...
    def remove(self, user_id: str, number: int) -> SavedSearch | None: ...
    def active(self) -> list[SavedSearch]: ...
    def pause(self, search_id: int, reason: str) -> None: ...
    def claim(self, search_id: int, generation: str, posting_ids: Iterable[str] = (), now: float | None = None,
              lease: float = CLAIM_LEASE_SECONDS) -> Claim: ...
    def release(self, search_id: int, generation: str) -> None: ...
    def mark_sent(self, search_id: int, generation: str, message_ts: str | None = None) -> None: ...
    def notified_postings(self, search_id: int, generation: str) -> list[str] | None: ...
    def changed_postings(self, versions: dict[str, str], generation: str, written: Iterable[str]) -> set[str]: ...


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class SqlWatchStore:
    """The store on any database that runs SCHEMA's SQL: subclasses give _execute (one statement in one
    transaction, its rows returned) and _execute_many."""

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple]:
        raise NotImplementedError

    def _execute_many(self, sql: str, rows: list[tuple]) -> None:
        raise NotImplementedError

    def add(self, user_id: str, channel_id: str | None, question: str, after_generation: int = 0) -> SavedSearch:
        """Save a search; channel_id None sends its notifications to the user's DM; only generations after
        `after_generation` (the one loaded now) are matched against it."""
        created = utc_now()
        (row,) = self._execute(INSERT_SEARCH, (user_id, channel_id, question, created.isoformat(), after_generation))
        return SavedSearch(int(row[0]), user_id, channel_id, question, created, None, after_generation)

    def of_user(self, user_id: str) -> list[SavedSearch]:
        """A person's saved searches, oldest first (their numbers in `watches` are positions in this list)."""
        return [_search(r) for r in self._execute(OF_USER, (user_id,))]

    def get(self, search_id: int) -> SavedSearch | None:
        """One saved search by its id; None once removed."""
        rows = self._execute(BY_ID, (search_id,))
        return _search(rows[0]) if rows else None

    def remove(self, user_id: str, number: int) -> SavedSearch | None:
        """Remove the user's saved search number `number` (1-based, as `watches` lists them); None if none."""
        searches = self.of_user(user_id)
        if not 1 <= number <= len(searches):
            return None
        search = searches[number - 1]
        self._execute(DELETE_SEARCH, (search.id, user_id))
        return search

    def active(self) -> list[SavedSearch]:
        """Every saved search that is not paused."""
        return [_search(r) for r in self._execute(ACTIVE)]

    def pause(self, search_id: int, reason: str) -> None:
        """Stop notifying a search Slack refused (its channel archived, its user gone)."""
        self._execute(PAUSE, (reason, search_id))

    def claim(self, search_id: int, generation: str, posting_ids: Iterable[str] = (), now: float | None = None,
              lease: float = CLAIM_LEASE_SECONDS) -> Claim:
        """Claim this search's notification for this generation: granted to one caller at a time, and never once
        it is sent. `posting_ids` (the matches) are kept with the first claim; a takeover returns those."""
        now = time.time() if now is None else now
        rows = self._execute(CLAIM, (search_id, generation, now, now + lease,
                                     json.dumps(list(posting_ids)), now))
        if rows:
            attempts, first_claimed, ids = rows[0]
            return Claim(True, int(attempts) > 1, float(first_claimed), json.loads(ids))
        state = self._execute(CLAIM_STATE, (search_id, generation))
        return Claim(False, held=bool(state) and state[0][0] == "claimed")

    def release(self, search_id: int, generation: str) -> None:
        """Give a claim back (the send failed or another claimer refused): the next run takes it over, looking
        in Slack first in case the failed send was posted after all."""
        self._execute(RELEASE, (search_id, generation))

    def mark_sent(self, search_id: int, generation: str, message_ts: str | None = None) -> None:
        """Record that the notification is in Slack: it is never sent again."""
        self._execute(MARK_SENT, (utc_now().isoformat(), message_ts, search_id, generation))

    def notified_postings(self, search_id: int, generation: str) -> list[str] | None:
        """The posting ids a notification listed (all its matches, beyond the cap); None when there is none."""
        rows = self._execute(NOTIFIED, (search_id, generation))
        return [str(i) for i in json.loads(rows[0][0])] if rows else None

    def changed_postings(self, versions: dict[str, str], generation: str, written: Iterable[str]) -> set[str]:
        """Record the catalog's content hashes (posting id -> hash) for a generation; return the ids whose content
        is new or changed in it. The first time (nothing recorded yet) the postings the generation wrote
        (`written`, from the manifest's tags) count as changed and the others are the baseline.

        Any replica may call it for the same generation, before or after another: a posting keeps the
        generation its content changed in, so each gets the same answer."""
        first_time = not self._execute(ANY_VERSION)
        written = set(written)
        rows = [(pid, digest, generation if not first_time or pid in written else BASELINE)
                for pid, digest in versions.items()]
        if rows:
            self._execute_many(RECORD_VERSION, rows)
        return {str(r[0]) for r in self._execute(CHANGED_IN, (generation,))} & versions.keys()


class WatchStore(SqlWatchStore):
    """Saved searches and notifications in one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._lock, closing(self._connect()) as db, db:
            db.executescript(SCHEMA.format(id_column="INTEGER PRIMARY KEY AUTOINCREMENT"))
            _carry_over_first_slice(db)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10.0)
        db.execute("PRAGMA busy_timeout = 10000")
        return db

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple]:
        with self._lock, closing(self._connect()) as db, db:
            return db.execute(sql, args).fetchall()

    def _execute_many(self, sql: str, rows: list[tuple]) -> None:
        with self._lock, closing(self._connect()) as db, db:
            db.executemany(sql, rows)


def _carry_over_first_slice(db: sqlite3.Connection) -> None:
    """Files written before claims had a state kept them in `sent_notifications`: those were sent."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sent_notifications'").fetchone():
        db.execute("INSERT OR IGNORE INTO notifications (search_id, generation, state, first_claimed, lease_until) "
                   "SELECT search_id, generation, 'sent', 0, 0 FROM sent_notifications")
        db.execute("DROP TABLE sent_notifications")


def _search(row: tuple) -> SavedSearch:
    sid, user, channel, question, created, paused, after = row
    return SavedSearch(int(sid), user, channel, question, datetime.fromisoformat(created), paused, int(after))


_OPEN: dict[str, WatchStorage] = {}
_OPEN_LOCK = threading.Lock()


def open_store(settings: Any) -> WatchStorage:
    """The store the settings name: PostgreSQL with POSTINGS_DATABASE_URL, else SQLite at POSTINGS_STATE_PATH
    (default: beside the index). A PostgreSQL store is opened once per URL and shared (one connection, its
    schema checked once), not per command."""
    url = getattr(settings, "database_url", None)
    if url is not None and url.get_secret_value():
        from bot.watch_pg import PostgresWatchStore

        with _OPEN_LOCK:
            store = _OPEN.get(url.get_secret_value())
            if store is None:  # it reconnects by itself when the server dropped its connection
                store = _OPEN[url.get_secret_value()] = PostgresWatchStore(url.get_secret_value())
            return store
    return WatchStore(settings.state_file)


REDIS_CLAIM_PREFIX = "postings:watch:"
REDIS_CLAIM_TTL = 30 * 86400


class RedisClaims:
    """The same claim as the store's on a Redis client (redis-py's `set(nx=, ex=)`), shared across hosts: a key
    set NX with the lease while sending, rewritten 'sent' for 30 days once sent; a second key remembers that a
    claim was ever made, so that a later claim knows it takes over and looks in Slack first."""

    def __init__(self, client: Any, ttl_seconds: int = REDIS_CLAIM_TTL, prefix: str = REDIS_CLAIM_PREFIX):
        self.client = client
        self.ttl = ttl_seconds
        self.prefix = prefix

    def _key(self, search_id: int, generation: str) -> str:
        return f"{self.prefix}{search_id}:{generation}"

    def claim(self, search_id: int, generation: str, posting_ids: Iterable[str] = (), now: float | None = None,
              lease: float = CLAIM_LEASE_SECONDS) -> Claim:
        key = self._key(search_id, generation)
        if not self.client.set(key, "claimed", nx=True, px=max(1, int(lease * 1000))):
            value = self.client.get(key)
            return Claim(False, held=value not in (b"sent", "sent"))
        first = bool(self.client.set(key + ":tried", now or time.time(), nx=True, ex=self.ttl))
        return Claim(True, taken_over=not first, first_claimed=float(self.client.get(key + ":tried") or 0))

    def release(self, search_id: int, generation: str) -> None:
        self.client.delete(self._key(search_id, generation))

    def mark_sent(self, search_id: int, generation: str, message_ts: str | None = None) -> None:
        self.client.set(self._key(search_id, generation), "sent", ex=self.ttl)
