"""Safe mrkdwn text: escaping data, truncating inside the escape, links, mentions and ages."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import quote, urlsplit

ELLIPSIS = "…"
MAX_URL_CHARS = 1000
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_SPECIAL = re.compile(r"[&<>]")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,30}$")
_LEADING_MENTION = re.compile(r"^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[\s,:]*")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def escape(text: str) -> str:
    """Escape Slack's control characters (&, <, >) so data shows as text and pings no one."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], text)


def one_line(text: str) -> str:
    """Collapse whitespace (newlines included) to single spaces."""
    return " ".join(text.split())


def truncate_escaped(text: str, limit: int) -> str:
    """Escape text, cutting the raw text with '…' so the escaped result fits in limit characters."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    return escape(_cut_word(text, limit - len(ELLIPSIS))).rstrip() + ELLIPSIS


def _cut_word(word: str, limit: int) -> str:
    """The longest head of word whose escaped form fits in limit (never cutting an entity)."""
    head, used = [], 0
    for char in word:
        piece = _ESCAPES.get(char, char)
        if used + len(piece) > limit:
            break
        head.append(char)
        used += len(piece)
    return "".join(head)


def split_escaped(text: str, limit: int) -> list[str]:
    """Escape text and split it between words (keeping line breaks) into pieces of at most limit characters."""
    pieces: list[str] = []
    current = ""
    for line_no, line in enumerate(text.split("\n")):
        for word_no, word in enumerate(line.split(" ")):
            joiner = " " if word_no else ("\n" if line_no else "")
            while len(escape(word)) > limit:  # a single enormous word: cut it between characters
                head = _cut_word(word, limit)
                if current:
                    pieces.append(current)
                    current = ""
                pieces.append(escape(head))
                word = word[len(head):]
            escaped = escape(word)
            candidate = current + joiner + escaped if current else escaped
            if len(candidate) <= limit:
                current = candidate
            else:
                pieces.append(current)
                current = escaped
    if current or not pieces:
        pieces.append(current)
    return pieces


def tidy(text: str) -> str:
    """Collapse runs of spaces and tabs inside each line and drop blank lines (keeping the line breaks)."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def safe_url(url: str) -> str | None:
    """The URL made safe inside a mrkdwn link, or None when it is not http(s)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(url) > MAX_URL_CHARS:
        return None
    return escape(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"))


def link(url: str, label_mrkdwn: str) -> str:
    """A mrkdwn link to url with an already-escaped label; the plain label when the URL is unsafe."""
    target = safe_url(url)
    if target is None:
        return label_mrkdwn
    return f"<{target}|{label_mrkdwn.replace('|', '¦')}>"


def user_mention(user_id: str) -> str:
    """'<@U123>' for a well-formed Slack user id; the escaped text otherwise."""
    return f"<@{user_id}>" if _USER_ID.match(user_id or "") else escape(user_id or "someone")


def strip_leading_mention(text: str, bot_user_id: str | None) -> str:
    """The question without a leading '<@UBOT>' (or any leading mention of the bot)."""
    match = _LEADING_MENTION.match(text or "")
    if match and (bot_user_id is None or match.group(1) == bot_user_id):
        return text[match.end():].strip()
    return (text or "").strip()


def mentioned_users(text: str) -> set[str]:
    """The user ids mentioned in a message's text."""
    return set(_USER_MENTION.findall(text or ""))


def age_phrase(built_at: datetime | None, now: datetime | None = None) -> str:
    """'updated 3 hours ago' for a UTC time; '' when unknown."""
    if built_at is None:
        return ""
    now = now or datetime.now(timezone.utc)
    if built_at.tzinfo is None:
        built_at = built_at.replace(tzinfo=timezone.utc)
    seconds = (now - built_at).total_seconds()
    if seconds < 60:
        return "updated just now"
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = int(seconds // size)
            return f"updated {count} {unit}{'' if count == 1 else 's'} ago"
    return "updated just now"
