"""Typos in the words the grammar knows ("sallary", "locaton", "remtoe", "pyhton", "contarct", "Teexas") (pure).

Two vocabularies:

* the grammar's words (intent words, facet words, job nouns, programming languages), corrected anywhere;
* place names (US states, countries, gazetteer cities of 100k people or more, and the catalog's own cities passed
  as `known_cities`), corrected only where a place is expected: after a place preposition ("in", "near",
  "outside of", "not in" ...), before ", ST" or before a job noun ("Teexas roles").

A word is corrected only when it is not itself a known word (of the postings, when the caller can tell, of the
grammar, or any place name of the gazetteer), has 5+ letters (4 for a job noun: "roes" -> "roles"), and is within
the allowed distance (Damerau/OSA: a swap of two neighbours counts as one; 1 edit for 5-7 letters, 2 for 8+) of
exactly one closest vocabulary word that starts with the same letter or is a neighbour swap of it. A capitalised
word inside a sentence is left alone unless a place is expected there: it may be a name ("Remtoe Labs").
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable

from index.languages import LANGUAGES

JOB_NOUNS = ("roles", "jobs", "positions", "openings", "postings", "listings", "vacancies", "opportunities",
             "internships", "employers", "companies", "position", "opening", "posting", "listing", "vacancy",
             "opportunity", "employer", "company")
# The grammar's vocabulary: intent words and facet words (the forms people type).
VOCABULARY = (
    "salary", "salaries", "pay", "paying", "wage", "wages", "compensation", "hourly", "yearly", "annual",
    "annually", "monthly", "weekly", "location", "located", "remote", "remotely", "hybrid", "onsite", "office",
    "contract", "contractor", "contracts", "freelance", "internship", "internships", "intern", "temporary",
    "seasonal", "volunteer", "permanent", "experience", "experienced", "years", "degree", "bachelor", "bachelors",
    "master", "masters", "doctorate", "diploma", "education", "language", "languages", "programming",
    "requirements", "require", "required", "which", "where", "minimum", "maximum", "between", "least", "under",
    "over", "above", "below", "full-time", "part-time", "employment", "starting", "outside", "excluding", "except",
    "based", "require", "requires", "needs", "hiring", "offices", "salaried", "mention", "mentions", "mentioning",
    "wanting", "euros", "dollars", "pounds", "rupees", "francs",
) + JOB_NOUNS
# ordinary words one edit from a vocabulary word: never "corrected", never a correction
ORDINARY = (
    "pays", "paid", "days", "ways", "says", "remove", "removed", "rules", "rolls", "ages", "pages", "hours",
    "offices", "contact", "contacts", "internal", "here", "there", "other", "older", "order", "later", "range",
    "ranges", "master's", "degrees", "roses", "poles", "holes", "witch", "watch", "offer", "offers", "after",
    "rose", "role", "robs", "jobs", "joes", "jabs", "lobs", "mobs", "sobs", "notes", "votes", "hiking", "hiring",
    "needed", "based", "bases", "basis", "lease", "least", "leads", "whose", "where", "were", "wages", "pairs",
    "ropes", "robes", "rotes", "joys", "jots", "jogs", "shift", "shifts", "swifts", "posing", "positron",
)
PLACE_PREPOSITIONS = r"(?:in|near|around|within|outside(?:\s+of)?|out\s+of|based\s+in|located\s+in|except|excluding|" \
                     r"not\s+in|anywhere\s+in|across|throughout)"
_PLACE_BEFORE = re.compile(rf"\b{PLACE_PREPOSITIONS}\s+(?:the\s+)?(?:[A-Za-z.]+\s+){{0,2}}$", re.I)
_JOB_NOUN_AFTER = re.compile(r"^\s+(?:[A-Za-z]+\s+)?(?:roles?|jobs?|positions?|openings?|postings?|listings?|gigs?)\b",
                             re.I)
_CODE_AFTER = re.compile(r"^,?\s*[A-Z]{2}\b")
MIN_CITY_POPULATION = 100_000


def _by_length(words: Iterable[str]) -> dict[tuple[int, str], tuple[str, ...]]:
    """Words by (length, first letter): the buckets `_candidates` looks in."""
    buckets: dict[tuple[int, str], list[str]] = {}
    for word in sorted(set(words)):
        if word:
            buckets.setdefault((len(word), word[0]), []).append(word)
    return {key: tuple(ws) for key, ws in buckets.items()}


@functools.lru_cache(maxsize=1)
def _vocabulary() -> dict[tuple[int, str], tuple[str, ...]]:
    words = {w for w in VOCABULARY if w.isalpha()} | {
        name.lower() for name in LANGUAGES if name.isalpha() and len(name) >= 4}
    return _by_length(words)


def _place_words(names: Iterable[str]) -> set[str]:
    return {w for name in names for w in re.findall(r"[a-z]+", name.lower()) if len(w) >= 4}


def compute_place_words() -> dict[str, list[str]]:
    """The place words, from the gazetteer and the state and country names (index/generated.py keeps them as a
    generated table): "regions" (states and countries), "cities" (of big cities, not region words) and "other"
    (every other place word of the gazetteer)."""
    from bot.places import STATES, _countries, _gazetteer

    regions = _place_words(STATES.values()) | _place_words(_countries())
    cities: set[str] = set()
    every = set(regions)
    for name, found in _gazetteer().items():
        words = _place_words([name])
        every |= words
        if found and found[0].population >= MIN_CITY_POPULATION:
            cities |= words
    return {"regions": sorted(regions), "cities": sorted(cities - regions), "other": sorted(every - regions - cities)}


@functools.lru_cache(maxsize=1)
def _places() -> tuple[dict[tuple[int, str], tuple[str, ...]], frozenset[str], dict[tuple[int, str], tuple[str, ...]]]:
    """Place words to correct to (states and countries; big cities) and every place word of the gazetteer."""
    from index.generated import table

    words = table("place_words")
    return (_by_length(words["regions"]), frozenset(words["regions"] + words["cities"] + words["other"]),
            _by_length(words["cities"]))


@functools.lru_cache(maxsize=1)
def _grammar_words() -> frozenset[str]:
    return frozenset(ORDINARY) | frozenset(w for bucket in _vocabulary().values() for w in bucket)


def _known(word: str) -> bool:
    """A word of the grammar, any place name of the gazetteer, or a currency word ("euros", "rupees")."""
    from index.money import currency_code

    return word in _grammar_words() or word in _places()[1] or currency_code(word) is not None


@functools.lru_cache(maxsize=4)
def _city_buckets(known_cities: tuple[str, ...]) -> dict[tuple[int, str], tuple[str, ...]]:
    """The words of a catalog's cities that the gazetteer lacks, bucketed once per catalog (not per word)."""
    return _by_length(_place_words(known_cities) - _places()[1])


