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
_PLURAL = r"(?:roles|jobs|postings|positions|openings|gigs|vacancies|listings|opportunities|[a-z]{3,}(?<![sui])s)"

def _counted_by(each: str, plural: str) -> re.Pattern[str]:
    """A question asking for counts per place: "postings per state", "by city", "which countries have the most"."""
    return re.compile(rf"\b(?:per|by|for each|in each|each|every|across)\s+(?:{each})\b|"
                      rf"\b(?:which|what|top)\s+(?:{plural})\b[^?.!]{{0,30}}\b(?:most|fewest)\b", re.I)


_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "median salary for nurses", "pay distribution of remote roles", "what's the average pay in Texas"
    (PAY, re.compile(rf"\b{_STAT}\s+(?:[\w-]+\s+){{0,3}}?{_PAY_WORD}\b|\b{_PAY_WORD}\s+{_STAT}\b", re.I)),
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
    (STATES, _counted_by(r"(?:us\s+)?states?", "states")),
    (CITIES, _counted_by(r"city|cities|locations?|places?|metros?", "cities|locations|places")),
    (COUNTRIES, _counted_by(r"countr(?:y|ies)", "countries")),
    (WORK_TYPES, re.compile(r"\b(?:per|by|for each|each|every|across)\s+(?:work|employment|job|contract)\s+types?\b|"
                            r"\b(?:work|employment|job)\s+types?\b[^?.!]{0,30}\b(?:most|breakdown|counts?|split)\b",
                            re.I)),
    (REMOTE, re.compile(r"\b(?:per|by)\s+(?:remote|work)\s+(?:status|mode|setup|arrangement)\b|"
                        r"\bhow many\b[^?.!]{0,40}\bremote\s+(?:vs\.?|versus|or)\s+(?:on-?site|in[- ]office|hybrid)\b",
                        re.I)),
)


# --- pay asked over many postings, read by the question's shape rather than by one phrasing: the question asks
# for pay (a pay noun, or a pay verb used intransitively), its subject is a kind of role in general (a plural,
# "a welder", "welder pay") and not a posting already named ("the Acme welder role", "it", "these roles"), and
# pay is not a condition on a list ("jobs over $30 an hour", "which jobs pay weekly", "jobs with a salary").

# the pay nouns; "rate" only where nothing but a pay-ish word qualifies it (never "turnover rate")
_PAY_NOUN = r"(?:pay|salary|salaries|wages?|compensation|comp|earnings|income|rates?)"
_RATE_KIND = {"hourly", "daily", "day", "weekly", "monthly", "yearly", "annual", "going", "market", "pay", "billing",
              "bill", "contract", "base", "starting", "normal", "usual", "typical", "average", "median", "standard",
              "the", "a", "an", "what", "whats", "what's", "their", "for", "s"}
# "make"/"earn"/"pay" asked of someone: followed by nothing, a place, a period or an amount asked, not an object
# ("what skills make a good nurse" asks no pay)
_CLAUSE_END = (r"(?=\s*(?:$|[?.!,;)]|(?:in|at|per|for|on|from|across|around|near|with|as|if|when|where|these|"
               r"nowadays|now|today|typically|usually|normally|on average|to start|starting out|"
               r"(?:(?:good|decent|big|more|less|much|enough|a lot of|real)\s+)?money|"
               r"a\s+(?:year|month|week|day|hour)|an\s+hour|hourly|yearly|annually|monthly|weekly|daily)\b))")
_PAY_VERB = (rf"(?:\b(?:make|makes|made|making|earn|earns|earning|pay|pays|paying|get\s+paid|gets\s+paid)"
             rf"{_CLAUSE_END}|\b(?:paid|earn|earns)\b)")
# pay as a condition on the postings listed: a list lead, an amount, "that pay", "paying", "with(out) a salary"
_LIST_LEAD = re.compile(r"^\s*(?:which|list|show|find|any|are there|is there|how many|count|do any|does any|"
                        r"give me (?:all|every|the list))\b", re.I)
