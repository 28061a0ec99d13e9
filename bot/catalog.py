"""The in-memory catalog the bot answers from: postings, typed fact arrays, chunk vectors, keyword index."""

from __future__ import annotations

import bisect
import itertools
import math
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, Mapping, Sequence

import bm25s
import numpy as np

from bot.columns import IdIndex, PostingColumn, Rows, TextColumn, TokenLists
from bot.places import PLACE_WORDS, Place, city_place, parse_location
from bot.question import normalise_token, raw_words, tokenize, word_token
from index.formats.roles import without_gender_mark
from index.models import Posting
from index.money import normalize_period

_LEGAL = {"inc", "llc", "ltd", "llp", "lp", "corp", "corporation", "co", "company", "the", "plc", "gmbh", "pc", "pllc",
          "group", "&", "and", "of", "a"}
_STOP = {"the", "a", "an", "of", "and", "or", "for", "to", "in", "at", "on", "with", "&", "-", "i", "ii", "iii", "is",
         "what", "which", "does", "do", "how", "much", "job", "role", "position", "opening", "posting", "this", "that",
         "it", "be", "are", "there", "any", "need", "want", "require", "required", "their", "they", "we", "our",
         "you", "your", "me", "my", "about", "located", "where", "pay", "salary", "range", "remote"}


@dataclass
class KeywordDoc:
    """A chunk as the keyword index sees it."""

    posting_index: int
    text: str


def keyword_tokens(text: str) -> list[str]:
    """Tokens for keyword scoring: lower-case, c#/c++ kept, plurals folded, stop words dropped."""
    return [normalise_token(t) for t in tokenize(text) if t not in _STOP]


class KeywordTokenizer:
    """keyword_tokens for the many texts of one build, each distinct word as written looked at once (lower-cased,
    trimmed, checked against the stop words, plural-folded) instead of at every occurrence: the same tokens out.

    It reads words with `tokenize`'s own steps (raw_words, word_token in bot/question.py); tests pin that both give
    the same tokens on varied text."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}  # a word as matched -> its token, or "" for a stop word

    def _learn(self, words: Iterable[str]) -> None:
        memo = self._memo
        for raw in words:
            word = word_token(raw)
            memo[raw] = "" if word in _STOP else normalise_token(word)

    def __call__(self, text: str) -> list[str]:
        words = raw_words(text)
        self._learn(set(words).difference(self._memo))
        return [token for token in map(self._memo.__getitem__, words) if token]

    def token_lists(self, texts: Iterable[str]) -> TokenLists:
        """The keyword tokens of each text, as word numbers into a vocabulary (TokenLists.build of the lists)."""
        memo = self._memo
        number: dict[str, int] = {}  # a word as matched -> its token's number, -1 for a stop word
        vocabulary: dict[str, int] = {}
        lists = []
        for text in texts:
            words = raw_words(text)
            unseen = set(words).difference(number)
            if unseen:
                self._learn(unseen.difference(memo))
                for raw in unseen:
                    token = memo[raw]
                    number[raw] = vocabulary.setdefault(token, len(vocabulary)) if token else -1
            lists.append(list(map(number.__getitem__, words)))
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        every = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int32, count=int(lengths.sum()))
        kept = np.zeros(len(every) + 1, dtype=np.int64)
        np.cumsum(every >= 0, out=kept[1:])  # stop words dropped: offsets count the words kept before each list
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return TokenLists(list(vocabulary), every[every >= 0], kept[offsets])


def keyword_index(keywords: TokenLists) -> bm25s.BM25 | None:
    """The BM25 index of the chunks' keyword lists (row i: chunk i; a chunk without one is indexed as "_", which
    no question word matches); None without chunks. Its vocabulary is the words the lists use.

    The index is the one bm25s's own `index` builds from these lists (same scores, bit for bit; tests pin it),
    computed with array operations rather than a Python loop per chunk and a Counter per chunk."""
    if len(keywords) == 0:
        return None
    offsets = np.asarray(keywords.offsets, dtype=np.int64)
    lengths = np.diff(offsets)
    vocabulary = keywords.vocabulary
    ids = np.asarray(keywords.ids)
    present = np.bincount(ids, minlength=len(vocabulary)) > 0  # only the words some chunk has (a derived
    used = np.flatnonzero(present)  # catalog's vocabulary may keep words of removed postings), numbered in order
    numbers = (np.cumsum(present) - 1)[ids].astype(np.int64)
    words = [vocabulary[j] for j in used.tolist()]
    docs = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    empty = np.flatnonzero(lengths == 0)
    if len(empty):
        numbers = np.concatenate([numbers, np.full(len(empty), len(words), dtype=np.int64)])
        docs = np.concatenate([docs, empty])
        lengths = np.where(lengths == 0, 1, lengths)
        words.append("_")
    vocab = {word: k for k, word in enumerate(words)}
    index = bm25s.BM25()
    if len(vocab) != len(words) or index.method in index.methods_requiring_nonoccurrence:  # (neither happens)
        return _library_index(keywords)
    try:  # bm25s's own scoring functions (not its public API): another bm25s without them indexes the lists itself
        from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer  # noqa: F401
    except ImportError:
        return _library_index(keywords)
    index.scores = _bm25_scores(index, numbers, docs, lengths, len(words))
    index.nonoccurrence_array = None
    vocab.setdefault("", len(vocab))  # as bm25s: the empty token, last
    index.vocab_dict = vocab
    index.unique_token_ids_set = set(vocab.values())
    return index


def _bm25_scores(index: bm25s.BM25, numbers: np.ndarray, docs: np.ndarray, lengths: np.ndarray,
                 n_vocab: int) -> dict:
    """bm25s's score matrix (CSC: a column per word, its chunks in order) for the chunk of each (word, chunk)
    occurrence, with bm25s's own formulas and dtypes and its per-element arithmetic."""
    from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

    n_docs = len(lengths)
    avg_doc_len = np.array(lengths.tolist()).mean()  # as bm25s computes it (same sum, same order)
    key = numbers * n_docs + docs  # (word, chunk) as one number, sorted: by word, then chunk
    key.sort()
    starts = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    tf = np.diff(np.append(starts, len(key)))
    key = key[starts]
    words, chunks = key // n_docs, key % n_docs
    del key, starts
    doc_freq = np.bincount(words, minlength=n_vocab)
    values = np.unique(doc_freq)
    idf_of = _select_idf_scorer(index.idf_method)
    idf = np.array([idf_of(int(v), N=n_docs) if v else 0.0 for v in values.tolist()],
                   dtype=np.float64)[np.searchsorted(values, doc_freq)].astype(index.dtype)
    tfc = _select_tfc_scorer(index.method)(tf_array=tf.astype(index.dtype), l_d=lengths[chunks], l_avg=avg_doc_len,
                                           k1=index.k1, b=index.b, delta=index.delta)
    data = (idf[words] * tfc).astype(index.dtype)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(doc_freq, out=indptr[1:])
    return {"data": data, "indices": chunks.astype(index.int_dtype), "indptr": indptr, "num_docs": n_docs}


