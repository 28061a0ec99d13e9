"""Every Slack HTTP client the app makes: the settings' API base URL, retries on 429 and on connection errors."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, RetryHandler
from slack_sdk.webhook import WebhookClient

from bot.slack.logsafety import protect_logger

TIMEOUT_SECONDS = 15
log = protect_logger(logging.getLogger("bot.slack.http"))


def retry_handlers() -> list[RetryHandler]:
    """Retry after Retry-After on HTTP 429 (the request was not processed, so no duplicate post) and on resets."""
    return [ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=3)]


def make_web_client(base_url: str, token: str | None = None) -> WebClient:
    """A WebClient on the given API base URL (keep the trailing slash) with the retry handlers."""
    return WebClient(token=token, base_url=base_url, timeout=TIMEOUT_SECONDS,
                     retry_handlers=retry_handlers(), logger=log)


class ResponseUrl:
    """Posts messages to a slash command's or an action's response_url, with retries; never logs the URL."""

    def __init__(self, url: str | None):
        self.url = url or ""

    def __call__(self, message: dict[str, Any]) -> bool:
        """Send one message; True when Slack accepted it."""
        if not self.url:
            log.warning("no response_url to reply to")
            return False
        client = WebhookClient(url=self.url, timeout=TIMEOUT_SECONDS, retry_handlers=retry_handlers(), logger=log)
        try:
            response = client.send_dict(message)
        except Exception as err:  # connection refused after retries, timeouts
            log.warning("posting to a response_url failed: %s", type(err).__name__)
            return False
        if response.status_code != 200:
            log.warning("a response_url answered HTTP %s (%s)", response.status_code, (response.body or "")[:100])
            return False
        return True
