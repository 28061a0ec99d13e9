"""The Answer the engine produces, and its JSON form (shared by the CLI and Slack)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from bot.columns import Rows
from index.models import Posting, Salary

# Answer.status values
ANSWERED = "answered"  # the fact(s) were found and stated
NOT_STATED = "not_stated"  # the posting was found but does not state the fact
QUOTED = "quoted"  # no value could be read, but the posting speaks of the fact: the sentence is quoted
NO_MATCH = "no_match"  # no posting matches the question
UNAVAILABLE = "unavailable"  # the index cannot be read right now
EMPTY = "empty"  # the question was empty


@dataclass
class EvidenceItem:
    """A quoted sentence supporting the answer, and the posting it comes from."""

    posting_id: str
    text: str
    origin: str = "text"  # "text" (a sentence of the posting) or "column" (a structured field)


class PostingRows(Rows[Posting]):
    """Postings of the catalog by row, read when they are looked at: a list answer over thousands of postings
    touches only the ones shown (a page of cards), not every match."""

    def __init__(self, postings: Sequence[Posting], rows: Sequence[int] | np.ndarray):
        self._postings = postings
        self._rows = np.asarray(rows, dtype=np.int64).reshape(-1)

    def __len__(self) -> int:
        return len(self._rows)

    def _row(self, index: int) -> Posting:
        return self._postings[int(self._rows[index])]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PostingRows({len(self)} postings)"


class ListEvidence(Sequence["EvidenceItem"]):
    """The evidence of a list answer: each posting's items, made from the posting when asked for.

    `for_posting` makes one posting's items (what a card shows); reading the sequence itself makes every
    posting's, group after group (the matches, then those matching by their text only), once (what the JSON
    form shows)."""

    def __init__(self, groups: Sequence[Sequence[Posting]], items_for: Callable[[Posting], list["EvidenceItem"]]):
        self._groups, self._items_for = groups, items_for

    def for_posting(self, posting: Posting) -> list["EvidenceItem"]:
        return self._items_for(posting)

    @cached_property
    def _items(self) -> list["EvidenceItem"]:
        return [item for group in self._groups for posting in group for item in self._items_for(posting)]

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index):
        return self._items[index]

    def __iter__(self) -> Iterator["EvidenceItem"]:
        return iter(self._items)

    def __bool__(self) -> bool:
        return any(self._items_for(p) for group in self._groups for p in group)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self._items == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ListEvidence({self._items!r})"


@dataclass
class Answer:
    """What the bot says: the fact first, the postings it is about, and the evidence."""

    question: str
    intent: str  # salary, languages, location, remote, experience, degree, employment_type, general, list, compare
    status: str
    text: str
    postings: Sequence[Posting] = field(default_factory=list)  # a list answer's: PostingRows, read when shown
    evidence: Sequence[EvidenceItem] = field(default_factory=list)  # a list answer's: ListEvidence
    total: int = 0  # number of matching postings (all of them for list questions)
    is_list: bool = False
    filters: dict[str, Any] = field(default_factory=dict)
    related: Sequence[Posting] = field(default_factory=list)  # list answers: postings matching only by their text

    def evidence_for(self, posting: Posting | str) -> list[EvidenceItem]:
        """The evidence items quoting one posting of the answer (given as itself or by id)."""
        if isinstance(self.evidence, ListEvidence) and not isinstance(posting, str):
            return self.evidence.for_posting(posting)
        posting_id = posting if isinstance(posting, str) else posting.id
        return [e for e in self.evidence if e.posting_id == posting_id]


def format_money(amount: float, currency: str = "USD") -> str:
    """'$160,000', '€55,000', '$18.50' — whole numbers without cents."""
    symbols = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "INR": "₹", "JPY": "¥"}
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    symbol = symbols.get(currency.upper())
    return f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"


PERIOD_WORDS = {"hourly": "an hour", "daily": "a day", "weekly": "a week", "monthly": "a month", "yearly": "a year"}


def format_salary(salary: Salary) -> str:
    """'$160,000–$240,000 a year', '$18–$20 an hour', 'from $50,000 a year'."""
    per = PERIOD_WORDS.get(salary.period, salary.period)
    low, high = salary.min, salary.max
    if low is not None and high is not None and low != high:
        return f"{format_money(low, salary.currency)}–{format_money(high, salary.currency)} {per}"
    if low is not None and high is not None:
        return f"{format_money(low, salary.currency)} {per}"
    if low is not None:
        return f"from {format_money(low, salary.currency)} {per}"
    if high is not None:
        return f"up to {format_money(high, salary.currency)} {per}"
    return "not stated"


def posting_summary(posting: Posting) -> dict[str, Any]:
    """The JSON view of one posting in an answer."""
    facts = posting.facts
    salary = facts.salary.value if facts.salary else None
    return {
        "id": posting.id,
        "title": posting.title,
        "company": posting.company,
        "location": posting.location,
        "salary": None
        if salary is None
        else {"min": salary.min, "max": salary.max, "currency": salary.currency, "period": salary.period},
        "salary_display": format_salary(salary) if salary else None,
        "salary_in_text": None
        if facts.salary_text is None
        else {"min": facts.salary_text.value.min, "max": facts.salary_text.value.max,
              "currency": facts.salary_text.value.currency, "period": facts.salary_text.value.period},
        "remote": facts.remote.value if facts.remote else None,
        "employment_type": facts.employment_type.value if facts.employment_type else None,
        "languages": [f.value for f in facts.languages],
        "min_years": facts.min_years.value if facts.min_years else None,
        "degree": facts.degree.value if facts.degree else None,
        "url": posting.url or None,
        "source": posting.source,
    }


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """The documented JSON form of an answer (`postings-bot ask --json`); a comparison adds `comparison`."""
    out: dict[str, Any] = {
        "question": answer.question,
        "intent": answer.intent,
        "status": answer.status,
        "answer": answer.text,
        "total": answer.total,
        "is_list": answer.is_list,
        "filters": answer.filters,
        "postings": [posting_summary(p) for p in answer.postings],
        "related_postings": [posting_summary(p) for p in answer.related],
        "evidence": [{"posting_id": e.posting_id, "text": e.text, "origin": e.origin} for e in answer.evidence],
    }
    comparison = getattr(answer, "comparison", None)  # bot/compare.py: postings side by side
    if comparison is not None:
        out["comparison"] = comparison.as_json()
    return out
