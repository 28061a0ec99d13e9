"""@mentions (answered in a thread), thread follow-ups without a mention, and DMs; each answered once."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.dedup import event_key, message_key
from bot.slack.deps import Deps
from bot.slack.mrkdwn import mentioned_users, strip_leading_mention
from bot.slack.replies import Reply, answer_reply
from bot.slack.uploads import upload_chart
from bot.slack.listeners.watch import post_in_channel, reply_message, watch_reply
from bot.watch import WatchCommand, parse_command
from bot.watch_store import open_store

DM_THREAD = "dm"  # the ThreadMemory key of a DM's main conversation


def register(app: App, deps: Deps) -> None:
    """De-duplicate event deliveries, then listen for app_mention and message events."""

    def drop_repeated_deliveries(body: dict[str, Any], next: Any) -> Any:
        if not first_delivery(deps, body):
            return BoltResponse(status=200, body="")
        return next()

    def on_mention(event: dict[str, Any], context: Any, client: WebClient) -> None:
        handle_mention(deps, event, client=client, bot_user_id=context.bot_user_id, team_id=context.team_id)

    def on_message(event: dict[str, Any], context: Any, client: WebClient) -> None:
        handle_message(deps, event, client=client, bot_user_id=context.bot_user_id, team_id=context.team_id)

    app.middleware(drop_repeated_deliveries)
    app.event("app_mention")(on_mention)
    app.event("message")(on_message)


def first_delivery(deps: Deps, body: dict[str, Any]) -> bool:
    """False for a repeated delivery (a retry) of an Events API event already being handled."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id and not deps.dedup.first_time(event_key(str(event_id))):
        deps.log.info("ignored a repeated delivery of event %s", event_id)
        return False
    return True


def _from_a_person(event: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(event.get("user")) and not event.get("subtype") and not event.get("bot_id") and (
        event.get("user") != bot_user_id)


def handle_mention(deps: Deps, event: dict[str, Any], *, client: WebClient,
                   bot_user_id: str | None, team_id: str | None) -> None:
    """Answer '@bot question' in a thread under the question (or in the thread it was asked in)."""
    if not _from_a_person(event, bot_user_id):
        return
    channel, ts = event.get("channel", ""), event.get("ts", "")
    if not deps.dedup.first_time(message_key(channel, ts)):
        return
    thread_ts = event.get("thread_ts") or ts
    question = strip_leading_mention(event.get("text", ""), bot_user_id)
    _answer_or_decline(deps, client, team_id, channel, thread_ts, thread_ts, question, user=event.get("user", ""))


def handle_message(deps: Deps, event: dict[str, Any], *, client: WebClient,
                   bot_user_id: str | None, team_id: str | None) -> None:
    """Answer DMs, and follow-ups in a thread the bot answered in; ignore every other message."""
    if not _from_a_person(event, bot_user_id):
        return
    channel, ts, text = event.get("channel", ""), event.get("ts", ""), event.get("text") or ""
    thread_ts = event.get("thread_ts")
    if event.get("channel_type") == "im":
        reply_thread, memory_thread = thread_ts, thread_ts or DM_THREAD
    else:
        if not thread_ts or thread_ts == ts:
            return  # a top-level channel message: only @mentions are answered (app_mention)
        if deps.threads.recall(channel, thread_ts) is None:
            return  # a thread the bot has not answered in
        mentioned = mentioned_users(text)
        if mentioned and bot_user_id not in mentioned:
            return  # addressed to someone else
        reply_thread = memory_thread = thread_ts
    if not deps.dedup.first_time(message_key(channel, ts)):
        return
    question = strip_leading_mention(text, bot_user_id)
    _answer_or_decline(deps, client, team_id, channel, reply_thread, memory_thread, question,
                       user=event.get("user", ""))


def _answer_or_decline(deps: Deps, client: WebClient, team_id: str | None, channel: str,
                       reply_thread: str | None, memory_thread: str, question: str, user: str = "") -> None:
    if not deps.allowed(team_id, channel):
        text, blks = blocks.declined_blocks()
        post(deps, client, channel, reply_thread, Reply(text, blks, status="declined"))
        return
    if not question:
        text, blks = blocks.help_blocks(deps.settings.slash_command)
        post(deps, client, channel, reply_thread, Reply(text, blks, status="help"))
        return
    watch = parse_command(question)
    if watch is not None:  # watch …, watches, unwatch N (bot/watch.py)
        deps.submit(answer_watch_in_conversation, deps, client, channel, reply_thread, user, watch)
        return
    deps.submit(answer_in_conversation, deps, client, channel, reply_thread, memory_thread, question)


def answer_in_conversation(deps: Deps, client: WebClient, channel: str, reply_thread: str | None,
                           memory_thread: str, question: str) -> None:
    """The slow part: answer with the thread's context, post, and remember what the answer was about."""
    context_ids = deps.threads.recall(channel, memory_thread) or []
    surface = "dm" if channel.startswith("D") else ("thread" if context_ids else "mention")
    reply = answer_reply(deps.engine, question, context_posting_ids=context_ids,
                         page_size=deps.settings.list_page_size, surface=surface, with_chart=True)
    if post(deps, client, channel, reply_thread, reply):
        deps.threads.remember(channel, memory_thread, reply.posting_ids or context_ids)
        if reply.chart is not None:  # a market answer's chart, in the answer's thread
            upload_chart(client, channel, reply_thread, reply.chart)


def answer_watch_in_conversation(deps: Deps, client: WebClient, channel: str, reply_thread: str | None,
                                 user: str, watch: WatchCommand) -> None:
    """Save, list or remove a saved search and say so in the conversation."""
    text = watch_reply(deps.engine, open_store(deps.settings), watch, user, channel,
                       lambda message: post_in_channel(deps, client, channel, message))
    message = reply_message(text)
    post(deps, client, channel, reply_thread, Reply(message["text"], message["blocks"], status="watch"))


def post(deps: Deps, client: WebClient, channel: str, thread_ts: str | None, reply: Reply) -> bool:
    """chat.postMessage the reply (in the thread when given); False, logged, when Slack refuses."""
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=reply.text, blocks=reply.blocks,
                                unfurl_links=False, unfurl_media=False)
    except SlackApiError as err:
        deps.log.warning("chat.postMessage to %s failed: %s", channel, err.response.get("error", "unknown"))
        return False
    return True
