"""The answering engine over a small in-memory catalog (no model, no Chroma)."""

from __future__ import annotations

import pytest

from bot.answer import ANSWERED, EMPTY, NO_MATCH, NOT_STATED, answer_to_json
from bot.engine import question_languages
from index.models import Fact, Posting, Salary

from catalogs import answerer_over


def _posting(pid, title, company, text, location="", salary=None, remote=None, work_type=None, languages=(),
             years=None, degree=None, salary_text=None):
    p = Posting(id=pid, title=title, company=company, text=text, location=location)
    f = p.facts
    if salary:
        f.salary = Fact(Salary(*salary), f"Pay: {salary}", "text")
    if salary_text:
        f.salary_text = Fact(Salary(*salary_text), "The text says a different range.", "text")
    if remote:
        f.remote = Fact(remote, f"This role is {remote}.", "text")
    if work_type:
        f.employment_type = Fact(work_type, f"Job type: {work_type}", "column")
    f.languages = [Fact(lang, f"We use {lang} daily.", "text") for lang in languages]
    if years is not None:
        f.min_years = Fact(years, f"{years}+ years of experience.", "text")
    if degree:
        f.degree = Fact(degree, f"{degree} degree or equivalent experience.", "text")
    return p


POSTINGS = [
    _posting("p1", "Senior Backend Engineer", "Northwind Analytics", "Build APIs in Go and Python. 5+ years.",
             "Austin, TX", (160000, 240000, "USD", "yearly"), "hybrid", "Full-time", ["Go", "Python"], 5, "Bachelor"),
    _posting("p2", "Data Scientist", "Bluefin Health", "Model claims data in R and SQL.", "Boston, MA",
             None, "remote", "Full-time", ["R", "SQL"], 3, "Master"),
    _posting("p3", "Warehouse Associate", "Cedar Logistics", "Pick and pack orders; go above and beyond.",
             "Dallas, TX", (22, 26, "USD", "hourly"), "on-site", "Part-time"),
    _posting("p4", "Platform Engineer", "Kestrel Cloud", "Operate Kubernetes with Go tooling.", "United States",
             (150000, 190000, "USD", "yearly"), "remote", "Contract", ["Go"], 4),
    _posting("p5", "Machine Learning Engineer", "Lumen Berlin", "Train models in Python and Scala.", "Berlin, Germany",
             (65000, 80000, "EUR", "yearly"), "hybrid", "Full-time", ["Python", "Scala"]),
    _posting("p6", "Marketing Coordinator", "Harbor Realty", "Coordinate print and social campaigns.",
             "Princeton, NJ", (17, 20, "USD", "hourly"), None, "Full-time", salary_text=(18, 20, "USD", "hourly")),
]


@pytest.fixture(scope="module")
def answerer():
    return answerer_over(POSTINGS)


def test_salary_question_states_the_range_first_and_names_the_posting(answerer):
    answer = answerer.ask("what does the Northwind backend role pay?")
    assert answer.status == ANSWERED and answer.intent == "salary"
    assert answer.text.startswith("$160,000–$240,000 a year")
    assert "Senior Backend Engineer at Northwind Analytics" in answer.text
    assert [p.id for p in answer.postings] == ["p1"]
    assert answer.evidence and answer.evidence[0].posting_id == "p1"


def test_missing_fact_is_said_plainly_and_no_value_is_given(answerer):
    answer = answerer.ask("how much does bluefin health pay its data scientist?")
    assert answer.status == NOT_STATED
    assert answer.text.startswith("The posting does not state a salary")
    assert "$" not in answer.text


def test_company_typo_and_case_still_find_the_posting(answerer):
    answer = answerer.ask("is the kestral cloud platform engineer job remote?")
    assert [p.id for p in answer.postings] == ["p4"]
    assert answer.intent == "remote" and answer.text.startswith("Yes, it is remote")


def test_hourly_and_non_usd_pay_keep_their_period_and_currency(answerer):
    assert answerer.ask("Cedar Logistics warehouse associate pay?").text.startswith("$22–$26 an hour")
    assert answerer.ask("salary for the ML engineer at Lumen Berlin").text.startswith("€65,000–€80,000 a year")


def test_text_and_listing_disagreeing_shows_both(answerer):
    text = answerer.ask("what does Harbor Realty pay the marketing coordinator?").text
    assert "$18–$20 an hour" in text and "$17–$20 an hour" in text


def test_list_question_returns_every_match_with_an_exact_count(answerer):
    answer = answerer.ask("which roles want Go?")
    assert answer.is_list and answer.total == 2
    assert {p.id for p in answer.postings} == {"p1", "p4"}
    assert answer.text.startswith("2 postings match")


def test_go_as_a_verb_is_not_the_language():
    assert question_languages("where do I go to see remote jobs?") == []
    assert question_languages("which roles want Go?") == ["Go"]
    assert question_languages("any golang positions?") == ["Go"]


