"""Column values as our types: one-line text, ids, amounts, pay periods, currencies, flags, work types, dates."""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone
from typing import Any

from index.formats.columns import BLANK
from index.formats.html import html_to_text, looks_like_html
from index.money import currency_code, parse_amount, period_key
from index.worktypes import canonical_work_type

def one_line(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or ""
    if isinstance(value, list):
        value = ", ".join(s for s in (one_line(v) for v in value) if s)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if looks_like_html(text):
        text = html_to_text(text)
    text = re.sub(r"\s+", " ", text).strip()
    return "" if text.lower() in BLANK else text


def to_text(value: Any) -> str:
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value if isinstance(v, (str, int, float)))
    if not isinstance(value, str):
        return ""
    if looks_like_html(value):
        value = html_to_text(value)
    return clean_text(value)


def clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def to_posting_id(value: Any) -> str:
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
    return "" if text.lower() in BLANK else text


def to_amount(value: Any) -> float | None:
    """A money column's figure ("160000.0", "120k", "€ 45.000") as a positive number, else None.

    A cell holding a range or words ("$120k-$150k", "DOE") is not one figure: None (the caller keeps it as text).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = one_line(value)
        if not text or not re.fullmatch(r"[^\d]{0,4}\s?[\d.,\s]+\s?(?:[kKmM]|[A-Za-z]{3}|[^\w\s]{1,2})?", text):
            return None
        number = parse_amount(text)
        if number is None:
            return None
    return number if math.isfinite(number) and number > 0 else None


def to_period(value: Any) -> str:
    """The listed period as written: one of hourly/daily/weekly/monthly/yearly, or "biweekly" (its figures are
    converted when the salary is read, index.money.read_period)."""
    return period_key(one_line(value)) or ""


def to_currency(value: Any) -> str:
    """The ISO code of a currency column ("usd", "€", "Rs.") or ""."""
    return currency_code(one_line(value)) or ""


_TRUE = {"1", "1.0", "true", "t", "yes", "y", "remote", "fully remote", "100% remote", "telecommute"}
_FALSE = {"0", "0.0", "false", "f", "no", "n", "on-site", "onsite", "on site", "in person", "in-person", "office"}


def to_flag(value: Any) -> bool | None:
    """True/False for explicit yes/no values; None for blank or anything else (a blank is not a "no")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = one_line(value).lower()
    return True if text in _TRUE else False if text in _FALSE else None


def to_work_type(value: Any) -> str:
    """The employment type in EMPLOYMENT_TYPES spelling ("FULL_TIME" -> "Full-time"); "Other" when unrecognised.

    A list (["full_time", "permanent"]) or a list written as text ("['part_time']") gives its first known type.
    """
    listed = isinstance(value, list) or one_line(value).startswith("[")
    if isinstance(value, list):
        value = ", ".join(one_line(v) for v in value)
    text = one_line(value).strip("[]").replace("'", "").replace('"', "")
    if not text.strip(" ,"):
        return ""
    return canonical_work_type(text) or ("" if listed else "Other")  # a list of board tags may name no type


def to_listed(value: Any) -> str:
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
    return one_line(value)
