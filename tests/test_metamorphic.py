"""The metamorphic suite's rewrites (pure, deterministic, meaning-keeping) and one small end-to-end run."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
for _p in (str(ROOT), str(ROOT / "benchmarks")):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import variants as V  # noqa: E402

SAMPLES = ROOT / "samples" / "postings"


def rng(n: int = 0) -> random.Random:
    return random.Random(n)


# ------------------------------------------------------------------------------------- determinism


def test_variants_are_the_same_for_the_same_seed():
    question = "Which senior backend roles at Quillmere Systems pay over $140,000 in Oregon?"
    first = [(v.name, v.text) for v in V.variants_of(question, seed=7)]
    again = [(v.name, v.text) for v in V.variants_of(question, seed=7)]
    assert first == again
    assert len(first) >= 8


def test_stable_seed_does_not_depend_on_the_process_hash_salt():
    assert V.stable_seed("a", 1) == V.stable_seed("a", 1)
    assert V.stable_seed("a", 1) != V.stable_seed("a", 2)


def test_every_variant_differs_from_its_question():
    question = "is the night porter role at Lindenfels Hotel part-time?"
    for variant in V.variants_of(question, seed=3):
        assert variant.text != question


# ------------------------------------------------------------------------------------------- typos


@pytest.mark.parametrize("typo", [V.typo_swap, V.typo_drop, V.typo_double])
def test_a_typo_never_touches_digits_or_money(typo):
    question = "which 2024 openings in Lisbon pay $95,000 or 120k a year with 5 years?"
    for n in range(40):
        variant = typo(question, rng(n))
        assert variant is not None
        assert re.findall(r"\d", variant.text) == re.findall(r"\d", question)
        assert "$95,000" in variant.text and "120k" in variant.text


@pytest.mark.parametrize("typo", [V.typo_swap, V.typo_drop, V.typo_double])
def test_a_typo_changes_exactly_one_word_of_five_letters_or_more(typo):
    question = "where is the Gardener job at Vossberg Estates based"
    for n in range(30):
        variant = typo(question, rng(n))
        before, after = question.split(), variant.text.split()
        changed = [(a, b) for a, b in zip(before, after) if a != b]
        assert len(before) == len(after) and len(changed) == 1
        assert len(changed[0][0]) >= 5


def test_a_typo_leaves_short_company_names_and_protected_words_alone():
    ctx = V.Context(protect=frozenset({"zumo", "brightwater"}))
    question = "what does Zumo pay the Brightwater welder"
    for n in range(30):
        variant = V.typo_swap(question, rng(n), ctx)
        assert "Zumo" in variant.text and "Brightwater" in variant.text
        assert "welder" not in variant.text


def test_a_typo_that_lands_on_another_real_word_is_not_used():
    # dropping the r of "contract" gives "contact": a different word, not a misspelling
    ctx = V.Context(vocabulary=frozenset({"contact", "contrat", "ontract", "cntract", "cotract", "conract",
                                          "contrct", "contrac", "contrat"}))
    assert V.typo_drop("any contract gigs", rng(0), ctx) is None


def test_no_typo_when_no_word_is_long_enough():
    assert V.typo_swap("is it a job?", rng()) is None


# ---------------------------------------------------------------------------------- abbreviations


def test_abbreviations_keep_the_meaning():
    rules = dict(V.abbreviations("senior software engineer, full-time, in California for 5 years of experience at $150,000"))
    assert rules["software engineer->swe"].startswith("senior swe,")
    assert "FT" in rules["full-time->FT"]
    assert "cali" in rules["California->cali"]
    assert "5 yrs" in rules["years->yrs"]
    assert rules["$150,000->150k"].endswith("at 150k")
    assert "in CA" in rules["California->CA"]


def test_state_names_become_their_codes_but_washington_and_new_york_city_do_not():
    rules = dict(V.abbreviations("jobs in New York City or Washington or Vermont"))
    assert "New York->NY" not in rules
    assert "Washington->WA" not in rules
    assert rules["Vermont->VT"] == "jobs in New York City or Washington or VT"
    assert rules["New York City->NYC"] == "jobs in NYC or Washington or Vermont"


def test_thousand_and_dollar_thousands_become_k():
    assert dict(V.abbreviations("over 90 thousand"))["thousand->k"] == "over 90k"
    assert dict(V.abbreviations("pays $85K"))["$150k->150k"] == "pays 85k"


def test_abbreviate_returns_none_when_there_is_nothing_to_shorten():
    assert V.abbreviate("is it remote?", rng()) is None


# -------------------------------------------------------------------------- case, order, politeness


def test_lower_case_is_skipped_when_a_state_code_would_become_a_word():
    assert V.lower_case("nurse jobs in OR", rng()) is None
    assert V.lower_case("nurse jobs in TX", rng()).text == "nurse jobs in tx"


def test_title_case_keeps_acronyms():
    assert V.title_case("is the QA lead role remote", rng()).text == "Is The QA Lead Role Remote"


def test_word_order_moves_a_trailing_place_to_the_front():
    assert V.move_trailing_phrase("remote welding roles in Nevada?", rng()).text == "in Nevada, remote welding roles?"


def test_word_order_leaves_a_phrase_that_belongs_to_a_verb_or_a_predicate():
    assert V.move_trailing_phrase("which jobs in Utah pay over 90k", rng()) is None
    assert V.move_trailing_phrase("where is the baker job at Crumbwell located", rng()) is None


def test_politeness_only_adds_words_around_the_question():
    question = "which roles want Kotlin?"
    for n in range(20):
        variant = V.politeness(question, rng(n))
        assert "roles want Kotlin" in variant.text


def test_punctuation_changes_only_the_ending():
    for n in range(20):
        variant = V.punctuation("any cook jobs?", rng(n))
        assert variant.text.rstrip("?!. ") == "any cook jobs"
        assert variant.text != "any cook jobs?"


# ------------------------------------------------------------------------------------- directions


def test_raising_a_pay_floor_keeps_the_format_of_the_figure():
    assert V.tighten_pay("roles paying over $120,000 a year").text == "roles paying over $150,000 a year"
    assert V.tighten_pay("gigs at least $30 an hour").text == "gigs at least $38 an hour"
    assert V.tighten_pay("jobs 80k+").text == "jobs 100k+"


def test_a_pay_ceiling_is_lowered_not_raised():
    variant = V.tighten_pay("jobs that top out under $60k")
    assert variant.text == "jobs that top out under $48k" and "ceiling" in variant.detail


def test_years_are_not_a_pay_figure():
    assert V.tighten_pay("jobs over 5 years of experience") is None


def test_a_filter_is_added_before_the_job_noun_and_a_state_after_it():
    assert V.add_filter_words("which contract roles pay weekly?", "Rust", "x").text == \
        "which Rust contract roles pay weekly?"
    assert V.add_filter_words("Welder jobs in Nevada", "remote", "x").text == "remote welder jobs in Nevada"
    assert V.add_state("which contract roles pay weekly?", "Idaho").text == "which contract roles in Idaho pay weekly?"
    assert V.add_filter_words("is the Rust role remote?", "Rust", "x") is None


def test_negations_of_a_list_question_name_base_and_negated_forms():
    found = {facet: (base, neg) for facet, base, neg in V.negations_of("remote part-time roles in Oregon?")}
    assert found["remote"] == ("part-time roles in Oregon?", "part-time roles in Oregon that aren't remote?")
    assert found["work_type"] == ("remote roles in Oregon?", "remote roles in Oregon that are not part-time?")
    assert found["state"] == ("remote part-time roles?", "remote part-time roles not in Oregon?")
    assert V.negations_of("jobs that are not remote") == []


def test_a_list_spec_renders_base_positive_and_negated_forms():
    spec = V.ListSpec(noun="roles", lead="which", remote=True, state="Ohio", style=1)
    assert spec.render() == "which remote roles in Ohio?"
    assert spec.without("remote").render() == "which roles in Ohio?"
    assert "not remote" in V.replace(spec, negate="remote").render()
    assert spec.without("remote").without("state").render() == "show me all roles"


def test_values_come_from_the_postings_facts():
    from index.models import Fact, Facts, Posting, Salary

    postings = [
        Posting(id="1", title="Line Cook - Evenings", company="Marrowby Kitchens, LLC", text="", location="Boise, ID",
                facts=Facts(salary=Fact(Salary(20, 24, "USD", "hourly")), employment_type=Fact("Part-time"),
                            languages=[Fact("Kotlin")])),
        Posting(id="2", title="Sous Chef", company="Marrowby Kitchens, LLC", text="", location="Boise, ID"),
    ]
    values = V.values_from_postings(postings)
    assert ("Line Cook", "Marrowby Kitchens") in values.titles
    assert values.states == ["ID"] and values.cities == ["Boise"]
    assert values.languages == ["Kotlin"] and values.work_types == ["Part-time"]
    assert values.pay_levels == [50000]


# ---------------------------------------------------------------------------------------- relations


def test_count_problem_catches_a_count_that_disagrees_with_the_list():
    import metamorphic as M

    view = M.View(status="answered", intent="list", is_list=True, ids=("a", "b"), related=(), total=2,
                  text="3 postings match (remote):", titles={})
    assert M.count_problem(view)[0] == "stated count != listed"
    assert M.count_problem(M.replace(view, text="2 postings match (remote):")) is None
    assert M.count_problem(M.replace(view, ids=(), total=0, text="No postings match (remote).")) is None


def test_invariance_compares_postings_for_lists_and_only_status_for_suggestions():
    import metamorphic as M

    a = M.View("answered", "list", True, ("1", "2"), (), 2, "2 postings match:", {})
    assert M.invariance_diff(a, M.replace(a, ids=("1",)))[0] == "postings changed"
    which = M.View("no_match", "salary", False, ("1",), (), 1, "I couldn't tell which posting", {})
    assert M.invariance_diff(which, M.replace(which, ids=("7", "8"))) is None
    assert M.invariance_diff(which, M.replace(which, status="answered"))[0] == "status changed"


# -------------------------------------------------------------------------------------- end to end


def test_the_suite_runs_over_the_shipped_samples_and_reports_rates(tmp_path):
    import metamorphic as M
    from index.embedder import HashingEmbedder

    engine = M.build_engine("samples", SAMPLES, tmp_path, HashingEmbedder())
    questions = [json.loads(line)["question"] for line in (ROOT / "samples/questions.jsonl").open() if line.strip()]
    seeds = [M.Seed("dev", "samples/questions.jsonl", "samples", q) for q in questions[:25]]
    seeds += M.generated_seeds("samples", list(engine._current().catalog.postings), 12, seed=1)
    summary, facts = M.run_suite({"samples": engine}, seeds, seed=1)
    assert set(summary) == {"dev", "generated"}
    for group in summary.values():
        assert group["checks"] > 0 and 0.0 <= group["rate"] <= 1.0
        assert "invariance" in group["relations"]
    generated = summary["generated"]["relations"]
    assert {"monotonic", "negation", "count"} <= set(generated)
    assert facts["questions_asked"] > 100
    report = M.markdown({"date": "today", "embedder": "hashing", "machine": M.machine(), "command": "test",
                         "run": facts, "groups": summary})
    assert "| figure | checks | pass rate |" in report


@pytest.mark.shared
@pytest.mark.skipif(not (ROOT.parent / "shared/data/postings/linkedin_arshkon_sample500").is_dir(),
                    reason="needs ../shared/data/postings (the LinkedIn sample); not present")
def test_generated_variants_meet_the_target_rate(tmp_path):
    """The issue's target: at least 99% of generated variants keep their relation (a measurement goal)."""
    import metamorphic as M
    from index.embedder import HashingEmbedder

    engine = M.build_engine("linkedin", M.LINKEDIN, tmp_path, HashingEmbedder())
    seeds = M.generated_seeds("linkedin", list(engine._current().catalog.postings), 60, seed=0)
    summary, _facts = M.run_suite({"linkedin": engine}, seeds)
    rate = summary["generated"]["rate"]
    assert rate >= 0.99, f"generated variants pass at {rate:.1%}, below the 99% target"


