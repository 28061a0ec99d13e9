"""index.money: currencies, periods, amounts, pay statements in text, salary fields and the one rendering."""

from __future__ import annotations

import pytest

from index.models import PERIODS, Salary
from index.money import (
    PERIOD_WORDS,
    currency_code,
    find_pay,
    normalize_period,
    parse_amount,
    parse_pay,
    pay_without_figure,
    read_period,
    render_money,
)


def pay(text: str, **kwargs) -> list[tuple]:
    return [(m.min, m.max, m.currency, m.likely_period, m.kind) for m in find_pay(text, **kwargs)]


# ------------------------------------------------------------------------------------------ currencies

@pytest.mark.parametrize(
    ("token", "code"),
    [
        ("$", "USD"), ("US$", "USD"), ("€", "EUR"), ("£", "GBP"), ("₹", "INR"), ("A$", "AUD"), ("AU$", "AUD"),
        ("C$", "CAD"), ("CA$", "CAD"), ("CHF", "CHF"), ("zł", "PLN"), ("PLN", "PLN"), ("usd", "USD"),
        ("Eur", "EUR"), ("euros", "EUR"), ("pounds", "GBP"), ("rupees", "INR"), ("dollars", "USD"),
        ("Swiss francs", "CHF"), ("SEK", "SEK"), ("NZ$", "NZD"), ("Euro", "EUR"), ("Rs.", "INR"),
    ],
)
def test_currency_code_reads_symbols_codes_in_any_case_and_names(token, code):
    assert currency_code(token) == code


@pytest.mark.parametrize("token", ["", "abc", "hours", "k", None])
def test_currency_code_is_none_for_what_is_not_a_currency(token):
    assert currency_code(token) is None


# ------------------------------------------------------------------------------------------ periods

@pytest.mark.parametrize(
    ("written", "period"),
    [
        ("Annually", "yearly"), ("per annum", "yearly"), ("a year", "yearly"), ("/yr", "yearly"), ("yr", "yearly"),
        ("p.a.", "yearly"), ("LPA", "yearly"), ("pro Jahr", "yearly"), ("jährlich", "yearly"),
        ("/hr", "hourly"), ("per hour", "hourly"), ("hourly", "hourly"), ("ph", "hourly"), ("pro Stunde", "hourly"),
        ("monthly", "monthly"), ("/mo", "monthly"), ("monatlich", "monthly"), ("pcm", "monthly"),
        ("weekly", "weekly"), ("daily", "daily"), ("day rate", "daily"), ("HOURLY", "hourly"),
    ],
)
def test_normalize_period_reads_english_german_and_abbreviated_periods(written, period):
    assert normalize_period(written) == period


@pytest.mark.parametrize("written", [None, "", "sometimes", "per project", True])
def test_normalize_period_is_none_for_what_is_not_a_period(written):
    assert normalize_period(written) is None


# ------------------------------------------------------------------------------------------ amounts

@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("95k", 95_000), ("$2.5M", 2_500_000), ("175,000", 175_000), ("175000", 175_000),
        ("48.000 €", 48_000), ("7,5", 7.5), ("12,75 €", 12.75), ("9 LPA", 900_000), ("12 lakh", 1_200_000),
        ("2.5 crore", 25_000_000), ("CHF 135'000", 135_000), ("€ 52.000,-", 52_000), ("1.234,56", 1234.56),
    ],
)
def test_parse_amount_reads_every_number_notation(written, amount):
    assert parse_amount(written) == pytest.approx(amount)


def test_german_thousands_separator_is_read_as_thousands():
    assert parse_amount("61.500 €") == 61_500


def test_german_decimal_comma_is_read_as_a_decimal():
    assert parse_amount("14,20") == pytest.approx(14.2)


def test_parse_amount_is_none_without_a_figure():
    assert parse_amount("competitive") is None


