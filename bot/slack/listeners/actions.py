"""Buttons on answers: More (next page), Share in channel, Show postings (behind a market answer's figures),
and thumbs up/down feedback."""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.market_blocks import SHOW_POSTINGS_ACTION
from bot.slack.replies import answer_reply
from bot.slack.uploads import upload_chart
from bot.slack.deps import Deps
from bot.slack.listeners import watch as watch_listener

FEEDBACK_ACTIONS = re.compile(f"^({blocks.FEEDBACK_UP_ACTION}|{blocks.FEEDBACK_DOWN_ACTION})$")


def register(app: App, deps: Deps) -> None:
    """Listen for the answer buttons; each acks at once and works in the background."""

    def on_more(ack: Callable[..., Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.submit(show_more, deps, body, client)

    def on_share(ack: Callable[..., Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.submit(share_in_channel, deps, body, client)

    def on_feedback(ack: Callable[..., Any], body: dict[str, Any]) -> None:
        ack()
        deps.submit(record_feedback, deps, body)

    def on_show_postings(ack: Callable[..., Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.submit(show_postings, deps, body, client)

    app.action(blocks.MORE_ACTION)(on_more)
    app.action(SHOW_POSTINGS_ACTION)(on_show_postings)
    app.action(blocks.SHARE_ACTION)(on_share)
    app.action(FEEDBACK_ACTIONS)(on_feedback)
    watch_listener.register(app, deps)  # a saved search's notification: its More button


def _action(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    return actions[0]


def _where(body: dict[str, Any]) -> tuple[str | None, str | None, str | None, bool]:
    """(team id, channel id, message ts, ephemeral?) of the message whose button was clicked."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
    return team, channel, ts, bool(container.get("is_ephemeral"))


def _reply_declined(deps: Deps, body: dict[str, Any]) -> None:
    text, blks = blocks.declined_blocks()
    deps.response_url(body.get("response_url"))(
        {"text": text, "blocks": blks, "response_type": "ephemeral", "replace_original": False})


def show_more(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Replace the answer with its next page (response_url for ephemeral answers, chat.update otherwise)."""
    team, channel, ts, ephemeral = _where(body)
    if not deps.allowed(team, channel):
        _reply_declined(deps, body)
        return
    question, page, context = blocks.parse_button_value(_action(body).get("value", ""))
    reply = answer_reply(deps.engine, question, context_posting_ids=context, page=page, surface="button",
                         page_size=deps.settings.list_page_size, ephemeral=ephemeral, show_question=ephemeral)
    if ephemeral or not (channel and ts):
        deps.response_url(body.get("response_url"))(reply.message(replace_original=True))
        return
    try:
        client.chat_update(channel=channel, ts=ts, text=reply.text, blocks=reply.blocks)
    except SlackApiError as err:
        deps.log.warning("chat.update for More failed: %s", err.response.get("error", "unknown"))
        deps.response_url(body.get("response_url"))(reply.message(replace_original=True))


def show_postings(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """List the postings behind a market answer's figures: privately under a private answer, else in its thread
    (the figures stay; the list pages with its own More button)."""
    team, channel, ts, ephemeral = _where(body)
    if not deps.allowed(team, channel):
        _reply_declined(deps, body)
        return
    question, _page, _context = blocks.parse_button_value(_action(body).get("value", ""))
    reply = answer_reply(deps.engine, question, surface="button", page_size=deps.settings.list_page_size,
                         ephemeral=ephemeral, show_question=ephemeral)
    private = reply.message(response_type="ephemeral", replace_original=False)
    if ephemeral or not (channel and ts):
        deps.response_url(body.get("response_url"))(private)
        return
    thread = (body.get("message") or {}).get("thread_ts") or ts
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread, text=reply.text, blocks=reply.blocks,
                                unfurl_links=False, unfurl_media=False)
    except SlackApiError as err:
        deps.log.warning("posting the postings behind an answer failed: %s", err.response.get("error", "unknown"))
        deps.response_url(body.get("response_url"))(private)


def share_in_channel(deps: Deps, body: dict[str, Any], client: WebClient) -> None:
    """Post the answer in the channel for everyone, attributed to the user who shared it."""
    team, channel, _ts, _ephemeral = _where(body)
    user = (body.get("user") or {}).get("id", "")
    if not deps.allowed(team, channel):
        _reply_declined(deps, body)
        return
    question, page, context = blocks.parse_button_value(_action(body).get("value", ""))
    reply = answer_reply(deps.engine, question, context_posting_ids=context, page=page, surface="button",
                         page_size=deps.settings.list_page_size, show_question=True, shared_by=user,
                         with_chart=True)
    try:
        posted = client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks,
                                         unfurl_links=False, unfurl_media=False)
    except SlackApiError as err:
        error = err.response.get("error", "unknown")
        deps.log.warning("sharing an answer in %s failed: %s", channel, error)
        hint = " Invite me to the channel first (/invite)." if error in ("not_in_channel", "channel_not_found") else ""
        text, blks = blocks.notice_blocks(f"I couldn't post in this channel ({error}).{hint}")
        deps.response_url(body.get("response_url"))(
            {"text": text, "blocks": blks, "response_type": "ephemeral", "replace_original": False})
        return
    if reply.chart is not None:  # a market answer's chart, in the thread of the shared answer
        upload_chart(client, channel, posted.get("ts"), reply.chart)
    if body.get("response_url"):
        deps.response_url(body.get("response_url"))({"delete_original": True})


def record_feedback(deps: Deps, body: dict[str, Any]) -> None:
    """Log one line (rating, user id, question) and thank the user privately."""
    action = _action(body)
    rating = "up" if action.get("action_id") == blocks.FEEDBACK_UP_ACTION else "down"
    try:
        question = str(json.loads(action.get("value") or "{}").get("q", ""))
    except (ValueError, AttributeError):
        question = ""
    user = (body.get("user") or {}).get("id", "")
    deps.log.info("feedback rating=%s user=%s question=%s", rating, user,
                  json.dumps(question[:500], ensure_ascii=False))
    text = ("Thanks for the feedback!" if rating == "up"
            else "Thanks — noted. That helps us fix wrong or missing answers.")
    deps.response_url(body.get("response_url"))(
        {"text": text, "response_type": "ephemeral", "replace_original": False})
