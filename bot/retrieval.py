"""Hybrid retrieval over a Catalog's chunks: dense cosine and BM25 keyword ranks fused (pure over data)."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from bot.catalog import Catalog, keyword_tokens
from bot.question import Query
from index import cues
from index.embedder import Embedder
from index.text import split_sentences

# A question's intent -> the cue key of the fact it asks about (index/cues.py), and words that help rank
# the posting's own passages for it (English and German).
INTENT_CUES = {
    "salary": (cues.SALARY, "salary pay compensation rate range hourly annual gehalt vergütung"),
    "experience": (cues.YEARS, "years experience berufserfahrung jahre"),
    "degree": (cues.DEGREE, "degree bachelor master diploma education studium abschluss"),
    "remote": (cues.REMOTE, "remote hybrid onsite office home homeoffice"),
    "employment_type": (cues.WORK_TYPE, "full-time part-time contract permanent vollzeit teilzeit"),
    "location": (cues.LOCATION, "location based office located standort"),
}
QUOTE_CHARS = 300


@dataclass
class Ranking:
    """Chunk rows best first, the dense similarity of the first, and whether any keyword matched."""

    rows: np.ndarray
    best_dense: float
    any_keyword: bool


_EMBEDDING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed-ahead")


class Retriever:
    """Ranks chunks for a query and picks the sentences worth quoting."""

    def __init__(self, catalog: Catalog, embedder: Embedder):
        self.catalog = catalog
        self.embedder = embedder
        self._ahead: dict[str, Future] = {}
        self._lock = threading.Lock()

    def embed_ahead(self, text: str) -> None:
        """Start embedding a text the search will likely need, on another thread, while the question is still
        being read (the model's matrix products release the GIL, so it runs beside the parsing and naming).
        `search` takes the vector when it asks for that text; `forget_ahead` drops one nobody asked for."""
        with self._lock:
            if text not in self._ahead:
                self._ahead[text] = _EMBEDDING.submit(self.embedder.embed_query, text)

    def forget_ahead(self, text: str) -> None:
        with self._lock:
            self._ahead.pop(text, None)

    def _query_vector(self, text: str) -> np.ndarray:
        with self._lock:
            ahead = self._ahead.pop(text, None)
        return ahead.result() if ahead is not None else self.embedder.embed_query(text)

    def rank_chunks(self, query: Query, rows: np.ndarray | None = None, depth: int = 300) -> np.ndarray:
        """The best `depth` chunk rows, dense cosine and BM25 fused by reciprocal rank (k = 60)."""
        return self.search(query, rows, depth).rows

    def search(self, query: Query, rows: np.ndarray | None = None, depth: int = 300) -> "Ranking":
        """Rank chunk rows (all, or the given ones) for the query; also say how strong the best match is.

        Only each list's top `depth` contributes a rank (argpartition, not a full sort), so the cost
        stays a scan of the scores at any corpus size.
        """
        c = self.catalog
        qvec = self._query_vector(query.text)
        if rows is None:
            dense = c.dense_scores(qvec)
            keyword = c.keyword_scores(keyword_tokens(query.text))
            rows = np.arange(c.chunk_count)
        else:
            dense = c.dense_scores(qvec, rows)
            keyword = c.keyword_scores(keyword_tokens(query.text))[rows]
        if len(rows) == 0:
            return Ranking(rows, 0.0, False)
        fused: dict[int, float] = {}
        for scores, only_positive in ((dense, False), (keyword, True)):
            for rank, position in enumerate(_top(scores, depth, only_positive)):
                fused[position] = fused.get(position, 0.0) + 1.0 / (60.0 + rank)
        order = np.array(sorted(fused, key=lambda p: (-fused[p], p)), dtype=np.int64)
        return Ranking(rows[order], float(dense[order[0]]), bool(keyword.any()))

    def quote_for(self, query: Query, intent: str, posting_index: int) -> str | None:
        """A sentence of this posting's own passages that speaks of the fact asked about, else None.

        The posting's chunks are ranked (dense + BM25, restricted to that posting) for the question plus the
        fact's cue words; the first sentence, in that order, that speaks of the fact (index.cues) is quoted.
        The ranking (and so the query embedding, which may have to load the model) is needed only when more
        than one chunk speaks of the fact: with one or none, the quote is the same in any order.
        """
        if intent not in INTENT_CUES:
            return None
        key, words = INTENT_CUES[intent]
        c = self.catalog
        rows = np.flatnonzero(c.chunk_posting == posting_index)
        speaking = [r for r in rows if any(cues.speaks_of(s, key) for s in split_sentences(c.chunk_texts[r]))]
        if len(rows) and len(speaking) <= 1:
            texts = [c.chunk_texts[r] for r in speaking]
        elif len(rows):
            focused = Query(text=f"{query.text} {words}", intent=query.intent, intents=query.intents,
                            is_list=False, wants_count=False, filters=query.filters, tokens=query.tokens)
            texts = [c.chunk_texts[r] for r in self.search(focused, rows).rows]
            texts += [c.chunk_texts[r] for r in rows if c.chunk_texts[r] not in texts]
        else:
            texts = [c.postings[posting_index].text]
        asked = set(keyword_tokens(query.text))
        for text in texts:
            found = [s for s in split_sentences(text) if cues.speaks_of(s, key)]
            if found:
                best = max(found, key=lambda s: len(asked & set(keyword_tokens(s))))
                return best if len(best) <= QUOTE_CHARS else best[: QUOTE_CHARS - 1].rstrip() + "…"
        return None

    def best_sentences(self, query: Query, text: str, limit: int = 1, ignore: set[str] = frozenset()) -> list[str]:
        """The sentences of a chunk sharing the most words with the question."""
        words = set(keyword_tokens(query.text)) - ignore
        sentences = [s for s in split_sentences(text) if len(s) > 20] or split_sentences(text)
        scored = sorted(sentences, key=lambda s: -len(words & set(keyword_tokens(s))))
        return scored[:limit]


def _top(scores: np.ndarray, depth: int, only_positive: bool) -> np.ndarray:
    """Positions of the `depth` highest scores, best first (ties by position)."""
    candidates = np.flatnonzero(scores > 0) if only_positive else np.arange(len(scores))
    if len(candidates) > depth:
        part = np.argpartition(-scores[candidates], depth - 1)[:depth]
        candidates = candidates[part]
    return candidates[np.lexsort((candidates, -scores[candidates]))]
