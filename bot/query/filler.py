"""Politeness and filler around a question ("pls", "hey bot,", "could you tell me", "thanks!") (pure).

Filler never names a subject and never sets a filter. `strip_filler` removes it before the question is read, so
"pls list the nurse roles" starts with "list" and "any welder jobs? thx" has no content word "thx". `FILLER` is the
vocabulary as single words, for callers that look at words one by one (the naming code excludes them too).

The phrases are data: greetings and requests are removed only where they frame the question (at its start, or
at its end for thanks), single politeness words ("please", "pls", "plz") anywhere.
"""

from __future__ import annotations

import re

# phrases that open a question: a greeting, a request ("could you tell me"), an aside ("quick question:")
OPENERS = (
    r"(?:hey|hi|hello|yo|howdy|greetings|good (?:morning|afternoon|evening))(?:\s+(?:there|bot|team|all|folks))?",
    r"(?:could|can|would|will)\s+(?:you|u)(?:\s+(?:please|pls|plz))?"
    r"(?:\s+(?:tell|check|let)(?:\s+(?:me|us))?(?:\s+know)?(?:\s+(?:if|whether))?|(?=\s+(?:list|show|find|give)\b))",
    r"(?:please|pls|plz|kindly)\s+(?:tell|show|check|let)(?:\s+(?:me|us))?(?:\s+know)?(?:\s+(?:if|whether))?",
    r"(?:i was wondering|i wonder|just wondering|i'?d like to know|i want to know|do you know)(?:\s+(?:if|whether))?",
    r"quick (?:question|q)", r"one more (?:question|thing)", r"question",
)
# phrases that close a question: thanks in its forms
CLOSERS = (
    r"(?:thanks|thank you|thank u|thx|thnx|tks|ty|cheers|much appreciated|appreciated|appreciate it)"
    r"(?:\s+(?:so much|a lot|very much|in advance|again|bot))?",
)
# single politeness words, anywhere
WORDS = ("please", "pls", "plz", "plse", "kindly")

_SEP = r"[\s,;:!.\-–—]*"
_OPENER_RE = re.compile(rf"^\s*(?:(?:{'|'.join(OPENERS)})(?![\w']){_SEP})+(?=\S|$)", re.I)
_CLOSER_RE = re.compile(
    rf"(?:[\s,;:\-–—]*\(?\s*\b(?:{'|'.join(CLOSERS)})\b\s*[!.)]*)+\s*([?!.]*)\s*$", re.I)
_WORD_RE = re.compile(rf"(?<![\w'])(?:{'|'.join(WORDS)})(?![\w'])[\s,]*", re.I)

FILLER: frozenset[str] = frozenset(
    {"please", "pls", "plz", "plse", "kindly", "thanks", "thank", "thx", "thnx", "tks", "ty", "cheers", "hey",
     "hi", "hello", "howdy", "greetings", "appreciated", "appreciate", "wondering"}
)


def filler_spans(text: str) -> list[tuple[int, int]]:
    """Where filler is written in a question (opening greeting or request, closing thanks, 'please' anywhere)."""
    spans: list[tuple[int, int]] = []
    opener = _OPENER_RE.match(text)
    if opener and opener.end() > 0 and text[opener.end():].strip():
        spans.append((opener.start(), opener.end()))
    closer = _CLOSER_RE.search(text)
    if closer and text[:closer.start()].strip():
        spans.append((closer.start(), closer.start(1)))
    for m in _WORD_RE.finditer(text):
        if not any(s <= m.start() < e for s, e in spans):
            spans.append((m.start(), m.end()))
    return sorted(spans)


def strip_filler(text: str) -> tuple[str, list[str]]:
    """The question without its filler, and the filler removed ("hey bot, any roles in Leeds? thx" ->
    "any roles in Leeds?", ["hey bot, ", " thx"]). A question that is only filler is returned as it is."""
    spans = filler_spans(text)
    if not spans:
        return text, []
    kept, removed, at = [], [], 0
    for start, end in spans:
        if start < at:
            continue
        kept.append(text[at:start])
        removed.append(text[start:end])
        at = end
    kept.append(text[at:])
    out = re.sub(r"\s+", " ", "".join(kept)).strip()
    out = re.sub(r"\s+([?!.,])", r"\1", out)
    if not re.search(r"\w", out):
        return text, []
    return out, removed
