"""Saved searches in Slack: `watch …`, `watches`, `unwatch N` (slash command or mention), and the notifications
a new index generation sends (chat.postMessage to the user's DM or the channel)."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.mrkdwn import escape, one_line, truncate_escaped, user_mention
from bot.watch import (DeliveryRefused, Notice, WatchCommand, confirmation, describe, notice_headline,
                       notify_generation)
from bot.watch_store import RedisClaims, WatchStore

log = logging.getLogger(__name__)

REFUSED = ("channel_not_found", "not_in_channel", "user_not_found", "is_archived", "account_inactive")
HOW_TO_WATCH = "Tell me what to watch for, e.g. `watch remote python over 150k` (add `here` to post in the channel)."


def _namer(engine: Any):
    """A Namer over the engine's loaded catalog (an empty one when the engine cannot give it)."""
    from bot.catalog import Catalog
    from bot.naming import Namer

    inner = getattr(engine, "engine", engine)  # bot.metrics.InstrumentedEngine wraps the engine
    try:
        catalog = inner.catalog()
    except Exception:
        import numpy as np

        catalog = Catalog([], [], [], np.zeros((0, 1), dtype=np.float32))
    return Namer(catalog)


def listing(store: WatchStore, user_id: str) -> str:
    """'Your saved searches: 1. … (in a DM)'; numbered as `unwatch N` takes them."""
    searches = store.of_user(user_id)
    if not searches:
        return "You have no saved searches. " + HOW_TO_WATCH
    lines = ["Your saved searches:"]
    for number, search in enumerate(searches, 1):
        where = f"in <#{search.channel_id}>" if search.channel_id else "in a DM"
        paused = f" — paused ({search.paused})" if search.paused else ""
        lines.append(f"{number}. “{truncate_escaped(one_line(search.question), 200)}” {where}{paused}")
    lines.append("Remove one with `unwatch N`.")
    return "\n".join(lines)


def _generation(engine: Any) -> int:
    """The generation the engine has loaded (0 when it has none): a search saved now is told of later ones."""
    try:
        return int(engine.stats().generation)
    except Exception:
        return 0


def watch_reply(engine: Any, store: WatchStore, command: WatchCommand, user_id: str, channel_id: str | None,
                post_here: Callable[[str], str | None]) -> str:
    """Do what a watch command asks and say so (mrkdwn). post_here(text) posts in the channel and returns
    Slack's error, or None: it is how `watch … here` checks the bot is a member before saving."""
    if command.action == "watches":
        return listing(store, user_id)
    if command.action == "unwatch":
        if command.number is None:
            return "Say which saved search to remove: `unwatch N`, N as `watches` numbers them."
        removed = store.remove(user_id, command.number)
        if removed is None:
            return f"You have no saved search number {command.number}.\n" + listing(store, user_id)
        return f"Stopped watching “{escape(one_line(removed.question))}”."
    what = describe(_namer(engine), command.question)
    if not what:
        return HOW_TO_WATCH
    what = escape(what)
    if command.here and channel_id and not channel_id.startswith("D"):
        error = post_here(f"{user_mention(user_id)} saved a search here: new postings ({what}) will be posted "
                          "in this channel.")
        if error:
            return f"I couldn't post in this channel ({error}). Invite me first (/invite), then try again."
        store.add(user_id, channel_id, command.question, _generation(engine))
        return confirmation(what, "in this channel")
    store.add(user_id, None, command.question, _generation(engine))
    return confirmation(what, "in a DM")


def reply_message(text_mrkdwn: str) -> dict[str, Any]:
    """A watch command's reply (already mrkdwn) as a message: its text and one section."""
    return {"text": text_mrkdwn, "blocks": [blocks._section(text_mrkdwn[:blocks.MAX_SECTION_CHARS])]}


def post_in_channel(deps: Any, client: Any, channel: str | None, text_mrkdwn: str) -> str | None:
    """chat.postMessage in the channel; Slack's error (not_in_channel, …) or None when posted."""
    if client is None or not channel:
        return "no_channel"
    try:
        client.chat_postMessage(channel=channel, text=text_mrkdwn, unfurl_links=False, unfurl_media=False)
    except SlackApiError as err:
        error = str(err.response.get("error", "unknown"))
        deps.log.warning("posting a saved search's notice in %s failed: %s", channel, error)
        return error
    return None


def notice_blocks(notice: Notice) -> tuple[str, list[dict[str, Any]]]:
    """The notification: a headline, one line per new posting (at most the cap), and how many more."""
    headline = escape(notice_headline(notice))
    lines = [f"• {blocks._posting_line(p)}" for p in notice.postings]
    body = [blocks._section(headline), blocks._section("\n".join(lines)[:blocks.MAX_SECTION_CHARS])]
    if notice.more:
        body.append(blocks._context(f"More: {notice.more} more not listed — ask "
                                    f"“{truncate_escaped(one_line(notice.question), 200)}” to see every match."))
    return blocks._fallback(notice_headline(notice)), body


def slack_sender(client: WebClient) -> Callable[[Any, Notice], None]:
    """send(search, notice) for notify_generation: chat.postMessage to the channel, or to the user (their DM)."""

    def send(search: Any, notice: Notice) -> None:
        text, blks = notice_blocks(notice)
        try:
            client.chat_postMessage(channel=search.channel_id or search.user_id, text=text, blocks=blks,
                                    unfurl_links=False, unfurl_media=False)
        except SlackApiError as err:
            error = str(err.response.get("error", "unknown"))
            if error in REFUSED:
                raise DeliveryRefused(error) from None
            raise

    return send


def notify_on_new_generations(engine: Any, client: WebClient, settings: Any, executor: Executor) -> None:
    """Match saved searches after each generation the engine loads, in the background (never in a question's
    thread); claims in Redis too when POSTINGS_REDIS_URL is set."""
    if not hasattr(engine, "on_new_generation"):
        return
    path = settings.state_file
    claims = []
    if settings.redis_url is not None and settings.redis_url.get_secret_value():
        from bot.redis_dedup import connect_redis

        claims.append(RedisClaims(connect_redis(settings.redis_url.get_secret_value())))
    send = slack_sender(client)

    def run(catalog: Any, manifest: Any) -> None:
        if not path.exists():
            return  # no search was ever saved (the first `watch` creates the file)
        try:
            sent = notify_generation(WatchStore(path), catalog, manifest.postings, manifest.generation,
                                     manifest.built_at, send, claims)
            if sent:
                log.info("sent %d saved-search notifications for generation %s", sent, manifest.generation)
        except Exception:
            log.exception("saved-search notifications for generation %s failed", manifest.generation)

    engine.on_new_generation(lambda catalog, manifest: executor.submit(run, catalog, manifest))
