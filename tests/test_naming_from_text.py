"""Postings without title/company fields (forum comments, pasted pages) are still found by the names in their body."""

from __future__ import annotations

import pytest

from bot.answer import NO_MATCH
from bot.body_names import company_in_title, domain_name, is_generic_title, names_in_body
from index.models import Fact, Posting, Salary

from catalogs import answerer_over


def _posting(pid, title, company, text, remote=None, salary=None, url=""):
    posting = Posting(id=pid, title=title, company=company, text=text, url=url)
    if remote:
        posting.facts.remote = Fact(remote, f"We work {remote}.", "text")
    if salary:
        posting.facts.salary = Fact(Salary(*salary), "Pay: stated", "text")
    return posting


POSTINGS = [
    _posting("c1", "Untitled posting", "",
             "Quillfeather | Backend Engineer | Porto, Portugal | ONSITE | €55k-€70k\n"
             "We build bookkeeping software for bakeries.", remote="on-site", salary=(55000, 70000, "EUR", "yearly")),
    _posting("c2", "Avatar for Brambleworks", "",
             "Brambleworks\nActively Hiring\nSenior Data Engineer\nFully remote across Europe.", remote="remote"),
    _posting("c3", "Company Description", "",
             "About the team: this role sits within Orbisfold, a subsidiary of a larger group.\n"
             "We ship route-planning APIs for couriers.", url="https://careers.orbisfold.dev/jobs/42"),
    _posting("c4", "Untitled posting", "",
             "I have a new role open on my team: Principal Engineer for our TerraLoom platform. Hybrid, two days."),
    _posting("c5", "Backend Engineer", "Harrowby Freight", "Move parcels faster with Go services.",
             remote="remote", salary=(120000, 150000, "USD", "yearly")),
    _posting("c6", "Night Baker", "Kettleburn Bakery", "Bake bread from 3am. Paid weekly.", remote="on-site",
             salary=(17, 19, "USD", "hourly")),
]


@pytest.fixture(scope="module")
def answerer():
    return answerer_over(POSTINGS)


def test_a_forum_header_names_the_company_of_an_untitled_posting(answerer):
    answer = answerer.ask("what does quillfeather pay?")
    assert [p.id for p in answer.postings] == ["c1"]
    assert answer.text.startswith("€55,000–€70,000 a year")


def test_a_page_chrome_title_names_the_company(answerer):
    answer = answerer.ask("is the brambleworks data engineer job remote?")
    assert [p.id for p in answer.postings] == ["c2"] and answer.text.startswith("Yes")


def test_a_name_only_the_body_has_finds_the_posting(answerer):
    answer = answerer.ask("is the orbisfold role remote?")
    assert [p.id for p in answer.postings] == ["c3"]


def test_a_distinctive_word_in_one_posting_names_it(answerer):
    answer = answerer.ask("is the terraloom principal engineer job hybrid?")
    assert [p.id for p in answer.postings] == ["c4"]


def test_an_unknown_name_is_never_answered_for_a_look_alike(answerer):
    answer = answerer.ask("what does zentrawick pay?")
    assert answer.status == NO_MATCH and not answer.postings
    assert "No indexed posting mentions" in answer.text


def test_a_named_posting_with_a_facet_word_is_a_fact_question_not_a_filter(answerer):
    answer = answerer.ask("can I do the kettleburn job remotely?")
    assert [p.id for p in answer.postings] == ["c6"]
    assert answer.text.startswith("No, it is on-site")
    assert "No postings match" not in answer.text


def test_asking_for_another_work_mode_says_no_then_what_it_is(answerer):
    answer = answerer.ask("is the harrowby backend role hybrid?")
    assert answer.text.startswith("No, it is remote, not hybrid")


def test_asking_for_a_pay_period_says_yes_or_no_first(answerer):
    assert answerer.ask("does kettleburn pay hourly?").text.startswith("Yes: $17–$19 an hour")
    assert answerer.ask("does the harrowby backend job pay hourly?").text.startswith("No, it is paid yearly")


def test_typos_and_bare_facet_words_still_ask_for_the_fact(answerer):
    assert answerer.ask("harrowby backend sallary").intent == "salary"
    assert answerer.ask("kettleburn night baker - wich city?").intent == "location"


@pytest.mark.parametrize("title, generic", [
    ("Untitled posting", True), ("Company Description", True), ("Avatar for Quillfeather", True),
    ("Quillfeather is hiring a", True), ("Backend Engineer", False), ("Night Baker", False),
])
def test_generic_titles_are_recognised(title, generic):
    assert is_generic_title(title) is generic


def test_company_from_chrome_titles_and_links():
    assert company_in_title("Avatar for Brambleworks") == "Brambleworks"
    assert company_in_title("Brambleworks is hiring a") == "Brambleworks"
    assert domain_name("https://careers.orbisfold.dev/jobs/42") == "orbisfold"
    assert domain_name("https://boards.greenhouse.io/quillfeather/jobs/1") == "quillfeather"
    assert domain_name("https://www.linkedin.com/jobs/view/1") == ""


def test_names_in_body_reads_headers_and_phrases():
    names = names_in_body("Untitled posting", "", "Harrowgate Labs | Staff Engineer | Remote (EU) | $150k\nHi!")
    assert names.companies[0] == "Harrowgate Labs" and names.titles == ["Staff Engineer"]
    names = names_in_body("", "", "At Nettlecombe, we make kilns.\nJoin us.")
    assert names.companies[0] == "Nettlecombe"
