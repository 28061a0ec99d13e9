"""Plain-text rendering of an Answer for the terminal (pure)."""

from __future__ import annotations

from bot.answer import Answer, format_salary


def render_text(answer: Answer, limit: int | None = None) -> str:
    """The answer sentence, then one short block per posting with its quoted evidence."""
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
        for item in answer.evidence_for(posting.id)[:2]:
            where = "listing field" if item.origin == "column" else "posting"
            lines.append(f"  “{item.text}” ({where})")
        if posting.url:
            lines.append(f"  {posting.url}")
        if posting.source:
            lines.append(f"  source: {posting.source}")
    if limit is not None and len(answer.postings) > limit:
        lines.append(f"\n… and {len(answer.postings) - limit} more (use --all to show every posting).")
    return "\n".join(lines)
