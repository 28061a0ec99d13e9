"""A small in-memory answerer for tests: each posting's text is its one chunk, embedded by the hashing fake."""

from __future__ import annotations

from typing import Any, Callable, Sequence

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


def answer_rows(ask: Callable[[str], Any], questions: Sequence[str]) -> list[tuple]:
    """What a user sees of each answer (status, text, postings, evidence): equal rows, the same answers."""
    out = []
    for question in questions:
        answer = ask(question)
        out.append((answer.status, answer.text, [p.id for p in answer.postings],
                    [(e.posting_id, e.text) for e in answer.evidence]))
    return out
