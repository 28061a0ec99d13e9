"""Logging set-up for entry points: kept in `config/logs.py` (shared by `bot/` and `index/`), re-exported here."""

from config.logs import (  # noqa: F401 (re-exported for bot modules and tests)
    REDACTED, SECRET_PATTERNS, JsonFormatter, RedactingFilter, configure, redact, secret_values,
)
