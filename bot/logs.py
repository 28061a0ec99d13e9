"""Logging set-up for entry points: text or JSON lines, with secrets redacted."""

from __future__ import annotations

import json
import logging
import re
import sys

_SECRET = re.compile(
    r"xox[abposr]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+|https://hooks\.slack\.com/[^\s\"']+|"
    r"(?i:(signing_secret|token|secret|password)[\"']?\s*[:=]\s*[\"']?)[^\s\"',&]+"
)


def redact(text: str) -> str:
    """Replace tokens, response URLs and secret-looking values with [redacted]."""
    return _SECRET.sub(lambda m: (m.group(1) + "=[redacted]") if m.group(1) else "[redacted]", text)


class RedactingFilter(logging.Filter):
    """Rewrites every record's message with secrets redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_text is None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
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
                data[key] = value
        if record.exc_info:
            data["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(data, default=str, ensure_ascii=False)


def configure(level: str = "INFO", fmt: str = "text") -> None:
    """Configure the root logger once: stderr, the chosen format, secrets redacted."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    try:
        import bm25s  # noqa: F401  (it sets its own logger to DEBUG when imported; import first, then quiet it)
    except ImportError:
        pass
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
