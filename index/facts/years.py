"""Years of experience: the minimum the main requirement asks for, never the company's history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.facts import german
from index.facts.common import PREFERRED_HEADING as _PREFERRED_HEADING, TEXT, unglue
from index.facts.common import WORD_NUMBERS as _ENGLISH_NUMBERS
from index.models import Fact
from index.text import any_of, folded, is_heading

_WORD_NUMBERS = {**_ENGLISH_NUMBERS, **german.NUMBER_WORDS}
_WORDS = "|".join(_WORD_NUMBERS)
_YEAR_UNIT = "|".join([r"years?", r"yrs?", *german.YEAR_WORDS])
_DE_EXPERIENCE = "|".join(rf"\w*{w}" for w in german.EXPERIENCE_WORDS)
_DE_MINIMUM = "|".join(re.escape(w) for w in german.MINIMUM_WORDS)
# "4+ years building production apps", "7 years shipping mobile apps": the practice, as a verb
GERUNDS = ("building", "writing", "developing", "designing", "working", "shipping", "leading", "managing",
           "delivering", "creating", "maintaining", "coding", "programming", "engineering", "operating",
           "architecting", "deploying", "scaling", "supporting", "administering", "implementing", "testing")
# a figure: digits ("5", "(1)" and, once unglued, "development 1+"), a number word, or "a" after "at least"
_FIGURE = rf"(?:(?<![\d$/])(?<!\w-)(?<!\d[.,])\(?\d{{1,2}}\)?|\b(?:{_WORDS})\b|(?<=at least )a\b|(?<=minimum of )a\b)"
_PAREN = r"(?:\s*\(\d{1,2}(?:\s*[-–]\s*\d{1,2})?\+?\))?"  # "seven (7)", "two to five (2-5)"
_YEARS = re.compile(
    rf"(?P<n1>{_FIGURE}){_PAREN}\s*\+?"
    rf"(?:\s*(?:-|–|—|to|or)\s*(?P<n2>\d{{1,2}}|{_WORDS}){_PAREN})?"
    rf"\s*(?:\+|plus\b|or more\b|or greater\b)?\s*(?:full[- ]time\s+)?(?:{_YEAR_UNIT})\b\.?(?:\s*\(s\))?\s*\+?(?!-)",
    re.I,
)
# "Min 10 to12+ strong development experience": a figure with no "years" right after a minimum word.
_YEARS_BARE = re.compile(
    r"\b(?:min(?:imum)?\.?|at least)\s+(?:of\s+)?(?P<n1>\d{1,2})(?:\s*(?:-|to)\s*(?P<n2>\d{1,2}))?\s*\+?"
    r"\s+(?:\w+\s+){0,3}?(?:experience|exp)\b",
    re.I,
)
_NO_EXPERIENCE = re.compile(
    r"\bno (?:prior |previous |professional |work |formal )?experience (?:is |is not )?(?:required|necessary|needed)\b",
    re.I,
)
# after the figure: "of relevant .NET/C# development experience", "in sales", "(Required)"
_EXPERIENCE_AFTER = re.compile(
    r"^[\s'’]*(?:[^\s;:]+\s+){0,12}?(?:experience|exp\b|experienced|background|work\w*|employment|history in|"
    rf"on the job|{_DE_EXPERIENCE})",
    re.I,
)
# "6+ years of professional iOS development", "5 years of hands-on C# programming": the practice itself
_PRACTICE_AFTER = re.compile(
    r"^[\s'’]*of\s+(?:[^\s;:]+\s+){0,4}?(?:development|programming|coding|software engineering)\b", re.I
)
_FIELD_AFTER = re.compile(
    r"^[\s'’]*(?:of\s+)?(?:(?:in|as an?|as|doing|selling|managing|leading|teaching|practicing|als|im|in der)\s+\w|"
    rf"(?:{'|'.join(GERUNDS)})\b)", re.I
)
_REQUIRED_AFTER = re.compile(r"^[\s'’]*(?:of\s+)?(?:[^\s;:.]+\s+){0,6}?(?:required|needed|minimum)\b", re.I)
_EXPERIENCE_BEFORE = re.compile(rf"\b(?:experience|{_DE_EXPERIENCE})\b[^.]{{0,60}}$|\bexp\s*:\s*$|:\s*$", re.I)
_REQUIRED_NEAR = re.compile(
    rf"\b(?:minimum|min\.?|at least|required|requires?|must|need(?:ed|s)?|demonstrated|{_DE_MINIMUM})(?!\w)", re.I
)
_MINIMUM_BEFORE = re.compile(
    rf"\b(?:minimum(?: of)?|min\.?|at least|must have|requires?|required|{_DE_MINIMUM})\s*:?\s*$", re.I
)
_PREFERRED_AFTER = re.compile(
    r"^[^.;:]{0,80}?\b(?:preferred|a plus|desired|desirable|nice to have|is a bonus|an advantage|ideal(?:ly)?)\b", re.I
)
# "with over 44 years of experience, we ...", "serving Omaha for 30 years": the company's history
_HISTORY_BEFORE = re.compile(
    r"\b(?:over|more than|for|nearly|almost|since|past|last|after|within|every|each|first|in the|than|"
    r"celebrat\w*|established|founded|anniversary|" + "|".join(german.HISTORY_BEFORE) + r")\s+(?:the\s+)?(?:past\s+|last\s+)?$",
    re.I,
)
_HISTORY_AFTER = re.compile(
    r"^\s*(?:old|of age|ago|in business|of service|of operation|in operation|history|in a row|consecutive|"
    r"anniversary|later|from now|or older|of (?:our|their) (?:history|existence)|"
    r"(?:of|in) (?:college|school|university|high school)|college|degree|program|of (?:college|school))\b",
    re.I,
)
_TERM_AFTER = re.compile(r"^\s*(?:contract|term|lease|warranty|commitment|agreement|assignment)\b", re.I)
_COMPANY_SUBJECT = re.compile(
    r"\b(?:we|we've|we're|our|us|company|firm|agency|organization|has been|have been|founded|serving|served|"
    r"established|history|legacy)\b",
    re.I,
)
_CANDIDATE_WORDS = re.compile(
    r"\b(?:you|your|candidates?|applicants?|individuals?|someone|person|required|requires?|requirements?|must|"
    r"minimum|preferred|qualifications?|ideal|seek\w*|looking for|need for|hire|hiring|"
    r"(?:we|you)\s+(?:need|want|expect|ask for|require))\b",
    re.I,
)
# "we have 20 years of ..."; a label ends the clause: "What we want: 3+ years" is a requirement
_WE_BEFORE = re.compile(r"\b(?:we|we've|we're|our|us)\b[^.;:]{0,40}$", re.I)
# "..., including at least a year with Python": a part of the requirement before it, not the requirement
_PART_BEFORE = re.compile(
    r"\b(?:including|incl\.?|of which|with at least|among (?:them|which)|thereof|davon|out of which)\b[^.;]{0,25}$",
    re.I,
)
# a bare figure in a requirement list: "3–5 yrs backend", "5+ years Rails": a range or a plus marks a requirement
_RANGE_OR_PLUS = re.compile(r"\d\s*\+|\d\s*(?:-|–|—|to)\s*\d", re.I)


@dataclass
class _Years:
    value: int
    score: int
    order: int
    sentence: str


def _to_int(raw: str) -> int:
    raw = raw.strip().strip("()").lower()
    if raw == "a":
        return 1
    return int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]


_find_years_word = any_of(("year", "yr", "jahr"))  # in every _YEARS match
_find_minimum_word = any_of(("min", "at least"))  # with "exp", in every _YEARS_BARE match


def _years_in_sentence(sentence: str, preferred_section: bool) -> list[tuple[int, int]]:
    """(years, score) for each experience requirement in one sentence."""
    lowered = folded(sentence)
    stated = _find_years_word(lowered) is not None
    bare = "exp" in lowered and _find_minimum_word(lowered) is not None
    if not (stated or bare):
        return []
    found: list[tuple[int, int]] = []
    for match in _YEARS.finditer(sentence) if stated else ():
        before, raw_after = sentence[: match.start()], sentence[match.end() :]
        after = re.sub(r"^\s*\([^)]{0,60}\)", " ", raw_after)  # "3 years (5+ preferred) experience"
        if _HISTORY_AFTER.match(after):
            continue
        experience_after = bool(_EXPERIENCE_AFTER.match(after[:160]))
        if _TERM_AFTER.match(after) and not _EXPERIENCE_AFTER.match(after[:40]):
            continue  # "a 2 year contract"
        if _HISTORY_BEFORE.search(before[-25:]) and (
            _COMPANY_SUBJECT.search(sentence) or not _CANDIDATE_WORDS.search(sentence)
        ):
            continue
        if _WE_BEFORE.search(before) and not _CANDIDATE_WORDS.search(before):
            continue  # "we have 20 years of experience in roofing"
        if re.search(r"\b(?:enrolled|pursuing|student)\b[^.;]{0,80}$", before, re.I):
            continue  # "enrolled in an undergraduate program for at least 2 years"
        labelled = bool(_EXPERIENCE_BEFORE.search(before[-70:])) and bool(
            re.search(r"experience|exp\b|erfahrung|praxis", before, re.I)
        )
        marked = bool(re.match(r"^\s*\((?:required|preferred)\)", raw_after, re.I))
        minimum = bool(_MINIMUM_BEFORE.search(before[-25:]))
        stated = bool(_FIELD_AFTER.match(after) or _REQUIRED_AFTER.match(after) or _PRACTICE_AFTER.match(after))
        listed = bool(_RANGE_OR_PLUS.search(match.group(0))) and re.match(r"^\s*[A-Za-z]", after) is not None and (
            not _COMPANY_SUBJECT.search(sentence) or _CANDIDATE_WORDS.search(sentence)) and not re.search(
            r"\b(?:ages?|aged|kids|children|students?|grades?)\b[^.;]{0,10}$", before, re.I)
        if not (experience_after or labelled or marked or minimum or stated or listed):
            continue
        low = _to_int(match.group("n1"))
        high = _to_int(match.group("n2")) if match.group("n2") else None
        if low > 40 or (high is not None and high < low):
            continue
        score = _years_score(before, after)
        if found and _PART_BEFORE.search(before):
            score = min(score, min(s for _, s in found)) - 2  # a part of the requirement named before it
        found.append((low, score))
    for match in _YEARS_BARE.finditer(sentence) if bare else ():
        before, after = sentence[: match.start()], sentence[match.end() :]
        low = int(match.group("n1"))
        if 0 < low <= 40 and not any(True for m in _YEARS.finditer(match.group(0))):
            found.append((low, _years_score(before + "minimum ", after)))
    if preferred_section:
        found = [(value, score - 2) for value, score in found]
    return found


_LABEL = re.compile(r"([A-Za-z][A-Za-z /&'’-]{2,60}):")


def _years_score(before: str, after: str) -> int:
    score = 2
    labels = _LABEL.findall(before[-160:])
    if labels and _PREFERRED_HEADING.search(labels[-1]):
        score -= 2  # "Desired Skills and Experience: ... 7 years"
    if _REQUIRED_NEAR.search(before[-40:]) or re.match(r"^[^.;]{0,80}\b(?:required|needed)\b", after, re.I):
        score += 1
    if _PREFERRED_AFTER.match(after) or re.search(r"\b(?:preferred|preferably|ideally)\s*:?\s*$", before[-30:], re.I):
        if not re.match(r"^[^.;:]{0,40}\bpreferably\b", after, re.I):
            score -= 2
    return score


def extract_min_years(sentences: list[str]) -> Fact | None:
    """The minimum years of experience the main requirement asks for (the low end of a range)."""
    candidates: list[_Years] = []
    section_preferred = False
    order = 0
    for sentence in sentences:
        if is_heading(sentence):
            section_preferred = bool(_PREFERRED_HEADING.search(sentence))
        for value, score in _years_in_sentence(unglue(sentence), section_preferred):
            candidates.append(_Years(value, score, order, sentence))
            order += 1
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.order))
        return Fact(best.value, best.sentence, TEXT)
    for sentence in sentences:
        if _NO_EXPERIENCE.search(unglue(sentence)):
            return Fact(0, sentence, TEXT)
    return None
