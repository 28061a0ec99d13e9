"""Saved searches ("watch remote python over 150k"): the command words, the confirmation, and which postings of a
new generation match (pure: a Namer over the new catalog in, rows and words out; no Slack, no database)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from bot.catalog import Catalog
from bot.compose import describe_filters
from bot.naming import Namer
from index.models import Posting

NOTICE_CAP = 10  # postings listed in one notification; the rest are counted

_WATCH = re.compile(r"^\s*watch\b\s*(?P<question>.*?)\s*$", re.I | re.S)
_WATCHES = re.compile(r"^\s*(?:my\s+)?(?:watches|saved searches|watching)\s*[?.!]?\s*$", re.I)
_UNWATCH = re.compile(r"^\s*(?:unwatch|stop watching)\b\s*#?(?P<number>\S*)\s*$", re.I)
_HERE = re.compile(r"\s+(?:here|in here|in this channel)\s*[.!]?\s*$", re.I)


@dataclass(frozen=True)
class WatchCommand:
    """What a watch command asks: save a search, list them, or remove one (by its number in the list)."""

    action: str  # "watch", "watches" or "unwatch"
    question: str = ""
    here: bool = False  # "watch … here": post the notifications in the channel, not in a DM
    number: int | None = None  # unwatch N (1-based); None when no number was given


def parse_command(text: str) -> WatchCommand | None:
    """The watch command in a slash command's or a mention's text; None when the text is a question.

    >>> parse_command("watch remote python over 150k here")
    WatchCommand(action='watch', question='remote python over 150k', here=True, number=None)
    """
    text = text or ""
    if _WATCHES.match(text):
        return WatchCommand("watches")
    m = _UNWATCH.match(text)
    if m:
        number = m.group("number")
        return WatchCommand("unwatch", number=int(number) if number.isdigit() else None)
    m = _WATCH.match(text)
    if not m:
        return None
    question = m.group("question")
    here = bool(_HERE.search(" " + question))
    if here:
        question = _HERE.sub("", " " + question).strip()
    return WatchCommand("watch", question=question, here=here)


def describe(namer: Namer, question: str) -> str:
    """The saved search in the words of a list answer: 'titled “nurse”, remote, wanting Python'; '' when the
    question names nothing to look for (no filter and no subject word)."""
    query = namer.parse(question)
    subject = " ".join(namer.subject_words(query))
    return ", ".join(x for x in (f"titled “{subject}”" if subject else "", describe_filters(query.filters)) if x)


def confirmation(what: str, where: str) -> str:
    """'I'll tell you about new postings (remote, wanting Python, …) in a DM.'"""
    return f"I'll tell you about new postings ({what}) {where}."


def changed_rows(catalog: Catalog, postings_tags: dict[str, str], generation: int) -> np.ndarray:
    """Rows of the catalog added or changed in `generation`: those whose manifest tag was written in it
    (index.store.make_tag ends every tag with the generation that wrote it)."""
    suffix = f"-g{generation}"
    return np.array([i for i, p in enumerate(catalog.postings) if postings_tags.get(p.id, "").endswith(suffix)],
                    dtype=int)


def matching(namer: Namer, question: str, rows: Sequence[int]) -> list[int]:
    """The rows (of those given) a saved search matches, read as the list question it is: its filters (a listing
    field or the text stating it), narrowed to titles with its subject words; without filters, titles with the
    subject words (the text when no title of the catalog has them)."""
    catalog = namer.catalog
    rows = np.asarray(rows, dtype=int)
    if not len(rows):
        return []
    query = namer.parse(question)
    if query.filters.any():
        mask = catalog.filter_mask(query.filters) | catalog.filter_mask(query.filters, stated=True)
        found, _subject = namer.titled(query, rows[mask[rows]])
        return sorted(int(i) for i in found)
    subjects = namer.subjects(query)
    if not subjects:
        return []
    if namer.titles_with(subjects):
        return sorted(namer.without_negated(query, namer.titles_with(subjects, rows)))
    return sorted(int(i) for i in np.intersect1d(namer.text_rows(subjects), rows))


@dataclass
class Notice:
    """One notification: the saved search and the new postings it matches (at most the cap; `more` beyond it)."""

    question: str
    postings: list[Posting] = field(default_factory=list)
    more: int = 0

    @property
    def total(self) -> int:
        return len(self.postings) + self.more


def notice_for(question: str, postings: Sequence[Posting], cap: int = NOTICE_CAP) -> Notice:
    """The notification for matches: the first `cap` listed, the rest counted."""
    return Notice(question, list(postings[:cap]), max(0, len(postings) - cap))


def notice_headline(notice: Notice) -> str:
    """'2 new postings match your saved search “remote python over 150k”:'."""
    noun = "posting matches" if notice.total == 1 else "postings match"
    return f"{notice.total} new {noun} your saved search “{notice.question}”:"


class DeliveryRefused(Exception):
    """Slack will not take this search's notifications (channel_not_found, not_in_channel, user_not_found):
    the search is paused, never retried."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def generation_key(generation: int, built_at: str) -> str:
    """The key notifications are claimed on: a generation and its build time (a lost index restarts at 1)."""
    return f"{generation}@{built_at}"


def notify_generation(store, catalog: Catalog, postings_tags: dict[str, str], generation: int, built_at: str,
                      send, claims: Sequence = (), log=None, cap: int = NOTICE_CAP) -> int:
    """Send each saved search its new matches in a generation, once; returns how many notifications were sent.

    Args:
        store: a bot.watch_store.WatchStore (active(), claim(), release(), pause()).
        catalog: the generation's catalog; postings_tags: its manifest's posting id -> tag.
        send: send(search, notice); raises DeliveryRefused to pause the search, anything else to retry later.
        claims: more claimers (bot.watch_store.RedisClaims) that must all agree before a send.

    Only the postings the generation added or changed are matched, and only against searches saved before it
    was loaded (a replica restarting re-runs the generation it loads: claims keep that from sending twice).
    A send that fails for a passing reason gives its claims back.
    """
    import logging

    log = log or logging.getLogger(__name__)
    rows = changed_rows(catalog, postings_tags, generation)
    if not len(rows):
        return 0
    key = generation_key(generation, built_at)
    namer = Namer(catalog)
    sent = 0
    for search in store.active():
        if generation <= search.after_generation:
            continue
        found = matching(namer, search.question, rows)
        if not found:
            continue
        claimers = [store, *claims]
        taken = []
        for claimer in claimers:
            if not claimer.claim(search.id, key):
                break
            taken.append(claimer)
        if len(taken) < len(claimers):
            for claimer in taken[1:]:  # another replica holds it; keep the database row, give the rest back
                claimer.release(search.id, key)
            continue
        try:
            send(search, notice_for(search.question, [catalog.postings[i] for i in found], cap))
        except DeliveryRefused as err:
            store.pause(search.id, err.reason)
            log.warning("saved search %s paused: Slack refused its notification (%s)", search.id, err.reason)
            continue
        except Exception as err:
            for claimer in taken:
                claimer.release(search.id, key)
            log.warning("notification for saved search %s failed (%s); it will be tried again",
                        search.id, type(err).__name__)
            continue
        sent += 1
    return sent
