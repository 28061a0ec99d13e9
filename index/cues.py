"""Cue words: does a sentence speak of a fact at all (pay, years, degree, remote, work type, place)?

Extraction reads a typed value ("$90,000–$120,000 a year"); a cue only says that a sentence is ABOUT the
fact, whether or not a value can be read from it ("Salary: DOE", "Gehalt nach Vereinbarung", "several
years in a similar role"). Two uses:

* the bot never says "the posting does not state X" while a sentence of that posting speaks of X: it
  quotes the sentence instead (`bot/retrieval.py`);
* the rebuild reports postings that have a cue but no extracted value: where extraction fails.

The vocabulary is data (English and German), one table per fact. A cue is deliberately narrower than a
word search: "competitive benefits" or "raised $51M" are not statements about pay; "competitive salary"
and "DOE" are.
"""

from __future__ import annotations

import re

from index.text import split_sentences

# Fact keys, as the rebuild summary and `fact_cues` name them.
SALARY, YEARS, DEGREE, REMOTE, WORK_TYPE, LOCATION = (
    "salary", "experience_years", "degree", "remote", "employment_type", "location")
FACT_KEYS = (SALARY, YEARS, DEGREE, REMOTE, WORK_TYPE, LOCATION)

_CURRENCY = r"(?:[$€£₹¥]|\b(?:USD|EUR|GBP|INR|CHF|AUD|CAD|NZD|SGD|JPY|PLN|SEK|NOK|DKK|Rs\.?)\b)"
_AMOUNT = r"\d[\d,.\s]*(?:k|K)?"
# Money that is not pay: funding, valuation, revenue ("raised $51M", "Valuation $500M+").
_NOT_PAY = re.compile(
    r"\b(raised|rais\w+|funding|funded|valuation|valued|revenue|ARR|series [a-e]|seed|investors?|"
    r"market cap|turnover|Umsatz|Finanzierung)\b|" + _CURRENCY + r"\s?\d[\d,.]*\s?(?:m|mm|b|bn|M|B|million|billion|Mio|Mrd)\b",
    re.I)

