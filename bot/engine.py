"""The answering engine: the index in the store, loaded into an Answerer, reloaded after a rebuild."""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Sequence

from bot.answer import Answer
from bot.answerer import Answerer
from bot.catalog import Catalog
from bot.question import question_languages  # noqa: F401 (part of the engine's public surface)
from index.embedder import Embedder

log = logging.getLogger(__name__)


class IndexUnavailable(Exception):
    """The index is missing, empty, or the store cannot be reached; str() is a user-safe reason."""


@dataclass
class IndexStats:
    """How big the index is and when it was built."""

    postings: int
    chunks: int
    built_at: datetime | None
    generation: int


class Engine:
    """An Answerer over the index in the store, reloaded when a rebuild switches the manifest."""

    def __init__(self, store, embedder: Embedder, top_k: int = 5, reload_interval: float = 30.0):
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.reload_interval = reload_interval
        self._answerer: Answerer | None = None
        self._manifest = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._error: str | None = None
        self.reload()

    def reload(self) -> bool:
        """Load the index the store's manifest names; False when there is none or it cannot be read."""
        from index.store import StoreUnavailable

        try:
            manifest = self.store.read_manifest()
            self._checked = time.monotonic()
            if manifest is None:
                self._error = "The postings index has not been built yet (run `postings-index rebuild`)."
                return False
            if self._answerer and self._manifest is not None and (manifest.generation, manifest.built_at) == (
                    self._manifest.generation, self._manifest.built_at):  # a lost index rebuilt anew restarts at 1
                self._error = None
                return True
            started = time.perf_counter()
            postings = self.store.read_postings(manifest)
            chunks, vectors = self.store.read_chunks(manifest)
        except StoreUnavailable as err:
            log.warning("index store unavailable: %s", err)
            self._checked = time.monotonic()
            self._error = "The postings index is unavailable right now — try again shortly."
            return False
        catalog = Catalog(postings, [c.posting_id for c in chunks], [c.text for c in chunks], vectors,
                          chunk_ids=[c.id for c in chunks])
        # a loaded catalog is a million long-lived objects at 100k postings: freeze them out of the
        # cyclic collector, whose full passes would otherwise stall a question for ~0.8 s now and then
        gc.collect()
        gc.freeze()
        with self._lock:
            self._answerer = Answerer(catalog, self.embedder, self.top_k)
            self._manifest = manifest
            self._error = None
        log.info("loaded index generation %s: %d postings, %d chunks in %.2f s", manifest.generation,
                 len(postings), catalog.chunk_count, time.perf_counter() - started)
        return True

    def _current(self) -> Answerer:
        if self.reload_interval and time.monotonic() - self._checked >= self.reload_interval:
            self.reload()
        if self._error and (self._answerer is None or "unavailable" in self._error):
            raise IndexUnavailable(self._error)
        if self._answerer is None:
            raise IndexUnavailable("The postings index has not been built yet (run `postings-index rebuild`).")
        return self._answerer

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
        return IndexStats(
            postings=len(answerer.catalog.postings), chunks=answerer.catalog.chunk_count, built_at=built,
            generation=self._manifest.generation if self._manifest else 0,
        )


def build_engine(settings, embedder: Embedder | None = None) -> Engine:
    """Build the engine from settings: open the store, load the model (unless given) and the index, now."""
    from index.embedder import SentenceTransformerEmbedder
    from index.store import IndexStore

    if embedder is None:
        # one short question at a time: one thread is as fast and does not fight the HTTP threads for cores
        embedder = SentenceTransformerEmbedder(settings.model_path, settings.embed_batch_size,
                                               settings.embed_threads or 1)
    store = IndexStore.open(settings)
    return Engine(store, embedder, top_k=settings.top_k, reload_interval=settings.reload_interval_seconds)
