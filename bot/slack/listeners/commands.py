"""`/postings <question>`: acknowledged at once, answered privately (ephemeral) through response_url."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from slack_bolt import App

from bot.slack import blocks
from bot.slack.deps import Deps
from bot.slack.market_blocks import chart_note, with_chart_note
from bot.slack.mrkdwn import escape, one_line, user_mention
from bot.slack.uploads import share_chart
from bot.slack.listeners.watch import post_in_channel, reply_message, watch_reply
from bot.slack.replies import answer_reply, stats_reply
from bot.watch import WatchCommand, parse_command
from bot.watch_store import open_store

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
    deps.submit(answer_command, deps, text, command.get("response_url"), client, command.get("channel_id"),
                command.get("user_id", ""))


def answer_watch_command(deps: Deps, watch: WatchCommand, command: dict[str, Any], client: Any) -> None:
    """Save, list or remove a saved search and say so privately."""
    channel = command.get("channel_id")
    text = watch_reply(deps.engine, open_store(deps.settings), watch, command.get("user_id", ""),
                       channel, lambda message: post_in_channel(deps, client, channel, message))
    deps.response_url(command.get("response_url"))({**reply_message(text), "response_type": "ephemeral"})


def answer_command(deps: Deps, text: str, response_url: str | None, client: Any = None,
                   channel: str | None = None, user: str = "") -> None:
    """The slow part: ask the engine (or read the stats) and post the ephemeral reply. A market answer's chart
    goes where the reply can say it went: the command's channel, else the user's DM (bot/slack/uploads.py)."""
    if text.lower() == "stats":
        reply = stats_reply(deps.engine)
    else:
        reply = answer_reply(
            deps.engine, text, page_size=deps.settings.list_page_size, ephemeral=True, show_question=True,
            surface="command", with_chart=client is not None,
        )
    if reply.chart is not None:
        shared = share_chart(client, reply.chart, channel, user, intro=_chart_intro(text, user),
                             dm_intro=_chart_intro(text, ""))
        note = chart_note(shared.where, shared.error, dm=bool(channel and channel.startswith("D")))
        reply = replace(reply, blocks=with_chart_note(reply.blocks, note))
    deps.response_url(response_url)(reply.message(response_type="ephemeral"))


def _chart_intro(question: str, user: str) -> str:
    """The comment a chart is shared with: whose question it answers ("<@U1> asked “…”: the chart of the answer.")."""
    asked = f"“{escape(one_line(question))[:300]}”"
    return f"{user_mention(user)} asked {asked}: the chart of the answer." if user else (
        f"The chart for your question {asked}:")
