"""A small in-memory answerer for tests: each posting's text is its one chunk, embedded by the hashing fake."""

from __future__ import annotations

from typing import Sequence

from bot.answerer import Answerer
from bot.catalog import Catalog
from index.embedder import HashingEmbedder
from index.models import Posting


def answerer_over(postings: Sequence[Posting], top_k: int = 5) -> Answerer:
    """An Answerer over the postings, no model and no Chroma."""
    embedder = HashingEmbedder()
    texts = [p.text for p in postings]
    return Answerer(Catalog(postings, [p.id for p in postings], texts, embedder.embed_documents(texts)), embedder,
                    top_k=top_k)
