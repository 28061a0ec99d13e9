"""Text and Markdown postings: front matter, "Key: value" headers, a title line, and Markdown as plain text."""

from __future__ import annotations

import re
from typing import Any, Sequence

from index.formats.columns import HEADER_KEYS, has_field, merge, norm_key
from index.formats.html import split_page_head, strip_page_chrome
from index.formats.pasted import is_section_heading, read_page
from index.formats.roles import has_role_word
from index.text import is_heading

# ---------------------------------------------------------------- txt and md files

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_HEADER_LINE = re.compile(r"^(?:[-*•]\s*)?([A-Za-z][A-Za-z .()/_-]{0,30}?)\s*:\s*(.*)$")
_MD_TITLE = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def text_record(text: str, markdown: bool = False, name: str = "") -> dict[str, Any]:
    """A record from a .txt or .md posting: front matter or a "Key: value" header, title, and clean text.

    Pasted pages without those (job-board chrome, bylines, sidebars) are read by `index.formats.pasted`; when
    nothing in the page names the job, the file name does (name: the file's stem, "acme-data-engineer").
    """
    record: dict[str, Any] = {}
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front = _FRONT_MATTER.match(text)
    if front:
        merge(record, key_values(front.group(1).split("\n")))
        text = text[front.end():]
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None:  # a leading "# Title" (or "Title" over "====") names the posting
        heading = _MD_TITLE.match(lines[first].strip())
        underlined = first + 1 < len(lines) and re.fullmatch(r"=+\s*", lines[first + 1]) is not None
        if heading or underlined:
            title = heading.group(1) if heading else lines[first].strip()
            merge(record, {"title": strip_markdown(title) if markdown else title})
            del lines[first:first + (1 if heading else 2)]
    text = "\n".join(lines)
    if markdown:
        text = strip_markdown(text)
    text = strip_page_chrome(text)
    head, text = split_page_head(text)
    if head is not None:
        merge(record, {"title": head.title})
        if head.byline is not None:
            merge(record, {"company": head.byline.company, "location": head.byline.location,
                            "remote_hint": head.byline.remote_hint})
    header, text = split_header(text, want_title=not has_field(record, "title"))
    merge(record, header)
    if True:  # fills only what is missing; always cuts other jobs and sidebar chrome
        page = read_page(text)
        merge(record, {"title": page.title, "company": page.company, "location": page.location})
        merge(record, page.columns)
        text = page.text or text
    record["@page_read"] = True
    if not has_field(record, "title"):
        text_lines = text.split("\n")
        candidate = text_lines[0].strip() if text_lines else ""
        if is_title_line(candidate) and not is_section_heading(candidate) and any(line.strip() for line in text_lines[1:]):
            record["title"] = candidate
            text = "\n".join(text_lines[1:])
    if not has_field(record, "title") and name:
        merge(record, {"title": title_from_name(name, str(record.get("company", "")))})
    record["description"] = text.strip()
    return record


def key_values(lines: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in lines:
        match = re.match(r"^\s*([A-Za-z_][\w .-]*?)\s*:\s*(.*?)\s*$", line)
        if match and match.group(2):
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            out.setdefault(match.group(1), value)
    return out


def split_header(text: str, want_title: bool) -> tuple[dict[str, str], str]:
    """Leading "Title: ... / Company: ... / Salary: ..." lines (within the first two lines), and the rest."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    fields: dict[str, str] = {}
    title_line: str | None = None
    if i < len(lines) and _header_pair(lines[i]) is None and want_title and is_title_line(lines[i].strip()):
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


def title_from_name(name: str, company: str = "") -> str:
    """A title from a file name that names the job ("board-acme-senior-data-engineer" -> "Senior Data Engineer").

    Words up to the company's name (a site prefix, the company) are dropped; "" when no job word is in the name.
    """
    words = [w for w in re.split(r"[^0-9A-Za-zÀ-ÿ]+", name) if w]
    company_words = {w.lower() for w in re.split(r"[^0-9A-Za-zÀ-ÿ]+", company) if w}
    last = max((i for i, w in enumerate(words) if w.lower() in company_words), default=-1)
    words = words[last + 1:]
    if not words or not has_role_word(" ".join(words)):
        return ""
    return " ".join(w if w.isupper() and len(w) > 1 else w.capitalize() for w in words)


def _header_pair(line: str) -> tuple[str, str] | None:
    match = _HEADER_LINE.match(line.strip())
    if not match or not match.group(2).strip():
        return None
    key = norm_key(match.group(1))
    if key not in HEADER_KEYS:
        return None
    return key, match.group(2).strip()


def is_title_line(line: str) -> bool:
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
