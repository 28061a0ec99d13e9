"""Question -> the message to send: the engine's answer rendered, or why there is none."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Sequence

from bot.engine import IndexUnavailable
from bot.metrics import SURFACE
from bot.slack import blocks
from bot.slack.market_blocks import is_market, market_blocks
from bot.slack.mrkdwn import age_phrase
from bot.slack.uploads import ChartFile, chart_file

MAX_QUESTION_CHARS = 2000
log = logging.getLogger("bot.slack")


@dataclass
class Reply:
    """A message ready for Slack, and the postings it is about (for the thread's memory)."""

    text: str
    blocks: list[dict[str, Any]]
    posting_ids: list[str] = field(default_factory=list)
    status: str = "answered"  # the Answer's status, or "unavailable", "error", "refused"
    chart: ChartFile | None = None  # a market answer's chart, to upload in the answer's thread

    def message(self, **extra: Any) -> dict[str, Any]:
        """The chat.postMessage / response_url body."""
        return {"text": self.text, "blocks": self.blocks, **extra}


def new_reference() -> str:
    """A short id that ties an apology in Slack to the log line with the details."""
    return uuid.uuid4().hex[:8]


STALE_NOTE = "may be out of date"


def index_age(engine: Any) -> str:
    """'updated 3 hours ago', or '' when the engine cannot say; '… — may be out of date' once the engine
    has been unable to refresh its index for longer than its set age (a shorter outage says nothing)."""
    try:
        stats = engine.stats()
    except Exception:
        return ""
    age = age_phrase(stats.built_at)
    if getattr(stats, "stale_notice", False):
        return f"{age} — {STALE_NOTE}" if age else STALE_NOTE
    return age


def answer_reply(
    engine: Any,
    question: str,
    *,
    context_posting_ids: Sequence[str] = (),
    page: int = 0,
    page_size: int = 10,
    ephemeral: bool = False,
    show_question: bool = False,
    shared_by: str | None = None,
    surface: str = "slack",
    with_chart: bool = False,
) -> Reply:
    """Ask the engine and render the answer; never raises: errors become a reply saying why."""
    question = question.strip()
    if len(question) > MAX_QUESTION_CHARS:
        text, blks = blocks.notice_blocks(
            f"That question is {len(question):,} characters long — please ask it in under "
            f"{MAX_QUESTION_CHARS:,} characters (one question about the postings)."
        )
        return Reply(text, blks, status="refused")
    token = SURFACE.set(surface)
    try:
        answer = engine.ask(question, tuple(context_posting_ids))
        age = index_age(engine)
        chart = chart_file(answer) if with_chart else None
        if is_market(answer):  # figures over many postings (bot/market.py), the chart uploaded after
            text, blks = market_blocks(answer, age, ephemeral=ephemeral, show_question=show_question,
                                       shared_by=shared_by, chart=chart is not None)
        else:
            text, blks = blocks.answer_blocks(
                answer, page=page, page_size=page_size, index_age=age, ephemeral=ephemeral,
                show_question=show_question, shared_by=shared_by, context_posting_ids=context_posting_ids,
            )
    except Exception as err:  # noqa: BLE001 (nothing is silent: every failure becomes a reply)
        return failure_reply(err, f"answering a question of {len(question)} characters")
    finally:
        SURFACE.reset(token)
    _, start, end = blocks.page_bounds(len(answer.postings), page, page_size)
    return Reply(text, blks, [p.id for p in answer.postings[start:end]], status=answer.status, chart=chart)


def stats_reply(engine: Any) -> Reply:
    """How many postings are indexed and when the index was rebuilt, or why that is unknown."""
    try:
        text, blks = blocks.stats_blocks(engine.stats())
    except Exception as err:  # noqa: BLE001
        return failure_reply(err, "reading the index stats")
    return Reply(text, blks, status="stats")


def failure_reply(err: Exception, doing: str) -> Reply:
    """The reply for a failure: the index is unavailable (say so), or an apology with a reference id."""
    if isinstance(err, IndexUnavailable):
        log.warning("index unavailable: %s", err)
        text, blks = blocks.unavailable_blocks(str(err))
        return Reply(text, blks, status="unavailable")
    reference = new_reference()
    log.error("%s failed (reference %s)", doing, reference, exc_info=err)
    text, blks = blocks.error_blocks(reference)
    return Reply(text, blks, status="error")
