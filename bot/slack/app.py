"""create_app: the one place the Bolt App is built, with everything injected."""

from __future__ import annotations

import logging
from concurrent.futures import Executor, ThreadPoolExecutor

from slack_bolt import App
from pydantic import SecretStr
from slack_sdk import WebClient

from bot.slack.clients import make_web_client
from bot.redis_dedup import build_deduplicator
from bot.slack.dedup import Deduplicator
from bot.slack.deps import AnswerEngine, Deps
from bot.slack.listeners import register_listeners
from bot.slack.logsafety import protect_logger
from bot.slack.memory import InMemoryThreadMemory, ThreadMemory
from config.settings import Settings

ACK_WORKERS = 16  # Bolt's listener threads: they only ack and hand work over, so they stay free
ANSWER_WORKERS = 4  # threads running the engine (2 cores: more would only queue on the CPU)


class SlackSetupError(Exception):
    """The settings lack what the Slack app needs; the message names the environment variable."""


def _blank(secret: SecretStr | None) -> bool:
    """A secret that is missing, empty or only white space (an empty signing secret would reject every request)."""
    return secret is None or not secret.get_secret_value().strip()


def secret_values(settings: Settings) -> list[str]:
    """The configured secret strings (to redact from logs)."""
    values = [settings.slack_bot_token, settings.slack_app_token, settings.slack_signing_secret, settings.redis_url]
    return [v.get_secret_value() for v in values if v is not None and v.get_secret_value()]


def create_app(
    settings: Settings,
    engine: AnswerEngine,
    *,
    client: WebClient | None = None,
    dedup: Deduplicator | None = None,
    thread_memory: ThreadMemory | None = None,
    executor: Executor | None = None,
) -> App:
    """Build the Bolt App with the listeners registered; calls auth.test once (the bot's own ids).

    Args:
        settings: SLACK_BOT_TOKEN is required; SLACK_SIGNING_SECRET unless SLACK_APP_TOKEN (Socket Mode) is set.
        engine: answers questions (bot.engine.Engine or anything with ask() and stats()).
        client: the WebClient to use (default: one on settings.slack_api_base_url with retry handlers).
        dedup: the Deduplicator (default: build_deduplicator(settings): Redis if POSTINGS_REDIS_URL, else in-process).
        thread_memory: the ThreadMemory (default: in-process).
        executor: runs the engine after Slack is acknowledged (default: a small thread pool).

    Raises:
        SlackSetupError: a required token or secret is missing or empty.
    """
    if client is None and _blank(settings.slack_bot_token):
        raise SlackSetupError("SLACK_BOT_TOKEN is empty or not set (the bot token, xoxb-…)")
    if _blank(settings.slack_signing_secret) and settings.slack_app_token is None:
        raise SlackSetupError("SLACK_SIGNING_SECRET is empty or not set (needed in HTTP mode; or set "
                              "SLACK_APP_TOKEN for Socket Mode)")
    secrets = secret_values(settings)
    bolt_logger = protect_logger(logging.getLogger("bot.slack.bolt"), secrets)
    # Bolt copies the base logger's filters to each logger it creates; make sure the one that logs failed
    # signatures (with the full request body) has them even if it was created before.
    protect_logger(logging.getLogger("slack_bolt.RequestVerification"), secrets)
    if client is None:
        client = make_web_client(settings.slack_api_base_url, settings.slack_bot_token.get_secret_value())
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else "",
        request_verification_enabled=True,
        logger=bolt_logger,
        name="postings-bot",
        listener_executor=ThreadPoolExecutor(max_workers=ACK_WORKERS, thread_name_prefix="slack-ack"),
    )
    deps = Deps(
        settings=settings,
        engine=engine,
        dedup=dedup or build_deduplicator(settings),
        threads=thread_memory or InMemoryThreadMemory(),
        executor=executor or ThreadPoolExecutor(max_workers=ANSWER_WORKERS, thread_name_prefix="slack-answer"),
        log=protect_logger(logging.getLogger("bot.slack"), secrets),
    )
    register_listeners(app, deps)
    return app
