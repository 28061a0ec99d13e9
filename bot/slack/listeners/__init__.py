"""One listener module per Slack surface, each registered by its register(app, deps)."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.deps import Deps
from bot.slack.listeners import actions, commands, events


def register_listeners(app: App, deps: Deps) -> None:
    """Register the slash command, the events and the button actions."""
    commands.register(app, deps)
    events.register(app, deps)
    actions.register(app, deps)
