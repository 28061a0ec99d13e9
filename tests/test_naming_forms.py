"""Names written in other forms: abbreviations in titles, words run together, gender markers, plural kinds of role."""

from __future__ import annotations

import pytest

from bot.answer import NO_MATCH
from index.models import Fact, Posting, Salary

from catalogs import answerer_over


def _posting(pid, title, company, text, years=None, salary=None):
    p = Posting(id=pid, title=title, company=company, text=text, location="Leeds, UK")
    if years is not None:
        p.facts.min_years = Fact(years, f"{years}+ years of experience.", "text")
    if salary:
        p.facts.salary = Fact(Salary(*salary), f"Pay: {salary}", "text")
    return p


POSTINGS = [
    _posting("n1", "Overnight RN Supervisor", "Cedarbrook Care", "Lead the night shift on two wards."),
    _posting("n2", "Registered Nurse - ICU", "Holloway Hospital", "Care for critically ill adults."),
    _posting("n3", "Community Mental Health Nurse", "Ashgrove Trust", "Visit clients at home."),
    _posting("s1", "IT-Support für Non-Profits (m/w/d)", "Helferwerk GmbH", "Betreuung von Vereinen.", years=2,
             salary=(38000, 44000, "EUR", "yearly")),
    _posting("s2", "Support Engineer", "Quillon Systems", "Answer customer tickets.", years=4,
             salary=(30, 35, "USD", "hourly")),
    _posting("f1", "Full Stack Developer", "Brindlewood", "Ship features end to end.", years=5),
    _posting("w1", "Warehouse Operative", "Pellucid Freight", "Pick and pack orders."),
    _posting("w2", "Warehouse Team Leader", "Ormond Retail", "Run the loading bay."),
]


@pytest.fixture(scope="module")
def answerer():
    return answerer_over(POSTINGS)


def _ids(answer):
    return sorted(p.id for p in answer.postings)


@pytest.mark.parametrize("question", ["any nursing jobs?", "which nurse positions are open?", "nurse jobs?"])
def test_an_abbreviation_in_a_title_counts_as_its_expansion(answerer, question):
    answer = answerer.ask(question)
    assert answer.is_list and _ids(answer) == ["n1", "n2", "n3"]


def test_a_kind_of_role_in_the_plural_is_a_list_question(answerer):
    answer = answerer.ask("warehouse roles")
    assert answer.is_list and _ids(answer) == ["w1", "w2"]
    assert answer.text.startswith("2 postings match")


def test_one_match_is_worded_in_the_singular(answerer):
    assert answerer.ask("full stack roles").text.startswith("1 posting matches")


@pytest.mark.parametrize("question", ["what does the it support role for nonprofits pay?",
                                      "what does the IT-Support für Non-Profits job pay?"])
def test_words_run_together_or_a_gender_marker_still_name_the_posting(answerer, question):
    answer = answerer.ask(question)
    assert _ids(answer) == ["s1"]
    assert "€38,000" in answer.text


def test_a_non_compound_a_title_has_is_a_name_and_not_a_word_ruled_out(answerer):
    answer = answerer.ask("years of experience wanted for the it-support für non-profits job?")
    assert _ids(answer) == ["s1"] and "2 years" in answer.text


def test_fullstack_written_as_one_word_names_the_full_stack_posting(answerer):
    answer = answerer.ask("how many years for the fullstack developer job?")
    assert _ids(answer) == ["f1"] and "5 years" in answer.text


# ---------------------------------------------------------------- where: a bare city, a second place in the text

def _where(location, text="Answer the phones.", **facts):
    p = Posting("l1", "Dispatcher", "Tandry Logistics", text, location=location)
    for name, value in facts.items():
        setattr(p.facts, name, value)
    return answerer_over([p]).ask("where is the Tandry Logistics dispatcher job?")


def test_a_bare_well_known_city_is_answered_with_its_region_said_to_be_read_from_the_city():
    answer = _where("San Francisco")
    assert answer.text.startswith("San Francisco (the posting names the city only: San Francisco, CA)")


def test_a_bare_city_several_places_share_gets_no_region():
    assert _where("Portland").text.startswith("Portland — ")


