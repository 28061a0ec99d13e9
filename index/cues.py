"""Cue words, the one vocabulary: does a sentence speak of a fact at all (pay, years, degree, remote, work type,
place)?

Extraction reads a typed value ("$90,000–$120,000 a year"); a cue only says that a sentence is ABOUT the
fact, whether or not a value can be read from it ("Salary: DOE", "Gehalt nach Vereinbarung", "several
years in a similar role"). Three uses:

* the bot never says "the posting does not state X" while a sentence of that posting speaks of X: it
  quotes the sentence instead (`bot/retrieval.py`);
* the rebuild reports postings that have a cue but no extracted value: where extraction fails
  (`extraction_gaps`, `benchmarks/extraction_check.py`);
* `fact_cues(text)` (also importable as `index.extract.fact_cues`): the salary / years / degree cues of a text.

The vocabulary is data (English here, German words from `index.facts.german`), one table per fact; amounts
and currencies are `index.money`'s. A cue is deliberately narrower than a word search: "competitive benefits",
"raised $51M" or "with over 30 years of experience, we serve farmers" are not statements about pay or about
the years a candidate needs; "competitive salary" and "DOE" are.
"""

from __future__ import annotations

import re
from typing import Iterable

from index.facts import german
from index.money import CURRENCY_AFTER, CURRENCY_BEFORE, FIGURE, THOUSANDS, find_pay
from index.text import split_sentences

# Fact keys, as the rebuild summary and `fact_cues` name them.
SALARY, YEARS, DEGREE, REMOTE, WORK_TYPE, LOCATION = (
    "salary", "experience_years", "degree", "remote", "employment_type", "location")
FACT_KEYS = (SALARY, YEARS, DEGREE, REMOTE, WORK_TYPE, LOCATION)
# The facts `fact_cues` answers for (the ones the rebuild counts as extraction gaps).
EXTRACTOR_KEYS = (SALARY, YEARS, DEGREE)


