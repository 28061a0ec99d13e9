"""The listed location, as a column fact."""

from __future__ import annotations

from index.facts.common import COLUMN, column_text as _column_text
from index.models import Fact

def extract_location(location: str) -> Fact | None:
    """The listed location, as a column fact."""
    location = (location or "").strip()
    if not location:
        return None
    return Fact(location, _column_text("Location", location), COLUMN)