def _library_index(keywords: TokenLists) -> bm25s.BM25:
    """The BM25 index of the keyword lists as bm25s's own `index` builds it (what keyword_index equals)."""
    index = bm25s.BM25()
    index.index([list(words) or ["_"] for words in keywords], show_progress=False)
    return index


@dataclass
class Mention:
    """How well a question names one posting."""

    index: int
    score: float
    company: float  # share of the company's words named (1.0: all, or its acronym, or its distinctive first word)
    title: float  # share of the title's words named (IDF-weighted)
    title_words: int  # how many of the title's words were named


def names_for(posting: Posting) -> tuple[str, str]:
    """The company and title a posting is named by: its fields, or what its body names when they are empty
    or generic ('Untitled posting', 'Avatar for X'; see bot/body_names.py)."""
    from bot.body_names import company_in_title, is_generic_title, names_in_body

    company, title = posting.company, posting.title
    generic = is_generic_title(title)
    if company.strip() and not generic:
        return company, title
    body = names_in_body(title, company, posting.text, posting.url)
    if not company.strip():
        company = company_in_title(title) or (body.companies[0] if body.companies else "")
    if generic:
        title = body.titles[0] if body.titles else ""
    return company, title


def typo_buckets(words: Iterable[str]) -> dict[tuple[str, int, str], list[str]]:
    """Words by length and first letter, and by length and last letter: where `near_misses` looks."""
    buckets: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for word in sorted(set(words)):
        if word:
            buckets["first", len(word), word[0]].append(word)
            buckets["last", len(word), word[-1]].append(word)
    return dict(buckets)


