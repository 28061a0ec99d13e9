"""Comparing 2 to 4 named postings side by side (pure): split the question into parts, name each part as a
single-posting question would, and line up each posting's facts with their quotes, differences first.

The body of the question ("the Harbortide backend role and the Northwind platform role") comes from
`bot.question.comparison_body`. Where "and" or a comma is a separator and where it is part of a title
("Research and Development Engineer") is decided by naming: of every way to cut the body at its separators
into 2 to 4 parts, the one whose parts name the most distinct postings wins.

A fact a posting has no value for is "not stated" only when no sentence of that posting speaks of it;
otherwise the sentence is quoted (the rule of the single-posting answers: bot/compose.py, index/cues.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from bot import compose
from bot.answer import ANSWERED, NO_MATCH, Answer, EvidenceItem
from bot.naming import Namer
from bot.question import Query, comparison_body, normalise_token, tokenize
from index.models import Posting

MIN_PARTS, MAX_PARTS = 2, 4
MAX_SEPARATORS = 10  # 2^10 ways to cut at most; each distinct stretch of words is named once
# (fact key as compose.fact_for knows it, the label shown), in the order differences are listed
FACTS = (
    ("salary", "Pay"), ("location", "Place"), ("remote", "Remote"), ("languages", "Languages"),
    ("experience", "Years"), ("degree", "Degree"), ("employment_type", "Employment type"),
)
# the fact in a sentence: "they differ in pay and remote work", "neither states pay or a degree"
NOUNS = {"salary": "pay", "location": "place", "remote": "remote work", "languages": "languages",
         "experience": "years of experience", "degree": "degree", "employment_type": "employment type"}
SILENT_NOUNS = {"salary": "pay", "location": "a place", "remote": "whether it is remote",
                "languages": "a programming language", "experience": "years of experience",
                "degree": "a degree", "employment_type": "an employment type"}
STATED, QUOTED, NOT_STATED = "stated", "quoted", "not_stated"
_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|with|to|against|vs\.?|versus|&|or)\s+", re.I)
_THEM = re.compile(r"^(?:them|these|those|both|all|(?:these|those|the|both|all)\s+(?:two|three|four)"
                   r"(?:\s+(?:ones|roles|jobs|postings|positions))?|(?:these|those|both)\s+(?:ones|roles|jobs|postings|"
                   r"positions))$", re.I)
_IT = re.compile(r"^(?:it|this|that|(?:this|that|the same)\s+(?:one|role|job|posting|position))$", re.I)

# quote(query, fact, posting): a sentence of the posting that speaks of the fact, or None (bot/retrieval.py)
QuoteFor = Callable[[Query, str, Posting], "str | None"]


@dataclass
class Cell:
    """One posting's value for one fact: stated (with its evidence), quoted (no value read, the sentence that
    speaks of it) or not stated."""

    posting_id: str
    status: str
    value: str | None = None
    quote: str | None = None
    origin: str = "text"
    key: Any = None  # what is compared across postings (not shown)

    def display(self, fact: str) -> str:
        """The value as words: the value, the unread-but-quoted note, or 'not stated'."""
        if self.status == STATED:
            return self.value or ""
        if self.status == QUOTED:
            unread = compose.UNREAD_WORDS.get(fact, "gives no value I can read")
            return unread[0].upper() + unread[1:] + ", but says:"
        return "not stated"


@dataclass
class FactRow:
    """One fact across the compared postings, one cell per posting in their order."""

    fact: str
    label: str
    cells: list[Cell]

    @property
    def any_stated(self) -> bool:
        return any(c.status == STATED for c in self.cells)

    @property
    def differs(self) -> bool:
        """True when some posting states it and the postings do not all say the same."""
        return self.any_stated and len({(c.status, c.key) for c in self.cells}) > 1


@dataclass
class Comparison:
    """The postings compared and their facts, the differing facts first."""

    postings: list[Posting]
    facts: list[FactRow] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The structured comparison of `ask --json`."""
        return {
            "posting_ids": [p.id for p in self.postings],
            "facts": [{
                "fact": row.fact, "label": row.label, "differs": row.differs,
                "values": [{"posting_id": c.posting_id, "status": c.status, "value": c.value, "quote": c.quote,
                            "origin": c.origin if c.quote else None} for c in row.cells],
            } for row in self.facts],
        }


@dataclass
class ComparisonAnswer(Answer):
    """An Answer that lines postings up side by side (rendered as columns in Slack, a table in the terminal)."""

    comparison: Comparison | None = None


