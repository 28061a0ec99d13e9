"""Which posting(s) a question names: title and company words, acronyms, typos, places and filters (pure)."""

from __future__ import annotations

import copy
import re
from typing import Sequence

import numpy as np

from bot.catalog import Catalog
from bot.question import Filters, Query, normalise_token, parse_question, question_languages, stem, tokenize
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
}
_COMPANY_WORDS = (
    "inc|llc|ltd|corp|corporation|co|company|capital|labs?|robotics|systems|health|healthcare|group|partners|"
    "technologies|technology|tech|software|solutions|bank|insurance|consulting|media|networks?|payments|analytics|"
    "holdings|ventures|studios?|games|foods?|energy|logistics|clinic|hospital|university|college|agency"
)
_LIST_NOISE = {"indexed", "available", "total", "count", "number", "mention", "mentioned", "say", "says", "here",
               "there", "now", "currently", "open", "listed"}
_INTENT_WORD_PATTERNS = [re.compile(p, re.I) for p in (
    r"pay|pays|paid|paying|salary|salaries|comp|compensation|wages?|earn\w*|money|make|rate|range|hourly|yearly|"
    r"annual\w*|bonus",
    r"lang\w*|programming|coding|code|written|stack|scripting",
    r"years?|yrs?|experi\w*|exp|seniority|senior|background",
    r"degree|diploma|bachelor'?s?|master'?s?|phd|doctorate|educat\w*|ged|college|university|schooling|bs|ba|ms|bsn",
    r"remote\w*|wfh|hybrid|on-?site|office|person|home|telecommut\w*|location|located|based|city|where",
    r"full|part|time|contract\w*|temp\w*|intern\w*|permanent|perm|ft|pt|freelance|seasonal|volunteer|employment",
)]


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
        words = re.findall(r"[a-z0-9.'-]+", query.text.lower())
        for size in (3, 2, 1):  # "in Salt Lake City", "near Fort Collins", "Houston"
            for start in range(len(words) - size + 1):
                city = " ".join(words[start:start + size])
                if city not in self._cities or city in query.filters.cities or city in query.place_hints:
                    continue
                before = words[start - 1] if start else ""
                if len(city) >= 4 and before in ("in", "near", "around", "at", "from"):
                    query.filters.cities.append(city)
                elif len(city) >= 5:
                    query.place_hints.append(city)  # "Houston property manager role": helps name the posting
        if query.filters.cities and not query.is_list and re.search(
                r"\b(roles|jobs|postings|openings|positions)\b", query.text, re.I):
            query.is_list = True
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
        matches = [copy.copy(m) for m in self.mentions(query)]
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
            token = normalise_token(word)
            if len(token) < 4 or word in c.place_words or canonical_language(word) or not c.text_word(token):
                continue
            if only_unnamed and (token in c.mentions.idf or word in c.mentions.idf):
                continue  # a title or company word: the field match already weighed it
            rows = np.unique(c.chunk_posting[c.keyword_scores([token]) > 0])
            if len(rows) != 1:
                continue
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
        """The words of a question that name a subject (not question words, intent words or filters)."""
        words = []
        for raw in query.raw_tokens:
            if raw in _QUESTION_WORDS or len(raw) < 2 or raw.isdigit():
                continue
            if any(p.fullmatch(raw) for p in _INTENT_WORD_PATTERNS):
                continue
            if raw in getattr(query, "filter_words", ()):
                continue  # read as a filter by the question grammar ("by the hour", "cali", "nyc")
            words.append(raw)
        return words

    def unknown_words(self, query: Query) -> list[str]:
        """Content words (4+ letters) that no posting contains, not even with a typo fixed."""
        c = self.catalog
        unknown = []
        for word in self.content_words(query):
            if len(word) < 4 or not word.isalpha() or c.known_word(word):
                continue
            if c.mentions.present_tokens([], [word]):
                continue
            unknown.append(word)
        return unknown

    def company_named(self, query: Query, index: int) -> bool:
        """True when the question names the posting's company (all its words, its acronym or first word)."""
        mention = next((m for m in self.mentions(query) if m.index == index), None)
        return mention is not None and mention.company >= 0.99

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

    def subject_words(self, query: Query) -> list[str]:
        """Content words of a list question that could name a kind of role ('backend', 'nurse')."""
        words = [normalise_token(w) for w in self.content_words(query)]
        return [w for w in words if w not in _LIST_NOISE and w not in self.catalog.place_words
                and not canonical_language(w) and len(w) >= 3]

    def titled(self, query: Query, rows: np.ndarray) -> tuple[np.ndarray, str]:
        """Narrow filtered postings to those whose title has the question's subject words, when some do."""
        words = self.subject_words(query)
        if not words:
            return rows, ""
        narrowed = np.array(self.titles_with(words, rows), dtype=int)
        return (narrowed, " ".join(words)) if len(narrowed) else (rows, "")

    def titles_with(self, words: Sequence[str], rows: Sequence[int] | None = None) -> list[int]:
        """Postings (of `rows`, else all) whose title has every word; when none has them as written, every word's
        stem ('nursing jobs' finds 'Registered Nurse')."""
        titles = self.catalog.mentions.title_tokens
        rows = range(len(titles)) if rows is None else rows
        exact = [int(i) for i in rows if all(w in titles[i] for w in words)]
        if exact:
            return exact
        wanted = [stem(w) for w in words]
        return [int(i) for i in rows if all(w in {stem(t) for t in titles[i]} for w in wanted)]
