"""Block Kit for a market answer (bot/market.py): the figures, and a "Show postings" button (pure).

The button asks for the postings behind the figures ("postings behind: <question>"), answered as a list answer
with its own More button, so every number can be checked.
"""

from __future__ import annotations

from typing import Any

from bot.answer import Answer
from bot.query.market_words import behind
from bot.slack.blocks import (
    FEEDBACK_DOWN_ACTION, FEEDBACK_UP_ACTION, MAX_SECTION_CHARS, SHARE_ACTION, _button, _context, _fallback, _section,
    button_value, feedback_value,
)
from bot.slack.mrkdwn import escape, split_escaped, tidy, user_mention

SHOW_POSTINGS_ACTION = "postings_show_behind"
CHART_NOTE = "chart in the thread"


def market_blocks(answer: Answer, index_age: str = "", *, ephemeral: bool = False, show_question: bool = False,
                  shared_by: str | None = None, chart: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """The figures as sections, a context line and the buttons: Show postings, Share (ephemeral), thumbs.

    Args:
        answer: a market answer (its text holds the figures).
        index_age: e.g. "updated 3 hours ago" ('' to leave it out).
        ephemeral: add a "Share in channel" button.
        show_question: echo the question (slash-command answers).
        shared_by: a Slack user id, for "Shared by <@U…>".
        chart: say that the chart follows in the thread.
    """
    blocks: list[dict[str, Any]] = []
    if show_question and answer.question.strip():
        blocks.append(_context(f"*Q:* {escape(answer.question[:300])}"))
    blocks.extend(_section(piece) for piece in split_escaped(tidy(answer.text.strip()), MAX_SECTION_CHARS)[:45])
    footer = [CHART_NOTE] if chart else []
    if index_age:
        footer.append(f"index {escape(index_age)}")
    if shared_by:
        footer.append(f"Shared by {user_mention(shared_by)}")
    buttons: list[dict[str, Any]] = []
    value = button_value(behind(answer.question), 0)
    if answer.total and value is not None:
        buttons.append(_button(f"Show postings ({answer.total})", SHOW_POSTINGS_ACTION, value))
    if ephemeral:
        shared = button_value(answer.question, 0)
        if shared is not None:
            buttons.append(_button("Share in channel", SHARE_ACTION, shared, style="primary"))
    if answer.question.strip():
        rating = feedback_value(answer.question)
        buttons += [_button("👍", FEEDBACK_UP_ACTION, rating), _button("👎", FEEDBACK_DOWN_ACTION, rating)]
    if footer:
        blocks.append(_context(" · ".join(footer)))
    if buttons:
        blocks.append({"type": "actions", "block_id": "postings_market_actions", "elements": buttons})
    return _fallback(answer.text), blocks


def chart_note(where: str, error: str = "", dm: bool = False) -> str:
    """Where a slash command's chart went, for its private reply: IN_CHANNEL, IN_DM, or nowhere (Slack's error).

    >>> chart_note("dm")
    "chart sent to you in a DM (I can't post in this channel)"
    """
    if where == "channel":
        return "chart posted in this DM" if dm else "chart posted in this channel"
    if where == "dm":
        return "chart sent to you in a DM (I can't post in this channel)"
    hint = ": the app needs the files:write scope" if error == "missing_scope" else ""
    return f"I couldn't upload the chart ({escape(error or 'unknown')}){hint}"


def with_chart_note(blocks: list[dict[str, Any]], note: str) -> list[dict[str, Any]]:
    """The blocks of `market_blocks(..., chart=True)` with CHART_NOTE replaced by `note` (mrkdwn)."""
    out = []
    for block in blocks:
        if block.get("type") == "context":
            elements = [{**e, "text": e["text"].replace(CHART_NOTE, note, 1)} if e.get("type") == "mrkdwn"
                        and e.get("text", "").startswith(CHART_NOTE) else e for e in block.get("elements", [])]
            block = {**block, "elements": elements}
        out.append(block)
    return out


def is_market(answer: Answer) -> bool:
    """True for an answer with figures over many postings."""
    return answer.intent == "market"
