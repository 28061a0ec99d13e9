"""Meaning-keeping rewrites of a question, and question templates filled from postings (pure, seeded).

The metamorphic suite (benchmarks/metamorphic.py) asks a question, then asks it again rewritten in a
way that must not change the answer (invariance), or in a way that must change it in a known
direction (negation gives the complement; a higher pay floor or one more filter never adds postings).

Everything here is a pure function of its text and a `random.Random`: the same seed gives the same
variants. Each perturbation returns None when it does not apply to a question (no word of five
letters to misspell, nothing to abbreviate, no trailing phrase to move), so a run only counts
variants that are real rewrites.

Vocabulary (abbreviations, politeness formulas, negation phrasings) is kept as data tables below.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

import us

# ---------------------------------------------------------------------------------------------- helpers

STATE_CODES = {s.abbr: s.name for s in us.states.STATES_AND_TERRITORIES}
STATE_CODES["DC"] = "District of Columbia"
STATE_NAMES = {name.lower(): code for code, name in STATE_CODES.items()}

# Two-letter codes that read as ordinary English words once lower-cased ("jobs in OR" vs "jobs in or"):
# lower-casing a question that holds one of them changes its meaning, so the case rewrite skips it.
CODES_THAT_ARE_WORDS = frozenset({"IN", "OR", "ME", "OK", "HI", "LA", "DE", "ID", "IT", "US", "AS", "AT", "TO",
                                  "ON", "NO", "SO", "AN", "BE", "DO", "IS", "MY", "OF", "UP", "WE", "PA", "MA", "OH",
                                  "CO", "AL", "MD", "NE"})

# Function words never misspelled by the typo rewrites (a typo goes into a content word).
FUNCTION_WORDS = frozenset("""
which where there their these those about would could should what's whats where's does doesn't aren't isn't
being other every under above below after before while whose whom shall might, might must please thanks
""".replace(",", " ").split())

_TRAILING_PUNCT = re.compile(r"\s*[?!.]+\s*$")


def stable_seed(*parts: object) -> int:
    """A seed that is the same in every process (Python's hash() of a str is salted per process)."""
    return zlib.crc32("\x1f".join(str(p) for p in parts).encode("utf-8"))


def split_punct(text: str) -> tuple[str, str]:
    """('which jobs are remote', '?') from 'which jobs are remote?'."""
    text = text.strip()
    match = _TRAILING_PUNCT.search(text)
    if not match:
        return text, ""
    return text[: match.start()], match.group(0).strip()


# ---------------------------------------------------------------------------------------- perturbations


@dataclass(frozen=True)
class Context:
    """What a perturbation may need beyond the text: words not to touch, words that are real words."""

    protect: frozenset[str] = frozenset()  # lower-case words never rewritten (short company names)
    vocabulary: frozenset[str] = frozenset()  # known words: a "typo" that lands on one is a different word
    companies: tuple[str, ...] = ()  # lower-case company names: never abbreviated ("Bank of Texas" stays)

    def name_spans(self, text: str) -> list[tuple[int, int]]:
        """Where company names are written in a text (case-insensitive), as (start, end) spans."""
        lowered = text.lower()
        spans = []
        for name in self.companies:
            start = lowered.find(name)
            while start >= 0:
                spans.append((start, start + len(name)))
                start = lowered.find(name, start + 1)
        return spans


@dataclass(frozen=True)
class Variant:
    """One rewrite of a question: the text, the perturbation's name and family, and what it did."""

    text: str
    name: str
    family: str
    detail: str = ""


Perturb = Callable[[str, random.Random, Context], "Variant | None"]


def lower_case(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """Everything in lower case, unless that turns a state code into an English word ('in OR')."""
    if any(tok in CODES_THAT_ARE_WORDS for tok in re.findall(r"\b[A-Z]{2}\b", text)):
        return None
    out = text.lower()
    return Variant(out, "case_lower", "case") if out != text else None


def upper_case(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """EVERYTHING IN CAPITALS (a shouted question means the same)."""
    out = text.upper()
    return Variant(out, "case_upper", "case") if out != text else None


def title_case(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """Each Word Capitalised; words already in capitals (codes, acronyms) stay as they are."""
    def cap(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if word.isupper() else word[:1].upper() + word[1:].lower()

    out = re.sub(r"[A-Za-z][A-Za-z']*", cap, text)
    return Variant(out, "case_title", "case") if out != text else None


_CONTENT_WORD = re.compile(r"(?<![\w$#+.@/-])[A-Za-z]{5,}(?![\w#+@/-])")


def _typo_candidates(text: str, ctx: Context) -> list[re.Match[str]]:
    return [m for m in _CONTENT_WORD.finditer(text)
            if m.group(0).lower() not in FUNCTION_WORDS and m.group(0).lower() not in ctx.protect]


def _typo(kind: str, edit: Callable[[str, random.Random], str | None]) -> Perturb:
    def perturb(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
        candidates = _typo_candidates(text, ctx)
        rng.shuffle(candidates)
        for match in candidates:
            word = match.group(0)
            wrong = edit(word, rng)
            if not wrong or wrong == word or wrong.lower() in ctx.vocabulary:
                continue  # "contract" -> "contact" is another word, not a typo
            out = text[: match.start()] + wrong + text[match.end():]
            return Variant(out, f"typo_{kind}", "typo", f"{word}->{wrong}")
        return None

    perturb.__name__ = f"typo_{kind}"
    perturb.__doc__ = f"Misspell one content word of five or more letters ({kind}); never digits or short names."
    return perturb


def _swap(word: str, rng: random.Random) -> str | None:
    spots = [i for i in range(1, len(word) - 1) if word[i] != word[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _drop(word: str, rng: random.Random) -> str | None:
    i = rng.randrange(1, len(word))
    return word[:i] + word[i + 1:]


def _double(word: str, rng: random.Random) -> str | None:
    i = rng.randrange(1, len(word))
    return word[:i] + word[i] + word[i:]


typo_swap = _typo("swap", _swap)
typo_drop = _typo("drop", _drop)
typo_double = _typo("double", _double)


def _money_to_k(match: re.Match[str]) -> str:
    return f"{match.group(1)}k"


# (name, pattern, replacement): applied one at a time, each keeps the meaning of the question.
ABBREVIATIONS: list[tuple[str, re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    ("software engineer->swe", re.compile(r"\bsoftware engineer\b", re.I), "swe"),
    ("senior->sr", re.compile(r"\bsenior\b", re.I), "sr"),
    ("junior->jr", re.compile(r"\bjunior\b", re.I), "jr"),
    ("engineer->eng", re.compile(r"\bengineer\b", re.I), "eng"),
    ("developer->dev", re.compile(r"\bdeveloper\b", re.I), "dev"),
    ("manager->mgr", re.compile(r"\bmanager\b", re.I), "mgr"),
    ("assistant->asst", re.compile(r"\bassistant\b", re.I), "asst"),
    ("representative->rep", re.compile(r"\brepresentative\b", re.I), "rep"),
    ("coordinator->coord", re.compile(r"\bcoordinator\b", re.I), "coord"),
    ("registered nurse->RN", re.compile(r"\bregistered nurse\b", re.I), "RN"),
    ("vice president->VP", re.compile(r"\bvice president\b", re.I), "VP"),
    ("human resources->HR", re.compile(r"\bhuman resources\b", re.I), "HR"),
    ("full-time->FT", re.compile(r"\bfull[- ]time\b", re.I), "FT"),
    ("part-time->PT", re.compile(r"\bpart[- ]time\b", re.I), "PT"),
    ("New York City->NYC", re.compile(r"\bNew York City\b", re.I), "NYC"),
    ("San Francisco->SF", re.compile(r"\bSan Francisco\b", re.I), "SF"),
    ("California->cali", re.compile(r"\bCalifornia\b", re.I), "cali"),
    # only where they mean time worked: "2+ years Attorney" and "User Experience Designer" are titles
    ("years->yrs", re.compile(r"\byears(?= of\b| experience\b|'? exp)|(?<=how many )years\b", re.I), "yrs"),
    ("experience->exp", re.compile(r"(?<=\byears of )experience\b|(?<=\bmuch )experience\b|"
                                   r"\bexperience(?= required| needed| do they| does)", re.I), "exp"),
    ("per hour->/hr", re.compile(r"\s(?:per|an|a) hour\b", re.I), "/hr"),
    ("thousand->k", re.compile(r"\b(\d{1,3}) thousand\b", re.I), _money_to_k),
    ("$150,000->150k", re.compile(r"\$(\d{1,3}),000\b(?!,)"), _money_to_k),
    ("$150k->150k", re.compile(r"\$(\d{1,3})[kK]\b"), _money_to_k),
]


def _state_abbreviation(text: str, free: Callable[[re.Match[str]], bool]) -> list[tuple[str, str]]:
    """(name, rewritten text) for each full state name written in the question: 'Texas' -> 'TX'."""
    out = []
    for name, code in STATE_NAMES.items():
        if name in ("washington", "district of columbia", "new york city"):
            continue  # Washington may be the city; DC has its own forms
        pattern = re.compile(rf"\b{re.escape(name)}\b(?! city)", re.I)
        match = next((m for m in pattern.finditer(text) if free(m)), None)
        if match:
            out.append((f"{name.title()}->{code}", text[: match.start()] + code + text[match.end():]))
    return out


def abbreviations(text: str, keep: list[tuple[int, int]] = ()) -> list[tuple[str, str]]:
    """Every single-abbreviation rewrite of a question, as (rule name, new text); spans in `keep` untouched."""
    out = []

    def free(match: re.Match[str]) -> bool:
        return not any(match.start() < end and start < match.end() for start, end in keep)

    for name, pattern, repl in ABBREVIATIONS:
        match = next((m for m in pattern.finditer(text) if free(m)), None)
        if match:
            new = match.expand(repl) if isinstance(repl, str) else repl(match)
            out.append((name, text[: match.start()] + new + text[match.end():]))
    out.extend(_state_abbreviation(text, free))
    return [(n, t) for n, t in out if t != text]


def abbreviate(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """One abbreviation people type (senior->sr, California->CA, $150,000->150k), picked at random."""
    options = abbreviations(text, ctx.name_spans(text))
    if not options:
        return None
    name, out = rng.choice(options)
    return Variant(out, "abbreviation", "abbreviation", name)


_MOVABLE = re.compile(
    r"\s((?:in|at|for|with|near|outside|paying|over|above|under|below|from|based in|located in)\s[^,;]+)$", re.I)
# A tail holding one of these is a predicate of the question ("... at Acme located"), not a phrase to move.
_PREDICATE_WORDS = frozenset("""
pay pays paid paying? want wants need needs require requires is are does do did offer offers located based remote
hybrid onsite on-site full-time part-time contract listed located? mention mentions ask asks
""".replace("?", "").split())
_NOT_A_FILTER = frozenset("here there it this that total general all them".split())
_VERBS_BEFORE = frozenset("pay pays paid paying earn earns make makes start starts starting begin begins out is are "
                          "top tops".split())


def move_trailing_phrase(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """'remote roles in Texas?' -> 'in Texas, remote roles?': a trailing filter phrase moved to the front."""
    body, punct = split_punct(text)
    for match in reversed(list(re.finditer(
            r"\s(?=(?:in|at|for|with|near|outside|paying|over|above|under|below|based in|located in)\s)", body, re.I))):
        tail = body[match.end():]
        head = body[: match.start()].rstrip(" ,")
        words = tail.split()
        rest = [w.lower().strip(",.") for w in words[1:]]
        if not 2 <= len(words) <= 6 or len(head.split()) < 2:
            continue
        if words[0].lower() != "paying" and any(w in _PREDICATE_WORDS for w in rest):
            continue
        if rest and rest[0] in _NOT_A_FILTER:
            continue  # "any jobs in here?": not a filter phrase
        if head.split()[-1].lower() in _VERBS_BEFORE:
            continue  # "jobs that pay | over 100k": the phrase belongs to the verb
        return Variant(f"{tail}, {head[:1].lower() + head[1:] if not head[:2].isupper() else head}{punct}",
                       "word_order", "word_order", tail)
    return None


POLITE_PREFIXES = ("could you tell me ", "pls ", "please ", "hey bot, ", "hi! ", "quick question: ",
                   "can you check ")
POLITE_SUFFIXES = (" pls", " please", " thanks!", " thx", ", thank you", " (thanks in advance)")
_QUESTION_WORDS = frozenset("which what where how is are does do list show any find who can give".split())


def politeness(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """A greeting, 'please' or 'thanks' around the question."""
    body, punct = split_punct(text)
    if rng.random() < 0.5:
        prefix = rng.choice(POLITE_PREFIXES)
        first = body.split(" ", 1)[0]
        if first.lower() in _QUESTION_WORDS and not first.isupper():
            body = body[:1].lower() + body[1:]
        return Variant(f"{prefix}{body}{punct}", "politeness", "politeness", prefix.strip())
    suffix = rng.choice(POLITE_SUFFIXES)
    if suffix.strip() in ("pls", "please"):
        return Variant(f"{body}{suffix}{punct}", "politeness", "politeness", suffix.strip())
    return Variant(f"{body}{punct}{suffix}", "politeness", "politeness", suffix.strip())


PUNCTUATION_ENDINGS = ("?", "??", "", "!", " ?", ".", "?!")


def punctuation(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """Another ending: '?', '??', none, '!'."""
    body, punct = split_punct(text)
    ending = rng.choice([e for e in PUNCTUATION_ENDINGS if e.strip() != punct])
    return Variant(f"{body}{ending}", "punctuation", "punctuation", repr(ending))


PERTURBATIONS: dict[str, Perturb] = {
    "case_lower": lower_case,
    "case_upper": upper_case,
    "case_title": title_case,
    "typo_swap": typo_swap,
    "typo_drop": typo_drop,
    "typo_double": typo_double,
    "abbreviation": abbreviate,
    "word_order": move_trailing_phrase,
    "politeness": politeness,
    "punctuation": punctuation,
}
# Stacked: what a hurried user types (lower case, a typo, "pls", no question mark).
COMBINATION = ("case_lower", "typo_swap", "abbreviation", "politeness", "punctuation")


def combined(text: str, rng: random.Random, ctx: Context = Context()) -> Variant | None:
    """Two or three of the rewrites above, one after another."""
    names = rng.sample(COMBINATION, rng.choice((2, 3)))
    out, done = text, []
    for name in COMBINATION:  # a fixed order: case before typos, so a typo is not undone
        if name not in names:
            continue
        v = PERTURBATIONS[name](out, rng, ctx)
        if v is not None:
            out, done = v.text, done + [name + (f"({v.detail})" if v.detail else "")]
    if len(done) < 2:
        return None
    return Variant(out, "combined", "combined", " + ".join(done))


def variants_of(text: str, ctx: Context = Context(), seed: int = 0,
                names: Iterable[str] | None = None) -> list[Variant]:
    """Every applicable rewrite of one question (one per perturbation, plus one combination), deterministic."""
    out = []
    for name in list(names or PERTURBATIONS) + ["combined"]:
        fn = combined if name == "combined" else PERTURBATIONS[name]
        v = fn(text, random.Random(stable_seed(seed, name, text)), ctx)
        if v is not None and v.text.strip() and v.text != text:
            out.append(v)
    return out


# ------------------------------------------------------------------------ directions: pay and filters

_PAY_FIGURE = re.compile(
    r"(?P<cur>\$)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?P<unit>k|K|thousand)\b)?(?P<plus>\+)?")
_FLOOR_CUE = re.compile(r"\b(over|above|more than|at least|starting at|from|north of|paying|pays?|minimum|min)\s*$",
                        re.I)
_CEILING_CUE = re.compile(r"\b(under|below|less than|at most|no more than|top out under|tops? out (?:under|below))\s*$",
                          re.I)


def _format_like(original: re.Match[str], value: float) -> str:
    num = original.group("num")
    cur = original.group("cur") or ""
    unit = original.group("unit") or ""
    plus = original.group("plus") or ""
    if "," in num:
        shown = f"{value:,.0f}"
    elif "." in num:
        shown = f"{value:.2f}"
    else:
        shown = f"{value:.0f}"
    space = " " if unit.lower() == "thousand" else ""
    return f"{cur}{shown}{space}{unit}{plus}"


def tighten_pay(text: str) -> Variant | None:
    """A stricter pay condition: a floor raised ('over $120k' -> 'over $150k') or a ceiling lowered.

    The answer to the stricter question must hold no posting the original did not list.
    """
    for match in _PAY_FIGURE.finditer(text):
        number = float(match.group("num").replace(",", ""))
        if number <= 0 or (not match.group("cur") and not match.group("unit") and not match.group("plus")
                           and number < 1000):
            continue  # "5 years", "top 10": not a pay figure
        before = text[: match.start()]
        is_plus = bool(match.group("plus")) or bool(re.match(r"\s*(or more|and up|and above|or higher)", text[match.end():]))
        if _FLOOR_CUE.search(before) or is_plus:
            new, what = number * 1.25, "floor raised"
        elif _CEILING_CUE.search(before):
            new, what = number * 0.8, "ceiling lowered"
        else:
            continue
        if "." not in match.group("num"):
            new = float(round(new))
        out = text[: match.start()] + _format_like(match, new) + text[match.end():]
        return Variant(out, "tighten_pay", "monotonic_pay", f"{what}: {match.group(0).strip()} -> "
                       f"{_format_like(match, new)}")
    return None


JOB_NOUNS = ("jobs", "roles", "positions", "openings", "postings", "listings", "opportunities", "vacancies", "gigs")
_JOB_NOUN = re.compile(r"\b(" + "|".join(JOB_NOUNS) + r")\b", re.I)


_LIST_LEAD = re.compile(
    r"^\s*(?:how many|which|any|list(?: the| all)?|show me(?: the| all)?|find(?: me)?|what are the|are there any|"
    r"give me(?: the| all)?|count(?: the)?)\s+", re.I)


def add_filter_words(text: str, words: str, name: str) -> Variant | None:
    """'which attorney roles are not remote?' + 'Python' -> 'which Python attorney roles are not remote?'.

    The words go right after the list's lead ('which', 'how many', 'list the'), before any title words.
    """
    if re.search(rf"(?<![\w+#]){re.escape(words)}(?![\w+#])", text, re.I) or not _JOB_NOUN.search(text):
        return None
    lead = _LIST_LEAD.match(text)
    at = lead.end() if lead else len(text) - len(text.lstrip())
    if lead and re.match(r"(?:postings?|jobs?|roles?|positions?|openings?)\s+(?:are|is)\s+there", text[at:], re.I):
        return None  # "how many jobs are there" + words works, but "any jobs there" is not a list filter
    rest = text[at:]
    if not lead and not rest[:2].isupper():
        rest = rest[:1].lower() + rest[1:]  # "Jobs in Ohio" -> "remote jobs in Ohio"
    new = text[:at] + words + " " + rest
    return Variant(new, name, "monotonic_filter", f"+{words}")


def names_a_place(text: str) -> bool:
    """True when a question already names a state (by name or code) or a place after 'in'."""
    if re.search(r"\b(?:in|near|around|outside)\s+[A-Z]", text):
        return True
    if any(code in STATE_CODES for code in re.findall(r"\b[A-Z]{2}\b", text)):
        return True
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(name)}\b", lowered) for name in STATE_NAMES)


def add_state(text: str, state: str) -> Variant | None:
    """'which contract roles are not remote?' + Ohio -> 'which contract roles in Ohio are not remote?'.

    None when the question names a place already (a second place would widen it: "in TX or NJ").
    """
    if names_a_place(text):
        return None
    match = _JOB_NOUN.search(text)
    if not match:
        return None
    return Variant(text[: match.end()] + f" in {state}" + text[match.end():], "add_state", "monotonic_filter",
                   f"+in {state}")


# ------------------------------------------------------------------------------------- list templates


@dataclass(frozen=True)
class ListSpec:
    """A list question as parts, so the same question can be written with a filter, without it, or negated.

    `negate` names the facet written negated ('remote', 'work_type' or 'state').
    """

    noun: str = "jobs"
    lead: str = "which"
    remote: bool = False
    work_type: str | None = None  # as people write it: 'contract', 'part-time', 'full-time', 'temporary'
    state: str | None = None  # a full state name or a two-letter code
    city: str | None = None
    language: str | None = None
    pay_over: int | None = None  # yearly dollars
    negate: str | None = None
    style: int = 0  # which of several phrasings of the same parts

    def facets(self) -> list[str]:
        """The facets a negation can be tried on."""
        out = []
        if self.remote:
            out.append("remote")
        if self.work_type:
            out.append("work_type")
        if self.state:
            out.append("state")
        return out

    def without(self, facet: str) -> "ListSpec":
        """The same question without one facet (the base a negation is the complement in)."""
        return replace(self, **{"remote": False} if facet == "remote" else {facet: None}, negate=None)

    def has_filters(self) -> bool:
        """True when any restriction is written."""
        return bool(self.remote or self.work_type or self.state or self.city or self.language or self.pay_over)

    def render(self) -> str:
        """The question as a user might type it (the phrasing picked by `style`)."""
        s = self.style
        adjectives: list[str] = []
        trailing: list[str] = []
        if self.remote and self.negate != "remote":
            adjectives.append("remote")
        if self.work_type and self.negate != "work_type":
            adjectives.append(self.work_type)
        if self.language:
            adjectives.append(self.language)
        if self.remote and self.negate == "remote":
            if s % 5 == 0:
                adjectives.insert(0, "non-remote")
            else:
                trailing.append(["that aren't remote", "that are not remote", "not remote", "which are not remote"][s % 4])
        if self.work_type and self.negate == "work_type":
            trailing.append([f"that aren't {self.work_type}", f"that are not {self.work_type}",
                             f"other than {self.work_type}"][s % 3])
        place = self.state or self.city
        if place and self.negate == "state":
            trailing.append([f"not in {place}", f"outside {place}", f"outside of {place}"][s % 3])
        elif place:
            trailing.append(f"in {place}")
        if self.pay_over:
            k = self.pay_over // 1000
            trailing.append([f"paying over ${k}k", f"that pay more than {k}k", f"over ${self.pay_over:,}",
                             f"paying at least ${k},000"][s % 4])
        core = " ".join(adjectives + [self.noun])
        lead = self.lead
        if not adjectives and not trailing:  # no filter left: "list all jobs", "show me all roles"
            core, lead = "all " + core, ("list", "show me")[s % 2]
        text = f"{lead} {core}" if lead else core
        if trailing:
            # a negated facet goes last ("... in Ohio that aren't remote"), other phrases first
            negs = [t for t in trailing if re.match(r"(that|which)? ?(aren't|are not|not|outside|other than)", t)]
            rest = [t for t in trailing if t not in negs]
            text += " " + " ".join(rest + negs)
        return text.strip() + ("?" if lead in ("which", "any", "are there") else "")


LEADS = ("which", "show me", "list", "", "any", "find", "what are the")
NOUNS = ("jobs", "roles", "positions", "openings", "postings")
WORK_TYPE_WORDS = {"Full-time": "full-time", "Part-time": "part-time", "Contract": "contract",
                   "Temporary": "temporary", "Internship": "internship"}


@dataclass
class Values:
    """Values drawn from the postings' own facts, to fill templates with."""

    companies: list[str] = field(default_factory=list)
    titles: list[tuple[str, str]] = field(default_factory=list)  # (short title, company)
    states: list[str] = field(default_factory=list)  # codes present in locations
    cities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    work_types: list[str] = field(default_factory=list)  # canonical EMPLOYMENT_TYPES values present
    pay_levels: list[int] = field(default_factory=list)  # yearly thresholds, rounded to 10k
    title_words: list[str] = field(default_factory=list)  # frequent last words of titles ('engineer', 'nurse')


_LOCATION_CODE = re.compile(r",\s*([A-Z]{2})\b")


def short_title(title: str) -> str:
    """The part of a title people say: 'Senior Data Engineer - Payments (Remote)' -> 'Senior Data Engineer'."""
    title = re.split(r"\s+[-–|/]\s+|\s*\(|,\s|\s+@\s|:\s", title)[0]
    return re.sub(r"\s+", " ", title).strip()


def short_company(company: str) -> str:
    """'Tallowbrook Analytics, Inc.' -> 'Tallowbrook Analytics'."""
    company = re.sub(r",?\s*\b(inc|llc|llp|ltd|corp|co|gmbh|plc|l\.l\.c|p\.c)\b\.?$", "", company.strip(), flags=re.I)
    return company.strip(" ,.")


def values_from_postings(postings: list) -> Values:
    """Companies, titles, states, cities, languages, work types and pay levels the postings themselves have."""
    from collections import Counter

    v = Values()
    states: Counter = Counter()
    cities: Counter = Counter()
    langs: Counter = Counter()
    types: Counter = Counter()
    words: Counter = Counter()
    pays: list[float] = []
    seen = set()
    for p in postings:
        title, company = short_title(p.title or ""), short_company(p.company or "")
        if title and company and len(title) <= 40 and (title, company) not in seen and re.search(r"[a-z]", company, re.I):
            seen.add((title, company))
            v.titles.append((title, company))
        match = _LOCATION_CODE.search(p.location or "")
        if match and match.group(1) in STATE_CODES:
            states[match.group(1)] += 1
            city = (p.location or "").split(",")[0].strip()
            if city and len(city) > 2:
                cities[city] += 1
        f = p.facts
        for lang in f.languages:
            langs[lang.value] += 1
        if f.employment_type and f.employment_type.value in WORK_TYPE_WORDS:
            types[f.employment_type.value] += 1
        if f.salary and f.salary.value.yearly_max and f.salary.value.currency == "USD":
            pays.append(f.salary.value.yearly_max)
        last = re.findall(r"[A-Za-z]+", title.lower())
        if last and len(last[-1]) >= 4:
            words[last[-1]] += 1
    v.companies = sorted({c for _t, c in v.titles})
    v.states = [s for s, _n in states.most_common(20)]
    v.cities = [c for c, n in cities.most_common(15) if n >= 2]
    v.languages = [name for name, _n in langs.most_common(12)]
    v.work_types = [t for t, _n in types.most_common()]
    if pays:
        pays.sort()
        v.pay_levels = sorted({int(round(pays[int(q * (len(pays) - 1))] / 10000) * 10000)
                               for q in (0.25, 0.5, 0.7, 0.85)} - {0})
    v.title_words = [w for w, n in words.most_common(15) if n >= 2]
    return v


def random_list_spec(values: Values, rng: random.Random) -> ListSpec:
    """A list question with one to three filters drawn from the postings' own values."""
    spec = ListSpec(noun=rng.choice(NOUNS), lead=rng.choice(LEADS), style=rng.randrange(60))
    picks = rng.sample(["remote", "work_type", "state", "language", "pay"], rng.choice((1, 2, 2, 3)))
    changes: dict = {}
    if "remote" in picks:
        changes["remote"] = True
    if "work_type" in picks and values.work_types:
        changes["work_type"] = WORK_TYPE_WORDS[rng.choice(values.work_types)]
    if "state" in picks and values.states:
        code = rng.choice(values.states)
        changes["state"] = code if rng.random() < 0.35 else STATE_CODES[code]
    if "language" in picks and values.languages:
        changes["language"] = rng.choice(values.languages)
    if "pay" in picks and values.pay_levels:
        changes["pay_over"] = rng.choice(values.pay_levels)
    if not changes:
        changes["remote"] = True
    return replace(spec, **changes)


# Fact questions about one posting, in several phrasings: {t} the short title, {c} the company.
FACT_TEMPLATES = (
    "what does the {c} {t} pay?",
    "how much does the {t} job at {c} pay",
    "{c} {t} salary?",
    "salary range for {t} at {c}",
    "where is the {c} {t} job?",
    "where is the {t} role at {c} based",
    "{t} at {c} - location?",
    "is the {t} position at {c} remote?",
    "can the {c} {t} work from home",
    "is the {c} {t} role full-time or part-time?",
    "what kind of employment is the {t} job at {c}",
    "what languages does the {t} role at {c} want?",
    "which programming languages for the {c} {t}",
    "how many years of experience does the {c} {t} job need?",
    "{t} at {c}: years of experience required",
    "does the {t} at {c} need a degree?",
    "what degree does the {c} {t} position require",
)
# List questions without a negatable facet, in several phrasings.
COUNT_TEMPLATES = (
    "how many {w}s are there?",
    "how many {w} positions",
    "any {w} jobs?",
    "list the {w} roles",
    "which {lang} jobs are there?",
    "how many jobs want {lang}?",
    "jobs in {city}",
    "any openings in {city}?",
    "how many postings are in {state}?",
)


def fact_questions(values: Values, rng: random.Random, n: int) -> list[str]:
    """n fact questions about postings that exist, each in a random phrasing."""
    if not values.titles:
        return []
    out = []
    for _ in range(n):
        title, company = rng.choice(values.titles)
        out.append(rng.choice(FACT_TEMPLATES).format(t=title, c=company))
    return out


def count_questions(values: Values, rng: random.Random, n: int) -> list[str]:
    """n list or count questions about words, languages and places the postings have."""
    out = []
    for _ in range(n * 3):
        if len(out) >= n:
            break
        template = rng.choice(COUNT_TEMPLATES)
        fill = {}
        if "{w}" in template:
            if not values.title_words:
                continue
            fill["w"] = rng.choice(values.title_words)
        if "{lang}" in template:
            if not values.languages:
                continue
            fill["lang"] = rng.choice(values.languages)
        if "{city}" in template:
            if not values.cities:
                continue
            fill["city"] = rng.choice(values.cities)
        if "{state}" in template:
            if not values.states:
                continue
            fill["state"] = STATE_CODES[rng.choice(values.states)]
        out.append(template.format(**fill))
    return out


# ------------------------------------------------------------------------- negation of written facets

_REMOTE_ADJ = re.compile(r"\bremote\s+(?=(?:[\w+#-]+\s+){0,3}(?:" + "|".join(JOB_NOUNS) + r")\b)", re.I)
_WORK_TYPE_ADJ = re.compile(
    r"\b(full[- ]time|part[- ]time|contract|temporary|temp)\s+(?=(?:[\w+#-]+\s+){0,3}(?:" + "|".join(JOB_NOUNS) + r")\b)",
    re.I)
_IN_STATE = re.compile(r"\s+in\s+(" + "|".join(sorted((re.escape(n.title()) for n in STATE_NAMES), key=len,
                                                     reverse=True)) + r"|[A-Z]{2})\b(?:\s+[Ss]tate\b)?")  # "in New York State" is one place


def negations_of(text: str) -> list[tuple[str, str, str]]:
    """(facet, base question, negated question) for each facet written positively in a list question.

    'remote contract jobs?' -> ('remote', 'contract jobs?', 'contract jobs that aren't remote?');
    'jobs in Ohio' -> ('state', 'jobs', 'jobs not in Ohio'). The negated answer must be the base's
    postings minus the original's.
    """
    if re.search(r"\b(not|non-|n't|outside|other than|except|excluding)\b", text, re.I):
        return []
    body, punct = split_punct(text)
    out = []
    match = _REMOTE_ADJ.search(body)
    if match:
        base = re.sub(r"\s+", " ", body[: match.start()] + body[match.end():]).strip()
        out.append(("remote", base + punct, f"{base} that aren't remote{punct}"))
    match = _WORK_TYPE_ADJ.search(body)
    if match:
        base = re.sub(r"\s+", " ", body[: match.start()] + body[match.end():]).strip()
        out.append(("work_type", base + punct, f"{base} that are not {match.group(1).lower()}{punct}"))
    match = _IN_STATE.search(body)
    if match and (match.group(1).lower() in STATE_NAMES or match.group(1) in STATE_CODES):
        head = body[: match.start()]
        if not body[match.end():].strip():
            head = re.sub(r"\s+(?:are|is|located|based)$", "", head)  # "which postings are in Ohio" -> "which postings"
        base = (head + body[match.end():]).strip()
        neg = body[: match.start()] + " not " + body[match.start():].lstrip()
        out.append(("state", base + punct, neg.strip() + punct))
    return out
