"""The one vocabulary of work (employment) types: canonical names and the words and abbreviations for them.

Canonical names are `index.models.EMPLOYMENT_TYPES`. The table is data: each entry is a canonical type and the
phrases that name it, as regular-expression fragments (matched case-insensitively on word boundaries), plus the
short abbreviations ("PT", "FT") that name a work type only in a job context ("PT roles", not "PT clinic").
German words (Vollzeit, Teilzeit, Werkstudent, Praktikum, befristet ...) are kept as data in
`index.facts.german` and merged in here, so a question, a listed field and a description are read alike.
Used by the question parser, the loaders (listed fields) and the employment-type extractor (running text,
where only `TEXT_PHRASES` count: "perm", "FTE", "W2" or "gig" name a work type in a question or a field, but
in a sentence they are too loose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.facts import german

# canonical type -> phrases (regex fragments, lower-case)
_ENGLISH_PHRASES: dict[str, tuple[str, ...]] = {
    "Full-time": (r"full[\s_-]?time", r"fulltime", r"fte", r"permanent", r"perm"),
    "Part-time": (r"part[\s_-]?time", r"parttime"),
    "Contract": (r"contract(?:s|or|ors|ing)?", r"contract[\s-]to[\s-]hire", r"c2c", r"c2h", r"w2", r"1099",
                 r"freelance(?:r|rs)?", r"freelancing", r"gigs?"),
    "Temporary": (r"temp", r"temps", r"temporary", r"seasonal"),
    "Internship": (r"intern", r"interns", r"internships?", r"co-?op"),
    "Volunteer": (r"volunteer(?:s|ing)?", r"unpaid"),
}
# phrases that name a work type in a question or a listed field but not in running text ("a perm", "FTE count",
# "W2 employee", "gig economy", "unpaid invoices", "co-op board", "temp agency", a "permanent" full-time role)
LOOSE_PHRASES = frozenset({r"fte", r"perm", r"permanent", r"w2", r"gigs?", r"unpaid", r"co-?op", r"temp", r"temps",
                           r"1099", r"c2h"})


def _merged() -> dict[str, tuple[str, ...]]:
    merged = {value: list(phrases) for value, phrases in _ENGLISH_PHRASES.items()}
    for word, value in german.EMPLOYMENT_WORDS.items():
        merged.setdefault(value, []).append(re.escape(word))
    return {value: tuple(phrases) for value, phrases in merged.items()}


WORK_TYPE_PHRASES: dict[str, tuple[str, ...]] = _merged()
# words that contain a work-type word but do not name it ("unbefristet" is permanent, not "befristet")
NOT_WORK_TYPES = tuple(german.NOT_EMPLOYMENT)
# abbreviations that are also other words: a work type only beside a job noun or another work type
WORK_TYPE_ABBREVIATIONS: dict[str, str] = {"pt": "Part-time", "ft": "Full-time"}
_JOB_NOUN = r"(?:roles?|jobs?|positions?|openings?|postings?|gigs?|work|shifts?|hours|only|or|and|/)"


@dataclass(frozen=True)
class WorkTypeMention:
    """A work type named in a text: its canonical value and where."""

    value: str
    start: int
    end: int


_PHRASES = [
    (value, re.compile(r"(?<![\w])(?:" + "|".join(phrases) + r")(?![\w])", re.I))
    for value, phrases in WORK_TYPE_PHRASES.items()
]


def _text_alternation() -> str:
    phrases = [p for ps in WORK_TYPE_PHRASES.values() for p in ps if p not in LOOSE_PHRASES]
    return "|".join(sorted(phrases, key=len, reverse=True))


# one capturing group: a work type as running text names it ("full-time", "contract-to-hire", "Teilzeit")
TEXT_PHRASES = r"(" + _text_alternation() + r")"
_ABBREVIATION = re.compile(
    r"(?<![\w-])(" + "|".join(WORK_TYPE_ABBREVIATIONS) + r")(?=\s*" + _JOB_NOUN + r"\b)|"
    r"(?:\b(?:the|list|any|all|show|only|non-?|not|no)\s+)(" + "|".join(WORK_TYPE_ABBREVIATIONS) + r")\b"
    r"(?!\s+(?:clinic|therapist|therapy|assistant|aide|tech|technician|practice|office))", re.I)
# "gig" as the job noun ("contract gigs") does not name the contract type on its own
_NOUN_ONLY = re.compile(r"^gigs?$", re.I)


def work_types_in(text: str) -> list[WorkTypeMention]:
    """Every work type a text names, in order ("PT or FT roles" -> Part-time, Full-time).

    "gig(s)" is a job noun, no work type of its own: "contract gigs" is Contract, "part-time gigs" Part-time,
    "any gigs?" any work type (people say "gig" of any job; narrowing to contracts would drop what they asked).
    """
    found: list[WorkTypeMention] = []
    for value, pattern in _PHRASES:
        for match in pattern.finditer(text):
            mention = WorkTypeMention(value, match.start(), match.end())
            if not _NOUN_ONLY.match(match.group(0)):
                found.append(mention)
    for match in _ABBREVIATION.finditer(text):
        group = 1 if match.group(1) else 2
        value = WORK_TYPE_ABBREVIATIONS[match.group(group).lower()]
        found.append(WorkTypeMention(value, match.start(group), match.end(group)))
    found.sort(key=lambda m: m.start)
    return found


def text_work_type(phrase: str) -> str | None:
    """The canonical type of a phrase matched by TEXT_PHRASES ("Full time", "contractor", "Werkstudentin")."""
    for value, pattern in _PHRASES:
        if pattern.fullmatch(phrase.strip()):
            return value
    return None


def canonical_work_type(value: str) -> str | None:
    """The canonical type of one value ("FULL_TIME", "part time", "Freelance", "PT"), or None."""
    text = (value or "").strip()
    if text.lower() in WORK_TYPE_ABBREVIATIONS:
        return WORK_TYPE_ABBREVIATIONS[text.lower()]
    mentions = work_types_in(text.replace("_", " "))
    return mentions[0].value if mentions else None
