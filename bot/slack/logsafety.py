"""Keep secrets and user payloads out of the logs.

Two logging filters: RedactingFilter replaces Slack tokens (xox?-…, xapp-…), hooks.slack.com URLs
(live response_urls) and any configured secret with "[redacted]"; SignatureFailureFilter turns
Bolt's "Invalid request signature detected (… body: …)" line, which carries the whole request
(user text, a live response_url), into one without the request. RateLimitedLog keeps a flood of
rejected requests from flooding the log: a few lines per interval, then a count.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Iterable

from bot.logs import REDACTED, SECRET_PATTERNS, RedactingFilter, redact  # noqa: F401 (re-exported)

SIGNATURE_FAILURE_PREFIX = "Invalid request signature detected"


class SignatureFailureFilter(logging.Filter):
    """Drops the request body from Bolt's failed-signature log line (and keeps the line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if (isinstance(record.msg, str) and record.msg.startswith(SIGNATURE_FAILURE_PREFIX)
                and not record.msg.startswith(SIGNATURE_FAILURE_PREFIX + ":")):  # ours carry no request
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


class RateLimitedLog:
    """At most `limit` warnings per `interval` seconds through `logger`; the rest are counted, and the count is
    logged with the first warning of a later interval (one notice marks the moment the limit is reached)."""

    def __init__(self, logger: logging.Logger, limit: int = 10, interval: float = 60.0,
                 clock: Callable[[], float] = time.monotonic):
        self.logger, self.limit, self.interval, self.clock = logger, limit, interval, clock
        self._lock = threading.Lock()
        self._window_start = clock()
        self._logged = 0
        self._held_back = 0

    def warning(self, msg: str, *args: object) -> None:
        """Log one line, unless this interval's budget is spent (then count it)."""
        with self._lock:
            now = self.clock()
            held_back = 0
            if now - self._window_start >= self.interval:
                held_back, self._held_back, self._logged, self._window_start = self._held_back, 0, 0, now
            if self._logged >= self.limit:
                self._held_back += 1
                return
            self._logged += 1
            reached = self._logged == self.limit
        if held_back:
            self.logger.warning("%d similar lines held back in the last %.0f s", held_back, self.interval)
        self.logger.warning(msg, *args)
        if reached:
            self.logger.warning("more than %d such lines in %.0f s: the next are held back and counted",
                                self.limit, self.interval)
