"""Comparing 2 to 4 named postings side by side, over a small in-memory catalog (bot/compare.py)."""

from __future__ import annotations

import pytest

from bot.answer import ANSWERED, NO_MATCH, answer_to_json
from bot.compare import NOT_STATED, QUOTED, STATED
from bot.question import comparison_body
from bot.render_text import render_text
from index.models import Fact, Posting, Salary

from catalogs import answerer_over


def _posting(pid, title, company, text, location="", salary=None, remote=None, work_type=None, languages=(),
             years=None, degree=None):
    p = Posting(id=pid, title=title, company=company, text=text, location=location)
    f = p.facts
    if salary:
        f.salary = Fact(Salary(*salary), f"Salary: {salary[0]:,}–{salary[1]:,} {salary[2]} {salary[3]}", "column")
    if remote:
        f.remote = Fact(remote, f"This role is {remote}.", "text")
    if work_type:
        f.employment_type = Fact(work_type, f"Job type: {work_type}", "column")
    f.languages = [Fact(lang, f"You will write {lang} every day.", "text") for lang in languages]
    if years is not None:
        f.min_years = Fact(years, f"{years}+ years building services.", "text")
    if degree:
        f.degree = Fact(degree, "BS in Computer Science or equivalent experience.", "text")
    return p


POSTINGS = [
    _posting("h1", "Backend Engineer", "Harbortide Data", "Build ingestion services in Go and SQL.", "Austin, TX",
             (155000, 190000, "USD", "yearly"), "hybrid", "Full-time", ["Go", "SQL"], 5, "Bachelor"),
    _posting("n1", "Platform Engineer", "Northwind Cloud", "Run our Kubernetes platform with Go tooling.",
             "Remote (US)", (150000, 190000, "USD", "yearly"), "remote", "Full-time", ["Go"], 4),
    _posting("n2", "Data Analyst", "Northwind Cloud", "Report on usage with SQL dashboards.", "Denver, CO",
             (90000, 110000, "USD", "yearly"), "on-site", "Full-time", ["SQL"], 2),
    # pay spoken of without a figure: quoted, never "not stated"
    _posting("q1", "Research and Development Engineer", "Quarrystone Labs",
             "Prototype sensors for field robots.\nSalary: negotiable, depending on experience (DOE).", "Reno, NV",
             None, "on-site", "Full-time", ["C"], 3),
    _posting("d1", "DevOps Engineer", "Tallowmere Software", "Automate deployments with Bash.", "Remote (US)",
             None, "remote", "Full-time", ["Bash"], 3),
    _posting("d2", "DevOps Engineer (Contract)", "Cindergate Systems", "Patch and monitor servers with Bash.",
             "San Antonio, TX", None, "on-site", "Contract", ["Bash"], 5),
    _posting("w1", "Warehouse Associate", "Cedar Logistics", "Pick and pack orders.", "Dallas, TX",
             (22, 26, "USD", "hourly"), "on-site", "Part-time"),
]
HARBORTIDE_AND_NORTHWIND = "compare the Harbortide backend role and the Northwind platform role"


@pytest.fixture(scope="module")
def answerer():
    return answerer_over(POSTINGS)


def row(answer, fact):
    return next(r for r in answer.comparison.facts if r.fact == fact)


@pytest.mark.parametrize("question, body", [
    (HARBORTIDE_AND_NORTHWIND, "the Harbortide backend role and the Northwind platform role"),
    ("Harbortide vs Northwind platform?", "Harbortide vs Northwind platform"),
    ("what's the difference between the harbortide job and the northwind platform job?",
     "the harbortide job and the northwind platform job"),
    ("how does the Harbortide job compare to the Northwind one?", "the Harbortide job and the Northwind one"),
    ("hey bot, compare A, B and C please", "A, B and C"),
    ("what does the Harbortide backend role pay?", None),
    ("which roles want Go?", None),
])
def test_comparison_questions_are_recognised_and_their_postings_part_kept(question, body):
    assert comparison_body(question) == body


@pytest.mark.parametrize("question", [
    HARBORTIDE_AND_NORTHWIND,
    "Harbortide backend vs Northwind platform",
    "what's the difference between the Harbortide backend job and the Northwind platform job?",
    "how does the Harbortide backend role compare with the Northwind platform role?",
    "the Harbortide backend role compared to the Northwind platform role",
])
def test_each_way_of_asking_compares_the_two_named_postings_in_the_order_asked(answerer, question):
    answer = answerer.ask(question)
    assert answer.status == ANSWERED and answer.intent == "compare"
    assert [p.id for p in answer.postings] == ["h1", "n1"]
    assert answer.text.startswith("Comparing 2 postings: Backend Engineer at Harbortide Data; "
                                  "Platform Engineer at Northwind Cloud.")