def test_filters_combine_remote_and_yearly_pay(answerer):
    answer = answerer.ask("remote roles over $150k?")
    assert [p.id for p in answer.postings] == ["p4"]
    assert answer.filters["remote"] == "remote" and answer.filters["salary_over"] == 150000


def test_place_and_work_type_filters(answerer):
    assert {p.id for p in answerer.ask("any part-time jobs in Texas?").postings} == {"p3"}
    assert {p.id for p in answerer.ask("which roles are in Austin?").postings} == {"p1"}


def test_list_with_no_match_says_so(answerer):
    answer = answerer.ask("which internships are in Texas?")
    assert answer.status == NO_MATCH and answer.total == 0 and answer.postings == []


def test_follow_up_uses_the_thread_context(answerer):
    answer = answerer.ask("and is it remote?", context_posting_ids=["p1"])
    assert answer.intent == "remote" and [p.id for p in answer.postings] == ["p1"]
    assert answer.text.startswith("It is hybrid")


def test_languages_experience_and_degree_answers(answerer):
    assert answerer.ask("what languages does the bluefin data scientist need?").text.startswith("R and SQL")
    assert answerer.ask("how many years of experience for Northwind's backend engineer?").text.startswith(
        "At least 5 years")
    assert answerer.ask("does the Northwind backend job need a degree?").text.startswith("A Bachelor's degree")


def test_empty_question_explains_how_to_ask(answerer):
    assert answerer.ask("   ").status == EMPTY


def test_unknown_company_gets_no_made_up_facts(answerer):
    answer = answerer.ask("what does Globex Corporation pay its accountants?")
    assert answer.status in (NO_MATCH, NOT_STATED) or "closest" in answer.text
    assert "Globex" not in " ".join(p.company for p in answer.postings)


def test_json_form_has_the_documented_fields(answerer):
    data = answer_to_json(answerer.ask("what does the Northwind backend role pay?"))
    assert set(data) >= {"answer", "postings", "evidence"}
    posting = data["postings"][0]
    assert set(posting) >= {"id", "title", "company", "location", "salary", "remote", "languages", "source"}
    assert posting["salary"] == {"min": 160000, "max": 240000, "currency": "USD", "period": "yearly"}
    assert data["evidence"][0]["posting_id"] == "p1" and data["evidence"][0]["text"]


def test_a_company_no_posting_has_gets_no_answer_for_a_look_alike(answerer):
    answer = answerer.ask("what does the zephyrine robotics backend engineer role pay?")
    assert answer.status == NO_MATCH and "zephyrine" in answer.text
    assert "$" not in answer.text


def test_a_fact_about_no_particular_posting_is_not_guessed(answerer):
    answer = answerer.ask("what does the engineer job pay?")
    assert answer.status == NO_MATCH and "$" not in answer.text
    assert "which posting" in answer.text


def test_list_of_titles_without_structured_filters(answerer):
    answer = answerer.ask("any warehouse jobs?")
    assert answer.is_list and [p.id for p in answer.postings] == ["p3"]
    assert answerer.ask("any dental hygienist openings?").status == NO_MATCH


def test_postings_without_pay_and_outside_the_us(answerer):
    assert {p.id for p in answerer.ask("which postings don't list pay?").postings} == {"p2"}
    assert {p.id for p in answerer.ask("any jobs outside the US?").postings} == {"p5"}


def test_language_names_that_are_english_words_need_a_language_context():
    assert question_languages("rust jobs?") == ["Rust"]
    assert question_languages("is the paint job rust proof?") == []
    assert question_languages("kotlin or java?") == ["Kotlin", "Java"]


def test_one_distinctive_title_word_names_the_only_posting_with_it(answerer):
    answer = answerer.ask("does the warehouse job need a degree?")
    assert [p.id for p in answer.postings] == ["p3"] and answer.intent == "degree"


def test_how_many_postings_counts_them_all(answerer):
    answer = answerer.ask("how many postings are there?")
    assert answer.is_list and answer.total == len(POSTINGS)


def test_help_shows_usage(answerer):
    assert answerer.ask("help").status == EMPTY


def test_odd_input_gets_a_short_reply_and_never_an_error(answerer):
    long_word = answerer.ask("x" * 4000)
    assert long_word.status == NO_MATCH and len(long_word.text) < 200
    assert answerer.ask("hello!").status == EMPTY
    assert answerer.ask("jobs paying over 1").filters.get("salary_over") is None


# ---------------------------------------------------------------- naming and list subjects (typos, filler, filters)

