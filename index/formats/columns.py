"""The column-name table: the names sources (job boards, ATS exports, APIs) use for each of our fields.

Kept as data: add a board's column names here, not in code.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping


# Canonical field -> the keys sources use for it (normalised: snake_case, lower), most preferred first.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "job_id", "posting_id", "jobkey", "job_key", "identifier", "requisition_id",
           "slug"),  # Arbeitnow: the slug is the record's own id
    "title": ("title", "job_title", "position", "position_title", "jobtitle", "role"),
    "company": ("company", "company_name", "employer", "employer_name", "hiring_organization", "organization",
                "companyname"),
    "location": ("location", "job_location", "location_name", "locations", "candidate_required_location"),
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
                  "contract_type", "job_types", "employment_types"),
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
HEADER_KEYS = {key for name, keys in ALIASES.items() if name not in ("description", "skills") for key in keys} - {
    "role", "date", "state", "region"}
# Job boards whose records mean more than their columns say, found by a column only they use or their URL.
# remote: every posting on the board is remote; location_is: what the location column names there.
BOARDS: dict[str, dict[str, Any]] = {
    "remotive": {"columns": ("candidate_required_location",), "hosts": ("remotive.com", "remotive.io"),
                 "remote": True, "location_is": "candidate region"},
    "remoteok": {"columns": (), "hosts": ("remoteok.com", "remoteok.io"), "remote": True},
    "weworkremotely": {"columns": (), "hosts": ("weworkremotely.com",), "remote": True},
    "working_nomads": {"columns": (), "hosts": ("workingnomads.com",), "remote": True},
}
BLANK = {"", "nan", "none", "null", "n/a", "na", "-", "[]", "{}"}
SCHEMA_KEYS = {"hiringOrganization", "baseSalary", "jobLocation", "jobLocationType", "employmentType"}


def norm_key(key: str) -> str:
    """'jobTitle', 'Job Title', 'JOB_TITLE' -> 'job_title'."""
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key.strip())
    return re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")


def blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip().lower() in BLANK
    if isinstance(value, (list, dict)):
        return not value
    return False


def board_of(keys: set[str], url: str) -> dict[str, Any] | None:
    """The BOARDS entry a record comes from (normalised column names, its URL), or None."""
    host = url.lower()
    for board in BOARDS.values():
        if keys & set(board["columns"]) or any(h in host for h in board["hosts"]):
            return board
    return None


def field_of(key: str) -> str | None:
    norm = norm_key(key)
    return next((name for name, keys in ALIASES.items() if norm in keys), None)


def has_field(record: Mapping[str, Any], name: str) -> bool:
    """True when the record has a non-blank value under any key meaning `name` ("Job Title" for title)."""
    return any(field_of(k) == name and not blank(v) for k, v in record.items() if isinstance(k, str))


def merge(record: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Add values whose field the record does not have yet (the first source of a field wins)."""
    for key, value in values.items():
        name = field_of(key)
        if blank(value) or (name is not None and has_field(record, name)) or key in record:
            continue
        record[key] = value
