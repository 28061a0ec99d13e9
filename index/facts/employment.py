"""Employment type (Full-time, Part-time, Contract...): the listed field, else a statement about this job."""

from __future__ import annotations

import re
from typing import Any

from index.facts import german
from index.facts.common import COLUMN, TEXT, column_text as _column_text, unglue
from index.models import EMPLOYMENT_TYPES, Fact
from index.worktypes import TEXT_PHRASES, canonical_work_type, text_work_type

# a work type as running text names it, from the one vocabulary (index.worktypes), as one capturing group
_TYPE = TEXT_PHRASES
# "Job Type: Full-time", "Schedule: Full-time, 36 hours", UK "Contract: Permanent, full-time"
_TYPE_LABEL = re.compile(
    rf"\b(?:(?:job|position|employment|work|role|contract)?\s*(?:types?|status)|employment|contract|schedule|hours)"
    rf"\s*:\s*(?:permanent\s*(?:[,/&]|and)?\s*)?{_TYPE}\b",
    re.I,
)
# a job board's chips: "Full-time · Mid-Senior level", "Engineering · Full-time"
_TYPE_CHIP = re.compile(rf"(?:^\s*{_TYPE}\s*[·|•]|[·|•]\s*{_TYPE}\s*(?:[·|•]|$))", re.I)
_TYPE_STATEMENT = re.compile(
    rf"\b(?:this|the|a|an|is|as)\s+(?:is\s+)?(?:an?\s+)?(?:\w+[, ]+){{0,3}}?{_TYPE}[, ]+"
    r"(?:(?:\w+|on-site|in-person)[, ]+){0,2}?(?:role|position|job|opportunity|assignment|engagement|employment|"
    r"internship|program|hire)\b",
    re.I,
)
_INTERNSHIP = re.compile(r"\b(?:this|the|an?|our)\s+(?:[\w-]+\s+){0,3}?(internship)\b", re.I)
_TYPE_TITLE = re.compile(rf"[(\[|\-–,]\s*{_TYPE}\s*[)\]]?|{_TYPE}\s*[)\]]", re.I)
_NOT_THIS_JOB = re.compile(
    r"\b(?:grow|growing|transition|transitions|convert|conversion|lead|leads|path|potential|possibility|become|"
    r"move|moving|promoted|eventually|future|not|other|our|all|existing)\b[^.;]{0,30}$"
    r"|\bcontract (?:for|of) employment\b",
    re.I,
)
_CONTRACT_HINT = re.compile(
    r"\b(?:c2c|corp[- ]to[- ]corp|w2 contract|contract[- ]to[- ]hire|1099 (?:contractor|position|role)|"
    r"independent contractor|contract (?:role|position|job|assignment|engagement))\b",
    re.I,
)


def _employment_value(raw: str) -> str | None:
    """The canonical type of a matched phrase or a listed value, by index.worktypes."""
    value = text_work_type(raw) or canonical_work_type(raw)
    return value if value in EMPLOYMENT_TYPES else None


def extract_employment_type(columns: dict[str, Any], title: str, sentences: list[str]) -> Fact | None:
    """Full-time, part-time, contract...: the listed field, else a statement about this job."""
    listed = str(columns.get("work_type") or "").strip()
    if listed:
        value = listed if listed in EMPLOYMENT_TYPES else _employment_value(listed.replace("_", " "))
        if value:
            return Fact(value, _column_text("Work type", listed), COLUMN)
    for pattern in (_TYPE_LABEL, _TYPE_CHIP, _TYPE_STATEMENT, _INTERNSHIP):
        for sentence in sentences:
            plain = unglue(sentence)
            for match in pattern.finditer(plain):
                if _NOT_THIS_JOB.search(plain[max(0, match.start() - 40) : match.start()] + match.group(0)):
                    continue  # "grow into a full-time position", "not a contract for employment"
                if value := _employment_value(next(g for g in match.groups() if g)):
                    return Fact(value, sentence, TEXT)
    in_title = _TYPE_TITLE.search(title or "")
    if in_title:
        raw = next(g for g in in_title.groups() if g)
        if value := _employment_value(raw):
            return Fact(value, _column_text("Title", title.strip()), COLUMN)
    for sentence in sentences:
        if _CONTRACT_HINT.search(unglue(sentence)):
            return Fact("Contract", sentence, TEXT)
    return _german_employment_type(sentences)


_GERMAN_TYPE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(map(re.escape, german.EMPLOYMENT_WORDS), key=len, reverse=True)) + r")(?!\w)"
    r"|(?<![\w-])(" + "|".join(map(re.escape, german.EMPLOYMENT_ABBREVIATIONS)) + r")(?![\w-])",
    re.I,
)


def _german_employment_type(sentences: list[str]) -> Fact | None:
    """"Vollzeit", "Teilzeit", "Werkstudent", "Praktikum", "befristet", "in VZ": the first stated; a fixed-term
    contract ("befristet") counts only when nothing else is stated."""
    temporary: Fact | None = None
    for sentence in sentences:
        for match in _GERMAN_TYPE.finditer(sentence):
            if match.group(2):
                if match.group(2) not in german.EMPLOYMENT_ABBREVIATIONS:
                    continue  # the abbreviations count only in capitals
                return Fact(german.EMPLOYMENT_ABBREVIATIONS[match.group(2)], sentence, TEXT)
            value = german.EMPLOYMENT_WORDS[match.group(1).lower()]
            if value == "Temporary":
                temporary = temporary or Fact(value, sentence, TEXT)
                continue
            return Fact(value, sentence, TEXT)
    return temporary
