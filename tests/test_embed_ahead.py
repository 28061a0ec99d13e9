"""A question that will search every chunk has its vector made on another thread while it is still being read."""

from __future__ import annotations

import threading

from bot.answerer import Answerer
from bot.catalog import Catalog
from index.embedder import HashingEmbedder
from index.models import Fact, Posting, Salary


class RecordingEmbedder(HashingEmbedder):
    """The hashing embedder, noting which thread embedded which question."""

    def __init__(self):
        super().__init__()
        self.queries: list[tuple[str, str]] = []

    def embed_query(self, text):
        self.queries.append((text, threading.current_thread().name))
        return super().embed_query(text)


def _answerer() -> tuple[Answerer, RecordingEmbedder]:
    texts = ["We build barges and tugboats; welders and riggers on the river yard.",
             "Pastry chefs for a bakery: croissants, laminated doughs, early shifts.",
             "Hydrologists modelling floods and river gauges for a water board."]
    postings = [Posting(f"e{i}", title, company, text) for i, (title, company, text) in enumerate(zip(
        ["Welder", "Pastry Chef", "Hydrologist"], ["Tidewater Yards", "Crumbhill", "Fenmark Water"], texts))]
    postings[1].facts.salary = Fact(Salary(48_000, 55_000), "Pay: $48k to $55k.", "text")
    embedder = RecordingEmbedder()
    vectors = embedder.embed_documents(texts)
    embedder.queries.clear()
    return Answerer(Catalog(postings, [p.id for p in postings], texts, vectors), embedder), embedder


def test_a_search_question_is_embedded_ahead_once_and_answered_as_before():
    answerer, embedder = _answerer()
    question = "who works on floods and river gauges?"
    answer = answerer.ask(question)
    assert answer.postings and answer.postings[0].id == "e2"
    searched = [(text, thread) for text, thread in embedder.queries if text == question]
    assert len(searched) == 1 and searched[0][1].startswith("embed-ahead")
    assert not answerer.retriever._ahead  # nothing left behind


def test_a_fact_question_about_a_named_posting_is_not_embedded_ahead():
    answerer, embedder = _answerer()
    answer = answerer.ask("what does the Crumbhill pastry chef job pay?")
    assert "48,000" in answer.text
    assert not any(thread.startswith("embed-ahead") for _text, thread in embedder.queries)
    assert not answerer.retriever._ahead