def _words(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# a sum of money, by index.money's notation: "$120k", "€ 4.200", "55.000 €", "95 000 CHF"
_MONEY = rf"(?:{CURRENCY_BEFORE}\s?{FIGURE}(?:{THOUSANDS})?|\b{FIGURE}(?:{THOUSANDS})?\s?{CURRENCY_AFTER})"
# Money that is not pay: funding, valuation, revenue ("raised $51M", "Valuation $500M+").
_NOT_PAY = re.compile(
    r"\b(raised|rais\w+|funding|funded|valuation|valued|revenue|ARR|series [a-e]|seed|investors?|"
    r"market cap|turnover|Umsatz|Finanzierung)\b|"
    rf"{CURRENCY_BEFORE}\s?\d[\d,.]*\s?(?:m|mm|b|bn|M|B|million|billion|Mio|Mrd)\b",
    re.I)
# a word that makes a sentence about pay even when it also names funding
_PAY_NOUN = re.compile(r"\b(salary|compensation|pay|wage|" + _words(german.PAY_CUES) + r")\b", re.I)
_YEAR = r"(?:years?|yrs?|" + _words(german.YEAR_WORDS) + r")"
_DE_EXPERIENCE = _words(german.EXPERIENCE_WORDS)

_VOCABULARY: dict[str, str] = {
    SALARY: (
        r"\b(salary|salaries|compensation|remuneration|wages?|pay\s?(?:range|rate|band|scale|grade)|base pay|"
        r"hourly rate|day rate|daily rate|rate of pay|per hour|an hour|/\s?(?:hr|hour|yr|year|annum)\b|per annum|"
        r"p\.a\.|OTE|DOE|CTC|LPA|lakhs?|(?:monthly|weekly|annual|paid|intern\w*)\s+stipend|stipend of|pay is|we pay|"
        r"paid (?:hourly|weekly|monthly)|brutto|bruttojahresgehalt|gehalt\w*|" + _words(german.PAY_CUES) + r")\b|"
        + _MONEY + "|"
        r"\b\d{2,3}(?:[.,]\d)?\s?[kK]\s?(?:-|–|to)\s?\d{2,3}(?:[.,]\d)?\s?[kK]\b"  # "75k-110k"
    ),
    YEARS: (
        rf"\b(\d+\s*\+?\s*(?:-|–|to|bis)?\s*\d*\s*\+?\s*{_YEAR}(?:'|’)?\s+(?:of\s+)?(?:\w+\s+){{0,4}}?"
        rf"(?:experience|exp|background|track record|working|work|in (?:a|the|this|similar)|as an?|hands-on|"
        rf"professional|industry|{_DE_EXPERIENCE})|"
        rf"(?:minimum|min\.?|at least|over|more than|mindestens)\s+(?:of\s+)?\d+\s*\+?\s*{_YEAR}|"
        r"years? of (?:\w+\s){0,3}experience|"
        rf"\d+\s*\+\s*{_YEAR}|"  # "4+ years building …": a plus marks a requirement
        r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple)\s+(?:\+\s*)?years?|"
        rf"(?:ein|eine|{_words(german.NUMBER_WORDS)}|mehrere|mehrjährige\w*)\s+{_YEAR}|"
        r"mehrjährig\w*|langjährig\w*)\b|"
        r"\b\d+\s*(?:years?|yrs?)\s*\((?:required|preferred|minimum)\)|"
        rf"\b(?:experience|{_DE_EXPERIENCE})\w*[^.]{{0,40}}?\b\d+\s*\+?\s*(?:-|–|to|bis)?\s*\d*\s*{_YEAR}\b"
    ),
    DEGREE: (
        r"\b(degree|bachelor\w*|master'?s|masters|diploma|ph\.?\s?d|doctorate|B\.?Sc?|M\.?Sc|B\.?A|M\.?B\.?A|"
        r"B\.?Tech|M\.?Tech|BSN|GED|high school|university|college|graduate|graduated|"
        r"Hochschul\w*|Universität|Fachhochschule|(?:\w*studien|hochschul|universitäts|master|bachelor|berufs)"
        r"abschluss\w*|\w*studium|" + _words(german.DEGREE_CUES) + r")\b"
    ),
    REMOTE: (
        r"\b(remote\w*|hybrid|on-?site|in[- ]office|in the office|office[- ]based|work(?:ing)? from home|WFH|"
        r"home ?office|telecommut\w*|distributed team|fully distributed|in[- ]person|"
        r"mobiles? Arbeiten|vor Ort|Präsenz\w*|Homeoffice)\b"
    ),
    WORK_TYPE: (
        r"\b(full[- ]?time|part[- ]?time|contract(?:or)?|fixed[- ]term|temporary|temp|permanent|internship|"
        r"intern|freelance|seasonal|per diem|PRN|W-?2|C2C|1099|befristet\w*|unbefristet\w*|Festanstellung|"
        + _words(german.EMPLOYMENT_WORDS) + r")\b"
    ),
    LOCATION: (
        r"\b(located in|based in|office in|offices in|headquartered|HQ|location|relocat\w*|on-?site in|"
        r"Standort|Sitz in|Arbeitsort|in der Nähe von)\b"
    ),
}
_CUES = {key: re.compile(pattern, re.I) for key, pattern in _VOCABULARY.items()}