_PAY_CONDITION = re.compile(
    r"\b(?:that|which|who)\s+(?:\w+\s+)?(?:pay|pays|paid|earn|earns|offer|offers|list|lists|state|states|"
    r"mention|mentions)\b"
    r"|^(?!\s*(?:how much|what)\s+(?:are|is)\b).*\b(?:paying|earning|offering)\b"  # never "how much are X paying"
    r"|\b(?:with|without|no|lists?|states?|mentions?|has|have|having|includes?|including)\s+"
    r"(?:a\s+|an\s+|any\s+|the\s+)?(?:salary|salaries|pay|wages?|compensation|"
    r"comp|rate)\b", re.I)
# a posting already named: a pronoun for it, "these roles", "the Acme welder role", "Acme's welder"
_POSTING_PRONOUN = re.compile(r"\b(?:it|they|them|both|either|this one|that one|the one|the other one)\b", re.I)
_DETERMINER = re.compile(r"(?:^|(?<=\s))(?:(?P<def>the|this|that|these|those|its|their|your|our)|"
                         r"(?P<indef>a|an)|(?P<own>(?!(?:what|that|it|there|here|who|how|where|when|let)'s)"
                         r"[a-z][\w&.-]*'s))\s+", re.I)
_PLACE_LEAD = re.compile(r"\b(?:in|across|around|near|throughout|within|outside|all over)\s+$", re.I)
# words of a noun phrase that end it: prepositions, verbs, conjunctions
_NP_STOP = {"for", "of", "in", "at", "on", "to", "with", "from", "by", "per", "across", "among", "around", "near",
            "vs", "versus", "and", "or", "but", "is", "are", "was", "were", "do", "does", "did", "pay", "pays", "paid",
            "make", "makes", "earn", "earns", "get", "gets", "offer", "offers", "can", "could", "would", "will",
            "should", "like", "expect", "list", "lists", "state", "states", "mention", "have", "has", "need", "want",
            "than", "if", "when", "where", "who", "that", "which", "these", "those", "a", "an", "the", "right", "now"}
# words of a noun phrase about the figure, not the postings: "the average hourly pay", "a normal wage", "a year"
_FIGURE_WORDS = {"pay", "salary", "salaries", "wage", "wages", "compensation", "comp", "earnings", "income", "rate",
                 "rates", "range", "ranges", "money", "figure", "figures", "number", "numbers", "going", "market",
                 "average", "avg", "mean", "median", "typical", "normal", "usual", "standard", "base", "starting",
                 "hourly", "daily", "weekly", "monthly", "yearly", "annual", "year", "month", "week", "day", "hour",
                 "top", "bottom", "end", "middle", "low", "high", "highest", "lowest", "most", "least", "same",
                 "kind", "sort", "type", "spread", "distribution", "breakdown", "industry", "moment", "current",
                 "good", "decent", "fair", "entry", "level", "overall", "total", "gross", "net"}
# plural words that are not a kind of posting
_NOT_ROLES = {"salaries", "wages", "rates", "earnings", "ranges", "figures", "numbers", "hours", "years", "months",
              "weeks", "days", "dollars", "euros", "pounds", "bucks", "benefits", "perks", "bonuses", "skills",
              "things", "terms", "details", "stats", "statistics", "percentiles", "quartiles", "averages", "options",
              "levels", "bands", "ones", "others", "states", "cities", "places", "countries", "locations", "does",
              "is", "us", "this", "was", "has", "its", "his", "yes", "plus", "less", "across", "as"}
_WORD = re.compile(r"[A-Za-z][\w&'+#.-]*")


def _noun_phrase(text: str, start: int) -> list[str]:
    """The words of the noun phrase starting at `start` (after its determiner), up to a stop word; a pay noun ends
    it ("the Acme welder pay")."""
    words = []
    for match in _WORD.finditer(text, start):
        gap = text[start:match.start()]
        if gap.strip() or len(words) >= 6:
            break  # punctuation ends it
        word = match.group().lower().rstrip(".")
        if word in _NP_STOP:
            break
        words.append(word)
        start = match.end()
        if re.fullmatch(_PAY_NOUN, word):
            break
    return words


def _role_words(words: list[str]) -> list[str]:
    """The words of a noun phrase that are not about the figure ("the average Acme welder pay" -> acme, welder)."""
    return [w for w in words if w not in _FIGURE_WORDS]


