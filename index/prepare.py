"""Fact extraction for a rebuild: inline, or in one worker process that runs ahead of embedding and writing.

Extraction is pure Python and holds the interpreter lock, as do Chroma's writes (measured with chromadb
1.5.9: a Python thread gets ~5% of a core while `upsert` runs), so a thread cannot overlap the two; a
process can. The worker gets postings in order, a bounded number of batches ahead, and hands back their
facts and extraction gaps in the same order; the facts are the ones extract_facts gives in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from index.extract import extract_facts
from index.models import Facts, Posting

log = logging.getLogger(__name__)

GAP_FACTS = ("salary", "experience_years", "degree")
BATCH_POSTINGS = 64  # postings per task sent to the worker
BATCHES_AHEAD = 64  # tasks in flight (4,096 postings, over a write group): bounds the facts waiting in memory
PROCESS_MIN_POSTINGS = 256  # fewer postings are extracted inline (not worth a process)

Extract = Callable[[Posting], Facts]
# The worker is forked: spawning would import the caller's __main__ again (a script without a main guard
# would rebuild in the worker too). The worker only runs extraction code, no Chroma or tokenizer calls.
FORK = sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


@dataclass
class Extracted:
    """One posting's facts and extraction gaps, or the failure of its extraction."""

    posting_id: str
    facts: Facts | None  # None when extraction failed
    gaps: list[str] = field(default_factory=list)
    error: str = ""  # the exception's type name
    detail: str = ""  # its traceback, for the log


def extraction_gaps(posting: Posting) -> list[str]:
    """The facts (of GAP_FACTS) the posting's text speaks of but that were not extracted from it."""
    from index.cues import text_cues

    facts = posting.facts
    have = {"salary": facts.salary is not None or facts.salary_text is not None,
            "experience_years": facts.min_years is not None, "degree": facts.degree is not None}
    missing = [fact for fact in GAP_FACTS if not have[fact]]
    if not missing:
        return []
    cues = text_cues(posting.text, missing)
    return [fact for fact in missing if fact in cues]


def extract_one(posting: Posting, extract: Extract = extract_facts) -> Extracted:
    """Extract a posting's facts and gaps; a failure is returned, never raised (it must not stop a rebuild)."""
    try:
        facts = extract(posting)
    except Exception as err:
        return Extracted(posting.id, None, error=type(err).__name__, detail=traceback.format_exc())
    posting.facts = facts
    try:
        gaps = extraction_gaps(posting)
    except Exception:  # the report must never stop a rebuild
        log.exception("cue check failed for %s", posting.id)
        gaps = []
    return Extracted(posting.id, facts, gaps)


def extract_batch(postings: list[Posting]) -> list[Extracted]:
    """extract_one of each posting (run in the worker process)."""
    return [extract_one(posting, extract_facts) for posting in postings]


def use_worker(postings: int, cpus: int | None) -> bool:
    """Whether a worker process pays: enough postings, and a second core to run it on."""
    return postings >= PROCESS_MIN_POSTINGS and (cpus or 1) > 1


class Extraction:
    """extract_one of each posting, in order: inline, or (worker) in one worker process a few batches ahead.

    The worker starts at once, so it extracts while the caller does other work (chunking, embedding,
    writing); when the caller has to wait for it, the caller extracts batches from the end of the queue
    meanwhile (a 1% rebuild waits on extraction, not on the model). Iterate once; close it (or use it as a
    context manager) to stop the worker. If the worker cannot start or dies, the remaining postings are
    extracted inline.
    """

    def __init__(self, postings: Sequence[Posting], extract: Extract = extract_facts, worker: bool = False):
        self.postings, self.extract = list(postings), extract
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[tuple[list[Posting], Future]] = deque()
        self._next = 0  # first posting not submitted yet
        if worker and FORK:
            try:
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
                self._fill()
            except (OSError, ValueError, BrokenProcessPool) as err:
                log.warning("fact extraction runs inline: no worker process (%s)", err)
                self.close()

    def __enter__(self) -> "Extraction":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker (waiting for the batch it is on; the rest is cancelled)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _fill(self) -> None:
        while self._pool is not None and len(self._pending) < BATCHES_AHEAD and self._next < len(self.postings):
            batch = self.postings[self._next : self._next + BATCH_POSTINGS]
            self._pending.append((batch, self._pool.submit(extract_batch, batch)))
            self._next += len(batch)

    def _help(self) -> bool:
        """Extract here, as the worker would, the last batch it has not started (cancelled in its queue; never the
        first, which it is on or about to start); False when there is none. Called while waiting for the worker,
        so this process's core shares the work instead of idling; the results still come back in order."""
        for index in range(len(self._pending) - 1, 0, -1):
            batch, future = self._pending[index]
            if future.done():
                continue
            if not future.cancel():  # started, or next in the worker's queue: so are all before it
                return False
            here: Future = Future()
            here.set_result(extract_batch(batch))
            self._pending[index] = (batch, here)
            return True
        return False

    def __iter__(self) -> Iterator[Extracted]:
        done = 0
        try:
            while self._pending:
                while not self._pending[0][1].done() and self._help():
                    pass
                batch, future = self._pending.popleft()
                results = future.result()
                self._fill()
                for posting, extracted in zip(batch, results):
                    if extracted.posting_id != posting.id:
                        raise RuntimeError(f"the extraction worker answered for {extracted.posting_id!r}, "
                                           f"not {posting.id!r}")
                    if extracted.facts is not None:
                        posting.facts = extracted.facts
                    yield extracted
                    done += 1
        except BrokenProcessPool as err:
            log.warning("the fact-extraction worker stopped (%s); extracting the rest inline", err)
        finally:
            self.close()
        for posting in self.postings[done:]:
            yield extract_one(posting, self.extract)