ROLES = [
    _posting("r1", "Estate Attorney", "Quorvane Legal", "Draft wills and trusts.", "Tulsa, OK", remote="on-site",
             work_type="Full-time"),
    _posting("r2", "Senior Tax Attorney", "Brisklow & Partners", "Advise clients on tax.", "Denver, CO",
             remote="remote", work_type="Full-time"),
    _posting("r3", "Data Analyst", "Tallowmere Foods", "Report on sales with SQL.", "Denver, CO", remote="remote",
             languages=["SQL"]),
    _posting("r4", "Sales Rep", "Fenwick Pumps", "Sell pumps to farms.", "Omaha, NE"),
    _posting("r5", "Inside Sales Representative", "Halvard Tools", "Call hardware stores.", "Omaha, NE"),
    _posting("r6", "Project Mgr", "Orlen Build", "Run small builds.", "Reno, NV"),
    _posting("r7", "Operations Manager", "Pekko Freight", "Keep trucks moving.", "Reno, NV"),
    _posting("r8", "Event Coordinator", "Marisol Venues", "Plan weddings.", "Laredo, TX"),
    _posting("r9", "Senior Platform Engineer", "Vantor", "Own the platform.", "Remote",
             (180000, 220000, "USD", "yearly")),
    _posting("r10", "Platform Engineer", "Vantor", "Build the platform.", "Remote", (130000, 150000, "USD", "yearly")),
    _posting("r11", "Bürokauffrau", "KVS - Kessler Vogt Service GmbH", "Sie betreuen unsere Kunden in Mainz.",
             "Mainz, Germany"),
    _posting("r12", "Account Executive - Mid-Market", "Plume", "Sell to mid-sized firms.", "Chicago, IL"),
    _posting("r13", "Bookkeeper - Non Profit", "Lindqvist Aid", "Keep the books of a charity.", "Boise, ID"),
]


@pytest.fixture(scope="module")
def roles():
    return answerer_over(ROLES)


def _ids(answer):
    return sorted(p.id for p in answer.postings)


def test_two_swapped_letters_in_a_company_name_still_name_it(roles):
    assert _ids(roles.ask("what does Qourvane Legal pay the estate attorney?")) == ["r1"]
    assert _ids(roles.ask("is the estate attorney job at Quorvnae Legal remote?")) == ["r1"]


def test_a_short_misspelt_company_name_names_it_beside_its_title(roles):
    assert _ids(roles.ask("where is the account executive job at Plme?")) == ["r12"]


def test_an_unknown_short_name_is_still_unknown_and_never_a_look_alike(roles):
    answer = roles.ask("where is the account executive job at Qrix?")
    assert answer.status == NO_MATCH and "qrix" in answer.text and not answer.postings


def test_thanks_and_please_are_not_names_of_postings(roles):
    want = _ids(roles.ask("any attorney jobs?"))
    assert want == ["r1", "r2"]
    for polite in ("any attorney jobs? thanks in advance", "how many attorney positions pls",
                   "any attorney jobs, thank you", "hey bot, any attorney jobs?"):
        assert _ids(roles.ask(polite)) == want, polite


def test_a_filter_added_to_a_titled_list_keeps_the_title_words(roles):
    assert _ids(roles.ask("how many attorney positions")) == ["r1", "r2"]
    assert _ids(roles.ask("how many remote attorney positions")) == ["r2"]
    none = roles.ask("how many SQL attorney positions")
    assert none.status == NO_MATCH and none.postings == [] and "attorney" in none.text


def test_abbreviated_role_words_list_the_same_postings_whichever_form_the_title_has(roles):
    assert _ids(roles.ask("any rep jobs?")) == _ids(roles.ask("any representative jobs?")) == ["r4", "r5"]
    assert _ids(roles.ask("list the mgr roles")) == _ids(roles.ask("list the manager roles")) == ["r6", "r7"]


def test_a_place_word_is_never_a_role_word_of_a_list(roles):
    answer = roles.ask("any openings in Laredo.")
    assert _ids(answer) == ["r8"] and "mentioning" not in answer.text and "laredo”" not in answer.text.lower()


def test_a_misspelt_role_word_lists_the_postings_so_titled(roles):
    assert _ids(roles.ask("how many attoorney positions")) == ["r1", "r2"]
    assert _ids(roles.ask("any coordnator jobs?")) == ["r8"]


def test_a_title_word_the_question_rules_out_excludes_that_posting(roles):
    for question in ("vantor (non-senior) platform engineer salary", "vantor (non-sr) platform engineer salary",
                     "vantor platform engineer salary, not the senior one"):
        answer = roles.ask(question)
        assert _ids(answer) == ["r10"] and answer.text.startswith("$130,000"), question
    assert _ids(roles.ask("vantor senior platform engineer salary")) == ["r9"]


def test_a_non_word_the_title_itself_writes_does_not_exclude_it(roles):
    assert _ids(roles.ask("where is the Bookkeeper - Non Profit job at Lindqvist Aid?")) == ["r13"]


def test_a_word_not_in_a_named_companys_posting_does_not_block_the_answer(roles):
    answer = roles.ask("how many years of ledger experience for the KVS office job?")
    assert _ids(answer) == ["r11"] and answer.status != NO_MATCH
