"""Block Kit messages built from data by pure functions: answers, help, stats, errors, declines.

Every function returns (text, blocks): `text` is the plain fallback Slack uses for notifications
and screen readers. Everything that comes from postings or users is escaped and sent with
`"verbatim": true`, so a posting containing `<!channel>` shows as text and pings no one.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Sequence

from bot.answer import Answer, EvidenceItem, format_salary
from bot.slack.mrkdwn import (
    age_phrase, escape, link, one_line, split_escaped, tidy, truncate_escaped, user_mention,
)
from index.models import Posting

MAX_BLOCKS = 50
MAX_SECTION_CHARS = 3000
MAX_TEXT_CHARS = 40000
MAX_BUTTON_VALUE = 2000
MAX_FIELDS = 4  # postings compared side by side (Slack allows 10 fields a section)
MAX_FIELD_CHARS = 2000
FIELD_VALUE_CHARS = 400
QUOTE_CHARS = 300
QUOTES_PER_CARD = 3
TITLE_CHARS = 150
NAME_CHARS = 100
QUESTION_CHARS = 300

# action ids of the buttons (the listeners in bot/slack/listeners/actions.py match on them)
MORE_ACTION = "postings_more"
SHARE_ACTION = "postings_share"
FEEDBACK_UP_ACTION = "postings_feedback_up"
FEEDBACK_DOWN_ACTION = "postings_feedback_down"

UNAVAILABLE_TEXT = "The postings index is unavailable right now — try again shortly."
DECLINED_TEXT = "Sorry — I'm not enabled for this workspace or channel, so I can't answer here."
REMOTE_LABELS = {"remote": "Remote", "hybrid": "Hybrid", "on-site": "On-site"}


def _mrkdwn(text: str, verbatim: bool = True) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text, "verbatim": verbatim}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": _mrkdwn(text)}


def _context(*texts: str) -> dict[str, Any]:
    return {"type": "context", "elements": [_mrkdwn(t) for t in texts if t]}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _fallback(text: str) -> str:
    """The top-level text: escaped too (Slack parses it as mrkdwn), within the message limit."""
    return truncate_escaped(one_line(text), MAX_TEXT_CHARS - 100)


def button_value(question: str, page: int, context_posting_ids: Sequence[str] = ()) -> str | None:
    """The JSON a More/Share button carries, or None when it would not fit Slack's 2,000 characters."""
    data: dict[str, Any] = {"q": question, "p": page}
    if context_posting_ids:
        data["c"] = list(context_posting_ids)
    value = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return value if len(value) <= MAX_BUTTON_VALUE else None


def parse_button_value(value: str) -> tuple[str, int, list[str]]:
    """(question, page, context posting ids) from a button's value; ('', 0, []) when malformed."""
    try:
        data = json.loads(value or "")
        question = str(data.get("q", ""))
        page = max(0, int(data.get("p", 0)))
        context = [str(c) for c in data.get("c", []) if isinstance(c, (str, int))]
    except (ValueError, TypeError, AttributeError):
        return "", 0, []
    return question, page, context


def feedback_value(question: str) -> str:
    """The value of a thumbs button: the question, cut to fit (it is only logged)."""
    return json.dumps({"q": question[:1500]}, ensure_ascii=False, separators=(",", ":"))


def _posting_line(posting: Posting) -> str:
    title = truncate_escaped(one_line(posting.title) or "(untitled posting)", TITLE_CHARS)
    head = f"*{link(posting.url, title)}*" if posting.url else f"*{title}*"
    company = one_line(posting.company)
    return f"{head} — {truncate_escaped(company, NAME_CHARS)}" if company else head


def _facts_line(posting: Posting) -> str:
    facts = posting.facts
    parts: list[str] = []
    location = one_line(posting.location) or (one_line(str(facts.location.value)) if facts.location else "")
    if location:
        parts.append(truncate_escaped(location, NAME_CHARS))
    if facts.salary is not None:
        parts.append(escape(format_salary(facts.salary.value)))
    if facts.remote is not None:
        parts.append(escape(REMOTE_LABELS.get(str(facts.remote.value), str(facts.remote.value))))
    return " · ".join(parts)


def _quote(item: EvidenceItem) -> str:
    return f"> {truncate_escaped(one_line(item.text), QUOTE_CHARS)}"


def posting_card(posting: Posting, evidence: Sequence[EvidenceItem]) -> dict[str, Any]:
    """One compact section: title — company, location · salary · remote, and the quoted sentence(s)."""
    lines = [_posting_line(posting)]
    facts = _facts_line(posting)
    if facts:
        lines.append(facts)
    lines.extend(_quote(item) for item in list(evidence)[:QUOTES_PER_CARD] if item.text.strip())
    text = "\n".join(lines)
    if len(text) > MAX_SECTION_CHARS:  # only reachable with absurd settings; cut inside the card
        text = text[: MAX_SECTION_CHARS - 1].rsplit("\n", 1)[0] + "…"
    return _section(text)


