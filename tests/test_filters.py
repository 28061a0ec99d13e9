"""Catalog.filter_mask over a small hand-built catalog: negations, monotone bounds, places, currency."""

from __future__ import annotations

import numpy as np
import pytest

from bot.catalog import Catalog
from bot.question import Filters, parse_question
from index.embedder import HashingEmbedder
from index.models import Fact, Posting, Salary


def _posting(pid, location, salary=None, remote=None, work_type=None, years=None, languages=()):
    p = Posting(id=pid, title=f"Role {pid}", company=f"Company {pid}", text=f"Posting {pid}.", location=location,
                source="invented.csv#row1")
    if salary:
        p.facts.salary = Fact(Salary(*salary), "Salary (listed field)", "column")
    if remote:
        p.facts.remote = Fact(remote, "Remote (listed field)", "column")
    if work_type:
        p.facts.employment_type = Fact(work_type, "Work type (listed field)", "column")
    if years is not None:
        p.facts.min_years = Fact(years, f"{years}+ years", "text")
    p.facts.languages = [Fact(lang, f"uses {lang}", "text") for lang in languages]
    return p


POSTINGS = [
    _posting("a", "Tulsa, OK", (70_000, 90_000, "USD", "yearly"), "remote", "Contract", 2),
    _posting("b", "Tulsa, OK", (30, 45, "USD", "hourly"), None, "Contract", 5, ["Kotlin"]),
    _posting("c", "Brooklyn, NY", (120_000, 150_000, "USD", "yearly"), None, "Full-time", 7),
    _posting("d", "New York, NY", (95_000, 95_000, "USD", "yearly"), "remote", "Part-time", 1),
    _posting("e", "Jersey City, NJ", (100_000, 130_000, "USD", "yearly"), None, "Contract"),
    _posting("f", "Leipzig, Germany", (60_000, 75_000, "EUR", "yearly"), None, "Full-time", 3, ["Kotlin"]),
    _posting("g", "Coventry, ENG, GB", (40_000, 52_000, "GBP", "yearly"), "remote", "Contract"),
    _posting("h", "KA, IN", None, None, "Full-time"),
    _posting("i", "Columbus, IN", (18, 22, "USD", "hourly"), None, "Part-time", 0),
    _posting("j", "Ohio, United States", (200_000, 260_000, "USD", "yearly"), "remote", "Full-time", 10),
]


@pytest.fixture(scope="module")
def catalog():
    texts = [p.text for p in POSTINGS]
    return Catalog(POSTINGS, [p.id for p in POSTINGS], texts, HashingEmbedder().embed_documents(texts))


def ids(catalog, question_or_filters):
    filters = question_or_filters if isinstance(question_or_filters, Filters) else parse_question(
        question_or_filters).filters
    return {catalog.postings[i].id for i in np.flatnonzero(catalog.filter_mask(filters))}


def test_a_negated_question_gives_the_complement_within_its_other_filters(catalog):
    contract = ids(catalog, "which contract roles are there?")
    remote_contract = ids(catalog, "remote contract roles")
    not_remote = ids(catalog, "contract roles that aren't remote")
    assert not_remote == contract - remote_contract
    assert not_remote == {"b", "e"}


def test_can_not_work_from_home_is_the_complement_of_remote_in_a_state(catalog):
    assert ids(catalog, "oklahoma jobs where you can't work from home") == {"b"}


def test_a_negated_work_type_and_place(catalog):
    assert ids(catalog, "jobs with no contract") == {"c", "d", "f", "h", "i", "j"}
    assert ids(catalog, "contract roles outside Oklahoma") == {"e", "g"}


def test_a_negated_language(catalog):
    assert "b" not in ids(catalog, "jobs without Kotlin") and "f" not in ids(catalog, "jobs without Kotlin")


@pytest.mark.parametrize("low, high", [(50_000, 90_000), (90_000, 120_000), (40_000, 200_000)])
def test_raising_a_floor_never_adds_postings(catalog, low, high):
    assert ids(catalog, Filters(salary_floor=high)) <= ids(catalog, Filters(salary_floor=low))
    assert ids(catalog, Filters(salary_over=high)) <= ids(catalog, Filters(salary_over=low))


