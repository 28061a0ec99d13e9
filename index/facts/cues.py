"""Which facts a posting's text has a cue for, whether or not a value could be read.

A cue without a value is a fact the extractor may have missed: the rebuild summary counts them.
"""

from __future__ import annotations

import re

from index.facts import german
from index.money import CURRENCY_BEFORE, FIGURE, find_pay

_PAY_WORDS = re.compile(
    r"\b(?:salary|salaries|pay|compensation|wages?|hourly rate|day rate|base|ote|ctc|remuneration|earn\w*|"
    + "|".join(german.PAY_CUES) + r")\b",
    re.I,
)
_CURRENCY_AMOUNT = re.compile(rf"{CURRENCY_BEFORE}\s?{FIGURE}|{FIGURE}\s?(?:[kK]\b)?\s?(?:€|£|\$|EUR|GBP|USD|zł|CHF)")
_ANY_NUMBER = re.compile(r"\d")
_YEARS_NEAR_EXPERIENCE = re.compile(
    r"\b(?:years?|yrs?|jahre?n?)\b[^.;\n]{0,60}\b(?:experience|exp|erfahrung|berufserfahrung|praxis)"
    r"|\b(?:experience|erfahrung|berufserfahrung)\b[^.;\n]{0,40}\b(?:years?|yrs?|jahre?n?)\b",
    re.I,
)
_DEGREE_WORDS = re.compile(
    r"\b(?:degree|bachelor'?s?|master'?s?|ph\.?\s?d|doctorate|diploma|mba|b\.?sc?|m\.?sc|ged|high school|"
    r"associate'?s? degree|" + "|".join(german.DEGREE_CUES) + r")\b",
    re.I,
)


def fact_cues(text: str) -> set[str]:
    """The facts the text has a cue for: "salary" (a currency amount near pay words, or pay words with a number),
    "experience_years" ("years"/"Jahre" near experience words), "degree" (a degree word)."""
    cues: set[str] = set()
    if not text:
        return cues
    for line in re.split(r"[\n.;]", text):
        if "salary" not in cues and _ANY_NUMBER.search(line):
            pay_word = _PAY_WORDS.search(line)
            if (pay_word and (_CURRENCY_AMOUNT.search(line) or _ANY_NUMBER.search(line))) or find_pay(line):
                cues.add("salary")
    if _YEARS_NEAR_EXPERIENCE.search(text):
        cues.add("experience_years")
    if _DEGREE_WORDS.search(text):
        cues.add("degree")
    return cues
