"""Posting files on disk (csv, json, jsonl, txt, md, html) become Postings; bad input becomes Problems."""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import math
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from bs4.dammit import EncodingDetector

from index.html import (
    html_to_text,
    job_posting_fields,
    looks_like_html,
    parse_html_page,
    split_page_head,
    strip_page_chrome,
)
from index.models import Posting, Problem
from index.text import is_heading

log = logging.getLogger(__name__)

__all__ = [
    "LoadResult", "RecordError", "load_postings", "posting_from_record", "strip_markdown", "strip_page_chrome",
    "text_record",
]

SUPPORTED_SUFFIXES = (".csv", ".json", ".jsonl", ".txt", ".md", ".html", ".htm")
UNTITLED = "Untitled posting"
_JSON_WRAPPERS = ("jobs", "postings", "results", "data", "items")


@dataclass
class LoadResult:
    """Postings loaded from the sources, the input that could not be used, and how many files were read."""

    postings: list[Posting] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0


class RecordError(ValueError):
    """A record (row, object or file) that cannot become a posting; the message says why."""


class _FileError(Exception):
    """A whole file that cannot be used; the message says why."""


@dataclass
class _Bad:
    """A row that failed before mapping (bad JSON line, not an object)."""

    reason: str


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
    except _FileError as err:
        result.problems.append(Problem(str(path), str(err)))
        return
    result.files_read += 1
    slug = _slug(path, root)
    try:
        text = _decode(data, html=path.suffix.lower() in (".html", ".htm"))
        rows = list(_parse(path, text))
    except _FileError as err:
        result.problems.append(Problem(str(path), str(err)))
        return
    except Exception as err:  # a parser bug must not stop the other files
        log.debug("failed to parse %s", path, exc_info=True)
        result.problems.append(Problem(str(path), f"could not be parsed: {type(err).__name__}: {err}"))
        return
    many = path.suffix.lower() in (".csv", ".jsonl") or any(row is not None for row, _ in rows)
    for row, record in rows:
        if isinstance(record, _Bad):
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
            raise _FileError("is a folder, not a file")
        if size > max_bytes:
            raise _FileError(f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; skipped")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise _FileError(f"cannot read file: {err.strerror or err}") from None
    if len(data) > max_bytes:  # grew while we looked
        raise _FileError(f"file is over the {max_bytes:,}-byte limit; skipped")
    return data


def _decode(data: bytes, html: bool = False) -> str:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM; anything else is a problem."""
    if not data.strip():
        raise _FileError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _FileError("not UTF-16 text despite its byte-order mark") from None
    elif b"\x00" in data:
        raise _FileError("binary file (contains NUL bytes), not text")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            declared = _declared_html_charset(data) if html else None
            if declared is None:
                raise _FileError(
                    f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start})") from None
            text = data.decode(declared, errors="replace")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise _FileError("empty file")
    return text


def _declared_html_charset(data: bytes) -> str | None:
    declared = EncodingDetector.find_declared_encoding(data[:4096], is_html=True)
    try:
        return codecs.lookup(declared).name if declared else None
    except LookupError:
        return None


# ---------------------------------------------------------------- text -> records

def _parse(path: Path, text: str) -> Iterator[tuple[int | None, Mapping[str, Any] | _Bad]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(text)
    elif suffix == ".jsonl":
        yield from _jsonl_rows(text)
    elif suffix == ".json":
        yield from _json_rows(text)
    elif suffix in (".html", ".htm"):
        yield None, _html_record(text)
    else:
        yield None, text_record(text, markdown=suffix == ".md")


def _html_record(html: str) -> dict[str, Any]:
    """A page's fields, plus a "Company: ... / Location: ..." header at the top of its text."""
    record = parse_html_page(html)
    header, text = _split_header(str(record.get("description", "")), want_title=not _has_field(record, "title"))
    _merge(record, header)
    record["description"] = text
    return record


def _csv_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any] | _Bad]]:
    csv.field_size_limit(10**9)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as err:
        raise _FileError(f"malformed CSV header: {err}") from None
    keys = {_norm_key(h) for h in header if h}
    if not keys & set(_ALIASES["description"]):
        raise _FileError(f"no description column (columns: {', '.join(h for h in header if h)[:300]})")
    row = 0
    try:
        for row, values in enumerate(reader, start=1):
            yield row, {k: v for k, v in values.items() if k is not None}
    except csv.Error as err:
        yield row + 1, _Bad(f"malformed CSV (line {reader.line_num}): {err}; the rest of the file was skipped")
    if row == 0:
        raise _FileError("no data rows (only a header)")


