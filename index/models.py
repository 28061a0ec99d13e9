"""The data that flows through the pipeline: postings, their facts, and chunks."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

# Canonical values used across the project.
REMOTE_VALUES = ("remote", "hybrid", "on-site")
EMPLOYMENT_TYPES = ("Full-time", "Part-time", "Contract", "Temporary", "Internship", "Volunteer", "Other")
DEGREES = ("HighSchool", "Associate", "Bachelor", "Master", "PhD")
PERIODS = ("hourly", "daily", "weekly", "monthly", "yearly")
HOURS_PER_YEAR = 2080
PERIOD_TO_YEAR = {"hourly": 2080, "daily": 260, "weekly": 52, "biweekly": 26, "monthly": 12, "yearly": 1}


@dataclass
class Salary:
    """A pay range as the posting states it, plus yearly figures for comparisons."""

    min: float | None
    max: float | None
    currency: str = "USD"
    period: str = "yearly"  # one of PERIODS

    @property
    def yearly_min(self) -> float | None:
        return None if self.min is None else self.min * PERIOD_TO_YEAR.get(self.period, 1)

    @property
    def yearly_max(self) -> float | None:
        return None if self.max is None else self.max * PERIOD_TO_YEAR.get(self.period, 1)


@dataclass
class Fact:
    """One extracted value with the sentence it came from and where it came from."""

    value: Any
    evidence: str = ""  # the supporting sentence (for a column: a rendering such as "Salary: $18–$20 an hour")
    origin: str = "text"  # "column" (structured source field) or "text" (found in the description)
    place: str = ""  # for a pay tier: the place or group the figure is given for ("NYC", "Remote US")


@dataclass
class Facts:
    """Facts extracted from one posting; a missing fact is None, never a guess."""

    salary: Fact | None = None  # value: Salary
    salary_text: Fact | None = None  # value: Salary found in the text when a column also exists and differs
    salary_tiers: list[Fact] = field(default_factory=list)  # value: Salary per place (Fact.place), when tiered
    salary_other_periods: list[Fact] = field(default_factory=list)  # value: Salary per another period the text states
    remote: Fact | None = None  # value: one of REMOTE_VALUES
    employment_type: Fact | None = None  # value: one of EMPLOYMENT_TYPES
    languages: list[Fact] = field(default_factory=list)  # value: canonical language name
    min_years: Fact | None = None  # value: int
    degree: Fact | None = None  # value: one of DEGREES (the lowest accepted)
    location: Fact | None = None  # value: str
    location_text: Fact | None = None  # value: str, a place the text labels when it differs from the listed one


@dataclass
class Posting:
    """One job posting as loaded from a source file, before and after extraction."""

    id: str
    title: str
    company: str
    text: str  # the clean description, page chrome removed
    location: str = ""
    url: str = ""
    source: str = ""  # path of the file it came from (and ":row N" for tabular sources)
    listed_at: str = ""  # ISO date or the source's own value
    columns: dict[str, Any] = field(default_factory=dict)  # structured values the source gave
    facts: Facts = field(default_factory=Facts)

    @property
    def content_hash(self) -> str:
        """A hash of everything the index stores for this posting.

        A posting the loader made from its memo (index/load_memo.py) carries the hash its record had when it was
        first read (`with_content_hash`): the same fields give the same hash, and a rebuild then need not encode
        and hash every unchanged posting's text again. Postings are not changed after loading.
        """
        known = self.__dict__.get("_content_hash")
        if known is not None:
            return known
        payload = json.dumps(
            [self.title, self.company, self.location, self.url, self.text, self.listed_at, self.columns],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def with_content_hash(self, known: str) -> "Posting":
        """This posting, carrying its content hash as computed before (not a field: not stored or compared)."""
        self.__dict__["_content_hash"] = known
        return self


@dataclass
class Chunk:
    """A piece of one posting's text, sized for the model, with the section it belongs to."""

    posting_id: str
    index: int
    text: str
    section: str = ""

    def id(self, content_hash: str) -> str:
        return f"{self.posting_id}::{content_hash[:12]}::{self.index}"


@dataclass
class Problem:
    """Input that could not be used: where it is and why."""

    path: str
    reason: str
    row: int | None = None

    def __str__(self) -> str:
        where = self.path if self.row is None else f"{self.path} (row {self.row})"
        return f"{where}: {self.reason}"


def posting_to_dict(posting: Posting) -> dict[str, Any]:
    """A JSON-safe dict of a posting, facts included."""
    return asdict(posting)


def posting_from_dict(data: dict[str, Any]) -> Posting:
    """Rebuild a Posting (with its facts) from posting_to_dict's output."""
    facts_data = dict(data.get("facts") or {})

    def fact(raw: dict | None, salary: bool = False) -> Fact | None:
        if raw is None:
            return None
        value = raw["value"]
        if salary and isinstance(value, dict):
            value = Salary(**value)
        return Fact(value=value, evidence=raw.get("evidence", ""), origin=raw.get("origin", "text"),
                    place=raw.get("place", ""))

    facts = Facts(
        salary=fact(facts_data.get("salary"), salary=True),
        salary_text=fact(facts_data.get("salary_text"), salary=True),
        salary_tiers=[f for f in (fact(x, salary=True) for x in facts_data.get("salary_tiers") or []) if f],
        salary_other_periods=[f for f in (fact(x, salary=True) for x in facts_data.get("salary_other_periods") or [])
                              if f],
        remote=fact(facts_data.get("remote")),
        employment_type=fact(facts_data.get("employment_type")),
        languages=[f for f in (fact(x) for x in facts_data.get("languages") or []) if f],
        min_years=fact(facts_data.get("min_years")),
        degree=fact(facts_data.get("degree")),
        location=fact(facts_data.get("location")),
        location_text=fact(facts_data.get("location_text")),
    )
    fields = {k: v for k, v in data.items() if k != "facts"}
    return Posting(**fields, facts=facts)