def page_bounds(count: int, page: int, page_size: int) -> tuple[int, int, int]:
    """(page clamped to the last one, start, end) of a page of count items."""
    page_size = max(1, page_size)
    pages = max(1, -(-count // page_size))
    page = min(max(0, page), pages - 1)
    start = page * page_size
    return page, start, min(count, start + page_size)


def answer_blocks(
    answer: Answer,
    page: int = 0,
    page_size: int = 10,
    index_age: str = "",
    *,
    ephemeral: bool = False,
    show_question: bool = False,
    shared_by: str | None = None,
    context_posting_ids: Sequence[str] = (),
) -> tuple[str, list[dict[str, Any]]]:
    """The answer sentence first, one card per posting on this page, a context line and the buttons.

    Args:
        answer: what the engine said.
        page: which page of the postings to show (0-based; clamped to the last page).
        page_size: postings per page (fewer when 50 blocks would not hold them).
        index_age: e.g. "updated 3 hours ago" ('' to leave it out).
        ephemeral: add a "Share in channel" button (the message is only visible to the asker).
        show_question: echo the question (slash-command answers, where it is not visible otherwise).
        shared_by: a Slack user id, for "Shared by <@U…>" on a shared answer.
        context_posting_ids: the thread's postings, carried by the More/Share buttons to re-ask.

    Returns:
        (text, blocks): the plain fallback text and at most 50 blocks.
    """
    blocks: list[dict[str, Any]] = []
    if show_question and answer.question.strip():
        blocks.append(_context(f"*Q:* {truncate_escaped(one_line(answer.question), QUESTION_CHARS)}"))
    answer_text = answer.text.strip() or "I have no answer to that."
    blocks.extend(_section(piece) for piece in split_escaped(tidy(answer_text), MAX_SECTION_CHARS))

    postings = answer.postings
    total = max(answer.total, len(postings))
    comparison = getattr(answer, "comparison", None)
    if comparison is not None:  # postings side by side (bot/compare.py): the columns stand for the cards
        blocks.extend(comparison_blocks(comparison))
        page, start, end, shown = 0, 0, len(postings), []
    else:
        footer_budget = 2  # the context line and the buttons
        room = max(0, MAX_BLOCKS - len(blocks) - footer_budget)
        page, start, end = page_bounds(len(postings), page, min(page_size, room) if room else 1)
        shown = postings[start:end] if room else []
    for posting in shown:
        blocks.append(posting_card(posting, answer.evidence_for(posting)))

    footer: list[str] = []
    if comparison is not None:
        footer.append(f"{len(postings)} postings compared")
    elif total:
        footer.append(f"{total} matching posting{'' if total == 1 else 's'}")
    has_more = end < len(postings)
    if shown and len(shown) < total:
        footer.append(f"Showing {start + 1}–{end} of {total}")
    if not has_more and end < total:
        footer.append(f"narrow the question to see the other {total - end}")
    if index_age:
        footer.append(f"index {escape(index_age)}")
    if shared_by:
        footer.append(f"Shared by {user_mention(shared_by)}")

    buttons: list[dict[str, Any]] = []
    if has_more:
        value = button_value(answer.question, page + 1, context_posting_ids)
        if value is None:
            footer.append("ask a shorter question to page through the rest")
        else:
            buttons.append(_button(f"More ({len(postings) - end} more)", MORE_ACTION, value))
    if ephemeral:
        value = button_value(answer.question, page, context_posting_ids)
        if value is not None:
            buttons.append(_button("Share in channel", SHARE_ACTION, value, style="primary"))
    if answer.question.strip():
        rating = feedback_value(answer.question)
        buttons.append(_button("👍", FEEDBACK_UP_ACTION, rating))
        buttons.append(_button("👎", FEEDBACK_DOWN_ACTION, rating))

    if footer:
        blocks.append(_context(" · ".join(footer)))
    if buttons:
        blocks.append({"type": "actions", "block_id": "postings_answer_actions", "elements": buttons})

    text = answer_text
    if shown and len(shown) < total:
        text += f" (showing {start + 1}–{end} of {total})"
    return _fallback(text), blocks


def comparison_blocks(comparison: Any) -> list[dict[str, Any]]:
    """Postings side by side: a section naming them, then one section per fact with one field per posting
    (its value and the sentence that says so), the facts that differ first.

    Slack lays a section's fields out in two columns; with 3 or 4 postings each field starts with the company
    (or title) it belongs to. At most 4 fields a section (Slack allows 10), each within 2,000 characters.
    """
    postings = comparison.postings[:MAX_FIELDS]
    named = len(postings) > 2
    owners = [truncate_escaped(one_line(p.company or p.title), NAME_CHARS) for p in postings]
    blocks: list[dict[str, Any]] = [{"type": "section", "fields": [
        _mrkdwn(_field(_posting_line(p))) for p in postings]}]
    agreeing = False
    for row in comparison.facts:
        if not row.differs and not agreeing:
            agreeing = True
            blocks.append({"type": "divider"})
        state = "differs" if row.differs else "same" if row.any_stated else "not stated"
        fields = []
        for owner, cell in zip(owners, row.cells[:MAX_FIELDS]):
            lines = [f"_{owner}_"] if named else []
            shown = cell.display(row.fact)
            lines.append(f"*{truncate_escaped(one_line(shown), FIELD_VALUE_CHARS)}*" if cell.status == "stated"
                         else truncate_escaped(one_line(shown), FIELD_VALUE_CHARS))
            if cell.quote:
                lines.append(_quote(EvidenceItem(cell.posting_id, cell.quote, cell.origin)))
            fields.append(_mrkdwn(_field("\n".join(lines))))
        blocks.append({"type": "section", "text": _mrkdwn(f"*{escape(row.label)}* · {state}"), "fields": fields})
    return blocks


def _field(text: str) -> str:
    """A section field's text within Slack's 2,000 characters (already escaped; cut between lines)."""
    if len(text) <= MAX_FIELD_CHARS:
        return text
    return text[: MAX_FIELD_CHARS - 1].rsplit("\n", 1)[0] + "…"


def help_blocks(command: str = "/postings") -> tuple[str, list[dict[str, Any]]]:
    """Short usage with example questions."""
    cmd = escape(command)
    examples = [
        "what does the backend engineer role pay?",
        "which postings are remote?",
        "list the Python jobs",
        "how many years of experience does the data analyst job need?",
        "compare the backend role and the platform role",
        "what do remote Python roles pay?",
    ]
    text = f"Ask me about the job postings: {command} <question>. Try: {command} {examples[0]}"
    blocks = [
        _section(
            "*Ask me about the job postings.* I answer with the fact first, name the posting(s) and quote "
            "the sentence that says so — and I tell you when a posting doesn't say."
        ),
        _section(
            f"`{cmd} <question>` — answered privately, only you see it.\n"
            + "\n".join(f"• `{cmd} {escape(e)}`" for e in examples)
            + f"\n• `{cmd} watch remote python roles` — a DM when a matching posting arrives "
            f"(`{cmd} watches` lists them, `{cmd} unwatch 1` removes one)"
            + f"\n• `{cmd} stats` — how many postings are indexed and when the index was rebuilt\n"
            f"• `{cmd} help` — this message"
        ),
        _context("In a channel, @mention me to get an answer in a thread, then reply in that thread to ask "
                 "follow-ups (\"and is it remote?\"). You can also DM me."),
    ]
    return _fallback(text), blocks


def stats_blocks(stats: Any, now: datetime | None = None) -> tuple[str, list[dict[str, Any]]]:
    """How many postings (and chunks) are indexed and when the index was last rebuilt."""
    postings, chunks = int(stats.postings), int(stats.chunks)
    built_at: datetime | None = stats.built_at
    if postings == 0:
        sentence = "The index is empty: no postings have been indexed yet."
    else:
        sentence = f"{postings:,} posting{'' if postings == 1 else 's'} indexed ({chunks:,} chunks)."
    if built_at is not None:
        when = built_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        rebuilt = f"Last rebuilt {when} ({age_phrase(built_at, now).removeprefix('updated ')})."
    else:
        rebuilt = "When the index was last rebuilt is not recorded."
    text = f"{sentence} {rebuilt}"
    return _fallback(text), [_section(escape(text))]


def error_blocks(reference_id: str) -> tuple[str, list[dict[str, Any]]]:
    """A short apology with a reference id to quote to the maintainers."""
    text = f"Sorry — something went wrong while answering. If it keeps happening, quote reference {reference_id}."
    return _fallback(text), [_section(escape(text))]


def unavailable_blocks(reason: str = "") -> tuple[str, list[dict[str, Any]]]:
    """The index is missing, empty or unreachable (with the engine's user-safe reason, if it adds one)."""
    blocks = [_section(escape(UNAVAILABLE_TEXT))]
    reason = one_line(reason)
    if reason and reason != UNAVAILABLE_TEXT:
        blocks.append(_context(truncate_escaped(reason, 500)))
    return UNAVAILABLE_TEXT, blocks


def declined_blocks() -> tuple[str, list[dict[str, Any]]]:
    """A polite refusal outside the allowed workspaces/channels."""
    return DECLINED_TEXT, [_section(escape(DECLINED_TEXT))]


def notice_blocks(text: str) -> tuple[str, list[dict[str, Any]]]:
    """A one-sentence notice (e.g. a question that is too long), escaped."""
    return _fallback(text), [_section(truncate_escaped(text, MAX_SECTION_CHARS))]
