"""The listed location, as a column fact; and the place a posting's own text labels, when it names another."""

from __future__ import annotations

import re
import unicodedata
from typing import Sequence

from index.facts.common import COLUMN, TEXT, column_text as _column_text
from index.models import Fact

# "Location: Manhattan - Midtown", "**Work Location:** 2 Broadway, Manhattan", "Job location – Leeds"
_LABELLED = re.compile(
    r"^[\s*_#>•-]*(?:(?:work|job|office|primary|duty)\s+)?location\s*[*_]*\s*[:：–-]\s*[*_]*\s*(?P<place>[^\n]{2,80}?)"
    r"[\s*_.]*$", re.I)
# a work mode or a non-answer where a place would be ("Work Location: In person", "Location: 100% Remote")
_NOT_A_PLACE = re.compile(r"(?i)^(?:\d+\s*%\s*)?(?:remote|various|multiple|tbd|n/?a|see below|flexible|hybrid|"
                          r"on-?site|in[- ]person|on the road|one location|anywhere)\b")


def extract_location(location: str) -> Fact | None:
    """The listed location, as a column fact."""
    location = (location or "").strip()
    if not location:
        return None
    return Fact(location, _column_text("Location", location), COLUMN)


def _words(place: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", place).encode("ascii", "ignore").decode().lower()
    return {w for w in re.findall(r"[a-z]{3,}", folded)}


def extract_location_text(location: str, sentences: Sequence[str]) -> Fact | None:
    """The place a "Location:" line of the text names when it shares no word with the listed location
    ("Flushing, NY" listed, "Location: Manhattan - Midtown" in the text); None when they agree or no line says."""
    listed = _words(location)
    if not listed:
        return None
    for sentence in sentences:
        for line in sentence.splitlines():
            match = _LABELLED.match(line.strip())
            if not match or _NOT_A_PLACE.match(match["place"]):
                continue
            place = re.split(r"\s*[(|]", match["place"], maxsplit=1)[0].strip(" *_,;")  # "Alpharetta, GA (Onsite)"
            if not re.search(r"[A-Z]", place):
                continue
            if _words(place) and not (_words(place) & listed):
                return Fact(place, line.strip(), TEXT)
    return None
