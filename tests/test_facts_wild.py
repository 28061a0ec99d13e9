"""Facts from postings outside the US job boards: German postings, pay tiers by place, currencies kept."""

from __future__ import annotations

import pytest

from index.extract import extract_facts, fact_cues
from index.facts.salary import currency_for_place
from index.models import Posting, posting_from_dict, posting_to_dict


def facts_of(text: str, location: str = "", **columns):
    return extract_facts(Posting(id="p1", title="Role", company="Acme", text=text, location=location,
                                 columns=columns))


def salary_of(text: str, location: str = "", **columns) -> tuple:
    salary = facts_of(text, location, **columns).salary.value
    return (salary.min, salary.max, salary.currency, salary.period)


# ------------------------------------------------------------------------------------------ currency

def test_a_bare_figure_takes_the_currency_written_elsewhere_in_the_posting():
    text = "Lead Designer | Equity | 85k-105k (depending on experience)\nWe sponsor a €1,200 learning budget."
    assert salary_of(text)[2] == "EUR"


def test_a_bare_figure_takes_the_currency_of_a_place_outside_the_us():
    text = "Backend Engineer | Equity | 70k-90k (based on experience)"
    assert salary_of(text, location="Leeds, United Kingdom")[2] == "GBP"


def test_a_bare_figure_keeps_the_default_currency_when_nothing_says_otherwise():
    assert salary_of("Salary range: 90,000 - 120,000 per year")[2] == "USD"


@pytest.mark.parametrize(
    ("place", "code"),
    [("Lyon, France", "EUR"), ("Denver, CO", "USD"), ("Pune, India", "INR"), ("Köln", "EUR"), ("Remote", None)],
)
def test_currency_for_place_reads_countries_cities_and_us_states(place, code):
    assert currency_for_place(place) == code


# ------------------------------------------------------------------------------------------ tiers

def test_pay_tiers_by_place_are_all_kept_with_their_place():
    text = ("Pay depends on location:\nSeattle, Boston: $171K - $204K\nPhoenix, Miami: $152K - $183K\n"
            "Ohio, Kansas: $140K - $166K")
    facts = facts_of(text)
    assert [(t.place, t.value.min, t.value.max) for t in facts.salary_tiers] == [
        ("Seattle, Boston", 171_000, 204_000), ("Phoenix, Miami", 152_000, 183_000),
        ("Ohio, Kansas", 140_000, 166_000),
    ]
    assert facts.salary.value.min == 171_000


def test_pay_tiers_in_one_sentence_are_kept():
    facts = facts_of("Base pay: NYC: $161k–$189k; Remote US: $139k–$168k.")
    assert [t.place for t in facts.salary_tiers] == ["NYC", "Remote US"]


def test_a_single_salary_has_no_tiers():
    assert facts_of("Salary: $95k - $120k per year").salary_tiers == []


def test_salary_tiers_survive_the_round_trip_through_a_dict():
    posting = Posting(id="p2", title="Role", company="Acme",
                      text="Denver: $120k–$140k\nChicago: $130k–$150k")
    posting.facts = extract_facts(posting)
    again = posting_from_dict(posting_to_dict(posting))
    assert again.facts.salary_tiers == posting.facts.salary_tiers
    assert again.facts.salary_tiers[0].place == "Denver"


# ------------------------------------------------------------------------------------------ German postings

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gehalt: 46.000 € – 58.000 € pro Jahr", (46_000, 58_000, "EUR", "yearly")),
        ("Vergütung: ab 61.000 € brutto jährlich", (61_000, None, "EUR", "yearly")),
        ("Wir zahlen 17,50 € pro Stunde.", (17.5, 17.5, "EUR", "hourly")),
        ("Gehalt zwischen 2.900-3.400 € mtl. in Vollzeit", (2_900, 3_400, "EUR", "monthly")),
    ],
)
def test_german_pay_is_read_with_euro_and_period(text, expected):
    assert salary_of(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Du arbeitest 100% remote von überall in Deutschland.", "remote"),
        ("Homeoffice möglich, 2 Tage pro Woche im Büro.", "hybrid"),
        ("Mobiles Arbeiten nach Absprache", "hybrid"),
        ("Was wir bieten: Homeoffice, Obstkorb, Jobrad", "hybrid"),
        ("Kein Homeoffice möglich, die Arbeit erfolgt vor Ort.", "on-site"),
    ],
)
def test_german_remote_statements_are_read(text, value):
    assert facts_of(text).remote.value == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Die Stelle ist in Vollzeit zu besetzen.", "Full-time"),
        ("Wir suchen eine Aushilfe in Teilzeit (20 Std./Woche).", "Part-time"),
        ("Werkstudent (m/w/d) Data Analytics", "Part-time"),
        ("Praktikum im Bereich Marketing ab März", "Internship"),
        ("Der Vertrag ist zunächst auf 12 Monate befristet.", "Temporary"),
        ("Unbefristeter Vertrag, Einsatz in VZ", "Full-time"),
    ],
)
def test_german_employment_types_are_read(text, value):
    assert facts_of(text).employment_type.value == value


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("Mindestens 4 Jahre Berufserfahrung in der Pflege", 4),
        ("Praktische Erfahrung (2–4 Jahre) im IT-Support", 2),
        ("Du bringst drei Jahre Erfahrung als Entwickler:in mit.", 3),
    ],
)
def test_german_years_of_experience_are_read(text, years):
    assert facts_of(text).min_years.value == years


