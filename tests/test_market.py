"""The market in numbers: pay figures and counts over the postings a question matches, and their chart."""

from __future__ import annotations

import csv
import statistics
from pathlib import Path

import pytest

from bot.answer import ANSWERED, NO_MATCH, NOT_STATED
from bot.chart import BARS, HEIGHT, HISTOGRAM, WIDTH, ChartSpec, png_size, render_png
from bot.query.market_words import market_question
from index.models import Fact, Posting, Salary

from catalogs import answerer_over

LINKEDIN_CSV = Path(__file__).resolve().parents[2] / "shared/data/postings/linkedin_arshkon_sample500/postings_sample.csv"


def posting(pid, title, location="", salary=None, remote=None, work_type=None, languages=()):
    p = Posting(id=pid, title=title, company=f"Company {pid}", text=f"{title} at Company {pid}.", location=location)
    if salary:
        p.facts.salary = Fact(Salary(*salary), f"Pay: {salary}", "text")
    if remote:
        p.facts.remote = Fact(remote, f"This role is {remote}.", "text")
    if work_type:
        p.facts.employment_type = Fact(work_type, f"Job type: {work_type}", "text")
    p.facts.languages = [Fact(lang, f"We use {lang}.", "text") for lang in languages]
    return p


POSTINGS = [
    posting("a1", "Data Engineer", "Albany, NY", (100000, 120000, "USD", "yearly"), "remote", "Full-time",
            ["Python", "SQL"]),
    posting("a2", "Data Engineer", "Buffalo, NY", (50, 60, "USD", "hourly"), "remote", "Contract", ["Python"]),
    posting("a3", "Data Engineer", "Rochester, NY", (140000, 160000, "USD", "yearly"), "on-site", "Full-time",
            ["Scala"]),
    posting("a4", "Data Engineer", "Syracuse, NY", None, "remote", "Full-time", ["Python"]),
    posting("a5", "Data Engineer", "Austin, TX", (90000, 90000, "USD", "yearly"), "remote", "Full-time", ["SQL"]),
    posting("a6", "Data Engineer", "Berlin, Germany", (60000, 70000, "EUR", "yearly"), "remote", "Full-time",
            ["Python"]),
    posting("a7", "Data Engineer", "Dallas, TX", (8000, 9000, "USD", "monthly"), "remote", "Full-time", ["Go"]),
    posting("b1", "Registered Nurse", "Austin, TX", (40, 50, "USD", "hourly"), "on-site", "Part-time"),
    posting("b2", "Registered Nurse", "Houston, TX", None, "on-site", "Full-time"),
]


@pytest.fixture(scope="module")
def answerer():
    return answerer_over(POSTINGS)


# --- which questions ask for the market

@pytest.mark.parametrize("question, kind", [
    ("what do remote Python roles pay?", "pay"),
    ("salary range for data engineers in NY", "pay"),
    ("median salary for nurses", "pay"),
    ("how much do nurses make in Texas?", "pay"),
    ("which languages are asked for most in remote roles?", "languages"),
    ("most common languages for data engineers", "languages"),
    ("how many postings per state?", "states"),
    ("postings by city", "cities"),
    ("how many jobs per work type?", "work_types"),
])
def test_questions_about_many_postings_ask_for_market_figures(question, kind):
    assert market_question(question)[0] == kind


@pytest.mark.parametrize("question", [
    "what does the Northwind backend role pay?",
    "what's the salary range for the backend role?",
    "what do they pay?",
    "which languages does the Northwind role want?",
    "which remote roles pay over $150k?",
    "is the nurse job in Texas?",
])
def test_questions_about_one_posting_or_a_list_are_not_market_questions(question):
    assert market_question(question)[0] is None


# --- pay