def near_misses(word: str, buckets: dict[tuple[str, int, str], list[str]]) -> list[tuple[int, str]]:
    """(distance, word) for the words of `buckets` (see typo_buckets) one typo from `word` or its plural-folded
    form (two for 8+ letters: "kestrelvain" still names "Kestrelvane"), keeping its first or last letter.

    A typo is a changed, missing, extra or doubled letter, or two neighbours swapped (optimal string alignment).
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    found: list[tuple[int, str]] = []
    for form in dict.fromkeys((word, normalise_token(word))):
        if not form:
            continue
        limit = 2 if len(form) >= 8 else 1
        for length in range(len(form) - limit, len(form) + limit + 1):
            candidates = list(dict.fromkeys(buckets.get(("first", length, form[0]), []) +
                                            buckets.get(("last", length, form[-1]), [])))
            for candidate, distance, _i in process.extract(form, candidates, scorer=OSA.distance,
                                                           score_cutoff=limit, limit=None):
                found.append((int(distance), candidate))
    return found


class MentionIndex:
    """Finds the posting(s) a question names by company and title, tolerant of case, plurals, acronyms and typos."""

    def __init__(self, postings: Sequence[Posting]):
        company_tokens: list[list[str]] = []
        title_tokens: list[list[str]] = []
        acronyms: list[str] = []
        short_names: list[str] = []  # an opening word in capitals that names the company alone ("MHS")
        self._surface: dict[str, str] = {}  # a title or company word as written -> its token ('athos' -> 'atho')
        self.split_words: dict[str, tuple[str, str]] = {}  # two neighbouring name words written as one -> the two
        self.title_pairs: set[tuple[str, str]] = set()
        doc_freq: dict[str, int] = defaultdict(int)
        one: dict[str, str] = {}  # one string object per word, shared by every structure below

        def shared(word: str) -> str:  # the word's token, as the one string object kept for it
            t = normalise_token(word)
            return one.setdefault(t, t)

        def surface(words: list[str]) -> None:
            for word in words:
                if word.isalpha() and len(word) >= 4 and word not in _STOP:
                    self._surface.setdefault(word, shared(word))  # "athos" as written, for typos
                elif "." in word and word.split(".")[0].isalpha() and len(word.split(".")[0]) >= 4:
                    self._surface.setdefault(word.split(".")[0], shared(word))  # "Acme.io" as "acme"

        def splits(tokens: list[str]) -> None:  # "Non Profits" is named by "nonprofits", "Full Stack" by "fullstack"
            for a, b in zip(tokens, tokens[1:]):
                if a.isalpha() and b.isalpha() and len(a + b) >= 6:
                    self.split_words.setdefault(a + b, (a, b))

        # Everything below but the word counts is a function of a company name or a title alone, and companies and
        # titles repeat across postings (100k postings: 57k companies, 7k titles), so each is read once, where
        # it first appears (the first split of a joined word wins, as when every posting was read).
        companies: dict[str, tuple[list[str], str, str]] = {}  # name -> (tokens, acronym, short name)
        titles: dict[str, list[str]] = {}  # title -> tokens
        for posting in postings:
            company_name, title_name = names_for(posting)
            known = companies.get(company_name)
            if known is None:
                words = tokenize(company_name)
                company = [shared(t) for t in words if t not in _LEGAL] or [shared(t) for t in words]
                acronym = "".join(t[0] for t in words if t not in _LEGAL and t[0].isalpha())
                acronym = one.setdefault(acronym, acronym) if len(acronym) >= 3 else ""
                # a company that opens with its initials ("MHS - Medical Home Service") is named by them too
                rest = "".join(t[0] for t in words[1:] if t not in _LEGAL and t[0].isalpha())
                short = words[0] if len(words) > 1 and len(words[0]) >= 2 and words[0] == rest else ""
                known = companies[company_name] = (company, acronym, short if short != acronym else "")
                surface(words)
                splits(company)
            company, acronym, short = known
            title = titles.get(title_name)
            if title is None:
                title = titles[title_name] = [shared(t) for t in tokenize(without_gender_mark(title_name))
                                              if t not in _STOP]
                surface(tokenize(title_name))
                self.title_pairs.update(zip(title, title[1:]))  # neighbouring title words ("full", "stack")
                splits(title)
            short_names.append(short)
            company_tokens.append(company)
            title_tokens.append(title)
            acronyms.append(acronym)
            for token in set(company) | set(title) | ({acronym} if acronym else set()):
                doc_freq[token] += 1
        n = max(1, len(postings))
        self._sorted = sorted(doc_freq)  # the vocabulary: every title, company and acronym word
        self.idf = {t: math.log(1 + n / doc_freq[t]) for t in self._sorted}
        self.doc_freq = {t: doc_freq[t] for t in self._sorted}
        self._rare = max(3, n // 500)
        self._column = {t: j for j, t in enumerate(self._sorted)}
        # each posting's company and title words as word numbers (CSR), not as a list of strings each
        self.company_tokens = TokenLists.of(company_tokens, self._sorted, self._column)
        self.title_tokens = TokenLists.of(title_tokens, self._sorted, self._column)
        self._build_matrices(len(postings), company_tokens, title_tokens, acronyms, short_names)
        self._surface = {word: token for word, token in self._surface.items() if token in self.idf}
        for token in self._sorted:
            if token.isalpha() and len(token) >= 4:
                self._surface.setdefault(token, token)
        self._typo_buckets = typo_buckets(self._surface)

    def _corrections(self, raw: str, context: Sequence[str] = (), supported: bool = True) -> set[str]:
        """Vocabulary words one typo away (two for 8+ letters) from a question word of 4+ letters.

        A typo is a changed, missing, extra or doubled letter, or two neighbours swapped ("abrmas" is one typo
        from "abrams": optimal string alignment distance). A vocabulary word must keep the first or the last
        letter. A 4-letter word is read as a typo only when the question also names another word of a posting
        that has the correction ("Crsp"/"Crip" at "Crisp" beside "Mid-Market"): short words are too easily one
        letter from some name. `context` holds the question's tokens; `supported=False` drops that condition
        (a role word of a list question: "nurs roles").
        """
        if len(raw) < 4 or not raw.isalpha():
            return set()
        found = {self._surface[candidate] for _distance, candidate in near_misses(raw, self._typo_buckets)}
        if len(raw) == 4 and supported:
            found = {token for token in found if self._supported(token, raw, context)}
        return found

    def _supported(self, token: str, raw: str, context: Sequence[str]) -> bool:
        """True when some posting named by `token` also has another word of the question in its title or company."""
        others = {t for t in context if t != raw and t in self.idf and t != token and t not in _STOP and len(t) >= 2}
        if not others:
            return False
        for i in self._postings_by_token(token).tolist():
            if others & (set(self.company_tokens[i]) | set(self.title_tokens[i])):
                return True
        return False

    def _postings_by_token(self, token: str) -> np.ndarray:
        """The postings whose company, title or acronym has the word, in order."""
        j = self._column.get(token)
        return np.zeros(0, dtype=np.int32) if j is None else self._rows_of_column(j)

    def _rows_of_column(self, j: int) -> np.ndarray:
        """The postings of vocabulary word number j (company, title or acronym), in order."""
        return self._token_rows[self._token_start[j]:self._token_start[j + 1]]

    def names(self, raw: str, context: Sequence[str] = (), is_word: Callable[[str], bool] = lambda _w: False) -> bool:
        """True when a question word is a title or company word of some posting, typos fixed, prefixes completed."""
        if normalise_token(raw) in self.idf or raw in self.idf:
            return True
        return bool(self._named_by(raw, context, is_word))

    def _named_by(self, raw: str, context: Sequence[str], is_word: Callable[[str], bool]) -> set[str]:
        """The vocabulary words a question word that is not itself one stands for (a typo, a prefix)."""
        if raw in _STOP or is_word(raw):
            return set()  # a real word of the postings' text, not a misspelt name
        present = self._corrections(raw, context)
        if len(raw) >= 4 and raw.isalpha():  # "pharma" names "Pharmaceuticals"
            start = bisect.bisect_left(self._sorted, raw)
            found = list(itertools.takewhile(lambda w: w.startswith(raw), self._sorted[start:start + 6]))
            if 0 < len(found) <= 5:
                present.update(found)
        return present

    def present_tokens(self, tokens: Sequence[str], raw_tokens: Sequence[str] = (),
                       is_word: Callable[[str], bool] = lambda _w: False) -> set[str]:
        """The vocabulary words a question contains, typos corrected, prefixes completed, split names joined."""
        present = {t for t in tokens if t in self.idf}
        for raw in raw_tokens or tokens:
            if normalise_token(raw) in self.idf or raw in self.idf:
                continue
            split = self.split_words.get(normalise_token(raw))
            if split:
                present.update(split)  # "nonprofits" names "Non-Profits"
                continue
            present |= self._named_by(raw, tokens, is_word)
            if "." in raw and raw.split(".")[0].isalpha():  # "doctors.net.uk": named by its first part too
                first = raw.split(".")[0]
                present |= {normalise_token(first)} & self.idf.keys() or self._named_by(first, tokens, is_word)
        for a, b in zip(tokens, tokens[1:]):  # "sales force" -> "salesforce"
            if a + b in self.idf:
                present.add(a + b)
        return present

    def _build_matrices(self, n: int, company_tokens: list[list[str]], title_tokens: list[list[str]],
                        acronyms: list[str], short_names: list[str]) -> None:
        """Posting x word matrices (IDF-weighted) so a question is scored against every posting at once, and the
        postings of each word, acronym and company as arrays."""
        from scipy import sparse

        idf = np.array([self.idf[t] for t in self._sorted], dtype=np.float64)
        self._idf_vec = idf
        self._stop_cols = np.array([t in _STOP for t in self._sorted], dtype=bool)

        def entries(token_lists: list[list[str]] | list[set[str]]) -> tuple[np.ndarray, np.ndarray]:
            rows = np.repeat(np.arange(len(token_lists), dtype=np.int32), [len(set(t)) for t in token_lists])
            cols = np.fromiter((self._column[t] for tokens in token_lists for t in set(tokens)), dtype=np.int32,
                               count=len(rows))
            return rows, cols

        def matrix(token_lists: list[list[str]]):
            rows, cols = entries(token_lists)
            data = np.ones(len(rows), dtype=np.float64)
            return sparse.csr_matrix((data, (rows, cols)), shape=(n, len(self._column)))

        self._company = matrix(company_tokens)
        self._title = matrix(title_tokens)
        self._company_total = self._company @ idf
        self._title_total = self._title @ idf
        self._named = ((self._title + self._company) > 0).astype(np.float64)  # a word in the title or company
        self._first_company = np.array(
            [self._column[c[0]] if c else -1 for c in company_tokens], dtype=np.int32)
        # word -> postings (company, title or acronym words), as one array of rows grouped by word (CSC)
        rows, cols = entries([set(c) | set(t) | ({a} if a else set())
                              for c, t, a in zip(company_tokens, title_tokens, acronyms)])
        order = np.lexsort((rows, cols))
        self._token_rows = rows[order]
        self._token_start = np.zeros(len(self._column) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=len(self._column)), out=self._token_start[1:])
        acronym_postings: dict[str, list[int]] = defaultdict(list)
        for i, acronym in enumerate(acronyms):
            if acronym:
                acronym_postings[acronym].append(i)
        for i, short in enumerate(short_names):
            if short:
                acronym_postings[short].append(i)
        self._acronym_postings = dict(acronym_postings)  # (a list of one or two rows is smaller than an array)
        # postings with the same company words: a number per company, and the rows of each number in order
        companies: dict[tuple[str, ...], int] = {}
        self._company_key = np.fromiter((companies.setdefault(tuple(c), len(companies)) for c in company_tokens),
                                        dtype=np.int32, count=n)
        self._company_rows = np.argsort(self._company_key, kind="stable").astype(np.int32)
        self._company_start = np.zeros(len(companies) + 1, dtype=np.int64)
        np.cumsum(np.bincount(self._company_key, minlength=len(companies)), out=self._company_start[1:])

    def same_company(self, index: int) -> list[int]:
        """Every posting whose company words are those of posting `index`."""
        key = int(self._company_key[index])
        return self._company_rows[self._company_start[key]:self._company_start[key + 1]].tolist()

    def match(self, tokens: Sequence[str], raw_tokens: Sequence[str] = (),
              is_common: Callable[[str], bool] = lambda _w: False,
              is_word: Callable[[str], bool] = lambda _w: False, limit: int = 200) -> list[Mention]:
        """Postings the question names, best first (at most `limit`); `is_common` marks words too common to
        name a company alone."""
        present = self.present_tokens(tokens, raw_tokens, is_word)
        cols = np.array(sorted(self._column[t] for t in present if t in self._column), dtype=np.int64)
        n = self._company.shape[0]
        if n == 0 or (len(cols) == 0 and not any(t in self._acronym_postings for t in present)):
            return []
        weight = np.zeros(len(self._column), dtype=np.float64)
        weight[cols] = self._idf_vec[cols]
        real = weight * ~self._stop_cols  # common words ('job', 'the') count only beside a real hit
        acronyms = present & self._acronym_postings.keys()
        # only a posting with a real word of the question in its company or title, or named by its acronym, can
        # be named: the scores are computed for those rows alone (the same values as over every posting)
        real_cols = cols[~self._stop_cols[cols]]
        rows = np.unique(np.concatenate(
            [self._rows_of_column(j) for j in real_cols]
            + [np.asarray(self._acronym_postings[a], dtype=np.int32) for a in acronyms]
            + [np.zeros(0, dtype=np.int32)])).astype(np.int64)
        if len(rows) == 0:
            return []
        company, title = self._company[rows], self._title[rows]
        with np.errstate(invalid="ignore", divide="ignore"):
            c_share = np.where((company @ real) > 0, (company @ weight) / self._company_total[rows], 0.0)
            t_share = np.where((title @ real) > 0, (title @ weight) / self._title_total[rows], 0.0)
        c_share = np.nan_to_num(c_share)
        t_share = np.nan_to_num(t_share)
        for acronym in acronyms:
            c_share[np.searchsorted(rows, self._acronym_postings[acronym])] = 1.0
        # "Northwind" names "Northwind Analytics": a distinctive first word counts as the company
        distinctive = [
            self._column[t] for t in present
            if len(t) >= 4 and t not in _STOP and self.doc_freq.get(t, 0) <= self._rare and not is_common(t)
        ]
        if distinctive:
            first = np.isin(self._first_company[rows], distinctive) & (c_share > 0) & (c_share < 0.99)
            c_share[first] = 0.99
        title_words = np.asarray((title @ (weight > 0).astype(np.float64))).ravel()
        # how much of what the question names each posting's title and company explain: "doctors m3 full stack"
        # is the title with all four words, not the short one with two
        named = float(weight[cols].sum()) if len(cols) else 0.0
        covered = np.asarray(self._named[rows] @ weight).ravel()
        coverage = covered / named if named > 0 else np.zeros(len(rows))
        full = c_share >= 0.99
        score = np.where(full, 2.0 * c_share, 0.5 * c_share) + t_share + 0.05 * title_words + 0.3 * coverage
        candidates = np.flatnonzero((c_share > 0) | (t_share > 0))  # (positions in rows, in row order)
        if len(candidates) > limit:
            candidates = candidates[np.argpartition(-score[candidates], limit - 1)[:limit]]
        order = sorted(candidates, key=lambda k: (-score[k], rows[k]))
        return [Mention(int(rows[k]), float(score[k]), float(c_share[k]), float(t_share[k]), int(title_words[k]))
                for k in order]


_REMOTE_CODE = {None: 0, "remote": 1, "hybrid": 2, "on-site": 3}
_PERIOD_CODE = {None: 0, "hourly": 1, "daily": 2, "weekly": 3, "monthly": 4, "yearly": 5}
DEGREE_RANK = {None: 0, "HighSchool": 1, "Associate": 2, "Bachelor": 3, "Master": 4, "PhD": 5}


def from_listing(posting: Posting) -> bool:
    """True for a posting from a tabular export (CSV, JSON, JSONL rows) whose fields are its own: the listing.
    A record that is a page or a forum comment (its fields read from its own first lines) is judged on its text."""
    source = posting.source.lower()
    tabular = "#row" in source or source.endswith((".csv", ".json", ".jsonl"))
    return tabular and "read_from_text" not in posting.columns


def _source_file(posting: Posting) -> str:
    """The file a posting came from ('jobs.csv' for 'jobs.csv#row3')."""
    return posting.source.split("#row", 1)[0]


def _listing_fields(postings: Sequence[Posting]) -> dict[str, set[str]]:
    """Per source file, the facts (salary, remote, employment_type) some row of it gives in a field of its own."""
    fields: dict[str, set[str]] = defaultdict(set)
    for p in postings:
        for name in ("salary", "remote", "employment_type"):
            fact = getattr(p.facts, name)
            if fact is not None and fact.origin == "column":
                fields[_source_file(p)].add(name)
    return fields


def _completes_listing(salary, columns: dict) -> bool:
    """True when pay read from the text fills in a listing that names the pay period (and currency) but gives no
    figure ("interval: hourly", amounts empty): the text states what the listing's own field left blank."""
    period = normalize_period(str(columns.get("pay_period") or ""))
    if not period or any(columns.get(k) not in (None, "") for k in ("min_salary", "max_salary", "med_salary")):
        return False
    currency = columns.get("currency")
    return salary.period == period and (not currency or not salary.currency
                                        or salary.currency.upper() == str(currency).upper())