@dataclass
class Part:
    """A stretch of the question that should name one posting, and what naming found."""

    text: str
    query: Query | None = None
    posting: int | None = None  # the one posting it names
    candidates: list[int] = field(default_factory=list)  # the closest postings, when it names none for sure
    unknown: list[str] = field(default_factory=list)  # words no posting has ("Zephyrine")
    about_posting: bool = True  # False for a stretch with no content word ("remote"): not a posting's name
    score: float = 0.0  # how strongly its words name the posting (bot/naming.py's mention score)


def cuts(body: str) -> list[list[tuple[int, int]]]:
    """Every way to cut the body at its separators into 2 to 4 parts, the most parts first; each part is a run of
    pieces (first, last) of `pieces(body)`."""
    count = len(pieces(body))
    if count - 1 > MAX_SEPARATORS:
        return [[(i, i) for i in range(MAX_PARTS)]]
    out: list[list[tuple[int, int]]] = []
    for parts in range(min(MAX_PARTS, count), MIN_PARTS - 1, -1):
        for chosen in itertools.combinations(range(1, count), parts - 1):
            bounds = (0, *chosen, count)
            out.append([(bounds[k], bounds[k + 1] - 1) for k in range(parts)])
    return out


def pieces(body: str) -> list[str]:
    """The body between its separators, each piece with the separator after it ('the Harbortide role and ')."""
    out, at = [], 0
    for match in _SEPARATOR.finditer(body):
        out.append(body[at:match.end()])
        at = match.end()
    out.append(body[at:])
    return out


def name_part(namer: Namer, text: str, context: Sequence[int] = ()) -> Part:
    """What one part names, read as a single-posting question reads it (a name no posting has names nothing)."""
    if _IT.match(text.strip()) and context:
        return Part(text, posting=int(context[0]))  # "compare it with the Northwind role" in a thread
    query = namer.parse(text)
    part = Part(text, query)
    if not namer.content_words(query):
        part.about_posting = False
        return part
    named, company_only = namer.named_postings(query)
    part.unknown = namer.unknown_words(query)
    if part.unknown and not (named and namer.company_named(query, named[0])):
        part.candidates = [m.index for m in namer.mentions(query)[:5]]
        return part
    if len(named) == 1 and not company_only:
        part.posting = int(named[0])
        part.score = next((m.score for m in namer.mentions(query) if m.index == part.posting), 0.0)
    else:
        part.candidates = [int(i) for i in named[:5]] or [m.index for m in namer.mentions(query)[:5]]
    return part


def read_parts(namer: Namer, body: str, context: Sequence[int] = ()) -> list[Part] | None:
    """The parts the body names, by the cut whose parts name the most distinct postings (then the fewest parts
    naming none); None when no cut names any posting.

    A part of several pieces counts only when every piece helps name it: "the Research and Development
    Engineer role" (no piece alone names it as well), never "the Harbortide role and the Zephyrine" (its first
    piece alone names the same posting just as well: the rest is another part, naming nothing)."""
    if _THEM.match(body.strip()) and MIN_PARTS <= len(context) <= MAX_PARTS:
        return [Part("", posting=int(i)) for i in context]  # "compare them": the thread's postings
    split = pieces(body)
    named: dict[tuple[int, int], Part] = {}
    by_text: dict[str, Part] = {}

    def name(text: str) -> Part:
        if text not in by_text:
            by_text[text] = name_part(namer, text, context)
        return by_text[text]

    def part(first: int, last: int) -> Part:
        if (first, last) not in named:
            named[(first, last)] = name(_trim("".join(split[first:last + 1])))
        return named[(first, last)]

    best: tuple[tuple[int, int], list[Part]] | None = None
    unsure: list[Part] | None = None  # the cut with the most parts, each offering candidates, when none names one
    for bounds in cuts(body):
        parts = [part(first, last) for first, last in bounds]
        if not all(p.about_posting for p in parts):
            continue
        parts = carry_title(namer, carry_shared(namer, parts, name), name)
        if unsure is None and all(p.candidates for p in parts):
            unsure = parts
        seen: set[int] = set()
        for (first, last), p in zip(bounds, parts):
            if p.posting is None or p.posting in seen:
                continue
            if first < last and any(part(a, b).posting == p.posting and part(a, b).score >= p.score - 1e-6
                                    for a, b in ((first + 1, last), (first, last - 1))):
                continue  # a piece that adds nothing to the name: it was meant as a part of its own
            seen.add(p.posting)
        score = (len(seen), -(len(parts) - len(seen)))
        if best is None or score > best[0]:
            best = (score, parts)
    if best is None or best[0][0] == 0:
        return unsure  # "backend vs frontend": a comparison asked for, neither side named for sure
    return best[1]


