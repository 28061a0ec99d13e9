"""What every fact extractor shares: where a fact came from, number words, glued list items, column evidence."""

from __future__ import annotations

import functools
import re
from typing import Any

from index.text import seam_in_name

COLUMN, TEXT = "column", "text"

# a heading or label that marks what follows as preferred, not required
PREFERRED_HEADING = re.compile(r"prefer|desired|nice to have|bonus|plus|ideal", re.I)

WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}


# Scraped descriptions often lose the line break between list items ("therapyMaster's or greater",
# "EXPERIENCEBachelor's", "development1+ years"). Facts are matched in a copy where such a seam becomes
# "; " (a word and a figure get a space); the evidence quoted is always the original sentence.
_SEAM = re.compile(r"(?=[A-Z][a-z])(?:(?<=[a-z])|(?<=[A-Z]{2}))")
_FIGURE_SEAM = re.compile(r"(?<=[a-z])(?=\d|[A-Z]{2}|[A-Z]\.[A-Z])")
_SEAM_MAYBE = re.compile(r"[a-z][A-Z\d]|[A-Z]{3}[a-z]")  # where either seam could be; most sentences have none


@functools.lru_cache(maxsize=2048)  # every fact reads the same sentences of a posting
def unglue(sentence: str) -> str:
    """The sentence with the seams of glued list items marked ("fieldMaster's" -> "field; Master's").

    Camel-case names stay whole ("DevOps experience", "JavaScript", "LinkedIn").
    """
    if not _SEAM_MAYBE.search(sentence):
        return sentence

    def mark(match: re.Match[str], sep: str) -> str:
        return "" if seam_in_name(match.string, match.start()) else sep

    spaced = _SEAM.sub(lambda m: mark(m, "; "), sentence)
    return _FIGURE_SEAM.sub(lambda m: mark(m, " "), spaced)


def column_text(label: str, value: Any) -> str:
    """The evidence quoted for a structured field: "Salary (listed field): 17–20 USD hourly"."""
    return f"{label} (listed field): {value}"
