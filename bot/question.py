"""Understanding a question: what is asked, whether it wants a list, and its filters (pure)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

import snowballstemmer

from bot.places import Place
from bot.query.filler import FILLER, strip_filler  # noqa: F401  (FILLER: re-exported, tests read it here)
from bot.query.grammar import Facet, read_question
from bot.query.market_words import market_question
from bot.query.typos import correct_text
from index.languages import canonical_language, find_languages

INTENTS = ("salary", "languages", "location", "remote", "experience", "degree", "employment_type", "general")

# Words that point at an intent; checked in this order, first hit wins (ties broken by ORDER below).
_INTENT_PATTERNS: dict[str, re.Pattern[str]] = {
    "salary": re.compile(
        r"\b(pay|pays|paid|paying|salary|salaries|comp|compensation|wage|wages|how much|rate|earn|earnings|"
        r"money|make|ote|base|hourly|per hour|stipend|range)\b|\$", re.I),
    "languages": re.compile(
        r"\b(lang\w*|lan?gu?a?ge?s?|programming|coding|code in|written in|tech stack|scripting)\b", re.I),
    "experience": re.compile(
        r"\b(years? (?:of|in|with|doing)|min(?:imum)? (?:of )?years|(?<!/)(?<!a )(?<!per )yrs?|experi\w*|expir?e?ance|exp|seniority|how senior|how many years|how long|background)\b", re.I),
    "degree": re.compile(
        r"\b(degree|diploma|bachelor'?s?|master'?s?|ph\.?d|doctorate|education|ged|college|university|"
        r"bs|ba|ms|mba|bsn|msn|adn|bsc|msc|graduate|educat\w*|schooling|associate'?s degree)\b", re.I),
    "remote": re.compile(
        r"\b(remote|remotely|wfh|work from home|work-from-home|hybrid|on-?site|in[- ]office|in person|"
        r"in-person|telecommute|distributed|from home)\b", re.I),
    "employment_type": re.compile(
        r"\b(full[- ]?time|part[- ]?time|contract|contractor|temp|temporary|internship|permanent|"
        r"employment type|work type|job type|type of (?:job|role|position|employment)|w2|c2c|freelance|seasonal|"
        r"volunteer|fte|ft|pt|perm|permanent role|salaried|gig type|engagement|"
        r"(?:kind|type|sort) of (?:employment|engagement|position|role|job|gig|work|contract))\b", re.I),
    "location": re.compile(
        r"\b(where|located|location|based|city|town|area|region|metro|which state|what state|which office|"
        r"what office|relocat\w*)\b", re.I),
}
# Degree words that are often part of a job title or a job level: read as a degree only in a degree context.
_ROLE_NOUN = r"(?:roles?|jobs?|positions?|openings?|postings?|posts?|gigs?|vacanc\w+|internships?|programs?|schemes?|" \
             r"trainees?|team|hires?|opportunit\w+|listings?)"
_TITLE_LEVEL_DEGREE = re.compile(r"\b(graduates?|ba|bs|ms|mba|bsc|msc|bsn|msn|adn|masters?|master'?s)\b", re.I)
_DEGREE_AFTER = re.compile(r"^\s*(?:'?s\s+)?(?:degrees?|diplomas?|school|education|studies|of|in|or|and|/|required|"
                           r"needed|preferred|holders?)\b", re.I)
_DEGREE_BEFORE = re.compile(r"\b(?:a|an|need|needs|require|requires|required|want|wants|have|has|with|without|"
                            r"college|university|high school|or|and|/)\s+$", re.I)


def degree_asked(text: str) -> bool:
    """True when the degree words of a question ask about a degree, not a job title or level: "BA degree",
    "need a BA", "a BS or MS", "college graduate" are degrees; "the BA role", "BA jobs", "Assistant (Graduate)",
    "graduate programme", "Master Electrician" are titles."""
    if not _INTENT_PATTERNS["degree"].search(text):
        return False
    rest = _TITLE_LEVEL_DEGREE.sub(lambda m: " " * len(m.group(0)), text)
    if _INTENT_PATTERNS["degree"].search(rest):
        return True  # "degree", "bachelor's", "education", "college": a degree whatever else is there
    for m in _TITLE_LEVEL_DEGREE.finditer(text):
        word, before, after = m.group(1).lower(), text[:m.start()], text[m.end():]
        if re.match(rf"\s*(?:[\w-]+\s+)?{_ROLE_NOUN}\b", after, re.I) or (
                re.search(r"\(\s*$", before) and re.match(r"\s*\)", after)):
            continue  # "BA jobs", "the BA analyst role", "(Graduate)"
        if word.startswith("graduate"):
            if _DEGREE_AFTER.match(after) or re.search(r"\b(?:college|university|high school)\s+$", before, re.I):
                return True
            continue  # a job level ("graduate roles")
        if word in ("master", "masters") and not (_DEGREE_AFTER.match(after) or _DEGREE_BEFORE.search(before)
                                                  or re.match(r"\s*[?!.]?\s*$", after)):
            continue  # a trade title ("Master Electrician")
        if word == "master's" or _DEGREE_AFTER.match(after) or _DEGREE_BEFORE.search(before) or \
                re.match(r"\s*[?!.]?\s*$", after):
            return True
    return False


# When several intents are named, the most specific wins.
_ORDER = ("languages", "degree", "experience", "salary", "remote", "employment_type", "location")

_LIST_START = re.compile(
    r"^\s*(which|what|list|show|find|any|are there|is there|how many|give me|who|do we have|do you have|count)\b", re.I)
JOB_NOUN_PLURAL = re.compile(
    r"\b(roles|jobs|postings|positions|openings|opportunities|listings|vacancies|internships|gigs|ones|"
    r"companies|employers)\b", re.I)
_HOW_MANY = re.compile(
    r"\b(?:how many|count|number of)\s+(?:[\w$+-]+\s+){0,4}?(?:roles|jobs|postings|positions|openings|"
    r"opportunities|listings|vacancies|internships|gigs|ones|companies|employers)\b", re.I)

_WORK_TYPE_QUESTION = re.compile(
    r"\b((?:full|part)[- ]?time or|or (?:full|part)[- ]?time|paid or volunteer|volunteer or paid|unpaid|"
    r"permanent or|or permanent|temp or|or temp|contract or|or contract|ft or pt|"
    r"(?:kind|type|sort) of (?:employment|position|engagement|contract|role|job|gig|work))\b", re.I)

_FACET_WORK = re.compile(
    r"\b(?:contract|freelance|temp|temporary|part[- ]?time|full[- ]?time|remote|hybrid|gig|seasonal)\s+work\b", re.I)
_PAID_IN = re.compile(r"\b(?:pay|pays|paid|paying|salary|salaries|wages?|compensated)\s+(?:is\s+|are\s+)?in\s+"
                      r"([A-Za-z$€£₹]+)", re.I)
_ENTRY_LEVEL = re.compile(r"\b(entry[- ]level|no experience|junior|new grads?)\b", re.I)
_NO_DEGREE = re.compile(r"\b(no degree|without a degree|don'?t (?:need|require) a degree|no college)\b", re.I)

ABBREVIATIONS = {
    "sr": "senior", "snr": "senior", "jr": "junior", "swe": "software engineer", "sde": "software engineer",
    "eng": "engineer", "engr": "engineer", "mgr": "manager", "dev": "developer", "devs": "developers",
    "asst": "assistant", "assoc": "associate", "admin": "administrative", "rn": "registered nurse",
    "pm": "product manager", "vp": "vice president", "acct": "accountant",
    "coord": "coordinator", "rep": "representative", "reps": "representatives", "spec": "specialist", "ops": "operations", "mktg": "marketing", "hr": "human resources",
    "qa": "quality assurance", "ml": "machine learning", "ai": "artificial intelligence", "sw": "software", "mgmt": "management",
    "exec": "executive", "cust": "customer", "svc": "service", "intl": "international", "natl": "national",
    "univ": "university", "corp": "corporation", "llp": "llp",
}


# Language names that are also English words count only in a language-like context.
_AMBIGUOUS = ("go", "golang", "rust", "swift", "ruby", "r", "c", "shell", "dart", "julia", "elixir", "crystal",
              "assembly", "basic", "scheme", "pascal", "ada", "apex", "lua")
_LANG_CONTEXT = (
    r"\b(?:want|wants|wanting|need|needs|needing|use|uses|using|with|require|requires|requiring|know|knowing|in|"
    r"ask for|asks for|asking for|list|lists|mention|mentions|write|writes|writing|or|and|besides)\s+({w})\b|"
    r"\b({w})\s+(?:roles?|jobs?|developers?|devs?|engineers?|eng|positions?|postings?|openings?|programmers?|"
    r"experience|or|and|code|coding|skills?)\b|^\s*({w})\s*\??\s*$"
)


def _language_context(word: str, text: str) -> bool:
    return bool(re.search(_LANG_CONTEXT.format(w=re.escape(word)), text, re.I))


def question_languages(text: str) -> list[str]:
    """Programming languages a question names ('Go' the language, not the verb)."""
    names = [name for name, _sentence in find_languages(text)]
    for token in tokenize(text):
        name = canonical_language(token)
        if not name or name in names:
            continue
        if token in _AMBIGUOUS and not _language_context(token, text):
            continue
        names.append(name)
    # find_languages reads postings; in a question an ambiguous word needs the language context too
    return [n for n in names if n.lower() not in _AMBIGUOUS or any(
        _language_context(t, text) for t in tokenize(text) if canonical_language(t) == n)]



@dataclass
class Filters:
    """Restrictions a list question puts on postings; empty means no restriction."""

    remote: str | None = None
    work_type: str | None = None
    languages: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    salary_over: float | None = None  # the range's top (or single figure) exceeds this, yearly
    salary_floor: float | None = None  # the range's bottom is at least this, yearly
    salary_under: float | None = None  # the range's bottom is below this, yearly
    salary_top_under: float | None = None  # the range's top is below this, yearly
    pay_period: str | None = None  # only postings whose pay is stated per this period
    has_salary: bool = False
    salary_range: bool = False  # only postings that state a range (low and high), not a single figure
    no_salary: bool = False  # only postings that state no pay
    outside_us: bool = False  # only postings located outside the United States
    max_years: int | None = None  # the posting asks at most this many years (its minimum)
    min_years: int | None = None  # the posting asks at least this many years ("roles needing 5+ years")
    no_degree: bool = False
    currency: str | None = None  # the currency of the pay bounds (none named: USD); never converted
    remote_not: list[str] = field(default_factory=list)  # "not remote": postings not flagged so
    work_type_not: list[str] = field(default_factory=list)  # "no contract roles"
    languages_not: list[str] = field(default_factory=list)  # "without Java"
    states_not: list[str] = field(default_factory=list)  # "not in Texas" (codes, for display; see places_not)
    places: list[Place] = field(default_factory=list)  # places named (any of them), with their reach
    places_not: list[Place] = field(default_factory=list)  # places excluded ("outside Ohio")

    def any(self) -> bool:
        """True when at least one restriction is set (every field is one: None, False and [] mean unset)."""
        return any(value is not None and value is not False and value != [] for value in vars(self).values())

    def as_dict(self) -> dict[str, Any]:
        """Only the restrictions that are set (places as their names)."""
        out = {k: v for k, v in self.__dict__.items() if v not in (None, [], False)}
        for key in ("places", "places_not"):
            if key in out:
                out[key] = [place_label(p) for p in out[key]]
        return out

    def describe_more(self) -> list[str]:
        """Words for the restrictions describe_filters in bot.compose does not know: negations, years, currency."""
        parts: list[str] = []
        if self.remote_not:
            parts.append("not " + " or ".join(self.remote_not))
        if self.work_type_not:
            parts.append("not " + " or ".join(w.lower() for w in self.work_type_not))
        if self.languages_not:
            parts.append("not wanting " + " or ".join(self.languages_not))
        if self.places_not:
            parts.append("not in " + " or ".join(place_label(p) for p in self.places_not))
        if self.min_years is not None:
            parts.append(f"asking {self.min_years} year{'' if self.min_years == 1 else 's'} of experience or more")
        if self.currency and self.currency != "USD":
            parts.append(f"paid in {self.currency}")
        return parts


def place_label(place: Place) -> str:
    """'TX', 'Austin', 'GB' for display."""
    if place.kind == "city":
        return place.city.name if place.city else place.value.title()
    return place.value


@dataclass
class Query:
    """A parsed question."""

    text: str
    intent: str
    intents: list[str]
    is_list: bool
    wants_count: bool
    filters: Filters
    tokens: list[str]  # normalised words, abbreviations expanded, for matching titles and companies
    raw_tokens: list[str] = field(default_factory=list)  # the words as typed (lower-case), for typo correction
    place_hints: list[str] = field(default_factory=list)  # cities named anywhere (not filters): help name a posting
    filter_words: set[str] = field(default_factory=set)  # words read as filters ("nyc", "hour"): not subject words
    market: str | None = None  # a figure over many postings: "pay", or a facet to count (bot/query/market_words.py)


_TOKEN = re.compile(r"[^\W_](?:[^\W_]|[+#])*(?:[.'&][^\W_]+)*")


class _CombiningMarks(dict):
    """str.translate table that drops combining marks (accents after NFKD), filled in per character met."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_DROP_MARKS = _CombiningMarks()