def _company_of(namer: Namer, part: Part) -> str | None:
    """The company a part names itself ("Harbortide backend"), or None."""
    rows = [part.posting] if part.posting is not None else part.candidates
    if part.query is None or not rows or not namer.company_named(part.query, rows[0]):
        return None
    tokens = namer.catalog.mentions.company_tokens
    if any(tokens[i] != tokens[rows[0]] for i in rows):
        return None
    return namer.catalog.postings[rows[0]].company


def _place_of(part: Part) -> str | None:
    """The one place a part names itself ("the Denver backend job", "in TX"), or None."""
    if part.query is None:
        return None
    places = list(dict.fromkeys([*part.query.filters.cities, *part.query.place_hints, *part.query.filters.states]))
    return places[0] if places else None


def carry_shared(namer: Namer, parts: list[Part], name: Callable[[str], Part]) -> list[Part]:
    """A company or place stated once applies to every part that names none: "the backend and frontend roles
    at Harbortide", "Harbortide backend vs frontend". Only a part that names no posting alone is read again with
    them, and the new reading counts only when it names one posting by the part's own title words too (a company
    without such a role forces nothing: the part keeps its closest candidates; "the Research" never becomes the
    company's other role, nor the posting another part names). Parts stating different companies (or places)
    share none."""
    companies = {c for c in (_company_of(namer, p) for p in parts) if c}
    places = {pl for pl in (_place_of(p) for p in parts) if pl}
    company = next(iter(companies)) if len(companies) == 1 else None
    place = next(iter(places)) if len(places) == 1 else None
    if company is None and place is None:
        return parts
    taken = {p.posting for p in parts if p.posting is not None}
    out = []
    for p in parts:
        extra = []
        if company and _company_of(namer, p) is None and not (
                p.unknown and p.query is not None and namer.names_a_company(p.query, p.unknown)):
            extra.append(f"at {company}")
        if place and _place_of(p) is None:
            extra.append(f"in {place}")
        if not extra or p.query is None or not p.text or p.posting is not None:
            out.append(p)
            continue
        shared = name(f"{p.text} {' '.join(extra)}")
        by_title = shared.posting is not None and shared.query is not None and any(
            m.index == shared.posting and m.title > 0 for m in namer.mentions(shared.query))
        if shared.posting in taken:  # "data analyst vs QA analyst at Harbortide": never the other part's posting
            by_title = False
        out.append(Part(p.text, shared.query, shared.posting, shared.candidates, shared.unknown,
                        shared.about_posting, shared.score) if by_title else p)
    return out


def _title_words(namer: Namer, part: Part) -> list[str]:
    """The words of a part that could name a kind of role, without its own company's words and its places
    ("the data analyst roles in Dallas" -> data, analyst; "Northwind backend engineer" -> backend, engineer)."""
    if part.query is None:
        return []
    company = _company_of(namer, part)
    exclude = [normalise_token(t) for t in tokenize(company)] if company else []
    return [s.shown for s in namer.subjects(part.query, exclude=exclude)]


def _names_by_title(namer: Namer, part: Part, row: int) -> bool:
    """True when the part's words name the posting by some of its title words, not by its company or place
    alone."""
    return part.query is not None and any(m.index == row and m.title > 0 for m in namer.mentions(part.query))


