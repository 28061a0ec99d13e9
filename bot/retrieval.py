"""Hybrid retrieval over a Catalog's chunks: dense cosine and BM25 keyword ranks fused (pure over data)."""

from __future__ import annotations

import numpy as np

from bot.catalog import Catalog, keyword_tokens
from bot.question import Query
from index.embedder import Embedder
from index.text import split_sentences


class Retriever:
    """Ranks chunks for a query and picks the sentences worth quoting."""

    def __init__(self, catalog: Catalog, embedder: Embedder):
        self.catalog = catalog
        self.embedder = embedder


    def rank_chunks(self, query: Query, rows: np.ndarray | None = None) -> np.ndarray:
        """Hybrid rank of chunk rows: dense cosine and BM25 fused by reciprocal rank."""
        c = self.catalog
        qvec = self.embedder.embed_query(query.text)
        if rows is None:
            dense = c.dense_scores(qvec)
            keyword = c.keyword_scores(keyword_tokens(query.text))
            rows = np.arange(c.chunk_count)
        else:
            dense = c.dense_scores(qvec, rows)
            keyword = c.keyword_scores(keyword_tokens(query.text))[rows]
        if len(rows) == 0:
            return rows
        k = 60.0
        dense_rank = np.empty(len(rows)); dense_rank[np.argsort(-dense, kind="stable")] = np.arange(len(rows))
        fused = 1.0 / (k + dense_rank)
        if keyword.any():
            kw_rank = np.empty(len(rows)); kw_rank[np.argsort(-keyword, kind="stable")] = np.arange(len(rows))
            fused += np.where(keyword > 0, 1.0 / (k + kw_rank), 0.0)
        return rows[np.argsort(-fused, kind="stable")]

    def best_sentences(self, query: Query, text: str, limit: int = 1, ignore: set[str] = frozenset()) -> list[str]:
        words = set(keyword_tokens(query.text)) - ignore
        sentences = [s for s in split_sentences(text) if len(s) > 20] or split_sentences(text)
        scored = sorted(sentences, key=lambda s: -len(words & set(keyword_tokens(s))))
        return scored[:limit]