def test_each_fact_has_each_postings_value_with_its_quote_and_differences_come_first(answerer):
    answer = answerer.ask(HARBORTIDE_AND_NORTHWIND)
    facts = [r.fact for r in answer.comparison.facts]
    assert facts == ["salary", "location", "remote", "languages", "experience", "degree", "employment_type"]
    assert [r.differs for r in answer.comparison.facts] == [True] * 6 + [False]
    pay = row(answer, "salary")
    assert [c.value for c in pay.cells] == ["$155,000–$190,000 a year", "$150,000–$190,000 a year"]
    assert pay.cells[0].quote == "Salary: 155,000–190,000 USD yearly" and pay.cells[0].origin == "column"
    assert [c.value for c in row(answer, "location").cells] == ["Austin, TX", "Remote (US)"]
    assert [c.value for c in row(answer, "languages").cells] == ["Go and SQL", "Go"]
    assert "They differ in pay, place, remote work, languages, years of experience and degree." in answer.text
    assert "Both state the same employment type (Full-time)." in answer.text


def test_a_posting_silent_about_a_fact_is_not_stated_and_one_that_speaks_of_it_is_quoted(answerer):
    answer = answerer.ask("compare the Harbortide backend role and the Quarrystone role")
    assert [p.id for p in answer.postings] == ["h1", "q1"]
    pay = row(answer, "salary")
    assert [c.status for c in pay.cells] == [STATED, QUOTED]
    assert "DOE" in pay.cells[1].quote and pay.cells[1].display("salary").startswith("Doesn't give a figure")
    degree = row(answer, "degree")
    assert [c.status for c in degree.cells] == [STATED, NOT_STATED]
    assert degree.cells[1].display("degree") == "not stated" and degree.cells[1].quote is None


def test_facts_no_posting_states_come_last_and_are_said_once(answerer):
    answer = answerer.ask("compare the Tallowmere devops role and the Cindergate devops role")
    assert [p.id for p in answer.postings] == ["d1", "d2"]
    assert [r.fact for r in answer.comparison.facts][-2:] == ["salary", "degree"]
    assert "Neither states pay or a degree." in answer.text


def test_and_inside_a_title_is_not_taken_for_a_separator(answerer):
    answer = answerer.ask("compare the Research and Development Engineer role and the Harbortide backend role")
    assert answer.status == ANSWERED and [p.id for p in answer.postings] == ["q1", "h1"]


def test_a_side_naming_nothing_is_not_swallowed_by_its_neighbour(answerer):
    answer = answerer.ask("compare the Harbortide backend role and the Zephyrine and the Northwind platform role")
    assert answer.status == NO_MATCH and "by “the Zephyrine”" in answer.text


def test_more_than_four_named_postings_are_not_cut_down_silently(answerer):
    answer = answerer.ask("compare Harbortide, Northwind platform, Quarrystone, Cedar warehouse and Tallowmere")
    assert answer.status == NO_MATCH and "names 5 postings; I compare 2 to 4 at a time" in answer.text


def test_three_and_four_postings_are_compared_and_all_agreeing_facts_say_all(answerer):
    three = answerer.ask("compare the Harbortide backend role, the Northwind platform role and the Quarrystone job")
    assert [p.id for p in three.postings] == ["h1", "n1", "q1"]
    assert all(len(r.cells) == 3 for r in three.comparison.facts)
    assert "All state the same employment type (Full-time)." in three.text
    four = answerer.ask("Harbortide vs Northwind platform vs Quarrystone vs Cedar warehouse")
    assert [p.id for p in four.postings] == ["h1", "n1", "q1", "w1"]


def test_a_part_naming_no_posting_gets_couldnt_tell_with_the_closest_and_no_facts(answerer):
    answer = answerer.ask("compare the Harbortide backend role and the Zephyrine robotics role")
    assert answer.status == NO_MATCH and answer.intent == "compare"
    assert "I couldn't tell which posting you mean by “the Zephyrine robotics role”" in answer.text
    assert "no indexed posting mentions “zephyrine”" in answer.text
    assert getattr(answer, "comparison", None) is None
    assert "(I found Backend Engineer at Harbortide Data for “the Harbortide backend role”.)" in answer.text


