"""Understanding a question: what is asked, whether it wants a list, and its filters (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from bot.places import CITY_ALIASES, states_in_question
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
        r"\b(years? (?:of|in|with|doing)|min(?:imum)? (?:of )?years|yrs?|experi\w*|expir?e?ance|exp|seniority|how senior|how many years|how long|background)\b", re.I),
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
# When several intents are named, the most specific wins.
_ORDER = ("languages", "degree", "experience", "salary", "remote", "employment_type", "location")

_LIST_START = re.compile(
    r"^\s*(which|what|list|show|find|any|are there|is there|how many|give me|who|do we have|do you have|count)\b", re.I)
_JOB_NOUN_PLURAL = re.compile(
    r"\b(roles|jobs|postings|positions|openings|opportunities|listings|vacancies|internships|gigs|ones|"
    r"companies|employers)\b", re.I)
_HOW_MANY = re.compile(
    r"\b(?:how many|count|number of)\s+(?:[\w$+-]+\s+){0,4}?(?:roles|jobs|postings|positions|openings|"
    r"opportunities|listings|vacancies|internships|gigs|ones|companies|employers)\b", re.I)

_WORK_TYPES = [
    ("Full-time", re.compile(r"\bfull[- ]?time\b|\bfte\b", re.I)),
    ("Part-time", re.compile(r"\bpart[- ]?time\b", re.I)),
    ("Contract", re.compile(r"\bcontract(?:s|or|ors|ing)?\b|\bc2c\b|\bw2\b|\bfreelance\b", re.I)),
    ("Internship", re.compile(r"\bintern(?:s|ship|ships)?\b", re.I)),
    ("Temporary", re.compile(r"\btemp(?:orary)?\b|\bseasonal\b", re.I)),
    ("Volunteer", re.compile(r"\bvolunteer(?:s|ing)?\b", re.I)),
]
_REMOTE = [
    ("hybrid", re.compile(r"\bhybrid\b", re.I)),
    ("remote", re.compile(r"\b(remote|remotely|wfh|work[- ]from[- ]home|telecommut\w*|from home)\b", re.I)),
    ("on-site", re.compile(r"\b(on-?site|in[- ]office|in[- ]person)\b", re.I)),
]

_AMOUNT = r"\$?\s?(\d{1,3}(?:[,\s]\d{3})+|\d+(?:\.\d+)?)\s?(k|K|thousand|grand|m|mm)?"
_OVER = re.compile(
    r"(?:over|above|more than|greater than|at least|min(?:imum)?(?: of)?|>=?|north of|upwards of|starting at|"
    r"from|exceeding|exceeds|beyond|paying|pays|pay)\s*" + _AMOUNT + r"(\s*\+)?", re.I)
_PLUS = re.compile(_AMOUNT + r"\s*\+|" + _AMOUNT + r"\s*(?:or more|and up|and above|or higher)", re.I)
_UNDER = re.compile(
    r"(?:under|below|less than|at most|max(?:imum)?(?: of)?|<=?|up to|no more than|cheaper than)\s*" + _AMOUNT, re.I)
_PER_HOUR = re.compile(r"^\s*(?:/\s*h(?:ou)?r|an hour|per hour|/hour|hourly|ph)\b", re.I)
_FLOOR_WORDS = re.compile(
    r"\b(bottom|minimum|low(?:er)? end|start(?:ing)?|floor|base|even at|entry point|lowest)\b", re.I)
_PERIOD_LIST = [
    ("hourly", re.compile(r"\b(hourly|per hour|an hour|by the hour|/\s?h(?:ou)?r)\b", re.I)),
    ("monthly", re.compile(r"\b(monthly|per month|a month|/\s?mo(?:nth)?)\b", re.I)),
    ("weekly", re.compile(r"\b(weekly|per week|a week|/\s?wk)\b", re.I)),
    ("daily", re.compile(r"\b(daily rate|per day|a day|day rate)\b", re.I)),
    ("yearly", re.compile(r"\b(yearly|annual|annually|per year|a year|per annum|/\s?yr)\b", re.I)),
]
_WORK_TYPE_QUESTION = re.compile(
    r"\b((?:full|part)[- ]?time or|or (?:full|part)[- ]?time|paid or volunteer|volunteer or paid|unpaid|"
    r"permanent or|or permanent|temp or|or temp|contract or|or contract|ft or pt|"
    r"(?:kind|type|sort) of (?:employment|position|engagement|contract|role|job|gig|work))\b", re.I)

_YEARS_FILTER = re.compile(
    r"(?:less than|under|fewer than|at most|no more than|up to|<)\s*(\d+)\s*(?:years?|yrs?)|"
    r"(\d+)\s*(?:years?|yrs?)\s*(?:or less|max|at most)|\b(entry[- ]level|no experience|junior|new grad)\b", re.I)
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
    max_years: int | None = None
    no_degree: bool = False

    def any(self) -> bool:
        """True when at least one restriction is set (every field is one: None, False and [] mean unset)."""
        return any(value is not None and value is not False and value != [] for value in vars(self).values())

    def as_dict(self) -> dict[str, Any]:
        """Only the restrictions that are set."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], False)}


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


