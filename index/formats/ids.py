"""Posting ids made from a file's path, for records that carry no id of their own.

A plain name (lower-case ASCII letters and digits, separated by single `-`, `_`, `.` or `/`) keeps the
slug it always had: `scraped/harbor-backend.txt` -> `scraped-harbor-backend`. Any other name keeps its
words (Unicode letters too) and adds a short hash of its path relative to the source folder:
`工程师.txt` -> `工程师-3f2a9c1d`, `Job.txt` -> `job-8be01c7a`. The hash depends on that path alone, so
adding or removing other files never changes it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import PurePath

PLAIN = re.compile(r"[a-z0-9]+(?:[-_./][a-z0-9]+)*")
HASH_CHARS = 8


def slug(stem: str) -> str:
    """Words of a path without its suffix, lower-cased and joined by '-' ('posting' when it has none)."""
    return re.sub(r"[\W_]+", "-", stem.lower()).strip("-") or "posting"


def path_hash(path: str) -> str:
    """A short hash of a path (undecodable bytes of a file name included)."""
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:HASH_CHARS]


def plain_id(relative: PurePath) -> str | None:
    """The slug of a plain relative path, else None: two plain paths can share it (a/b.txt, a-b.txt)."""
    name = relative.as_posix()
    return slug(relative.with_suffix("").as_posix()) if PLAIN.fullmatch(name) else None


def hashed_id(relative: PurePath) -> str:
    """The slug of a relative path and a hash of it: distinct for distinct paths under one folder."""
    return f"{slug(relative.with_suffix('').as_posix())}-{path_hash(relative.as_posix())}"


def with_row(base: str, row: int | None) -> str:
    """The id of one row of a file (a CSV line, an item of a JSON list), or of the file itself."""
    return base if row is None else f"{base}-row{row}"
