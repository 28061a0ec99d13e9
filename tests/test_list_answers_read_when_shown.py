"""A list answer over many postings reads only the postings it shows; its JSON form still has every one."""

from __future__ import annotations

from typing import Sequence

from bot.answer import ListEvidence, PostingRows, answer_to_json
from bot.render_text import render_text
from bot.slack.blocks import answer_blocks
from index.models import Fact, Posting, Salary

from catalogs import answerer_over


class CountingPostings(Sequence[Posting]):
    """The catalog's postings, counting which rows were read."""

    def __init__(self, postings: Sequence[Posting]):
        self._postings, self.read = list(postings), set()

    def __len__(self) -> int:
        return len(self._postings)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        self.read.add(index)
        return self._postings[index]


def remote_postings(n: int) -> list[Posting]:
    postings = []
    for i in range(n):
        p = Posting(f"r{i}", f"Platform Engineer {i}", f"Quillmoor Labs {i}", f"Remote platform work, team {i}.")
        p.facts.remote = Fact("remote", f"Fully remote, team {i}.", "text")
        p.facts.salary = Fact(Salary(120_000 + i, 150_000 + i), f"Pay: ${120 + i}k to ${150 + i}k.", "text")
        postings.append(p)
    return postings


def test_a_long_list_answer_reads_only_the_postings_a_page_shows():
    answerer = answerer_over(remote_postings(80))
    counting = CountingPostings(answerer.catalog.postings)
    answerer.catalog.postings = counting
    answer = answerer.ask("which remote roles pay over $100k a year?")
    assert answer.total == 80 and len(answer.postings) == 80
    assert isinstance(answer.postings, PostingRows) and isinstance(answer.evidence, ListEvidence)
    answer_blocks(answer)
    assert 0 < len(counting.read) <= 10  # one page of cards, not 80 postings


def test_a_listed_posting_keeps_the_evidence_of_the_fact_asked_about():
    answer = answerer_over(remote_postings(30)).ask("which remote roles pay over $100k a year?")
    shown = answer.postings[3]
    assert [e.text for e in answer.evidence_for(shown)] == [shown.facts.salary.evidence]
    assert answer.evidence_for(shown.id) == answer.evidence_for(shown)
    every = answer_to_json(answer)["evidence"]
    assert len(every) == 30 and {e["posting_id"] for e in every} == {p.id for p in answer.postings}
    assert "Platform Engineer" in render_text(answer, limit=5)