@pytest.mark.parametrize("extra", [
    Filters(remote="remote"), Filters(work_type="Contract"), Filters(remote_not=["remote"]), Filters(states=["OK"]),
    Filters(salary_over=80_000), Filters(min_years=3), Filters(languages_not=["Kotlin"]),
])
def test_adding_a_filter_never_adds_postings(catalog, extra):
    base = Filters(work_type_not=["Part-time"])
    combined = Filters(**{**vars(base), **{k: v for k, v in vars(extra).items() if v not in (None, [], False)}})
    assert ids(catalog, combined) <= ids(catalog, base)
    assert ids(catalog, combined) <= ids(catalog, extra)


def test_a_year_count_is_experience_not_pay(catalog):
    assert ids(catalog, "roles needing at least 5 years experience") == {"b", "c", "j"}
    assert ids(catalog, "jobs asking 2 years or less") == {"a", "d", "i"}


def test_pay_is_compared_as_yearly_unless_a_period_is_named(catalog):
    assert ids(catalog, "jobs over $83,200") == {"a", "b", "c", "d", "e", "j"}  # 45/hr is 93,600 a year
    assert ids(catalog, "jobs over $40 an hour") == {"b"}  # a period named: pay of that period only
    assert ids(catalog, "hourly jobs over $40") == {"b"}


def test_a_bound_in_another_currency_matches_only_that_currency(catalog):
    assert ids(catalog, "roles paying over €50k") == {"f"}
    assert ids(catalog, "roles paying over £45k") == {"g"}
    assert "f" not in ids(catalog, "roles paying over 50k")


def test_between_keeps_overlapping_ranges_and_max_caps_the_top(catalog):
    assert ids(catalog, "jobs paying between $92k and $110k") == {"b", "d", "e"}  # 30-45/hr is 62,400-93,600 a year
    assert ids(catalog, "roles paying $100k max") == {"a", "b", "d", "i"}


def test_a_city_takes_in_its_boroughs_but_not_another_state(catalog):
    assert ids(catalog, "nyc jobs") == {"c", "d"}
    assert ids(catalog, "jobs in Tulsa, OK") == {"a", "b"}


def test_an_indian_state_code_is_not_indiana(catalog):
    assert ids(catalog, "jobs in Indiana") == {"i"}
    assert ids(catalog, "jobs in India") == {"h"}
    assert ids(catalog, "roles in the UK") == {"g"}
    assert ids(catalog, "openings in Germany") == {"f"}


def test_paid_in_a_currency_without_a_figure_keeps_that_currency(catalog):
    assert ids(catalog, "which roles pay in euros?") == {"f"}
    assert ids(catalog, "jobs paid in pounds") == {"g"}


# ---------------------------------------------------------------- negated places, countries, typos of places


@pytest.mark.parametrize("question", [
    "roles outside Oklahoma", "roles outside of Oklahoma", "roles not in Oklahoma", "jobs excluding Oklahoma",
    "any openings except in Oklahoma?",
])
def test_a_negated_state_is_the_complement_of_the_state(catalog, question):
    everything = {p.id for p in POSTINGS}
    assert ids(catalog, question) == everything - ids(catalog, "roles in Oklahoma")


def test_outside_and_not_in_are_filter_words_not_subject_words():
    for question, words in [("openings outside of Ohio", {"outside", "of", "ohio"}),
                            ("postings not in Vermont", {"not", "in", "vermont"}),
                            ("roles excluding Utah", {"excluding", "utah"})]:
        assert words <= parse_question(question).filter_words


@pytest.mark.parametrize("question", ["how many openings are located in india?", "jobs in INDIA", "any postings in India"])
def test_a_country_named_in_lower_case_or_capitals_matches_its_coded_locations(catalog, question):
    assert ids(catalog, question) == {"h"}  # "KA, IN": Karnataka, India


@pytest.mark.parametrize("question, expected", [
    ("part-time openings in Oklahomma", set()), ("jobs in Oklahomaa", {"a", "b"}),
    ("non-remote jobs in Oklahmoa", {"b"}), ("contract roes in Tulssa", {"a", "b"}),
])
def test_a_typo_in_a_place_or_a_job_noun_keeps_the_filter(catalog, question, expected):
    assert ids(catalog, question) == expected
