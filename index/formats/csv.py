"""CSV exports: one posting per row."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterator, Mapping

from index.formats.columns import ALIASES, norm_key
from index.formats.errors import Bad, FileError

def csv_rows(text: str) -> Iterator[tuple[int, Mapping[str, Any] | Bad]]:
    csv.field_size_limit(10**9)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as err:
        raise FileError(f"malformed CSV header: {err}") from None
    keys = {norm_key(h) for h in header if h}
    if not keys & set(ALIASES["description"]):
        raise FileError(f"no description column (columns: {', '.join(h for h in header if h)[:300]})")
    row = 0
    try:
        for row, values in enumerate(reader, start=1):
            yield row, {k: v for k, v in values.items() if k is not None}
    except csv.Error as err:
        yield row + 1, Bad(f"malformed CSV (line {reader.line_num}): {err}; the rest of the file was skipped")
    if row == 0:
        raise FileError("no data rows (only a header)")
