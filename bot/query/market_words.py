"""Questions about the market as a whole: pay figures over many postings, or counts per value (pure).

"what do remote Python roles pay?", "salary range for data engineers in NY" ask for pay statistics; "which
languages are asked for most in remote roles?", "how many postings per state?" ask for counts. A question about
one posting ("what does the Northwind role pay?", "the salary range for the backend role") is none of these.

`market_question` returns the kind asked for and the spans of the words that say so: those words are neither
subject words nor filters (the caller adds them to the question's filter words).
"""

from __future__ import annotations

import re

PAY = "pay"
# count facets: the answer counts postings per value of one of these
LANGUAGES, STATES, CITIES, COUNTRIES, WORK_TYPES, REMOTE = (
    "languages", "states", "cities", "countries", "work_types", "remote")
KINDS = (PAY, LANGUAGES, STATES, CITIES, COUNTRIES, WORK_TYPES, REMOTE)

# asking for the postings behind a figure ("Show postings"): this prefix, then the question the figure answered
BEHIND = "postings behind: "

_PAY_WORD = r"(?:pay|pays|paid|salary|salaries|wages?|comp|compensation|rates?|earn(?:s|ings)?|make|makes)"
_STAT = r"(?:median|average|avg|mean|typical|distribution|histogram|spread|quartiles?|percentiles?|going rate|" \
        r"market rate)"
_PRONOUN = r"(?:they|these|those|both|them|it|you|we|i|the two|the three|either|each)\b"
# a plural word naming the kind of posting: "roles", "engineers", "nurses" (not "ss", "us", "is" endings)
_PLURAL = r"(?:roles|jobs|postings|positions|openings|gigs|vacancies|listings|opportunities|[a-z]{3,}(?<!ss)(?<!us)(?<!is)s)"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "median salary for nurses", "pay distribution of remote roles", "what's the average pay in Texas"
    (PAY, re.compile(rf"\b{_STAT}\s+(?:\w+\s+)?{_PAY_WORD}\b|\b{_PAY_WORD}\s+{_STAT}\b", re.I)),
    # "what do remote Python roles pay?", "how much do nurses make?" (never "what do they pay?")
    (PAY, re.compile(rf"^\s*(?:what|how much)\s+do\s+(?!{_PRONOUN})(?:[\w+#.-]+\s+){{0,6}}?{_PLURAL}\s+"
                     rf"(?:\w+\s+){{0,4}}?(?:pay|make|earn|offer|get paid)\b", re.I)),
    # "salary range for data engineers in NY", "pay ranges across Python jobs" (never "for the backend role")
    (PAY, re.compile(rf"\b(?:{_PAY_WORD}|pay)\s+ranges?\s+(?:for|of|across|among|in|at)\s+(?!the\b|this\b|that\b|"
                     rf"{_PRONOUN})(?:[\w+#.-]+\s+){{0,4}}?{_PLURAL}\b", re.I)),
    # "salaries for nurses in Ohio"
    (PAY, re.compile(rf"^\s*(?:what\s+are\s+(?:the\s+)?)?(?:salaries|wages)\s+(?:like\s+)?(?:for|of|in)\s+"
                     rf"(?!the\b|this\b|that\b|{_PRONOUN})", re.I)),
    # "which languages are asked for most", "most common languages", "top languages", "language breakdown"
    (LANGUAGES, re.compile(
        r"\b(?:most|top|common(?:est)?|popular|in demand|frequent\w*|rank\w*)\b[^?.!]{0,30}\b(?:programming\s+)?"
        r"languages\b|\blanguages?\b[^?.!]{0,40}\b(?:most|most often|most common|in demand|breakdown|ranked|"
        r"by count|counts?|tally)\b", re.I)),
    (STATES, re.compile(r"\b(?:per|by|for each|in each|each|every|across)\s+(?:us\s+)?states?\b|"
                        r"\b(?:which|what|top)\s+states\b[^?.!]{0,30}\b(?:most|fewest)\b", re.I)),
    (CITIES, re.compile(r"\b(?:per|by|for each|in each|each|every|across)\s+(?:city|cities|locations?|places?|metros?)\b|"
                        r"\b(?:which|what|top)\s+(?:cities|locations|places)\b[^?.!]{0,30}\b(?:most|fewest)\b", re.I)),
    (COUNTRIES, re.compile(r"\b(?:per|by|for each|in each|each|every|across)\s+countr(?:y|ies)\b|"
                           r"\b(?:which|what|top)\s+countries\b[^?.!]{0,30}\b(?:most|fewest)\b", re.I)),
    (WORK_TYPES, re.compile(r"\b(?:per|by|for each|each|every|across)\s+(?:work|employment|job|contract)\s+types?\b|"
                            r"\b(?:work|employment|job)\s+types?\b[^?.!]{0,30}\b(?:most|breakdown|counts?|split)\b",
                            re.I)),
    (REMOTE, re.compile(r"\b(?:per|by)\s+(?:remote|work)\s+(?:status|mode|setup|arrangement)\b|"
                        r"\bhow many\b[^?.!]{0,40}\bremote\s+(?:vs\.?|versus|or)\s+(?:on-?site|in[- ]office|hybrid)\b",
                        re.I)),
)


def market_question(text: str) -> tuple[str | None, list[tuple[int, int]]]:
    """(kind, spans): the market figure a question asks for (one of KINDS, or None) and where it says so.

    >>> market_question("how many postings per state?")[0]
    'states'
    >>> market_question("what does the Northwind backend role pay?")[0] is None
    True
    """
    for kind, pattern in _PATTERNS:
        found = list(pattern.finditer(text))
        if found:
            spans = [m.span() for m in found]
            if kind == PAY:  # the pay words are what is asked, not a subject: "ranges", "median", "make"
                spans = [m.span() for m in re.finditer(rf"\b(?:{_STAT}|{_PAY_WORD}|ranges?|much|offer|get)\b",
                                                       text, re.I)]
            return kind, spans
    return None, []


_IN_CURRENCY = re.compile(r"\b(?:in|into)\s+([A-Za-z]+|[$€£₹¥])(?![\w-])")


def asked_unit(text: str) -> tuple[str | None, str | None, list[tuple[int, int]]]:
    """(period, currency, spans): the unit a pay question asks its figures in ("per hour", "a month", "per annum",
    "in euros", "in GBP"), or None for each it leaves open. Periods are read by the question grammar's own words
    (bot/query/grammar.py), currencies by the money vocabulary (index/money.py): a currency word or symbol, or
    an ISO code written in capitals ("in ALL states" is no currency).

    >>> asked_unit("what do nurses make per hour in euros?")[:2]
    ('hourly', 'EUR')
    """
    from bot.query.grammar import period_facet
    from bot.query.lexer import lex
    from index.money import CURRENCY_OVERRIDES, TEXT_CODES, currency_code

    period, span = period_facet(text, lex(text))
    spans = [span] if span else []
    currency = None
    for match in _IN_CURRENCY.finditer(text):
        word = match.group(1)
        if word.lower() in CURRENCY_OVERRIDES or (word.isupper() and word in TEXT_CODES):
            currency = currency_code(word)
            spans.append(match.span())
            break
    return period, currency, spans


def behind(question: str) -> str:
    """The question a "Show postings" button asks: the postings behind the figures of `question`."""
    return BEHIND + question


def split_behind(text: str) -> tuple[bool, str]:
    """(True, the question) for a "postings behind: …" question; (False, text) otherwise."""
    stripped = text.strip()
    if stripped.lower().startswith(BEHIND.strip().lower()):
        return True, stripped[len(BEHIND.strip()):].strip()
    return False, text
