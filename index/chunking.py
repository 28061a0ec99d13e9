"""Split a posting into model-sized chunks that follow its sections and sentences.

A chunk's text is its section heading as "Name:" on the first line, then one sentence per line
(bullets dropped, white space folded, as index.text.split_sentences gives them). A long section
continues in further chunks that repeat its heading; a sentence longer than a chunk is cut at word
boundaries; a section under a quarter of the limit joins the next one when both fit. Nothing else
is dropped or repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from index.models import Chunk, Posting
from index.text import is_heading, line_sentences, split_lines

CountTokens = Callable[[str], int]
CountTokensBatch = Callable[[Sequence[str]], list[int]]
Fits = Callable[[list[str], str], bool]  # fits(parts, sep): does sep.join(parts) fit (after a section's heading)?

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


class _Counts:
    """A token counter that remembers its answers and, given a batch counter, counts texts ahead in batches.

    lines_add_up: the counter's count of lines joined by line breaks is always the sum of their counts
    (true of WordPiece, which splits at white space first); joined lines are then never counted again.
    Neither changes a count: chunk boundaries are decided exactly as with the counter alone.
    """

    def __init__(self, count: CountTokens, count_batch: CountTokensBatch | None = None, lines_add_up: bool = False):
        self.count, self.count_batch, self.lines_add_up = count, count_batch, lines_add_up
        self.known: dict[str, int] = {}

    @classmethod
    def of(cls, count: CountTokens | _Counts, count_batch: CountTokensBatch | None = None,
           lines_add_up: bool = False) -> _Counts:
        return count if isinstance(count, _Counts) else cls(count, count_batch, lines_add_up)

    def joined(self, lines: list[str]) -> int:
        """The count of the lines joined by line breaks."""
        if self.lines_add_up:
            return sum(self(line) for line in lines)
        return self("\n".join(lines))

    def fits_under(self, lead: list[str], max_tokens: int) -> Fits:
        """fits(parts, sep): whether the lead lines and then sep.join(parts) stay within max_tokens."""
        def fits(parts: list[str], sep: str) -> bool:
            if self.lines_add_up and sep.isspace():  # words joined by white space add up like lines
                return self.joined(lead) + sum(self(part) for part in parts) <= max_tokens
            return self.joined(lead + [sep.join(parts)]) <= max_tokens

        return fits

    def __call__(self, text: str) -> int:
        tokens = self.known.get(text)
        if tokens is None:
            tokens = self.known[text] = self.count(text)
        return tokens

    def ahead(self, texts: Iterable[str]) -> None:
        """Count texts that will probably be asked for, in one batch call (nothing without a batch counter)."""
        if self.count_batch is None:
            return
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            self.known.update(zip(missing, self.count_batch(missing)))


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
        else:  # split_sentences(raw), without splitting the lines again
            sections[-1].sentences.extend(sentence for line in lines for sentence in line_sentences(line))
    return [s for s in sections if s.name or s.sentences]


def _longest_prefix(items: list[str], sep: str, fits: Fits) -> int:
    """The largest k >= 1 with fits(items[:k], sep), or 0 when even one item does not fit."""
    low, high = 0, len(items)
    while low < high:
        mid = (low + high + 1) // 2
        if fits(items[:mid], sep):
            low = mid
        else:
            high = mid - 1
    return low


def _split_long(sentence: str, fits: Fits) -> list[str]:
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


@dataclass
class _Queue:
    """A section's lines to pack: the heading repeated on each chunk (lead), and its units with their counts."""

    name: str
    lead: list[str]
    head_tokens: int
    units: list[tuple[str, int]]

    def likely_texts(self, max_tokens: int) -> Iterable[str]:
        """The chunk texts packing measures when each first fill fits (always, if the counts of lines add up)."""
        i = 0
        while i < len(self.units):
            start, tokens = i, self.head_tokens
            while i < len(self.units) and (i == start or tokens + self.units[i][1] <= max_tokens):
                tokens += self.units[i][1]
                i += 1
            yield "\n".join(self.lead + [text for text, _ in self.units[start:i]])


def _queue(section: _Section, count: _Counts, max_tokens: int) -> _Queue:
    head, name = section.head, section.name
    head_tokens = count(head) if head else 0
    units = list(section.sentences)
    if head and head_tokens > max_tokens // 2:  # too long to repeat: keep it once, as plain text
        units.insert(0, head)
        head, name, head_tokens = "", "", 0
    lead = [head] if head else []
    fits = count.fits_under(lead, max_tokens)
    queue: list[tuple[str, int]] = []
    for unit in units:
        tokens = count(unit)
        if head_tokens + tokens <= max_tokens:
            queue.append((unit, tokens))
        else:
            if count.lines_add_up:
                count.ahead(unit.split())
            queue.extend((p, count(p)) for p in _split_long(unit, fits))
    return _Queue(name, lead, head_tokens, queue)