# ------------------------------------------------------------------------------------------ pay in text

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pay band: 135000 - 185000 USD Annually", [(135_000, 185_000, "USD", "yearly", "range")]),
        ("Base: $145k – $195k", [(145_000, 195_000, "USD", "yearly", "range")]),
        ("Comp: €70k - €95k plus options", [(70_000, 95_000, "EUR", "yearly", "range")]),
        ("Gross pay ~€72k-€88k", [(72_000, 88_000, "EUR", "yearly", "range")]),
        ("Vergütung: 41.000 € – 52.000 € pro Jahr", [(41_000, 52_000, "EUR", "yearly", "range")]),
        ("Salary £38,500 - £46,000 per annum", [(38_500, 46_000, "GBP", "yearly", "range")]),
        ("CTC ₹7 LPA to 11 LPA", [(700_000, 1_100_000, "INR", "yearly", "range")]),
        ("Package: 8 - 12 LPA", [(800_000, 1_200_000, "INR", "yearly", "range")]),
        ("The rate is $62/hr on a W2.", [(62, 62, "USD", "hourly", "exact")]),
        ("You'll make $31 an hour to start.", [(31, 31, "USD", "hourly", "exact")]),
        ("Salary up to $185k for the right person", [(None, 185_000, "USD", "yearly", "up_to")]),
        ("Pay starting from $27/hour", [(27, None, "USD", "hourly", "from")]),
        ("Salary: CHF 142'000 per year", [(142_000, 142_000, "CHF", "yearly", "exact")]),
        ("Salary between 65 and 80k EUR", [(65_000, 80_000, "EUR", "yearly", "range")]),
        ("Gehalt: ab 58.000 € brutto", [(58_000, None, "EUR", "yearly", "from")]),
        ("Stundenlohn 16,80 €", [(16.8, 16.8, "EUR", "hourly", "exact")]),
        ("Day rate: £525-£600 outside IR35", [(525, 600, "GBP", "daily", "range")]),
        ("Monatsgehalt 3.800 € brutto", [(3800, 3800, "EUR", "monthly", "exact")]),
        ("Gehalt zwischen 2800-3300€ mtl", [(2800, 3300, "EUR", "monthly", "range")]),
        ("Staff Engineer | Remote | AU$160k–AU$190k", [(160_000, 190_000, "AUD", "yearly", "range")]),
        ("Compensation: C$95,000 to C$115,000 a year", [(95_000, 115_000, "CAD", "yearly", "range")]),
        ("Wynagrodzenie: 14 000 zł monthly", [(14_000, 14_000, "PLN", "monthly", "exact")]),
        ("Salary: 52 000 € per year", [(52_000, 52_000, "EUR", "yearly", "exact")]),
        ("CTC: ₹9,50,000 - ₹14,00,000 per annum", [(950_000, 1_400_000, "INR", "yearly", "range")]),
        ("Engineer | Equity | 95k-125k (depending on experience)", [(95_000, 125_000, None, "yearly", "range")]),
        ("Hourly pay: $3-$6 USD/hr for remote reviewers", [(3, 6, "USD", "hourly", "range")]),
    ],
)
def test_find_pay_reads_every_notation_of_a_pay_statement(text, expected):
    assert pay(text) == expected


def test_find_pay_keeps_each_tier_of_a_tiered_statement():
    text = "Austin: $128k–$152k; Remote (US): $118k–$140k"
    assert [(m.min, m.max) for m in find_pay(text)] == [(128_000, 152_000), (118_000, 140_000)]


def test_find_pay_gives_the_span_and_words_of_each_statement():
    text = "We offer a salary of €61,000 per year and great coffee."
    mention = find_pay(text)[0]
    assert text[mention.start:mention.end] == mention.text == "€61,000 per year"


def test_find_pay_leaves_the_currency_unset_when_none_is_written():
    mention = find_pay("Salary range: 88,000 - 97,000")[0]
    assert mention.currency is None and mention.to_salary("GBP").currency == "GBP"


@pytest.mark.parametrize(
    "text",
    [
        "We closed a $42M Series B last spring.",
        "Our platform raised $8 million from investors.",
        "Revenue grew to $300k per month.",
        "A 401(k) with 6% match.",
        "Requires 5 years of experience.",
        "This is a 40 hours a week role.",
        "We serve 25,000 customers across 12 countries.",
        "Call us at 555-867-5309 to apply.",
        "Applications close on 15.09.2025.",
        "Worked here 2018-2022 in two teams.",
        "You get a $3,000 signing bonus.",
        "Annual learning budget of €1,500.",
        "Our ARR crossed £12m this year.",
        "Must be able to lift 50 pounds.",
        "We grew 30% year over year.",
        "Team of 60 and growing.",
    ],
)
def test_find_pay_leaves_out_funding_revenue_benefits_and_other_figures(text):
    assert find_pay(text) == []


def test_find_pay_reads_a_bare_figure_as_pay_only_in_a_salary_field():
    assert find_pay("70000 - 85000") == []
    assert pay("70000 - 85000", assume_pay=True) == [(70_000, 85_000, None, "yearly", "range")]