def carry_title(namer: Namer, parts: list[Part], name: Callable[[str], Part]) -> list[Part]:
    """A role named once applies to every part that names only a company or a place: "the data analyst roles in
    Dallas and Denver", "Harbortide vs Northwind backend engineer", "the backend roles at Harbortide and
    Northwind". The role's words come from the parts that state a company or place of their own beside them,
    and all such parts must name the same role words; a part with no role word but a company or place of its
    own is read again with them in front. The new reading counts when it names one posting by those title words
    (never the posting another part names); when it names several, they are the part's closest candidates; when
    it names none by title, the part is kept as it was ("Harbortide" with no data analyst role)."""
    anchored = [p for p in parts if p.query is not None and (_company_of(namer, p) or _place_of(p))]
    titled = {tuple(words) for words in (_title_words(namer, p) for p in anchored) if words}
    if len(titled) != 1 or len(anchored) < 2:
        return parts
    words = " ".join(next(iter(titled)))
    taken = {p.posting for p in parts if p.posting is not None}
    out = []
    for p in parts:
        if p not in anchored or _title_words(namer, p) or not p.text:
            out.append(p)
            continue
        shared = name(f"{words} {p.text}")
        if shared.posting is not None and shared.posting not in taken and _names_by_title(namer, shared,
                                                                                             shared.posting):
            out.append(Part(p.text, shared.query, shared.posting, [], shared.unknown, True, shared.score))
            continue
        closest = [i for i in shared.candidates if i not in taken and _names_by_title(namer, shared, i)]
        if p.posting is None and closest:
            out.append(Part(p.text, shared.query, None, closest, shared.unknown, True, shared.score))
            continue
        out.append(p)
    return out


def _trim(text: str) -> str:
    """A part without the separator it ended with ('the Harbortide role and ' -> 'the Harbortide role')."""
    match = re.search(rf"(?:{_SEPARATOR.pattern})\s*$", text, re.I)
    return (text[:match.start()] if match else text).strip(" ,")


def _group(namer: Namer, body: str) -> tuple[Query, list[int]] | None:
    """"compare the DevOps roles", "compare the Harbortide jobs": the postings one stretch names, or None."""
    if _SEPARATOR.search(body):
        return None
    query = namer.parse(body)
    if not namer.content_words(query) or namer.unknown_words(query):
        return None
    named, company_only = namer.named_postings(query)
    subjects = namer.subjects(query)
    if query.is_list and not company_only and subjects:  # a kind of role in the plural: every posting so titled
        named = namer.without_negated(query, namer.titles_with(subjects))
    return (query, [int(i) for i in named]) if named else None


def compare_question(question: str, namer: Namer, quote: QuoteFor, context: Sequence[int] = ()) -> Answer | None:
    """The answer to a comparison question, or None when the question compares no named posting (then it is
    answered as any other question).

    Args:
        question: the question as asked.
        namer: the Namer over the catalog (bot/naming.py).
        quote: finds a posting's sentence about a fact it has no value for.
        context: catalog indexes of the postings the thread discussed ("compare it with …", "compare them").
    """
    body = comparison_body(question)
    if body is None:
        return None
    postings = namer.catalog.postings
    split = pieces(body)
    if len(split) > MAX_PARTS:  # "compare A, B, C, D and E": more postings than a comparison holds
        singles = [name_part(namer, _trim(piece), context).posting for piece in split]
        many = list(dict.fromkeys(i for i in singles if i is not None))
        if len(many) > MAX_PARTS:
            return group_size_answer(question, body, [postings[i] for i in many])
    parts = read_parts(namer, body, context)
    if parts is None:
        group = _group(namer, body)
        if group is None:
            return None
        query, rows = group
        if not MIN_PARTS <= len(rows) <= MAX_PARTS:
            return group_size_answer(question, body, [postings[i] for i in rows])
        parts = [Part(body, query, i) for i in rows]
    if any(p.posting is None for p in parts) or len({p.posting for p in parts}) < len(parts):
        return unnamed_answer(question, parts, postings)
    chosen = [postings[p.posting] for p in parts]  # type: ignore[index]
    queries = [p.query or namer.parse(compose.label(postings[p.posting])) for p in parts]  # type: ignore[index]
    return comparison_answer(question, compare_postings(chosen, queries, quote))


def compare_postings(postings: Sequence[Posting], queries: Sequence[Query], quote: QuoteFor) -> Comparison:
    """Each fact of each posting, as a table: rows that differ first, then those that agree, then those none
    states."""
    rows = [FactRow(fact, label, [_cell(fact, p, q, quote) for p, q in zip(postings, queries)])
            for fact, label in FACTS]
    rows.sort(key=lambda r: 0 if r.differs else 1 if r.any_stated else 2)  # stable: FACTS order kept inside
    return Comparison(list(postings), rows)


def _cell(fact: str, posting: Posting, query: Query, quote: QuoteFor) -> Cell:
    value, evidence = compose.fact_for(fact, posting)
    if value is None:
        sentence = quote(query, fact, posting)
        if sentence:
            return Cell(posting.id, QUOTED, quote=sentence, key=None)
        return Cell(posting.id, NOT_STATED)
    f = posting.facts
    key: Any = value
    if fact == "location":
        value = posting.location + (f" (its text says {f.location_text.value})" if f.location_text else "")
        key = value  # the place alone: remote has its own row
    elif fact == "languages":
        key = frozenset(lang.value for lang in f.languages)
    first = next((e for e in evidence if e.text), None)
    return Cell(posting.id, STATED, value, first.text if first else None, first.origin if first else "text", key)


