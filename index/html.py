"""Web pages become posting fields and clean text: JSON-LD, main content, and no page chrome."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PreformattedString

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- HTML -> text

_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "svg", "iframe", "select", "option", "input", "textarea"}
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


def looks_like_html(text: str) -> bool:
    """True when a string contains HTML markup (tags such as <p>, <li>, <br>), not just a stray '<'."""
    return bool(text) and bool(_HTML_HINT.search(text))


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment or page: one line per paragraph or block, list items as "- item"."""
    soup = BeautifulSoup(html, "lxml")
    text = _render(soup.body or soup)
    if looks_like_html(text):  # the markup was escaped once more (&lt;p&gt;...)
        text = _render(BeautifulSoup(text, "lxml"))
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
    return _find_job_posting(BeautifulSoup(html, "lxml"))


def _find_job_posting(soup: BeautifulSoup) -> dict[str, Any] | None:
    for script in soup.find_all("script", attrs={"type": re.compile(r"^\s*application/ld\+json\s*$", re.I)}):
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
    "close menu",
}
# Single words that are chrome only outside the posting's prose or next to other chrome ("Learning" may be a heading).
_NAV_WORDS = {
    "home", "jobs", "people", "learning", "messaging", "notifications", "me", "menu", "search", "network",
    "companies", "salaries", "community", "employers", "join", "login", "register", "report", "save", "saved",
    "share", "apply", "back", "close", "dismiss", "accept", "reject", "decline", "ok", "clear", "password", "show",
    "x", "×", "…", "more", "main content",
}
_NAV_PREFIXES = (
    "sign in to ", "join to ", "join or sign in", "get notified about new", "referrals increase your chances",
    "by clicking continue", "by clicking agree", "new to linkedin", "already on linkedin", "skip to ",
    "this button displays the currently selected search type", "sign in to create job alert", "get email updates",
    "you've viewed all jobs", "you’ve viewed all jobs",
)
_RECENT_HEADERS = {"recent searches", "your recent searches", "recent job searches", "recently viewed", "recently viewed jobs"}
_SIMILAR_HEADERS = {
    "similar jobs", "people also viewed", "more jobs like this", "jobs you may be interested in", "recommended jobs",
    "recommended for you", "similar searches", "others also viewed", "you may also like", "related jobs",
    "jobs similar to this one", "jobs like this", "see more jobs like this", "similar job postings",
    "people also searched", "people also searched for", "explore collaborative articles", "more searches",
    "explore more jobs", "more jobs from this company", "other jobs you might like", "related searches",
}
_FOOTER_WORDS = {
    "about", "about us", "accessibility", "user agreement", "privacy policy", "privacy", "your california privacy choices",
    "cookie policy", "copyright policy", "brand policy", "guest controls", "community guidelines", "language",
    "terms", "terms of service", "terms of use", "terms & conditions", "terms and conditions", "help", "help center",
    "careers", "contact", "contact us", "sitemap", "site map", "advertising", "press", "blog", "security", "legal",
    "do not sell my personal information", "ad choices", "cookie preferences", "cookies", "imprint", "investors",
}
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?(?:©|\(c\))\s*\S|^copyright\s+\d{4}\b|\ball rights reserved\b", re.I)
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


def _is_nav(key: str) -> bool:
    return key in _NAV_LINES or key.startswith(_NAV_PREFIXES)


def _is_chrome_line(line: str) -> bool:
    key = _key(line)
    return (_is_nav(key) or key in _NAV_WORDS or key in _FOOTER_WORDS or bool(_COPYRIGHT.search(line))
            or _is_footer_list(line) or _is_cookie_banner(line))


def _is_cookie_banner(line: str) -> bool:
    return bool(_COOKIE.search(line)) and bool(_COOKIE_BANNER.search(line)) and len(line.split()) <= 80