class _PayAndPlace:
    """Typed arrays of pay, remote and work type; `listing_only` keeps only listing fields for tabular postings."""

    def __init__(self, postings: Sequence[Posting], listing_only: bool):
        n = len(postings)
        self.remote = np.zeros(n, dtype=np.int8)
        self.period = np.zeros(n, dtype=np.int8)
        self.periods = np.zeros(n, dtype=np.uint8)  # a bit per period the pay is stated in (1 << period code)
        self.salary_min_y = np.full(n, np.nan, dtype=np.float64)
        self.salary_max_y = np.full(n, np.nan, dtype=np.float64)
        self.salary_is_range = np.zeros(n, dtype=bool)
        self.currency = np.full(n, "", dtype=object)
        self.work_type = np.empty(n, dtype=object)
        listed = _listing_fields(postings) if listing_only else {}
        for i, p in enumerate(postings):
            f = p.facts
            fields = listed.get(_source_file(p), set()) if listing_only and from_listing(p) else set()

            def usable(fact, name):
                # a listing is judged on its own fields, where its source has that field at all: rows of a
                # board export without a pay column (forum comments, API records) are judged on their text
                return fact is not None and (name not in fields or fact.origin == "column"
                                             or (name == "salary" and _completes_listing(fact.value, p.columns)))

            # a listing can flag "remote" but has no field for hybrid or on-site: those come from the text
            if usable(f.remote, "remote") or (f.remote is not None and f.remote.value != "remote"):
                self.remote[i] = _REMOTE_CODE.get(f.remote.value, 0)
            if usable(f.salary, "salary"):
                sal = f.salary.value
                self.period[i] = _PERIOD_CODE.get(sal.period, 0)
                self.periods[i] |= 1 << int(self.period[i])
                for other in f.salary_other_periods:  # "£14/hr to £16/hr" beside a yearly figure
                    if usable(other, "salary"):
                        self.periods[i] |= 1 << _PERIOD_CODE.get(other.value.period, 0)
                lo, hi = sal.yearly_min, sal.yearly_max
                self.salary_min_y[i] = lo if lo is not None else (hi if hi is not None else np.nan)
                self.salary_max_y[i] = hi if hi is not None else (lo if lo is not None else np.nan)
                self.salary_is_range[i] = lo is not None and hi is not None and lo != hi
                self.currency[i] = sys.intern((sal.currency or "USD").upper())  # one string per currency
            if usable(f.employment_type, "employment_type"):
                value = f.employment_type.value
                self.work_type[i] = sys.intern(value) if isinstance(value, str) else value

    @cached_property
    def _work_type_codes(self) -> tuple[dict[str, int], np.ndarray]:
        """(work type -> number, each posting's number; 0 for none): comparing the object array, whose empty cells
        are None, costs 20-30 ms at 100k postings; comparing numbers, well under 1 ms (and a string array of them
        would hold 40 bytes a posting)."""
        numbers: dict[str, int] = {}
        codes = np.fromiter((numbers.setdefault(w, len(numbers) + 1) if w else 0 for w in self.work_type),
                            dtype=np.int16, count=len(self.work_type))
        return numbers, codes

    def work_type_is(self, value: str) -> np.ndarray:
        """A mask of the postings whose work type is value."""
        numbers, codes = self._work_type_codes
        return codes == numbers[value] if value in numbers else np.zeros(len(codes), dtype=bool)