_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:[.'&][a-z0-9]+)*", re.I)


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens keeping c#, c++ and o'neil together ('acme's' -> 'acme')."""
    text = re.sub(r"['’]s\b", "", text)
    return [t.lower().rstrip(".'") for t in _TOKEN.findall(text.replace("’", "'"))]


def normalise_token(token: str) -> str:
    """A crude singular: 'engineers' -> 'engineer', 'nurses' -> 'nurse' (not 'sales', 'ss')."""
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is", "sales")):
        return token[:-1]
    return token


def question_tokens(text: str) -> list[str]:
    """Tokens of a question with abbreviations expanded and plurals folded."""
    out: list[str] = []
    for token in tokenize(text):
        expanded = ABBREVIATIONS.get(token)
        if expanded:
            out.append(token)  # "RN" may be in the title as written, or spelled out
        for part in (expanded.split() if expanded else [token]):
            out.append(normalise_token(part))
    return out


def _amount(number: str, unit: str | None) -> float:
    value = float(re.sub(r"[,\s]", "", number))
    unit = (unit or "").lower()
    if unit in ("k", "thousand", "grand"):
        value *= 1000
    elif unit in ("m", "mm"):
        value *= 1_000_000
    return value


def _yearly(value: float, rest: str) -> float:
    """Turn a typed amount into a yearly figure: '$40/hr' -> 83,200; a bare 150 -> 150,000."""
    if _PER_HOUR.match(rest) or value < 300:
        return value * 2080 if value < 300 else value
    if value < 1000:  # "150" in "over 150 a year" means 150k
        return value * 1000
    return value


def parse_salary_filter(text: str, filters: Filters) -> None:
    """Set salary_over / salary_floor / salary_under from 'over $150k', '$120k+', 'under 80k'."""
    for match in _OVER.finditer(text):
        number, unit = match.group(1), match.group(2)
        if _amount(number, unit) < 5:
            continue  # "over 1": not a pay figure
        value = _yearly(_amount(number, unit), text[match.end():match.end() + 12])
        if value < 1000:
            continue
        if _FLOOR_WORDS.search(text):
            filters.salary_floor = value
        else:
            filters.salary_over = value
        return
    for match in _PLUS.finditer(text):
        number = match.group(1) or match.group(3)
        unit = match.group(2) or match.group(4)
        if not number:
            continue
        value = _yearly(_amount(number, unit), text[match.end():match.end() + 12])
        if value >= 1000 and "year" not in text[match.start() - 8:match.start()]:
            filters.salary_over = value
            return
    for match in _UNDER.finditer(text):
        value = _yearly(_amount(match.group(1), match.group(2)), text[match.end():match.end() + 12])
        if value >= 1000 and not re.search(r"years?|yrs?", text[match.end():match.end() + 8]):
            if re.search(r"\b(top|max(?:imum)?|high(?:est)? end|tops? out|ceiling|even the top)\b", text, re.I):
                filters.salary_top_under = value
            else:
                filters.salary_under = value
            return


def parse_question(text: str, find_languages: Callable[[str], list[str]] | None = None) -> Query:
    """Parse a question: intents by keywords, list-ness, and filters."""
    clean = re.sub(r"<@[A-Z0-9]+>", " ", text or "")
    clean = re.sub(r"\s+", " ", clean).strip()
    hits = [name for name in _ORDER if _INTENT_PATTERNS[name].search(clean)]
    if _WORK_TYPE_QUESTION.search(clean) and "employment_type" in hits:
        hits.remove("employment_type")
        hits.insert(0, "employment_type")
    filters = Filters()

    for value, pattern in _WORK_TYPES:
        if pattern.search(clean):
            filters.work_type = value
            break
    for value, pattern in _REMOTE:
        if pattern.search(clean):
            filters.remote = value
            break
    filters.languages = (find_languages or question_languages)(clean)
    filters.states = states_in_question(clean)
    for alias, city in CITY_ALIASES.items():
        # "la" and "dc" are words too: only "LA" / "DC" as written count
        flags = 0 if alias in ("la", "dc") else re.I
        pattern = alias.upper() if alias in ("la", "dc") else alias
        if re.search(rf"\b{pattern}\b", clean, flags):
            filters.cities.append(city.lower())
    parse_salary_filter(clean, filters)
    period = next((name for name, pattern in _PERIOD_LIST if pattern.search(clean)), None)
    if filters.salary_over is not None or filters.salary_floor is not None or filters.salary_under is not None \
            or filters.salary_top_under is not None:
        if period:
            filters.pay_period = period
        if re.search(r"\b(range|tops? out|bottom of|low end|high end|top of)\b", clean, re.I):
            filters.salary_range = True
    elif period and re.search(r"\b(pay|pays|rate|rates|paid|wages?|salar\w*|figure|comp)\b", clean, re.I):
        filters.pay_period = period
    elif re.search(r"\b(?:no|without|don'?t|doesn'?t|do not|does not|never|missing|lack\w*)\b[^.?!]{0,25}"
                   r"\b(?:salary|salaries|pay|wage|compensation|comp)\b", clean, re.I):
        filters.no_salary = True
    elif re.search(r"\b(list|state|show|with|have|mention)s? (?:a |the |any )?(?:salary|pay)\b", clean, re.I):
        filters.has_salary = True
    if re.search(r"\b(outside (?:the )?(?:us|usa|u\.s\.?|united states|america)|abroad|international(?:ly)?|"
                 r"overseas|non-us|in europe)\b", clean, re.I):
        filters.outside_us = True
    years = _YEARS_FILTER.search(clean)
    if years:
        filters.max_years = int(years.group(1) or years.group(2)) if (years.group(1) or years.group(2)) else 1
    if _NO_DEGREE.search(clean):
        filters.no_degree = True

    plural = bool(_JOB_NOUN_PLURAL.search(clean))
    starts_list = bool(_LIST_START.search(clean))
    # "which roles want Go?", "remote roles over $150k", "how many contract jobs", "who's hiring in Austin?"
    is_list = (plural and (starts_list or filters.any())) or bool(_HOW_MANY.search(clean)) or bool(
        re.search(r"\bwho(?:'s| is| are)? hiring\b|\b(?:every|all)\s+(?:the\s+)?(?:\w+\s+){0,2}"
                  r"(?:jobs?|roles?|postings?|positions?|openings?|internships?|listings?)\b", clean, re.I))
    intent = hits[0] if hits else "general"
    return Query(
        text=clean,
        intent=intent,
        intents=hits,
        is_list=is_list,
        wants_count=bool(_HOW_MANY.search(clean)),
        filters=filters,
        tokens=question_tokens(clean),
        raw_tokens=tokenize(clean),
    )
