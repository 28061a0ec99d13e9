"""Which posting(s) a question names: title and company words, acronyms, typos, places and filters (pure)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np

from bot.catalog import Catalog, Mention
from bot.query import typos
from bot.query.filler import FILLER
from bot.question import (ABBREVIATIONS, JOB_NOUN_PLURAL, Filters, Query, normalise_token, parse_question, question_languages, stem,
                          tokenize)
from index.languages import canonical_language
from index.models import Posting


def _near(token: str, names: set[str]) -> bool:
    """True when the token is one of the names, or one typo away from one (4+ letters)."""
    if token in names:
        return True
    if len(token) < 4:
        return False
    from rapidfuzz.distance import Levenshtein

    return any(Levenshtein.distance(token, n, score_cutoff=1) <= 1 for n in names if abs(len(n) - len(token)) <= 1)


_QUESTION_WORDS = {
    "what", "whats", "which", "who", "whom", "where", "when", "why", "how", "does", "do", "did", "is", "are", "was",
    "the", "a", "an", "any", "some", "all", "of", "for", "to", "in", "at", "on", "with", "and", "or", "it", "its",
    "this", "that", "these", "those", "there", "their", "they", "them", "we", "our", "you", "your", "me", "my", "i",
    "can", "could", "would", "should", "will", "be", "been", "have", "has", "had", "get", "need", "needs", "want",
    "wants", "require", "requires", "required", "ask", "asks", "asking", "list", "lists", "show", "find", "tell",
    "about", "job", "jobs", "role", "roles", "position", "positions", "posting", "postings", "opening", "openings",
    "opportunity", "opportunities", "gig", "gigs", "vacancy", "vacancies", "listing", "listings", "hiring", "hire",
    "ones", "one", "many", "much", "more", "than", "over", "under", "above", "below", "least", "most", "from", "by",
    "per", "like", "also", "else", "still", "just", "only", "please", "thanks", "hey", "hi", "bot", "know", "looking",
    "look", "company", "companies", "employer", "employers", "anything", "something", "currently", "now", "open",
    "available", "there's", "whats", "what's", "besides", "other", "not", "no", "yes", "if", "into", "as", "up",
    "work", "working", "offer", "offers", "offered", "offering", "kind", "type", "sort", "level", "new", "current",
    # what a posting asks for, in every form: never a name ("years of experience wanted for …")
    "wanted", "wanting", "needed", "needing", "requiring", "asked", "expect", "expects", "expected", "expecting",
    "prefer", "prefers", "preferred", "desired", "demand", "demands", "demanded", "seek", "seeks", "seeking",
    "sought", "listed", "mentioned", "stated", "state", "states", "say", "says", "said", "give", "gives", "given",
    "compare", "compared", "comparing", "comparison", "vs", "versus", "difference", "differences", "between",
}
_COMPANY_WORDS = (
    "inc|llc|ltd|corp|corporation|co|company|capital|labs?|robotics|systems|health|healthcare|group|partners|"
    "technologies|technology|tech|software|solutions|bank|insurance|consulting|media|networks?|payments|analytics|"
    "holdings|ventures|studios?|games|foods?|energy|logistics|clinic|hospital|university|college|agency"
)
_LIST_NOISE = {"indexed", "available", "total", "count", "number", "mention", "mentioned", "say", "says", "here",
               "bottom", "top", "tops", "end", "even",  # ends of a pay range ("even at the bottom of the range")
               "there", "now", "currently", "open", "listed"}
# a word the question rules out: "(non-senior)", "not the senior one", "except the lead role", "other than intern"
_NEGATED = re.compile(
    r"\bnon[- ]?([^\W\d_]{2,})"
    r"|\bnot\s+(?:the\s+|a\s+|an\s+)?([^\W\d_]{3,})(?=\s+(?:one|role|job|position|posting|opening)s?\b|\s*[)?,.!;]|\s*$)"
    r"|\b(?:except|excluding|other than)\s+(?:the\s+|a\s+|an\s+)?([^\W\d_]{3,})", re.I)
# the question grammar's own words ("range", "least", "roles"): their typos are no names either
_GRAMMAR_WORDS = set(typos.VOCABULARY) | set(typos.ORDINARY) | set(typos.JOB_NOUNS)
_QUESTION_WORDS_BY_LEN: dict[int, list[str]] = defaultdict(list)
for _w in sorted(_QUESTION_WORDS | _LIST_NOISE | _GRAMMAR_WORDS):
    if _w.isalpha() and len(_w) >= 4:
        _QUESTION_WORDS_BY_LEN[len(_w)].append(_w)
_INTENT_WORD_PATTERNS = [re.compile(p, re.I) for p in (
    r"pay|pays|paid|paying|salary|salaries|comp|compensation|wages?|earn\w*|money|make|rate|range|hourly|yearly|"
    r"annual\w*|bonus",
    r"lang\w*|programming|coding|code|written|stack|scripting",
    r"years?|yrs?|experi\w*|exp|seniority|senior|background",
    r"degree|diploma|bachelor'?s?|master'?s?|phd|doctorate|educat\w*|ged|college|university|schooling|bs|ba|ms|bsn",
    r"remote\w*|wfh|hybrid|on-?site|office|person|home|telecommut\w*|location|located|based|city|where",
    r"full|part|time|contract\w*|temp\w*|intern\w*|permanent|perm|ft|pt|freelance|seasonal|volunteer|employment",
)]


# an abbreviation's expansion -> the abbreviations of it ("representative" -> "rep"): a title may have either form
_EXPANSION = {abbr: tuple(normalise_token(p) for p in full.split()) for abbr, full in ABBREVIATIONS.items()}
_ABBREVIATED: dict[tuple[str, ...], list[str]] = defaultdict(list)
for _abbr, _full in _EXPANSION.items():
    if _full != (_abbr,):
        _ABBREVIATED[_full].append(_abbr)


@dataclass(frozen=True)
class Subject:
    """A word of a list question that names a kind of role, as shown and as a title may write it.

    `forms` are alternatives, each a run of title tokens that must all be there: "rep" and "representative"
    are one subject, as are "swe" and "software engineer".
    """

    shown: str
    forms: tuple[tuple[str, ...], ...]

    @staticmethod
    def of(word: str) -> "Subject":
        """The subject a (normalised) word or abbreviation names, with every form a title may use."""
        full = _EXPANSION.get(word) or tuple(normalise_token(p) for p in word.split())
        forms = [full] + [(a,) for a in _ABBREVIATED.get(full, ())]
        if word in _EXPANSION and (word,) not in forms:
            forms.append((word,))
        return Subject(" ".join(full), tuple(dict.fromkeys(forms)))


# Bare words that ask for a fact even without a phrase around them (English and German), as data.
FACET_WORDS = {
    "salary": "salary", "pay": "salary", "comp": "salary", "compensation": "salary", "wage": "salary",
    "wages": "salary", "ctc": "salary", "rate": "salary", "gehalt": "salary", "lohn": "salary",
    "stundenlohn": "salary", "vergütung": "salary", "verguetung": "salary", "bezahlung": "salary",
    "years": "experience", "yrs": "experience", "experience": "experience", "erfahrung": "experience",
    "berufserfahrung": "experience", "seniority": "experience",
    "degree": "degree", "education": "degree", "abschluss": "degree", "studium": "degree", "ausbildung": "degree",
    "remote": "remote", "hybrid": "remote", "onsite": "remote", "homeoffice": "remote",
    "where": "location", "wo": "location", "location": "location", "office": "location", "offices": "location",
    "standort": "location", "city": "location", "based": "location",
    "languages": "languages", "language": "languages", "stack": "languages",
}


def facet_word_intent(text: str, known_word=lambda _w: False) -> str | None:
    """The intent a bare facet word asks for ("years??" -> experience, "gehalt" -> salary), typos forgiven
    ("sallary", "experince", "wich offices") when the word is not itself a word of the postings."""
    from rapidfuzz.distance import Levenshtein

    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if word in FACET_WORDS:
            return FACET_WORDS[word]
    for word in re.findall(r"[^\W\d_]+", text.lower()):
        if len(word) < 5 or known_word(word):
            continue
        limit = 2 if len(word) >= 8 else 1
        for facet, intent in FACET_WORDS.items():
            if len(facet) >= 5 and Levenshtein.distance(word, facet, score_cutoff=limit) <= limit:
                return intent
    return None


def _written_as_name(word: str, text: str) -> bool:
    """True when the text writes the word as a name at least once: capitalised inside a sentence (not only as
    its first word), in mixed case, or with a dot or digit."""
    for match in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", text, re.I):
        written = match.group(0)
        if any(ch.isupper() for ch in written[1:]) or re.search(r"[.\d]", written):
            return True  # "GenAI", "Example.io"
        before = text[:match.start()].rstrip()
        if written[0].isupper() and before and before[-1] not in ".!?:|•*-–—\n\"'(“":
            return True  # capitalised inside a sentence, not merely as its first word
    return False


class Namer:
    """Reads a question against one Catalog: cities it names, postings it names, words no posting has."""

    def __init__(self, catalog: Catalog, top_k: int = 5):
        self.catalog = catalog
        self.top_k = top_k
        self._cities = {c for c in catalog.city if c}

    def parse(self, question: str) -> Query:
        """Parse a question, adding the cities of the catalog it names."""
        query = parse_question(question, question_languages, known_cities=self._cities,
                               known_word=self.catalog.known_word)
        words = [w.strip(".'-") for w in re.findall(r"[a-z0-9.'-]+", query.text.lower())]  # "Dallas." is Dallas
        for size in (3, 2, 1):  # "in Salt Lake City", "near Fort Collins", "Houston"
            for start in range(len(words) - size + 1):
                city = " ".join(words[start:start + size])
                if city not in self._cities or city in query.filters.cities or city in query.place_hints:
                    continue
                if all(w in query.filter_words for w in city.split()):
                    continue  # the grammar read it already ("not in New York" is a place ruled out)
                before = words[start - 1] if start else ""
                if len(city) >= 4 and before in ("in", "near", "around", "at", "from"):
                    query.filters.cities.append(city)
                elif len(city) >= 5:
                    query.place_hints.append(city)  # "Houston property manager role": helps name the posting
        if query.filters.cities and not query.is_list and re.search(
                r"\b(roles|jobs|postings|openings|positions)\b", query.text, re.I):
            query.is_list = True
        if not query.is_list and query.intent == "general" and JOB_NOUN_PLURAL.search(query.text) and any(
                self._in_titles(s) for s in self.subjects(query)):
            query.is_list = True  # "nurse jobs?", "warehouse roles": a kind of role in the plural asks for a list
        return query

    def mentions(self, query: Query) -> list:
        """Postings the question's words name (computed once per query)."""
        if getattr(query, "_mentions", None) is None:
            c = self.catalog
            query._mentions = c.mentions.match(  # type: ignore[attr-defined]
                query.tokens, query.raw_tokens, is_common=c.is_common_word, is_word=c.text_word)
        return query._mentions  # type: ignore[attr-defined]

    def named_postings(self, query: Query) -> tuple[list[int], bool]:
        """Postings the question names; the flag is True when only the company was named."""
        c = self.catalog
        matches = [dataclasses.replace(m) for m in self.mentions(query)]  # (scored below: copies)
        negated = self._negated_tokens(query)
        if negated:  # "metriport (non-senior) software engineer": never the Senior one
            matches = [m for m in matches if not self._has_negated(negated, c.mentions.title_tokens[m.index])]
        if not matches:
            return self.named_by_text(query), False
        place = None
        f = query.filters
        if f.states or f.cities or query.place_hints:
            # "the veterinarian job in Farmington MN": the place helps name it
            place = c.filter_mask(Filters(states=f.states, cities=f.cities + query.place_hints), stated=True)
            for m in matches:
                if place[m.index]:
                    m.score += 0.75
        if f.remote or f.work_type or f.pay_period or f.languages:
            # "the remote data engineer job": other filters help a little (their words may be title words)
            fits = c.filter_mask(Filters(remote=f.remote, work_type=f.work_type, pay_period=f.pay_period,
                                         languages=f.languages), stated=True)
            for m in matches:
                if fits[m.index]:
                    m.score += 0.25
            place = fits if place is None else place
        matches.sort(key=lambda m: (-m.score, m.index))
        best = matches[0]
        title_len = len(c.mentions.title_tokens[best.index])
        in_place = place is not None and bool(place[best.index])
        full_company = best.company >= 0.99
        strong = (
            (full_company and best.title >= 0.34)
            or (best.title >= 0.99 and (title_len >= 2 or in_place or full_company))
            or (best.title >= 0.6 and best.title_words >= 2 and in_place)
            or (best.title >= 0.75 and best.title_words >= 3)
        )
        if not strong and best.title >= 0.1 and best.title_words >= 1 and best.company < 0.99:
            # "the biostatistician job": a title word only one posting has names it
            runner_up = matches[1].score if len(matches) > 1 else 0.0
            strong = best.score - runner_up >= 0.25
        if full_company and best.title < 0.34 and not strong:
            company = c.mentions.company_tokens[best.index]
            same = [m for m in matches if c.mentions.company_tokens[m.index] == company]
            if len(same) == 1 or (same[0].title > 0 and same[0].score > same[1].score + 1e-6):
                return [same[0].index], False  # the company's only posting, or the one whose title was named
            return list(c.mentions.same_company(best.index)), True
        if not strong:
            return self.named_by_text(query), False
        if best.company < 0.99:
            # only title words matched ("the full stack job"): a name the question gives that only one
            # posting's text has ("the Kestrelvane full stack job") names that posting instead
            by_text = self.named_by_text(query, only_unnamed=True)
            if by_text and by_text[0] != best.index:
                return by_text, False
        tied = [m.index for m in matches if m.score >= best.score - 1e-6]
        return tied[: max(self.top_k, 1)], False

    def named_by_text(self, query: Query, only_unnamed: bool = False) -> list[int]:
        """The one posting whose text alone has a name-like word of the question ("kestrelvane" -> the posting
        that is about Kestrelvane), when its title and company fields do not name it.

        A question word counts when it is a content word of 4+ letters, not a place or a language, found in
        exactly one posting's text, and written there as a name (capitalised, mixed case, or with a dot or
        digit: "GenAI", "Example.io"). All such words must agree on the posting; otherwise nothing is named.
        With only_unnamed, words that are some posting's title or company words are not counted.
        """
        c = self.catalog
        found: set[int] = set()
        for word in self.content_words(query):
            if not c.known_word(word):
                word = c.text_typo(word) or word  # "panptic" names the posting that is about Panoptic
            token = normalise_token(word)
            if len(token) < 4 or word in c.place_words or canonical_language(word) or not c.text_word(token):
                continue
            if only_unnamed and (token in c.mentions.idf or word in c.mentions.idf):
                continue  # a title or company word: the field match already weighed it
            rows = c.chunk_posting[c.chunks_with_word(token)]
            if len(rows) == 0 or rows.min() != rows.max():
                continue  # no posting has it, or several do
            posting = c.postings[int(rows[0])]
            if _written_as_name(word, f"{posting.title}\n{posting.company}\n{posting.text}"):
                found.add(int(rows[0]))
        return sorted(found) if len(found) == 1 else []

    def intent_without_mention(self, query: Query, chosen: list[Posting]) -> str:
        """The intent of what is left once the posting's title and company words are taken out."""
        text = query.text
        posting = chosen[0]
        remove: set[str] = set()
        for name in (posting.title, posting.company):
            if not name:
                continue
            stripped = re.sub(re.escape(name), " ", text, count=1, flags=re.I)
            if stripped == text:
                remove |= set(tokenize(name))
            text = stripped
        words = text.split()
        in_name = [bool(tokenize(w)) and all(_near(t, remove) for t in tokenize(w)) for w in words]
        kept = [
            word for i, word in enumerate(words)
            # a name word is dropped only inside a run of name words (the mention), not on its own
            if not (in_name[i] and ((i > 0 and in_name[i - 1]) or (i + 1 < len(words) and in_name[i + 1])))
        ]
        rest = " ".join(kept)
        parsed = parse_question(rest)
        intent = parsed.intent
        if intent == "general" and question_languages(rest):
            intent = "languages"  # "does the Tallowbrook DevOps job need Go?"
        if intent == "general" and query.intents:
            intent = query.intent  # the intent word was also a title word: "…Engineer – Remote, remote ok?"
        if intent == "general":
            intent = facet_word_intent(rest, self.catalog.known_word) or intent  # "years??", "gehalt", "sallary"
        if intent == "remote" and "location" in parsed.intents and re.search(r"\b(where|wo)\b", rest, re.I):
            intent = "location"  # "where is it? onsite?": the place, with its work mode
        return intent

    def content_words(self, query: Query) -> list[str]:
        """The words of a question that name a subject (not question words, intent words, filters or filler)."""
        words = []
        raws = list(query.raw_tokens)
        for i, raw in enumerate(raws):
            if raw in _QUESTION_WORDS or raw in FILLER or len(raw) < 2 or raw.isdigit():
                continue
            if any(p.fullmatch(raw) for p in _INTENT_WORD_PATTERNS) and not self._in_title_phrase(raws, i):
                continue  # "full", "stack", "office": an intent word unless a title has it beside its neighbour
            if raw in query.filter_words:
                continue  # read as a filter by the question grammar ("by the hour", "cali", "nyc")
            if self._misspelt_question_word(raw):
                continue  # "which postings mentin rust?", "contract roels"
            if (raw == "non" and self.negated_words(query)) or raw in self.negated_words(query):
                continue  # "(non-senior)": a word ruled out, not a name
            words.append(raw)
        return words

    def _in_title_phrase(self, raws: Sequence[str], i: int) -> bool:
        """True when the word and a neighbour are two neighbouring words of some title ("full stack", "office
        manager"): a name there, not an intent word."""
        pairs = self.catalog.mentions.title_pairs
        word = normalise_token(raws[i])
        return (i + 1 < len(raws) and (word, normalise_token(raws[i + 1])) in pairs) or (
            i > 0 and (normalise_token(raws[i - 1]), word) in pairs)

    def negated_words(self, query: Query) -> set[str]:
        """Words the question rules out ("non-senior", "not the lead one", "except the intern role"): a posting
        whose title has one is not the one meant. Filter words ("not remote") are the grammar's, not these."""
        out: set[str] = set()
        for match in _NEGATED.finditer(query.text):
            word = next(g for g in match.groups() if g).lower()
            if word in _QUESTION_WORDS or word in FILLER or word in query.filter_words:
                continue
            if match.group(1) and normalise_token(word) in self._after_non:
                continue  # "non-profits" names a title that says so: a compound, not a word ruled out
            out.add(word)
        return out

    @cached_property
    def _after_non(self) -> set[str]:
        """Title tokens that follow "non" in some title ("Non Profit", "Non-Clinical")."""
        return {b for a, b in self.catalog.mentions.title_pairs if a == "non"}

    def _negated_tokens(self, query: Query) -> set[str]:
        """The ruled-out words as title tokens, abbreviations with their expansion ("non-sr" rules out Senior)."""
        out: set[str] = set()
        for word in self.negated_words(query):
            out.add(normalise_token(word))
            if word in _EXPANSION and len(_EXPANSION[word]) == 1:
                out.add(_EXPANSION[word][0])
        return out

    def without_negated(self, query: Query, rows: Sequence[int]) -> list[int]:
        """The rows whose title has none of the words the question rules out."""
        negated = self._negated_tokens(query)
        if not negated:
            return [int(i) for i in rows]
        titles = self.catalog.mentions.title_tokens
        return [int(i) for i in rows if not self._has_negated(negated, titles[i])]

    @staticmethod
    def _has_negated(negated: set[str], title: Sequence[str]) -> bool:
        """True when a title has a ruled-out word, not itself negated there ("Accountant - Non Profit" keeps
        "non profit": the question's "non-profit" is the title's own words)."""
        return any(t in negated and not (i and title[i - 1] == "non") for i, t in enumerate(title))

    def _misspelt_question_word(self, raw: str) -> bool:
        """True for a word of 4+ letters one typo from a question or grammar word ("roels", "openning", "mentin",
        "rang") that is not itself a word of the postings."""
        if len(raw) < 4 or not raw.isalpha() or self.catalog.known_word(raw):
            return False
        from rapidfuzz.distance import OSA

        return any(OSA.distance(raw, w, score_cutoff=1) <= 1 for w in _QUESTION_WORDS_BY_LEN.get(len(raw), ())
                   ) or any(OSA.distance(raw, w, score_cutoff=1) <= 1 for n in (len(raw) - 1, len(raw) + 1)
                            for w in _QUESTION_WORDS_BY_LEN.get(n, ()))

    def unknown_words(self, query: Query) -> list[str]:
        """Content words (4+ letters) that no posting contains, not even with a typo fixed."""
        c = self.catalog
        unknown = []
        for word in self.content_words(query):
            if "." in word and not c.known_word(word):  # "acme.io", "doctors.net.uk": a name by its first part
                word = word.split(".")[0]
            if len(word) < 4 or not word.isalpha() or c.known_word(word):
                continue
            if c.mentions.names(word, query.tokens):
                continue  # a typo of a title or company word the question names
            if c.text_typo(word):
                continue  # a typo of a word of some posting's text ("normnton" for Normanton)
            if normalise_token(word) in c.mentions.split_words or self.titles_with([normalise_token(word)]):
                continue  # two title words run together ("nonprofits"), or a title word's stem ("nursing")
            unknown.append(word)
        return unknown

    def _mention_of(self, query: Query, index: int) -> Mention | None:
        """How the question names posting `index`, or None when it does not."""
        return next((m for m in self.mentions(query) if m.index == index), None)

    def company_named(self, query: Query, index: int) -> bool:
        """True when the question names the posting's company (all its words, its acronym or first word)."""
        mention = self._mention_of(query, index)
        return mention is not None and mention.company >= 0.99

    def company_words_named(self, query: Query, index: int) -> bool:
        """True when the question names some of the posting's company words as well as its title."""
        mention = self._mention_of(query, index)
        return mention is not None and mention.company > 0 and mention.title > 0

    @staticmethod
    def names_a_company(query: Query, unknown: list[str]) -> bool:
        """True when an unknown word reads like part of a company name ('bluefinch capital', 'at Zephyrine')."""
        text = query.text
        for word in unknown:
            if re.search(rf"\b(?:at|for|from|with|by)\s+{re.escape(word)}\b", text, re.I):
                return True
            if re.search(rf"\b{re.escape(word)}\s+(?:{_COMPANY_WORDS})\b", text, re.I):
                return True
            if re.search(rf"\b{re.escape(word)}'s\b", text, re.I) or re.search(rf"\b{word.capitalize()}\b", text):
                return True
        return False

    def subjects(self, query: Query, exclude: Sequence[str] = ()) -> list[Subject]:
        """The words of a list question that could name a kind of role ('backend', 'nurse', 'mgr'), each with the
        forms a title may write it in; typos of title words fixed ("directoor" -> director).

        Never a subject: filler, places, languages, words the grammar read as a filter, words in `exclude`
        (the named company's words). A word the catalog knows is matched as the titles are indexed, but shown as
        written ("Dallas", never "dalla")."""
        c = self.catalog
        out: list[Subject] = []
        for raw in self.content_words(query):
            word = normalise_token(raw)
            if raw in _LIST_NOISE or word in _LIST_NOISE or len(raw) < 3 or raw in exclude or word in exclude:
                continue
            if raw in _EXPANSION:  # "mgr", "eng", "rep": a role word even where it could be read otherwise
                subject = Subject.of(raw)
            elif raw in c.place_words or word in c.place_words or canonical_language(raw):
                continue
            elif not self._in_titles(Subject.of(word), exact=True) and not c.text_word(raw):
                named = c.mentions._corrections(raw, supported=False)  # a company or title word ("nusing")
                fixed = self._title_typo(raw) or (named.pop() if len(named) == 1 else None) or c.text_typo(raw)
                subject = Subject.of(normalise_token(fixed) if fixed else word)
            else:
                subject = Subject.of(word)
                if raw != word and c.known_word(raw) and raw not in c.mentions.idf:
                    subject = Subject(raw, subject.forms)  # shown as written
            if subject not in out:
                out.append(subject)
        return out

    def subject_words(self, query: Query) -> list[str]:
        """The subjects of a list question as shown ('backend', 'nurse', 'manager' for 'mgr')."""
        return [s.shown for s in self.subjects(query)]

    def _title_typo(self, raw: str) -> str | None:
        """The title word a misspelt question word stands for ("attoorney" -> attorney), when there is one."""
        m = self.catalog.mentions
        found = [t for t in m._corrections(raw, supported=False) if self._title_vocabulary.get(t)]
        if not found:
            return None
        return max(found, key=lambda t: (self._title_vocabulary[t], t))

    @cached_property
    def _title_vocabulary(self) -> dict[str, int]:
        """How many titles have each title token."""
        return dict(Counter(t for tokens in self.catalog.mentions.title_tokens for t in set(tokens)))

    def _in_titles(self, subject: Subject, exact: bool = False) -> bool:
        """True when some title has the subject (as written; else, unless `exact`, by its stem)."""
        if self._titled(subject.forms):
            return True
        return not exact and bool(self.titles_with([subject]))

    def titled(self, query: Query, rows: np.ndarray, exclude: Sequence[str] = ()) -> tuple[np.ndarray, str]:
        """Narrow filtered postings to those whose title has the question's subject words.

        Subject words that are some posting's title words anywhere in the catalog are authoritative: the
        postings left are those of `rows` so titled, none when none is ("attorney roles wanting SQL" never lists
        SQL roles that are not attorneys). Words no title has (a company's, a stray word) do not narrow.
        """
        subjects = [s for s in self.subjects(query, exclude) if self._in_titles(s)]
        if not subjects or not self.titles_with(subjects):
            return rows, ""
        narrowed = np.array(self.without_negated(query, self.titles_with(subjects, rows)), dtype=int)
        return narrowed, " ".join(s.shown for s in subjects)

    def titles_with(self, words: Sequence[str | Subject], rows: Sequence[int] | None = None) -> list[int]:
        """Postings (of `rows`, else all) whose title has every word (in one of its forms: "rep" or
        "representative"); when none has them as written, every word's stem ('nursing jobs' finds 'Registered
        Nurse')."""
        subjects = [w if isinstance(w, Subject) else Subject.of(w) for w in words]

        def having(match: set[int] | None) -> list[int]:  # rows (else all, in order) in the match (None: all)
            if rows is None:
                return sorted(match) if match is not None else list(range(len(self.catalog.postings)))
            return [int(i) for i in rows if match is None or int(i) in match]

        exact = self._titled_all([s.forms for s in subjects])
        if rows is None or exact is None or exact:
            # as written whenever some title of the catalog has the words so: stems only when none does
            found = having(exact)
            if found or rows is not None:
                return found
        stems = [[tuple(stem(t) for t in form) for form in s.forms] for s in subjects]
        return having(self._titled_all(stems, stemmed=True))

    def _titled_all(self, subjects_forms: Sequence[Sequence[tuple[str, ...]]], stemmed: bool = False
                    ) -> set[int] | None:
        """The postings whose title has every subject (each in one of its forms); None: no subject, all do."""
        found: set[int] | None = None
        for forms in subjects_forms:
            has = self._titled(forms, stemmed)
            found = has if found is None else found & has
        return found

    def _titled(self, forms: Sequence[tuple[str, ...]], stemmed: bool = False) -> set[int]:
        """The postings whose title has all the words of one of the forms (by the title-word index, not by
        reading every title: a question at 100k postings asks this several times)."""
        index = self._title_index(stemmed)
        found: set[int] = set()
        for form in forms:
            if not form:
                return set(range(len(self.catalog.postings)))
            groups = sorted((index.get(t, frozenset()) for t in set(form)), key=len)
            found |= groups[0].intersection(*groups[1:])
        return found

    def _title_index(self, stemmed: bool = False) -> dict[str, frozenset[int]]:
        """Title word (or stem) -> the postings whose title has it, computed once."""
        key = "_title_index_stems" if stemmed else "_title_index_words"
        if getattr(self, key, None) is None:
            rows: dict[str, set[int]] = {}
            for i, words in enumerate(self._title_sets(stemmed)):
                for word in words:
                    rows.setdefault(word, set()).add(i)
            setattr(self, key, {word: frozenset(found) for word, found in rows.items()})
        return getattr(self, key)

    def _title_sets(self, stemmed: bool = False) -> list[set[str]]:
        """Each posting's title tokens as a set (or their stems), computed once; an abbreviation in a title brings
        its expansion ("RN Supervisor" has "registered" and "nurse" too)."""
        key = "_title_stems" if stemmed else "_title_tokens"
        if getattr(self, key, None) is None:
            titles = self.catalog.mentions.title_tokens
            sets = [set(ts).union(*(_EXPANSION.get(t, ()) for t in ts)) for ts in titles]
            setattr(self, key, [{stem(t) for t in ts} for ts in sets] if stemmed else sets)
        return getattr(self, key)

    def text_rows(self, subjects: Sequence[Subject]) -> np.ndarray:
        """Postings whose title, company or text has every subject (in one of its forms)."""
        c = self.catalog
        mask = np.ones(len(c.postings), dtype=bool)
        for s in subjects:
            has = np.zeros(len(c.postings), dtype=bool)
            for form in s.forms:
                has |= c.postings_with_words(list(form))
            mask &= has
        return np.flatnonzero(mask)