_VOCABULARY: dict[str, str] = {
    SALARY: (
        r"\b(salary|salaries|compensation|remuneration|wages?|pay\s?(?:range|rate|band|scale|grade)|base pay|"
        r"hourly rate|day rate|daily rate|rate of pay|per hour|an hour|/\s?(?:hr|hour|yr|year|annum)\b|per annum|"
        r"p\.a\.|OTE|DOE|CTC|LPA|lakhs?|(?:monthly|weekly|annual|paid|intern\w*)\s+stipend|stipend of|pay is|we pay|paid (?:hourly|weekly|monthly)|"
        r"Gehalt\w*|Jahresgehalt|Bruttojahresgehalt|Vergütung|Stundenlohn|Lohn|Entgelt|brutto)\b|"
        + _CURRENCY + r"\s?" + _AMOUNT + "|" + r"\b\d[\d,.]*\s?(?:k|K)?\s?" + _CURRENCY + "|"
        r"\b\d{2,3}(?:[.,]\d)?\s?[kK]\s?(?:-|–|to)\s?\d{2,3}(?:[.,]\d)?\s?[kK]\b"  # "75k-110k"
    ),
    YEARS: (
        r"\b(\d+\s*\+?\s*(?:-|–|to|bis)?\s*\d*\s*\+?\s*(?:years?|yrs?|Jahre\w*)(?:'|’)?\s+(?:of\s+)?(?:\w+\s+){0,4}?"
        r"(?:experience|exp|background|track record|working|work|in (?:a|the|this|similar)|as an?|hands-on|"
        r"professional|industry|Berufserfahrung|Erfahrung|Praxis)|"
        r"(?:minimum|min\.?|at least|over|more than|mindestens)\s+(?:of\s+)?\d+\s*\+?\s*(?:years?|yrs?|Jahre\w*)|"
        r"years? of (?:\w+\s){0,3}experience|"
        r"\d+\s*\+\s*(?:years?|yrs?|Jahre\w*)|"  # "4+ years building …": a plus marks a requirement
        r"(?:one|two|three|four|five|six|seven|eight|nine|ten|several|many|multiple)\s+(?:\+\s*)?years?|"
        r"(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|mehrere|mehrjährige\w*)\s+(?:Jahre\w*)|"
        r"mehrjährig\w*|langjährig\w*)\b|"
        r"\b\d+\s*(?:years?|yrs?)\s*\((?:required|preferred|minimum)\)|"
        r"\b(?:experience|erfahrung)\w*[^.]{0,40}?\b\d+\s*\+?\s*(?:-|–|to|bis)?\s*\d*\s*(?:years?|yrs?|Jahre\w*)\b"
    ),
    DEGREE: (
        r"\b(degree|bachelor\w*|master'?s|masters|diploma|ph\.?\s?d|doctorate|B\.?Sc?|M\.?Sc|B\.?A|M\.?B\.?A|"
        r"B\.?Tech|M\.?Tech|BSN|GED|high school|university|college|graduate|graduated|"
        r"Studium|Hochschul\w*|Abschluss|Ausbildung|Universität|Fachhochschule|Promotion|Abitur)\b"
    ),
    REMOTE: (
        r"\b(remote\w*|hybrid|on-?site|in[- ]office|in the office|office[- ]based|work(?:ing)? from home|WFH|"
        r"home ?office|telecommut\w*|distributed team|fully distributed|in[- ]person|"
        r"mobiles? Arbeiten|vor Ort|Präsenz\w*|Homeoffice)\b"
    ),
    WORK_TYPE: (
        r"\b(full[- ]?time|part[- ]?time|contract(?:or)?|fixed[- ]term|temporary|temp|permanent|internship|"
        r"intern|freelance|seasonal|per diem|PRN|W-?2|C2C|1099|"
        r"Vollzeit|Teilzeit|befristet|unbefristet|Festanstellung|Werkstudent\w*|Minijob|Praktikum|Aushilfe)\b"
    ),
    LOCATION: (
        r"\b(located in|based in|office in|offices in|headquartered|HQ|location|relocat\w*|on-?site in|"
        r"Standort|Sitz in|Arbeitsort|in der Nähe von)\b"
    ),
}
_CUES = {key: re.compile(pattern, re.I) for key, pattern in _VOCABULARY.items()}
# Words that look like cues but are not ("paid time off", "compensation" for workers' injuries).
_FALSE = {
    SALARY: re.compile(r"\b(paid time off|paid (?:holidays?|leave|vacation|sick)|workers'? compensation|"
                       r"pay it forward)\b|"
                       # money that is a bonus, allowance or benefit, not the pay: "$5,000 sign-on bonus"
                       + _CURRENCY + r"\s?\d[\d,.]*\s?(?:k|K)?\s*(?:[\w-]+\s+){0,2}?(?:sign[- ]?on|signing|"
                       r"referral|relocation|retention|joining|bonus|allowance|stipend for|reimburse\w*|"
                       r"learning budget|budget|home[- ]office|equipment|wellness|gym|internet|phone|conference|commuter)\w*|"
                       r"\b(?:home[- ]office|equipment|learning|wellness|gym|internet|phone|education|conference|"
                       r"meal|lunch|commuter|travel|coworking)\s+(?:stipend|allowance|budget)\b", re.I),
    YEARS: re.compile(r"\b(years? old|years? of age|years? ago|years? (?:in business|of history)|since \d{4}|"
                      r"\d+\s*years? (?:running|in a row)|increases? after \d+\s*years?|"
                      # the company's own experience: "with over 40 years of experience, we …"
                      r"(?:with|for|over|more than|nearly|almost)\s+(?:over\s+)?\d+\s*\+?\s*years?"
                      r"(?:\s+of\s+\w+)?,?\s+(?:we|our|the company|the firm)\b|"
                      r"\b(?:we|our (?:company|firm|team)|the company)\b[^.]{0,50}\b\d+\s*\+?\s*years?)", re.I),
}
def _extractor_cues():
    """`index.extract.fact_cues` when the extractor provides it, else None."""
    try:
        from index.extract import fact_cues
    except ImportError:
        return None
    return fact_cues


# Keys the extractor's own cue detector may add (when it exists); both detectors are consulted.
EXTRACTOR_KEYS = (SALARY, YEARS, DEGREE)


def sentence_cues(sentence: str) -> set[str]:
    """The fact keys one sentence speaks of: this module's table, plus the extractor's `fact_cues` when present."""
    found = own_sentence_cues(sentence)
    extractor = _extractor_cues()
    if extractor is not None:
        try:
            found |= set(extractor(sentence)) & set(EXTRACTOR_KEYS)
        except Exception:  # a bug there must not stop an answer: this table still answers
            pass
    return found


def own_sentence_cues(sentence: str) -> set[str]:
    """The fact keys one sentence speaks of, by this module's vocabulary only."""
    found = set()
    for key, pattern in _CUES.items():
        match = pattern.search(sentence)
        if match is None:
            continue
        if key in _FALSE:
            cleaned = _FALSE[key].sub(" ", sentence)
            if not pattern.search(cleaned):
                continue
        if key == SALARY and _NOT_PAY.search(sentence) and not re.search(
                r"\b(salary|compensation|pay|wage|Gehalt|Vergütung|Lohn)\b", sentence, re.I):
            continue  # "we raised $51M": money, not pay
        found.add(key)
    return found


def speaks_of(sentence: str, key: str) -> bool:
    """True when the sentence speaks of this fact (see FACT_KEYS)."""
    return key in sentence_cues(sentence)


def cue_sentences(text: str, key: str) -> list[str]:
    """The sentences of a text that speak of this fact, in order."""
    return [s for s in split_sentences(text) if speaks_of(s, key)]


def text_cues(text: str) -> set[str]:
    """Every fact key some sentence of the text speaks of."""
    found: set[str] = set()
    for sentence in split_sentences(text):
        found |= sentence_cues(sentence)
        if len(found) == len(FACT_KEYS):
            break
    return found
