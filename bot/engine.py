"""The answering engine: question -> understood query -> postings -> Answer. Knows nothing of Slack."""

from __future__ import annotations

import copy
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Sequence

import numpy as np

from bot import compose
from bot.answer import Answer
from bot.catalog import Catalog, keyword_tokens
from bot.question import Filters, Query, normalise_token, parse_question, tokenize
from index.embedder import Embedder
from index.languages import canonical_language, find_languages
from index.models import Posting
from index.text import split_sentences

log = logging.getLogger(__name__)

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


def _near(token: str, names: set[str]) -> bool:
    """True when the token is one of the names, or one typo away from one (4+ letters)."""
    if token in names:
        return True
    if len(token) < 4:
        return False
    from rapidfuzz.distance import Levenshtein

    return any(Levenshtein.distance(token, n, score_cutoff=1) <= 1 for n in names if abs(len(n) - len(token)) <= 1)


class IndexUnavailable(Exception):
    """The index is missing, empty, or the store cannot be reached; str() is a user-safe reason."""


@dataclass
class IndexStats:
    """How big the index is and when it was built."""

    postings: int
    chunks: int
    built_at: datetime | None
    generation: int


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
_LIST_NOISE = {"indexed", "available", "total", "count", "number", "mention", "mentioned", "say", "says"}
_INTENT_WORD_PATTERNS = [re.compile(p, re.I) for p in (
    r"pay|pays|paid|paying|salary|salaries|comp|compensation|wages?|earn\w*|money|make|rate|range|hourly|yearly|"
    r"annual\w*|bonus",
    r"lang\w*|programming|coding|code|written|stack|scripting",
    r"years?|yrs?|experi\w*|exp|seniority|senior|background",
    r"degree|diploma|bachelor'?s?|master'?s?|phd|doctorate|educat\w*|ged|college|university|schooling|bs|ba|ms|bsn",
    r"remote\w*|wfh|hybrid|on-?site|office|person|home|telecommut\w*|location|located|based|city|where",
    r"full|part|time|contract\w*|temp\w*|intern\w*|permanent|perm|ft|pt|freelance|seasonal|volunteer|employment",
)]


