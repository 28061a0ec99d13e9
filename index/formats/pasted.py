"""Job pages pasted as text, and comments: the title, company and place in their first lines, sidebars, chrome.

`read_page(text)` reads, with general rules (no rule per site):
- the head (the lines before the first paragraph): a pipe header ("Company | Title | Place | REMOTE"), bullets,
  "X is hiring a / Title", "Title at Company", "Company — Title", avatars and logos ("Avatar for X", "X logo"),
  "Company (City, ST)", a company glued to its city ("Lanternfish LabsTulsa, OK"), lone place, mode, pay and
  work-type lines;
- label/value sidebars anywhere ("Job type / Full-Time", "Salary: ...", "Region / Anywhere"): their values go to
  the structured columns, their chrome ("Posted on", "Apply before", "View company") leaves the text;
- a trailing list of OTHER jobs (title + company/place/pay cards after the last paragraph) is cut off;
- when the head names no title or company: a standalone title line, "we are looking for a X to", "X is seeking",
  "At X, we", "Join X", "About X" in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from index.formats.pipes import read_pipe_header
from index.formats.places import fuller_place, is_place, split_glued_place
from index.formats.roles import has_role_word, looks_like_title
from index.money import parse_pay
from index.worktypes import canonical_work_type

# Sidebar labels -> the column their value fills ("" = chrome: the label and its value leave the text).
SIDEBAR_LABELS: dict[str, str] = {
    "job type": "work_type", "employment type": "work_type", "type": "work_type", "contract type": "work_type",
    "work type": "work_type", "schedule": "work_type", "commitment": "work_type",
    "salary": "salary", "compensation": "salary", "pay": "salary", "salary range": "salary",
    "base salary": "salary", "pay range": "salary", "rate": "salary", "gehalt": "salary",
    "location": "location", "job location": "location", "region": "location", "country": "location",
    "office location": "location", "based in": "location", "locations": "location", "city": "location",
    "remote work policy": "remote_hint", "workplace": "remote_hint", "workplace type": "remote_hint",
    "work mode": "remote_hint", "remote": "remote_hint", "work arrangement": "remote_hint",
    "posted on": "", "posted": "", "apply before": "", "jobs posted": "", "view company": "", "about the job": "",
    "date posted": "", "deadline": "", "closing date": "", "category": "category", "visa sponsorship": "",
    "relocation": "", "experience": "", "seniority": "", "level": "", "department": "", "team": "",
}
# Lines that are page chrome in a head or sidebar (lower case, without trailing punctuation).
_CHROME = re.compile(
    r"^(?:actively hiring|hiring now|save|saved|apply|apply now|easy apply|share|report|new|featured|promoted|"
    r"\+\d+|\||view company|view all jobs|star icon|verified|top \d+% of responders|responds within .*|"
    r"(?:re)?posted:? .*|.* recruiter recently active|recruiter recently active|b2b|b2c|early stage|growth stage|"
    r"scale stage|seed stage|series [a-f]|valuation .*|growing fast|\d+ applicants?)$",
    re.I,
)
_AVATAR = re.compile(r"^(?:avatar|logo|profile (?:image|picture)|image)\s+(?:for|of)\s+(.+)$|^(.+?)\s+(?:logo|avatar)$",
                     re.I)
_ICON_TAIL = re.compile(r"\s+(?:star icon|icon|logo|verified|✓|★)$", re.I)
_HIRING = re.compile(r"^(.+?)\s+is\s+(?:now\s+)?hiring(?:\s+(?:an?|for))?\s*:?\s*(.*)$", re.I)
_AT = re.compile(r"^(.+?)\s+(?:at|@|bei|chez)\s+(.+)$")
_DASH = re.compile(r"^(.+?)\s+[—–-]\s+(.+)$")
_PAREN_PLACE = re.compile(r"^(.+?)\s*\(([^()]+)\)$")
_MODE_LINE = re.compile(
    r"^\(?(?:fully |100% )?(remote|hybrid|on-?site|onsite|in[- ]office|in[- ]person)\)?(?:\s*\((.+)\))?$", re.I)
_PAY_LINE = re.compile(r"[$€£₹¥]\s?\d|\d\s?[kK]?\s?(?:[$€£₹¥]|USD|EUR|GBP|INR)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d+[.)])\s+")
_SECTION = re.compile(
    r"^(?:about (?:the )?(?:job|role|position|us|you|company)|job description|description|company description|"
    r"the role|overview|responsibilities|requirements|what you(?:'|’)ll do|who we are|your role)\b",
    re.I,
)
_PROSE_WORDS = 18
_SIMILAR = re.compile(
    r"^(?:(?:more|other|similar|related|latest|recent|featured|recommended|top)\b.{0,30}\bjobs?\b|"
    r"jobs? (?:at|from|like|similar)\b|(?:you|people) (?:may|might) also\b)", re.I)
_AGO = re.compile(r"\b\d+\s*(?:[hdwm]|hours?|days?|weeks?|months?)\s+ago\b|^(?:today|yesterday|new)$", re.I)
# Body sentences that name the role or the company.
_SEEKING = re.compile(
    r"\b(?:looking for|seeking|hiring|searching for|recruiting)\s+(?:an?|our(?: first)?|the)?\s*"
    r"((?:[A-Z][\w.+#/-]*|of|and|&|\(|\))(?:\s+(?:[A-Z][\w.+#/-]*|of|and|&|\(|\)|[a-z]+-[a-z]+))*)")
_ROLE_COLON = re.compile(r"\b(?:role|position|opening|job)\b[^.:\n]{0,30}:\s*([^.\n:]{3,80}?)\s*(?:\.|$)", re.I)
_COMPANY_CUES = [
    re.compile(r"^(?:about|über)\s+([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s*:?$"),
    re.compile(r"\b[Aa]t\s+([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}),\s+(?:we|our)\b"),
    re.compile(r"(?:^|\.\s+)([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s+is\s+(?:seeking|looking for|hiring|"
               r"searching for|recruiting)\b"),
    re.compile(r"\b[Jj]oin\s+([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})(?:\s+(?:as|and|in|to)\b|[.!,]|$)"),
    re.compile(r"^([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,2})\s+is\s+(?:an?|the)\s+\w"),
]
_NOT_COMPANY = {"we", "our", "us", "you", "the", "this", "a", "an", "it", "team", "the team", "them", "who", "remote",
                "about", "the role", "the company", "company", "job", "the job", "position"}


@dataclass
class Page:
    """What a pasted page or comment says about itself; text is the page without its chrome."""

    title: str = ""
    company: str = ""
    location: str = ""
    text: str = ""
    columns: dict[str, Any] = field(default_factory=dict)


def _readable_pay(text: str) -> bool:
    """True when the money reader reads the line as written (two figures give a range, not one of them)."""
    salary = parse_pay(text)
    if salary is None:
        return False
    figures = re.findall(r"\d[\d,.]*\s?[kK]?", text.split("•")[0])
    return len(figures) < 2 or salary.min != salary.max


def is_section_heading(line: str) -> bool:
    """True for headings like "About the job", "Company Description", "Requirements"."""
    return bool(_SECTION.match(_clean(line)))


def _clean(line: str) -> str:
    return _BULLET.sub("", line).strip()


def _is_prose(line: str) -> bool:
    if line.count("|") >= 2:  # a header of fields, however long
        return False
    return len(line.split()) >= _PROSE_WORDS or (len(line.split()) >= 8 and line.rstrip().endswith((".", "!", "?")))


def _company_name(text: str) -> str:
    text = _ICON_TAIL.sub("", text.strip()).strip(" :-–—|")
    if not text or text.lower() in _NOT_COMPANY or len(text) > 60 or len(text.split()) > 6:
        return ""
    return text


# ---------------------------------------------------------------- other jobs at the end

def cut_other_jobs(lines: list[str]) -> list[str]:
    """The lines without a trailing list of other jobs (a "More jobs" heading, or job cards after the last prose)."""
    last_prose = max((i for i, line in enumerate(lines) if _is_prose(line.strip())), default=-1)
    for i in range(last_prose + 1, len(lines)):
        if _SIMILAR.match(_clean(lines[i])):
            return lines[:i]
    tail = [(i, _clean(lines[i])) for i in range(last_prose + 1, len(lines)) if lines[i].strip()]
    cards = []
    for k, (i, line) in enumerate(tail):
        if not looks_like_title(line):
            continue
        near = [t for _, t in tail[k + 1:k + 4]]
        if any(is_place(t) or _PAY_LINE.search(t) or _AGO.search(t) or _parenthesised_place(t) for t in near):
            cards.append(i)
    if len(cards) >= 2:
        return lines[:cards[0]]
    return lines


def _parenthesised_place(line: str) -> tuple[str, str] | None:
    match = _PAREN_PLACE.match(line)
    if match and is_place(match.group(2)) and _company_name(match.group(1)):
        return match.group(1).strip(), match.group(2).strip()
    return None


# ---------------------------------------------------------------- sidebars

def _label(line: str) -> tuple[str, str] | None:
    """(label, value after a colon) for a sidebar label line ("Salary: $90k" or "Job type"), else None."""
    text = _clean(line).rstrip()
    key, sep, value = text.partition(":")
    key = re.sub(r"\s+", " ", key).strip().lower()
    if key in SIDEBAR_LABELS and len(key) <= 25:
        return key, value.strip() if sep else ""
    return None


def read_sidebar(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Label/value pairs anywhere in the page, and the lines with the sidebar chrome taken out.

    "Label: value" on one line counts anywhere; a bare label over its value counts only in a run of at least two
    such pairs (a sidebar), so a heading "Salary" over a paragraph is left alone.
    """
    found: dict[str, str] = {}
    pairs: list[tuple[int, int, str, str]] = []  # (label line, value line, label, value)
    i = 0
    while i < len(lines):
        label = _label(lines[i])
        if label is None:
            i += 1
            continue
        key, value = label
        if value:
            pairs.append((i, i, key, value))
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and _label(lines[j]) is None and len(lines[j].split()) <= 25 and not _is_prose(lines[j]):
            pairs.append((i, j, key, lines[j].strip()))
            i = j + 1
        else:
            pairs.append((i, i, key, ""))
            i += 1
    drop: set[int] = set()
    for n, (start, end, key, value) in enumerate(pairs):
        two_line = end != start or not value
        neighbours = [p for p in pairs[max(0, n - 2):n + 3] if p is not pairs[n] and abs(p[0] - start) <= 6]
        if two_line and not neighbours:
            continue  # a lone heading, not a sidebar
        column = SIDEBAR_LABELS[key]
        if not column and not two_line and _is_prose(value):
            continue  # "Experience: we require a degree in ..." opens a paragraph; it is not a sidebar's chrome
        if column == "salary" and (not re.search(r"\d", value) or len(value.split()) > 12):
            value = ""  # "Compensation" over a paragraph about it: not a figure
        if value and column and column not in found:
            found[column] = value
        if two_line or not column:
            drop.update(range(start, end + 1))
            if value and column in ("salary", "work_type", "location", "remote_hint"):
                lines = lines[:start] + [f"{key.capitalize()}: {value}"] + lines[start + 1:]
                drop.discard(start)
                drop.update(range(start + 1, end + 1))
    for i, line in enumerate(lines):  # "Acme Star Icon" over "View company": the company's sidebar card
        if _clean(line).lower() == "view company" and i > 0:
            k = i - 1
            while k > 0 and not lines[k].strip():
                k -= 1
            name = _company_name(lines[k])
            if name:
                found.setdefault("company", name)
                drop.add(k)
            drop.add(i)
    kept = [line for i, line in enumerate(lines) if i not in drop and not _CHROME.match(_clean(line))]
    return found, kept


