"""Logging set-up for entry points (both `postings-bot` and `postings-index`): text or JSON lines, secrets redacted."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Iterable

REDACTED = "[redacted]"
SECRET_PATTERNS = [
    re.compile(r"xox[a-z]-[A-Za-z0-9-]+"),
    re.compile(r"xapp-[A-Za-z0-9-]+"),
    re.compile(r"https?(?::|%3A)(?://|%2F%2F)hooks\.slack(?:-gov)?\.com[^\s\"'<>)]*", re.IGNORECASE),
    # "signing_secret=abc", "token: abc", "password=…" in free text
    re.compile(r"(?i)(?<=signing_secret=)[^\s\"',&]+|(?<=password=)[^\s\"',&]+|(?<=redis://:)[^@\s]+"),
]


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """The text with tokens, response_urls and the given secret values replaced by [redacted]."""
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and formatted traceback) with secrets redacted."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the raw template only
            message = str(record.msg)
        clean = redact(message, self.secrets)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any `extra` fields."""

    _SKIP = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in self._SKIP and not key.startswith("_"):
                data[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            data["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, default=str, ensure_ascii=False)


def secret_values(settings) -> list[str]:
    """The configured secret values (tokens, signing secret, Redis URL) to redact wherever they appear."""
    values = []
    for name in ("slack_bot_token", "slack_app_token", "slack_signing_secret", "redis_url"):
        secret = getattr(settings, name, None)
        if secret is not None:
            values.append(secret.get_secret_value())
    return values


def configure(level: str = "INFO", fmt: str = "text", secrets: Iterable[str] = ()) -> None:
    """Configure the root logger once: stderr, the chosen format, secrets redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet = max(logging.WARNING, logging.getLevelName(level))
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "transformers", "bm25s"):
        logger = logging.getLogger(noisy)
        logger.setLevel(quiet)
        # bm25s sets its own logger to DEBUG when it is imported, which is later (only where the keyword index
        # is loaded): a filter keeps the level whatever the library sets
        logger.filters[:] = [f for f in logger.filters if not isinstance(f, AtLeast)]
        logger.addFilter(AtLeast(quiet))


class AtLeast(logging.Filter):
    """Drops a logger's records below a level, whatever level the library sets on it."""

    def __init__(self, level: int):
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level
