"""Saved searches in Slack: `watch …`, `watches`, `unwatch N` (slash command or mention), and the notifications
a new index generation sends (chat.postMessage to the user's DM or the channel)."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import Executor
from typing import Any, Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack import blocks
from bot.slack.mrkdwn import escape, one_line, truncate_escaped, user_mention
from bot.watch import (NOTICE_CAP, DeliveryRefused, Notice, WatchCommand, confirmation, describe, notice_headline,
                       notice_page, notify_generation)
from bot.watch_store import CLAIM_LEASE_SECONDS, RedisClaims, WatchStorage, open_store

log = logging.getLogger(__name__)

REFUSED = ("channel_not_found", "not_in_channel", "user_not_found", "is_archived", "account_inactive")
WATCH_MORE_ACTION = "postings_watch_more"
METADATA_EVENT = "postings_watch"  # chat.postMessage metadata event_type of a notification
HISTORY_PAGES = 5  # conversations.history pages (200 messages each) searched for a notification before re-sending
RECHECKS = 5  # runs after the lease while a claim is held by another replica or a send failed
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


def listing(store: WatchStorage, user_id: str) -> str:
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


def watch_reply(engine: Any, store: WatchStorage, command: WatchCommand, user_id: str, channel_id: str | None,
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


def notice_metadata(notice: Notice) -> dict[str, Any]:
    """The message metadata that names a notification in Slack (found again by SlackNotifier.find)."""
    return {"event_type": METADATA_EVENT,
            "event_payload": {"search_id": notice.search_id, "generation": notice.generation}}


def more_value(notice: Notice) -> str:
    """The More button's value: the notification (search id, generation) and where the next page starts; the
    postings are the ones its claim recorded, so any replica can answer the click."""
    return json.dumps({"s": notice.search_id, "g": notice.generation, "o": notice.next_offset},
                      separators=(",", ":"))


def parse_more_value(value: str) -> tuple[int, str, int] | None:
    """(search id, generation, offset) from a More button's value; None when malformed."""
    try:
        data = json.loads(value or "")
        return int(data["s"]), str(data["g"]), max(0, int(data["o"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def notice_blocks(notice: Notice) -> tuple[str, list[dict[str, Any]]]:
    """The notification (or a later page of it): a headline, one line per posting (at most the cap), and a More
    button for the rest."""
    headline = escape(notice_headline(notice))
    lines = [f"• {blocks._posting_line(p)}" for p in notice.postings]
    body = [blocks._section(headline)]
    if lines:
        body.append(blocks._section("\n".join(lines)[:blocks.MAX_SECTION_CHARS]))
    if notice.gone:
        body.append(blocks._context(f"{notice.gone} of these postings are no longer in the index."))
    if notice.more and notice.search_id:
        body.append({"type": "actions", "elements": [
            blocks._button(f"More ({notice.more} more)", WATCH_MORE_ACTION, more_value(notice))]})
    elif notice.more:
        body.append(blocks._context(f"More: {notice.more} more not listed — ask "
                                    f"“{truncate_escaped(one_line(notice.question), 200)}” to see every match."))
    return blocks._fallback(notice_headline(notice)), body


def _slack_error(err: SlackApiError) -> str:
    return str(err.response.get("error", "unknown"))


class SlackNotifier:
    """Posts notifications (send) and finds one already posted (find), for notify_generation."""

    def __init__(self, client: WebClient):
        self.client = client

    def send(self, search: Any, notice: Notice) -> str | None:
        """chat.postMessage to the channel, or to the user (their DM), tagged with the notification's metadata;
        the message ts. Raises DeliveryRefused when Slack will not take it (the search is paused)."""
        text, blks = notice_blocks(notice)
        try:
            posted = self.client.chat_postMessage(channel=search.channel_id or search.user_id, text=text,
                                                  blocks=blks, metadata=notice_metadata(notice),
                                                  unfurl_links=False, unfurl_media=False)
        except SlackApiError as err:
            if _slack_error(err) in REFUSED:
                raise DeliveryRefused(_slack_error(err)) from None
            raise
        return posted.get("ts")

    def find(self, search: Any, notice: Notice, since: float) -> str | None:
        """The ts of this notification if it is in the conversation already (posted since `since`, a minute's
        leeway for clocks): conversations.history with include_all_metadata, matched on the metadata. When
        Slack will not let the bot look (a missing scope, a channel gone), None: sending is the lesser harm, and
        a refused send pauses the search. Other failures raise (the claim is retried later)."""
        try:
            channel = search.channel_id or self.client.conversations_open(users=search.user_id)["channel"]["id"]
            cursor = None
            for _ in range(HISTORY_PAGES):
                page = self.client.conversations_history(channel=channel, oldest=f"{max(0.0, since - 60):.6f}",
                                                         include_all_metadata=True, limit=200, cursor=cursor)
                for message in page.get("messages") or []:
                    if _is_notice(message.get("metadata") or {}, notice):
                        return message.get("ts")
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor:
                    return None
        except SlackApiError as err:
            if _slack_error(err) in REFUSED or _slack_error(err) in ("missing_scope", "not_allowed_token_type"):
                log.warning("cannot look for saved search %s's notification in Slack (%s); sending it",
                            search.id, _slack_error(err))
                return None
            raise
        return None


def _is_notice(metadata: dict[str, Any], notice: Notice) -> bool:
    payload = metadata.get("event_payload") or {}
    return (metadata.get("event_type") == METADATA_EVENT and str(payload.get("search_id")) == str(notice.search_id)
            and str(payload.get("generation")) == notice.generation)


def slack_sender(client: WebClient) -> Callable[[Any, Notice], str | None]:
    """send(search, notice) for notify_generation (SlackNotifier.send)."""
    return SlackNotifier(client).send


def register(app: Any, deps: Any) -> None:
    """Listen for the More button of a notification; ack at once, post the next page in the background."""

    def on_more(ack: Callable[..., Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        deps.submit(show_more_matches, deps, body, client)

    app.action(WATCH_MORE_ACTION)(on_more)


def show_more_matches(deps: Any, body: dict[str, Any], client: WebClient) -> None:
    """Post the next page of a notification in its thread: the postings its claim recorded, from the offset the
    button carries, as the current catalog has them."""
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    message = body.get("message") or {}
    thread = message.get("thread_ts") or container.get("message_ts") or message.get("ts")
    reply = deps.response_url(body.get("response_url"))
    if not deps.allowed(team, channel):
        text, blks = blocks.declined_blocks()
        reply({"text": text, "blocks": blks, "response_type": "ephemeral", "replace_original": False})
        return
    parsed = parse_more_value(((body.get("actions") or [{}])[0]).get("value", ""))
    store = open_store(deps.settings)
    search = store.get(parsed[0]) if parsed else None
    ids = store.notified_postings(parsed[0], parsed[1]) if parsed else None
    if search is None or ids is None:
        reply({**reply_message("That saved search was removed, so I can't list more of its postings."),
               "response_type": "ephemeral", "replace_original": False})
        return
    notice = notice_page(search.question, ids, _namer(deps.engine).catalog, parsed[2], NOTICE_CAP, search.id,
                         parsed[1])
    text, blks = notice_blocks(notice)
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread, text=text, blocks=blks,
                                unfurl_links=False, unfurl_media=False)
    except SlackApiError as err:
        deps.log.warning("posting more of a saved search's postings failed: %s", _slack_error(err))
        reply({"text": text, "blocks": blks, "response_type": "ephemeral", "replace_original": False})


def notify_on_new_generations(engine: Any, client: WebClient, settings: Any, executor: Executor,
                              lease: float = CLAIM_LEASE_SECONDS) -> None:
    """Match saved searches after each generation the engine loads, in the background (never in a question's
    thread); claims in Redis too when POSTINGS_REDIS_URL is set. While another replica holds a claim or a send
    failed, the generation is run again after the lease (at most RECHECKS times): a claim left by a crash is
    taken over, not skipped."""
    if not hasattr(engine, "on_new_generation"):
        return
    claims = []
    if settings.redis_url is not None and settings.redis_url.get_secret_value():
        from bot.redis_dedup import connect_redis

        claims.append(RedisClaims(connect_redis(settings.redis_url.get_secret_value())))
    notifier = SlackNotifier(client)

    def run(catalog: Any, manifest: Any, rechecks: int = RECHECKS) -> None:
        try:
            result = notify_generation(open_store(settings), catalog, manifest.postings, manifest.generation,
                                       manifest.built_at, notifier.send, claims, find_sent=notifier.find,
                                       lease=lease)
        except Exception:
            log.exception("saved-search notifications for generation %s failed", manifest.generation)
            return
        if result.sent or result.recovered:
            log.info("saved-search notifications for generation %s: %d sent, %d found already sent",
                     manifest.generation, result.sent, result.recovered)
        if result.pending and rechecks > 0:
            later = threading.Timer(lease + 1.0, _submit, (executor, run, catalog, manifest, rechecks - 1))
            later.daemon = True
            later.start()

    engine.on_new_generation(lambda catalog, manifest: executor.submit(run, catalog, manifest))


def _submit(executor: Executor, *job: Any) -> None:
    try:
        executor.submit(*job)
    except RuntimeError:  # the executor was shut down (the bot is stopping)
        pass
