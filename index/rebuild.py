"""Rebuild the index from the source folders: load, extract, diff, chunk, embed, write, switch, clean up."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence, TextIO

import numpy as np

from config import Settings
from index.chunking import CHUNKING_VERSION, chunk_for_embedding, embedding_text
from index.embedder import Embedder
from index.extract import extract_facts
from index.loaders import load_postings
from index.models import Chunk, Posting, Problem, posting_to_dict
from index.store import IndexStore, Manifest, PostingRecord, StoreUnavailable, make_tag, now_iso, tag_hash

log = logging.getLogger(__name__)

MODEL_MAX_TOKENS = 256  # all-MiniLM-L6-v2 cuts text beyond this many word pieces, [CLS] and [SEP] included
SPECIAL_TOKENS = 2
GROUP_CHUNKS = 4096  # chunks embedded and written together (whole postings; bounds memory)
SLICES_PER_BATCH = 4  # model batches per embed call: how often progress is reported


@dataclass
class RebuildSummary:
    """What a rebuild did; ok is False when it left the previous index in place."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    chunks_embedded: int = 0
    chunks_total: int = 0
    postings_total: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    generation: int = 0
    ok: bool = False
    error: str | None = None

    def to_json(self) -> str:
        """The summary as a JSON object."""
        return json.dumps(asdict(self), indent=2)

    def line(self) -> str:
        """'postings: 24 added, 1 updated, ...; chunks: 130 embedded (150 in index); 41.2 s'."""
        return (
            f"postings: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped} skipped; "
            f"chunks: {self.chunks_embedded} embedded ({self.chunks_total} in index); {self.seconds:.1f} s"
        )


class Progress(Protocol):
    """Told how many chunks will be embedded, then how many more are done."""

    def start(self, total: int) -> None: ...

    def advance(self, done: int) -> None: ...

    def finish(self) -> None: ...


class SilentProgress:
    """Reports nothing."""

    def start(self, total: int) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self) -> None:
        pass


class BarProgress:
    """A tqdm bar with rate and ETA, for a terminal."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.bar = None

    def start(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="chunk", desc="embedding", file=self.stream, dynamic_ncols=True)

    def advance(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(done)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class LogProgress:
    """Plain log lines every few seconds or every 10%: 'embedded 640/2500 chunks, 34 chunks/s, ETA 55 s'."""

    def __init__(self, logger: logging.Logger = log, every_seconds: float = 5.0, every_fraction: float = 0.1,
                 clock: Callable[[], float] = time.monotonic):
        self.logger, self.every_seconds, self.every_fraction, self.clock = logger, every_seconds, every_fraction, clock
        self.total = self.done = 0
        self.started = self.last_time = 0.0
        self.last_done = 0

    def start(self, total: int) -> None:
        self.total, self.done, self.last_done = total, 0, 0
        self.started = self.last_time = self.clock()

    def advance(self, done: int) -> None:
        self.done += done
        now = self.clock()
        step = max(1, int(self.total * self.every_fraction))
        if now - self.last_time >= self.every_seconds or self.done - self.last_done >= step or self.done >= self.total:
            self.last_time, self.last_done = now, self.done
            self.logger.info("%s", self.message(now))

    def message(self, now: float) -> str:
        """The progress line at time `now`."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else float("inf")
        eta_text = f"{eta:.0f} s" if eta != float("inf") else "unknown"
        return f"embedded {self.done}/{self.total} chunks, {rate:.0f} chunks/s, ETA {eta_text}"

    def finish(self) -> None:
        pass


def progress_for(stream: TextIO) -> Progress:
    """A bar when the stream is a terminal, log lines otherwise."""
    isatty = getattr(stream, "isatty", None)
    return BarProgress(stream) if isatty is not None and isatty() else LogProgress()


