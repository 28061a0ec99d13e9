"""The errors loaders raise: a whole file, or one record, that cannot become a posting."""

from __future__ import annotations

from dataclasses import dataclass


class RecordError(ValueError):
    """A record (row, object or file) that cannot become a posting; the message says why."""


class FileError(Exception):
    """A whole file that cannot be used; the message says why."""


@dataclass
class Bad:
    """A row that failed before mapping (bad JSON line, not an object)."""

    reason: str