class Answerer:
    """Answers questions from one loaded Catalog (pure logic over in-memory data)."""

    def __init__(self, catalog: Catalog, embedder: Embedder, top_k: int = 5):
        self.catalog = catalog
        self.embedder = embedder
        self.top_k = top_k
        self._cities = {c for c in catalog.city if c}

    # --- understanding
    def parse(self, question: str) -> Query:
        """Parse a question, adding the cities of the catalog it names."""
        query = parse_question(question, question_languages)
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

    def _mentions(self, query: Query) -> list:
        """Postings the question's words name (computed once per query)."""
        if getattr(query, "_mentions", None) is None:
            c = self.catalog
            query._mentions = c.mentions.match(  # type: ignore[attr-defined]
                query.tokens, query.raw_tokens, is_common=c.is_common_word, is_word=c.text_word)
        return query._mentions  # type: ignore[attr-defined]

    def named_postings(self, query: Query) -> tuple[list[int], bool]:
        """Postings the question names; the flag is True when only the company was named."""
        c = self.catalog
        matches = [copy.copy(m) for m in self._mentions(query)]
        if not matches:
            return [], False
        place = None
        if query.filters.any() or query.place_hints:
            # "the veterinarian job in Farmington MN", "the remote data engineer job": filters help name it
            f = query.filters
            place = c.filter_mask(Filters(
                states=f.states, cities=f.cities + query.place_hints, remote=f.remote, work_type=f.work_type,
                pay_period=f.pay_period, languages=f.languages), stated=True)
            for m in matches:
                if place[m.index]:
                    m.score += 0.75
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
            return [m.index for m in same], True
        if not strong:
            return [], False
        tied = [m.index for m in matches if m.score >= best.score - 1e-6]
        return tied[: max(self.top_k, 1)], False

    # --- answering
    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        """Answer one question (optionally in the context of postings a thread already discussed)."""
        if not question or not re.search(r"\w", question) or question.strip().lower() in ("help", "usage", "?"):
            return compose.empty_answer(question or "")
        query = self.parse(question)
        named, company_only = self.named_postings(query)
        postings = self.catalog.postings
        unknown = self._unknown_words(query)
        if unknown and not (named and self._company_named(query, named[0])):
            # "the Zephyrine Robotics SWE role": a name no posting has; never answer for a look-alike
            if not (query.filters.any() and not self._names_a_company(query, unknown)):
                words = ", ".join(f"“{w}”" for w in unknown[:3])
                return compose.no_match_answer(
                    query, f"No indexed posting mentions {words}, so I can't answer that.")

        if named and not company_only and query.is_list and not self._company_named(query, named[0]):
            named = []  # "any warehouse jobs?": a list of every posting so titled, not the one found first
        if named and not company_only:
            chosen = [postings[i] for i in named]
            intent = self._intent_without_mention(query, chosen)
            if intent == "general":
                return self._passages(query, chosen, lead=f"From {compose.label(chosen[0])}:")
            return compose.fact_answer(query, intent, chosen)

        if context_posting_ids and not query.is_list:
            context = [postings[self.catalog.by_id[p]] for p in context_posting_ids if p in self.catalog.by_id]
            if context:
                if query.intent == "general":
                    return self._passages(query, context, lead=f"From {compose.label(context[0])}:")
                return compose.fact_answer(query, query.intent, context)

        if query.filters.any():
            listed = self.catalog.filter_mask(query.filters)
            stated = self.catalog.filter_mask(query.filters, stated=True)
            company = None
            if company_only:
                allowed = np.zeros(len(postings), dtype=bool)
                allowed[named] = True
                listed &= allowed
                stated &= allowed
                company = postings[named[0]].company
            rows, subject = self._titled(query, np.flatnonzero(listed | stated))
            if not query.is_list and query.intent != "general" and 0 < len(rows) <= self.top_k:
                # "what's the hourly rate for the ER RN job in Murrieta?": the filters name the posting
                return compose.fact_answer(query, query.intent, self._order(query, rows))
            if not query.is_list and query.intent != "general" and len(rows) > self.top_k:
                return compose.which_posting_answer(query, [postings[m.index] for m in self._mentions(query)[:5]]
                                                    or self._order(query, rows)[: self.top_k])
            main = rows[listed[rows]]
            extra = rows[~listed[rows]]
            return compose.list_answer(query, self._order(query, main), company=company, subject=subject,
                                       related=self._order(query, extra))

        if company_only:
            chosen = [postings[i] for i in named]
            if query.is_list or query.intent == "general":
                return compose.list_answer(query, chosen, company=chosen[0].company)
            return compose.fact_answer(query, query.intent, chosen)

        if query.is_list:
            return self._word_list(query)
        return self._search(query)

    def _content_words(self, query: Query) -> list[str]:
        """The words of a question that name a subject (not question words, intent words or filters)."""
        words = []
        for raw in query.raw_tokens:
            if raw in _QUESTION_WORDS or len(raw) < 2 or raw.isdigit():
                continue
            if any(p.fullmatch(raw) for p in _INTENT_WORD_PATTERNS):
                continue
            words.append(raw)
        return words

    def _unknown_words(self, query: Query) -> list[str]:
        """Content words (4+ letters) that no posting contains, not even with a typo fixed."""
        c = self.catalog
        unknown = []
        for word in self._content_words(query):
            if len(word) < 4 or not word.isalpha() or c.known_word(word):
                continue
            if c.mentions.present_tokens([], [word]):
                continue
            unknown.append(word)
        return unknown

    def _company_named(self, query: Query, index: int) -> bool:
        """True when the question names the posting's company (all its words, its acronym or first word)."""
        c = self.catalog
        mention = next((m for m in self._mentions(query) if m.index == index), None)
        return mention is not None and mention.company >= 0.99

    @staticmethod
    def _names_a_company(query: Query, unknown: list[str]) -> bool:
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

    def _subject_words(self, query: Query) -> list[str]:
        """Content words of a list question that could name a kind of role ('backend', 'nurse')."""
        words = [normalise_token(w) for w in self._content_words(query)]
        return [w for w in words if w not in _LIST_NOISE and w not in self.catalog.place_words
                and not canonical_language(w) and len(w) >= 3]

    def _titled(self, query: Query, rows: np.ndarray) -> tuple[np.ndarray, str]:
        """Narrow filtered postings to those whose title has the question's subject words, when some do."""
        words = self._subject_words(query)
        if not words:
            return rows, ""
        titles = self.catalog.mentions.title_tokens
        narrowed = np.array([i for i in rows if all(w in titles[i] for w in words)], dtype=int)
        return (narrowed, " ".join(words)) if len(narrowed) else (rows, "")

    def _word_list(self, query: Query) -> Answer:
        """A list question without structured filters: postings whose title, else text, has the subject words."""
        c = self.catalog
        words = self._subject_words(query)
        if not words and query.wants_count is False and re.search(r"\bhow many\b", query.text, re.I):
            query.wants_count = True
        if not words and (query.wants_count or re.search(r"\b(all|every)\b", query.text, re.I)):
            return compose.list_answer(query, list(c.postings))  # "how many postings are there?"
        if not words:
            return compose.no_match_answer(
                query, "Tell me what to look for: a role, a company, a language or a filter such as “remote”.")
        titled = [i for i, tokens in enumerate(c.mentions.title_tokens) if all(w in tokens for w in words)]
        if titled:
            return compose.list_answer(query, [c.postings[i] for i in titled], subject=" ".join(words))
        rows = np.flatnonzero(c.postings_with_words(words))
        if len(rows):
            return compose.list_answer(query, [c.postings[i] for i in rows], subject=" ".join(words), in_text=True)
        return compose.no_match_answer(query, f"No posting mentions {' '.join(words)}.")

    def _intent_without_mention(self, query: Query, chosen: list[Posting]) -> str:
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
        intent = parse_question(rest).intent
        if intent == "general" and question_languages(rest):
            intent = "languages"  # "does the Tallowbrook DevOps job need Go?"
        if intent == "general" and query.intents:
            intent = query.intent  # the intent word was also a title word: "…Engineer – Remote, remote ok?"
        return intent

    def _order(self, query: Query, rows: np.ndarray) -> list[Posting]:
        """Matching postings, by salary when pay was asked about, else in index order."""
        c = self.catalog
        if query.filters.salary_over is not None or query.filters.salary_floor is not None or query.intent == "salary":
            key = np.nan_to_num(c.stated.salary_max_y[rows], nan=-1.0)
            rows = rows[np.argsort(-key, kind="stable")]
        return [c.postings[i] for i in rows]

    def _rank_chunks(self, query: Query, rows: np.ndarray | None = None) -> np.ndarray:
        """Hybrid rank of chunk rows: dense cosine and BM25 fused by reciprocal rank."""
        c = self.catalog
        qvec = self.embedder.embed_query(query.text)
        if rows is None:
            dense = c.dense_scores(qvec)
            keyword = c.keyword_scores(keyword_tokens(query.text))
            rows = np.arange(c.chunk_count)
        else:
            dense = c.dense_scores(qvec, rows)
            keyword = c.keyword_scores(keyword_tokens(query.text))[rows]
        if len(rows) == 0:
            return rows
        k = 60.0
        dense_rank = np.empty(len(rows)); dense_rank[np.argsort(-dense, kind="stable")] = np.arange(len(rows))
        fused = 1.0 / (k + dense_rank)
        if keyword.any():
            kw_rank = np.empty(len(rows)); kw_rank[np.argsort(-keyword, kind="stable")] = np.arange(len(rows))
            fused += np.where(keyword > 0, 1.0 / (k + kw_rank), 0.0)
        return rows[np.argsort(-fused, kind="stable")]

    def _best_sentences(self, query: Query, text: str, limit: int = 1, ignore: set[str] = frozenset()) -> list[str]:
        words = set(keyword_tokens(query.text)) - ignore
        sentences = [s for s in split_sentences(text) if len(s) > 20] or split_sentences(text)
        scored = sorted(sentences, key=lambda s: -len(words & set(keyword_tokens(s))))
        return scored[:limit]

    def _passages(self, query: Query, chosen: list[Posting], lead: str) -> Answer:
        c = self.catalog
        wanted = np.array([c.by_id[p.id] for p in chosen])
        rows = np.flatnonzero(np.isin(c.chunk_posting, wanted))
        quotes: dict[str, list[str]] = {}
        names = {t for p in chosen for t in keyword_tokens(f"{p.title} {p.company}")}
        focused = copy.copy(query)
        focused.text = " ".join(t for t in keyword_tokens(query.text) if t not in names) or query.text
        for row in self._rank_chunks(focused, rows):
            pid = c.postings[c.chunk_posting[row]].id
            if pid not in quotes:
                quotes[pid] = self._best_sentences(focused, c.chunk_texts[row], ignore=names)
        for p in chosen:
            quotes.setdefault(p.id, split_sentences(p.text)[:1])
        return compose.passages_answer(query, chosen, quotes, lead)

    def _search(self, query: Query) -> Answer:
        """No posting named and no filter: the postings whose text best matches, by hybrid retrieval."""
        c = self.catalog
        if c.chunk_count == 0:
            return compose.no_match_answer(query, "The index has no postings yet.")
        ranked = self._rank_chunks(query)
        keyword = c.keyword_scores(keyword_tokens(query.text))
        qvec = self.embedder.embed_query(query.text)
        chosen: list[int] = []
        for row in ranked[: 200]:
            pi = int(c.chunk_posting[row])
            if pi not in chosen:
                chosen.append(pi)
            if len(chosen) >= self.top_k:
                break
        best_dense = float(c.dense_scores(qvec, ranked[:1])[0]) if len(ranked) else 0.0
        if not keyword.any() and best_dense < 0.35:
            return compose.no_match_answer(
                query, "No posting matches that question. Try naming the company or the role, or ask e.g. "
                "“which roles want Python?”.")
        postings = [c.postings[i] for i in chosen]
        if query.intent != "general":
            # a fact about no particular posting: never guess which one; offer the closest by name
            weak = [m.index for m in self._mentions(query)[: self.top_k]]
            return compose.which_posting_answer(query, [c.postings[i] for i in weak] or postings)
        return self._passages(query, postings, lead="The closest matching postings:")


