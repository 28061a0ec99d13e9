"""Rebuild the index from the source folders: load, extract, diff, chunk, embed, write, switch, clean up."""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import logging
import os
import queue
import threading
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
from index.load_memo import LoadMemo
from index.loaders import load_postings
from index.lock import LockState, hold
from index.models import Chunk, Posting, Problem
from index.prepare import GAP_FACTS, Extracted, Extraction, extraction_gaps, use_worker  # noqa: F401
from index.store import IndexStore, Manifest, PostingRecord, StoreUnavailable, make_tag, now_iso, tag_hash
from index.write_process import ProcessWriter

log = logging.getLogger(__name__)

MODEL_MAX_TOKENS = 256  # all-MiniLM-L6-v2 cuts text beyond this many word pieces, [CLS] and [SEP] included
SPECIAL_TOKENS = 2
EXTRACTION_MODULES = ("index.extract", "index.languages", "index.text", "index.models", "index.money",
                      "index.cues", "index.worktypes", "index.facts.common", "index.facts.degree", "index.facts.employment",
                      "index.facts.german", "index.facts.languages", "index.facts.location", "index.facts.remote",
                      "index.facts.salary", "index.facts.years")
GROUP_CHUNKS = 4096  # chunks embedded (or copied) and written together (whole postings; bounds memory)
OVERLAP_GROUP_CHUNKS = 512  # the same when a writer thread writes each group while the next one is embedded
SLICES_PER_BATCH = 4  # model batches per embed call: how often progress is reported
# From this many chunks to embed, a child process writes them (index/write_process.py). Fewer are written here:
# the child's start and its own load of Chroma's index (seconds at 100k postings) would cost more than the overlap.
PROCESS_WRITE_MIN_CHUNKS = 8192


GAP_IDS_SHOWN = 5  # ids listed per fact in the text line (the JSON lists them all)


def quote_name(name: str) -> str:
    """A file name or id as it may be printed on one line: as it is when printable, else quoted with escapes."""
    return name if name.isprintable() and '"' not in name else json.dumps(name)


CUT = "cut to its first"  # in the problem line of a posting indexed without the end of its text


def problem_label(line: str) -> str:
    """'cut' for a posting indexed without the end of its text, 'skipped' for input left out."""
    return "cut" if f" {CUT} " in line else "skipped"


def problem_line(problem: Problem) -> str:
    """'path (row 3): reason' on one line, the path quoted when it holds control characters (a newline in a
    file name must not forge a line of the summary)."""
    where = quote_name(problem.path) + (f" (row {problem.row})" if problem.row is not None else "")
    reason = problem.reason if problem.reason.isprintable() else json.dumps(problem.reason)[1:-1]
    return f"{where}: {reason}"


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
    busy: bool = False  # refused or not applied because another rebuild ran: try again later (not a failure)
    started_at: str = ""  # ISO UTC, set by the command line
    finished_at: str = ""
    # where extraction fails: per fact (salary, experience_years, degree), the ids of postings whose text
    # speaks of it (index/cues.py) but from which no value was extracted
    extraction_gaps: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> str:
        """The summary as a JSON object."""
        return json.dumps(asdict(self), indent=2)

    def line(self) -> str:
        """'postings: 24 added, 1 updated, ...; chunks: 130 embedded (150 in index); 41.2 s'."""
        return (
            f"postings: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped} skipped; "
            f"chunks: {self.chunks_embedded} embedded ({self.chunks_total} in index); {self.seconds:.1f} s"
        ) + self.gaps_line()

    def gaps_line(self) -> str:
        """'; a cue but no value: salary 3 (p1, p7, p9), degree 1 (p4)' — empty when extraction missed nothing."""
        parts = []
        for fact in GAP_FACTS:
            ids = self.extraction_gaps.get(fact) or []
            if ids:
                shown = ", ".join(quote_name(i) for i in ids[:GAP_IDS_SHOWN])
                shown += ", …" if len(ids) > GAP_IDS_SHOWN else ""
                parts.append(f"{fact} {len(ids)} ({shown})")
        return "; a cue but no value: " + ", ".join(parts) if parts else ""


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