def _fold_accents(text: str) -> str:
    """'für Köln' -> 'fur Koln': a word matches however its accents were typed."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return decomposed if decomposed.isascii() else decomposed.translate(_DROP_MARKS)


_POSSESSIVE = re.compile(r"['’]s\b")


def raw_words(text: str) -> list[str]:
    """The words `tokenize` reads in text, as written (accents folded, possessives dropped), before lower-casing
    and trimming: a caller that meets the same words many times maps each distinct one once."""
    return _TOKEN.findall(_POSSESSIVE.sub("", _fold_accents(text)).replace("’", "'"))


def word_token(word: str) -> str:
    """The token of one of `raw_words`."""
    return word.lower().rstrip(".'")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens in any script, accents folded, keeping c#, c++ and o'neil together ('acme's' -> 'acme')."""
    return [word_token(w) for w in raw_words(text)]


def normalise_token(token: str) -> str:
    """A crude singular: 'engineers' -> 'engineer', 'nurses' -> 'nurse' (not 'sales', 'ss')."""
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is", "sales")):
        return token[:-1]
    return token


_STEMMER = snowballstemmer.stemmer("english")


@functools.lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """The Snowball stem of a word: 'nursing' and 'nurses' -> 'nurs'."""
    return _STEMMER.stemWord(token)


