"""Typos in the words the grammar knows ("sallary", "locaton", "remtoe", "pyhton", "contarct") (pure).

A word is corrected only when it is not itself a known word (of the postings, when the caller can tell, or of the
grammar's own vocabulary), has 5+ letters, and is one edit away (a swap of two neighbours counts as one; two edits
for 8+ letters) from exactly one closest vocabulary word that starts with the same letter or is a neighbour swap
of it. A capitalised word inside a sentence is left alone: it may be a name ("Remtoe Labs").
"""

from __future__ import annotations

import functools
import re
from typing import Callable

from index.languages import LANGUAGES

# The grammar's vocabulary: intent words and facet words (the forms people type).
VOCABULARY = (
    "salary", "salaries", "pay", "paying", "wage", "wages", "compensation", "hourly", "yearly", "annual",
    "annually", "monthly", "location", "located", "remote", "remotely", "hybrid", "onsite", "office", "contract",
    "contractor", "contracts", "freelance", "internship", "internships", "intern", "temporary", "seasonal",
    "volunteer", "permanent", "experience", "experienced", "years", "degree", "bachelor", "bachelors", "master",
    "masters", "doctorate", "diploma", "education", "language", "languages", "programming", "requirements",
    "require", "required", "roles", "positions", "postings", "openings", "jobs", "which", "where", "minimum",
    "maximum", "between", "least", "under", "over", "above", "below", "full-time", "part-time",
)
# ordinary words one edit from a vocabulary word: never "corrected", never a correction
ORDINARY = (
    "pays", "paid", "days", "ways", "says", "remove", "removed", "rules", "rolls", "ages", "pages", "hours",
    "offices", "contact", "contacts", "internal", "here", "there", "other", "older", "order", "later", "range",
    "ranges", "master's", "degrees", "roses", "poles", "holes", "witch", "watch", "offer", "offers", "after",
)


@functools.lru_cache(maxsize=1)
def _vocabulary() -> dict[int, list[str]]:
    words = {w for w in VOCABULARY if w.isalpha()} | {
        name.lower() for name in LANGUAGES if name.isalpha() and len(name) >= 4}
    by_len: dict[int, list[str]] = {}
    for word in sorted(words):
        by_len.setdefault(len(word), []).append(word)
    return by_len


def _known(word: str) -> bool:
    return word in ORDINARY or any(word in bucket for bucket in _vocabulary().values())


def correct_word(word: str, is_known: Callable[[str], bool] = lambda _w: False) -> str | None:
    """The vocabulary word a typo stands for, or None (not a typo, or no single closest word)."""
    from rapidfuzz.distance import OSA

    lowered = word.lower()
    if len(lowered) < 5 or not lowered.isalpha() or _known(lowered) or is_known(lowered):
        return None
    limit = 2 if len(lowered) >= 8 else 1
    best: list[tuple[int, str]] = []
    for length in range(len(lowered) - limit, len(lowered) + limit + 1):
        for candidate in _vocabulary().get(length, ()):
            distance = OSA.distance(lowered, candidate, score_cutoff=limit)
            if distance > limit:
                continue
            if candidate[0] != lowered[0] and not (candidate[:2] == lowered[1::-1]):
                continue
            if candidate.rstrip("s") == lowered.rstrip("s") or candidate in (lowered + "ed", lowered + "d"):
                return None  # a plural or another form of a vocabulary word is a word, not a typo
            best.append((distance, candidate))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # two equally close words: no guess
    return best[0][1]


def correct_text(text: str, is_known: Callable[[str], bool] = lambda _w: False) -> tuple[str, dict[str, str]]:
    """The text with typos of vocabulary words fixed, and what was fixed (typed -> corrected)."""
    fixed: dict[str, str] = {}

    def repl(m: re.Match) -> str:
        word = m.group(0)
        if word[0].isupper() and m.start() > 0 and not re.search(r"[.?!]\s*$", text[:m.start()]):
            return word  # a capitalised word mid-sentence may be a name
        corrected = correct_word(word, is_known)
        if corrected is None:
            return word
        fixed[word.lower()] = corrected
        return corrected

    return re.sub(r"[A-Za-z]+", repl, text), fixed
