"""Header lines of pipe-separated fields: "Company | Title | Place | REMOTE | Full-time | $120k | https://...".

Hacker News "Who is hiring" comments and many pasted posts open with one; the fields come in any order, so each
is classified by what it is (a URL, pay, a work type, a work mode, a place, perks, a title) and the company is the
field left over that looks like a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.formats.places import is_place
from index.formats.roles import looks_like_title
from index.money import find_pay
from index.worktypes import canonical_work_type

_SPLIT = re.compile(r"\s+\|\s+|\s*\|\s*(?=\S)")
_URL = re.compile(r"^(?:<?https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.I)
_MODE = re.compile(r"\b(?:remote|hybrid|on-?site|onsite|in[- ]office|in[- ]person|wfh|distributed)\b", re.I)
_MODE_WORDS = re.compile(
    r"\(?\b(?:fully |100% |partly |part |partially )?(?:remote|hybrid|on-?site|onsite|in[- ]office|in[- ]person)"
    r"\b(?:\s*(?:only|ok|friendly|first|possible|preferred|optional))?\)?(?:\s*[+/,]\s*)?",
    re.I)
_PERKS = re.compile(
    r"\b(?:visa|sponsorship|relocation|equity|citizenship|clearance|401k|benefits|stock options?|"
    r"no recruiters)\b", re.I)
_WORK_TYPE_FIELD = re.compile(
    r"^(?:(?:full|part)[\s-]?time|contract(?:or)?|freelance|permanent|temporary|internships?|interns?|"
    r"co-?ops?|ft|pt|[\s,/&+]|and|or)+$", re.I)


_PAY_CUE = re.compile(r"[$€£₹¥]\s?\d|\d\s?[$€£₹¥]|\b(?:USD|EUR|GBP|INR|CAD|AUD|CHF|SEK|NOK|DKK|PLN)\b|"
                      r"\d\s?[kK]\b|\d\s?(?:/|per |an? )\s?(?:hr|hour|yr|year|annum|month)", re.I)


@dataclass
class PipeHeader:
    """What a pipe-separated header says; empty strings for what it does not."""

    company: str = ""
    title: str = ""
    location: str = ""
    remote_hint: str = ""
    work_type: str = ""
    salary: str = ""
    url: str = ""
    others: list[str] = field(default_factory=list)


def pipe_fields(line: str) -> list[str]:
    """The fields of a header line with at least one pipe, else []."""
    if line.count("|") < 1 or len(line) > 400:
        return []
    return [f.strip() for f in _SPLIT.split(line.strip().strip("|")) if f.strip()]


def _mode_of(text: str) -> str:
    lowered = text.lower()
    if "hybrid" in lowered or ("remote" in lowered and re.search(r"on-?site|office|in[- ]person", lowered)):
        return "Hybrid"
    if re.search(r"\bremote\b|\bwfh\b|\bdistributed\b", lowered):
        return "Remote"
    return "On-site"


_MODE_GROUP = re.compile(r"\(([^()]*)\)")
_LEADING_MODE = re.compile(
    r"^(?:fully |100% |partly |part |partially )?(?:remote|hybrid|on-?site|onsite|in[- ]office|in[- ]person)"
    r"(?:\s*(?:only|ok|friendly|first|possible))?\b[\s:,-]*", re.I)


def _place_in(text: str) -> str:
    """The place a field names once its work-mode words are taken out: "Remote (USA)" -> "USA",
    "London (ONSITE)" -> "London", "Hybrid (US) Austin TX, Reno NV" -> "Austin TX, Reno NV"."""
    rest = _MODE_GROUP.sub(lambda m: " " if _MODE.search(m.group(1)) else m.group(0), text)
    rest = _LEADING_MODE.sub("", rest.strip())
    rest = re.sub(r"\s+", " ", rest).strip(" ,;/-–")
    group = re.fullmatch(r"\(([^()]*)\)", rest)
    if group:
        rest = group.group(1).strip()
    elif re.match(r"^\([^()]*\)\s*\S", rest):  # "(USA) Albuquerque NM": the qualifier before the places
        rest = re.sub(r"^\([^()]*\)\s*", "", rest)
    if not rest:
        return ""
    if is_place(rest):
        return rest
    items = [re.sub(r"\(.*?\)", "", i).strip() for i in re.split(r"\s*[,;]\s*(?![A-Z]{2}\b)", rest)]
    if all(items) and all(is_place(i) for i in items):  # "Austin TX, Reno NV (Sparks)"
        return rest
    words = re.split(r"(?<=[\w)])\s+|\s*/\s*", rest)
    head = rest.split()[0] if rest.split() else ""
    first_part = re.split(r"\s+(?:and|or|\+)\s+|\s+\(", rest)[0]
    if is_place(first_part) or is_place(head):  # "EMEA/APAC preferred", "Paris area and Remote in Europe"
        return rest
    del words
    return ""


def _looks_like_name(text: str) -> bool:
    """A company-like field: short, starts with a capital or digit, not a sentence."""
    return (0 < len(text) <= 60 and len(text.split()) <= 6 and not text.endswith((".", "!", "?", ":"))
            and (text[0].isupper() or text[0].isdigit()))


def read_pipe_header(line: str) -> PipeHeader | None:
    """The fields of a "Company | Title | Place | ..." line, each classified; None when the line is not one."""
    fields = pipe_fields(line)
    if len(fields) < 2:
        return None
    header = PipeHeader()
    unknown: list[str] = []
    for text in fields:
        plain = re.sub(r"</?\w+[^>]*>", "", text).strip()
        url = re.search(r"\s*[-–]?\s*(https?://\S+)$", plain)
        if url and url.start() > 0:  # "115k - 180k USD - https://...": the link after the field
            header.url = header.url or url.group(1)
            plain = plain[:url.start()].strip()
        if not plain:
            continue
        if _URL.match(plain):
            header.url = header.url or plain
        elif _PAY_CUE.search(plain) and find_pay(plain, assume_pay=True) and not looks_like_title(plain):
            header.salary = header.salary or plain
        elif _PERKS.search(plain):
            header.others.append(plain)
        elif _WORK_TYPE_FIELD.match(plain) and canonical_work_type(plain):
            header.work_type = header.work_type or canonical_work_type(plain) or ""
        elif _MODE.search(plain) and not looks_like_title(_MODE_WORDS.sub(" ", plain)):
            header.remote_hint = header.remote_hint or _mode_of(plain)
            place = _place_in(plain)
            if place and not header.location:
                header.location = place
        elif is_place(plain) or (_place_in(plain) and not looks_like_title(plain)):
            header.location = header.location or plain
        elif looks_like_title(plain) and not header.title:
            header.title = plain
        else:
            unknown.append(plain)
    names = [u for u in unknown if _looks_like_name(u)]
    if names:
        header.company = names[0]
        if not header.title and len(names) > 1 and fields.index(next(f for f in fields if names[1] in f)) <= 2:
            header.title = names[1]
    header.others.extend(u for u in unknown if u not in names[:1])
    if not (header.company or header.title):
        return None
    known = sum(bool(v) for v in (header.location, header.remote_hint, header.work_type, header.salary, header.url))
    if len(fields) == 2 and not known:  # "Sales | Marketing": two words, not a header
        return None
    return header