def test_pay_figures_rest_on_the_postings_stating_pay_with_hourly_counted_as_2080_hours(answerer):
    answer = answerer.ask("salary range for data engineers in NY")
    assert answer.status == ANSWERED and answer.intent == "market"
    (group,) = answer.figures["groups"]
    # a1 110,000; a2 55 an hour = 114,400 a year; a3 150,000 (a4 states none)
    assert group == {"currency": "USD", "period": "yearly", "postings": 3, "median": 114400.0,
                     "p25": 112200.0, "p75": 132200.0, "lowest": 100000.0, "highest": 160000.0, "from_hourly": 1}
    assert answer.figures["matched"] == 4 and answer.figures["no_pay"] == 1
    assert "4 postings" in answer.text and "3 state pay, 1 states none" in answer.text
    assert "median $114,400; middle half $112,200–$132,200; lowest–highest $100,000–$160,000" in answer.text
    assert "1 paid hourly, counted as 2,080 hours a year" in answer.text


def test_other_currencies_and_periods_keep_their_own_figures(answerer):
    answer = answerer.ask("what do remote data engineers make?")
    groups = {(g["currency"], g["period"]): g["postings"] for g in answer.figures["groups"]}
    assert groups == {("USD", "yearly"): 3, ("EUR", "yearly"): 1, ("USD", "monthly"): 1}
    assert "EUR a year, over 1 posting: €65,000" in answer.text
    assert "USD a month, over 1 posting: $8,500" in answer.text


def test_hourly_pay_asked_per_hour_stays_hourly(answerer):
    answer = answerer.ask("median hourly pay for nurses")
    (group,) = answer.figures["groups"]
    assert (group["period"], group["median"], group["from_hourly"]) == ("hourly", 45.0, 0)
    assert "USD an hour, over 1 posting: $45" in answer.text


def test_matching_postings_that_state_no_pay_are_counted_not_guessed(answerer):
    answer = answerer.ask("what do data engineers in New York state make?")
    assert answer.intent == "market" and "1 states none" in answer.text
    alone = answerer.ask("what do data engineers in Syracuse make?")  # the one match, which states none
    assert alone.status == NOT_STATED and "does not state a salary" in alone.text


def test_a_pay_question_nothing_matches_says_so(answerer):
    answer = answerer.ask("median salary for nurses in Ohio")
    assert answer.status == NO_MATCH and answer.figures["matched"] == 0


def test_the_pay_chart_is_a_histogram_of_the_largest_group(answerer):
    answer = answerer.ask("salary range for data engineers in NY")
    assert answer.chart.kind == HISTOGRAM
    assert sorted(answer.chart.values) == [110000.0, 114400.0, 150000.0]


def test_the_postings_behind_pay_figures_are_those_stating_pay_then_the_rest(answerer):
    answer = answerer.ask("postings behind: salary range for data engineers in NY")
    assert answer.is_list and answer.intent == "list"
    assert [p.id for p in answer.postings] == ["a3", "a2", "a1", "a4"]
    assert "then the 1 that state no pay" in answer.text
    assert answer.question.startswith("postings behind: ")  # a More button pages through the same list


def test_hourly_pay_with_no_yearly_pay_beside_it_stays_hourly(answerer):
    answer = answerer.ask("what do nurses pay?")
    (group,) = answer.figures["groups"]
    assert (group["period"], group["median"], group["from_hourly"]) == ("hourly", 45.0, 0)
    assert "USD an hour, over 1 posting: $45" in answer.text and "2,080" not in answer.text


def test_yearly_pay_asked_for_counts_hourly_pay_as_2080_hours(answerer):
    answer = answerer.ask("median salary for nurses per annum")
    (group,) = answer.figures["groups"]
    assert (group["period"], group["median"], group["from_hourly"]) == ("yearly", 93600.0, 1)
    assert "1 paid hourly, counted as 2,080 hours a year" in answer.text


@pytest.mark.parametrize("question", ["how much do data engineers make per hour?",
                                      "median pay for data engineers per hour"])