def _candidates(lowered: str, limit: int, buckets: dict[tuple[int, str], tuple[str, ...]], forms: bool = True
                ) -> list[tuple[int, str]] | None:
    """(distance, word) of the vocabulary words near a word, keeping its first letter or swapping its first two;
    None when the word is a form of one of them (with `forms`: words that have plurals and past forms)."""
    from rapidfuzz.distance import OSA

    best: list[tuple[int, str]] = []
    firsts = dict.fromkeys(lowered[:2])
    for length in range(len(lowered) - limit, len(lowered) + limit + 1):
        for candidate in (c for first in firsts for c in buckets.get((length, first), ())):
            if candidate[0] != lowered[0] and not (candidate[:2] == lowered[1::-1]):
                continue
            distance = OSA.distance(lowered, candidate, score_cutoff=limit)
            if distance > limit:
                continue
            if forms and (candidate in (lowered + "s", lowered + "es", lowered + "ed", lowered + "d")
                          or (lowered in (candidate + "s", candidate + "es") and not candidate.endswith("s"))
                          or any(lowered.startswith(w) and lowered[len(w):] in ("ed", "d", "ing", "er", "ers")
                                 for w in (candidate, candidate.rstrip("e")))):
                return None  # a plural or another form of a vocabulary word is a word, not a typo
            best.append((distance, candidate))
    return best


def correct_word(word: str, is_known: Callable[[str], bool] = lambda _w: False, place: bool = False,
                 known_cities: Iterable[str] = ()) -> str | None:
    """The vocabulary word a typo stands for, or None (not a typo, or no single closest word). With `place`,
    place names (and the words of `known_cities`) are candidates too."""
    lowered = word.lower()
    if not lowered.isalpha() or _known(lowered) or is_known(lowered):
        return None
    if len(lowered) == 4:  # only a job noun with a letter dropped or swapped ("roes", "jbos")
        near = _candidates(lowered, 1, _by_length(JOB_NOUNS))
        if near and len(near) == 1 and lowered not in ORDINARY:
            return near[0][1]
        return None
    if len(lowered) < 5:
        return None
    limit = 2 if len(lowered) >= 8 else 1
    tiers = [_vocabulary()]
    if place:  # the grammar's words first, then states and countries, then cities
        tiers += [_places()[0], _places()[2], _city_buckets(tuple(known_cities))]
    best: list[tuple[int, int, int, str]] = []
    for tier, buckets in enumerate(tiers):
        near = _candidates(lowered, limit, buckets, forms=tier == 0)
        if near is None:
            return None
        tier = min(tier, 2)  # the catalog's cities rank with the gazetteer's
        # equally close: a word of an earlier tier, then a longer word (a dropped letter is the likeliest typo)
        best += [(distance, tier, (len(w) <= len(lowered)) + (len(w) < len(lowered)), w) for distance, w in near]
    if not best:
        return None
    best = sorted(set(best))
    if len(best) > 1 and best[0][:3] == best[1][:3]:
        return None  # two equally close words: no guess
    return best[0][3]


_LANGUAGE_WORDS = frozenset(name.lower() for name in LANGUAGES if name.isalpha() and len(name) >= 6)


def _case_like(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def place_expected(text: str, start: int, end: int) -> bool:
    """True where a place name is expected: after a place preposition, before ', ST' or before a job noun."""
    return bool(_PLACE_BEFORE.search(text[:start]) or _CODE_AFTER.match(text[end:])
                or _JOB_NOUN_AFTER.match(text[end:]))


def correct_text(text: str, is_known: Callable[[str], bool] = lambda _w: False,
                 known_cities: Iterable[str] = ()) -> tuple[str, dict[str, str]]:
    """The text with typos of vocabulary words (and of place names where a place is expected) fixed, and what
    was fixed (typed -> corrected)."""
    fixed: dict[str, str] = {}
    shouting = text.isupper()
    cities = tuple(known_cities)

    def repl(m: re.Match) -> str:
        word = m.group(0)
        place = place_expected(text, m.start(), m.end())
        name_like = (word[0].isupper() and not shouting and m.start() > 0
                     and not re.search(r"[.?!]\s*$", text[:m.start()]))
        corrected = correct_word(word, is_known, place=place, known_cities=cities)
        if corrected is None:
            return word
        if name_like and not (place and corrected not in _grammar_words()) and not (
                len(word) >= 6 and corrected in _LANGUAGE_WORDS):
            return word  # a capitalised word mid-sentence may be a name, unless a place or a language is meant
        fixed[word.lower()] = corrected
        return _case_like(word, corrected)

    return re.sub(r"[A-Za-z]+", repl, text), fixed