@functools.cache
def extraction_fingerprint() -> str:
    """A hash of the fact-extraction code: when it changes, every posting's facts are extracted again."""
    digest = hashlib.sha256()
    for name in EXTRACTION_MODULES:
        digest.update(Path(importlib.import_module(name).__file__ or name).read_bytes())
    return digest.hexdigest()


DEFAULT_MAX_CHUNKS = Settings.model_fields["max_chunks_per_posting"].default


def _chunking(max_tokens: int, max_chunks: int) -> list:
    """How postings are chunked, as the hashes below take it (the default cap on chunks is left out)."""
    return [max_tokens, CHUNKING_VERSION, *([] if max_chunks == DEFAULT_MAX_CHUNKS else [max_chunks])]


def text_hash(posting: Posting, max_tokens: int, max_chunks: int = DEFAULT_MAX_CHUNKS) -> str:
    """A hash of what is embedded for a posting: its title, company and text, and how they are chunked
    (another cap on chunks than the default re-embeds, so that cuts follow it)."""
    payload = json.dumps([posting.title, posting.company, posting.text, *_chunking(max_tokens, max_chunks)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record_hash(posting: Posting, max_tokens: int, max_chunks: int = DEFAULT_MAX_CHUNKS) -> str:
    """A hash of everything stored for a posting: content, source, chunking and the fact-extraction code.

    It is computed before facts are extracted, so unchanged postings are neither extracted nor embedded. The
    content hash covers what text_hash covers (title, company, text), so the text is hashed once here: with the
    chunking settings text_hash adds, not text_hash itself (this runs for every posting of every rebuild).
    """
    payload = json.dumps([posting.content_hash, posting.id, posting.source, *_chunking(max_tokens, max_chunks),
                          extraction_fingerprint()])
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
def _rebuild_lock(settings: Settings) -> Iterator[LockState]:
    """The exclusive lock of a local index folder (true when held; index/lock.py); servers are not locked."""
    if settings.chroma_url:
        yield LockState(True)
        return
    with hold(Path(settings.chroma_path)) as state:
        yield state


@dataclass
class _Work:
    """A new or changed posting: its new tag, and either its old version's vectors to keep or chunks to embed."""

    posting: Posting
    tag: str
    text_hash: str
    old_tag: str | None = None  # set when the embedded text is unchanged: the old vectors are kept
    chunks: list[Chunk] = field(default_factory=list)


def overlap_writes(settings: Settings) -> bool:
    """Whether to write records on a thread while embedding: only when the model leaves a core free.

    Measured on 2 cores with torch on both: writing 1,700 records while embedding made the two together
    no faster (4.24 s against 4.17 s one after the other), as the writer slows every model batch.
    """
    return 0 < settings.embed_threads < (os.cpu_count() or 1)


class InlineWriter:
    """The BackgroundWriter's interface, writing each batch at once on the calling thread."""

    def __init__(self, write: Callable[[list[PostingRecord]], None]):
        self._write = write

    def put(self, records: list[PostingRecord]) -> None:
        """Write a batch now."""
        self._write(records)

    def close(self) -> None:
        """Nothing is pending."""

    def stop(self) -> None:
        """Nothing is pending."""


class BackgroundWriter:
    """Calls write(records) for each put batch, in order, on one background thread.

    put raises the writer's failure (if any) instead of queueing more; close waits for every write and
    raises the first failure; stop (always call it, e.g. in a finally) discards what is not written yet
    and ends the thread. At most one batch waits while another is written, which bounds memory.
    """

    _STOP = object()

    def __init__(self, write: Callable[[list[PostingRecord]], None]):
        self._write = write
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._failure: BaseException | None = None
        self._abandoned = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            records = self._queue.get()
            if records is self._STOP:
                return
            if self._failure is not None or self._abandoned.is_set():
                continue  # after a failure, or once stopped: drop the rest
            try:
                self._write(records)
            except BaseException as err:  # handed to the rebuild's thread, which raises it
                self._failure = err

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def put(self, records: list[PostingRecord]) -> None:
        """Queue a batch (waits while another batch is already waiting); raises an earlier write's failure."""
        self._raise_failure()
        self._queue.put(records)  # the thread always drains the queue, also after a failure

    def close(self) -> None:
        """Wait until every batch is written; raise the first write failure."""
        self._queue.put(self._STOP)
        self._thread.join()
        self._raise_failure()

    def stop(self) -> None:
        """Drop unwritten batches and end the thread, waiting for a write in progress (idempotent)."""
        if not self._thread.is_alive():
            return
        self._abandoned.set()
        self._queue.put(self._STOP)
        self._thread.join()


def _groups(work: list[_Work], size_of: Callable[[_Work], int], limit: int = GROUP_CHUNKS) -> Iterator[list[_Work]]:
    """Whole postings, about `limit` chunks at a time."""
    group: list[_Work] = []
    size = 0
    for item in work:
        if group and size + size_of(item) > limit:
            yield group
            group, size = [], 0
        group.append(item)
        size += size_of(item)
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
            by = f" ({locked.holder})" if locked.holder else ""
            summary.error, summary.busy = f"another rebuild of this index is running{by}; try again later", True
        else:
            _Run(settings, embedder, store, progress or SilentProgress(), summary).run(full)
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


class _Run:
    """One rebuild: what it works with, the versions the new manifest will list, and the summary it fills in."""

    def __init__(self, settings: Settings, embedder: Embedder, store: IndexStore, progress: Progress,
                 summary: RebuildSummary):
        self.settings, self.embedder, self.store, self.progress, self.summary = (
            settings, embedder, store, progress, summary)
        self.limit = chunk_limit(settings, embedder)
        self.live: dict[str, str] = {}  # posting id -> tag
        self.heads: dict[str, dict] = {}  # posting id -> metadata of its previous version
        self.reusable: dict[str, str] = {}  # posting id -> tag of a previous version that may be kept
        self.problems: list[Problem] = []
        self.cuts: list[Problem] = []  # postings indexed without the end of their text
        self.gaps: dict[str, list[str]] = {}  # fact -> ids of postings extracted in this run with a cue, no value
        self.extracted: Iterator[Extracted] = iter(())  # facts of the postings to write, in the order written
        self.written: list[_Work] = []  # new and changed postings written (their facts extracted)
        self.was_clean = False  # the store held only live records and versions a switch replaced (index_clean)
        self.sweep = True  # remove old records by listing every record (else by the versions replaced)
        self.dirty = False  # this run recorded that old records may be left (until it has removed them)

    def run(self, full: bool) -> None:
        summary = self.summary
        # One missing folder refuses the whole rebuild: a typo or an unmounted volume must not remove every
        # posting of that folder from the index (README, "Bad input").
        missing = [str(d) for d in self.settings.source_dirs if not Path(d).exists()]
        if missing:
            summary.problems = [problem_line(Problem(d, "source folder does not exist")) for d in missing]
            summary.error = ("source folder does not exist: " + ", ".join(quote_name(d) for d in missing)
                             + "; the previous index is kept")
            return
        previous = self.store.read_manifest()
        loaded = load_postings(self.settings.source_dirs, int(self.settings.max_file_mb * 1e6),
                               follow_symlinks=self.settings.follow_symlinks,
                               read_seconds=self.settings.file_read_seconds,
                               previous_source=self._previous_source(previous),  # ids made unique
                               memo=LoadMemo.open(self.settings.load_memo_file))
        self.problems = list(loaded.problems)
        if previous is not None and previous.dim != self.embedder.dim:
            summary.problems = [problem_line(p) for p in self.problems]
            summary.error = (f"the index holds {previous.dim}-dimensional vectors ({previous.model}) but the model "
                             f"makes {self.embedder.dim}; use another collection prefix or index folder")
            return
        if previous is not None and previous.model != self.embedder.name:
            log.info("the index was built with %s; re-embedding everything with %s", previous.model, self.embedder.name)
        elif previous is not None and not full:
            self.reusable = dict(previous.postings)
        generation = previous.generation + 1 if previous else 1
        work = self._diff(loaded.postings, generation)
        summary.chunks_total = self._unchanged_chunks(previous)  # reads what _reuse compares with
        work = self._reuse(work)
        kept = [w for w in work if w.old_tag is not None]
        fresh = [w for w in work if w.old_tag is None]
        # a rebuild that failed or was stopped may have left records no manifest lists: then sweep every record
        self.was_clean = self.store.index_clean()
        self.sweep = full or not self.was_clean
        if work:
            self._mark_dirty()
        unchanged = len(self.live)
        # facts are extracted (in a worker process when it pays) while this thread chunks, embeds and writes
        with Extraction([w.posting for w in kept + fresh], extract_facts,
                        worker=use_worker(len(work), os.cpu_count())) as extraction:
            self.extracted = iter(extraction)
            to_embed = self._chunk(fresh)
            log.info("embedding %d chunks of %d postings (%d unchanged, %d changed with the same text)",
                     sum(len(w.chunks) for w in to_embed), len(to_embed), unchanged, len(kept))
            for group in _groups(kept, lambda w: int(self.heads[w.posting.id]["chunks"])):
                self._write_kept(group, previous.dim if previous else self.embedder.dim)
            self._embed_and_write(to_embed)

        summary.unchanged = unchanged
        summary.updated = sum(1 for w in self.written if previous is not None and w.posting.id in previous.postings)
        summary.added = len(self.written) - summary.updated
        summary.problems = [problem_line(p) for p in self.problems + self.cuts]
        summary.skipped = len(self.problems)  # cut postings are indexed, not skipped
        if not self.live:
            summary.error = "no usable postings found; the previous index is kept"
            return
        summary.extraction_gaps = self._gaps(previous)
        self._switch(previous, Manifest(generation, now_iso(), self.embedder.name, self.embedder.dim, self.live,
                                        chunks=summary.chunks_total))

    def _previous_source(self, previous: Manifest | None) -> Callable[[str], str | None]:
        """Where the previous index loaded a posting id from (asked only when two file names want one id)."""

        def source_of(posting_id: str) -> str | None:
            if previous is None or posting_id not in previous.postings:
                return None
            one = Manifest(previous.generation, previous.built_at, previous.model, previous.dim,
                           {posting_id: previous.postings[posting_id]})
            try:
                return next((p.source for p in self.store.read_postings(one)), None)
            except (StoreUnavailable, ValueError):
                return None

        return source_of

    def _gaps(self, previous: Manifest | None) -> dict[str, list[str]]:
        """Extraction gaps of every posting: found now for the postings extracted in this run, carried over
        from the last recorded report for unchanged ones (they are not extracted again)."""
        carried: dict[str, list[str]] = {}
        if previous is not None and self.live:
            try:
                report = self.store.read_rebuild_report() or {}
            except (StoreUnavailable, ValueError):
                report = {}
            for fact, ids in (report.get("extraction_gaps") or {}).items():
                kept = [pid for pid in ids if pid in self.live]
                if kept:
                    carried[fact] = kept
        return {fact: sorted(set(carried.get(fact, [])) | set(self.gaps.get(fact, [])))
                for fact in GAP_FACTS if carried.get(fact) or self.gaps.get(fact)}

    def _diff(self, postings: Sequence[Posting], generation: int) -> list[_Work]:
        """Unchanged postings go live as they are; the others get a new tag."""
        work = []
        cap = self.settings.max_chunks_per_posting
        for posting in postings:
            digest = record_hash(posting, self.limit, cap)
            old_tag = self.reusable.get(posting.id)
            if old_tag is not None and tag_hash(old_tag) == digest[:12]:
                self.live[posting.id] = old_tag
            else:
                work.append(_Work(posting, make_tag(digest, generation), text_hash(posting, self.limit, cap)))
        return work

    def _unchanged_chunks(self, previous: Manifest | None) -> int:
        """Read the metadata of the previous versions this run replaces or removes (self.heads: their text hashes
        and chunk counts), and return how many chunks the unchanged postings have: the previous manifest's count
        less those versions' (or, for a manifest that does not keep a count, the sum over every unchanged one:
        a read of every posting's metadata, seconds at 100k postings)."""
        replaced = {pid: tag for pid, tag in self.reusable.items() if pid not in self.live}
        if previous is not None and previous.chunks is not None and self.live:
            self.heads = self.store.posting_heads(replaced)
            return previous.chunks - sum(int(head["chunks"]) for head in self.heads.values())
        self.heads = self.store.posting_heads(dict(self.reusable))
        return sum(int(self.heads[pid]["chunks"]) for pid in self.live)

    def _reuse(self, work: list[_Work]) -> list[_Work]:
        """Mark the postings whose embedded text is unchanged: their old chunks and vectors are kept."""
        for item in work:
            head = self.heads.get(item.posting.id)
            if head is not None and head.get("text_hash") == item.text_hash:
                item.old_tag = self.reusable[item.posting.id]
        return work

    def _chunk(self, fresh: list[_Work]) -> list[_Work]:
        """Chunk the postings to embed (their text needs no facts); those without text are left out, long ones cut."""
        ready = []
        cap = self.settings.max_chunks_per_posting
        for item in fresh:
            posting = item.posting
            item.chunks = chunk_for_embedding(
                posting, self.embedder.count_tokens, self.limit,
                count_batch=getattr(self.embedder, "count_tokens_batch", None),
                lines_add_up=bool(getattr(self.embedder, "counts_add_up", False)),
            )
            if not item.chunks:
                self.problems.append(Problem(posting.source, f"posting {posting.id!r} has no text to index"))
                continue
            if len(item.chunks) > cap:
                self.cuts.append(Problem(posting.source, f"posting {posting.id!r} {CUT} {cap} chunks "
                                         f"of {len(item.chunks)} (POSTINGS_MAX_CHUNKS_PER_POSTING)"))
                item.chunks = item.chunks[:cap]
            ready.append(item)
        return ready

    def _with_facts(self, group: list[_Work]) -> list[_Work]:
        """The postings of a group whose facts were extracted (in order; the others are reported and left out).

        Takes the group's results from the extraction, passing over postings left out before (no text).
        """
        ready = []
        for item in group:
            posting = item.posting
            for extracted in self.extracted:
                if extracted.posting_id == posting.id:
                    break
            else:
                raise RuntimeError(f"no extraction result for posting {posting.id!r}")
            if extracted.facts is None:
                log.error("fact extraction failed for %s: %s", posting.id, extracted.detail.strip())
                self.problems.append(Problem(posting.source, f"fact extraction failed ({extracted.error})"))
                continue
            posting.facts = extracted.facts
            for fact in extracted.gaps:
                self.gaps.setdefault(fact, []).append(posting.id)
            ready.append(item)
        self.written.extend(ready)
        return ready

    def _write_kept(self, group: list[_Work], dim: int) -> None:
        """Write postings whose text is unchanged under their new tags, with their old chunks and vectors."""
        group = self._with_facts(group)
        if not group:
            return
        stored, vectors = self.store.read_chunk_records({w.posting.id: w.old_tag for w in group if w.old_tag}, dim)
        rows: dict[str, list[int]] = {}
        for row, chunk in enumerate(stored):
            rows.setdefault(chunk.posting_id, []).append(row)
        records = []
        for w in group:
            mine = rows.get(w.posting.id, [])
            chunks = [Chunk(w.posting.id, stored[r].index, stored[r].text, stored[r].section) for r in mine]
            records.append(PostingRecord(w.posting, w.tag, chunks, vectors[mine], w.text_hash))
        self.store.write_postings(records)
        self.summary.chunks_total += len(stored)
        self.live.update((w.posting.id, w.tag) for w in group)

    def _writer(self, chunks: int) -> tuple[InlineWriter | BackgroundWriter | ProcessWriter, int]:
        """What writes the embedded records, and the chunks of a group: a child process for a large rebuild
        (Chroma holds the interpreter lock while it writes, so only a process overlaps it with embedding; it
        writes large groups, as Chroma's writes cost less a record in large batches), a thread when the model
        leaves a core free (overlap_writes), else this thread."""
        if chunks >= PROCESS_WRITE_MIN_CHUNKS and self.store.sees_other_processes:
            try:
                return ProcessWriter(self.settings), GROUP_CHUNKS
            except OSError as err:
                log.warning("records are written by the rebuild itself: no writer process (%s)", err)
        if overlap_writes(self.settings):
            return BackgroundWriter(self.store.write_postings), OVERLAP_GROUP_CHUNKS
        return InlineWriter(self.store.write_postings), GROUP_CHUNKS

    def _embed_and_write(self, to_embed: list[_Work]) -> None:
        """Embed the chunks of new and changed postings a group at a time and write each group (in a writer
        process or thread while the next group is embedded, see _writer). Returns once every group is written."""
        total = sum(len(w.chunks) for w in to_embed)
        self.progress.start(total)
        writer, group_chunks = self._writer(total)
        last: dict[str, str] = {}  # a posting written last, read back once a writer process is done
        try:
            for group in _groups(to_embed, lambda w: len(w.chunks), group_chunks):
                # embedded first (the text needs no facts), so the model never waits for the extraction of the
                # group's postings: the first group's facts are being extracted meanwhile
                texts = [embedding_text(w.posting, c) for w in group for c in w.chunks]
                vectors = embed_in_order(self.embedder, texts, self.settings.embed_batch_size, self.progress)
                self.summary.chunks_embedded += len(texts)
                ready = {id(w) for w in self._with_facts(group)}  # those whose extraction failed are left out
                records, row = [], 0
                for w in group:
                    if id(w) in ready:
                        records.append(PostingRecord(w.posting, w.tag, w.chunks,
                                                     vectors[row : row + len(w.chunks)], w.text_hash))
                    row += len(w.chunks)
                if not records:
                    continue
                writer.put(records)  # raises if an earlier group failed to write
                self.summary.chunks_total += sum(len(record.chunks) for record in records)
                self.live.update((r.posting.id, r.tag) for r in records)  # listed only if every write succeeds
                last = {records[-1].posting.id: records[-1].tag}
            writer.close()
        finally:
            writer.stop()
            self.progress.finish()
        if isinstance(writer, ProcessWriter):
            self.store.reopen()  # a local folder's client must see the child's records before it writes again
            self.store.read_chunk_records(last, self.embedder.dim)  # raises StoreUnavailable if it does not

    def _mark_dirty(self) -> None:
        """Record, before writing or switching, that old records may be left (once a run)."""
        if not self.dirty:
            self.store.mark_clean(False)
            self.dirty = True

    def _replaced(self, previous: Manifest | None, manifest: Manifest) -> dict[str, tuple[str, int]]:
        """The versions the previous manifest listed and this one does not (id -> (tag, chunks)): only their
        metadata is read, so removing them costs what changed, not the size of the index."""
        if previous is None:
            return {}
        old = {pid: tag for pid, tag in previous.postings.items() if manifest.postings.get(pid) != tag}
        heads = {pid: self.heads[pid] for pid in old if self.heads.get(pid, {}).get("tag") == old[pid]}
        missing = {pid: tag for pid, tag in old.items() if pid not in heads}
        heads.update(self.store.posting_heads(missing) if missing else {})
        return {pid: (tag, int(heads[pid]["chunks"])) for pid, tag in old.items()}

    def _switch(self, previous: Manifest | None, manifest: Manifest) -> None:
        """Make the manifest live (unless nothing changed), then remove every record it does not list."""
        summary = self.summary
        summary.removed = len(set(previous.postings) - set(manifest.postings)) if previous else 0
        if previous is not None and previous.postings == manifest.postings and previous.model == manifest.model:
            manifest = previous  # nothing changed: keep the generation, so readers need not reload
        else:
            current = self.store.read_manifest()
            if (current.generation if current else 0) != (previous.generation if previous else 0):
                summary.error = "another rebuild switched the index meanwhile; this one was not applied"
                summary.busy = True
                try:  # the other one may have swept before this one wrote: its records are left over
                    self.store.mark_clean(False)
                except StoreUnavailable:
                    pass
                return
            self._mark_dirty()  # also when nothing was written: removing what the switch replaces may fail
            self.store.write_manifest(manifest)
        summary.generation = manifest.generation
        summary.postings_total = len(manifest.postings)
        summary.ok = True
        try:
            if self.sweep:
                removed = self.store.collect_garbage(manifest)
            else:
                removed = self.store.delete_versions(self._replaced(previous, manifest))
            if self.dirty or not self.was_clean:
                self.store.mark_clean(True)
            log.info("removed %d old records", removed)
        except StoreUnavailable as err:  # the new index is live; leftovers are invisible and removed next time
            summary.problems.append(f"old records were not removed ({err}); the next rebuild removes them")
        except KeyboardInterrupt:
            summary.problems.append("removing old records was interrupted; the next rebuild removes them")