def test_a_period_asked_for_keeps_that_period_and_says_how_the_rest_are_paid(answerer, question):
    answer = answerer.ask(question)
    assert answer.status == ANSWERED
    assert [(g["currency"], g["period"], g["postings"]) for g in answer.figures["groups"]] == [("USD", "hourly", 1)]
    assert answer.figures["matched"] == 7 and answer.figures["other_unit"] == 5 and answer.figures["no_pay"] == 1
    assert "1 states pay an hour, 5 state it otherwise (" in answer.text and "1 states none" in answer.text
    assert "USD an hour, over 1 posting: $55" in answer.text


def test_a_currency_asked_for_keeps_that_currency(answerer):
    answer = answerer.ask("salary range for data engineers in euros")
    assert [(g["currency"], g["period"]) for g in answer.figures["groups"]] == [("EUR", "yearly")]
    assert "EUR a year, over 1 posting: €65,000" in answer.text


def test_a_currency_no_matching_posting_pays_in_says_what_they_pay_in(answerer):
    answer = answerer.ask("what do nurses make in euros?")
    assert answer.status == NOT_STATED and answer.figures["groups"] == []
    assert "None of the 2 matching postings (titled “nurses”) state pay in EUR" in answer.text
    assert "1 states pay in USD an hour" in answer.text


def test_a_pay_question_one_posting_matches_is_that_postings_answer_never_a_figure_over_one():
    one = answerer_over([POSTINGS[7], POSTINGS[8]])
    paid = one.ask("what do nurses in Austin make?")
    assert paid.intent != "market" and [p.id for p in paid.postings] == ["b1"] and "$40–$50 an hour" in paid.text
    unpaid = one.ask("what do nurses in Houston make?")
    assert unpaid.status == NOT_STATED and [p.id for p in unpaid.postings] == ["b2"]
    both = one.ask("what do nurses in Texas make?")
    assert both.intent == "market" and "1 posting" in both.text and "1 postings" not in both.text


def test_the_postings_behind_a_period_asked_for_list_the_others_before_those_without_pay(answerer):
    answer = answerer.ask("postings behind: how much do data engineers make per hour?")
    assert [p.id for p in answer.postings][:1] == ["a2"] and answer.postings[-1].id == "a4"
    assert "then the 5 paid per another period or currency, then the 1 that state no pay" in answer.text


# --- counts

def test_languages_asked_for_most_are_counted_over_the_matching_postings(answerer):
    answer = answerer.ask("which languages are asked for most in remote roles?")
    assert answer.figures["counts"] == [{"value": "Python", "postings": 4}, {"value": "SQL", "postings": 2},
                                        {"value": "Go", "postings": 1}]
    assert answer.figures["matched"] == 6
    assert "• Python — 4" in answer.text
    assert answer.chart.kind == BARS and answer.chart.labels == ["Python", "SQL", "Go"]


def test_postings_per_state_counts_every_posting_and_says_how_many_have_no_state(answerer):
    answer = answerer.ask("how many postings per state?")
    assert answer.figures["counts"] == [{"value": "NY", "postings": 4}, {"value": "TX", "postings": 4}]
    assert answer.figures["without"] == 1  # Berlin
    assert "9 postings; 1 is not placed in a US state" in answer.text


def test_postings_per_work_type(answerer):
    answer = answerer.ask("how many jobs per work type?")
    assert answer.figures["counts"][0] == {"value": "Full-time", "postings": 7}


# --- the chart

def test_charts_render_as_pngs_of_the_fixed_size():
    histogram = render_png(ChartSpec(HISTOGRAM, "Pay", values=[1.0, 2.0, 2.5, 9.0]))
    bars = render_png(ChartSpec(BARS, "Per state", labels=["NY", "TX"], counts=[4, 4]))
    assert png_size(histogram) == png_size(bars) == (WIDTH, HEIGHT)


def test_png_size_refuses_bytes_that_are_not_a_png():
    with pytest.raises(ValueError):
        png_size(b"GIF89a" + b"\0" * 30)