def comparison_answer(question: str, comparison: Comparison) -> Answer:
    """The lead sentence (what differs, what they share) and the comparison behind it."""
    postings = comparison.postings
    both = "Both" if len(postings) == 2 else "All"
    neither = "neither" if len(postings) == 2 else "none"
    lines = [f"Comparing {len(postings)} postings: " + "; ".join(compose.label(p) for p in postings) + "."]
    differ = [NOUNS[r.fact] for r in comparison.facts if r.differs]
    same = [r for r in comparison.facts if not r.differs and r.any_stated]
    silent = [SILENT_NOUNS[r.fact] for r in comparison.facts if not r.any_stated]
    said = []
    if differ:
        said.append(f"They differ in {compose.join_words(differ)}.")
    if same:
        said.append(f"{both} state the same {compose.join_words([_same(r) for r in same])}.")
    if silent:
        said.append(f"{neither.capitalize()} states {_or_words(silent)}.")
    lines.append(" ".join(said))
    evidence = [EvidenceItem(c.posting_id, c.quote, c.origin) for r in comparison.facts for c in r.cells if c.quote]
    return ComparisonAnswer(question=question, intent="compare", status=ANSWERED, text="\n".join(lines),
                            postings=list(postings), evidence=evidence, total=len(postings), comparison=comparison)


def _same(row: FactRow) -> str:
    """'degree (a Bachelor's degree)': a fact they agree on, with its value."""
    value = next(c.value for c in row.cells if c.status == STATED)
    if len(value or "") > 60:
        return NOUNS[row.fact]
    return f"{NOUNS[row.fact]} ({value})"


def _or_words(items: Sequence[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    return compose.join_words(items).rsplit(" and ", 1)[0] + (f" or {items[-1]}" if len(items) > 1 else "")


def unnamed_answer(question: str, parts: Sequence[Part], postings: Sequence[Posting]) -> Answer:
    """A part names no posting (or one another part names): say which, with the closest postings; compare none."""
    lines: list[str] = []
    offered: list[Posting] = []
    found: dict[int, str] = {}
    for part in parts:
        if part.posting is not None and part.posting not in found:
            found[part.posting] = part.text
            continue
        shown = f"“{part.text[:80]}”"
        if part.posting is not None:
            lines.append(f"{shown} names the same posting as “{found[part.posting][:80]}” "
                         f"({compose.label(postings[part.posting])}); name another posting to compare with.")
            continue
        closest = [postings[i] for i in part.candidates if postings[i] not in offered][:5]
        offered.extend(closest)
        reason = "I couldn't tell which posting you mean by " + shown
        if part.unknown:
            words = ", ".join(f"“{w[:30]}”" for w in part.unknown[:3])
            reason += f": no indexed posting mentions {words}"
        if closest:
            names = "; ".join(compose.label(p) + (f" ({p.location})" if p.location else "") for p in closest)
            lines.append(f"{reason}. Name the company or the role — the closest matches are: {names}.")
        else:
            lines.append(f"{reason}. Name the company or the role.")
    if found and any(p.posting is None for p in parts):
        named = "; ".join(f"{compose.label(postings[i])} for “{text[:80]}”" for i, text in found.items())
        lines.append(f"(I found {named}.)")
    return Answer(question=question, intent="compare", status=NO_MATCH, text="\n".join(lines),
                  postings=offered, total=len(offered))


def group_size_answer(question: str, body: str, named: Sequence[Posting]) -> Answer:
    """"compare the engineer roles" names 1, or more than 4, postings: say so and list the first few."""
    shown = f"“{body[:80]}”"
    names = "; ".join(compose.label(p) + (f" ({p.location})" if p.location else "") for p in named[:5])
    if len(named) == 1:
        text = f"{shown} names one posting: {names}. Name another posting to compare it with."
    else:
        text = (f"{shown} names {len(named)} postings; I compare {MIN_PARTS} to {MAX_PARTS} at a time. "
                f"Name the ones to compare — for example: {names}{'; …' if len(named) > 5 else ''}.")
    return Answer(question=question, intent="compare", status=NO_MATCH, text=text, postings=list(named),
                  total=len(named))