_METRO = re.compile(r"\b(?:metro\w*|area|greater|region)\b")


class _ByLocation(Rows):
    """Each posting's parsed location, held once per distinct location (row i: places[codes[i]])."""

    def __init__(self, places: list, codes: np.ndarray):
        self.places = places
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    def _row(self, index: int):
        return self.places[self.codes[index]]

    def __iter__(self):  # (all rows at once: one tolist, not a lookup a row)
        places = self.places
        return (places[c] for c in self.codes.tolist())


class Catalog:
    """Postings with typed per-posting arrays for exact filtering, and chunk vectors for exact dense search."""

    def __init__(self, postings: Sequence[Posting], chunk_posting_ids: Sequence[str], chunk_texts: Sequence[str],
                 vectors: np.ndarray, chunk_ids: Sequence[str] | None = None,
                 keywords: TokenLists | Sequence[Sequence[str]] | None = None, columns: PostingColumn | None = None):
        """keywords: each chunk's keyword tokens when they are known (a snapshot keeps them: bot/snapshot.py), as
        `keyword_tokens` gives them for f"{title} {company} {chunk text}"; else computed here. chunk_texts and
        chunk_ids may be `TextColumn`s (kept as they are). columns: the same postings as a `PostingColumn`
        already made (else made here)."""
        postings = list(postings)
        if columns is not None and len(columns) != len(postings):
            raise ValueError(f"{len(columns)} posting columns for {len(postings)} postings")
        by_id = {p.id: i for i, p in enumerate(postings)}
        n = len(postings)
        # Pay, remote and work type as the listing gives them (a job board export is judged on its own fields)
        # and as stated anywhere (its text too): list answers count the first and mention the rest.
        self.listed = _PayAndPlace(postings, listing_only=True)
        self.stated = _PayAndPlace(postings, listing_only=False)
        self.min_years = np.full(n, -1, dtype=np.int16)
        self.degree = np.zeros(n, dtype=np.int8)
        # places: parsed once per distinct location (100k postings have a few thousand), kept per location
        locations: dict[str, int] = {}
        codes = np.fromiter((locations.setdefault(p.location, len(locations)) for p in postings), dtype=np.int32,
                            count=n)
        places = [parse_location(location) for location in locations]  # city, state, country, coordinates
        self.where = _ByLocation(places, codes)
        self._locations = (codes, np.unique(codes, return_index=True)[1].tolist() if n else [])
        self.state_str = np.array([w.state for w in places] or [""], dtype=str)[codes] if n else np.zeros(0, dtype=str)
        self.city = np.array([w.city for w in places] + [None], dtype=object)[:-1][codes]
        self.country = np.array([w.country or None for w in places] + [None], dtype=object)[:-1][codes]
        self.location_lower = np.array([location.lower() for location in locations] + [None], dtype=object)[:-1][codes]
        self.languages: dict[str, np.ndarray] = {}
        for i, p in enumerate(postings):
            f = p.facts
            if f.min_years:
                self.min_years[i] = int(f.min_years.value)
            self.degree[i] = DEGREE_RANK.get(f.degree.value if f.degree else None, 0)
            for lang in f.languages:
                self.languages.setdefault(lang.value, np.zeros(n, dtype=bool))[i] = True
        # chunks
        if chunk_ids is None:
            chunk_ids = [str(i) for i in range(len(chunk_texts))]
        if not isinstance(chunk_ids, TextColumn):
            chunk_ids = list(chunk_ids)
        if not isinstance(chunk_texts, TextColumn):
            chunk_texts = list(chunk_texts)
        if keywords is not None and not isinstance(keywords, TokenLists):
            keywords = TokenLists.build(keywords)
        if keywords is not None and len(keywords) != len(chunk_texts):
            raise ValueError(f"{len(keywords)} keyword lists for {len(chunk_texts)} chunks")
        self.chunk_posting = np.array([by_id.get(pid, -1) for pid in chunk_posting_ids], dtype=np.int32)
        keep = self.chunk_posting >= 0
        if not keep.all():
            self.chunk_posting = self.chunk_posting[keep]
            chunk_texts = [t for t, k in zip(chunk_texts, keep) if k]
            chunk_ids = [c for c, k in zip(chunk_ids, keep) if k]
            vectors = vectors[keep]
            keywords = keywords.select(np.flatnonzero(keep)) if keywords is not None else None
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.mentions = MentionIndex(postings)
        self.place_words = {w for location in locations for w in tokenize(location)} | PLACE_WORDS
        if keywords is None:
            keywords = KeywordTokenizer().token_lists(f"{postings[pi].title} {postings[pi].company} {text}"
                                                      for pi, text in zip(self.chunk_posting.tolist(), chunk_texts))
        # each chunk's keyword tokens: kept by the snapshot, so that the next generation's catalog reuses them
        self.keywords: TokenLists | None = keywords
        self._bm25 = keyword_index(keywords)
        # the words of the postings' text (read by membership)
        self._bm25_vocab = self._bm25.vocab_dict if self._bm25 is not None else {}
        # the postings and chunk texts as columns, not as Python objects (bot/columns.py): read when used
        self.postings: Sequence[Posting] = columns if columns is not None else PostingColumn.of(postings)
        self.by_id: Mapping[str, int] = IdIndex(self.postings.column("id"))
        self.chunk_texts: Sequence[str] = (chunk_texts if isinstance(chunk_texts, TextColumn)
                                           else TextColumn.of(chunk_texts))
        self.chunk_ids: Sequence[str] = chunk_ids if isinstance(chunk_ids, TextColumn) else TextColumn.of(chunk_ids)

    @classmethod
    def from_store(cls, store, manifest) -> "Catalog":
        """The catalog of the index generation the manifest names, read from the store (StoreUnavailable when it
        cannot be read)."""
        postings = store.read_postings(manifest)
        chunks, vectors = store.read_chunks(manifest)
        return cls(postings, [c.posting_id for c in chunks], [c.text for c in chunks], vectors,
                   chunk_ids=[c.id for c in chunks])

    @property
    def chunk_count(self) -> int:
        return len(self.chunk_texts)

    def known_word(self, token: str) -> bool:
        """True when a word occurs in some posting's title, company, location or text, or names a place."""
        word = normalise_token(token)
        return (word in self.mentions.idf or token in self.place_words
                or (self._bm25 is not None and word in self._bm25_vocab))

    def text_word(self, word: str) -> bool:
        """True when the word occurs in some posting's text (a real word, not a misspelling)."""
        return self._bm25 is not None and (word in self._bm25_vocab or normalise_token(word) in self._bm25_vocab)

    def text_typo(self, word: str) -> str | None:
        """The one word of the postings' text a misspelt question word stands for ("normnton" -> "normanton"):
        5+ letters, not itself a word of the postings, one typo away (two for 8+ letters), keeping its first or
        last letter; None when there is no such word or several are equally close."""
        if len(word) < 5 or not word.isalpha() or self._bm25 is None or self.known_word(word):
            return None
        if getattr(self, "_text_buckets", None) is None:  # "normnton" is Normanton too
            self._text_buckets = typo_buckets(token for token in set(self._bm25_vocab) | set(self.place_words)
                                              if token.isalpha() and len(token) >= 4)
        found = sorted(near_misses(word, self._text_buckets))  # the text's words are indexed plural-folded too
        closest = {normalise_token(word) for distance, word in found if distance == found[0][0]} if found else set()
        if len(closest) != 1:  # none, or several equally close ("sweedpos" and "sweedpo" are one)
            return None
        return found[0][1]

    def is_common_word(self, word: str) -> bool:
        """True for a place name or a word found in the text of many postings (not a name on its own)."""
        if word in self.place_words:
            return True
        if self._bm25 is None:
            return False
        chunks_with_word = len(self.chunks_with_word(word if word in self._bm25_vocab else normalise_token(word)))
        chunks_per_posting = max(1.0, self.chunk_count / max(1, len(self.postings)))
        return chunks_with_word / chunks_per_posting > max(3, len(self.postings) // 50)

    def chunks_with_word(self, word: str) -> np.ndarray:
        """The chunks whose text has the (keyword-index) word: its posting list, read without scoring every chunk."""
        token_id = self._bm25_vocab.get(word) if self._bm25 is not None else None
        if token_id is None:
            return np.zeros(0, dtype=np.int64)
        scores = self._bm25.scores
        return np.asarray(scores["indices"][scores["indptr"][token_id]:scores["indptr"][token_id + 1]])

    def postings_with_words(self, words: Sequence[str]) -> np.ndarray:
        """A mask of postings whose title, company or text contains every one of the words."""
        mask = np.ones(len(self.postings), dtype=bool)
        for word in words:
            has = np.zeros(len(self.postings), dtype=bool)
            has[self.chunk_posting[self.chunks_with_word(word)]] = True
            mask &= has
        return mask

    def keyword_scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every chunk for the query tokens (zeros when none is known)."""
        tokens = [t for t in query_tokens if self._bm25 is not None and t in self._bm25_vocab]
        if not tokens:
            return np.zeros(self.chunk_count, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)

    def dense_scores(self, vector: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of every chunk (or of the given rows) to a normalised query vector."""
        if rows is None:
            return self.vectors @ vector.astype(np.float32)
        return self.vectors[rows] @ vector.astype(np.float32)

    def place_mask(self, place: Place) -> np.ndarray:
        """Postings located in a place (a state, a country, or a city with its boroughs and close suburbs)."""
        n = len(self.postings)
        if place.kind == "state":
            return self.state_str == place.value if n else np.zeros(0, dtype=bool)
        if place.kind == "country":
            return self.per_location(lambda i: self.country[i] == place.value)
        mask = self.per_location(lambda i: place.contains(self.where[i]))
        if place.value and n:  # "New York City Metropolitan Area" names the city in its (metro) location
            mask |= self.per_location(lambda i: not self.where[i].city and place.value in self.location_lower[i]
                                      and bool(_METRO.search(self.location_lower[i])))
        return mask

    def per_location(self, test: Callable[[int], bool]) -> np.ndarray:
        """A mask over postings of test(i) asked once per distinct location (i: its first posting), not per
        posting: 100k postings have a few thousand locations at most."""
        if not self.postings:
            return np.zeros(0, dtype=bool)
        codes, firsts = self._locations
        return np.fromiter((bool(test(i)) for i in firsts), dtype=bool, count=len(firsts))[codes]

    def _places(self, filters) -> np.ndarray | None:
        """The place restriction: any place named (with cities added by name), or None when none is."""
        places = list(getattr(filters, "places", []) or [])
        named = {p.value for p in places}
        for state in filters.states:
            if state not in named and not any(p.kind == "city" and p.state == state for p in places):
                places.append(Place("state", state))
        for city in filters.cities:
            if city not in named:  # added by name (the catalog's own cities): resolved by the gazetteer
                places.append(city_place(city))
        if not places:
            return None
        mask = np.zeros(len(self.postings), dtype=bool)
        for place in places:
            mask |= self.place_mask(place)
        return mask

    def filter_mask(self, filters, stated: bool = False) -> np.ndarray:
        """A boolean mask over postings for the filters of a list question (exact, no ranking).

        With stated=False, pay, remote and work type of tabular postings come from their listing fields only;
        with stated=True, from anything the posting states (its text too). A negated filter ("not remote",
        "no contract", "outside Ohio") keeps the complement: every posting not marked so.
        """
        n = len(self.postings)
        v = self.stated if stated else self.listed
        mask = np.ones(n, dtype=bool)
        if filters.remote:
            mask &= v.remote == _REMOTE_CODE[filters.remote]
        for value in getattr(filters, "remote_not", ()):
            mask &= v.remote != _REMOTE_CODE[value]
        if filters.work_type:
            mask &= v.work_type_is(filters.work_type)
        for value in getattr(filters, "work_type_not", ()):
            mask &= ~v.work_type_is(value)
        for lang in filters.languages:
            mask &= self.languages.get(lang, np.zeros(n, dtype=bool))
        for lang in getattr(filters, "languages_not", ()):
            mask &= ~self.languages.get(lang, np.zeros(n, dtype=bool))
        place = self._places(filters)
        if place is not None:
            mask &= place
        for excluded in getattr(filters, "places_not", ()):
            mask &= ~self.place_mask(excluded)
        if filters.pay_period:
            mask &= (v.periods & (1 << _PERIOD_CODE[filters.pay_period])) != 0
        bounded = any(getattr(filters, name) is not None
                      for name in ("salary_over", "salary_floor", "salary_under", "salary_top_under"))
        if bounded:  # a pay bound is in one currency: the one named, else USD (no conversion)
            mask &= v.currency == (getattr(filters, "currency", None) or "USD")
        elif getattr(filters, "currency", None):  # "which roles pay in euros?"
            mask &= v.currency == filters.currency
        with np.errstate(invalid="ignore"):
            if filters.salary_over is not None:
                mask &= v.salary_max_y > filters.salary_over
            if filters.salary_floor is not None:
                mask &= v.salary_min_y >= filters.salary_floor
            if filters.salary_under is not None:
                mask &= v.salary_min_y < filters.salary_under
            if filters.salary_top_under is not None:
                mask &= v.salary_max_y < filters.salary_top_under
        if filters.has_salary:
            mask &= ~np.isnan(v.salary_max_y)
        if filters.salary_range:
            mask &= v.salary_is_range
        if filters.no_salary:
            mask &= np.isnan(self.stated.salary_max_y)  # "no pay stated" means stated nowhere
        if filters.outside_us:
            mask &= self.per_location(lambda i: self.country[i] is not None and self.country[i] != "US")
        if filters.max_years is not None:
            mask &= (self.min_years >= 0) & (self.min_years <= filters.max_years)
        if getattr(filters, "min_years", None) is not None:
            mask &= self.min_years >= filters.min_years
        if filters.no_degree:
            mask &= self.degree <= DEGREE_RANK["HighSchool"]
        return mask
