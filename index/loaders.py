"""Posting files on disk (csv, json, jsonl, txt, md, html) become Postings; bad input becomes Problems.

This module walks the sources, reads and decodes files, and hands each format to its reader in
`index.formats` (csv, json, text, html, pasted pages); `index.formats.records` maps every record to a Posting.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from bs4.dammit import EncodingDetector

from index.formats.columns import has_field, merge
from index.formats.csv import csv_rows
from index.formats.errors import Bad, FileError, RecordError
from index.formats.html import parse_html_page, strip_page_chrome
from index.formats.json import json_rows, jsonl_rows
from index.formats.records import UNTITLED, posting_from_record
from index.formats.skips import not_a_posting
from index.formats.text import split_header, strip_markdown, text_record
from index.models import Posting, Problem

log = logging.getLogger(__name__)

__all__ = [
    "LoadResult", "RecordError", "SUPPORTED_SUFFIXES", "UNTITLED", "load_postings", "posting_from_record",
    "strip_markdown", "strip_page_chrome", "text_record",
]

SUPPORTED_SUFFIXES = (".csv", ".json", ".jsonl", ".txt", ".md", ".html", ".htm")


@dataclass
class LoadResult:
    """Postings loaded from the sources, the input that could not be used, and how many files were read."""

    postings: list[Posting] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0



# ---------------------------------------------------------------- the public entry point

def load_postings(sources: Sequence[Path], max_file_bytes: int = 10_000_000) -> LoadResult:
    """Load every posting file under the sources (folders walked recursively, or single files); never raises.

    files_read counts the supported files whose bytes were read, whatever came of them.
    """
    result = LoadResult()
    seen_ids: dict[str, str] = {}
    seen_files: set[Path] = set()
    for source in sources:
        source = Path(source)
        try:
            for path, root in _source_files(source, result.problems):
                try:
                    key = path.resolve()
                except (OSError, RuntimeError):
                    key = path.absolute()
                if key in seen_files:
                    log.debug("already loaded: %s", path)
                    continue
                seen_files.add(key)
                try:
                    _load_file(path, root, max_file_bytes, result, seen_ids)
                except Exception as err:  # the last guard: one file never stops the load
                    log.debug("failed to load %s", path, exc_info=True)
                    result.problems.append(Problem(str(path), f"could not be loaded: {type(err).__name__}: {err}"))
        except Exception as err:
            log.debug("failed to walk %s", source, exc_info=True)
            result.problems.append(Problem(str(source), f"could not be read: {type(err).__name__}: {err}"))
    return result


def _source_files(source: Path, problems: list[Problem]) -> Iterator[tuple[Path, Path]]:
    """(file, folder its id is relative to) for a source, sorted; hidden entries and other types skipped."""
    if source.is_dir():
        for folder, dirs, files in os.walk(source, onerror=lambda err: problems.append(
                Problem(str(err.filename or source), f"cannot read folder: {err.strerror or err}"))):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
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


def _load_file(path: Path, root: Path, max_bytes: int, result: LoadResult, seen_ids: dict[str, str]) -> None:
    try:
        data = _read_bytes(path, max_bytes)
    except FileError as err:
        result.problems.append(Problem(str(path), str(err)))
        return
    result.files_read += 1
    slug = _slug(path, root)
    try:
        text = _decode(data, html=path.suffix.lower() in (".html", ".htm"))
        skip = not_a_posting(path.name, text)
        if skip:
            result.problems.append(Problem(str(path), f"skipped, not a posting: {skip}"))
            return
        rows = list(_parse(path, text))
    except FileError as err:
        result.problems.append(Problem(str(path), str(err)))
        return
    except Exception as err:  # a parser bug must not stop the other files
        log.debug("failed to parse %s", path, exc_info=True)
        result.problems.append(Problem(str(path), f"could not be parsed: {type(err).__name__}: {err}"))
        return
    many = path.suffix.lower() in (".csv", ".jsonl") or any(row is not None for row, _ in rows)
    for row, record in rows:
        if isinstance(record, Bad):
            result.problems.append(Problem(str(path), record.reason, row))
            continue
        fallback_id = f"{slug}-row{row}" if row is not None else slug
        source = f"{path}#row{row}" if many and row is not None else str(path)
        try:
            posting = posting_from_record(record, fallback_id=fallback_id, source=source)
        except RecordError as err:
            result.problems.append(Problem(str(path), str(err), row))
            continue
        except Exception as err:
            log.debug("failed to map %s row %s", path, row, exc_info=True)
            result.problems.append(Problem(str(path), f"could not be read: {type(err).__name__}: {err}", row))
            continue
        if posting.id in seen_ids:
            result.problems.append(Problem(
                str(path), f"duplicate id {posting.id!r}: already loaded from {seen_ids[posting.id]}", row))
            continue
        seen_ids[posting.id] = posting.source
        result.postings.append(posting)


# ---------------------------------------------------------------- bytes -> text

def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise FileError("is a folder, not a file")
        if size > max_bytes:
            raise FileError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; skipped")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise FileError(f"cannot read file: {err.strerror or err}") from None
    if len(data) > max_bytes:  # grew while we looked
        raise FileError(f"file is over the {max_bytes:,}-byte limit; skipped")
    return data


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


def _slug(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = Path(path.name)
    stem = relative.with_suffix("").as_posix()
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "posting"