def test_the_terminal_writes_the_chart_and_prints_its_path(tmp_path, capsys):
    from bot.cli import _write_chart

    answer = answerer_over(POSTINGS).ask("how many postings per state?")
    path = _write_chart(answer, str(tmp_path / "states.png"))
    assert path == str(tmp_path / "states.png")
    assert png_size(Path(path).read_bytes()) == (WIDTH, HEIGHT)


# --- checked against the LinkedIn sample's own columns

def _linkedin_remote_yearly_pay() -> tuple[list[float], int, int]:
    """(yearly figures, postings matched, postings without pay) of remote rows, computed from the CSV columns:
    the middle of min/max (else the median column), hourly x 2,080; only USD yearly and hourly rows."""
    csv.field_size_limit(10**9)
    with LINKEDIN_CSV.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["remote_allowed"] in ("1", "1.0")]
    figures, unpaid = [], 0
    for r in rows:
        low, high, med = (float(r[k]) if r[k] else None for k in ("min_salary", "max_salary", "med_salary"))
        if low is None and high is None and med is None:
            unpaid += 1
            continue
        if r["pay_period"] not in ("YEARLY", "HOURLY") or (r["currency"] or "USD") != "USD":
            continue
        low, high = (low, high) if low is not None or high is not None else (med, med)
        low, high = (low if low is not None else high), (high if high is not None else low)
        figures.append((low + high) / 2 * (2080 if r["pay_period"] == "HOURLY" else 1))
    return figures, len(rows), unpaid


@pytest.mark.shared
@pytest.mark.skipif(not LINKEDIN_CSV.is_file(), reason="needs ../shared/data/postings (the LinkedIn sample); not present")
def test_remote_pay_figures_match_an_independent_computation_over_the_linkedin_columns():
    from index.extract import extract_facts
    from index.loaders import load_postings

    postings = load_postings([LINKEDIN_CSV.parent]).postings
    for p in postings:
        p.facts = extract_facts(p)
    answer = answerer_over(postings).ask("what do remote roles pay?")

    figures, matched, unpaid = _linkedin_remote_yearly_pay()
    q1, median, q3 = statistics.quantiles(figures, n=4, method="inclusive")
    group = next(g for g in answer.figures["groups"] if (g["currency"], g["period"]) == ("USD", "yearly"))
    assert answer.figures["matched"] == matched and answer.figures["no_pay"] == unpaid
    assert group["postings"] == len(figures)
    assert group["median"] == pytest.approx(statistics.median(figures))
    assert (group["p25"], group["p75"]) == (pytest.approx(q1), pytest.approx(q3))
    assert f"median ${statistics.median(figures):,.0f}" in answer.text


def test_the_terminal_names_a_chart_path_it_cannot_write_and_still_answers(tmp_path, capsys):
    from bot.cli import _write_chart

    answer = answerer_over(POSTINGS).ask("how many postings per state?")
    path = _write_chart(answer, str(tmp_path / "no-such-folder" / "states.png"))
    assert path is None
    err = capsys.readouterr().err
    assert "couldn't write the chart to" in err and "no-such-folder" in err


# --- phrasings of a pay-over-many-postings question, and of questions that are not one (made up here)

ROLES = [("data engineer", "data engineers"), ("nurse", "nurses"), ("welder", "welders"), ("designer", "designers"),
         ("accountant", "accountants"), ("electrician", "electricians"), ("pharmacist", "pharmacists"),
         ("warehouse associate", "warehouse associates")]
