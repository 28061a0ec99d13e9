"""One source record (a CSV row, a JSON object, a parsed file) becomes a Posting."""

from __future__ import annotations

from typing import Any, Mapping

from index.formats.columns import ALIASES, SCHEMA_KEYS, blank, board_of, norm_key
from index.formats.errors import RecordError
from index.formats.html import job_posting_fields
from index.formats.pasted import read_page
from index.formats.values import (
    one_line, to_amount, to_currency, to_flag, to_listed, to_period, to_posting_id, to_text, to_work_type,
)
from index.models import Posting

UNTITLED = "Untitled posting"

def posting_from_record(record: Mapping[str, Any], *, fallback_id: str, source: str) -> Posting:
    """Map one source record (any of the supported field names, case-insensitive) to a Posting; facts stay empty.

    Raises RecordError when the record has no description text.
    """
    if any(k in record for k in SCHEMA_KEYS) or "jobposting" in str(record.get("@type", "")).lower():
        record = {**{k: v for k, v in record.items() if k not in SCHEMA_KEYS}, **job_posting_fields(record)}
    fields: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(key, str) and not key.startswith("@") and not blank(value):
            fields.setdefault(norm_key(key), value)

    def pick(name: str) -> Any:
        return next((fields[k] for k in ALIASES[name] if k in fields), None)

    text = to_text(pick("description"))
    title = one_line(pick("title"))
    if not text:
        raise RecordError("no title and no description text" if not title else "no description text")
    location = one_line(pick("location")) or ", ".join(
        p for p in (one_line(pick(n)) for n in ("city", "state", "country")) if p)
    company = one_line(pick("company"))
    url = one_line(pick("url"))
    columns = _columns(pick)
    board = board_of(set(fields), url)
    if board is not None and board.get("remote"):
        columns.setdefault("remote", True)  # a remote-only board: its location is where the candidate may live
        if location and board.get("location_is"):
            columns.setdefault("candidate_region", location)
    if not title and not record.get("@page_read"):  # a comment or pasted page: its first lines say what the columns do not
        page = read_page(text)
        title = title or page.title
        company = company or page.company
        location = location or page.location
        for key, value in page.columns.items():
            columns.setdefault(key, value)
        if page.columns:  # values the page's own lines gave: written in its text, not fields of a listing
            columns["read_from_text"] = ", ".join(sorted(page.columns))
        text = page.text or text
    return Posting(
        id=to_posting_id(pick("id")) or fallback_id,
        title=title or UNTITLED,
        company=company,
        text=text,
        location=location,
        url=url,
        source=source,
        listed_at=to_listed(pick("listed")),
        columns=columns,
    )


def _columns(pick: Any) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    unparsed: list[str] = []
    for name in ("min_salary", "max_salary", "med_salary"):
        raw = pick(name)
        amount = to_amount(raw)
        if amount is not None:
            columns[name] = amount
        elif raw is not None:
            unparsed.append(one_line(raw))
    salary = one_line(pick("salary"))
    if salary:
        columns["salary_string"] = salary
    elif unparsed:  # "$120k-$150k" in a min_salary column: keep it for the extractor as a string
        columns["salary_string"] = " - ".join(u for u in unparsed if u)
    period = to_period(pick("pay_period"))
    if period:
        columns["pay_period"] = period
    currency = to_currency(pick("currency"))
    if currency:
        columns["currency"] = currency
    remote = pick("remote")
    flag = to_flag(remote)
    if flag is not None:
        columns["remote"] = flag
    elif remote is not None and one_line(remote):
        columns["remote_hint"] = one_line(remote)
    hint = one_line(pick("remote_hint"))
    if hint:
        columns.setdefault("remote_hint", hint)
    work_type = to_work_type(pick("work_type"))
    if work_type:
        columns["work_type"] = work_type
    level = one_line(pick("experience_level"))
    if level:
        columns["experience_level"] = level
    skills = pick("skills")
    if isinstance(skills, list):
        skills = ", ".join(one_line(s) for s in skills if one_line(s))
    else:
        skills = to_text(skills)
    if skills:
        columns["skills"] = skills
    return columns
