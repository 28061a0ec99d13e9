"""The answering engine: the index in the store, loaded into an Answerer, reloaded after a rebuild.

A replica that holds an index keeps answering from it while the store cannot be read (answering never
reads the store): a failed reload is logged and counted, the index is reported stale, and the reload is
tried again after a wait that doubles from the reload interval up to a cap. Only a replica that never
loaded an index refuses questions (IndexUnavailable).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from bot.answer import Answer
from bot.answerer import Answerer
from bot.catalog import Catalog
from bot.question import question_languages  # noqa: F401 (part of the engine's public surface)
from index.embedder import Embedder

log = logging.getLogger(__name__)

NOT_BUILT = "The postings index has not been built yet (run `postings-index rebuild`)."
UNAVAILABLE = "The postings index is unavailable right now — try again shortly."


class IndexUnavailable(Exception):
    """The index is missing, empty, or the store cannot be reached; str() is a user-safe reason."""


@dataclass
class IndexStats:
    """How big the index is and when it was built."""

    postings: int
    chunks: int
    built_at: datetime | None
    generation: int
    stale: bool = False  # the last reload failed: answers come from the index loaded before
    stale_seconds: float = 0.0  # while stale: seconds since the store was last read
    stale_notice: bool = False  # stale for longer than the set age: answers say they may be out of date

    def age_seconds(self, now: datetime | None = None) -> float | None:
        """Seconds since the index was built (None when unknown)."""
        if self.built_at is None:
            return None
        return max(0.0, ((now or datetime.now(timezone.utc)) - self.built_at).total_seconds())


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a catalog is built or loaded, and what it made frozen out of the
    collector before it runs again. A catalog is millions of long-lived objects at 100k postings: every full
    collection meanwhile would walk all of them again (unpickling 100k postings: 18 s with the collector
    running, 3.7 s without), and a full collection later would stall a question for ~0.8 s (or take 4–5 s
    right after the load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()


def retry_delay(interval: float, failures: int, cap: float) -> float:
    """The wait before the next reload after `failures` failed ones in a row: interval, 2x, 4x, ... at most cap."""
    if failures <= 0:
        return interval
    return min(interval * 2 ** min(failures - 1, 32), max(cap, interval))


class Engine:
    """An Answerer over the index in the store, reloaded when a rebuild switches the manifest."""

    def __init__(self, store, embedder: Embedder, top_k: int = 5, reload_interval: float = 30.0, *,
                 reload_backoff_max: float = 300.0, stale_answer_age: float = 86400.0,
                 clock: Callable[[], float] = time.monotonic, snapshots=None):
        """reload_interval: seconds between checks for a rebuilt index (0: only when reload() is called);
        reload_backoff_max: the longest wait between retries while reloads fail; stale_answer_age: how long
        the store may go unread before answers say they may be out of date (0: never); clock: monotonic;
        snapshots: a bot.snapshot.Snapshots to load each generation from (and save it to), or None."""
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.reload_interval = reload_interval
        self.reload_backoff_max = reload_backoff_max
        self.stale_answer_age = stale_answer_age
        self._clock = clock
        self.snapshots = snapshots
        self._untold = False  # loaded from a snapshot without the store: saved searches not yet told of it
        self._answerer: Answerer | None = None
        self._manifest = None
        self._next_check = 0.0
        self._lock = threading.Lock()
        self._reloading = threading.Lock()  # one reload at a time; questions never wait for one
        self._error: str | None = None
        self._failures = 0  # failed reloads in a row
        self._failures_total = 0
        self._read_at: float | None = None  # when the store was last read (clock time)
        self._on_generation: list[Callable[[Catalog, object], None]] = []  # told of each generation loaded
        self.reload()

    def reload(self) -> bool:
        """Load the index the store's manifest names; False when there is none or it cannot be read."""
        with self._reloading:
            return self._reload()

    def reload_failures(self) -> int:
        """Reloads that failed because the store could not be read, since the start."""
        return self._failures_total

    def _reload(self) -> bool:
        from index.store import StoreUnavailable

        try:
            manifest = self.store.read_manifest()
            if manifest is None:
                self._read(NOT_BUILT)
                return False
            if self._answerer and self._manifest is not None and (manifest.generation, manifest.built_at) == (
                    self._manifest.generation, self._manifest.built_at):  # a lost index rebuilt anew restarts at 1
                self._read(None)
                if self._untold:  # started from a snapshot while the store was down: now it is confirmed
                    self._untold = False
                    for callback in list(self._on_generation):
                        self._tell(callback, self._answerer.catalog, manifest)
                return True
            started = time.perf_counter()
            with gc_paused():
                catalog, source = self._snapshot(manifest), "snapshot"
                if catalog is None:
                    if self.snapshots is not None:  # from the previous generation's snapshot and what changed
                        catalog, source = self.snapshots.build(self.store, manifest), "store"
                    else:
                        catalog, source = Catalog.from_store(self.store, manifest), "store"
                    if self.snapshots is not None and self.snapshots.save(catalog, manifest) is not None:
                        # answer from the snapshot just written, as a restarted replica would: the catalog built
                        # from the store (Python objects, ~4.7 GB at 100k postings) is then let go
                        catalog, source = self._snapshot(manifest) or catalog, "store, then its new snapshot"
        except StoreUnavailable as err:
            if self._answerer is None:
                self._start_from_snapshot()
            self._failed(err)
            return False
        self._install(catalog, manifest, untold=False)
        self._read(None)
        log.info("loaded index generation %s from the %s: %d postings, %d chunks in %.2f s", manifest.generation,
                 source, len(catalog.postings), catalog.chunk_count, time.perf_counter() - started)
        for callback in list(self._on_generation):
            self._tell(callback, catalog, manifest)
        return True

    def _start_from_snapshot(self) -> None:
        """A replica that starts while the store cannot be read answers from the newest local snapshot of that
        store (stale, as any replica whose store went away) rather than refusing every question."""
        with gc_paused():
            found = self.snapshots.latest() if self.snapshots is not None else None
        if found is None:
            return
        catalog, manifest = found
        self._install(catalog, manifest, untold=True)
        log.warning("the index store cannot be read: answering from the local snapshot of generation %s (stale) "
                    "until it can", manifest.generation)  # saved searches wait for a generation read from the store

    def _install(self, catalog: Catalog, manifest, untold: bool) -> None:
        """Answer from this catalog from now on; untold: saved searches are not yet told of its generation."""
        model = getattr(manifest, "model", None)
        if isinstance(model, str) and model != self.embedder.name and (
                self._manifest is None or getattr(self._manifest, "model", None) != model):
            log.warning("the index was embedded by %s but questions are embedded by %s: searches compare vectors "
                        "of two models; set POSTINGS_EMBED_BACKEND (or POSTINGS_MODEL_PATH) as the rebuild had it",
                        model, self.embedder.name)
        with self._lock:
            self._answerer = Answerer(catalog, self.embedder, self.top_k)
            self._manifest = manifest
            self._untold = untold

    def _snapshot(self, manifest) -> Catalog | None:
        """The catalog from the generation's snapshot, or None (none, another generation's, or damaged)."""
        return self.snapshots.load(manifest) if self.snapshots is not None else None

    def on_new_generation(self, callback: Callable[[Catalog, object], None]) -> None:
        """Call callback(catalog, manifest) for the generation loaded now (if any) and each one loaded later
        (saved searches are matched there: bot/watch.py); its exceptions are logged, never raised."""
        self._on_generation.append(callback)
        answerer, manifest = self._answerer, self._manifest
        if answerer is not None and manifest is not None and not self._untold:
            self._tell(callback, answerer.catalog, manifest)

    @staticmethod
    def _tell(callback: Callable[[Catalog, object], None], catalog: Catalog, manifest) -> None:
        try:
            callback(catalog, manifest)
        except Exception:
            log.exception("new-generation callback %s failed", getattr(callback, "__name__", callback))

    def _read(self, error: str | None) -> None:
        """The store was read: reloads are on the plain interval again."""
        if self._failures:
            log.info("index store readable again after %d failed reloads", self._failures)
        self._failures = 0
        self._error = error
        self._read_at = self._clock()
        self._next_check = self._read_at + self.reload_interval

    def _failed(self, err: Exception) -> None:
        """The store could not be read: keep the index held, count it, and wait longer before the next try."""
        self._failures += 1
        self._failures_total += 1
        delay = retry_delay(self.reload_interval, self._failures, self.reload_backoff_max)
        self._next_check = self._clock() + delay
        if self._answerer is None:
            self._error = UNAVAILABLE
            log.warning("index reload failed: %s; no index loaded yet, next try in %.1f s", err, delay)
        else:
            log.warning("index reload failed: %s; still answering from generation %s (stale), next try in %.1f s",
                        err, self._manifest.generation, delay)

    def _current(self) -> Answerer:
        if self.reload_interval and self._clock() >= self._next_check and self._reloading.acquire(blocking=False):
            try:  # only one thread reloads; the others answer from the index they have meanwhile
                if self._clock() >= self._next_check:
                    self._reload()
            finally:
                self._reloading.release()
        answerer = self._answerer
        if answerer is None:
            raise IndexUnavailable(self._error or NOT_BUILT)
        return answerer

    def catalog(self) -> Catalog:
        """The loaded catalog (saved searches are read against it); raises IndexUnavailable without one."""
        return self._current().catalog

    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        """Answer a question; raises IndexUnavailable when there is no usable index."""
        return self._current().ask(question, context_posting_ids)

    def stats(self) -> IndexStats:
        """Postings and chunks in the loaded index, and when it was built."""
        answerer = self._current()
        built = None
        if self._manifest is not None and self._manifest.built_at:
            try:
                built = datetime.fromisoformat(self._manifest.built_at)
                if built.tzinfo is None:
                    built = built.replace(tzinfo=timezone.utc)
            except ValueError:
                built = None
        stale = self._failures > 0
        stale_seconds = max(0.0, self._clock() - self._read_at) if stale and self._read_at is not None else 0.0
        return IndexStats(
            postings=len(answerer.catalog.postings), chunks=answerer.catalog.chunk_count, built_at=built,
            generation=self._manifest.generation if self._manifest else 0, stale=stale, stale_seconds=stale_seconds,
            stale_notice=stale and self.stale_answer_age > 0 and stale_seconds >= self.stale_answer_age,
        )