# abbreviations that are also degrees: expanded only before a role noun ("the BA role", "BA jobs")
ROLE_ABBREVIATIONS = {"ba": "business analyst", "bas": "business analysts"}


def question_tokens(text: str) -> list[str]:
    """Tokens of a question with abbreviations expanded and plurals folded."""
    out: list[str] = []
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        expanded = ABBREVIATIONS.get(token)
        if token in ROLE_ABBREVIATIONS and i + 1 < len(tokens) and re.fullmatch(_ROLE_NOUN, tokens[i + 1]):
            expanded = ROLE_ABBREVIATIONS[token]
        if expanded:
            out.append(token)  # "RN" may be in the title as written, or spelled out
        for part in (expanded.split() if expanded else [token]):
            out.append(normalise_token(part))
    return out


def _language_spans(text: str, names: list[str]) -> list[tuple[str, int, int]]:
    """Where each language a question names is written (for negation scope)."""
    spans: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        name = canonical_language(m.group(0).rstrip(".'"))
        if name in names and not any(n == name for n, _s, _e in spans):
            spans.append((name, m.start(), m.end()))
    for name in names:
        if not any(n == name for n, _s, _e in spans):
            at = text.lower().find(name.lower())
            spans.append((name, at if at >= 0 else len(text), (at if at >= 0 else len(text)) + len(name)))
    return spans


