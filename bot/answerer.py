"""Answering one question from one loaded Catalog: named posting, list, or search (no I/O, no Slack)."""

from __future__ import annotations

import copy
import re
from typing import Sequence

import numpy as np

from bot import compose
from bot.answer import Answer, PostingRows
from bot.catalog import Catalog, keyword_tokens
from bot.compare import compare_question
from bot.market import market_answer
from bot.naming import Namer
from bot.query.market_words import split_behind
from bot.question import Filters, Query
from bot.retrieval import Retriever
from index.embedder import Embedder
from index.models import Posting
from index.text import split_sentences


class Answerer:
    """Answers questions from one loaded Catalog (pure logic over in-memory data)."""

    def __init__(self, catalog: Catalog, embedder: Embedder, top_k: int = 5):
        self.catalog = catalog
        self.embedder = embedder
        self.top_k = top_k
        self.namer = Namer(catalog, top_k)
        self.retriever = Retriever(catalog, embedder)

    def parse(self, question: str) -> Query:
        """The question as understood against this catalog."""
        return self.namer.parse(question)


    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        """Answer one question (optionally in the context of postings a thread already discussed)."""
        if not question or not re.search(r"\w", question) or re.fullmatch(
                r"\W*(help|usage|hi|hello|hey|thanks|thank you|ty)\W*", question.strip(), re.I):
            return compose.empty_answer(question or "")
        compared = compare_question(question, self.namer, lambda q, fact, p: self.retriever.quote_for(
            q, fact, self.catalog.by_id[p.id]), [self.catalog.by_id[p] for p in context_posting_ids
                                                 if p in self.catalog.by_id])
        if compared is not None:  # "compare the Harbortide role and the Northwind role" (bot/compare.py)
            return compared
        behind, question = split_behind(question)  # "postings behind: …": the list under a market answer's figures
        query = self.namer.parse(question)
        ahead = query.intent == "general" and not query.is_list and not query.filters.any() and not query.market
        if ahead:  # likely a search over every chunk: its vector is made while the question is read further
            self.retriever.embed_ahead(query.text)
        try:
            return self._answer(query, question, behind, context_posting_ids)
        finally:
            if ahead:
                self.retriever.forget_ahead(query.text)

    def _answer(self, query: Query, question: str, behind: bool, context_posting_ids: Sequence[str]) -> Answer:
        named, company_only = self.namer.named_postings(query)
        postings = self.catalog.postings
        unknown = self.namer.unknown_words(query)
        if unknown and not (named and self.namer.company_named(query, named[0])):
            # "the Zephyrine Robotics SWE role": a name no posting has; never answer for a look-alike
            # a list question with filters may carry a stray word; a question about one posting may not
            if not (query.filters.any() and query.is_list and not self.namer.names_a_company(query, unknown)):
                words = ", ".join(f"“{w[:30]}{'…' if len(w) > 30 else ''}”" for w in unknown[:3])
                return compose.no_match_answer(
                    query, f"No indexed posting mentions {words}, so I can't answer that.")
        market = market_answer(self.catalog, self.namer, query, named, behind) if query.market else None
        if market is not None:  # figures over many postings: "what do remote Python roles pay?" (bot/market.py)
            return market

        if named and not company_only and query.is_list and not self.namer.company_named(query, named[0]):
            named = []  # "any warehouse jobs?": a list of every posting so titled, not the one found first
        if named and not company_only:
            chosen = [postings[i] for i in named]
            intent = self.namer.intent_without_mention(query, chosen)
            if intent == "general":
                return self._passages(query, chosen, lead=f"From {compose.label(chosen[0])}:")
            return self._fact(query, intent, chosen)

        if company_only and not query.is_list and query.intent != "general":
            # "can I do the Northwind job remotely?": a company named with a facet word asks a fact about
            # its postings; the facet is the question, not a filter that could leave nothing to answer about
            return self._company_fact(query, [postings[i] for i in named])

        if context_posting_ids and not query.is_list:
            context = [postings[self.catalog.by_id[p]] for p in context_posting_ids if p in self.catalog.by_id]
            if context:
                if query.intent == "general":
                    return self._passages(query, context, lead=f"From {compose.label(context[0])}:")
                return self._fact(query, query.intent, context)

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
            exclude = self.catalog.mentions.company_tokens[named[0]] if company_only else ()
            rows, subject = self.namer.titled(query, np.flatnonzero(listed | stated), exclude)
            if not query.is_list and query.intent != "general" and 0 < len(rows) <= self.top_k:
                # "what's the hourly rate for the night nurse job in Tulsa?": the filters name the posting
                return self._fact(query, query.intent, self._order(query, rows))
            if not query.is_list and query.intent != "general" and len(rows) > self.top_k:
                return compose.which_posting_answer(query, [postings[m.index] for m in self.namer.mentions(query)[:5]]
                                                    or self._order(query, rows)[: self.top_k])
            main = rows[listed[rows]]
            extra = rows[~listed[rows]]
            return compose.list_answer(query, self._order(query, main), company=company, subject=subject,
                                       related=self._order(query, extra))

        if company_only:
            chosen = [postings[i] for i in named]
            if query.is_list or query.intent == "general":
                return compose.list_answer(query, chosen, company=chosen[0].company)
            return self._fact(query, query.intent, chosen)

        if query.is_list:
            return self._word_list(query)
        return self._search(query)

    def _fact(self, query: Query, intent: str, chosen: Sequence[Posting]) -> Answer:
        """A fact about named postings; where no value was read, the posting's own sentence about it is quoted.

        "Does not state" is said only when no passage of that posting speaks of the fact (see index/cues.py).
        """
        quotes: dict[str, str] = {}
        for posting in chosen:
            value, _items = compose.fact_for(intent, posting)
            if value is None and posting.id in self.catalog.by_id:
                quote = self.retriever.quote_for(query, intent, self.catalog.by_id[posting.id])
                if quote:
                    quotes[posting.id] = quote
        return compose.fact_answer(query, intent, list(chosen), quotes)

    def _company_fact(self, query: Query, chosen: list[Posting]) -> Answer:
        """A fact question about a named company's postings, narrowed by a place or language it names."""
        f = query.filters
        narrowing = Filters(states=f.states, cities=f.cities, languages=f.languages)
        if narrowing.any():
            mask = self.catalog.filter_mask(narrowing, stated=True)
            narrowed = [p for p in chosen if mask[self.catalog.by_id[p.id]]]
            chosen = narrowed or chosen
        return self._fact(query, query.intent, chosen)

    def _word_list(self, query: Query) -> Answer:
        """A list question without structured filters: postings whose title, else text, has the subject words."""
        c = self.catalog
        subjects = self.namer.subjects(query)
        words = " ".join(s.shown for s in subjects)
        if not subjects and query.wants_count is False and re.search(r"\bhow many\b", query.text, re.I):
            query.wants_count = True
        if not subjects and (query.wants_count or re.search(r"\b(all|every)\b", query.text, re.I)):
            return compose.list_answer(query, c.postings)  # "how many postings are there?"
        if not subjects:
            return compose.no_match_answer(
                query, "Tell me what to look for: a role, a company, a language or a filter such as “remote”.")
        titled = self.namer.without_negated(query, self.namer.titles_with(subjects))
        if titled:
            return compose.list_answer(query, PostingRows(c.postings, titled), subject=words)
        rows = self.namer.text_rows(subjects)
        if len(rows):
            return compose.list_answer(query, PostingRows(c.postings, rows), subject=words, in_text=True)
        return compose.no_match_answer(query, f"No posting mentions {words}.")

    def _order(self, query: Query, rows: np.ndarray) -> Sequence[Posting]:
        """Matching postings, by salary when pay was asked about, else in index order (read when shown)."""
        c = self.catalog
        if query.filters.salary_over is not None or query.filters.salary_floor is not None or query.intent == "salary":
            key = np.nan_to_num(c.stated.salary_max_y[rows], nan=-1.0)
            rows = rows[np.argsort(-key, kind="stable")]
        return PostingRows(c.postings, rows)

    def _passages(self, query: Query, chosen: list[Posting], lead: str) -> Answer:
        c = self.catalog
        wanted = np.array([c.by_id[p.id] for p in chosen])
        rows = np.flatnonzero(np.isin(c.chunk_posting, wanted))
        quotes: dict[str, list[str]] = {}
        names = {t for p in chosen for t in keyword_tokens(f"{p.title} {p.company}")}
        focused = copy.copy(query)
        focused.text = " ".join(t for t in keyword_tokens(query.text) if t not in names) or query.text
        for row in self.retriever.rank_chunks(focused, rows):
            pid = c.postings[c.chunk_posting[row]].id
            if pid not in quotes:
                quotes[pid] = self.retriever.best_sentences(focused, c.chunk_texts[row], ignore=names)
        for p in chosen:
            quotes.setdefault(p.id, split_sentences(p.text)[:1])
        return compose.passages_answer(query, chosen, quotes, lead)

    def _search(self, query: Query) -> Answer:
        """No posting named and no filter: the postings whose text best matches, by hybrid retrieval."""
        c = self.catalog
        if c.chunk_count == 0:
            return compose.no_match_answer(query, "The index has no postings yet.")
        if query.intent != "general":
            # a fact about no particular posting: never guess which one; offer the closest by name
            weak = [c.postings[m.index] for m in self.namer.mentions(query)[: self.top_k]]
            if weak:
                return compose.which_posting_answer(query, weak)
        ranking = self.retriever.search(query)
        chosen: list[int] = []
        for row in ranking.rows[:200]:
            pi = int(c.chunk_posting[row])
            if pi not in chosen:
                chosen.append(pi)
            if len(chosen) >= self.top_k:
                break
        if not ranking.any_keyword and ranking.best_dense < 0.35:
            return compose.no_match_answer(
                query, "No posting matches that question. Try naming the company or the role, or ask e.g. "
                "“which roles want Python?”.")
        postings = [c.postings[i] for i in chosen]
        if query.intent != "general":
            return compose.which_posting_answer(query, postings)
        return self._passages(query, postings, lead="The closest matching postings:")