PLACES = ["", " in Ohio", " in Austin", " in TX"]
PERIODS = ["", " per hour", " a year"]
MARKET_TEMPLATES = [
    "what's the hourly rate for {plural}{place}?",
    "typical salary for {plural}{place}{period}",
    "how much do remote {plural} earn{period}?",
    "how much do {plural} earn{place}{period}?",
    "pay for {plural}{place}{period}",
    "what's the average pay for {plural}{place}{period}?",
    "what do {plural} make{place}{period}?",
    "how much are {plural} paid{place}{period}?",
    "what are {plural} paid{place}{period}?",
    "what does {a} {role} make{place}{period}?",
    "how much does an average {role} earn{place}{period}?",
    "{plural} salaries{place}",
    "{role} salaries{place}",
    "{role} pay{place}{period}",
    "average {role} salary{place}",
    "salary for {plural}{place}",
    "wages for {plural}{place}{period}",
    "what's the going rate for {plural}{place}{period}?",
    "what is the salary of {plural}{place}?",
    "how well are {plural} paid{place}?",
    "what can {a} {role} expect to earn{place}{period}?",
    "what's a normal wage for {plural}{place}{period}?",
    "hourly pay for {plural}{place}",
    "what's the pay like for {plural}{place}?",
    "compensation for {plural}{place}",
    "how much money do {plural} make{place}{period}?",
    "what's the rate for {plural}{period}{place}?",
    "what kind of salary do {plural} get{place}?",
]
OTHER_TEMPLATES = [  # one posting's pay, or a list of postings filtered by pay: never a market question
    "what does the {company} {role} role pay{period}?",
    "what's the hourly rate for the {company} {role} job?",
    "how much does the {role} job{place} pay{period}?",
    "what's the salary for the {role} position at {company}?",
    "what is the {company} {role} paid?",
    "how much is the {role} at {company} paid{period}?",
    "does the {company} {role} posting list a salary?",
    "is the {company} {role} role paid hourly?",
    "{role} jobs over $30 an hour{place}",
    "which {role} roles pay over $100k?",
    "{role} jobs that pay hourly{place}",
    "show me {role} jobs paying at least $25 per hour{place}",
    "list {role} jobs with a salary{place}",
    "are there {role} jobs{place} paying $20 an hour?",
    "{role} jobs without a salary{place}",
    "{plural} earning over $50 an hour{place}",
    "what does it pay{period}?",
    "how much do they pay{period}?",
    "pay for the {role} role at {company}{period}",
    "what is the salary of the {company} {role}?",
    "what's the rate for the {role} job{place}?",
    "what's the pay like at the {company} {role} job?",
    "{company}'s {role} salary",
    "what does {company}'s {role} make{period}?",
    "what's the going rate for the {company} {role} role?",
    "how much money does the {role} position{place} pay?",
    "how much is the {company} {role} paid{period}?",
    "what do these {role} roles pay{period}?",
    "what's the turnover rate for {plural}{place}?",
    "what skills make a good {role}?",
    "which {role} jobs pay the most{place}?",
    "do any {role} roles{place} pay weekly?",
    "{role} jobs paying weekly{place}",
    "how many {role} jobs{place} list a salary?",
]
COMPANIES = ["Acme", "Northwind", "Harbortide"]


def phrasings(templates, roles=ROLES, places=PLACES, periods=PERIODS):
    """Every template filled with every role, place and period it has room for, each phrasing once."""
    out: dict[str, None] = {}
    for k, template in enumerate(templates):
        for i, (role, plural) in enumerate(roles):
            for place in places if "{place}" in template else [""]:
                for period in periods if "{period}" in template else [""]:
                    company = COMPANIES[(i + k) % len(COMPANIES)]
                    a = "an" if role[0] in "aeiou" else "a"
                    out[template.format(role=role, plural=plural, place=place, period=period, company=company,
                                        a=a)] = None
    return list(out)


def read_as(question):
    """The market kind the question parser reads (the whole parse: filler stripped, as the bot reads it)."""
    from bot.question import parse_question

    return parse_question(question).market


def catalog_postings():
    """Each role at each company, in Ohio or Texas, paid yearly or hourly, one of them remote (a catalog to read
    phrasings against)."""
    out = []
    for i, (role, _plural) in enumerate(ROLES):
        for k, company in enumerate(COMPANIES):
            pay = (60000 + 5000 * i, 70000 + 5000 * i, "USD", "yearly") if k != 1 else (25 + i, 30 + i, "USD", "hourly")
            p = posting(f"{company[:2].lower()}{i}", role.title(), ["Columbus, OH", "Austin, TX", "Dallas, TX"][k], pay,
                        "remote" if k == 2 else "on-site")
            p.company = f"{company} Inc"
            out.append(p)
    return out