def _apply_facets(facets: list[Facet], filters: Filters) -> None:
    """Positive facets become filters, negated ones exclusions."""
    for f in facets:
        if f.kind == "remote":
            if f.negated:
                excluded = ["remote", "hybrid"] if f.value == "remote" else [str(f.value)]
                if f.value == "remote":
                    excluded = ["remote"]
                for v in excluded:
                    if v not in filters.remote_not:
                        filters.remote_not.append(v)
            elif f.value == "on-site":
                for v in ("remote", "hybrid"):  # "on-site only", "in person": neither remote nor hybrid
                    if v not in filters.remote_not:
                        filters.remote_not.append(v)
            elif filters.remote is None:
                filters.remote = str(f.value)
        elif f.kind == "work_type":
            if f.negated:
                if f.value not in filters.work_type_not:
                    filters.work_type_not.append(str(f.value))
            elif filters.work_type is None:
                filters.work_type = str(f.value)
        elif f.kind == "language":
            target = filters.languages_not if f.negated else filters.languages
            if f.value not in target:
                target.append(str(f.value))
        elif f.kind == "place":
            place: Place = f.value  # type: ignore[assignment]
            if f.negated:
                if place.kind == "country" and place.value == "US":
                    filters.outside_us = True
                    continue
                filters.places_not.append(place)
                if place.kind == "state":
                    filters.states_not.append(place.value)
                continue
            filters.places.append(place)
            if place.kind == "state" and place.value not in filters.states:
                filters.states.append(place.value)
            elif place.kind == "city" and place.value not in filters.cities:
                filters.cities.append(place.value)
    # a city named with its state ("Austin, TX") is that city, not the whole state
    city_states = {p.state for p in filters.places if p.kind == "city" and p.state}
    paired = [p for p in filters.places if p.kind == "state" and p.value in city_states and any(
        c.kind == "city" and c.state == p.value and 0 <= p.start - c.end <= 3 for c in filters.places)]
    for p in paired:
        filters.places.remove(p)
        if p.value in filters.states:
            filters.states.remove(p.value)
    filters.languages = [n for n in filters.languages if n not in filters.languages_not]