def test_a_second_place_the_text_labels_is_shown_beside_the_listed_one():
    answer = _where("Yonkers, NY", location_text=Fact("Brooklyn", "Work Location: Brooklyn", "text"))
    assert "Yonkers, NY" in answer.text and "the posting's text says Brooklyn" in answer.text
    assert any(e.text == "Work Location: Brooklyn" for e in answer.evidence)


def test_pay_in_a_second_period_is_said_beside_the_salary():
    p = Posting("m1", "Stock Handler", "Kerrow Supplies", "Stock shelves.")
    p.facts.salary = Fact(Salary(27000, 31000, "GBP", "yearly"), "Pay: £27,000 - £31,000 per year", "text")
    p.facts.salary_other_periods = [Fact(Salary(13, 15, "GBP", "hourly"), "from £13/hr to £15/hr", "text")]
    answerer = answerer_over([p])
    assert answerer.ask("what does the Kerrow stock handler job pay?").text.startswith(
        "£27,000–£31,000 a year; it also states £13–£15 an hour")
    listed = answerer.ask("which jobs pay hourly?")
    assert [q.id for q in listed.postings] == ["m1"] and listed.evidence[0].text == "from £13/hr to £15/hr"


# ---------------------------------------------------------------- typos of names, places and grammar words

TYPO_POSTINGS = [
    _posting("t1", "Data Architect", "Quorbitpos.com", "Design the warehouse schema. Remote within the US."),
    _posting("t2", "Warehouse Operative - Night Shift", "Gallowmere Ltd", "Pick and pack in Normanton."),
    _posting("t3", "Senior Nurse Practitioner", "PRO Nursing Partners", "Run the clinic."),
    _posting("t4", "Software Engineer (Full-stack)", "Pellavo", "Ship features. We write Rust."),
    _posting("t5", "Wwr Medix Clinicnet Senior Full Stack Developer", "Medixusa", "Build the patient portal."),
]


TYPO_POSTINGS[3].facts.languages = [Fact("Rust", "We write Rust.", "text")]


@pytest.fixture(scope="module")
def typos():
    return answerer_over(TYPO_POSTINGS)


def test_a_typo_of_a_company_written_as_a_domain_still_names_it(typos):
    assert _ids(typos.ask("is the quorbitpoos job remote?")) == ["t1"]


def test_a_typo_of_a_place_the_text_names_is_no_unknown_word(typos):
    answer = typos.ask("how much experience for the normnton night shift job")
    assert "No indexed posting mentions" not in answer.text


def test_a_typo_of_a_company_word_is_a_subject_of_a_list_question(typos):
    assert _ids(typos.ask("any nusing jobs?")) == ["t3"]


def test_a_typo_of_a_grammar_word_keeps_the_language_filter(typos):
    assert _ids(typos.ask("which postings mentin rust?")) == ["t4"]


def test_an_unknown_name_in_a_question_about_one_posting_is_never_answered_for_a_look_alike(typos):
    answer = typos.ask("is the zorblaxa full stack job remote?")
    assert answer.status == NO_MATCH and "zorblaxa" in answer.text


def test_the_posting_whose_title_explains_more_of_the_question_ranks_first(typos):
    answer = typos.ask("is the medix clinicnet full stack job remote?")
    assert answer.postings and answer.postings[0].id == "t5"


def test_postings_that_share_a_company_or_a_title_are_each_indexed_by_it():
    from bot.catalog import MentionIndex
    from bot.question import normalise_token

    postings = [Posting(id="a", title="Kiln Operator", company="Brackwater Ceramics", text="Fire the kilns."),
                Posting(id="b", title="Glaze Chemist (m/w/d)", company="Brackwater Ceramics", text="Mix glazes."),
                Posting(id="c", title="Kiln Operator", company="Fenlow Freight Ltd", text="Load the kilns."),
                Posting(id="d", title="Glaze Chemist", company="Fenlow Freight Ltd", text="Test glazes.")]
    mentions = MentionIndex(postings)
    assert mentions.same_company(0) == [0, 1] and mentions.same_company(3) == [2, 3]
    assert [mentions.doc_freq[normalise_token(w)] for w in ("brackwater", "fenlow", "kiln", "glaze")] == [2, 2, 2, 2]
    assert mentions.match(["brackwater", "glaze"])[0].index == 1
    assert mentions.match(["fenlow", "kiln"])[0].index == 2