def test_abbreviations_never_rewrite_a_company_name():
    ctx = V.Context(companies=("first bank of montana",))
    question = "is the senior teller job at First Bank of Montana in Montana?"
    variants = {V.abbreviate(question, rng(n), ctx).text for n in range(30)}
    assert "is the senior teller job at First Bank of Montana in MT?" in variants
    assert all("First Bank of Montana" in v for v in variants)


def test_years_and_experience_are_shortened_only_where_they_mean_time_worked():
    rules = dict(V.abbreviations("how many years of experience for the 2+ years User Experience Designer"))
    assert rules["years->yrs"] == "how many yrs of experience for the 2+ years User Experience Designer"
    assert rules["experience->exp"] == "how many years of exp for the 2+ years User Experience Designer"
    assert V.abbreviations("where is the User Experience Designer job") == []


def test_a_place_is_not_added_to_a_question_that_names_one():
    assert V.add_state("which Oregon postings are remote", "Idaho") is None
    assert V.add_state("jobs near Boise", "Idaho") is None
    assert V.add_state("any welding jobs in TX?", "Idaho") is None


def test_word_order_does_not_move_a_phrase_that_is_no_filter():
    assert V.move_trailing_phrase("any welding jobs in here?", rng()) is None


def test_a_state_written_with_the_word_state_is_negated_whole():
    found = {facet: (base, neg) for facet, base, neg in V.negations_of("hourly jobs in New Mexico State over $20")}
    assert found["state"] == ("hourly jobs over $20", "hourly jobs not in New Mexico State over $20")


def test_a_question_ending_in_a_place_loses_its_verb_in_the_base():
    found = {facet: base for facet, base, _neg in V.negations_of("which postings are in Vermont?")}
    assert found["state"] == "which postings?"