def parse_question(text: str, find_languages: Callable[[str], list[str]] | None = None,
                   known_cities: frozenset[str] | set[str] = frozenset(),
                   known_word: Callable[[str], bool] | None = None) -> Query:
    """Parse a question: typos of the grammar's words fixed, intents by keywords, list-ness, and filters.

    `known_cities` (the catalog's cities) and `known_word` (a word the postings use: never "corrected") make the
    reading sharper when a catalog is at hand.
    """
    clean = re.sub(r"<@[A-Z0-9]+>", " ", text or "")
    clean = re.sub(r"\s+", " ", clean).strip()
    clean, filler = strip_filler(clean)  # "pls", "hey bot,", "thanks!": never a subject, never a filter
    clean, _fixed = correct_text(clean, known_word or (lambda _w: False), known_cities)
    hits = [name for name in _ORDER if _INTENT_PATTERNS[name].search(clean)]
    if "degree" in hits and not degree_asked(clean):
        hits.remove("degree")
    if _WORK_TYPE_QUESTION.search(clean) and "employment_type" in hits:
        hits.remove("employment_type")
        hits.insert(0, "employment_type")
    filters = Filters()

    names = (find_languages or question_languages)(clean)
    reading = read_question(clean, _language_spans(clean, names), frozenset(known_cities))
    bounds = reading.bounds
    _apply_facets(reading.facets, filters)
    filters.salary_over, filters.salary_floor = bounds.salary_over, bounds.salary_floor
    filters.salary_under, filters.salary_top_under = bounds.salary_under, bounds.salary_top_under
    filters.min_years, filters.max_years = bounds.min_years_at_least, bounds.max_years
    if filters.salary_over is not None or filters.salary_floor is not None or filters.salary_under is not None \
            or filters.salary_top_under is not None:
        filters.currency = bounds.currency or "USD"
        # "hourly roles starting at $40", "over $50k a year": a period named for the jobs or with the figure keeps
        # postings paid per that period (the reading that never compares pay across periods); no period named:
        # every period, compared as yearly figures
        if reading.period or bounds.period:
            filters.pay_period = reading.period or bounds.period
        if re.search(r"\b(range|tops? out|bottom of|low end|high end|top of|starts? at|starting at)\b", clean, re.I):
            filters.salary_range = True  # the question is about a range's ends
    elif reading.period and re.search(r"\b(pay|pays|rate|rates|paid|wages?|salar\w*|figure|comp|roles?|jobs?|"
                                      r"positions?|openings?|gigs?|postings?|work)\b", clean, re.I):
        filters.pay_period = reading.period  # "hourly roles", "jobs that pay by the hour"
    elif re.search(r"\b(?:no|without|don'?t|doesn'?t|do not|does not|never|missing|lack\w*)\b[^.?!]{0,25}"
                   r"\b(?:salary|salaries|pay|wage|compensation|comp)\b", clean, re.I):
        filters.no_salary = True
    elif re.search(r"\b(list|state|show|with|have|mention)s? (?:a |the |any )?(?:salary|pay)\b", clean, re.I):
        filters.has_salary = True
    if re.search(r"\b(outside (?:the )?(?:us|usa|u\.s\.?|united states|america)|abroad|international(?:ly)?|"
                 r"overseas|non-us|in europe)\b", clean, re.I):
        filters.outside_us = True
    paid_in = _PAID_IN.search(clean)
    if paid_in and filters.currency is None:  # "roles paid in pounds"
        from index.money import currency_code

        filters.currency = currency_code(paid_in.group(1))
        if filters.currency:
            reading.spans.append(paid_in.span(1))
    if filters.max_years is None and _ENTRY_LEVEL.search(clean):
        filters.max_years = 1
    if _NO_DEGREE.search(clean):
        filters.no_degree = True

    plural = bool(JOB_NOUN_PLURAL.search(clean))
    starts_list = bool(_LIST_START.search(clean))
    # "which roles want Go?", "remote roles over $150k", "how many contract jobs", "who's hiring in Austin?"
    plural = plural or bool(_FACET_WORK.search(clean))  # "contract work I can do from home"
    is_list = (plural and (starts_list or filters.any())) or bool(_HOW_MANY.search(clean)) or bool(
        re.search(r"\bwho(?:'s| is| are)? hiring\b|\b(?:every|all)\s+(?:the\s+)?(?:\w+\s+){0,2}"
                  r"(?:jobs?|roles?|postings?|positions?|openings?|internships?|listings?)\b", clean, re.I))
    intent = hits[0] if hits else "general"
    market, market_spans = market_question(clean)
    return Query(
        text=clean,
        intent=intent,
        intents=hits,
        is_list=is_list,
        wants_count=bool(_HOW_MANY.search(clean)),
        filters=filters,
        tokens=question_tokens(clean),
        raw_tokens=tokenize(clean),
        filter_words={t for start, end in reading.spans + market_spans for t in tokenize(clean[start:end])}
        | {t for part in filler for t in tokenize(part)},
        market=market,
    )


