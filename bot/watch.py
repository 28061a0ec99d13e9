"""Saved searches ("watch remote python over 150k"): the command words, the confirmation, and which postings of a
new generation match (a Namer over the new catalog in, rows and words out), and the notifier that sends each
saved search its matches exactly once (the store and the Slack calls are passed in)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from bot.catalog import Catalog
from bot.compose import describe_filters
from bot.naming import Namer
from bot.watch_store import CLAIM_LEASE_SECONDS
from index.models import Posting

NOTICE_CAP = 10  # postings listed in one notification; the rest are counted

_WATCH = re.compile(r"^\s*watch\b(?:\s*:|\s+(?P<lead>out\s+for|for)\b)?\s*(?P<question>.*?)\s*$", re.I | re.S)
_WATCHES = re.compile(r"^\s*(?:my\s+)?(?:watches|saved searches|watching)\s*[?.!]?\s*$", re.I)
_UNWATCH = re.compile(r"^\s*(?:unwatch|stop watching)\b\s*#?(?P<number>\S*)\s*$", re.I)
_HERE = re.compile(r"\s+(?:here|in here|in this channel)\s*[.!]?\s*$", re.I)

# What makes "watch …" a question rather than a command. A command is an imperative: it never ends in a question
# mark and does not go on with a question word. And "watch" is also a noun: the words below follow it in the
# names of trades and jobs (the watch trade: watch repairer, watch technician, watch assembly; shifts on duty:
# watch officer, watch keeper, watch commander), so "watch repair jobs" asks for repair jobs at watchmakers.
# "watch for …" and "watch out for …" are always commands (say "watch for repair jobs" to save that search).
QUESTION_WORDS = frozenset("what which who whom whose where when why how is are was were do does did can could "
                           "should would will".split())
WATCH_COMPOUNDS = frozenset("""
    repair repairs repairer repairers repairing repairman maker makers making technician technicians tech techs
    specialist specialists assembler assemblers assembly servicing servicer movement movements dial dials case cases
    strap straps band bands bracelet bracelets parts polisher polishers engraver engravers finisher finishers
    collector collectors dealer dealers shop shops store stores boutique boutiques brand brands industry
    officer officers keeper keepers keeping stander standers commander commanders supervisor supervisors
    """.split())


def is_watch_command(rest: str, lead: str | None = None) -> bool:
    """Whether the words after a leading "watch" make it a command (see QUESTION_WORDS, WATCH_COMPOUNDS).

    >>> is_watch_command("remote python over 150k"), is_watch_command("repair jobs")
    (True, False)
    """
    words = re.findall(r"[\w'-]+", rest.lower())
    if rest.rstrip().endswith("?"):
        return False
    if lead:  # "watch for …", "watch out for …"
        return True
    return not words or (words[0] not in QUESTION_WORDS and words[0] not in WATCH_COMPOUNDS)


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
    if not m or not is_watch_command(m.group("question"), m.group("lead")):
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


def written_in(postings_tags: dict[str, str], generation: int) -> set[str]:
    """The posting ids a generation wrote (index.store.make_tag ends every tag with the generation that wrote it):
    the postings it added or changed, and every posting after `rebuild --full`, a new model or new extraction
    code (those re-write unchanged postings too)."""
    suffix = f"-g{generation}"
    return {pid for pid, tag in postings_tags.items() if tag.endswith(suffix)}


def changed_rows(catalog: Catalog, postings_tags: dict[str, str], generation: int, store=None,
                 key: str | None = None) -> np.ndarray:
    """Rows of the catalog whose content is new or changed in `generation`.

    Without a store: the postings the generation wrote (their manifest tags). With one: the postings whose
    content hash (index.models.Posting.content_hash: title, company, place, link, text, date, columns) differs
    from the one the store last recorded, so a rebuild that re-writes unchanged postings brings nothing new,
    and postings added in a generation no replica loaded are still caught by the next one."""
    if store is None:
        written = written_in(postings_tags, generation)
        return np.array([i for i, p in enumerate(catalog.postings) if p.id in written], dtype=int)
    versions = {p.id: p.content_hash for p in catalog.postings}
    changed = store.changed_postings(versions, key or str(generation), written_in(postings_tags, generation))
    return np.array([i for i, p in enumerate(catalog.postings) if p.id in changed], dtype=int)


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
    """One notification, or one page of it: the saved search, its matches on this page (at most the cap), how
    many come after the page (`more`), and where the page starts; `search_id` and `generation` (the claim's key)
    name the notification in Slack's message metadata and in its More button."""

    question: str
    postings: list[Posting] = field(default_factory=list)
    more: int = 0
    search_id: int = 0
    generation: str = ""
    offset: int = 0
    gone: int = 0  # matches no longer in the catalog (a later rebuild removed them): left out of the page

    @property
    def total(self) -> int:
        return self.offset + len(self.postings) + self.more + self.gone

    @property
    def next_offset(self) -> int:
        """Where the page after this one starts."""
        return self.offset + len(self.postings) + self.gone


def notice_for(question: str, postings: Sequence[Posting], cap: int = NOTICE_CAP, search_id: int = 0,
               generation: str = "") -> Notice:
    """The notification for matches: the first `cap` listed, the rest counted."""
    return Notice(question, list(postings[:cap]), max(0, len(postings) - cap), search_id, generation)


def notice_page(question: str, posting_ids: Sequence[str], catalog: Catalog, offset: int, cap: int = NOTICE_CAP,
                search_id: int = 0, generation: str = "") -> Notice:
    """The page of a notification's matches (`posting_ids`, as its claim recorded them) from `offset`, read from
    the current catalog; ids it no longer holds are counted as gone."""
    offset = max(0, min(offset, len(posting_ids)))
    page = list(posting_ids[offset:offset + cap])
    found = [catalog.postings[catalog.by_id[i]] for i in page if i in catalog.by_id]
    return Notice(question, found, max(0, len(posting_ids) - offset - len(page)), search_id, generation, offset,
                  gone=len(page) - len(found))


def notice_headline(notice: Notice) -> str:
    """'2 new postings match your saved search “remote python over 150k”:'; a later page says which part it is:
    'New postings 11–20 of 25 for your saved search “…”:'."""
    if notice.offset:
        last = notice.offset + len(notice.postings) + notice.gone
        return (f"New postings {notice.offset + 1}–{last} of {notice.total} for your saved search "
                f"“{notice.question}”:")
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


@dataclass
class NotifyResult:
    """What one run over a generation did, per saved search with new matches."""

    sent: int = 0  # notifications posted
    recovered: int = 0  # found already in Slack (posted by a run that crashed before recording it) and recorded
    pending: int = 0  # held by another run, or given back after a passing failure: look again after the lease
    paused: int = 0  # Slack refused them: the search is paused


def notify_generation(store, catalog: Catalog, postings_tags: dict[str, str], generation: int, built_at: str,
                      send, claims: Sequence = (), log=None, cap: int = NOTICE_CAP, find_sent=None,
                      clock=time.time, lease: float = CLAIM_LEASE_SECONDS) -> NotifyResult:
    """Send each saved search its new matches in a generation, exactly once.

    Args:
        store: a bot.watch_store.WatchStorage (SQLite or PostgreSQL).
        catalog: the generation's catalog; postings_tags: its manifest's posting id -> tag.
        send: send(search, notice) posts the notification and returns its message ts; raises DeliveryRefused
            to pause the search, anything else to retry later.
        claims: more claimers (bot.watch_store.RedisClaims) that must all agree before a send.
        find_sent: find_sent(search, notice, since) -> the ts of this notification if it is already in Slack
            (asked before sending a claim taken over from a run that crashed or failed), else None.
        clock, lease: the time (epoch seconds) and how long a claim is held before another run may take it over.

    Returns:
        NotifyResult; `pending` > 0 means another run held a claim or a send failed: run again after the lease.

    Only postings whose content is new or changed in the generation are matched, and only against searches saved
    before it was loaded (a replica restarting re-runs the generation it loads: claims keep that from sending
    twice; a claim its crash left behind is taken over once its lease ran out).
    """
    import logging

    log = log or logging.getLogger(__name__)
    key = generation_key(generation, built_at)
    result = NotifyResult()
    rows = changed_rows(catalog, postings_tags, generation, store, key)
    if not len(rows):
        return result
    namer = Namer(catalog)
    for search in store.active():
        if generation <= search.after_generation:
            continue
        found = matching(namer, search.question, rows)
        if found:
            _deliver(store, [catalog.postings[i].id for i in found], search, key, catalog, send, claims, find_sent,
                     clock, lease, cap, result, log)
    return result


def _deliver(store, ids: list[str], search, key: str, catalog: Catalog, send, claims: Sequence, find_sent, clock,
             lease: float, cap: int, result: NotifyResult, log) -> None:
    """Claim, look in Slack when taking over, send, record: one saved search's notification for one generation."""
    claim = store.claim(search.id, key, ids, clock(), lease)
    if not claim.granted:
        result.pending += claim.held
        return
    taken, taken_over, since = [store], claim.taken_over, claim.first_claimed
    for claimer in claims:
        other = claimer.claim(search.id, key, ids, clock(), lease)
        if not other.granted:
            if other.held:  # another replica is sending it: give ours back, look again after the lease
                for held in taken:
                    held.release(search.id, key)
                result.pending += 1
            else:  # another replica sent it
                for held in taken:
                    held.mark_sent(search.id, key)
            return
        taken.append(claimer)
        taken_over = taken_over or other.taken_over
        since = min(since, other.first_claimed or since)
    ids = claim.posting_ids or ids  # a takeover lists what the first claim listed (the More button pages them)
    notice = notice_page(search.question, ids, catalog, 0, cap, search.id, key)
    try:
        ts = find_sent(search, notice, since) if taken_over and find_sent is not None else None
        if ts:
            for held in taken:
                held.mark_sent(search.id, key, ts)
            result.recovered += 1
            log.info("saved search %s: the notification for %s was already in Slack; recorded it", search.id, key)
            return
        ts = send(search, notice)
    except DeliveryRefused as err:
        for held in taken:
            held.release(search.id, key)
        store.pause(search.id, err.reason)
        result.paused += 1
        log.warning("saved search %s paused: Slack refused its notification (%s)", search.id, err.reason)
        return
    except Exception as err:
        for held in taken:
            held.release(search.id, key)
        result.pending += 1
        log.warning("notification for saved search %s failed (%s); it will be tried again", search.id,
                    type(err).__name__)
        return
    for held in taken:
        held.mark_sent(search.id, key, ts)
    result.sent += 1
