"""Posting files on disk (csv, json, jsonl, txt, md, html) become Postings; bad input becomes Problems.

This module walks the sources, reads and decodes files, and hands each format to its reader in
`index.formats` (csv, json, text, html, pasted pages); `index.formats.records` maps every record to a Posting.
"""

from __future__ import annotations

import codecs
import functools
import logging
import os
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence

from bs4.dammit import EncodingDetector

from index.formats import ids
from index.formats.columns import has_field, merge
from index.formats.csv import csv_rows
from index.formats.errors import Bad, FileError, RecordError
from index.formats.html import parse_html_page, strip_page_chrome
from index.formats.json import json_rows, jsonl_lines, jsonl_record, jsonl_rows
from index.formats.records import UNTITLED, posting_from_record
from index.formats.skips import not_a_posting
from index.formats.text import split_header, strip_markdown, text_record
from index.load_memo import FileOutcome, LoadMemo, file_key, kept, line_key, posting_for, record_key
from index.models import Posting, Problem

log = logging.getLogger(__name__)

__all__ = [
    "LoadResult", "RecordError", "SUPPORTED_SUFFIXES", "UNTITLED", "load_postings", "posting_from_record",
    "strip_markdown", "strip_page_chrome", "text_record",
]

SUPPORTED_SUFFIXES = (".csv", ".json", ".jsonl", ".txt", ".md", ".html", ".htm")

PreviousSource = Callable[[str], "str | None"]  # posting id -> the source it was loaded from last time


@dataclass
class LoadResult:
    """Postings loaded from the sources, the input that could not be used, and how many files were read."""

    postings: list[Posting] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0



# ---------------------------------------------------------------- the public entry point

def load_postings(sources: Sequence[Path], max_file_bytes: int = 10_000_000, *, follow_symlinks: bool = False,
                  read_seconds: float = 10.0, previous_source: PreviousSource | None = None,
                  memo: LoadMemo | None = None) -> LoadResult:
    """Load every posting file under the sources (folders walked recursively, or single files); never raises.

    Args:
        follow_symlinks: read links (to files or folders) that lead out of their source folder; by default
            they are skipped and reported. Links within the folder are always read (once).
        read_seconds: a file whose reading takes longer is skipped and reported (a hung network mount).
        previous_source: posting id -> the source it was loaded from last time, if known; when two plain
            file names make the same id, the file that had it keeps it.
        memo: what the last load made of each file and record (index/load_memo.py): unchanged ones are not
            parsed again; it is saved with this load's outcomes. None: every file is parsed.

    Every distinct file and row gets its own id (index/formats/ids.py); two postings are merged (the
    later one reported as a duplicate) only when the records' own ids are the same.
    files_read counts the supported files whose bytes were read, whatever came of them.
    """
    result = LoadResult()
    memo = memo if memo is not None else LoadMemo(None)
    loaded: list[_Loaded] = []
    seen_files: set[Path] = set()
    for source in sources:
        source = Path(source)
        try:
            confine_to = source.resolve() if source.is_dir() and not follow_symlinks else None  # a named file is read
            reading = _Reading(max_file_bytes, read_seconds, confine_to)
            for path, root in _source_files(source, result.problems, follow_symlinks):
                try:
                    key = path.resolve()
                except (OSError, RuntimeError):
                    key = path.absolute()
                if key in seen_files:
                    log.debug("already loaded: %s", path)
                    continue
                seen_files.add(key)
                try:
                    _load_file(path, root, reading, result, loaded, memo)
                except Exception as err:  # the last guard: one file never stops the load
                    log.debug("failed to load %s", path, exc_info=True)
                    result.problems.append(Problem(str(path), f"could not be loaded: {type(err).__name__}: {err}"))
        except Exception as err:
            log.debug("failed to walk %s", source, exc_info=True)
            result.problems.append(Problem(str(source), f"could not be read: {type(err).__name__}: {err}"))
    memo.save()
    result.postings = _assign_ids(loaded, result.problems, previous_source or (lambda _id: None))
    return result


@dataclass
class _Reading:
    """How files are read: the size and time limits, and the folder links must stay in (None: follow them)."""

    max_bytes: int
    seconds: float
    confine_to: Path | None  # resolved


@dataclass
class _Loaded:
    """A posting before its id is settled: its own id, or the ids its file path offers."""

    posting: Posting
    path: str
    row: int | None
    own_id: bool
    plain: str | None = None  # the plain slug id (may be shared with another plain path)
    hashed: str = ""  # slug and path hash: unique under one folder