def record_hash(posting: Posting, max_tokens: int) -> str:
    """A hash of everything stored for a posting (text, columns, facts, source) and of how it is chunked."""
    payload = json.dumps([posting_to_dict(posting), max_tokens, CHUNKING_VERSION], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def chunk_limit(settings: Settings, embedder: Embedder) -> int:
    """Word pieces allowed in one embedded text: the setting, within what the model reads."""
    model_max = int(getattr(embedder, "max_tokens", MODEL_MAX_TOKENS))
    return min(settings.chunk_tokens, model_max - SPECIAL_TOKENS)


def embed_in_order(embedder: Embedder, texts: Sequence[str], batch_size: int, progress: Progress) -> np.ndarray:
    """Embed texts longest first (as the model batches them), reporting progress; rows in input order."""
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    step = batch_size * SLICES_PER_BATCH
    for start in range(0, len(order), step):
        rows = order[start : start + step]
        vectors[rows] = embedder.embed_documents([texts[i] for i in rows])
        progress.advance(len(rows))
    return vectors


@contextmanager
def _rebuild_lock(settings: Settings) -> Iterator[bool]:
    """An exclusive lock on a local index folder (True when held); servers are not locked."""
    if settings.chroma_url:
        yield True
        return
    import fcntl

    path = Path(settings.chroma_path)
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".rebuild.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _with_facts(postings: Sequence[Posting]) -> tuple[list[Posting], list[Problem]]:
    kept, problems = [], []
    for posting in postings:
        try:
            posting.facts = extract_facts(posting)
        except Exception as err:  # a bug on one posting must not stop the rebuild; report it
            log.exception("fact extraction failed for %s", posting.id)
            problems.append(Problem(posting.source, f"fact extraction failed ({type(err).__name__})"))
            continue
        kept.append(posting)
    return kept, problems


def _groups(items: list[tuple[Posting, str, list[Chunk]]]) -> Iterator[list[tuple[Posting, str, list[Chunk]]]]:
    group: list[tuple[Posting, str, list[Chunk]]] = []
    size = 0
    for item in items:
        if group and size + len(item[2]) > GROUP_CHUNKS:
            yield group
            group, size = [], 0
        group.append(item)
        size += len(item[2])
    if group:
        yield group


def rebuild(
    settings: Settings,
    embedder: Embedder,
    store: IndexStore,
    full: bool = False,
    progress: Progress | None = None,
) -> RebuildSummary:
    """Bring the index in line with the source folders; re-embed only new and changed postings (all if full).

    Raises StoreUnavailable when the store fails and KeyboardInterrupt when interrupted; in both
    cases (and whenever the summary is not ok) the previous index stays live and unchanged.
    """
    started = time.monotonic()
    summary = RebuildSummary()
    with _rebuild_lock(settings) as locked:
        if not locked:
            summary.error = "another rebuild of this index is running"
        else:
            _rebuild(settings, embedder, store, full, progress or SilentProgress(), summary)
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


def _rebuild(settings: Settings, embedder: Embedder, store: IndexStore, full: bool, progress: Progress,
             summary: RebuildSummary) -> None:
    missing = [str(d) for d in settings.source_dirs if not Path(d).exists()]
    if missing:
        summary.problems = [str(Problem(d, "source folder does not exist")) for d in missing]
        summary.error = "source folder does not exist: " + ", ".join(missing) + "; the previous index is kept"
        return
    loaded = load_postings(settings.source_dirs, int(settings.max_file_mb * 1e6))
    postings, failed = _with_facts(loaded.postings)  # the loader already drops duplicate ids
    problems = list(loaded.problems) + failed

    limit = chunk_limit(settings, embedder)
    hashes = {p.id: record_hash(p, limit) for p in postings}
    previous = store.read_manifest()
    if previous is not None and previous.dim != embedder.dim:
        summary.problems = [str(p) for p in problems]
        summary.error = (f"the index holds {previous.dim}-dimensional vectors ({previous.model}) but the model makes "
                         f"{embedder.dim}; use another collection prefix or index folder")
        return
    generation = previous.generation + 1 if previous else 1
    reusable = dict(previous.postings) if previous and not full and previous.model == embedder.name else {}
    if previous and previous.model != embedder.name and not full:
        log.info("the index was built with %s; re-embedding everything with %s", previous.model, embedder.name)

    live: dict[str, str] = {}
    to_embed: list[tuple[Posting, str, list[Chunk]]] = []
    for posting in postings:
        old_tag = reusable.get(posting.id)
        if old_tag is not None and tag_hash(old_tag) == hashes[posting.id][:12]:
            live[posting.id] = old_tag
            summary.unchanged += 1
            continue
        chunks = chunk_for_embedding(posting, embedder.count_tokens, limit)
        if not chunks:
            problems.append(Problem(posting.source, f"posting {posting.id!r} has no text to index"))
            continue
        to_embed.append((posting, make_tag(hashes[posting.id], generation), chunks))
        if previous is not None and posting.id in previous.postings:
            summary.updated += 1
        else:
            summary.added += 1

    summary.problems = [str(p) for p in problems]
    summary.skipped = len(problems)
    if not live and not to_embed:
        summary.error = "no usable postings found; the previous index is kept"
        return
    summary.chunks_total = sum(store.chunk_counts(live).values())

    total = sum(len(chunks) for _, _, chunks in to_embed)
    log.info("embedding %d chunks of %d postings (%d unchanged)", total, len(to_embed), len(live))
    progress.start(total)
    try:
        for group in _groups(to_embed):
            texts = [embedding_text(p, c) for p, _, chunks in group for c in chunks]
            vectors = embed_in_order(embedder, texts, settings.embed_batch_size, progress)
            records, row = [], 0
            for posting, tag, chunks in group:
                records.append(PostingRecord(posting, tag, chunks, vectors[row : row + len(chunks)]))
                row += len(chunks)
            store.write_postings(records)
            summary.chunks_embedded += len(texts)
            summary.chunks_total += len(texts)
            live.update((p.id, tag) for p, tag, _ in group)
    finally:
        progress.finish()

    manifest = Manifest(generation, now_iso(), embedder.name, embedder.dim, live)
    summary.removed = len(set(previous.postings) - set(live)) if previous else 0
    if previous is not None and previous.postings == live and previous.model == embedder.name:
        manifest = previous  # nothing changed: keep the generation, so readers need not reload
    else:
        current = store.read_manifest()
        if (current.generation if current else 0) != (previous.generation if previous else 0):
            summary.error = "another rebuild switched the index meanwhile; this one was not applied"
            return
        store.write_manifest(manifest)
    summary.generation = manifest.generation
    summary.postings_total = len(live)
    summary.ok = True
    try:
        deleted = store.collect_garbage(manifest)
        log.info("removed %d old records", deleted)
    except StoreUnavailable as err:
        summary.problems.append(f"old records were not removed ({err}); the next rebuild removes them")
