"""JSON and JSON Lines: one posting, a list, a wrapped list ({"jobs": [...]}), or one per line."""

from __future__ import annotations

import json
from typing import Any, Iterator, Mapping

from index.formats.columns import ALIASES, norm_key
from index.formats.errors import Bad, FileError

_JSON_WRAPPERS = ("jobs", "postings", "results", "data", "items")

def jsonl_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any] | Bad]]:
    for number, line in jsonl_lines(text):
        yield number, jsonl_record(line)


def jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines of JSON Lines text that hold something, numbered from 1 (a record is a function of its line)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, line


def jsonl_record(line: str) -> Mapping[str, Any] | Bad:
    """One line's record, or why it is not one."""
    try:
        value = json.loads(line)
    except ValueError as err:
        column = getattr(err, "colno", None)
        where = f" at column {column}" if column else ""
        return Bad(f"malformed JSON{where}: {getattr(err, 'msg', err)}")
    return value if isinstance(value, dict) else Bad(f"not a JSON object (got {_json_kind(value)})")


def json_rows(text: str) -> Iterator[tuple[int | None, Mapping[str, Any] | Bad]]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data" and _all_lines_json(text):  # JSON Lines saved as .json
            yield from jsonl_rows(text)
            return
        raise FileError(f"malformed JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
    for _ in range(3):  # {"data": {"jobs": [...]}}
        if isinstance(value, dict) and not has_description(value):
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
            raise FileError("empty JSON list: no postings")
        for index, item in enumerate(value, start=1):
            yield index, item if isinstance(item, dict) else Bad(f"not a JSON object (got {_json_kind(item)})")
    else:
        raise FileError(f"JSON value is not an object or a list of objects (got {_json_kind(value)})")


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


def has_description(record: Mapping[str, Any]) -> bool:
    return any(norm_key(k) in ALIASES["description"] for k in record if isinstance(k, str))
