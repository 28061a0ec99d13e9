"""Plain-text rendering of an Answer for the terminal (pure)."""

from __future__ import annotations

import textwrap
from typing import Any

from bot.answer import Answer, format_salary

TABLE_WIDTH = 120  # characters a comparison table may take
QUOTE_CHARS = 160  # of a quote in a table cell


def render_text(answer: Answer, limit: int | None = None) -> str:
    """The answer sentence, then one short block per posting with its quoted evidence (a table for a
    comparison)."""
    comparison = getattr(answer, "comparison", None)
    if comparison is not None:
        return answer.text + "\n\n" + comparison_table(comparison)
    lines = [answer.text]
    shown = answer.postings if limit is None else answer.postings[:limit]
    for posting in shown:
        facts = posting.facts
        details = [d for d in (
            posting.location,
            format_salary(facts.salary.value) if facts.salary else "",
            facts.remote.value if facts.remote else "",
            facts.employment_type.value if facts.employment_type else "",
        ) if d]
        lines.append("")
        lines.append(f"• {posting.title}" + (f" — {posting.company}" if posting.company else "") + f"  [{posting.id}]")
        if details:
            lines.append("  " + " · ".join(details))
        for item in answer.evidence_for(posting)[:2]:
            where = "listing field" if item.origin == "column" else "posting"
            lines.append(f"  “{item.text}” ({where})")
        if posting.url:
            lines.append(f"  {posting.url}")
        if posting.source:
            lines.append(f"  source: {posting.source}")
    if limit is not None and len(answer.postings) > limit:
        lines.append(f"\n… and {len(answer.postings) - limit} more (use --all to show every posting).")
    return "\n".join(lines)


def comparison_table(comparison: Any) -> str:
    """Postings as columns, facts as rows (the differing facts first): each cell the value, then its quote."""
    postings = comparison.postings
    label_width = max(len(row.label) for row in comparison.facts) + len(" (differs)")
    width = max(18, (TABLE_WIDTH - label_width - 3 * len(postings)) // len(postings))
    heads = [f"{p.title}" + (f" — {p.company}" if p.company else "") + f" [{p.id}]" for p in postings]
    rows = [("", heads)]
    for row in comparison.facts:
        cells = []
        for cell in row.cells:
            text = cell.display(row.fact)
            if cell.quote:
                quote = cell.quote if len(cell.quote) <= QUOTE_CHARS else cell.quote[: QUOTE_CHARS - 1] + "…"
                text += f"\n“{' '.join(quote.split())}”"
            cells.append(text)
        state = " (differs)" if row.differs else ""
        rows.append((row.label + state, cells))
    out: list[str] = []
    rule = "-" * label_width + "".join("-+-" + "-" * width for _ in postings)
    for i, (label, cells) in enumerate(rows):
        wrapped = [[line for part in c.split("\n") for line in (textwrap.wrap(part, width, break_on_hyphens=False) or [""])] for c in cells]
        for k in range(max(len(w) for w in wrapped)):
            out.append((label if k == 0 else "").ljust(label_width) + "".join(
                " | " + (w[k] if k < len(w) else "").ljust(width) for w in wrapped).rstrip())
        out.append(rule)
    return "\n".join(out[:-1])