# "compare A and B", "A vs B", "difference between A and B", "how does A compare to B": the postings compared
_COMPARE_LEADS = (
    re.compile(r"^(?:can you |could you |let'?s |please )?compare\s+(?P<body>.+)$", re.I),
    re.compile(r"^(?:what(?:'s| is| are)\s+)?(?:the\s+)?(?:main\s+|key\s+)?differences?\s+between\s+(?P<body>.+)$",
               re.I),
    re.compile(r"^how\s+(?:do|does)\s+(?P<body>.+?)\s+compare(?:\s+(?:to|with|against)\s+(?P<other>.+))?$", re.I),
    re.compile(r"^(?P<body>.+?)\s+compared\s+(?:to|with)\s+(?P<other>.+)$", re.I),
    re.compile(r"^(?P<body>.+?\s(?:vs\.?|versus)\s.+)$", re.I),
)


def comparison_body(text: str) -> str | None:
    """The part of a comparison question that names the postings ("the Harbortide role and the Northwind role"),
    or None when the question does not ask to compare. Whether the parts name postings is the caller's to check
    (bot/compare.py): "compare remote and hybrid pay" asks about no posting."""
    clean = re.sub(r"<@[A-Z0-9]+>", " ", text or "")
    clean, _filler = strip_filler(re.sub(r"\s+", " ", clean).strip())
    clean = clean.strip().rstrip("?!. ")
    for pattern in _COMPARE_LEADS:
        match = pattern.match(clean)
        if match:
            other = match.groupdict().get("other")
            body = match.group("body") + (f" and {other}" if other else "")
            return body.strip(" :,") or None
    return None