# "we want / need / expect ...": the company speaking of what it asks for, not of its own history
_WE_ASK = r"(?!\s+(?:want|need|expect|require|ask|look|seek|are (?:looking|seeking|hoping)|'re looking|value|would))"
# Words that look like cues but are not ("paid time off", "compensation" for workers' injuries).
_FALSE = {
    SALARY: re.compile(r"\b(paid time off|paid (?:holidays?|leave|vacation|sick)|workers'? compensation|"
                       r"pay it forward)\b|"
                       # money that is a bonus, allowance or benefit, not the pay: "$5,000 sign-on bonus"
                       + CURRENCY_BEFORE + r"\s?\d[\d,.]*\s?(?:k|K)?\s*(?:[\w-]+\s+){0,2}?(?:sign[- ]?on|signing|"
                       r"referral|relocation|retention|joining|bonus|allowance|stipend for|reimburse\w*|"
                       r"learning budget|budget|home[- ]office|equipment|wellness|gym|internet|phone|conference|commuter)\w*|"
                       r"\b(?:home[- ]office|equipment|learning|wellness|gym|internet|phone|education|conference|"
                       r"meal|lunch|commuter|travel|coworking)\s+(?:stipend|allowance|budget)\b", re.I),
    YEARS: re.compile(r"\b(years? old|years? of age|years? ago|years? (?:in business|of history)|since \d{4}|"
                      r"\d+\s*years? (?:running|in a row)|increases? after \d+\s*years?|"
                      # the company's own experience: "with over 40 years of experience, we …"
                      r"(?:with|for|over|more than|nearly|almost)\s+(?:over\s+)?\d+\s*\+?\s*years?"
                      r"(?:\s+of\s+\w+)?,?\s+(?:we|our|the company|the firm)\b|"
                      r"\b(?:we" + _WE_ASK + r"|our (?:company|firm|team)|the company)\b[^.:;]{0,50}\b\d+\s*\+?\s*years?)",
                      re.I),
}


# A sentence about the employer's own years ("Glastender has been serving the industry for over 50 years", "an
# industry leader for 30+ years", "a 20+ year legacy") when it asks nothing of the reader.
_HISTORY = re.compile(
    r"\b(?:has|have|had) (?:been|\w+ed)\b|\bserv(?:ing|ed)\b|\bin business\b|\blegacy\b|\bhistory\b|\bfounded\b|"
    r"\bestablished\b|\bleader\b|\btrack record\b|\btradition\b", re.I)
_ASKS = re.compile(
    r"\b(?:you|your|candidates?|applicants?|requir\w*|minimum|min\.?|must|need\w*|should|prefer\w*|ideal\w*|"
    r"qualif\w*|at least|plus|looking for|seek\w*|bring|proven|demonstrated|desired|wanted|will have)\b", re.I)


def sentence_cues(sentence: str, keys: Iterable[str] = FACT_KEYS) -> set[str]:
    """The fact keys one sentence speaks of (see FACT_KEYS), looking only for the given keys."""
    keys = set(keys)
    found = set()
    for key, pattern in _CUES.items():
        if key not in keys or pattern.search(sentence) is None:
            continue
        if key in _FALSE and not pattern.search(_FALSE[key].sub(" ", sentence)):
            continue
        if key == YEARS and _HISTORY.search(sentence) and not _ASKS.search(sentence):
            continue  # the employer's own years, asked of no one
        if key == SALARY and _NOT_PAY.search(sentence) and not _PAY_NOUN.search(sentence):
            continue  # "we raised $51M": money, not pay
        found.add(key)
    if SALARY in keys and SALARY not in found and find_pay(sentence):
        found.add(SALARY)  # a layout the words miss, read as pay by index.money ("Rate 40-55 / h")
    return found


# the same function under the name the extraction check used for "this module's vocabulary only"
own_sentence_cues = sentence_cues


def speaks_of(sentence: str, key: str) -> bool:
    """True when the sentence speaks of this fact (see FACT_KEYS)."""
    return key in sentence_cues(sentence)


def cue_sentences(text: str, key: str) -> list[str]:
    """The sentences of a text that speak of this fact, in order."""
    return [s for s in split_sentences(text) if speaks_of(s, key)]


def text_cues(text: str, keys: Iterable[str] = FACT_KEYS) -> set[str]:
    """Every fact key (of the given keys) some sentence of the text speaks of."""
    keys = set(keys)
    found: set[str] = set()
    for sentence in split_sentences(text or ""):
        found |= sentence_cues(sentence, keys)
        if len(found) == len(keys):
            break
    return found


def fact_cues(text: str) -> set[str]:
    """The salary, years-of-experience and degree cues of a text ("salary", "experience_years", "degree"),
    whether or not a value could be read: a cue without a value is a fact the extractor may have missed."""
    return text_cues(text) & set(EXTRACTOR_KEYS)