@pytest.mark.parametrize(
    "text",
    ["Mehrjährige Berufserfahrung im Vertrieb", "Wir sind seit 25 Jahren erfolgreich am Markt.",
     "Unser Team arbeitet 38 Stunden pro Woche."],
)
def test_german_text_without_a_number_of_years_gives_none(text):
    assert facts_of(text).min_years is None


@pytest.mark.parametrize(
    ("text", "degree"),
    [
        ("Abgeschlossenes Studium der Wirtschaftsinformatik oder vergleichbar", "Bachelor"),
        ("Ein Hochschulabschluss wird vorausgesetzt.", "Bachelor"),
        ("Erfolgreich abgeschlossene kaufmännische Ausbildung", "HighSchool"),
        ("Promotion in Chemie oder Biologie", "PhD"),
    ],
)
def test_german_degrees_are_read_vocational_training_as_high_school(text, degree):
    assert facts_of(text).degree.value == degree


# ------------------------------------------------------------------------------------------ units stay apart

def test_years_pay_and_hours_stay_apart():
    facts = facts_of("You need 6+ years of Go experience. Pay: $5k per month. We work 40 hours a week.")
    assert facts.min_years.value == 6
    assert (facts.salary.value.min, facts.salary.value.period) == (5_000, "monthly")


@pytest.mark.parametrize(
    ("text", "years"),
    [("Ideally 5+ yrs of backend experience", 5), ("You bring 3+ years shipping mobile apps", 3),
     ("At least three years of professional experience", 3)],
)
def test_years_forms_of_pasted_pages_are_read(text, years):
    assert facts_of(text).min_years.value == years


# ------------------------------------------------------------------------------------------ cues

@pytest.mark.parametrize(
    ("text", "cues"),
    [
        ("Compensation: $130k plus equity.", {"salary"}),
        ("Gehalt: 55.000 € brutto", {"salary"}),
        ("4+ years of experience with Kotlin", {"experience_years"}),
        ("3 Jahre Berufserfahrung", {"experience_years"}),
        ("A bachelor's degree in a related field", {"degree"}),
        ("Abgeschlossenes Studium", {"degree"}),
        ("We raised $30M in 2023 and have a friendly team.", set()),
    ],
)
def test_fact_cues_name_the_facts_the_text_has_a_cue_for(text, cues):
    assert fact_cues(text) == cues


# ------------------------------------------------------------------------------------------ round 2

@pytest.mark.parametrize(
    ("location", "currency"),
    [("Geelong, VIC, AU", "AUD"), ("Kelowna, BC, CA", "CAD"), ("Napier, HB, NZ", "NZD"), ("Fresno, CA", "USD")],
)
def test_a_bare_dollar_is_the_dollar_of_the_postings_country(location, currency):
    assert salary_of("Hourly rate: $41.20 - $47.90 per hour", location)[2] == currency


def test_a_bare_dollar_stays_us_dollars_when_the_posting_says_usd():
    assert salary_of("Rate: $60 per hour, paid in USD.", "Geelong, VIC, AU")[2] == "USD"


def test_a_two_letter_country_after_a_region_is_the_country_not_a_us_state():
    assert currency_for_place("Moncton, NB, CA") == "CAD"
    assert currency_for_place("Modesto, CA, US") == "USD"


def test_a_listed_biweekly_salary_is_kept_weekly_and_quoted_as_listed():
    fact = facts_of("Warehouse role.", min_salary=1800, max_salary=2200, pay_period="biweekly").salary
    assert (fact.value.min, fact.value.max, fact.value.period) == (900, 1100, "weekly")
    assert "biweekly" in fact.evidence


def test_the_first_of_two_alternative_currencies_is_the_salary():
    text = "Contract terms:\n- 38-55 GBP or 44-64 EUR per hour - async team"
    assert salary_of(text) == (38, 55, "GBP", "hourly")


def test_an_upper_case_german_salary_line_is_read():
    text = "DEUTSCHLANDWEIT | AB SOFORT | STARTGEHALT: 46.000€ JAHRESGEHALT (VOLLZEIT)"
    assert salary_of(text) == (46000, 46000, "EUR", "yearly")