def test_a_part_naming_a_company_with_several_postings_offers_them_as_the_closest(answerer):
    answer = answerer.ask("compare the Harbortide backend role and the Northwind role")
    assert answer.status == NO_MATCH
    assert "I couldn't tell which posting you mean by “the Northwind role”" in answer.text
    assert {p.id for p in answer.postings} == {"n1", "n2"}
    assert "the closest matches are: " in answer.text and "Data Analyst at Northwind Cloud (Denver, CO)" in answer.text


def test_the_same_posting_named_twice_is_not_compared_with_itself(answerer):
    answer = answerer.ask("compare the Harbortide backend role with the Harbortide backend job")
    assert answer.status == NO_MATCH and "names the same posting as" in answer.text


def test_a_plural_kind_of_role_compares_every_posting_so_titled(answerer):
    answer = answerer.ask("compare the devops roles")
    assert answer.status == ANSWERED and {p.id for p in answer.postings} == {"d1", "d2"}


def test_a_plural_naming_more_than_four_postings_asks_which(answerer):
    answer = answerer.ask("compare the engineer roles")
    assert answer.status == NO_MATCH and "names 5 postings; I compare 2 to 4 at a time" in answer.text


def test_a_comparison_of_no_posting_is_answered_as_any_other_question(answerer):
    for question in ("compare remote and hybrid pay", "Go vs Python roles"):
        assert answerer.ask(question).intent != "compare"


def test_in_a_thread_it_is_the_posting_discussed_and_them_are_the_postings_discussed(answerer):
    it = answerer.ask("compare it with the Northwind platform role", ("h1",))
    assert [p.id for p in it.postings] == ["h1", "n1"]
    them = answerer.ask("compare them", ("d1", "w1"))
    assert [p.id for p in them.postings] == ["d1", "w1"]


def test_json_carries_the_comparison_per_fact_and_posting(answerer):
    data = answer_to_json(answerer.ask("compare the Harbortide backend role and the Quarrystone role"))
    assert data["intent"] == "compare" and data["comparison"]["posting_ids"] == ["h1", "q1"]
    pay = next(f for f in data["comparison"]["facts"] if f["fact"] == "salary")
    assert pay["label"] == "Pay" and pay["differs"] is True
    assert pay["values"][0] == {"posting_id": "h1", "status": "stated", "value": "$155,000–$190,000 a year",
                                "quote": "Salary: 155,000–190,000 USD yearly", "origin": "column"}
    assert pay["values"][1]["status"] == "quoted" and "DOE" in pay["values"][1]["quote"]
    assert "comparison" not in answer_to_json(answerer.ask("what does the Harbortide backend role pay?"))


def test_the_terminal_shows_a_table_with_one_column_per_posting(answerer):
    text = render_text(answerer.ask("compare the Harbortide backend role and the Quarrystone role"))
    lines = text.splitlines()
    header = next(line for line in lines if "Backend Engineer — Harbortide Data" in line)
    assert header.split(" | ")[2].startswith("Research and Development Engineer")
    pay = next(line for line in lines if line.startswith("Pay (differs)"))
    assert pay.split(" | ")[1].strip() == "$155,000–$190,000 a year"
    assert pay.split(" | ")[2].strip().startswith("Doesn't give a figure I can read")
    degree = next(line for line in lines if line.startswith("Degree (differs)"))
    assert degree.split(" | ")[2].strip() == "not stated"
    assert all(len(line) <= 125 for line in lines[3:])


# --- a company or place stated once applies to every part that names none

SHARED = [
    _posting("hb", "Backend Engineer", "Harbortide Data", "Ship Go services.", "Austin, TX"),
    _posting("hf", "Frontend Engineer", "Harbortide Data", "Build React screens.", "Austin, TX"),
    _posting("nb", "Backend Engineer", "Northwind Cloud", "Ship Java services.", "Denver, CO"),
    _posting("nf", "Frontend Engineer", "Northwind Cloud", "Build Vue screens.", "Seattle, WA"),
    _posting("ca", "Data Analyst", "Cedar Logistics", "Report on freight.", "Dallas, TX"),
    _posting("ma", "Data Analyst", "Marlow Foods", "Report on sales.", "Denver, CO"),
]


@pytest.fixture(scope="module")
def shared():
    return answerer_over(SHARED)


