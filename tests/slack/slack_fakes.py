"""Small real fakes for the Slack tests: postings, engines, an inline executor, ack/client/response_url recorders."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Sequence

from bot.answer import ANSWERED, NO_MATCH, NOT_STATED, Answer, EvidenceItem, format_salary
from bot.engine import IndexStats, IndexUnavailable
from index.models import Fact, Facts, Posting, Salary

EVIL = "<!channel> <!here> <@U123> <https://evil.example|click>"


def posting(pid: str, title: str, company: str, *, location: str = "", url: str = "", remote: str | None = None,
            salary: Salary | None = None, text: str = "") -> Posting:
    """A Posting with the facts a card shows, each with its supporting sentence."""
    facts = Facts()
    sentences = [text] if text else []
    if remote:
        sentence = f"This role is {remote}."
        facts.remote = Fact(remote, sentence)
        sentences.append(sentence)
    if salary:
        sentence = f"The salary is {format_salary(salary)}."
        facts.salary = Fact(salary, sentence)
        sentences.append(sentence)
    return Posting(id=pid, title=title, company=company, text=" ".join(sentences), location=location, url=url,
                   facts=facts)


def sample_postings() -> list[Posting]:
    """Two ordinary postings, one whose every field tries to ping or plant a link, and 25 more for lists."""
    backend = posting("acme-backend", "Backend Engineer", "Acme", location="Berlin", url="https://jobs.acme.test/1",
                      remote="hybrid", salary=Salary(70000, 90000, "EUR", "yearly"))
    analyst = posting("globex-analyst", "Data Analyst", "Globex", location="London", remote="remote")
    evil = posting("evil-ops", f"Ops Lead {EVIL}", f"Evil & Co {EVIL}", location=f"Anywhere {EVIL}",
                   url="https://evil.example/job?a=1&b=<2>|x", remote="remote",
                   text=f"Ping everyone {EVIL} now.")
    many = [posting(f"python-{i:02d}", f"Python Developer {i}", f"Company {i}", location="Remote", remote="remote")
            for i in range(25)]
    return [backend, analyst, evil] + many


class FakeEngine:
    """Answers a few kinds of questions from real Postings with real Answers, and records what it was asked."""

    def __init__(self, postings: Sequence[Posting] | None = None, built_at: datetime | None = None):
        self.postings = list(postings if postings is not None else sample_postings())
        self.by_id = {p.id: p for p in self.postings}
        self.built_at = built_at or datetime.now(timezone.utc) - timedelta(hours=3)
        self.asked: list[tuple[str, tuple[str, ...]]] = []
        self._lock = threading.Lock()

    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        with self._lock:
            self.asked.append((question, tuple(context_posting_ids)))
        q = question.lower()
        named = [p for p in self.postings if p.company.split()[0].lower() in q]
        context = [self.by_id[i] for i in context_posting_ids if i in self.by_id]
        if "python" in q:
            found = [p for p in self.postings if "python" in p.title.lower()]
            return Answer(question, "list", ANSWERED, f"{len(found)} postings mention Python.", found,
                          [EvidenceItem(p.id, p.facts.remote.evidence) for p in found], total=len(found), is_list=True)
        chosen = named or context
        if not chosen:
            return Answer(question, "general", NO_MATCH, "No posting matches that question.")
        p = chosen[0]
        if "remote" in q:
            if p.facts.remote is None:
                return Answer(question, "remote", NOT_STATED, f"{p.title} at {p.company} does not say whether it is "
                              "remote.", [p], total=1)
            return Answer(question, "remote", ANSWERED, f"{p.title} at {p.company} is {p.facts.remote.value}.", [p],
                          [EvidenceItem(p.id, p.facts.remote.evidence)], total=1)
        if p.facts.salary is None:
            return Answer(question, "salary", NOT_STATED, f"{p.title} at {p.company} does not state a salary.", [p],
                          total=1)
        return Answer(question, "salary", ANSWERED,
                      f"{p.title} at {p.company} pays {format_salary(p.facts.salary.value)}.", [p],
                      [EvidenceItem(p.id, p.facts.salary.evidence)], total=1)

    def stats(self) -> IndexStats:
        chunks = sum(1 for _ in self.postings) * 3
        return IndexStats(postings=len(self.postings), chunks=chunks, built_at=self.built_at, generation=1)


class GatedEngine:
    """Delegates to an engine, but ask() waits until the test opens the gate (to prove acks don't wait)."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.gate = threading.Event()
        self.waiting = threading.Event()

    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        self.waiting.set()
        if not self.gate.wait(timeout=30):
            raise TimeoutError("the test never opened the gate")
        return self.inner.ask(question, context_posting_ids)

    def stats(self) -> IndexStats:
        return self.inner.stats()


class BrokenEngine:
    """An engine whose ask() (and stats(), unless told otherwise) raises the given exception."""

    def __init__(self, error: Exception, stats_work: bool = False):
        self.error = error
        self.stats_work = stats_work

    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer:
        raise self.error

    def stats(self) -> IndexStats:
        if self.stats_work:
            return IndexStats(postings=3, chunks=9, built_at=None, generation=1)
        raise self.error


def unavailable_engine() -> BrokenEngine:
    """The index is missing."""
    return BrokenEngine(IndexUnavailable("The postings index has not been built yet (run `postings-index rebuild`)."))


class InlineExecutor:
    """An Executor that runs each job at once, in the caller's thread (for handler tests)."""

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as err:  # noqa: BLE001 (a Future carries it, like a real executor)
            future.set_exception(err)
        return future


@dataclass
class FakeAck:
    """Records what ack() was called with."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, text: str = "", blocks: Any = None, response_type: str | None = None, **kw: Any) -> None:
        self.calls.append({"text": text, "blocks": blocks, "response_type": response_type, **kw})


@dataclass
class FakeClient:
    """Records chat.postMessage / chat.update calls like a WebClient would send them."""

    posts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    fail_with: str | None = None

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802 (slack_sdk's naming)
        if self.fail_with:
            from slack_sdk.errors import SlackApiError

            raise SlackApiError("failed", {"ok": False, "error": self.fail_with})
        self.posts.append(kwargs)
        return {"ok": True, "ts": f"1700000001.{len(self.posts):06d}"}

    def chat_update(self, **kwargs: Any) -> dict[str, Any]:
        self.updates.append(kwargs)
        return {"ok": True}


@dataclass
class FakeResponseUrls:
    """Stands in for ResponseUrl: records (url, message) for every post."""

    sent: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, url: str | None) -> Callable[[dict[str, Any]], bool]:
        def post(message: dict[str, Any]) -> bool:
            self.sent.append((url, message))
            return True

        return post
