"""What the last load made of each posting file and record, so that an unchanged one is not parsed again.

Reading a posting is a pure function of its bytes: a file's bytes (and name) decide its records, and a
record's fields decide its Posting (index/formats/records.py). A rebuild of 100,000 postings of which 1%
changed spends most of its time mapping records that did not change, so the loader keeps, in a local file,
the outcome of every file and record it read last time, keyed by a hash of what it read:

- a file unchanged byte for byte is not decoded or parsed: its rows' outcomes are taken as they are;
- in a changed file (a job board export rewritten with a few rows edited), each record unchanged field for
  field keeps its Posting; only the new and edited records are mapped.

An outcome is a Posting's fields as a plain tuple (`kept`; a tuple loads ~30 times faster from the pickle than
a Posting object; without source, which depends on where the record is and is set by the loader) or the
reason the record was not usable. The memo is a cache, never a record of truth: it is keyed
by a hash of the index package's code (any change there starts it afresh), a damaged or foreign file is
ignored (and replaced), and only the entries the last load used are written back, so it does not grow.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import uuid
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping

from index.models import Posting

log = logging.getLogger(__name__)

MEMO_VERSION = 2  # 2: a kept posting ends with its content hash

Outcome = tuple | str  # a record's Posting as `kept` gives it (id: its own or ""), or why it could not be used
_KEPT = tuple(f.name for f in fields(Posting) if f.name not in ("source", "facts"))  # what a kept Posting holds


@dataclass
class FileOutcome:
    """What a file held: a reason it was not used at all (problem), or its rows' outcomes."""

    problem: str | None = None
    many: bool = False  # a tabular file: each posting's source names its row
    rows: list[tuple[int | None, Outcome, bytes | None]] = field(default_factory=list)  # (row, outcome, record key)


@functools.cache
def code_fingerprint() -> str:
    """A hash of the index package's code and tables: what turns bytes into postings."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"memo {MEMO_VERSION}".encode())
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.json")]):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _hash(*parts: bytes) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


def file_key(name: str, data: bytes) -> bytes:
    """The key of a file's outcome: its name (a plain text file's title may come from it) and bytes."""
    return _hash(b"file", name.encode("utf-8", "surrogateescape"), data)


def record_key(record: Mapping[str, Any]) -> bytes | None:
    """The key of a record's outcome: its fields in name order, pickled (pickle writes distinct values apart, so
    two records share a key only when equal; ~2x faster than canonical JSON); None when they cannot be written."""
    try:
        data = pickle.dumps(sorted(record.items()), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a value pickle cannot write or keys that do not sort (parsers give JSON values, but be safe)
        return None
    return _hash(b"record", data)


def line_key(line: str) -> bytes:
    """The key of a JSON Lines record's outcome: its line (the record is json.loads of it; hashing the line
    costs a tenth of decoding it and keying the fields)."""
    return _hash(b"jsonl line", line.encode("utf-8", "surrogatepass"))


class LoadMemo:
    """The outcomes of the last load (read from `path`) and of this one (written back by `save`)."""

    def __init__(self, path: Path | None = None, entries: dict[bytes, Any] | None = None):
        self.path = path
        self._old: dict[bytes, Any] = entries or {}
        self._new: dict[bytes, Any] = {}
        self.file_hits = self.record_hits = self.misses = 0

    @classmethod
    def open(cls, path: Path | None) -> "LoadMemo":
        """The memo kept at path (empty when there is none, it is damaged, or other code wrote it)."""
        if path is None:
            return cls(None)
        try:
            with open(path, "rb") as handle:
                kept = pickle.load(handle)
        except FileNotFoundError:
            return cls(path)
        except Exception as err:  # a cache: a damaged file only costs a full parse, and is replaced
            log.warning("the load memo %s is unusable (%s: %s); every posting file is parsed", path,
                        type(err).__name__, err)
            return cls(path)
        if not isinstance(kept, dict) or kept.get("code") != code_fingerprint() or not isinstance(
                kept.get("entries"), dict):
            log.info("the load memo %s was written by other code; every posting file is parsed", path)
            return cls(path)
        return cls(path, kept["entries"])

    # files

    def file(self, key: bytes) -> FileOutcome | None:
        found = self._new.get(key) or self._old.get(key)
        if not isinstance(found, FileOutcome):
            return None
        self.file_hits += 1
        self._new[key] = found
        for _row, outcome, key in found.rows:  # its records stay known: the file may change in a few rows next time
            if key is not None:
                self._new[key] = outcome
        return found

    def keep_file(self, key: bytes, outcome: FileOutcome) -> None:
        self._new[key] = outcome

    # records

    def record(self, key: bytes | None) -> Outcome | None:
        if key is None:
            return None
        found = self._new.get(key) or self._old.get(key)
        if found is None or isinstance(found, FileOutcome):
            self.misses += 1
            return None
        self.record_hits += 1
        self._new[key] = found
        return found

    def keep_record(self, key: bytes | None, outcome: Outcome) -> None:
        if key is not None:
            self._new[key] = outcome

    def save(self) -> None:
        """Write this load's entries (only those: the memo holds what the sources hold now), atomically;
        a failure (disk full, read-only folder) is logged, never raised."""
        if self.path is None:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                pickle.dump({"code": code_fingerprint(), "entries": self._new}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except Exception as err:
            log.warning("could not write the load memo %s (%s: %s); the next rebuild parses every posting file",
                        self.path, type(err).__name__, err)
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass


def kept(posting: Posting) -> tuple:
    """A Posting as the memo keeps it: its fields but source and facts, then its content hash, in a plain tuple
    (the hash depends on those fields only, so a posting made from it again need not compute it)."""
    return (*(getattr(posting, name) for name in _KEPT), posting.content_hash)


def posting_for(outcome: tuple, source: str) -> Posting:
    """A fresh Posting for one use of a kept outcome (the loader and the rebuild set its id, source and facts;
    the kept one is never changed)."""
    values = dict(zip(_KEPT, outcome))
    values["columns"] = dict(values["columns"])
    return Posting(source=source, **values).with_content_hash(outcome[len(_KEPT)])
