"""The extraction coverage table over the shipped samples (no ../shared needed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from index.models import Fact, Facts, Posting

REPO = Path(__file__).resolve().parents[1]
BENCHMARK = REPO / "benchmarks" / "extraction_check.py"
SAMPLES = REPO / "samples" / "postings"


@pytest.fixture(scope="module")
def check():
    spec = importlib.util.spec_from_file_location("extraction_check_under_test", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def samples_report(check, tmp_path_factory):
    out = tmp_path_factory.mktemp("coverage")
    code = check.main(["--no-score", "--corpus", f"samples={SAMPLES}",
                       "--out", str(out / "x.json"), "--md", str(out / "x.md")])
    assert code == 0
    return json.loads((out / "x.json").read_text()), (out / "x.md").read_text()


def test_coverage_table_has_a_row_per_fact_for_the_samples(check, samples_report):
    report, _ = samples_report
    [corpus] = report["coverage_table"]["corpora"]
    assert corpus["name"] == "samples" and corpus["postings"] > 0
    assert tuple(corpus["facts"]) == check.FACTS
    for row in corpus["facts"].values():
        assert {"stated", "parsed", "parsed_column", "parsed_text", "cue_no_value", "cue_no_value_ids",
                "stated_definition"} <= set(row)


def test_coverage_counts_are_consistent(samples_report):
    report, _ = samples_report
    [corpus] = report["coverage_table"]["corpora"]
    total = corpus["postings"]
    for fact, row in corpus["facts"].items():
        assert row["parsed"] == row["parsed_column"] + row["parsed_text"], fact
        for key in ("cue_no_value", "cue_no_value_with_figure", "column_no_value", "text_value_no_cue"):
            if row[key] is None:
                assert row[f"{key}_ids"] == [], (fact, key)
            else:
                assert len(row[f"{key}_ids"]) == row[key] == len(set(row[f"{key}_ids"])), (fact, key)
        assert row["parsed"] + (row["cue_no_value"] or 0) <= total, fact
        assert set(row["cue_no_value_with_figure_ids"]) <= set(row["cue_no_value_ids"]), fact
        if row["stated"] is not None:
            assert max(row["column_states"] or 0, row["text_cue"] or 0) <= row["stated"] <= total, fact


def test_markdown_names_date_machine_command_and_every_fact(check, samples_report):
    _, markdown = samples_report
    assert "- date: " in markdown and "- machine: " in markdown and "- command: `" in markdown
    for fact in check.FACTS:
        assert f"| {fact} |" in markdown


def test_a_cue_without_a_value_is_listed_by_id_and_a_figure_marks_a_likelier_miss(check):
    # invented postings: one states pay without a figure, one states a figure the extractor reads
    vague = Posting(id="acme-1", title="Ledger clerk", company="Acme Tallow", text="Salary: negotiable.")
    missed = Posting(id="acme-3", title="Ledger clerk", company="Acme Tallow", text="Lohn: 3.100 Franken im Monat.")
    clear = Posting(id="acme-2", title="Ledger clerk", company="Acme Tallow", text="Pay: 40 EUR per hour.")
    facts = {"acme-1": Facts(), "acme-2": Facts(salary=Fact(value="x", origin="text")), "acme-3": Facts()}

    class SalaryCue:
        errors: dict = {}

        def extractor(self, text):
            return {"salary"}

        def bot(self, text):
            return set()

        def figure_in_cue(self, text, fact):
            return any(ch.isdigit() for ch in text)

    row = check.coverage([vague, clear, missed], facts, SalaryCue())["salary"]
    assert row["text_cue"] == 3 and row["parsed_text"] == 1
    assert row["cue_no_value"] == 2 and row["cue_no_value_ids"] == ["acme-1", "acme-3"]
    assert row["cue_no_value_with_figure_ids"] == ["acme-3"]