# ---------------------------------------------------------------- the head

def _head(lines: list[str]) -> list[int]:
    """Indices of the head: non-empty lines before the first paragraph or section heading (at most 25)."""
    out: list[int] = []
    for i, line in enumerate(lines):
        text = _clean(line)
        if not text:
            continue
        if _is_prose(text) or (_SECTION.match(text) and out):
            break
        out.append(i)
        if len(out) >= 25:
            break
    return out


def read_head(lines: list[str], page: Page) -> set[int]:
    """Fill page from the head lines; the indices of head lines that are chrome (avatars, badges) to drop."""
    drop: set[int] = set()
    head = _head(lines)
    pending_title = False
    for i in head:
        text = _clean(lines[i])
        if not text:
            continue
        if pending_title and looks_like_title(text) or (pending_title and not page.title and len(text.split()) <= 8):
            page.title = page.title or text
            pending_title = False
            continue
        pending_title = False
        header = read_pipe_header(text)
        if header is not None:
            page.title = page.title or header.title
            page.company = page.company or header.company
            page.location = page.location or header.location
            for key, value in (("remote_hint", header.remote_hint), ("work_type", header.work_type),
                               ("salary_string", header.salary)):
                if value:
                    page.columns.setdefault(key, value)
            continue
        avatar = _AVATAR.match(text)
        if avatar:
            page.company = page.company or _company_name(avatar.group(1) or avatar.group(2))
            drop.add(i)
            continue
        if _CHROME.match(text):
            drop.add(i)
            continue
        if page.company and text.lower() == page.company.lower():
            continue
        hiring = _HIRING.match(text)
        if hiring and _company_name(hiring.group(1)):
            page.company = page.company or _company_name(hiring.group(1))
            if hiring.group(2) and looks_like_title(hiring.group(2)):
                page.title = page.title or hiring.group(2).strip()
            else:
                pending_title = True
            continue
        parts = [p.strip() for p in re.split(r"\s+[·•]\s+", text) if p.strip()]
        if len(parts) > 1 and all(_MODE_LINE.match(p) or canonical_work_type(p) or _PAY_LINE.search(p)
                                  or is_place(p) for p in parts):  # "Hybrid · Full-time · $90k"
            for part in parts:
                if _MODE_LINE.match(part):
                    page.columns.setdefault("remote_hint", _MODE_LINE.match(part).group(1))
                elif canonical_work_type(part) and not _PAY_LINE.search(part):
                    page.columns.setdefault("work_type", canonical_work_type(part))
                elif _PAY_LINE.search(part):
                    page.columns.setdefault("salary_string", part)
                elif not page.location:
                    page.location = part
            continue
        mode = _MODE_LINE.match(text)
        if mode:
            page.columns.setdefault("remote_hint", mode.group(1))
            if mode.group(2) and is_place(mode.group(2)):
                page.location = page.location or mode.group(2).strip()
            continue
        if _PAY_LINE.search(text) and len(text.split()) <= 8 and not text.endswith("."):
            if _readable_pay(text.split("•")[0]):  # else the extractor reads it from the text
                page.columns.setdefault("salary_string", text.split("•")[0].strip())
            continue
        if canonical_work_type(text) and len(text.split()) <= 3 and not has_role_word(text):
            page.columns.setdefault("work_type", canonical_work_type(text))
            continue
        if is_place(text.strip("| ")):
            page.location = page.location or text.strip("| ")
            continue
        glued = split_glued_place(text)
        if glued and not looks_like_title(glued[0]):
            page.company = page.company or _company_name(glued[0])
            page.location = page.location or glued[1]
            continue
        paren = _parenthesised_place(text)
        if paren and not looks_like_title(paren[0]):
            page.company = page.company or _company_name(paren[0])
            page.location = page.location or paren[1]
            continue
        if not page.title and looks_like_title(text):
            at = _AT.match(text)
            dash = _DASH.match(text)
            if at and looks_like_title(at.group(1)) and _company_name(at.group(2)):
                page.title, page.company = at.group(1).strip(), page.company or _company_name(at.group(2))
            elif dash and looks_like_title(dash.group(2)) and not has_role_word(dash.group(1)):
                page.company = page.company or _company_name(dash.group(1))
                page.title = dash.group(2).strip()
            elif dash and looks_like_title(dash.group(1)) and not has_role_word(dash.group(2)) and \
                    _company_name(dash.group(2)):
                page.title, page.company = dash.group(1).strip(), page.company or _company_name(dash.group(2))
            else:
                page.title = text
            continue
        if not page.company and page.title and _company_name(text) and not has_role_word(text) \
                and len(text.split()) <= 4 and text[:1].isupper() and ":" not in text and _label(text) is None:
            page.company = _company_name(text)  # the name line right under (or over) the title
    return drop