# asked once per loaded generation by a serving replica, so that what answering builds on first use (the title
# index, the typo tables, the place and currency vocabularies) is built before the first user asks
WARM_UP_QUESTIONS = ("which engineer roles are remote?", "full-time nurse jobs in Austin over $100k, no degree",
                     "what does the engineer role at the company pay?", "remot developr jobs in Ohio")


def warm_up(engine: "Engine") -> threading.Thread:
    """Ask WARM_UP_QUESTIONS in a background thread (answers dropped; a failure is logged, not raised)."""

    def run() -> None:
        started = time.perf_counter()
        for question in WARM_UP_QUESTIONS:
            try:
                engine.ask(question)
            except Exception as err:  # noqa: BLE001 (a warm-up never breaks serving)
                log.debug("warm-up question failed: %s: %s", type(err).__name__, err)
        log.info("answering warmed up in %.1f s", time.perf_counter() - started)

    thread = threading.Thread(target=run, name="warm-up", daemon=True)
    thread.start()
    return thread


def build_engine(settings, embedder: Embedder | None = None) -> Engine:
    """Build the engine from settings: open the store and load the index, now.

    The model (unless an embedder is given) is loaded on the first question that embeds, or earlier by
    `load_in_background`: its name and dimension come from its folder's config files, so a fact or list
    question never imports torch, and with the NumPy query embedder (the default) no question does. A model
    folder whose layout those files do not settle is loaded now, with sentence-transformers.
    """
    from bot.snapshot import Snapshots
    from index.embedder import lazy_int8_embedder, lazy_query_embedder
    from index.store import IndexStore, store_identity
    from index.store_peek import PeekingIndexStore

    if embedder is None:
        # one short question at a time: one thread is as fast and does not fight the HTTP threads for cores;
        # the NumPy model (settings.query_embedder) gives the same vectors without importing torch
        # (with the int8 backend, questions are embedded by the model that embedded the index)
        embedder = (lazy_int8_embedder(settings.embed_batch_size, settings.embed_threads or 1)
                    if settings.embed_backend == "onnx-int8" else
                    lazy_query_embedder(settings.query_embedder, settings.model_path, settings.embed_batch_size,
                                        settings.embed_threads or 1))
    # a local folder's Chroma client is opened when something needs it: a question answered from the snapshot
    # reads only the manifest, from Chroma's SQLite file (index/store_peek.py), and never imports chromadb
    store = IndexStore.open(settings) if settings.chroma_url else PeekingIndexStore(settings)
    snapshots = Snapshots(settings.snapshot_dir, store_identity(settings)) if settings.snapshots else None
    return Engine(store, embedder, top_k=settings.top_k, reload_interval=settings.reload_interval_seconds,
                  reload_backoff_max=settings.reload_backoff_max_seconds,
                  stale_answer_age=settings.stale_answer_age_seconds, snapshots=snapshots)