# ------------------------------------------------------------------------------------------ salary fields

@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("$92k - $118k", Salary(92_000, 118_000, "USD", "yearly")),
        ("USD 64,000-71,000 per year", Salary(64_000, 71_000, "USD", "yearly")),
        ("£13.10 - £14.60 an hour", Salary(13.10, 14.60, "GBP", "hourly")),
        ("€4,200 monthly", Salary(4200, 4200, "EUR", "monthly")),
        ("83000", Salary(83_000, 83_000, "USD", "yearly")),
    ],
)
def test_parse_pay_reads_a_salary_field(field, expected):
    assert parse_pay(field) == expected


@pytest.mark.parametrize("field", ["Competitive", "DOE", "", None, "Negotiable"])
def test_parse_pay_is_none_for_a_field_without_a_figure(field):
    assert parse_pay(field) is None


@pytest.mark.parametrize(
    "text", ["DOE", "Competitive salary", "Pay depending on experience", "Wir bieten ein attraktives Gehalt"]
)
def test_pay_without_figure_recognises_pay_talk_with_no_number(text):
    assert pay_without_figure(text)


@pytest.mark.parametrize("text", ["Salary: $80k", "We are a competitive team of climbers", ""])
def test_pay_without_figure_is_false_with_a_figure_or_without_pay_talk(text):
    assert not pay_without_figure(text)


# ------------------------------------------------------------------------------------------ rendering

@pytest.mark.parametrize(
    ("salary", "shown"),
    [
        (Salary(85_000, 110_000, "EUR", "yearly"), "€85,000–€110,000 a year"),
        (Salary(12.35, 12.35, "GBP", "hourly"), "£12.35 an hour"),
        (Salary(500_000, 800_000, "INR", "yearly"), "₹500,000–₹800,000 a year"),
        (Salary(40, None, "USD", "hourly"), "from $40 an hour"),
        (Salary(None, 6_000, "CHF", "monthly"), "up to CHF 6,000 a month"),
    ],
)
def test_render_money_shows_figure_currency_and_period(salary, shown):
    assert render_money(salary) == shown


# ------------------------------------------------------------------------------------------ round 2



@pytest.mark.parametrize("written", [w for words in PERIOD_WORDS.values() for w in words])
def test_normalize_period_only_ever_gives_one_of_the_model_periods(written):
    assert normalize_period(written) in PERIODS


def test_a_fortnightly_figure_is_kept_as_the_same_pay_a_week():
    assert read_period("every two weeks") == ("weekly", 0.5)
    (mention,) = find_pay("Take-home pay: £1,300 per fortnight")
    assert (mention.min, mention.currency, mention.period) == (650, "GBP", "weekly")


def test_alternatives_in_two_currencies_share_the_period_and_the_first_comes_first():
    mentions = find_pay("- 30-42 CHF or 31-44 EUR an hour, invoiced monthly")
    assert [(m.min, m.max, m.currency, m.period) for m in mentions] == [
        (30, 42, "CHF", "hourly"), (31, 44, "EUR", "hourly")]
    assert mentions[0].rank >= mentions[1].rank


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ZIELGEHALT: 62.500€ JAHRESGEHALT", (62500, 62500, "EUR", "yearly")),
        ("Grundgehalt: 3.900 € Monatsgehalt", (3900, 3900, "EUR", "monthly")),
    ],
)
def test_german_compound_pay_words_label_a_figure_in_any_case(text, expected):
    (mention,) = find_pay(text)
    assert (mention.min, mention.max, mention.currency, mention.period) == expected


def test_a_bare_dollar_sign_is_marked_so_the_place_can_name_the_dollar():
    assert find_pay("Pay: $31 an hour")[0].dollar_sign
    assert not find_pay("Pay: US$31 an hour")[0].dollar_sign


@pytest.mark.parametrize("text, expected", [
    ("rates range from £13/hr to £15/hr", (13, 15, "GBP", "hourly", "range")),
    ("Pay: $20 per hour to $25 per hour", (20, 25, "USD", "hourly", "range")),
    ("$40k/yr - $50k/yr base", (40000, 50000, "USD", "yearly", "range")),
])
def test_a_range_that_writes_the_period_after_each_figure_is_one_range(text, expected):
    assert pay(text)[0] == expected


def test_a_period_after_one_figure_does_not_join_an_unrelated_figure_after_and():
    assert pay("We pay $50/hour and $60 for weekend call-outs")[0] == (50, 50, "USD", "hourly", "exact")