# ---------------------------------------------------------------- the body

def _title_in_body(lines: list[str]) -> str:
    """A standalone title line in the first 40 lines, else "looking for a X to", else "role: X"."""
    for line in lines[:40]:
        text = _clean(line)
        if looks_like_title(text) and text[:1].isupper() and not _SECTION.match(text) and "|" not in text and \
                sum(w[:1].isupper() for w in text.split()) >= max(1, len(text.split()) // 2):
            return text
    for line in lines[:40]:  # "Senior Go Engineer: You will build ..."
        lead, sep, rest = _clean(line).partition(":")
        if sep and rest.strip() and len(lead.split()) <= 6 and looks_like_title(lead) and lead[:1].isupper():
            return lead.strip()
    joined = "\n".join(lines[:80])
    for pattern in (_SEEKING, _ROLE_COLON):
        for match in pattern.finditer(joined):
            candidate = re.sub(r"\s+(?:to|who|with|for|and|&)$", "", match.group(1).strip(" ()"))
            if looks_like_title(candidate):
                return candidate
    return ""


def _company_in_body(lines: list[str]) -> str:
    for pattern in _COMPANY_CUES:
        for line in lines[:120]:
            match = pattern.search(_clean(line))
            if match:
                name = _company_name(match.group(1))
                if name and not has_role_word(name):
                    return name
    return ""


def read_page(text: str) -> Page:
    """Title, company, location and columns a pasted page or comment states, and its text without chrome."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = cut_other_jobs(lines)
    sidebar, lines = read_sidebar(lines)
    page = Page()
    drop = read_head(lines, page)
    lines = [line for i, line in enumerate(lines) if i not in drop]
    page.company = page.company or sidebar.get("company", "") or _company_in_body(lines)
    page.title = page.title or _title_in_body(lines)
    if not page.location and sidebar.get("location"):
        page.location = sidebar["location"]
    for column, key in (("salary", "salary_string"), ("remote_hint", "remote_hint")):
        if sidebar.get(column):
            page.columns.setdefault(key, sidebar[column])
    if sidebar.get("work_type") and canonical_work_type(sidebar["work_type"]):
        page.columns.setdefault("work_type", canonical_work_type(sidebar["work_type"]))
    page.location = fuller_place(page.location, text)
    if re.fullmatch(r"(?i)(?:anywhere|worldwide|global)(?: in the world)?", page.location.strip()):
        page.columns.setdefault("remote_hint", "Remote")
    page.text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()
    return page