def test_every_made_up_phrasing_of_a_pay_question_over_many_postings_reads_as_one():
    questions = phrasings(MARKET_TEMPLATES)
    assert len(questions) >= 100
    assert [q for q in questions if read_as(q) != "pay"] == []


def test_no_made_up_phrasing_of_a_one_posting_or_list_question_reads_as_a_market_question():
    questions = phrasings(OTHER_TEMPLATES)
    assert len(questions) >= 100
    assert [q for q in questions if read_as(q) is not None] == []


@pytest.fixture(scope="module")
def roles_catalog():
    return answerer_over(catalog_postings())


def test_pay_phrasings_are_answered_with_figures_over_the_roles_they_name(roles_catalog):
    questions = phrasings(MARKET_TEMPLATES, roles=ROLES[::3], places=["", " in TX"], periods=["", " per hour"])
    answers = {q: roles_catalog.ask(q) for q in questions}
    # figures over the role's postings (not all 24); a role only one posting has is that posting's answer
    assert [q for q, a in answers.items() if a.intent != "market" and len(a.postings) != 1] == []
    assert [q for q, a in answers.items() if a.intent == "market" and a.figures["matched"] not in (2, 3)] == []


def test_one_posting_and_list_phrasings_are_not_answered_with_market_figures(roles_catalog):
    questions = phrasings(OTHER_TEMPLATES, roles=ROLES[::3], places=["", " in TX"], periods=["", " per hour"])
    assert [q for q in questions if roles_catalog.ask(q).intent == "market"] == []


def test_a_company_and_role_naming_one_posting_is_answered_by_that_posting(roles_catalog):
    one = roles_catalog.ask("Acme welder pay")
    assert one.intent != "market" and [p.id for p in one.postings] == ["ac2"]
    many = roles_catalog.ask("welder pay in TX")
    assert many.intent == "market" and many.figures["matched"] == 2


@pytest.mark.parametrize("question, many", [
    ("Tamsin Bistro sous chef salary", False), ("campus analyst pay", False), ("glass technician pay", False),
    ("what do bus drivers make?", True), ("what does a welder make?", True), ("Acme welder pay", False),
])
def test_words_ending_in_s_that_are_no_plural_do_not_make_a_question_about_many(question, many):
    from bot.query.market_words import speaks_of_many

    assert speaks_of_many(question) is many


def test_a_pay_question_only_one_posting_matches_gets_that_postings_own_cited_answer(answerer):
    answer = answerer.ask("what's the pay for a data engineer in Berlin?")
    assert answer.intent != "market" and [p.id for p in answer.postings] == ["a6"]
    assert "60,000" in answer.text and answer.evidence


def test_a_role_at_a_company_named_by_part_of_its_name_is_that_postings_question():
    rep = Posting(id="q1", title="Customer Service Representative", company="Quillmere Division",
                  text="Answer customer calls. Pay: $40,000 - $50,000 a year.")
    rep.facts.salary = Fact(Salary(40000, 50000, "USD", "yearly"), "Pay: $40,000 - $50,000 a year.", "text")
    other = Posting(id="q2", title="Customer Service Representative", company="Brightwell Outfitters",
                    text="Help shoppers by phone. Pay: $30,000 - $35,000 a year.")
    other.facts.salary = Fact(Salary(30000, 35000, "USD", "yearly"), "Pay: $30,000 - $35,000 a year.", "text")
    answerer = answerer_over([rep, other])
    answer = answerer.ask("customer service rep at Quillmere - pay?")
    assert answer.intent != "market" and [p.id for p in answer.postings] == ["q1"]
    assert "40,000" in answer.text
    many = answerer.ask("what do customer service reps make?")
    assert many.intent == "market" and many.figures["matched"] == 2