def _source_files(source: Path, problems: list[Problem], follow_links: bool) -> Iterator[tuple[Path, Path]]:
    """(file, folder its id is relative to) for a source, sorted; hidden entries and other types skipped.

    Links to folders outside the source are reported and not walked unless follow_links.
    """
    if source.is_dir():
        root = source.resolve()
        walked: set[str] = set()
        for folder, dirs, files in os.walk(source, followlinks=follow_links, onerror=lambda err: problems.append(
                Problem(str(err.filename or source), f"cannot read folder: {err.strerror or err}"))):
            walked.add(os.path.realpath(folder))
            dirs[:] = [d for d in sorted(dirs) if not d.startswith(".")
                       and _walk_into(Path(folder) / d, root, follow_links, walked, problems)]
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = Path(folder) / name
                if path.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield path, source
                else:
                    log.debug("ignoring %s: not a posting file type", path)
    elif source.exists() or source.is_symlink():
        if source.suffix.lower() in SUPPORTED_SUFFIXES:
            yield source, source.parent
        else:
            problems.append(Problem(str(source), f"unsupported file type {source.suffix or '(none)'!r}"))
    else:
        problems.append(Problem(str(source), "source folder does not exist"))


def _walk_into(folder: Path, root: Path, follow_links: bool, walked: set[str], problems: list[Problem]) -> bool:
    """Whether to walk a sub-folder: not a link leading out of the source (unless followed), never twice."""
    if not folder.is_symlink():
        return True
    real = os.path.realpath(folder)
    if not follow_links:
        if not _inside(Path(real), root):
            problems.append(Problem(str(folder), _outside_reason(real, "folder")))
        return False  # a link within the source: its files are walked where they are
    return real not in walked  # followed, but a loop of links is walked once


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _outside_reason(target: str, kind: str) -> str:
    return (f"a link to a {kind} outside the source folder ({target}), not followed; "
            "set POSTINGS_FOLLOW_SYMLINKS=true to follow such links")


def _load_file(path: Path, root: Path, reading: _Reading, result: LoadResult, loaded: list[_Loaded],
               memo: LoadMemo) -> None:
    try:
        data = _read_bytes(path, reading)
    except FileError as err:
        result.problems.append(Problem(str(path), str(err)))
        return
    result.files_read += 1
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = Path(path.name)
    key = file_key(path.name, data)
    outcome = memo.file(key)
    if outcome is None:
        outcome, keep = _read_file(path, data, memo)
        if keep:
            memo.keep_file(key, outcome)
    if outcome.problem is not None:
        result.problems.append(Problem(str(path), outcome.problem))
        return
    plain, hashed = ids.plain_id(relative), ids.hashed_id(relative)
    for row, made, _key in outcome.rows:
        if isinstance(made, str):
            result.problems.append(Problem(str(path), made, row))
            continue
        source = f"{path}#row{row}" if outcome.many and row is not None else str(path)
        posting = posting_for(made, source)
        entry = _Loaded(posting, str(path), row, own_id=bool(posting.id))
        if not entry.own_id:
            entry.plain = ids.with_row(plain, row) if plain else None
            entry.hashed = ids.with_row(hashed, row)
        loaded.append(entry)


def _read_file(path: Path, data: bytes, memo: LoadMemo) -> tuple[FileOutcome, bool]:
    """What a file's bytes hold (its records mapped to Postings, unchanged records taken from the memo), and
    whether that may be kept (not when a parser failed unexpectedly: that is logged and tried again)."""
    try:
        text = _decode(data, html=path.suffix.lower() in (".html", ".htm"))
        skip = not_a_posting(path.name, text)
        if skip:
            return FileOutcome(problem=f"skipped, not a posting: {skip}"), True
        rows = list(_keyed_rows(path, text))
    except FileError as err:
        return FileOutcome(problem=str(err)), True
    except Exception as err:  # a parser bug must not stop the other files
        log.debug("failed to parse %s", path, exc_info=True)
        return FileOutcome(problem=f"could not be parsed: {type(err).__name__}: {err}"), False
    outcome = FileOutcome(many=path.suffix.lower() in (".csv", ".jsonl") or any(row is not None for row, _, _ in rows))
    keep = True
    for row, key, read in rows:
        made = memo.record(key)
        if made is None:
            record = read()
            if isinstance(record, Bad):
                made = record.reason
            else:
                try:
                    made = kept(posting_from_record(record, fallback_id="", source=""))
                except RecordError as err:
                    made = str(err)
                except Exception as err:
                    log.debug("failed to map %s row %s", path, row, exc_info=True)
                    outcome.rows.append((row, f"could not be read: {type(err).__name__}: {err}", None))
                    keep = False
                    continue
            memo.keep_record(key, made)
        outcome.rows.append((row, made, key))
    return outcome, keep


def _keyed_rows(path: Path, text: str) -> Iterator[tuple[int | None, bytes | None, Callable[[], Any]]]:
    """A file's records, each as (row, the key of its outcome in the memo, how to read it): a JSON Lines record is
    keyed by its line and decoded only when the memo does not know it; others by their fields (None: no key)."""
    if path.suffix.lower() == ".jsonl":
        for number, line in jsonl_lines(text):
            yield number, line_key(line), functools.partial(jsonl_record, line)
        return
    for row, record in _parse(path, text):
        yield row, None if isinstance(record, Bad) else record_key(record), functools.partial(_same, record)


def _same(value: Any) -> Any:
    return value