def _is_role_plural(word: str) -> bool:
    return bool(re.fullmatch(_PLURAL, word, re.I)) and word.lower() not in _NOT_ROLES


def _names_a_posting(text: str) -> bool:
    """True when the question speaks of postings already named: "it", "these roles", "the Acme welder job",
    "Acme's welder". "the welders", "the pay", "in the US" name none."""
    if _POSTING_PRONOUN.search(text):
        return True
    for match in _DETERMINER.finditer(text):
        if match.group("indef") or _PLACE_LEAD.search(text[:match.start()]):
            continue
        role = _role_words(_noun_phrase(text, match.end()))
        if match.group("def") and match.group("def").lower() in ("these", "those"):
            return True
        if match.group("own") and (not role or _is_role_plural(role[-1])):
            continue  # "Acme's pay", "Acme's nurses": the company's postings in general
        if match.group("own") or (role and not _is_role_plural(role[-1])):
            return True
    return False


def speaks_of_many(text: str) -> bool:
    """True when the question's subject is a kind of role said as one of many: a plural ("nurses", "welding
    jobs", "Acme's welders") or "a welder", "an average nurse"."""
    words = [m.group().lower().rstrip(".") for m in _WORD.finditer(text)]
    if any(_is_role_plural(w) and w not in _NP_STOP and w not in _FIGURE_WORDS for w in words):
        return True
    return any(match.group("indef") and _role_words(_noun_phrase(text, match.end()))
               for match in _DETERMINER.finditer(text))


def _speaks_in_general(text: str) -> bool:
    """True when the question's subject is a kind of role in general: one of many (`speaks_of_many`), or a bare
    word before a pay noun ("welder pay", "Acme salaries": a company and a title may name one posting, which the
    caller can tell from the catalog)."""
    if speaks_of_many(text):
        return True
    words = [m.group().lower().rstrip(".") for m in _WORD.finditer(text)]
    for i, word in enumerate(words[1:], 1):
        before = words[i - 1]
        if re.fullmatch(_PAY_NOUN, word) and before not in _FIGURE_WORDS and before not in _NP_STOP and \
                before not in _RATE_KIND and not before.endswith("'s") and (i < 2 or words[i - 2] not in (
                    "the", "this", "that", "its", "their", "your", "our")):
            return True  # "welder pay", "nurse salaries"
    return False


def _asks_pay(text: str) -> bool:
    """True when pay is what is asked: a pay noun ("rate" only as a pay rate) or a pay verb of someone's pay."""
    for match in re.finditer(rf"\b{_PAY_NOUN}\b", text, re.I):
        if not match.group().lower().startswith("rate"):
            return True
        before = re.findall(r"[\w']+", text[:match.start()].lower())[-1:]
        if not before or before[0] in _RATE_KIND:
            return True
    return bool(re.search(_PAY_VERB, text, re.I))


def asks_pay_over_many(text: str) -> bool:
    """True when the question asks what a kind of role pays in general, over the postings that match it.

    >>> asks_pay_over_many("how much money do welders make in Ohio?")
    True
    >>> asks_pay_over_many("what's the hourly rate for the Acme welder job?")
    False
    """
    if not _asks_pay(text) or _LIST_LEAD.search(text) or _PAY_CONDITION.search(text):
        return False
    from bot.query.lexer import lex

    if any(t.kind == "money" for t in lex(text)):
        return False  # an amount is a condition on the postings listed: "welding jobs over $30 an hour"
    return not _names_a_posting(text) and _speaks_in_general(text)


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
            if kind == PAY:
                spans = _pay_spans(text)
            return kind, spans
    if asks_pay_over_many(text):
        return PAY, _pay_spans(text)
    return None, []


def _pay_spans(text: str) -> list[tuple[int, int]]:
    """The words that ask for pay, not a subject: "ranges", "median", "make", "going rate", "expect to earn"."""
    return [m.span() for m in re.finditer(rf"\b(?:{_STAT}|{_PAY_WORD}|{_PAY_NOUN}|ranges?|much|offer|get|money|paid|"
                                          r"well|kind|going|normal|usual|standard|expect|typically|usually|average)\b",
                                          text, re.I)]


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