class Engine:
    """An Answerer over the index in the store, reloaded when a rebuild switches the manifest."""

    def __init__(self, store, embedder: Embedder, top_k: int = 5, reload_interval: float = 30.0):
        self.store = store
        self.embedder = embedder
        self.top_k = top_k
        self.reload_interval = reload_interval
        self._answerer: Answerer | None = None
        self._manifest = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._error: str | None = None
        self.reload()

    def reload(self) -> bool:
        """Load the index the store's manifest names; False when there is none or it cannot be read."""
        from index.store import StoreUnavailable

        try:
            manifest = self.store.read_manifest()
            self._checked = time.monotonic()
            if manifest is None:
                self._error = "The postings index has not been built yet (run `postings-index rebuild`)."
                return False
            if self._answerer and self._manifest is not None and (manifest.generation, manifest.built_at) == (
                    self._manifest.generation, self._manifest.built_at):  # a lost index rebuilt anew restarts at 1
                self._error = None
                return True
            started = time.perf_counter()
            postings = self.store.read_postings(manifest)
            chunks, vectors = self.store.read_chunks(manifest)
        except StoreUnavailable as err:
            log.warning("index store unavailable: %s", err)
            self._checked = time.monotonic()
            self._error = "The postings index is unavailable right now — try again shortly."
            return False
        catalog = Catalog(postings, [c.posting_id for c in chunks], [c.text for c in chunks], vectors,
                          chunk_ids=[c.id for c in chunks])
        with self._lock:
            self._answerer = Answerer(catalog, self.embedder, self.top_k)
            self._manifest = manifest
            self._error = None
        log.info("loaded index generation %s: %d postings, %d chunks in %.2f s", manifest.generation,
                 len(postings), catalog.chunk_count, time.perf_counter() - started)
        return True

    def _current(self) -> Answerer:
        if self.reload_interval and time.monotonic() - self._checked >= self.reload_interval:
            self.reload()
        if self._error and (self._answerer is None or "unavailable" in self._error):
            raise IndexUnavailable(self._error)
        if self._answerer is None:
            raise IndexUnavailable("The postings index has not been built yet (run `postings-index rebuild`).")
        return self._answerer

    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        """Answer a question; raises IndexUnavailable when there is no usable index."""
        return self._current().ask(question, context_posting_ids)

    def stats(self) -> IndexStats:
        """Postings and chunks in the loaded index, and when it was built."""
        answerer = self._current()
        built = None
        if self._manifest is not None and self._manifest.built_at:
            try:
                built = datetime.fromisoformat(self._manifest.built_at)
                if built.tzinfo is None:
                    built = built.replace(tzinfo=timezone.utc)
            except ValueError:
                built = None
        return IndexStats(
            postings=len(answerer.catalog.postings), chunks=answerer.catalog.chunk_count, built_at=built,
            generation=self._manifest.generation if self._manifest else 0,
        )


def build_engine(settings, embedder: Embedder | None = None) -> Engine:
    """Build the engine from settings: open the store, load the model (unless given) and the index, now."""
    from index.embedder import SentenceTransformerEmbedder
    from index.store import IndexStore

    if embedder is None:
        embedder = SentenceTransformerEmbedder(settings.model_path, settings.embed_batch_size, settings.embed_threads)
    store = IndexStore.open(settings)
    return Engine(store, embedder, top_k=settings.top_k, reload_interval=settings.reload_interval_seconds)
