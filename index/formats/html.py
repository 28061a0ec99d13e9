"""Web pages become posting fields and clean text: JSON-LD, main content, and no page chrome."""

from __future__ import annotations

import json
import logging
import re
import warnings
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PreformattedString

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- HTML -> text

_SKIP_TAGS = {
    "script", "style", "noscript", "template", "head", "svg", "iframe", "select", "option", "input", "textarea",
}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "ul", "ol", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "figure", "figcaption", "address", "form", "fieldset", "details", "summary", "center", "caption", "body",
}
_HTML_HINT = re.compile(
    r"<(?:p|br|div|span|ul|ol|li|b|i|u|em|strong|h[1-6]|a|table|tr|td|section|article|font)(?:\s[^<>]*)?/?>"
    r"|</(?:p|div|span|ul|ol|li|b|i|u|em|strong|h[1-6]|a|table|tr|td|section|article|font)>"
    r"|&lt;(?:p|br|div|ul|li|b|strong)\b",
    re.IGNORECASE,
)
_CELL = "\t"


def _soup(html: str) -> BeautifulSoup:
    """Parse with lxml, quietly: XHTML and markup that looks like a URL are fine here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "lxml")


def _tags(node: Tag) -> list[Tag]:
    """Every element under node in document order (one pass; bs4's find_all is slow on big pages)."""
    return [d for d in node.descendants if isinstance(d, Tag)]


def _first(tags: list[Tag], *names: str) -> Tag | None:
    return next((t for t in tags if t.name in names), None)


def looks_like_html(text: str) -> bool:
    """True when a string contains HTML markup (tags such as <p>, <li>, <br>), not just a stray '<'."""
    return bool(text) and bool(_HTML_HINT.search(text))


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment or page: one line per paragraph or block, list items as "- item"."""
    soup = _soup(html)
    text = _render(soup.body or soup)
    if looks_like_html(text):  # the markup was escaped once more (&lt;p&gt;...)
        text = _render(_soup(text))
    return text


def _render(root: Tag) -> str:
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    # An explicit stack: deeply nested pages must not hit Python's recursion limit.
    while stack:
        node, in_pre = stack.pop()
        if isinstance(node, str):  # a marker pushed below, or a text node
            if isinstance(node, NavigableString):
                if isinstance(node, PreformattedString):  # comments, CDATA, doctype
                    continue
                parts.append(str(node) if in_pre else re.sub(r"\s+", " ", str(node)))
            else:
                parts.append(node)
            continue
        name = node.name
        if name in _SKIP_TAGS:
            continue
        if name == "br":
            parts.append("\n")
            continue
        if name == "li":
            before, after = "\n- ", "\n"
        elif name in ("td", "th"):
            before, after = _CELL, _CELL
        elif name in _BLOCK_TAGS:
            before, after = "\n", "\n"
        else:
            before, after = "", ""
        pre = in_pre or name == "pre"
        stack.append((_Marker(after), pre))
        for child in reversed(list(node.children)):
            stack.append((child, pre))
        stack.append((_Marker(before), pre))
    return _tidy_lines("".join(parts))


class _Marker(str):
    """Separator text pushed on the render stack (a plain str, not a document node)."""


def _tidy_lines(text: str) -> str:
    lines: list[str] = []
    for raw in text.split("\n"):
        if _CELL in raw:
            cells = [re.sub(r"\s+", " ", c).strip() for c in raw.split(_CELL)]
            line = " | ".join(c for c in cells if c)
        else:
            line = re.sub(r"[ \t\f\v\xa0\u200b]+", " ", raw).strip()
        if not line:
            continue
        if lines and lines[-1] == "-":  # "<li><p>text</p></li>" puts the bullet on a line of its own
            lines[-1] = f"- {line}"
            continue
        lines.append(line)
    if lines and lines[-1] == "-":
        lines.pop()
    return "\n".join(lines)


# ---------------------------------------------------------------- schema.org JobPosting

def find_job_posting(html: str) -> dict[str, Any] | None:
    """The first schema.org JobPosting in the page's JSON-LD scripts (also inside @graph or lists), or None."""
    soup = _soup(html)
    return _find_job_posting(_tags(soup))


def _find_job_posting(tags: list[Tag]) -> dict[str, Any] | None:
    for script in tags:
        if script.name != "script" or str(script.attrs.get("type", "")).strip().lower() != "application/ld+json":
            continue
        raw = script.string if script.string is not None else script.get_text()
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|//\s*\]\]>\s*$|^\s*<!--|-->\s*$", "", raw or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError as err:
            log.debug("skipping unreadable JSON-LD block: %s", err)
            continue
        found = next(_job_postings(data, depth=0), None)
        if found is not None:
            return found
    return None


def _job_postings(data: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _job_postings(item, depth + 1)
    elif isinstance(data, dict):
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and k.split("/")[-1].lower() == "jobposting" for k in kinds):
            yield data
            return
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item", "about"):
            if key in data:
                yield from _job_postings(data[key], depth + 1)


def job_posting_fields(obj: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten a schema.org JobPosting into the loader's field names (description already as text)."""
    out: dict[str, Any] = {
        "title": _plain(obj.get("title") or obj.get("name")),
        "company": _org_name(obj.get("hiringOrganization")),
        "location": _place_text(obj.get("jobLocation")),
        "work_type": _first_str(obj.get("employmentType")),
        "date_posted": _plain(obj.get("datePosted")),
        "url": _plain(obj.get("url")),
        "id": _identifier(obj.get("identifier")),
        "skills": _joined(obj.get("skills")),
        "experience_level": _plain(obj.get("experienceLevel") or obj.get("seniorityLevel")),
    }
    location_types = obj.get("jobLocationType")
    location_types = location_types if isinstance(location_types, list) else [location_types]
    if any(isinstance(t, str) and t.strip().upper() == "TELECOMMUTE" for t in location_types):
        out["remote"] = True
    out.update(_salary_fields(obj.get("baseSalary")))
    description = obj.get("description")
    if isinstance(description, str):
        out["description"] = html_to_text(description) if looks_like_html(description) else description
    return {k: v for k, v in out.items() if v not in (None, "", [])}


def _plain(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return ""
    if looks_like_html(value):
        value = html_to_text(value)
    return re.sub(r"\s+", " ", value).strip()


def _first_str(value: Any) -> str:
    for item in value if isinstance(value, list) else [value]:
        if _plain(item):
            return _plain(item)
    return ""


def _joined(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(p for p in (_plain(v if not isinstance(v, dict) else v.get("name")) for v in value) if p)
    return _plain(value)


def _org_name(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _plain(value.get("name") or value.get("legalName"))
    return _plain(value)


def _identifier(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("value")
    return _plain(value)


def _place_text(value: Any) -> str:
    places = value if isinstance(value, list) else [value]
    texts: list[str] = []
    for place in places:
        text = ""
        if isinstance(place, str):
            text = _plain(place)
        elif isinstance(place, dict):
            address = place.get("address", place)
            if isinstance(address, str):
                text = _plain(address)
            elif isinstance(address, dict):
                parts: list[str] = []
                for key in ("addressLocality", "addressRegion", "addressCountry"):
                    part = address.get(key)
                    part = _plain(part.get("name") if isinstance(part, dict) else part)
                    if part and part not in parts:
                        parts.append(part)
                text = ", ".join(parts)
            text = text or _plain(place.get("name"))
        if text and text not in texts:
            texts.append(text)
    return "; ".join(texts)


def _salary_fields(salary: Any) -> dict[str, Any]:
    """baseSalary (MonetaryAmount) -> min/max/med salary, currency and the raw unitText."""
    if isinstance(salary, list):
        salary = salary[0] if salary else None
    if isinstance(salary, (int, float, str)) and not isinstance(salary, bool):
        return {"salary": str(salary)}
    if not isinstance(salary, dict):
        return {}
    out: dict[str, Any] = {"currency": _plain(salary.get("currency")), "pay_period": _plain(salary.get("unitText"))}
    value = salary.get("value")
    if isinstance(value, dict):
        out["pay_period"] = _plain(value.get("unitText")) or out["pay_period"]
        low, high, single = value.get("minValue"), value.get("maxValue"), value.get("value")
    else:
        low, high, single = salary.get("minValue"), salary.get("maxValue"), value
    if low is not None or high is not None:
        out["min_salary"], out["max_salary"] = low, high
    elif single is not None:
        out["med_salary"] = single  # one stated amount, not a range
    return out


# ---------------------------------------------------------------- page chrome in scraped text

_MODES = r"remote|hybrid|on-site|onsite|on site"
_MODE_PAREN = re.compile(rf"\s*\(\s*({_MODES})\s*\)\s*$", re.I)
_MODE_ALONE = re.compile(rf"^\(?\s*({_MODES})\s*\)?$", re.I)
_AGO = re.compile(
    r"\b(?:\d+|an?|one)\s*\+?\s*(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|[mhdw])\s+ago\b"
    r"|^(?:posted\s+)?(?:just now|today|yesterday)$|^(?:re)?posted\b",
    re.I,
)
_APPLICANTS = re.compile(r"\bapplicants?\b|\bapplications?\b|\bclicked apply\b", re.I)
_BYLINE_EXTRA = re.compile(r"^(?:promoted|actively (?:recruiting|hiring)|easy apply|new|be an early applicant)$", re.I)
_BYLINE_SPLIT = re.compile(r"\s*[·•]\s*|\s+\|\s+")
_MODE_LEAD = re.compile(rf"^({_MODES})\b", re.I)
_PAY = re.compile(
    r"[$€£¥₹]\s?\d"
    r"|\d\s?[kK]?\s*(?:/\s*(?:yr|year|hr|hour|mo|month|wk|week)\b|(?:a|an|per)\s+(?:year|hour|month|week|day)\b)",
    re.I,
)
_WORK_TYPE_PART = re.compile(
    r"^(?:full[- ]?time|part[- ]?time|contract(?:or)?|temporary|temp|internship|volunteer|permanent|freelance|"
    r"seasonal)$",
    re.I,
)

# Lines that are chrome wherever they stand.
_NAV_LINES = {
    "job search", "find jobs", "my network", "company reviews", "find salaries", "for business", "for employers",
    "employers / post job", "post a job", "post job", "try premium", "try premium for free", "sign in", "sign up",
    "sign in or join", "join now", "log in", "skip to main content", "skip to content", "skip navigation",
    "skip to search", "show more", "show less", "see more", "see less", "show more show less", "report this job",
    "report job", "save job", "apply now", "easy apply", "apply on company website", "apply on company site",
    "back to jobs", "back to search", "back to results", "back to search results", "accept all",
    "accept all cookies", "accept cookies", "allow all", "allow all cookies", "reject all", "manage preferences",
    "manage cookies", "cookie settings", "cookie preferences", "got it", "clear all", "clear recent searches",
    "clear search", "upload your resume", "get the app", "set alert", "create job alert", "turn on job alerts",
    "job alert", "see who you know", "email or phone", "forgot password?", "forgot password",
    "continue with google", "agree & join", "sign in with email", "new to linkedin? join now", "open menu",
    "close menu", "reject non-essential", "only necessary", "necessary only", "accept necessary",
    "view all jobs", "see all jobs", "all jobs", "apply for this job", "apply for this position",
}
# Single words that are chrome only outside the posting's prose or next to other chrome ("Learning" may be a heading).
_NAV_WORDS = {
    "home", "jobs", "people", "learning", "messaging", "notifications", "me", "menu", "search", "network",
    "companies", "salaries", "community", "employers", "join", "login", "register", "report", "save", "saved",
    "share", "apply", "back", "close", "dismiss", "accept", "reject", "decline", "ok", "clear", "password", "show",
    "x", "×", "…", "more", "main content",
}
_NAV_SPLIT = re.compile(r"\s*(?:/|·|•|\|)\s*")
_NAV_PREFIXES = (
    "sign in to ", "join to ", "join or sign in", "get notified about new", "referrals increase your chances",
    "by clicking continue", "by clicking agree", "new to linkedin", "already on linkedin", "skip to ",
    "this button displays the currently selected search type", "sign in to create job alert", "get email updates",
    "you've viewed all jobs", "you’ve viewed all jobs",
)
_RECENT_HEADERS = {
    "recent searches", "your recent searches", "recent job searches", "recently viewed", "recently viewed jobs",
}
_SIMILAR_HEADERS = {
    "similar jobs", "people also viewed", "more jobs like this", "jobs you may be interested in", "recommended jobs",
    "recommended for you", "similar searches", "others also viewed", "you may also like", "related jobs",
    "jobs similar to this one", "jobs like this", "see more jobs like this", "similar job postings",
    "people also searched", "people also searched for", "explore collaborative articles", "more searches",
    "explore more jobs", "more jobs from this company", "other jobs you might like", "related searches",
}
_FOOTER_WORDS = {
    "about", "about us", "accessibility", "user agreement", "privacy policy", "privacy",
    "your california privacy choices",
    "cookie policy", "copyright policy", "brand policy", "guest controls", "community guidelines", "language",
    "terms", "terms of service", "terms of use", "terms & conditions", "terms and conditions", "help", "help center",
    "careers", "contact", "contact us", "sitemap", "site map", "advertising", "press", "blog", "security", "legal",
    "do not sell my personal information", "ad choices", "cookie preferences", "cookies", "imprint", "investors",
}
_COPYRIGHT_LINE = re.compile(r"^(?:copyright\s*)?(?:©|\(c\))\s*\S|^copyright\s+\d{4}\b", re.I)
_RIGHTS_RESERVED = re.compile(r"\ball rights reserved\b", re.I)
_COOKIE = re.compile(r"\bcookies?\b", re.I)
_COOKIE_BANNER = re.compile(
    r"\bwe (?:and our partners )?use cookies\b|\b(?:this|our) (?:web)?site uses cookies\b|\buse of cookies\b"
    r"|\bby (?:continuing|clicking|using)\b|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings|preferences)\b",
    re.I,
)
_TRAILING_SHOW = re.compile(r"\s*(?:…|\.\.\.)?\s*(?:Show|See) (?:more|less)$")
_PROSE_WORDS = 20


def _key(line: str) -> str:
    line = re.sub(r"^[\s\-*•·›»>]+", "", line)
    line = re.sub(r"[\s:›»>]+$", "", line)
    return re.sub(r"\s+", " ", line).lower()


def _is_copyright(line: str) -> bool:
    words = len(line.split())
    return (bool(_COPYRIGHT_LINE.search(line)) and words <= 30) or (bool(_RIGHTS_RESERVED.search(line)) and words <= 12)


def _is_nav(key: str) -> bool:
    if key in _NAV_LINES or key.startswith(_NAV_PREFIXES):
        return True
    parts = [p for p in _NAV_SPLIT.split(key) if p]  # "Sign in / Join now", "Home · Jobs"
    return len(parts) > 1 and all(p in _NAV_LINES or p in _NAV_WORDS for p in parts)


def _is_chrome_line(line: str) -> bool:
    key = _key(line)
    return (_is_nav(key) or key in _NAV_WORDS or key in _FOOTER_WORDS or _is_copyright(line)
            or _is_footer_list(line) or _is_cookie_banner(line))


def _is_cookie_banner(line: str) -> bool:
    return bool(_COOKIE.search(line)) and bool(_COOKIE_BANNER.search(line)) and len(line.split()) <= 80


def _is_footer_list(line: str) -> bool:
    parts = [_key(p) for p in _BYLINE_SPLIT.split(line) if p.strip()]
    if len(parts) < 2:
        return False
    known = sum(1 for p in parts if p in _FOOTER_WORDS or _is_copyright(p))
    return known >= max(2, (2 * len(parts) + 2) // 3)


def _is_prose(line: str) -> bool:
    return len(line.split()) >= _PROSE_WORDS


@dataclass
class Byline:
    """What a scraped page's byline says: "Company · City, ST (Hybrid) · 3 days ago · 57 applicants"."""

    company: str
    location: str = ""
    remote_hint: str = ""  # "Remote", "Hybrid" or "On-site" as the page wrote it
    details: str = ""  # the byline's other parts about the job ("Full-time · $140,000 a year"), kept as text


def _byline_part(part: str) -> str:
    """What a byline part is: "volatile" (age, applicants), "mode", "place_mode", "mode_lead", "detail" or ""."""
    if _AGO.search(part) or _APPLICANTS.search(part) or _BYLINE_EXTRA.match(part):
        return "volatile"
    if _MODE_ALONE.match(part):
        return "mode"
    if _MODE_PAREN.search(part):
        return "place_mode"
    if _MODE_LEAD.match(part) and len(part.split()) <= 5:
        return "mode_lead"
    if _PAY.search(part) or _WORK_TYPE_PART.match(part):
        return "detail"
    return ""


def parse_byline(line: str, strict: bool = True) -> Byline | None:
    """The company, location and work mode of a byline line, or None when the line is not one.

    strict=False also accepts a bare "Company · Location" (used right under a page's known <h1> title).
    """
    line = line.strip()
    if not line or len(line) > 200 or _is_footer_list(line) or _is_nav(_key(line)):
        return None
    parts = [p.strip() for p in _BYLINE_SPLIT.split(line) if p.strip()]
    if len(parts) < 2 or len(parts) > 8:
        return None
    kinds = [_byline_part(p) for p in parts]
    signal = any(k in ("volatile", "mode", "place_mode", "mode_lead") for k in kinds)
    if not signal and (strict or len(parts) > 5 or any(len(p.split()) > 8 for p in parts)):
        return None
    remote_hint = ""
    named: list[str] = []
    details: list[str] = []
    for part, kind in zip(parts, kinds):
        if kind in ("mode", "place_mode", "mode_lead") and not remote_hint:
            mode = _MODE_ALONE.match(part) or _MODE_PAREN.search(part) or _MODE_LEAD.match(part)
            remote_hint = mode.group(1) if mode else ""
        if kind == "place_mode":
            named.append(_MODE_PAREN.sub("", part).strip())
        elif kind == "mode_lead" or (kind == "" and len(named) < 2):
            named.append(part)
        elif kind in ("", "detail"):
            details.append(part)
    if not named or kinds[0] not in ("", "place_mode") or len(named[0]) > 100 or named[0].endswith((".", "!", "?")):
        return None
    return Byline(company=named[0], location=named[1] if len(named) > 1 else "", remote_hint=remote_hint,
                  details=" · ".join(details))


def _title_like(line: str) -> bool:
    line = line.strip()
    return (0 < len(line) <= 150 and len(line.split()) <= 20 and not line.endswith((".", "!", "?", ":"))
            and not _is_chrome_line(line) and parse_byline(line) is None)


def _find_head(lines: list[str]) -> tuple[int, int] | None:
    """(title index, byline index) of the title + byline layout near the top, before any prose."""
    previous: int | None = None
    for i, line in enumerate(lines[:200]):
        if not line.strip():
            continue
        if parse_byline(line) is not None and previous is not None and _title_like(lines[previous]):
            return previous, i
        if _is_prose(line) and not _is_chrome_line(line):
            return None
        previous = i
    return None


def strip_page_chrome(text: str) -> str:
    """Scraped page text without navigation, recent searches, cookie banners, similar-jobs lists and footers."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    head = _find_head(lines)
    start = head[0] if head else 0  # everything above the title is chrome
    prose = [i for i, line in enumerate(lines) if _is_prose(line)]
    first_prose, last_prose = (prose[0], prose[-1]) if prose else (len(lines), -1)
    out: list[str] = []
    in_recent = False
    for i in range(start, len(lines)):
        line = lines[i].strip()
        key = _key(line)
        if in_recent:
            if line and not _is_prose(line) and not line.endswith((".", "!", "?")) and len(line.split()) <= 8:
                continue
            in_recent = False
        if not line:
            out.append("")
            continue
        if key in _SIMILAR_HEADERS:
            break  # other jobs follow; nothing after them belongs to this posting
        if _is_copyright(line):
            if i >= len(lines) // 2 or i > last_prose:
                break  # the footer
            continue
        if key in _RECENT_HEADERS:
            in_recent = True
            continue
        if _is_nav(key) or _is_cookie_banner(line) or _is_footer_list(line):
            continue
        if key in _NAV_WORDS and (i < first_prose or i > last_prose or _next_to_chrome(lines, i)):
            continue
        if key in _FOOTER_WORDS and i > last_prose and _next_to_chrome(lines, i):
            continue
        out.append(_TRAILING_SHOW.sub("", line) if _TRAILING_SHOW.search(line) and len(line) > 12 else line)
    return _squeeze_blank_lines(out)


def _next_to_chrome(lines: list[str], i: int) -> bool:
    """A lone "About" or "Jobs" is a link only in a run of such links."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and not lines[j].strip():
            j += step
        if 0 <= j < len(lines) and _is_chrome_line(lines[j].strip()):
            return True
    return False


def _squeeze_blank_lines(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@dataclass
class PageHead:
    """The title and byline at the top of a scraped page."""

    title: str
    byline: Byline | None = None


def split_page_head(text: str) -> tuple[PageHead | None, str]:
    """The title + byline layout at the top of chrome-free text, and the text below them (byline details kept)."""
    lines = text.split("\n")
    head = _find_head(lines)
    if head is None:
        return None, text
    title_at, byline_at = head
    byline = parse_byline(lines[byline_at])
    kept = [byline.details] if byline is not None and byline.details else []
    rest = lines[title_at + 1:byline_at] + kept + lines[byline_at + 1:]  # what stood above the title is chrome
    return PageHead(title=lines[title_at].strip(), byline=byline), _squeeze_blank_lines(rest)


# ---------------------------------------------------------------- whole pages

_JOB_BOARDS = re.compile(
    r"linkedin|indeed|glassdoor|ziprecruiter|monster|dice|greenhouse|lever|workday|smartrecruiters|"
    r"workable|jobvite|icims|bamboohr|ashby|wellfound|angellist|simplyhired|careerbuilder|stepstone",
    re.I,
)
_JUNK_ATTRS = re.compile(
    r"cookie|consent|gdpr|onetrust|newsletter|modal|popup|similar|related-jobs|recommend|breadcrumb", re.I)
_TRAFILATURA_MAX_CHARS = 2_000_000
_PRUNED_TAGS = {"nav", "aside", "script", "style", "noscript", "form", "template", "svg", "iframe"}
_JUNK_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"}
_TITLE_SPLIT = re.compile(r"\s+(?:\||–|—|·|::)\s+")


def parse_html_page(html: str) -> dict[str, Any]:
    """A job page's fields, named as the loader reads them: JSON-LD JobPosting first, else the main content."""
    soup = _soup(html)
    tags = _tags(soup)
    meta = _page_meta(tags)
    posting = _find_job_posting(tags)
    head, text = _main_text(html, soup, tags, meta)  # prunes the soup
    if posting is not None:
        record = job_posting_fields(posting)
        described = record.get("description", "")
        if not described or _fuller(text, described):  # boards often put a summary in JSON-LD
            record["description"] = text
        for key in ("url", "title", "company", "location"):
            record.setdefault(key, getattr(meta, key))
        return {k: v for k, v in record.items() if v not in (None, "")}
    record: dict[str, Any] = {"title": meta.title, "company": meta.company, "location": meta.location,
                              "url": meta.url}
    if head is not None:
        record["title"] = head.title or meta.title
        if head.byline is not None:
            record["company"] = head.byline.company or meta.company
            record["location"] = head.byline.location or meta.location
            record["remote_hint"] = head.byline.remote_hint
    record["description"] = text
    return {k: v for k, v in record.items() if v not in (None, "")}


def _fuller(visible: str, described: str) -> bool:
    """True when the page's visible text is much longer than the JSON-LD description and about the same job."""
    if len(visible) < 1.3 * len(described):
        return False
    words = set(re.findall(r"[a-z]{4,}", described.lower()))
    seen = set(re.findall(r"[a-z]{4,}", visible.lower()))
    return bool(words) and len(words & seen) >= 0.6 * len(words)


@dataclass
class _PageMeta:
    title: str = ""
    company: str = ""
    location: str = ""
    url: str = ""
    labels: tuple[str, ...] = ()  # texts of company/location elements, dropped when they sit under the title


def _meta_tags(tags: list[Tag]) -> dict[str, str]:
    """<meta property|name=... content=...> as a dict (first of each name wins)."""
    metas: dict[str, str] = {}
    for tag in tags:
        if tag.name == "meta" and tag.attrs.get("content"):
            name = str(tag.attrs.get("property") or tag.attrs.get("name") or "").strip().lower()
            if name:
                metas.setdefault(name, re.sub(r"\s+", " ", str(tag.attrs["content"])).strip())
    return metas


def _labelled(tags: list[Tag], *words: str) -> str:
    """Short text of the first element whose class, id or itemprop names one of the words (class="company-name")."""
    pattern = re.compile("|".join(words), re.I)
    for tag in tags:
        attrs = tag.attrs
        if not attrs or tag.name in ("script", "style", "link"):
            continue
        names = " ".join([str(attrs.get("id", "")), str(attrs.get("itemprop", ""))] + list(attrs.get("class", []) or []))
        if not pattern.search(names) or tag.find_parent(["nav", "aside", "footer"]) is not None:
            continue
        text = re.sub(r"\s+", " ", attrs.get("content") or tag.get_text(" ")).strip()
        if 0 < len(text) <= 80 and len(text.split()) <= 10:
            return text
    return ""


def _page_meta(tags: list[Tag]) -> _PageMeta:
    """Title, company, location and URL from <h1>, <title>, meta tags and labelled elements."""
    metas = _meta_tags(tags)
    page_title = metas.get("og:title") or metas.get("twitter:title") or ""
    title_tag = _first(tags, "title")
    if not page_title and title_tag is not None:
        page_title = re.sub(r"\s+", " ", title_tag.get_text()).strip()
    site = metas.get("og:site_name") or metas.get("application-name") or ""
    h1 = _first(tags, "h1")
    title = re.sub(r"\s+", " ", h1.get_text(" ")).strip() if h1 is not None else ""
    at_company = ""
    if page_title:
        first = _TITLE_SPLIT.split(page_title)[0]
        if site and first.lower().endswith(f" - {site.lower()}"):
            first = first[: -len(site) - 3]
        at = re.match(r"^(?:job application for\s+)?(.+?)\s+at\s+(.+)$", first, re.I)
        if at:
            first, at_company = at.group(1), at.group(2)
        title = title or first.strip()
    company_label = _labelled(tags, "company", "employer", "hiringorganization")
    location_label = _labelled(tags, "location")
    company = re.sub(r"^at\s+", "", company_label, flags=re.I) or metas.get("company", "") or at_company
    if not company and site and not _JOB_BOARDS.search(site):
        company = re.sub(r"\s+(?:careers|jobs|job board|hiring)$", "", site, flags=re.I)
    link = next((t for t in tags if t.name == "link" and "canonical" in (t.attrs.get("rel") or [])), None)
    url = (str(link.attrs.get("href", "")) if link is not None else "") or metas.get("og:url", "")
    return _PageMeta(title=title, company=company, location=location_label, url=url,
                     labels=tuple(label for label in (company_label, location_label) if label))


def _main_text(html: str, soup: BeautifulSoup, tags: list[Tag], meta: _PageMeta) -> tuple[PageHead | None, str]:
    """The page's own text (pruned BeautifulSoup or trafilatura), chrome stripped, and its title + byline."""
    pruned, has_root = _pruned_soup_text(soup, tags)
    pruned = strip_page_chrome(pruned)
    head, pruned_rest = split_page_head(pruned)
    if head is None and meta.title:
        head, pruned_rest = _head_under_title(pruned, meta.title, meta.labels)
    if (has_root and pruned_rest) or len(pruned_rest) < 200:  # marked main content, or too little to choose from
        return head, pruned_rest
    if len(html) > _TRAFILATURA_MAX_CHARS:  # too slow on huge pages; the pruned text will do
        return head, pruned_rest
    extracted = strip_page_chrome(_trafilatura_text(html))
    if not extracted or (len(extracted) < 200 and len(extracted) < len(pruned_rest) // 2):
        return head, pruned_rest
    extracted_head, extracted_rest = split_page_head(extracted)
    if head is None and extracted_head is not None:
        return extracted_head, extracted_rest
    return head, _drop_head_lines(extracted, head, meta.labels)


def _head_under_title(text: str, title: str, labels: tuple[str, ...]) -> tuple[PageHead | None, str]:
    """The known <h1> title as the first line, with a bare "Company · City" byline or labelled lines under it."""
    lines = text.split("\n")
    if not lines or lines[0].strip().lower() != title.lower():
        return None, text
    byline = parse_byline(lines[1], strict=False) if len(lines) > 1 else None
    rest = lines[2:] if byline is not None else lines[1:]
    head = PageHead(title=lines[0].strip(), byline=byline)
    return head, _drop_head_lines("\n".join(rest), head, labels)


def _drop_head_lines(text: str, head: PageHead | None, labels: tuple[str, ...]) -> str:
    """Text without the title, byline and company/location lines it starts with (byline details kept)."""
    lines = text.split("\n")
    known = {label.lower() for label in labels}
    if head is not None:
        known.add(head.title.lower())
    dropped_byline = False
    while lines and len(lines) > 1:
        first = lines[0].strip()
        byline = parse_byline(first, strict=False) if head is not None and head.byline is not None else None
        if first.lower() in known:
            lines.pop(0)
        elif byline is not None and (byline.company, byline.location) == (head.byline.company, head.byline.location):
            lines.pop(0)
            dropped_byline = True
        else:
            break
    details = head.byline.details if head is not None and head.byline is not None else ""
    if details and (dropped_byline or details not in text):
        lines.insert(0, details)
    return _squeeze_blank_lines(lines)


def _trafilatura_text(html: str) -> str:
    """Main content by trafilatura, given a tree lxml already parsed (so odd markup is not logged as an error)."""
    try:
        import lxml.html
        import trafilatura
        from trafilatura.settings import use_config

        tree = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html))
        config = use_config()
        config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal-based timeout (threads, tests)
        text = trafilatura.extract(
            tree, output_format="txt", include_formatting=False, include_tables=True, include_links=False,
            include_images=False, include_comments=False, favor_recall=True, deduplicate=False, config=config,
        )
    except Exception as err:  # trafilatura is a helper here: fall back to BeautifulSoup on any failure
        log.debug("trafilatura failed: %s", err)
        return ""
    return text or ""


def _pruned_soup_text(soup: BeautifulSoup, tags: list[Tag]) -> tuple[str, bool]:
    """Text of the page without nav, header, footer, aside, forms and banners; and whether it had a <main>.

    Prunes the soup in place: read everything else from it first.
    """
    junk: list[Tag] = []
    for tag in tags:
        if tag.name in _PRUNED_TAGS:
            junk.append(tag)
        elif tag.name in ("header", "footer"):
            if tag.find_parent(["main", "article"]) is None:
                junk.append(tag)
        elif tag.name not in ("body", "html", "main") and tag.attrs:
            attrs = tag.attrs
            role = str(attrs.get("role", "")).lower()
            names = " ".join([str(attrs.get("id", ""))] + list(attrs.get("class", []) or []))
            if role in _JUNK_ROLES or "hidden" in attrs or (names.strip() and _JUNK_ATTRS.search(names)):
                junk.append(tag)
    junk_ids = {id(tag) for tag in junk}

    def kept(tag: Tag) -> bool:
        return id(tag) not in junk_ids and not any(id(parent) in junk_ids for parent in tag.parents)

    candidates = ([t for t in tags if t.name == "main"] + [t for t in tags if str(t.attrs.get("role", "")) == "main"]
                  + [t for t in tags if t.name == "article"])
    root = next((t for t in candidates if kept(t)), None)
    body = _first(tags, "body") or soup
    for tag in junk:
        if not any(id(parent) in junk_ids for parent in tag.parents):  # the outermost junk only
            tag.decompose()
    text = _render(root) if root is not None else ""
    if len(text) >= 200:
        return text, True
    whole = _render(body)
    if text and len(text) >= 0.4 * len(whole):
        return text, True
    return whole, False
