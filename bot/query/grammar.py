"""The question grammar: typed tokens and facet mentions become filters, negations and bounds (pure).

Facets are found by their vocabularies (remote words here, `index.worktypes`, `bot.places`, languages) and placed
on the token sequence of `bot.query.lexer`. Then:

* Negation and its scope: a negator applies to the first facet after it within NEG_WINDOW words, not across a
  scope boundary (and, but, a comma) to another facet: "not remote", "non-remote", "aren't remote", "can't work
  from home", "no contract", "not in Texas", "outside Ohio", "without Java". "on-site only" / "in person" mean
  not remote and not hybrid.
* Quantities: a count of years is experience, never pay; hours are neither; money (or a plain number in a pay
  context) with its comparator becomes a bound on pay, compared as yearly figures:
    over X (no target)        -> the range's top exceeds X           (salary_over)
    at least / starts at X    -> with a bottom word: bottom >= X     (salary_floor)
    under X (no target)       -> the range's bottom is below X       (salary_under)
    max / at most / tops out  -> the range's top is at most X        (salary_top_under)
    between X and Y, X–Y      -> the range overlaps [X, Y]           (salary_over X, salary_under Y)
    six figures               -> the top reaches 100,000 a year
  The currency named stays (no conversion); none named means USD.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.places import Place, places_in_question
from bot.query.lexer import Tok, lex, words_between
from index.money import PERIOD_WORDS
from index.worktypes import work_types_in

NEG_WINDOW = 4  # words between a negator and its facet

# remote vocabulary: value -> phrases
REMOTE_PHRASES = {
    "hybrid": r"hybrid",
    "remote": r"remote(?:ly)?|wfh|work(?:ing)?[- ]from[- ](?:home|anywhere)|from home|telecommut\w*|"
              r"distributed|anywhere",
    "on-site": r"on-?site|in[- ]office|in[- ]person|on[- ]premises?|office[- ]based|at the office",
}
_REMOTE_RE = [(v, re.compile(rf"(?<![\w])(?:{rx})(?![\w])", re.I)) for v, rx in REMOTE_PHRASES.items()]
# a facet word followed by a company suffix names a company ("Remote Inc"), not a filter
_COMPANY_AFTER = re.compile(
    r"^\s*(?:inc|llc|ltd|corp|co|labs?|technologies|tech|systems|group|software|solutions|gmbh|hq)\b", re.I)
_YEARS_CONTEXT = re.compile(r"\b(experience|exp|yoe|seniority)\b", re.I)
_PAY_CONTEXT = re.compile(
    r"\b(pay|pays|paid|paying|salary|salaries|comp|compensation|wages?|earn\w*|make|makes|rate|rates|income|"
    r"hourly|per hour|an hour|a year|annual\w*|yearly|monthly|figure|money|ote|stipend|range|starts?|starting|"
    r"tops?)\b|[$€£₹]", re.I)
_BOTTOM = re.compile(
    r"\b(bottom|floor|lowest|low end|minimum (?:pay|salary|rate)|min (?:pay|salary)|starts? at|starting|"
    r"begins? at|base(?: pay| salary)? (?:of|at|is)|even at|entry point|at the low|to (?:start|begin) with|"
    r"to (?:start|begin)|at (?:the )?start)\b", re.I)  # "at least $30 an hour to start"
_TOP = re.compile(r"\b(tops? out|top end|high end|highest|ceiling|max(?:imum)?|at the top|even the top|capped|"
                  r"upper end|top of)\b", re.I)
_SIX = re.compile(r"\b(?:six|6)[- ]figures?\b", re.I)


@dataclass
class Facet:
    """A facet value named in the question, where, and whether it is negated."""

    kind: str  # remote, work_type, place, language
    value: object
    start: int
    end: int
    negated: bool = False


def remote_mentions(text: str) -> list[Facet]:
    """Remote / hybrid / on-site words, not a company name ("Remote Inc")."""
    found: list[Facet] = []
    for value, pattern in _REMOTE_RE:
        for m in pattern.finditer(text):
            if _COMPANY_AFTER.match(text[m.end():]) and text[m.start()].isupper():
                continue
            if value == "remote" and re.match(r"anywhere", m.group(0), re.I) and not re.search(
                    r"\b(?:work|working|from)\s+$", text[:m.start()], re.I):
                continue  # "anywhere" alone is not a remote filter ("any roles anywhere in Ohio?")
            if value == "remote" and re.match(r"distributed", m.group(0), re.I) and not re.match(
                    r"\s+(?:team|company|roles?|jobs?)", text[m.end():], re.I):
                continue  # "distributed systems"
            if any(f.start < m.end() and m.start() < f.end for f in found):
                continue
            found.append(Facet("remote", value, m.start(), m.end()))
    return found


# "PT" / "FT" as a work type, beyond "PT roles" (index.worktypes): before a job noun a few words on ("PT hourly
# jobs", "FT Python openings"), as a predicate ("which jobs are PT?", "is it FT"), or paired ("PT/FT"); never
# beside a word of the therapy trade ("PT clinic", "travel PT jobs", "PT assistant"), where PT is the therapist
_SHORT_WORK_TYPES = {"pt": "Part-time", "ft": "Full-time"}
_THERAPY = (r"(?:clinic\w*|therap\w*|physio\w*|physical|assistant|aide|tech|technician|practice|office|rehab\w*|"
            r"outpatient|inpatient|travel(?:ing)?|home health|pediatric|ortho\w*|sports|dpt|pta|patients?|"
            r"hospital|acute|snf|school)")
_SHORT_RE = re.compile(r"(?<![\w-])(pt|ft)(?![\w-])", re.I)
_SHORT_NOUN_AFTER = re.compile(
    r"^\s+(?:[\w#+.-]+\s+){0,3}?(?:roles?|jobs?|positions?|openings?|postings?|gigs?|listings?|vacanc\w+|work|"
    r"shifts?|opportunit\w+)\b", re.I)
_SHORT_PREDICATE = re.compile(r"\b(?:are|is|be|being|only|just|either|both|mostly)\s+$", re.I)
_SHORT_NOUN_BEFORE = re.compile(r"\b(?:roles?|jobs?|positions?|openings?|postings?|gigs?)\s+$", re.I)
_SHORT_END = re.compile(r"^\s*(?:$|[?!.,;)]|only\b|or\b|and\b|/)", re.I)


def therapy_context(text: str, start: int, end: int) -> bool:
    """True when "PT" at start:end stands beside a word of the therapy trade ("travel PT jobs", "PT clinic")."""
    return bool(re.search(rf"\b{_THERAPY}\s+$", text[:start], re.I) or re.match(rf"\s+{_THERAPY}\b", text[end:], re.I))


def short_work_types(text: str) -> list[Facet]:
    """"PT" / "FT" read as part-time / full-time from their context (see _SHORT_WORK_TYPES)."""
    found: list[Facet] = []
    for m in _SHORT_RE.finditer(text):
        before, after = text[:m.start()], text[m.end():]
        if therapy_context(text, m.start(), m.end()):
            continue
        noun = _SHORT_NOUN_AFTER.match(after)
        if noun and re.search(rf"\b{_THERAPY}\b", noun.group(0), re.I):
            continue
        paired = re.match(r"\s*(?:/|or|and)\s*(?:pt|ft)\b", after, re.I) or re.search(
            r"\b(?:pt|ft)\s*(?:/|or|and)\s*$", before, re.I)
        predicate = (_SHORT_PREDICATE.search(before) or _SHORT_NOUN_BEFORE.search(before)) and _SHORT_END.match(after)
        if noun or paired or predicate:
            found.append(Facet("work_type", _SHORT_WORK_TYPES[m.group(1).lower()], m.start(), m.end()))
    return found


def facets_in(text: str, languages: list[tuple[str, int, int]], known_cities: frozenset[str] = frozenset()
              ) -> list[Facet]:
    """Every facet the question names, in order."""
    facets = remote_mentions(text)
    facets += [Facet("work_type", m.value, m.start, m.end) for m in work_types_in(text)
               if not (text[m.start:m.end].lower() in _SHORT_WORK_TYPES and therapy_context(text, m.start, m.end))]
    facets += [f for f in short_work_types(text)
               if not any(g.start < f.end and f.start < g.end for g in facets)]
    facets += [Facet("place", p, p.start, p.end) for p in places_in_question(text, known_cities)]
    facets += [Facet("language", name, s, e) for name, s, e in languages]
    facets.sort(key=lambda f: f.start)
    return facets


_PLACE_NEGATOR = re.compile(r"\b(?:outside(?:\s+of)?|out\s+of|excluding|except(?:\s+in)?|apart\s+from|"
                            r"other\s+than|anywhere\s+but|not\s+(?:based\s+|located\s+)?in)\s+(?:the\s+)?$", re.I)
# the words that introduce a place ("in", "based in", "outside of", "not in"): read with the place
_PLACE_LEAD = re.compile(r"\b(?:(?:not|isn'?t|aren'?t)\s+)?(?:outside(?:\s+of)?|out\s+of|excluding|except(?:\s+in)?|"
                         r"apart\s+from|other\s+than|anywhere\s+but|(?:based|located)\s+(?:in|near|out\s+of)|"
                         r"in|near|around|within|from)\s+(?:the\s+)?$", re.I)


def place_lead_spans(text: str, facets: list[Facet]) -> list[tuple[int, int]]:
    """Where the words introducing each place are ("outside of", "not in", "based in"): filter words too."""
    spans = []
    for facet in facets:
        if facet.kind == "place":
            lead = _PLACE_LEAD.search(text[:facet.start])
            if lead:
                spans.append((lead.start(), lead.end()))
    return spans


def apply_negation(text: str, tokens: list[Tok], facets: list[Facet]) -> None:
    """Mark each facet a negator governs (the first facet after it, within NEG_WINDOW words, same clause)."""
    stops = [t for t in tokens if t.kind == "stop"]
    for neg in (t for t in tokens if t.kind == "neg"):
        for facet in facets:
            if facet.start < neg.end:
                continue
            if words_between(text, neg.end, facet.start) > NEG_WINDOW:
                break
            if any(neg.end <= s.start and s.end <= facet.start for s in stops):
                break
            facet.negated = True
            # "not remote or hybrid": the alternative joined by "or" is negated too
            for other in facets:
                if other.start > facet.end and other.kind == facet.kind and re.fullmatch(
                        r"\s*(?:or|nor|/)\s*", text[facet.end:other.start], re.I):
                    other.negated = True
            break
    # "outside Texas", "outside of the UK": a place after "outside" is excluded
    for facet in facets:
        if facet.kind == "place" and _PLACE_NEGATOR.search(text[:facet.start]):
            facet.negated = True
    # "on-site only", "in person": on-site is read as not remote (nor hybrid)


@dataclass
class Bounds:
    """Pay and experience bounds read from the quantities of a question."""

    salary_over: float | None = None
    salary_floor: float | None = None
    salary_under: float | None = None
    salary_top_under: float | None = None
    currency: str | None = None
    period: str | None = None  # a period named with a figure ("$40/hr")
    min_years_at_least: int | None = None
    max_years: int | None = None


def _yearly(value: float, period: str | None, question_period: str | None) -> float:
    """A typed figure as a yearly one: '$40/hr' -> 83,200; bare '150' -> 150,000; bare '45' -> hourly."""
    from index.models import PERIOD_TO_YEAR

    period = period or question_period
    if period == "yearly" and value < 1000:
        return value * 1000  # "over 160 a year" means 160k
    if period:
        return value * PERIOD_TO_YEAR.get(period, 1)
    if value < 300:
        return value * PERIOD_TO_YEAR["hourly"]  # "over 45" in a pay question is an hourly rate
    if value < 1000:
        return value * 1000  # "over 150" means 150k
    return value


def _comparator(text: str, tokens: list[Tok], q: Tok) -> str | None:
    """The comparator of a quantity: the nearest before it (3 words) or right after it ('120k+', '$200k max')."""
    if q.plus:
        return "ge"
    after = [t for t in tokens if t.kind == "cmp" and t.start >= q.end and words_between(text, q.end, t.start) <= 1]
    if after and after[0].value in ("ge", "le"):
        return str(after[0].value)
    before = [t for t in tokens if t.kind in ("cmp", "bottom", "between") and t.end <= q.start
              and words_between(text, t.end, q.start) <= 3]
    if before:
        last = before[-1]
        if last.kind == "bottom":
            return "ge"
        if last.kind == "between":
            return "from"
        return str(last.value)
    return None


def read_bounds(text: str, tokens: list[Tok], question_period: str | None) -> Bounds:
    """Pay and experience bounds from the quantities and comparators."""
    b = Bounds()
    pay_context = bool(_PAY_CONTEXT.search(text))
    quantities = [t for t in tokens if t.kind in ("money", "number", "years")]
    money: list[tuple[Tok, str | None]] = []
    for q in quantities:
        op = _comparator(text, tokens, q)
        if q.kind == "years" or (q.kind == "number" and _YEARS_CONTEXT.search(text[q.end:q.end + 30])
                                 and not pay_context):
            if op in ("ge", "gt"):
                b.min_years_at_least = int(q.value)
            elif op in ("le", "lt"):
                b.max_years = int(q.value)
            continue
        if q.kind == "number":
            if not pay_context or op is None or float(q.value or 0) < 5 or 1900 <= float(q.value or 0) <= 2100:
                continue  # "top 5", "in 2024": not pay
        money.append((q, op))
    b.currency = next((q.currency for q, _ in money if q.currency), None)
    b.period = next((q.period for q, _ in money if q.period), None)
    bottom = bool(_BOTTOM.search(text))
    top = bool(_TOP.search(text))
    period_word = question_period
    for i, (q, op) in enumerate(money):
        value = _yearly(float(q.value), q.period, period_word)
        if q.high is not None:  # "$100k-$150k", "between 100k and 150k" written as a range
            b.salary_over, b.salary_under = value, _yearly(q.high, q.period, period_word)
            continue
        if op == "from" and i + 1 < len(money):  # "between X and Y", "from X to Y"
            nxt = money[i + 1][0]
            b.salary_over = value
            b.salary_under = _yearly(float(nxt.value), nxt.period or q.period, period_word)
            money[i + 1] = (nxt, "used")
            continue
        if op == "used":
            continue
        if op in ("ge", "gt", "from"):
            if bottom:
                b.salary_floor = value
            else:
                b.salary_over = value
        elif op == "le":
            b.salary_top_under = value + 0.01  # "at most X" keeps X itself; the top is compared with "<"
        elif op == "lt":
            if top:
                b.salary_top_under = value
            else:
                b.salary_under = value
        elif op is None and len(money) == 1 and bottom and re.search(r"\b(?:starts?|starting|begins?)\b", text,
                                                                      re.I):
            b.salary_floor = value
        elif op is None and len(money) == 1 and (q.currency or q.kind == "money"):
            # a figure alone ("€60k roles"): ranges that include it
            b.salary_over, b.salary_under = value - 1, value + 1
    if _SIX.search(text) and b.salary_over is None and b.salary_floor is None:
        if bottom:
            b.salary_floor = 100_000
        else:
            b.salary_over = 99_999
    return b


def _period_facet(period: str, phrases: str) -> re.Pattern[str]:
    """The words that name a pay period in a question: the phrases given, and any unit of the money vocabulary
    after "per" or "/" ("per hr", "/yr", "per stunde") or written with its own slash or dot ("p/h", "p.a.")."""
    words = PERIOD_WORDS[period]
    units = "|".join(sorted((w for w in words if re.fullmatch(r"[^\W\d_]+", w)), key=len, reverse=True))
    marked = "|".join(re.escape(w) for w in words if re.fullmatch(r"[a-z][/.][a-z]", w))
    return re.compile(rf"\b(?:{phrases})\b|(?:\bper\s+|/\s?)(?:{units})\b"
                      + (rf"|\b(?:{marked})(?![\w/])" if marked else ""), re.I)


_PERIOD_FACETS = [
    ("hourly", _period_facet("hourly", r"hourly|by the hour|an hour")),
    ("monthly", _period_facet("monthly", r"monthly|by the month|a month")),
    ("weekly", _period_facet("weekly", r"weekly|by the week|a week")),
    ("daily", _period_facet("daily", r"daily rate|by the day|day rate|a day")),
    ("yearly", _period_facet("yearly", r"yearly|annual|annually|a year|per annum|salaried")),
]


def period_facet(text: str, tokens: list[Tok]) -> tuple[str | None, tuple[int, int] | None]:
    """A pay period named about the jobs ("hourly roles", "paid by the hour"), not as the unit of a figure
    ("$40 an hour" only says how the figure is counted)."""
    figures = [(t.start, t.end) for t in tokens if t.kind in ("money", "number", "hours")]
    for name, pattern in _PERIOD_FACETS:
        for m in pattern.finditer(text):
            if any(s <= m.start() and m.end() <= e + 1 for s, e in figures):
                continue
            if any(0 <= m.start() - e <= 2 for _s, e in figures):
                continue  # "40 an hour": the unit of the figure before it
            return name, (m.start(), m.end())
    return None, None


@dataclass
class Reading:
    """The grammar's reading of a question."""

    facets: list[Facet]
    bounds: Bounds
    period: str | None  # a pay period named about the jobs ("hourly roles")
    spans: list[tuple[int, int]]  # where the filters were read (their words are not subject words)


def read_question(text: str, languages: list[tuple[str, int, int]], known_cities: frozenset[str] = frozenset()
                  ) -> Reading:
    """The grammar's whole reading of a question: facets (with negation), bounds and the period asked for."""
    tokens = lex(text)
    facets = facets_in(text, languages, known_cities)
    apply_negation(text, tokens, facets)
    period, period_span = period_facet(text, tokens)
    unit = next((t.period for t in tokens if t.kind == "money" and t.period), None)
    bounds = read_bounds(text, tokens, period or unit)
    spans = [(f.start, f.end) for f in facets] + place_lead_spans(text, facets)
    spans += [(t.start, t.end) for t in tokens if t.kind in ("money", "years", "hours", "neg", "cmp", "six")]
    if period_span:
        spans.append(period_span)
    return Reading(facets, bounds, period, spans)


__all__ = ["Facet", "Bounds", "Place", "Reading", "read_question", "remote_mentions", "facets_in", "read_bounds"]