def _is_footer_list(line: str) -> bool:
    parts = [_key(p) for p in _BYLINE_SPLIT.split(line) if p.strip()]
    if len(parts) < 2:
        return False
    known = sum(1 for p in parts if p in _FOOTER_WORDS or _COPYRIGHT.search(p))
    return known >= max(2, (2 * len(parts) + 2) // 3)


def _is_prose(line: str) -> bool:
    return len(line.split()) >= _PROSE_WORDS


@dataclass
class Byline:
    """What a scraped page's byline says: "Company · City, ST (Hybrid) · 3 days ago · 57 applicants"."""

    company: str
    location: str = ""
    remote_hint: str = ""  # "Remote", "Hybrid" or "On-site" as the page wrote it


def parse_byline(line: str, strict: bool = True) -> Byline | None:
    """The company, location and work mode of a byline line, or None when the line is not one.

    strict=False also accepts a bare "Company · Location" (used right under a page's known <h1> title).
    """
    line = line.strip()
    if not line or len(line) > 200 or _is_footer_list(line):
        return None
    parts = [p.strip() for p in _BYLINE_SPLIT.split(line) if p.strip()]
    if len(parts) < 2:
        return None
    signals = [bool(_AGO.search(p) or _APPLICANTS.search(p) or _MODE_ALONE.match(p) or _BYLINE_EXTRA.match(p)
                    or _MODE_PAREN.search(p)) for p in parts]
    if not any(signals) and (strict or len(parts) > 3 or any(len(p.split()) > 8 for p in parts)):
        return None
    remote_hint = ""
    named: list[str] = []
    for part, signal in zip(parts, signals):
        mode = _MODE_PAREN.search(part) or _MODE_ALONE.match(part)
        if mode and not remote_hint:
            remote_hint = mode.group(1)
        if _MODE_PAREN.search(part):
            named.append(_MODE_PAREN.sub("", part).strip())
        elif not signal:
            named.append(part)
    if not named or len(named[0]) > 100 or named[0].endswith((".", "!", "?")):
        return None
    return Byline(company=named[0], location=named[1] if len(named) > 1 else "", remote_hint=remote_hint)


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
        if _is_prose(line):
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
        if _COPYRIGHT.search(line) and len(line.split()) <= 30:
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
    """The title + byline layout at the top of chrome-free text, and the text without those two lines."""
    lines = text.split("\n")
    head = _find_head(lines)
    if head is None:
        return None, text
    title_at, byline_at = head
    byline = parse_byline(lines[byline_at])
    rest = lines[:title_at] + lines[title_at + 1:byline_at] + lines[byline_at + 1:]
    return PageHead(title=lines[title_at].strip(), byline=byline), _squeeze_blank_lines(rest)


# ---------------------------------------------------------------- whole pages

_JOB_BOARDS = re.compile(
    r"linkedin|indeed|glassdoor|ziprecruiter|monster|dice|greenhouse|lever|workday|smartrecruiters|"
    r"workable|jobvite|icims|bamboohr|ashby|wellfound|angellist|simplyhired|careerbuilder|stepstone",
    re.I,
)
_JUNK_ATTRS = re.compile(r"cookie|consent|gdpr|onetrust|newsletter|modal|popup|similar|related-jobs|recommend", re.I)
_JUNK_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"}
_TITLE_SPLIT = re.compile(r"\s+(?:\||–|—|·|::)\s+")


def parse_html_page(html: str) -> dict[str, Any]:
    """A job page's fields, named as the loader reads them: JSON-LD JobPosting first, else the main content."""
    soup = BeautifulSoup(html, "lxml")
    meta = _page_meta(soup)
    posting = _find_job_posting(soup)
    if posting is not None:
        record = job_posting_fields(posting)
        if not record.get("description"):
            record["description"] = _main_text(html, soup, meta.get("title", ""))[1]
        for key in ("url", "title", "company"):
            record.setdefault(key, meta.get(key, ""))
        return {k: v for k, v in record.items() if v not in (None, "")}
    head, text = _main_text(html, soup, meta.get("title", ""))
    record: dict[str, Any] = dict(meta)
    if head is not None:
        record["title"] = head.title or record.get("title", "")
        if head.byline is not None:
            record["company"] = head.byline.company or record.get("company", "")
            record["location"] = head.byline.location
            record["remote_hint"] = head.byline.remote_hint
    record["description"] = text
    return {k: v for k, v in record.items() if v not in (None, "")}


def _meta_content(soup: BeautifulSoup, *names: str) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag is not None and tag.get("content", "").strip():
            return re.sub(r"\s+", " ", tag["content"]).strip()
    return ""


def _page_meta(soup: BeautifulSoup) -> dict[str, str]:
    """Title, company and URL from <h1>, <title>, meta tags and microdata (before the soup is pruned)."""
    meta: dict[str, str] = {}
    page_title = _meta_content(soup, "og:title", "twitter:title")
    if not page_title and soup.title is not None:
        page_title = re.sub(r"\s+", " ", soup.title.get_text()).strip()
    site = _meta_content(soup, "og:site_name", "application-name")
    h1 = soup.find("h1")
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
    meta["title"] = title
    org = soup.find(attrs={"itemprop": "hiringOrganization"})
    company = ""
    if isinstance(org, Tag):
        name = org.find(attrs={"itemprop": "name"})
        company = (name.get("content") or name.get_text(" ")) if isinstance(name, Tag) else org.get_text(" ")
    company = company or _meta_content(soup, "company", "og:company") or at_company
    if not company and site and not _JOB_BOARDS.search(site):
        company = re.sub(r"\s+(?:careers|jobs|job board|hiring)$", "", site, flags=re.I)
    meta["company"] = re.sub(r"\s+", " ", company).strip()
    link = soup.find("link", attrs={"rel": "canonical"})
    meta["url"] = (link.get("href", "") if isinstance(link, Tag) else "") or _meta_content(soup, "og:url")
    return {k: v for k, v in meta.items() if v}


def _main_text(html: str, soup: BeautifulSoup, title: str) -> tuple[PageHead | None, str]:
    """The page's own text (trafilatura, else pruned BeautifulSoup), chrome stripped, and its title + byline."""
    pruned = strip_page_chrome(_pruned_soup_text(soup))
    head, pruned_rest = split_page_head(pruned)
    if head is None and title:
        head, pruned_rest = _head_under_title(pruned, title)
    extracted = _trafilatura_text(html)
    if len(extracted) < 200 and len(extracted) < len(pruned_rest) // 2:
        return head, pruned_rest
    extracted_head, extracted_rest = split_page_head(strip_page_chrome(extracted))
    head = head or extracted_head
    if head is not None:  # trafilatura may keep the title and byline lines that were parsed already
        lines = extracted_rest.split("\n")
        while lines and (lines[0].strip().lower() == head.title.lower()
                         or (head.byline is not None and parse_byline(lines[0], strict=False) == head.byline)):
            lines.pop(0)
        extracted_rest = "\n".join(lines).strip()
    return head, extracted_rest


def _head_under_title(text: str, title: str) -> tuple[PageHead | None, str]:
    """The known <h1> title as the first line, and a bare "Company · City" byline right under it."""
    lines = text.split("\n")
    if not lines or lines[0].strip().lower() != title.lower():
        return None, text
    byline = parse_byline(lines[1], strict=False) if len(lines) > 1 else None
    rest = lines[2:] if byline is not None else lines[1:]
    return PageHead(title=lines[0].strip(), byline=byline), _squeeze_blank_lines(rest)


def _trafilatura_text(html: str) -> str:
    try:
        import trafilatura
        from trafilatura.settings import use_config

        config = use_config()
        config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")  # no signal-based timeout (threads, tests)
        text = trafilatura.extract(
            html, output_format="txt", include_formatting=False, include_tables=True, include_links=False,
            include_images=False, include_comments=False, favor_recall=True, deduplicate=False, config=config,
        )
    except Exception as err:  # trafilatura is a helper here: fall back to BeautifulSoup on any failure
        log.debug("trafilatura failed: %s", err)
        return ""
    return text or ""


def _pruned_soup_text(soup: BeautifulSoup) -> str:
    soup = BeautifulSoup(str(soup), "lxml")  # prune a copy: the caller's soup stays whole
    for tag in soup.find_all(["nav", "aside", "script", "style", "noscript", "form", "template", "svg", "iframe"]):
        tag.decompose()
    for tag in soup.find_all(["header", "footer"]):
        if tag.find_parent(["main", "article"]) is None:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        role = str(tag.get("role", "")).lower()
        attrs = " ".join([str(tag.get("id", ""))] + list(tag.get("class", []) or []))
        if role in _JUNK_ROLES or tag.has_attr("hidden") or (attrs.strip() and _JUNK_ATTRS.search(attrs)):
            if tag.name not in ("body", "html", "main"):
                tag.decompose()
    root = soup.find("main") or soup.find(attrs={"role": "main"}) or soup.find("article")
    body = soup.body or soup
    text = _render(root) if isinstance(root, Tag) else ""
    if len(text) < 200:
        text = _render(body)
    return text