@pytest.mark.parametrize(
    ("text", "years"),
    [("Looking for: 2–4 yrs frontend, a love of tidy CSS.", 2),
     ("What we want: - 6+ years running Django in production - calm on call", 6),
     ("7+ years of software experience, including at least two years with Elixir.", 7),
     ("What we need: 4+ yrs Kotlin", 4)],
)
def test_years_in_requirement_lists_are_the_main_requirement(text, years):
    assert facts_of(text).min_years.value == years


@pytest.mark.parametrize(
    "text",
    ["We have 25+ years serving orchards in the valley.", "Camp for ages 3-5 years.", "Founded 12+ years ago."],
)
def test_history_and_ages_are_not_years_of_experience(text):
    assert facts_of(text).min_years is None


def test_a_language_in_the_title_counts_with_the_title_as_evidence():
    posting = Posting(id="t1", title="Staff Rust Engineer (Remote)", company="Ferrocline", text="We ship weekly.")
    (fact,) = extract_facts(posting).languages
    assert (fact.value, fact.origin) == ("Rust", "column") and "Staff Rust Engineer" in fact.evidence


def test_a_title_language_mentioned_in_the_text_quotes_the_text():
    posting = Posting(id="t2", title="Senior Go Developer", company="Ferrocline",
                      text="About us.\nOur services are Go and Postgres on bare metal.")
    (fact,) = extract_facts(posting).languages
    assert (fact.value, fact.evidence) == ("Go", "Our services are Go and Postgres on bare metal.")


@pytest.mark.parametrize(
    ("text", "value"),
    [("Arbeitszeit: Teilzeit (20 Std.)", "Part-time"), ("Job type: Werkstudent", "Part-time"),
     ("This is a contract-to-hire role.", "Contract"), ("Employment type: Full time", "Full-time")],
)
def test_work_types_are_read_by_the_one_vocabulary(text, value):
    assert facts_of(text).employment_type.value == value


def test_loose_question_words_are_not_read_as_a_work_type_from_running_text():
    assert facts_of("We are a W2 employer with an FTE headcount of 40; the gig economy is not us.").employment_type is None


# ---------------------------------------------------------------- pay stated per two periods; a second place

def test_pay_the_text_also_states_per_another_period_is_kept_beside_the_salary():
    p = Posting("t1", "Stock Handler", "Kerrow Supplies", "Pay: £27,000 - £31,000 per year.\n"
                "You are paid hourly, and rates range from £13/hr to £15/hr depending on shift.",
                location="Leeds, UK")
    facts = extract_facts(p)
    assert (facts.salary.value.min, facts.salary.value.period) == (27000, "yearly")
    assert [(o.value.min, o.value.max, o.value.period, o.value.currency) for o in facts.salary_other_periods] == [
        (13, 15, "hourly", "GBP")]
    p.facts = facts
    assert posting_from_dict(posting_to_dict(p)).facts.salary_other_periods == facts.salary_other_periods


@pytest.mark.parametrize("text", [
    "Pay: $52,000 a year. If you make less than $6,000 a month today, talk to us.",  # no pay word by the figure
    "Salary: $70,000 per year. We add $400 monthly toward your commute.",
    "Pay: $31/hour. Night shifts add $2/hour.",  # same period as the salary
])
def test_a_stray_figure_with_a_period_is_not_pay_in_another_period(text):
    assert extract_facts(Posting("t2", "Clerk", "Orrin Co", text, location="Austin, TX")).salary_other_periods == []


def test_a_labelled_place_line_that_names_another_place_is_kept_apart_from_the_listed_one():
    p = Posting("t3", "Ticket Agent", "Harbor Transit", "**Work Location:** Brooklyn - Atlantic Terminal\n"
                "Hours: nights and weekends.", location="Yonkers, NY, US")
    fact = extract_facts(p).location_text
    assert fact.value == "Brooklyn - Atlantic Terminal" and "Work Location" in fact.evidence


@pytest.mark.parametrize("line", ["Work Location: In person", "Location: 100% Remote", "Job Location: Yonkers, NY",
                                  "Location: on the road"])
def test_a_work_mode_or_the_same_place_is_no_second_place(line):
    p = Posting("t4", "Ticket Agent", "Harbor Transit", f"{line}\nHours: nights.", location="Yonkers, NY, US")
    assert extract_facts(p).location_text is None


@pytest.mark.parametrize("text, degree", [
    ("Graduation from high school or possession of a G.E.D. is required.", "HighSchool"),
    ("Applicants must be graduates of an accredited high school.", "HighSchool"),
    ("B.S in Chemistry or Biology with lab experience.", "Bachelor"),
    ("B.A degree in Communications preferred.", "Bachelor"),
])
def test_degrees_written_with_dots_left_off_or_as_graduation_are_read(text, degree):
    assert facts_of(text).degree.value == degree
