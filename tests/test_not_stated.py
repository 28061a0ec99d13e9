"""Never a false "not stated": a posting whose text speaks of a fact the extractor could not read is quoted."""

from __future__ import annotations

import pytest

from bot.answer import ANSWERED, NOT_STATED, QUOTED
from index.cues import sentence_cues, text_cues
from index.models import Fact, Posting, Salary

from catalogs import answerer_over


def _posting(pid, title, company, text, salary=None, years=None):
    posting = Posting(id=pid, title=title, company=company, text=text, location="Lisbon, Portugal")
    if salary:
        posting.facts.salary = Fact(Salary(*salary), "Pay: stated", "text")
    if years is not None:
        posting.facts.min_years = Fact(years, f"{years}+ years", "text")
    return posting


POSTINGS = [
    # pay written in a layout the extractor does not read (facts left empty on purpose)
    _posting("q1", "Data Platform Engineer", "Marrowgate Systems",
             "You will own our ingestion jobs.\nCompensation band = 95 000 - 120 000 CHF gross per year\n"
             "Three days a week in the office."),
    # no word about pay at all, only benefits
    _posting("q2", "Field Technician", "Tidewell Utilities",
             "Maintain pumping stations across the region.\nWe offer competitive benefits and a company van.\n"
             "Must be at least 18 years of age."),
    # pay spoken of without a figure
    _posting("q3", "Sous Chef", "Copperleaf Bistro",
             "Run the line on busy evenings. Salary: negotiable, depending on experience (DOE)."),
    # German: years of experience in words the extractor missed
    _posting("q4", "Buchhalter", "Lindenhof Treuhand",
             "Wir suchen Verstärkung.\nMindestens drei Jahre Berufserfahrung in der Finanzbuchhaltung.\n"
             "Vergütung nach Vereinbarung."),
    # a figure that is not pay: funding and a home-office stipend
    _posting("q5", "Growth Marketer", "Pellucid Labs",
             "We raised $40M in our Series B last spring. Everyone gets a $800 home office stipend."),
    _posting("q6", "Line Cook", "Copperleaf Bistro", "Prep and cook.", salary=(18, 21, "USD", "hourly")),
]


@pytest.fixture(scope="module")
def answerer():
    return answerer_over(POSTINGS)


def test_pay_in_an_unread_layout_is_quoted_not_denied(answerer):
    answer = answerer.ask("what does the marrowgate data platform job pay?")
    assert [p.id for p in answer.postings] == ["q1"]
    assert answer.status == QUOTED
    assert "does not state" not in answer.text
    assert "95 000 - 120 000 CHF" in answer.text
    assert answer.evidence and answer.evidence[0].posting_id == "q1"


def test_a_posting_without_pay_words_still_gets_not_stated(answerer):
    answer = answerer.ask("how much does the tidewell field technician make?")
    assert answer.status == NOT_STATED
    assert answer.text.startswith("The posting does not state a salary")


def test_doe_is_a_statement_about_pay_without_a_figure(answerer):
    answer = answerer.ask("copperleaf sous chef salary?")
    assert answer.status == QUOTED and "DOE" in answer.text


def test_german_years_in_words_are_quoted_for_an_experience_question(answerer):
    answer = answerer.ask("how many years of experience does the Lindenhof Buchhalter job need?")
    assert answer.status == QUOTED and "drei Jahre Berufserfahrung" in answer.text


def test_funding_and_stipends_are_not_pay(answerer):
    answer = answerer.ask("what is the salary for the pellucid growth marketer?")
    assert answer.status == NOT_STATED
    assert "$" not in answer.text


def test_age_limits_are_not_years_of_experience(answerer):
    answer = answerer.ask("how many years of experience for the tidewell field technician?")
    assert answer.status == NOT_STATED


def test_a_read_value_is_answered_as_before(answerer):
    answer = answerer.ask("what does the copperleaf line cook pay?")
    assert answer.status == ANSWERED and answer.text.startswith("$18–$21 an hour")


@pytest.mark.parametrize("sentence, key", [
    ("Pay band: 4.200–5.100 € brutto monatlich", "salary"),
    ("Stundenlohn ab 15 €", "salary"),
    ("CTC up to 9 LPA", "salary"),
    ("5+ yrs shipping mobile apps", "experience_years"),
    ("Abgeschlossenes Studium der Informatik", "degree"),
    ("BSc in a quantitative field or similar", "degree"),
    ("Homeoffice an zwei Tagen pro Woche", "remote"),
    ("Teilzeit, unbefristet", "employment_type"),
])
def test_cue_words_in_english_and_german(sentence, key):
    assert key in sentence_cues(sentence)


@pytest.mark.parametrize("sentence", [
    "We offer competitive benefits.", "Founded 25 years ago in a garage.", "Paid time off and a gym budget.",
    "With over 30 years of experience, we serve farmers.", "We raised $12M from investors.",
])
def test_sentences_that_only_look_like_pay_or_years_are_not_cues(sentence):
    assert not sentence_cues(sentence) & {"salary", "experience_years"}


def test_text_cues_collects_every_fact_a_text_speaks_of():
    cues = text_cues("Salary: DOE.\nA degree in biology is a plus.\nFully remote.")
    assert {"salary", "degree", "remote"} <= cues


def test_there_is_one_cue_vocabulary():
    import index.cues
    import index.extract

    assert index.extract.fact_cues is index.cues.fact_cues
    assert index.cues.own_sentence_cues is index.cues.sentence_cues


@pytest.mark.parametrize("sentence", ["What we want: 3+ years of Elixir.", "We need 4+ yrs with Kotlin."])
def test_a_requirement_the_company_states_is_a_years_cue(sentence):
    assert "experience_years" in sentence_cues(sentence)


def test_a_pay_layout_only_the_money_module_reads_is_a_salary_cue():
    assert "salary" in sentence_cues("Tarif: 61-74 EUR / h netto")


@pytest.mark.parametrize("sentence", [
    "Brightwater Dental has been caring for families in Tulsa for over 35 years.",
    "A regional logistics leader for 40+ years, Ostrander moves freight across the Midwest.",
    "Our 25-year legacy of craftsmanship shows in every cabinet we build.",
    "With more than 60 years of experience, Halvorsen Roofing has protected thousands of homes.",
])
def test_the_employers_own_years_are_no_years_cue(sentence):
    assert "experience_years" not in sentence_cues(sentence)


@pytest.mark.parametrize("sentence", [
    "You bring 5+ years of experience in a growing company.",
    "Candidates need at least 3 years at a dental practice.",
    "Minimum of 4 years in a logistics business required.",
])
def test_years_asked_of_the_reader_stay_a_cue_even_beside_company_words(sentence):
    assert "experience_years" in sentence_cues(sentence)


@pytest.mark.parametrize("sentence", [
    "Bachelor's degree and 4 years of working as a business analyst for a hospital.",
    "3 years as a nurse in a clinic.",
])
def test_years_in_a_role_at_some_organisation_stay_a_cue(sentence):
    assert "experience_years" in sentence_cues(sentence)
