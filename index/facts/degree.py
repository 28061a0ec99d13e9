"""Degree: the lowest one a posting accepts (a required one when any is required)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from index.facts import german
from index.facts.common import PREFERRED_HEADING as _PREFERRED_HEADING, TEXT, unglue
from index.models import DEGREES, Fact
from index.text import any_of, folded, is_heading

def _any(*alternatives: str) -> str:
    return "|".join(alternatives)


def _dotted(word: str) -> tuple[str, ...]:
    """Every spelling of an abbreviation with or without a dot after each letter but the last ("mba", "m.b.a")."""
    spellings = [word[0]]
    for letter in word[1:]:
        spellings = [f"{s}{dot}{letter}" for s in spellings for dot in ("", ".")]
    return tuple(spellings)


@dataclass(frozen=True)
class _DegreePattern:
    level: str
    regex: re.Pattern[str]
    keys: tuple[str, ...]  # every match holds one of these: in the folded sentence, or as written when case matters
    ignore_case: bool

    _find_key: Callable[[str], re.Match[str] | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_find_key", any_of(self.keys))  # frozen: set once here

    def may_match(self, sentence: str, lowered: str) -> bool:
        """False when no key is in the sentence (lowered: index.text.folded of it), so the regex cannot match."""
        return self._find_key(lowered if self.ignore_case else sentence) is not None


# (level, pattern, flags, keys); abbreviations that are also ordinary words ("MS Office", "BA" analyst, "MA" the
# state) count only next to "degree", "in", or another degree ("BS/MS"). Keys: see _DegreePattern.
_DEGREE_PATTERNS: tuple[_DegreePattern, ...] = tuple(
    _DegreePattern(level, re.compile(pattern, flags), keys, bool(flags & re.I))
    for level, pattern, flags, keys in (
        ("PhD", _any(
            r"\bph\.?\s?d\b\.?", r"\bdoctor(?:ate|al)\b(?! students?)", r"\bmedical degree\b",
            r"\bdoctor of (?:medicine|veterinary|pharmacy|osteopath\w*|physical therapy|psychology|philosophy|"
            r"education|nursing|jurisprudence|dental|chiropractic|optometry|audiology)\b",
            r"\bpsy\.?\s?d\b", r"\bed\.?\s?d\b(?=\W)", r"\bpharm\.?\s?d\b", r"\bd\.?v\.?m\b", r"\bd\.?d\.?s\b",
            r"\bd\.?p\.?t\b", r"\bjuris doctor\b", r"\bj\.d\.", r"\bJD\b(?= degree|\s*\(|\s+from)", r"\bM\.D\.",
            r"\bMD(?=/DO|\s+or\s+DO|\s+degree)", r"\bDNP\b"), re.I,
         ("phd", "ph.d", "ph d", "ph. d", "doctor", "medical degree", "psy", "edd", "ed.d", "ed d", "ed. d", "pharm",
          *_dotted("dvm"), *_dotted("dds"), *_dotted("dpt"), "j.d.", "jd", "m.d.", "md", "dnp")),
        ("Master", _any(
            r"\bmaster['’]s\b",
            r"\bmasters?['’]?\s+(?:degree|in\b|or\b|of (?:science|arts|business|social|education|public|fine|"
            r"engineering|architecture|health|library|accountancy|laws|professional))",
            r"\bmasters\b(?=\s*(?:preferred|required|\(|/))", r"\bM\.?B\.?A\b",
            r"\bM\.[SA]\.(?=\s*(?:in\b|degree|or\b|/|,|\)|preferred|required))", r"\bMSc\b", r"\bMSW\b", r"\bMSN\b",
            r"\bMPH\b", r"\b(?-i:M\.?Ed)\b", r"\bMFA\b", r"\bMPA\b", r"\bgraduate(?:[- ]level)? degree\b",
            r"\bpost-?graduate degree\b"), re.I,
         ("master", *_dotted("mba"), "m.s.", "m.a.", "msc", "msw", "msn", "mph", "med", "m.ed", "mfa", "mpa",
          "graduate")),
        ("Master", _any(
            r"(?<![\w.])MS(?=\s*(?:/|or)\s*Ph\.?\s?D|\s+(?:degree|in)\b)", r"(?<=BS/)MS\b", r"(?<=B\.S\./)M\.?S\b",
            r"(?<![\w.])MA(?=\s+(?:degree|in)\b)"), 0, ("MS", "M.S", "MA")),
        ("Bachelor", _any(
            r"\bbachelor'?s?['’]?s?\b", r"\bbaccalaureate degree\b", r"\bB\.S\.(?=\W)", r"\bB\.A\.(?=\W)", r"\bBSc\b",
            r"\bB\.[SA](?=\s+(?:in|degree)\b)",  # "B.S in Math"
            r"\bBSN\b", r"\bB\.?S\.?E\.?E\b", r"\bBBA\b", r"\bundergraduate degree\b",
            r"\b(?:4|four)[- ]year [^.;]{0,60}?degree\b", r"\bcollege degree\b", r"\buniversity degree\b",
            r"\b(?:graduat\w+|degree) from (?:an? )?(?:accredited )?(?:4|four)[- ]year (?:college|university)"), re.I,
         ("bachelor", "baccalaureate", "b.s.", "b.a.", "b.s", "b.a", "bsc", "bsn", *_dotted("bsee"), "bba", "degree", "graduat")),
        ("Bachelor", _any(
            r"(?<!\w)(?:BS|BA)(?=\s*(?:/|or)\s*(?:BS|BA|MS|MA|M\.S)|\s+(?:degree|in)\b)", r"(?<=BA/)BS\b",
            r"(?<=BS/)BA\b"), 0, ("BS", "BA")),
        ("Associate", _any(
            r"\bassociate'?s?['’]?s?\s+(?:degree|of (?:arts|science|applied))",
            r"\bassociate'?s?['’]?s? or (?:a )?(?:bachelor|higher|college)", r"\bA\.A\.S?\b", r"\bAAS\b(?= degree)",
            r"\b(?:2|two)[- ]year (?:college )?degree\b",
            r"\b(?:an|have an|minimum of an) associate'?s?['’]?s?\s+(?:or|/|degree)\b"), re.I,
         ("associate", "a.a.", "aas", "degree")),
        ("HighSchool", _any(
            r"\bhigh[- ]school (?:diploma|degree|education|graduate|equivalen\w*|or (?:equivalent|GED))",
            r"\bhigh[- ]school\s*/\s*GED\b", r"\bHS\s*(?:diploma|/\s*GED|or GED)\b", r"\bGED\b", r"\bG\.E\.D\b",
            r"\bgraduat\w* (?:from|of) (?:an? )?(?:accredited )?high[- ]school\b",
            r"\bsecondary school (?:diploma|certificate)"), re.I,
         ("high school", "high-school", "hs", "ged", "g.e.d", "secondary school")),
    )
)
_DEGREE_PATTERNS += tuple(
    _DegreePattern(level, re.compile(pattern, re.I), keys, True) for pattern, level, keys in german.DEGREE_PHRASES
)
_DEGREE_WORDS = any_of(key for p in _DEGREE_PATTERNS if p.ignore_case for key in p.keys)
_DEGREE_ABBREVIATIONS = any_of(key for p in _DEGREE_PATTERNS if not p.ignore_case for key in p.keys)
_DEGREE_NOT_HELD = re.compile(
    r"\b(?:currently enrolled|enrolled in|pursuing|current(?:ly)? (?:a )?student|students? (?:in|of|enrolled)|"
    r"rising (?:junior|senior)|working towards?)\b",
    re.I,
)
@dataclass
class _Degree:
    level: str
    preferred: bool


# A test that a sentence may name a degree at all, made after the keys (it misses a few spellings the patterns
# know, "D.D.S", "Psy D", "graduated from a four-year university": such a sentence is left unread, as before).
_DEGREE_MAYBE = re.compile(
    r"bachelor|master|degree|diploma|ged|ph\.?\s?d|doctor|associate|baccalaureate|high[- ]school|secondary|"
    r"psy\.?d|pharm|juris|[BM]\.?[SA]|MBA|MS[WN]|MPH|M\.?Ed|MFA|MPA|BSc|BSN|BBA|AAS|A\.A|HS|J\.?D|M\.?D|DNP|"
    r"D\.?V\.?M|DDS|DPT|Ed\.?D|studium|abschluss|diplom|ausbildung|abitur|hochschulreife|promo|doktor|magister",
    re.I,
)


def _degrees_in_sentence(sentence: str, preferred_section: bool) -> list[_Degree]:
    """Each degree a sentence names, and whether the sentence only prefers it."""
    lowered = folded(sentence)
    if not (_DEGREE_WORDS(lowered) or _DEGREE_ABBREVIATIONS(sentence)):
        return []  # most sentences: no pattern can match
    patterns = [p for p in _DEGREE_PATTERNS if p.may_match(sentence, lowered)]
    if not patterns or not _DEGREE_MAYBE.search(sentence):
        return []
    found = sorted((m.start(), m.end(), p.level) for p in patterns for m in p.regex.finditer(sentence))
    if not found or (_DEGREE_NOT_HELD.search(sentence) and not re.search(r"\bcompleted?\b", sentence, re.I)):
        return []
    out = []
    for index, (start, end, level) in enumerate(found):
        clause = _degree_clause(sentence, end, found[index + 1][0] if index + 1 < len(found) else None)
        head = sentence[max(0, start - 40) : start]
        decided = _REQUIRED_OR_PREFERRED.search(clause)
        if decided:
            preferred = decided.group(0).lower() not in _REQUIRED_WORDS
        else:
            preferred = preferred_section or bool(re.search(r"\b(?:preferred|preferably|ideally)\s*:?\s*$", head, re.I))
        out.append(_Degree(level, preferred))
    return out


# the first of these after a degree decides: "HS/GED Required; Associate degree preferred, but not required"
_REQUIRED_OR_PREFERRED = re.compile(
    r"\brequired\b|\bnot required\b|\b(?:preferred|preferably|a plus|is a bonus|desired|desirable|nice to have|"
    r"valued|advantage|advantageous|ideal|big plus)\b"
    r"|" + "|".join(re.escape(w) for w in (*german.DEGREE_REQUIRED, *german.DEGREE_PREFERRED)),
    re.I,
)
_REQUIRED_WORDS = frozenset(("required", *german.DEGREE_REQUIRED))


def _degree_clause(sentence: str, end: int, next_start: int | None) -> str:
    """What a sentence says right after a degree: up to the clause end or the next degree of another item.

    "Master's or PhD preferred" keeps the alternatives together; "BS in ME, MS in ME preferred" does not.
    """
    stop = re.search(r"[;.](?:\s|$)", sentence[end:])
    limit = end + (stop.start() if stop else len(sentence) - end)
    if next_start is not None and next_start < limit and re.search(r",|\band\b|\bwith\b", sentence[end:next_start]):
        limit = next_start
    clause = sentence[end : min(limit, end + 160)]
    return re.sub(r"\([^)]*\)", " ", clause)  # "(Mechanical Engineering preferred)" is about the field


def extract_degree(sentences: list[str]) -> Fact | None:
    """The lowest degree the posting accepts (a required one if any is required)."""
    candidates: list[tuple[_Degree, str]] = []
    section_preferred = False
    for sentence in sentences:
        if is_heading(sentence):
            section_preferred = bool(_PREFERRED_HEADING.search(sentence))
        candidates.extend(
            (degree, sentence) for degree in _degrees_in_sentence(unglue(sentence), section_preferred)
        )
    if not candidates:
        return None
    required = [c for c in candidates if not c[0].preferred]
    best, sentence = min(required or candidates, key=lambda c: DEGREES.index(c[0].level))
    return Fact(best.level, sentence, TEXT)
