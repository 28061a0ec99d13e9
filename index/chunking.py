"""Split a posting into model-sized chunks that follow its sections and sentences.

A chunk's text is its section heading as "Name:" on the first line, then one sentence per line
(bullets dropped, white space folded, as index.text.split_sentences gives them). A long section
continues in further chunks that repeat its heading; a sentence longer than a chunk is cut at word
boundaries; a section under a quarter of the limit joins the next one when both fit. Nothing else
is dropped or repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from index.models import Chunk, Posting
from index.text import is_heading, split_lines, split_sentences

CountTokens = Callable[[str], int]

CHUNKING_VERSION = 1  # bump when chunk boundaries or embedding texts change: stored chunks are rebuilt
TITLE_CHARS = 80  # longest title / company kept in the embedding prefix
COMPANY_CHARS = 60


@dataclass
class _Section:
    name: str  # "" for text before the first heading
    sentences: list[str] = field(default_factory=list)

    @property
    def head(self) -> str:
        return f"{self.name}:" if self.name else ""


@dataclass
class _Piece:
    section: str
    lines: list[str]
    tokens: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def heading_name(line: str) -> str | None:
    """The section name of a heading line ("## Benefits" -> "Benefits"), or None for other lines."""
    if not is_heading(line):
        return None
    name = line.strip().lstrip("#").strip().rstrip(":").strip()
    if not name or ":" in name:  # "Salary: $100,000" states a fact; it is not a heading
        return None
    return name


def _sections(text: str) -> list[_Section]:
    sections = [_Section("")]
    for raw in text.splitlines():
        lines = split_lines(raw)
        if not lines:
            continue
        name = heading_name(lines[0])
        if name is not None:
            sections.append(_Section(name))
        else:
            sections[-1].sentences.extend(split_sentences(raw))
    return [s for s in sections if s.name or s.sentences]


def _longest_prefix(items: list[str], sep: str, fits: Callable[[str], bool]) -> int:
    """The largest k >= 1 with fits(sep.join(items[:k])), or 0 when even one item does not fit."""
    low, high = 0, len(items)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(sep.join(items[:mid])):
            low = mid
        else:
            high = mid - 1
    return low


def _split_long(sentence: str, fits: Callable[[str], bool]) -> list[str]:
    """Cut a sentence that does not fit into pieces at word boundaries (inside a word only if one word is too long)."""
    pieces: list[str] = []
    words = sentence.split()
    while words:
        k = _longest_prefix(words, " ", fits)
        if k == 0:  # a single word longer than the budget: cut it by characters
            word = words[0]
            n = max(1, _longest_prefix(list(word), "", fits))
            pieces.append(word[:n])
            words[0] = word[n:]
            continue
        pieces.append(" ".join(words[:k]))
        words = words[k:]
    return pieces


def _section_pieces(section: _Section, count: CountTokens, max_tokens: int) -> list[_Piece]:
    head, name = section.head, section.name
    head_tokens = count(head) if head else 0
    units = list(section.sentences)
    if head and head_tokens > max_tokens // 2:  # too long to repeat: keep it once, as plain text
        units.insert(0, head)
        head, name, head_tokens = "", "", 0
    lead = [head] if head else []

    def fits(text: str) -> bool:
        return count("\n".join(lead + [text])) <= max_tokens

    queue: list[tuple[str, int]] = []
    for unit in units:
        tokens = count(unit)
        if head_tokens + tokens <= max_tokens:
            queue.append((unit, tokens))
        else:
            queue.extend((p, count(p)) for p in _split_long(unit, fits))

    pieces: list[_Piece] = []
    i = 0
    while i < len(queue) or not pieces:
        lines, tokens, start = list(lead), head_tokens, i
        while i < len(queue) and (i == start or tokens + queue[i][1] <= max_tokens):
            tokens += queue[i][1]
            lines.append(queue[i][0])
            i += 1
        measured = count("\n".join(lines))
        while measured > max_tokens and i - start > 1:  # the counter is not additive: give lines back
            lines.pop()
            i -= 1
            measured = count("\n".join(lines))
        if measured > max_tokens and i - start == 1:
            parts = _split_long(queue[start][0], fits)
            if len(parts) > 1:  # one line that only fits once cut: cut it and pack again
                queue[start : start + 1] = [(p, count(p)) for p in parts]
                i = start
                continue
        pieces.append(_Piece(name, lines, measured))
        if not queue:
            break
    return pieces


def _merge(first: _Piece, second: _Piece, count: CountTokens, max_tokens: int) -> _Piece | None:
    lines = first.lines + second.lines
    tokens = count("\n".join(lines))
    return _Piece(first.section, lines, tokens) if tokens <= max_tokens else None


def chunk_posting(posting: Posting, count_tokens: CountTokens, max_tokens: int = 200) -> list[Chunk]:
    """Chunks of a posting's text along its sections and sentences, each within max_tokens."""
    tiny = max_tokens // 4
    out: list[_Piece] = []
    pending: _Piece | None = None  # a tiny one-chunk section waiting to join the next section
    for section in _sections(posting.text):
        pieces = _section_pieces(section, count_tokens, max_tokens)
        if pending is not None:
            merged = _merge(pending, pieces[0], count_tokens, max_tokens)
            if merged is None:
                out.append(pending)
            else:
                pieces[0] = merged
            pending = None
        if len(pieces) == 1 and pieces[0].tokens < tiny:
            pending = pieces[0]
        else:
            out.extend(pieces)
    if pending is not None:
        merged = _merge(out[-1], pending, count_tokens, max_tokens) if out else None
        if merged is None:
            out.append(pending)
        else:
            out[-1] = merged
    return [Chunk(posting_id=posting.id, index=i, text=p.text, section=p.section) for i, p in enumerate(out)]


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def embedding_prefix(posting: Posting) -> str:
    """'{title} — {company}. ': what every embedded chunk of a posting starts with."""
    named = " — ".join(p for p in (_clip(posting.title, TITLE_CHARS), _clip(posting.company, COMPANY_CHARS)) if p)
    if not named:
        return ""
    return f"{named} " if named.endswith((".", "!", "?")) else f"{named}. "  # "Crumbwell Bakery Co." takes no second dot


def embedding_text(posting: Posting, chunk: Chunk) -> str:
    """What is embedded for a chunk: '{title} — {company}. {section}:' followed by the chunk text."""
    section = ""
    if chunk.section and not chunk.text.startswith(f"{chunk.section}:"):
        section = f"{chunk.section}: "  # chunks from chunk_posting already start with their heading
    return embedding_prefix(posting) + section + chunk.text


def chunk_for_embedding(posting: Posting, count_tokens: CountTokens, max_tokens: int) -> list[Chunk]:
    """chunk_posting with the prefix budgeted, so every embedding_text stays within max_tokens."""
    floor = max(1, max_tokens // 4)  # a clipped prefix is short; this only guards odd counters
    budget = max(floor, max_tokens - count_tokens(embedding_prefix(posting)))
    while True:
        chunks = chunk_posting(posting, count_tokens, budget)
        over = max((count_tokens(embedding_text(posting, c)) - max_tokens for c in chunks), default=0)
        if over <= 0 or budget <= floor:
            return chunks
        budget = max(floor, budget - over)  # the counter is not additive: shrink and retry
