"""The scale benchmark's corpus generator and measuring helpers (no timing is asserted)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, scale  # noqa: E402
from index.loaders import load_postings  # noqa: E402
from index.models import Posting  # noqa: E402

LINKEDIN_CSV = corpus.DEFAULT_SOURCE


def _originals() -> list[Posting]:
    return [
        Posting(
            id="101", title="Data Engineer", company="Tallowbrook Analytics", location="Austin, TX",
            text="Tallowbrook Analytics builds pipelines.\nYou will write Python and SQL every day. We use Kafka. "
                 "You own the warehouse. You mentor juniors.\nPay: $120,000 - $150,000 a year.\nBenefits include "
                 "dental.\nApply today.",
            url="https://jobs.example.com/101", columns={"min_salary": 120000.0, "max_salary": 150000.0,
                                                        "pay_period": "yearly", "currency": "USD",
                                                        "work_type": "Full-time", "remote": True},
        ),
        Posting(
            id="102", title="Registered Nurse", company="Kestrel Health", location="Denver, CO",
            text="Kestrel Health is hiring a nurse for nights.\nYou care for patients on a busy ward.\n"
                 "$38.50 an hour plus shift differentials.\nA BSN is preferred.",
            columns={"min_salary": 38.5, "max_salary": 45.0, "pay_period": "hourly", "work_type": "Part-time"},
        ),
        Posting(
            id="103", title="Warehouse Associate", company="", location="Reno, NV",
            text="Pick and pack orders in our warehouse. Lift up to 50 pounds. Work weekends when needed.",
            columns={"work_type": "Contract"},
        ),
    ]


def _comparable(p: Posting) -> tuple:
    return (p.id, p.title, p.company, p.text, p.location, p.url, p.listed_at, p.columns)


# ---------------------------------------------------------------- corpus


def test_the_same_seed_gives_the_same_corpus_and_a_smaller_corpus_is_a_prefix_of_a_larger_one():
    originals = _originals()
    small = [_comparable(p) for p in corpus.generate(originals, 7, seed=3)]
    again = [_comparable(p) for p in corpus.generate(originals, 7, seed=3)]
    larger = [_comparable(p) for p in corpus.generate(originals, 12, seed=3)]
    other_seed = [_comparable(p) for p in corpus.generate(originals, 7, seed=4)]
    assert small == again == larger[:7]
    assert small != other_seed


def test_the_first_copy_is_the_original_and_later_copies_get_new_ids_names_and_places():
    originals = _originals()
    generated = list(corpus.generate(originals, 30, seed=0))
    assert [_comparable(p) for p in generated[:3]] == [_comparable(p) for p in originals]
    ids = [p.id for p in generated]
    assert len(set(ids)) == len(ids)
    copies = generated[3:]
    assert all(p.id.split("-v")[0] in {"101", "102", "103"} for p in copies)
    assert all(p.location in {"Austin, TX", "Denver, CO", "Reno, NV"} for p in copies)
    assert len({p.company for p in copies}) > 20  # companies come from a large pool, not a handful
    assert sum(p.title != originals[i % 3].title for i, p in enumerate(generated) if i >= 3) > 15
    assert all(p.facts.salary is None for p in copies)  # the rebuild extracts facts from the copy


def test_a_copy_scales_its_pay_columns_and_the_amounts_in_its_text_by_one_factor():
    original = _originals()[0]
    copy = corpus.vary_posting(original, "101-v1", random.Random(5), ["Austin, TX"])
    factor = copy.columns["min_salary"] / original.columns["min_salary"]
    assert 0.79 <= factor <= 1.26
    assert copy.columns["max_salary"] == pytest.approx(original.columns["max_salary"] * factor, rel=0.01)
    pay_line = next(line for line in copy.text.split("\n") if line.startswith("Pay:"))
    assert f"${copy.columns['min_salary']:,.0f}" in pay_line


def test_money_in_text_is_scaled_with_its_cents_thousands_and_commas_kept():
    text = "Pay $18.50 - $22/hr, or $95k-$120K, $140,000- $175,000, and $0 fees"
    assert corpus.scale_money_in_text(text, 1.1) == (
        "Pay $20.25 - $24.25/hr, or $104.5k-$132K, $154,000- $192,500, and $0 fees")


def test_varied_text_keeps_its_first_line_and_its_pay_lines_and_is_never_empty():
    text = _originals()[0].text
    for seed in range(50):
        varied = corpus.vary_text(text, random.Random(seed))
        lines = varied.split("\n")
        assert lines[0] == "Tallowbrook Analytics builds pipelines."
        assert "Pay: $120,000 - $150,000 a year." in lines
    assert corpus.vary_text("One line only.", random.Random(0)) == "One line only."
    assert len({corpus.vary_text(text, random.Random(s)) for s in range(20)}) > 5


def test_a_written_corpus_loads_back_through_the_real_loader_as_the_same_postings(tmp_path):
    generated = list(corpus.generate(_originals(), 9, seed=1))
    files = corpus.write_jsonl(generated, tmp_path, shard_size=4)
    assert [f.name for f in files] == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl"]
    loaded = load_postings([tmp_path])
    assert loaded.problems == []
    assert [_comparable(p) for p in loaded.postings] == [_comparable(p) for p in generated]
    assert all("#row" in p.source for p in loaded.postings)  # judged as listings, like the CSV rows


@pytest.mark.skipif(not LINKEDIN_CSV.exists(), reason="needs ../shared/data/postings (the LinkedIn sample)")
def test_copies_of_the_linkedin_sample_load_back_unchanged(tmp_path):
    originals = corpus.load_originals(LINKEDIN_CSV)
    generated = list(corpus.generate(originals, len(originals) + 50, seed=0))
    corpus.write_jsonl(generated, tmp_path)
    loaded = load_postings([tmp_path])
    assert loaded.problems == []
    assert [_comparable(p) for p in loaded.postings] == [_comparable(p) for p in generated]


# ---------------------------------------------------------------- questions and figures


def test_dev_questions_become_templates_with_title_and_company_slots():
    records = [
        {"title": "Nurse", "company": "Kestrel Health", "intent": "salary",
         "question": "What is the salary range for the Nurse position at Kestrel Health?"},
        {"title": "Cook", "company": "Harbor Foods", "intent": "salary",
         "question": "What is the salary range for the Cook position at Harbor Foods?"},
        {"title": "Cook", "company": "Cook County", "intent": "location", "question": "Where is Cook at Cook County?"},
    ]
    assert scale.templates_from_dev(records) == {
        "salary": ["What is the salary range for the {title} position at {company}?"]}


def test_the_question_mix_is_half_fact_questions_about_corpus_postings_then_lists_and_general():
    postings = [(f"p{i}", f"Title {i}", f"Company {i}") for i in range(40)]
    questions = scale.make_questions(postings, scale.FALLBACK_TEMPLATES, 20, seed=0)
    kinds = [q.kind for q in questions]
    assert kinds.count("fact") == 10 and kinds.count("list") == 5 and kinds.count("general") == 5
    for q in questions:
        if q.kind == "fact":
            number = q.target[1:]
            assert f"Title {number}" in q.text and f"Company {number}" in q.text
    assert {q.intent for q in questions if q.kind == "fact"} == set(scale.FALLBACK_TEMPLATES)
    assert [q.text for q in scale.make_questions(postings, scale.FALLBACK_TEMPLATES, 20, seed=0)] == [
        q.text for q in questions]


def test_percentiles_and_the_median_over_passes():
    figures = scale.percentiles([float(x) for x in range(1, 101)])
    assert figures["n"] == 100 and figures["p50"] == 50.5 and figures["p95"] == 95.05 and figures["p99"] == 99.01
    passes = [{"n": 10, "p50": 1, "p95": 5, "p99": 9, "mean": 2}, {"n": 10, "p50": 3, "p95": 7, "p99": 30, "mean": 4},
              {"n": 10, "p50": 2, "p95": 6, "p99": 10, "mean": 3}]
    assert scale.median_of_passes(passes) == {"n": 30, "p50": 2, "p95": 6, "p99": 10, "mean": 3}
    assert scale.percentiles([])["n"] == 0


def test_deep_size_counts_an_array_buffer_once_however_many_views_share_it():
    big = np.zeros(100_000, dtype=np.float32)
    alone = scale.deep_size({"a": big})
    shared = scale.deep_size({"a": big, "b": big[:10], "c": [big[5:], big]})
    assert 400_000 <= alone < 401_000
    assert shared - alone < 2_000
    assert scale.deep_size(["x" * 1000, "y" * 1000]) > 2000


def test_the_benchmark_builds_reuses_and_measures_a_small_corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(scale, "DEV_QUESTIONS", tmp_path / "absent.jsonl")  # the built-in dev phrasings
    source = tmp_path / "source.jsonl"
    corpus.write_jsonl(_originals(), tmp_path / "src")
    (tmp_path / "src" / "part-00000.jsonl").rename(source)
    folder = tmp_path / "bench" / "scale-12"

    build = scale.build_step(12, folder, source, seed=0)
    assert build["postings"] == 12 and build["chunks"] >= 12 and build["problems"] == 0
    signature = scale.corpus_signature(12, 0, source, "hashing-384")
    assert scale.reusable(folder, signature) == build
    assert scale.reusable(folder, {**signature, "seed": 1}) is None

    first = scale.snapshot_step(folder)
    assert first["snapshot_mb"] >= 0 and list((folder / "snapshot").glob("gen*/meta.json"))
    measured = scale.measure_step(12, folder, questions=8, repeats=2, seed=0, profile="always",
                                  what_if_gc_freeze=True, query_model=False)
    assert measured["load"]["from"] == "snapshot" and measured["load"]["seconds_from_process_start"] > 0
    assert measured["postings"] == 12 and measured["chunks"] == build["chunks"]
    assert measured["latency_ms"]["overall"]["n"] == 16
    assert set(measured["latency_ms"]["by_kind"]) == set(scale.KINDS)
    assert measured["what_if_gc_freeze"]["latency_ms"]["overall"]["n"] == 16
    assert measured["memory"]["vectors_mb"] >= 0 and measured["load"]["rss_mb_after_load"] > 0
    assert sum(measured["answer_status"]["fact"].values()) == 4
    checks = measured["fact_answers"]
    assert checks["asked"] == 4 == checks["first"] + checks["among_several"] + checks["another_posting"] + checks["none"]
    assert set(measured["profile"]) == set(scale.KINDS)
    assert "| 12 |" in scale.table([{**measured, "build": build, "first_load": first}])
    assert "ask" in scale.profile_summary(measured["profile"])


def test_fact_answers_are_sorted_by_whom_they_were_about_and_twins_are_told_apart():
    a, a_twin, b = (Posting(id=i, title=t, company=c, text="x") for i, t, c in (
        ("a", "Nurse", "Kestrel"), ("a2", "Nurse", "Kestrel"), ("b", "Cook", "Harbor")))
    asked = [
        (scale.Question("fact", "salary", "q1", "a"), scale.Outcome("answered", ("a",))),
        (scale.Question("fact", "salary", "q2", "a"), scale.Outcome("answered", ("a2", "a"))),
        (scale.Question("fact", "salary", "q3", "a"), scale.Outcome("answered", ("a2",))),
        (scale.Question("fact", "salary", "q4", "b"), scale.Outcome("answered", ("a",))),
        (scale.Question("fact", "salary", "q5", "b"), scale.Outcome("no_match", ())),
    ]
    checks = scale.fact_answer_checks(asked, [a, a_twin, b])
    assert (checks["first"], checks["among_several"], checks["another_posting"], checks["none"]) == (1, 1, 2, 1)
    assert checks["another_posting_with_a_twin"] == 1
    assert [e["question"] for e in checks["another_posting_examples"]] == ["q3", "q4"]
    assert checks["another_posting_examples"][1]["answered_about"] == ["Nurse at Kestrel"]


def test_the_plot_is_written_as_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    lat = {"overall": {"p50": 5.0, "p95": 9.0, "p99": 20.0}}
    results = [{"postings": n, "chunks": 3 * n, "latency_ms": lat, "load": {"rss_mb_after_load": 100.0 + n / 10},
                "peak_rss_mb": 150.0 + n / 10, "memory": {"vectors_mb": n / 100, "bm25_mb": n / 200},
                "what_if_gc_freeze": {"latency_ms": lat}} for n in (500, 1000, 10000)]
    scale.plot(results, tmp_path / "scale.png", "test")
    assert (tmp_path / "scale.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