def _jsonl_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any] | _Bad]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as err:
            column = getattr(err, "colno", None)
            where = f" at column {column}" if column else ""
            yield number, _Bad(f"malformed JSON{where}: {getattr(err, 'msg', err)}")
            continue
        yield number, value if isinstance(value, dict) else _Bad(f"not a JSON object (got {_json_kind(value)})")


def _json_rows(text: str) -> Iterator[tuple[int | None, Mapping[str, Any] | _Bad]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and _all_lines_json(text):  # JSON Lines saved as .json
            yield from _jsonl_rows(text)
            return
        raise _FileError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    for _ in range(3):  # {"data": {"jobs": [...]}}
        if isinstance(value, dict) and not _has_description(value):
            inner = next((v for k, v in value.items() if k.lower() in _JSON_WRAPPERS and isinstance(v, (list, dict))),
                         None)
            if inner is not None:
                value = inner
                continue
        break
    if isinstance(value, dict):
        yield None, value
    elif isinstance(value, list):
        if not value:
            raise _FileError("empty JSON list: no postings")
        for index, item in enumerate(value, start=1):
            yield index, item if isinstance(item, dict) else _Bad(f"not a JSON object (got {_json_kind(item)})")
    else:
        raise _FileError(f"JSON value is not an object or a list of objects (got {_json_kind(value)})")


def _all_lines_json(text: str) -> bool:
    try:
        for line in text.splitlines():
            if line.strip():
                json.loads(line)
    except ValueError:
        return False
    return True


def _json_kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def _has_description(record: Mapping[str, Any]) -> bool:
    return any(_norm_key(k) in _ALIASES["description"] for k in record if isinstance(k, str))


# ---------------------------------------------------------------- txt and md files

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HEADER_LINE = re.compile(r"^(?:[-*•]\s*)?([A-Za-z][A-Za-z .()/_-]{0,30}?)\s*:\s*(.*)$")
_MD_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def text_record(text: str, markdown: bool = False) -> dict[str, Any]:
    """A record from a .txt or .md posting: front matter or a "Key: value" header, title, and clean text."""
    record: dict[str, Any] = {}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front = _FRONT_MATTER.match(text)
    if front:
        _merge(record, _key_values(front.group(1).split("\n")))
        text = text[front.end():]
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:  # a leading "# Title" (or "Title" over "====") names the posting
        heading = _MD_TITLE.match(lines[first].strip())
        underlined = first + 1 < len(lines) and re.fullmatch(r"=+\s*", lines[first + 1]) is not None
        if heading or underlined:
            title = heading.group(1) if heading else lines[first].strip()
            _merge(record, {"title": strip_markdown(title) if markdown else title})
            del lines[first:first + (1 if heading else 2)]
    text = "\n".join(lines)
    if markdown:
        text = strip_markdown(text)
    text = strip_page_chrome(text)
    head, text = split_page_head(text)
    if head is not None:
        _merge(record, {"title": head.title})
        if head.byline is not None:
            _merge(record, {"company": head.byline.company, "location": head.byline.location,
                            "remote_hint": head.byline.remote_hint})
    header, text = _split_header(text, want_title=not _has_field(record, "title"))
    _merge(record, header)
    if not _has_field(record, "title"):
        text_lines = text.split("\n")
        candidate = text_lines[0].strip() if text_lines else ""
        if _title_line(candidate) and any(line.strip() for line in text_lines[1:]):
            record["title"] = candidate
            text = "\n".join(text_lines[1:])
    record["description"] = text.strip()
    return record


def _field_of(key: str) -> str | None:
    norm = _norm_key(key)
    return next((name for name, keys in _ALIASES.items() if norm in keys), None)


def _has_field(record: Mapping[str, Any], name: str) -> bool:
    """True when the record has a non-blank value under any key meaning `name` ("Job Title" for title)."""
    return any(_field_of(k) == name and not _blank(v) for k, v in record.items() if isinstance(k, str))


def _merge(record: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Add values whose field the record does not have yet (the first source of a field wins)."""
    for key, value in values.items():
        name = _field_of(key)
        if _blank(value) or (name is not None and _has_field(record, name)) or key in record:
            continue
        record[key] = value


def _key_values(lines: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        match = re.match(r"^\s*([A-Za-z_][\w .-]*?)\s*:\s*(.*?)\s*$", line)
        if match and match.group(2):
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            out.setdefault(match.group(1), value)
    return out


def _split_header(text: str, want_title: bool) -> tuple[dict[str, str], str]:
    """Leading "Title: ... / Company: ... / Salary: ..." lines (within the first two lines), and the rest."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    fields: dict[str, str] = {}
    title_line: str | None = None
    if i < len(lines) and _header_pair(lines[i]) is None and want_title and _title_line(lines[i].strip()):
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and _header_pair(lines[j]) is not None:
            title_line, i = lines[i].strip(), j
    end = i
    while i < len(lines) and i < end + 40:
        if not lines[i].strip():
            i += 1
            continue
        pair = _header_pair(lines[i])
        if pair is None:
            break
        fields.setdefault(*pair)
        i += 1
        end = i
    if not fields:
        return {}, text
    if title_line is not None:
        fields.setdefault("title", title_line)
    return fields, "\n".join(lines[end:]).strip()


def _header_pair(line: str) -> tuple[str, str] | None:
    match = _HEADER_LINE.match(line.strip())
    if not match or not match.group(2).strip():
        return None
    key = _norm_key(match.group(1))
    if key not in _HEADER_KEYS:
        return None
    return key, match.group(2).strip()


def _title_line(line: str) -> bool:
    return (0 < len(line) <= 100 and len(line.split()) <= 12 and not line.endswith((".", "!", "?", ":", ","))
            and not is_heading(line))


_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^[ \t]{0,3}(?:```|~~~).*$", re.M), ""),  # code fences
    (re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^[ \t]{0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # rules
    (re.compile(r"^[ \t]{0,3}=+[ \t]*$", re.M), ""),  # setext underlines
    (re.compile(r"^[ \t]{0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^([ \t]*)[*+][ \t]+", re.M), r"\1- "),  # bullets
    (re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.M), ""),  # table rules
    (re.compile(r"^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$", re.M), ""),  # link reference definitions
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![\w*])"), r"\1"),  # *italic*
    (re.compile(r"(?<![\w\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_\\])_(?!\w)"), r"\1"),  # _italic_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])"), r"\1"),  # escapes
]


def strip_markdown(text: str) -> str:
    """Markdown as plain text, line structure kept: headings as plain lines, **bold** -> bold, links -> their text."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    lines = []
    for line in text.split("\n"):
        if line.strip().startswith("|") and line.strip().endswith("|"):  # table row
            line = " | ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        lines.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------- records -> Posting

# Canonical field -> the keys sources use for it (normalised: snake_case, lower), most preferred first.
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "job_id", "posting_id", "jobkey", "job_key", "identifier", "requisition_id"),
    "title": ("title", "job_title", "position", "position_title", "jobtitle", "role"),
    "company": ("company", "company_name", "employer", "employer_name", "hiring_organization", "organization",
                "companyname"),
    "location": ("location", "job_location", "location_name", "locations"),
    "description": ("description", "text", "body", "job_description", "content", "description_text",
                    "description_html", "job_description_text"),
    "min_salary": ("min_salary", "salary_min", "min_amount", "minimum_salary", "salary_from"),
    "max_salary": ("max_salary", "salary_max", "max_amount", "maximum_salary", "salary_to"),
    "med_salary": ("med_salary", "median_salary", "salary_median"),
    "salary": ("salary", "salary_string", "salary_range", "salary_text", "pay", "pay_range", "compensation"),
    "pay_period": ("pay_period", "interval", "salary_period", "salary_interval", "salary_rate", "salary_unit",
                   "period", "unit_text"),
    "currency": ("currency", "salary_currency"),
    "remote": ("remote", "remote_allowed", "is_remote", "work_from_home", "telecommute", "remote_ok"),
    "remote_hint": ("remote_hint", "workplace_type", "work_mode", "work_arrangement"),
    "work_type": ("formatted_work_type", "employment_type", "job_type", "work_type", "type", "schedule_type",
                  "contract_type"),
    "url": ("job_posting_url", "job_url", "posting_url", "url", "link", "job_link", "apply_url", "application_url"),
    "listed": ("listed", "listed_at", "listed_time", "original_listed_time", "date_posted", "posted_at", "posted",
               "posted_date", "date", "publication_date", "created_at"),
    "experience_level": ("formatted_experience_level", "experience_level", "seniority_level", "seniority",
                         "job_level"),
    "skills": ("skills_desc", "skills", "job_skills"),
    "city": ("city", "job_city"),
    "state": ("state", "region", "job_state"),
    "country": ("country", "job_country"),
}
# Keys read from a "Key: value" header at the top of a text posting. Skills stay in the text, and words that
# often start a sentence of the description ("Role: ...", "Date: ...") are not header keys.
_HEADER_KEYS = {key for name, keys in _ALIASES.items() if name not in ("description", "skills") for key in keys} - {
    "role", "date", "state", "region"}
_BLANK = {"", "nan", "none", "null", "n/a", "na", "-", "[]", "{}"}
_SCHEMA_KEYS = {"hiringOrganization", "baseSalary", "jobLocation", "jobLocationType", "employmentType"}


def _norm_key(key: str) -> str:
    """'jobTitle', 'Job Title', 'JOB_TITLE' -> 'job_title'."""
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key.strip())
    return re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip().lower() in _BLANK
    if isinstance(value, (list, dict)):
        return not value
    return False


def posting_from_record(record: Mapping[str, Any], *, fallback_id: str, source: str) -> Posting:
    """Map one source record (any of the supported field names, case-insensitive) to a Posting; facts stay empty.

    Raises RecordError when the record has no description text.
    """
    if any(k in record for k in _SCHEMA_KEYS) or "jobposting" in str(record.get("@type", "")).lower():
        record = {**{k: v for k, v in record.items() if k not in _SCHEMA_KEYS}, **job_posting_fields(record)}
    fields: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(key, str) and not key.startswith("@") and not _blank(value):
            fields.setdefault(_norm_key(key), value)

    def pick(name: str) -> Any:
        return next((fields[k] for k in _ALIASES[name] if k in fields), None)

    text = _description(pick("description"))
    title = _one_line(pick("title"))
    if not text:
        raise RecordError("no title and no description text" if not title else "no description text")
    location = _one_line(pick("location")) or ", ".join(
        p for p in (_one_line(pick(n)) for n in ("city", "state", "country")) if p)
    return Posting(
        id=_posting_id(pick("id")) or fallback_id,
        title=title or UNTITLED,
        company=_one_line(pick("company")),
        text=text,
        location=location,
        url=_one_line(pick("url")),
        source=source,
        listed_at=_listed(pick("listed")),
        columns=_columns(pick),
    )


def _columns(pick: Any) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    unparsed: list[str] = []
    for name in ("min_salary", "max_salary", "med_salary"):
        raw = pick(name)
        amount = _amount(raw)
        if amount is not None:
            columns[name] = amount
        elif raw is not None:
            unparsed.append(_one_line(raw))
    salary = _one_line(pick("salary"))
    if salary:
        columns["salary_string"] = salary
    elif unparsed:  # "$120k-$150k" in a min_salary column: keep it for the extractor as a string
        columns["salary_string"] = " - ".join(u for u in unparsed if u)
    period = _pay_period(pick("pay_period"))
    if period:
        columns["pay_period"] = period
    currency = _currency(pick("currency"))
    if currency:
        columns["currency"] = currency
    remote = pick("remote")
    flag = _flag(remote)
    if flag is not None:
        columns["remote"] = flag
    elif remote is not None and _one_line(remote):
        columns["remote_hint"] = _one_line(remote)
    hint = _one_line(pick("remote_hint"))
    if hint:
        columns.setdefault("remote_hint", hint)
    work_type = _work_type(pick("work_type"))
    if work_type:
        columns["work_type"] = work_type
    level = _one_line(pick("experience_level"))
    if level:
        columns["experience_level"] = level
    skills = pick("skills")
    if isinstance(skills, list):
        skills = ", ".join(_one_line(s) for s in skills if _one_line(s))
    else:
        skills = _description(skills)
    if skills:
        columns["skills"] = skills
    return columns


def _one_line(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or ""
    if isinstance(value, list):
        value = ", ".join(s for s in (_one_line(v) for v in value) if s)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if looks_like_html(text):
        text = html_to_text(text)
    text = re.sub(r"\s+", " ", text).strip()
    return "" if text.lower() in _BLANK else text


def _description(value: Any) -> str:
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value if isinstance(v, (str, int, float)))
    if not isinstance(value, str):
        return ""
    if looks_like_html(value):
        value = html_to_text(value)
    return _clean_text(value)


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _posting_id(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        value = int(value) if value.is_integer() else value
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0+", text):  # "3742692445.0": a float-typed id column
        text = text.split(".")[0]
    return "" if text.lower() in _BLANK else text


_AMOUNT = re.compile(r"(?:[A-Z]{3}|[$€£¥₹])?(\d+(?:\.\d+)?)([kK])?(?:[A-Z]{3})?")


def _amount(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        match = _AMOUNT.fullmatch(re.sub(r"[,\s]", "", str(value)))
        if not match:
            return None
        number = float(match.group(1)) * (1000 if match.group(2) else 1)
    return number if math.isfinite(number) and number > 0 else None


_PERIODS = {
    "hourly": "hourly", "hour": "hourly", "hours": "hourly", "hr": "hourly", "h": "hourly",
    "daily": "daily", "day": "daily", "days": "daily",
    "weekly": "weekly", "week": "weekly", "weeks": "weekly", "wk": "weekly",
    "biweekly": "biweekly", "fortnightly": "biweekly", "fortnight": "biweekly", "twoweeks": "biweekly",
    "monthly": "monthly", "month": "monthly", "months": "monthly", "mo": "monthly",
    "yearly": "yearly", "year": "yearly", "years": "yearly", "annual": "yearly", "annually": "yearly",
    "annum": "yearly", "yr": "yearly", "pa": "yearly",
}


def _pay_period(value: Any) -> str:
    """One of hourly/daily/weekly/monthly/yearly, or "biweekly" (kept: doubling amounts would misquote them)."""
    text = _one_line(value).lower()
    text = re.sub(r"^(?:/\s*|(?:per|a|an|every|each)\s+)", "", text)
    return _PERIODS.get(re.sub(r"[^a-z]", "", text), "")


_CURRENCY_SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR"}


def _currency(value: Any) -> str:
    text = _one_line(value)
    if text in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS[text]
    return text.upper() if re.fullmatch(r"[A-Za-z]{3}", text) else ""


_TRUE = {"1", "1.0", "true", "t", "yes", "y", "remote", "fully remote", "100% remote", "telecommute"}
_FALSE = {"0", "0.0", "false", "f", "no", "n", "on-site", "onsite", "on site", "in person", "in-person", "office"}


def _flag(value: Any) -> bool | None:
    """True/False for explicit yes/no values; None for blank or anything else (a blank is not a "no")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = _one_line(value).lower()
    return True if text in _TRUE else False if text in _FALSE else None


_WORK_TYPES = [  # searched in the value; the earliest match wins ("Permanent, full-time" -> Full-time)
    ("Full-time", re.compile(r"full[\s_-]*time", re.I)),
    ("Part-time", re.compile(r"part[\s_-]*time", re.I)),
    ("Contract", re.compile(r"contract|freelance", re.I)),
    ("Temporary", re.compile(r"\btemp(?:orary)?\b|seasonal", re.I)),
    ("Internship", re.compile(r"\bintern(?:ship)?s?\b", re.I)),
    ("Volunteer", re.compile(r"volunteer", re.I)),
]


def _work_type(value: Any) -> str:
    """The employment type in EMPLOYMENT_TYPES spelling ("FULL_TIME" -> "Full-time"); "Other" when unrecognised."""
    text = _one_line(value)
    if not text:
        return ""
    found = [(m.start(), name) for name, pattern in _WORK_TYPES if (m := pattern.search(text))]
    return min(found)[1] if found else "Other"


def _listed(value: Any) -> str:
    """Epoch milliseconds (or seconds) -> ISO date; strings are kept as given."""
    if isinstance(value, bool) or value is None:
        return ""
    number: float | None = None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{9,14}(?:\.\d+)?\s*", value):
        number = float(value)
    if number is not None and math.isfinite(number):
        seconds = number / 1000 if number >= 1e11 else number
        if 1e8 <= seconds < 1e11:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat()
    return _one_line(value)


def _slug(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = Path(path.name)
    stem = relative.with_suffix("").as_posix()
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "posting"