def _assign_ids(loaded: list[_Loaded], problems: list[Problem], previous_source: PreviousSource) -> list[Posting]:
    """Settle every id, keeping the load order: the records' own ids first (a repeated one is a duplicate,
    reported and dropped), then plain slugs (one file per slug: the one that had it before, else the first),
    then slug-and-hash ids for the rest."""
    taken: dict[str, str] = {}  # id -> source
    dropped: set[int] = set()
    for number, entry in enumerate(loaded):
        posting = entry.posting
        if not entry.own_id:
            continue
        if posting.id in taken:
            problems.append(Problem(entry.path, f"duplicate id {posting.id!r}: already loaded from {taken[posting.id]}",
                                    entry.row))
            dropped.add(number)
        else:
            taken[posting.id] = posting.source
    wanting: dict[str, list[_Loaded]] = {}
    for entry in loaded:
        if not entry.own_id and entry.plain:
            wanting.setdefault(entry.plain, []).append(entry)
    for plain, entries in wanting.items():
        if plain in taken:
            continue
        before = previous_source(plain) if len(entries) > 1 else None
        keeper = next((e for e in entries if e.posting.source == before), entries[0])
        keeper.posting.id = plain
        taken[plain] = keeper.posting.source
        if len(entries) > 1:
            log.info("%d files make the id %r: %s keeps it, the others get a hash of their path",
                     len(entries), plain, keeper.posting.source)
    for entry in loaded:
        posting = entry.posting
        if entry.own_id or posting.id:
            continue
        posting.id = entry.hashed if entry.hashed not in taken else f"{entry.hashed}-{ids.path_hash(posting.source)}"
        taken[posting.id] = posting.source
    return [entry.posting for number, entry in enumerate(loaded) if number not in dropped]


# ---------------------------------------------------------------- bytes -> text

def _read_bytes(path: Path, reading: _Reading) -> bytes:
    """The bytes of a regular file, within the size and time limits; never opens a pipe, socket or device."""
    try:
        if reading.confine_to is not None and path.is_symlink():
            target = os.path.realpath(path)
            if not _inside(Path(target), reading.confine_to):
                raise FileError(_outside_reason(target, "file"))
        info = path.stat()
    except OSError as err:
        raise FileError(f"cannot read file: {err.strerror or err}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileError("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise FileError(f"not a regular file ({_kind(info.st_mode)}); skipped")
    if info.st_size > reading.max_bytes:
        raise FileError(f"file is {info.st_size:,} bytes, over the {reading.max_bytes:,}-byte limit; skipped")
    data = _within(reading.seconds, lambda: _read_regular(str(path), reading.max_bytes))
    if len(data) > reading.max_bytes:  # grew while we looked
        raise FileError(f"file is over the {reading.max_bytes:,}-byte limit; skipped")
    return data


def _read_regular(path: str, max_bytes: int) -> bytes:
    """Up to max_bytes + 1 bytes of a regular file, opened without blocking (it may have become a pipe)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        raise FileError(f"cannot read file: {err.strerror or err}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileError(f"not a regular file ({_kind(mode)}); skipped")
        try:
            return handle.read(max_bytes + 1)
        except OSError as err:
            raise FileError(f"cannot read file: {err.strerror or err}") from None


def _within(seconds: float, read: Callable[[], bytes]) -> bytes:
    """read() on a helper thread, given up (the thread left to finish alone) after `seconds`."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(read())
        except BaseException as err:  # handed to the caller
            outcome.append(err)

    worker = threading.Thread(target=run, name="read-posting-file", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise FileError(f"reading took longer than {seconds:g} s; skipped")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a file"


def _decode(data: bytes, html: bool = False) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is a problem."""
    if not data.strip():
        raise FileError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileError("not UTF-16 text despite its byte-order mark") from None
    elif b"\x00" in data:
        raise FileError("binary file (contains NUL bytes), not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            declared = _declared_html_charset(data) if html else None
            if declared is None:
                raise FileError(
                    f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})") from None
            text = data.decode(declared, errors="replace")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise FileError("empty file")
    return text


def _declared_html_charset(data: bytes) -> str | None:
    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    try:
        return codecs.lookup(declared).name if declared else None
    except LookupError:
        return None


# ---------------------------------------------------------------- text -> records

def _parse(path: Path, text: str) -> Iterator[tuple[int | None, Mapping[str, Any] | Bad]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from csv_rows(text)
    elif suffix == ".jsonl":
        yield from jsonl_rows(text)
    elif suffix == ".json":
        yield from json_rows(text)
    elif suffix in (".html", ".htm"):
        yield None, _html_record(text)
    else:
        yield None, text_record(text, markdown=suffix == ".md", name=path.stem)


def _html_record(html: str) -> dict[str, Any]:
    """A page's fields, plus a "Company: ... / Location: ..." header at the top of its text."""
    record = parse_html_page(html)
    header, text = split_header(str(record.get("description", "")), want_title=not has_field(record, "title"))
    merge(record, header)
    record["description"] = text
    return record