def _section_pieces(section: _Queue, count: _Counts, max_tokens: int) -> list[_Piece]:
    name, lead, head_tokens, queue = section.name, section.lead, section.head_tokens, section.units
    fits = count.fits_under(lead, max_tokens)

    pieces: list[_Piece] = []
    i = 0
    while i < len(queue) or not pieces:
        lines, tokens, start = list(lead), head_tokens, i
        while i < len(queue) and (i == start or tokens + queue[i][1] <= max_tokens):
            tokens += queue[i][1]
            lines.append(queue[i][0])
            i += 1
        measured = count.joined(lines)
        while measured > max_tokens and i - start > 1:  # the counter is not additive: give lines back
            lines.pop()
            i -= 1
            measured = count.joined(lines)
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


def _merge(first: _Piece, second: _Piece, count: _Counts, max_tokens: int) -> _Piece | None:
    lines = first.lines + second.lines
    tokens = count.joined(lines)
    return _Piece(first.section, lines, tokens) if tokens <= max_tokens else None


def chunk_posting(posting: Posting, count_tokens: CountTokens, max_tokens: int = 200,
                  count_batch: CountTokensBatch | None = None, lines_add_up: bool = False) -> list[Chunk]:
    """Chunks of a posting's text along its sections and sentences, each within max_tokens.

    Only speed-ups, with the same chunks: count_batch counts many texts in one call (as count_tokens does
    one); lines_add_up says count_tokens of lines joined by line breaks is the sum of their counts.
    """
    count = _Counts.of(count_tokens, count_batch, lines_add_up)
    sections = _sections(posting.text)
    count.ahead([s.head for s in sections if s.head] + [u for s in sections for u in s.sentences])
    queues = [_queue(section, count, max_tokens) for section in sections]
    if not count.lines_add_up:
        count.ahead(text for q in queues for text in q.likely_texts(max_tokens))
    tiny = max_tokens // 4
    out: list[_Piece] = []
    pending: _Piece | None = None  # a tiny one-chunk section waiting to join the next section
    for queue in queues:
        pieces = _section_pieces(queue, count, max_tokens)
        if pending is not None:
            merged = _merge(pending, pieces[0], count, max_tokens)
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
        merged = _merge(out[-1], pending, count, max_tokens) if out else None
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


def _embedding_head(posting: Posting, chunk: Chunk) -> str:
    """What embedding_text puts before the chunk text: "" or text ending in a space."""
    section = ""
    if chunk.section and not chunk.text.startswith(f"{chunk.section}:"):
        section = f"{chunk.section}: "  # chunks from chunk_posting already start with their heading
    return embedding_prefix(posting) + section


def embedding_text(posting: Posting, chunk: Chunk) -> str:
    """What is embedded for a chunk: '{title} — {company}. {section}:' followed by the chunk text."""
    return _embedding_head(posting, chunk) + chunk.text


def chunk_for_embedding(posting: Posting, count_tokens: CountTokens, max_tokens: int,
                        count_batch: CountTokensBatch | None = None, lines_add_up: bool = False) -> list[Chunk]:
    """chunk_posting with the prefix budgeted, so every embedding_text stays within max_tokens.

    count_batch and lines_add_up: as for chunk_posting (the prefix and section name end in a space, so a
    counter whose lines add up also adds them up).
    """
    count = _Counts.of(count_tokens, count_batch, lines_add_up)
    floor = max(1, max_tokens // 4)  # a clipped prefix is short; this only guards odd counters
    budget = max(floor, max_tokens - count(embedding_prefix(posting)))
    while True:
        chunks = chunk_posting(posting, count, budget)
        if count.lines_add_up:
            sizes = [count(_embedding_head(posting, c)) + count.joined(c.text.split("\n")) for c in chunks]
        else:
            texts = [embedding_text(posting, c) for c in chunks]
            count.ahead(texts)
            sizes = [count(text) for text in texts]
        over = max((size - max_tokens for size in sizes), default=0)
        if over <= 0 or budget <= floor:
            return chunks
        budget = max(floor, budget - over)  # the counter is not additive: shrink and retry