@pytest.mark.parametrize("question, ids", [
    ("compare the backend and frontend roles at Harbortide", ["hb", "hf"]),
    ("Harbortide backend vs frontend", ["hb", "hf"]),
    ("backend vs frontend at Northwind", ["nb", "nf"]),
    ("compare the Northwind frontend role with the backend one", ["nf", "nb"]),
    ("what's the difference between the frontend and the backend job at Northwind Cloud?", ["nf", "nb"]),
])
def test_a_company_named_once_applies_to_the_part_that_names_none(shared, question, ids):
    answer = shared.ask(question)
    assert answer.status == ANSWERED and [p.id for p in answer.postings] == ids


@pytest.mark.parametrize("question, ids", [
    ("compare the backend role and the frontend role in Austin", ["hb", "hf"]),
    ("the Denver backend job vs the data analyst", ["nb", "ma"]),
])
def test_a_place_named_once_applies_to_the_part_that_names_none(shared, question, ids):
    answer = shared.ask(question)
    assert answer.status == ANSWERED and [p.id for p in answer.postings] == ids


def test_each_part_keeps_the_company_it_names_itself(shared):
    answer = shared.ask("Northwind backend vs Harbortide frontend")
    assert answer.status == ANSWERED and [p.id for p in answer.postings] == ["nb", "hf"]


def test_a_company_that_has_no_such_role_is_not_forced_on_the_other_part(shared):
    answer = shared.ask("Harbortide backend vs data analyst")
    assert answer.status == NO_MATCH
    assert "I couldn't tell which posting you mean by “data analyst”" in answer.text
    assert {p.id for p in answer.postings} == {"ca", "ma"}


def test_an_ambiguous_side_with_no_company_anywhere_gets_the_closest_candidates(shared):
    answer = shared.ask("backend vs frontend")
    assert answer.status == NO_MATCH and "I couldn't tell which posting you mean by “backend”" in answer.text
    assert {"hb", "nb"} <= {p.id for p in answer.postings}


def test_a_shared_company_never_makes_a_part_name_the_posting_another_part_names():
    answerer = answerer_over(SHARED + [_posting("hq", "QA Analyst", "Harbortide Data", "Test releases.", "Austin, TX")])
    answer = answerer.ask("data analyst vs QA analyst at Harbortide")
    assert answer.status == NO_MATCH and "I couldn't tell which posting you mean by “data analyst”" in answer.text
    assert {p.id for p in answer.postings} == {"ca", "ma"}


# --- a role named once applies to every part that names only a company or a place

@pytest.mark.parametrize("question, ids", [
    ("compare the data analyst roles in Dallas and Denver", ["ca", "ma"]),
    ("data analyst in Denver vs Dallas", ["ma", "ca"]),
    ("compare the backend roles at Harbortide and Northwind", ["hb", "nb"]),
    ("Harbortide vs Northwind backend engineer", ["hb", "nb"]),
    ("compare Northwind and Harbortide frontend roles", ["nf", "hf"]),
    ("compare the frontend engineer at Northwind, the one at Harbortide", ["nf", "hf"]),
])
def test_a_role_named_once_applies_to_each_company_or_place_that_names_none(shared, question, ids):
    answer = shared.ask(question)
    assert answer.status == ANSWERED and [p.id for p in answer.postings] == ids


def test_a_place_with_several_such_roles_offers_them_as_the_closest():
    other = _posting("md", "Data Analyst", "Tansy Health", "Report on visits.", "Denver, CO")
    answerer = answerer_over(SHARED + [other])
    answer = answerer.ask("compare the data analyst roles in Dallas and Denver")
    assert answer.status == NO_MATCH and "I couldn't tell which posting you mean by “Denver”" in answer.text
    assert {p.id for p in answer.postings} == {"ma", "md"}


def test_a_company_without_the_role_named_is_not_given_another_of_its_roles(shared):
    answer = shared.ask("compare the data analyst roles at Cedar and Harbortide")
    assert answer.status == NO_MATCH and "I couldn't tell which posting you mean by “Harbortide”" in answer.text
    assert "ca" not in {p.id for p in answer.postings}


def test_a_role_without_a_company_or_place_of_its_own_is_not_carried(shared):
    answer = shared.ask("Harbortide vs data analyst")
    assert answer.status == NO_MATCH and "I couldn't tell which posting you mean by “data analyst”" in answer.text
