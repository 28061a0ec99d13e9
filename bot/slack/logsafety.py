"""Keep secrets and user payloads out of the logs.

Two logging filters: RedactingFilter replaces Slack tokens (xox?-…, xapp-…), hooks.slack.com URLs
(live response_urls) and any configured secret with "[redacted]"; SignatureFailureFilter turns
Bolt's "Invalid request signature detected (… body: …)" line, which carries the whole request
(user text, a live response_url), into one without the request.
"""

from __future__ import annotations

import logging
from typing import Iterable

from bot.logs import REDACTED, SECRET_PATTERNS, RedactingFilter, redact  # noqa: F401 (re-exported)

SIGNATURE_FAILURE_PREFIX = "Invalid request signature detected"


class SignatureFailureFilter(logging.Filter):
    """Drops the request body from Bolt's failed-signature log line (and keeps the line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(SIGNATURE_FAILURE_PREFIX):
            record.msg = f"{SIGNATURE_FAILURE_PREFIX}: request rejected with 401 (request withheld from the log)"
            record.args = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def add_filter_once(target: logging.Logger | logging.Handler, new: logging.Filter) -> None:
    """Attach a filter unless one of the same class is already there (then refresh its secrets)."""
    for existing in target.filters:
        if type(existing) is type(new):
            if isinstance(existing, RedactingFilter) and isinstance(new, RedactingFilter):
                existing.secrets = list(dict.fromkeys(existing.secrets + new.secrets))
            return
    target.addFilter(new)


def protect_logger(logger: logging.Logger, secrets: Iterable[str] = ()) -> logging.Logger:
    """Attach both filters to one logger (records it creates are cleaned before any handler sees them)."""
    add_filter_once(logger, SignatureFailureFilter())
    add_filter_once(logger, RedactingFilter(secrets))
    return logger


def protect_handlers(logger: logging.Logger | None = None, secrets: Iterable[str] = ()) -> None:
    """Attach a RedactingFilter to every handler of a logger (the root by default): covers all libraries."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        add_filter_once(handler, SignatureFailureFilter())
        add_filter_once(handler, RedactingFilter(secrets))
