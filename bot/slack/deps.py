"""What the listeners need, built once by create_app and injected into every register()."""

from __future__ import annotations

import logging
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

from bot.answer import Answer
from bot.slack.access import is_allowed
from bot.slack.clients import ResponseUrl
from bot.slack.dedup import Deduplicator
from bot.slack.memory import ThreadMemory
from config.settings import Settings


class AnswerEngine(Protocol):
    """The part of bot.engine.Engine the Slack app uses."""

    def ask(self, question: str, context_posting_ids: Sequence[str] = ()) -> Answer: ...

    def stats(self) -> Any: ...


@dataclass
class Deps:
    """The engine, the settings and the stores the listeners share."""

    settings: Settings
    engine: AnswerEngine
    dedup: Deduplicator
    threads: ThreadMemory
    executor: Executor  # runs the slow part (the engine) after Slack has been acknowledged
    response_url: Callable[[str | None], Callable[[dict[str, Any]], bool]] = ResponseUrl
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("bot.slack"))

    def allowed(self, team_id: str | None, channel_id: str | None) -> bool:
        """Whether the allow-lists (if any) let the bot answer here."""
        return is_allowed(team_id, channel_id, self.settings.allowed_team_ids, self.settings.allowed_channel_ids)

    def submit(self, job: Callable[..., None], *args: Any) -> None:
        """Run job(*args) in the background; an exception is logged, never lost."""

        def run() -> None:
            try:
                job(*args)
            except Exception:
                self.log.exception("background job %s failed", getattr(job, "__name__", job))

        self.executor.submit(run)
