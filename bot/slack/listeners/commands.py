"""`/postings <question>`: acknowledged at once, answered privately (ephemeral) through response_url."""

from __future__ import annotations

from typing import Any, Callable

from slack_bolt import App

from bot.slack import blocks
from bot.slack.deps import Deps
from bot.slack.listeners.watch import post_in_channel, reply_message, watch_reply
from bot.slack.replies import answer_reply, stats_reply
from bot.watch import WatchCommand, parse_command
from bot.watch_store import WatchStore

HELP_WORDS = {"", "help", "-h", "--help", "?"}


def register(app: App, deps: Deps) -> None:
    """Listen for the slash command named in settings."""

    def on_command(ack: Callable[..., Any], command: dict[str, Any], context: Any, client: Any) -> None:
        handle_command(deps, command, ack=ack, team_id=context.team_id, client=client)

    app.command(deps.settings.slash_command)(on_command)


def handle_command(deps: Deps, command: dict[str, Any], *, ack: Callable[..., Any], team_id: str | None = None,
                   client: Any = None) -> None:
    """Ack within Slack's 3 s (help and declines in the ack itself), then answer in the background."""
    text = (command.get("text") or "").strip()
    team = team_id or command.get("team_id")
    if not deps.allowed(team, command.get("channel_id")):
        reply_text, blks = blocks.declined_blocks()
        ack(text=reply_text, blocks=blks, response_type="ephemeral")
        return
    if text.lower() in HELP_WORDS:
        reply_text, blks = blocks.help_blocks(deps.settings.slash_command)
        ack(text=reply_text, blocks=blks, response_type="ephemeral")
        return
    ack()
    watch = parse_command(text)
    if watch is not None:  # watch …, watches, unwatch N (bot/watch.py)
        deps.submit(answer_watch_command, deps, watch, command, client)
        return
    deps.submit(answer_command, deps, text, command.get("response_url"))


def answer_watch_command(deps: Deps, watch: WatchCommand, command: dict[str, Any], client: Any) -> None:
    """Save, list or remove a saved search and say so privately."""
    channel = command.get("channel_id")
    text = watch_reply(deps.engine, WatchStore(deps.settings.state_file), watch, command.get("user_id", ""),
                       channel, lambda message: post_in_channel(deps, client, channel, message))
    deps.response_url(command.get("response_url"))({**reply_message(text), "response_type": "ephemeral"})


def answer_command(deps: Deps, text: str, response_url: str | None) -> None:
    """The slow part: ask the engine (or read the stats) and post the ephemeral reply."""
    if text.lower() == "stats":
        reply = stats_reply(deps.engine)
    else:
        reply = answer_reply(
            deps.engine, text, page_size=deps.settings.list_page_size, ephemeral=True, show_question=True,
            surface="command",
        )
    deps.response_url(response_url)(reply.message(response_type="ephemeral"))
