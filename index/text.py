"""Text helpers shared by extraction and chunking: sentences and section headings."""

from __future__ import annotations

import re

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–—]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? followed by space and an upper-case letter / digit / quote / bullet.
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9•\-*])")
# Glued sentences in scraped text: "...in design.You will" or "...per hourBenefits:" are split.
_GLUED = re.compile(r"(?<=[a-z0-9)][.!?])(?=[A-Z][a-z])")
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|Sr|Jr|Inc|Ltd|Co|Corp|Dr|Mr|Ms|Mrs|St|No|approx|incl|min|max|yrs|hr|wk|mo|U\.S|a\.m|p\.m)\.$", re.I)


def split_lines(text: str) -> list[str]:
    """Non-empty lines with bullets removed and whitespace folded."""
    out = []
    for line in text.splitlines():
        line = _BULLET.sub("", line)
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            out.append(line)
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of a posting: split at line breaks, bullets and sentence punctuation."""
    sentences: list[str] = []
    for line in split_lines(text):
        line = _GLUED.sub(" ", line) if _GLUED.search(line) else line
        parts = _SENT_END.split(line)
        buffer = ""
        for part in parts:
            buffer = f"{buffer} {part}".strip() if buffer else part.strip()
            if _ABBREV.search(buffer):
                continue  # "e.g." or "Inc." is not the end of a sentence
            if buffer:
                sentences.append(buffer)
            buffer = ""
        if buffer:
            sentences.append(buffer)
    return sentences


_HEADING_WORDS = (
    "about", "requirements", "qualifications", "responsibilities", "duties", "benefits", "perks",
    "compensation", "salary", "pay", "what you", "who you", "you will", "you'll", "your role", "the role",
    "skills", "experience", "education", "nice to have", "preferred", "bonus", "location", "schedule",
    "job type", "overview", "summary", "description", "what we", "why", "our team", "how to apply",
    "must have", "minimum", "basic", "essential", "key", "day to day", "role",
)


def is_heading(line: str) -> bool:
    """True for a short line that names a section ("Requirements:", "## Benefits", "WHAT YOU'LL DO")."""
    stripped = line.strip().lstrip("#").strip().rstrip(":").strip()
    if not stripped or len(stripped) > 60 or stripped.endswith((".", ",", ";")):
        return False
    lowered = stripped.lower()
    if line.strip().startswith("#") or line.strip().endswith(":"):
        return len(stripped.split()) <= 8
    if stripped.isupper() and len(stripped.split()) <= 6 and any(c.isalpha() for c in stripped):
        return True
    return len(stripped.split()) <= 5 and any(lowered.startswith(w) for w in _HEADING_WORDS)
