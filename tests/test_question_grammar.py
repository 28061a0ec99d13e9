"""The question grammar as one: typed filters, negations and bounds from many phrasings (invented examples)."""

from __future__ import annotations

import pytest

from bot.query.lexer import lex
from bot.query.typos import correct_word
from bot.question import parse_question


def f(question: str, **kw):
    return parse_question(question, **kw).filters


# ---------------------------------------------------------------- negation and its scope

NOT_REMOTE = [
    "freelance gigs that are not remote",
    "which temp roles aren't remote?",
    "non-remote openings",
    "show me nonremote-free jobs that are NOT remote",
    "ohio jobs where you cannot work from home",
    "positions where I can't work remotely",
    "jobs that don't allow wfh",
    "any openings that are never remote?",
    "roles other than remote ones",
    "list jobs excluding remote",
    "which postings isn't remote",
    "jobs, not remote",
]


@pytest.mark.parametrize("question", NOT_REMOTE)
def test_a_negated_remote_word_excludes_remote_postings(question):
    filters = f(question)
    assert "remote" in filters.remote_not
    assert filters.remote is None


@pytest.mark.parametrize("question", ["on-site only roles", "in person jobs please", "which jobs are in-office?"])
def test_on_site_means_neither_remote_nor_hybrid(question):
    filters = f(question)
    assert set(filters.remote_not) == {"remote", "hybrid"} and filters.remote is None


@pytest.mark.parametrize("question, remote, work_type", [
    ("remote jobs that are not contract", "remote", None),
    ("not contract but remote", "remote", None),
    ("contract roles that are remote", "remote", "Contract"),
    ("hybrid roles, no internships", "hybrid", None),
])
def test_negation_does_not_cross_a_clause_to_another_facet(question, remote, work_type):
    filters = f(question)
    assert filters.remote == remote and filters.work_type == work_type
    assert "remote" not in filters.remote_not


@pytest.mark.parametrize("question, excluded", [
    ("jobs with no contract", "Contract"), ("non-contract positions in Ohio", "Contract"),
    ("roles that are not part-time", "Part-time"), ("anything except internships", "Internship"),
    ("openings that aren't temporary", "Temporary"),
])
def test_a_negated_work_type_is_excluded(question, excluded):
    filters = f(question)
    assert excluded in filters.work_type_not and filters.work_type is None


@pytest.mark.parametrize("question, code", [
    ("remote roles not in Ohio", "OH"), ("jobs outside Oregon", "OR"), ("postings outside of Nevada", "NV"),
    ("any openings except Georgia?", "GA"),
])
def test_a_negated_state_is_excluded(question, code):
    filters = f(question)
    assert code in filters.states_not and code not in filters.states


def test_not_remote_or_hybrid_negates_both():
    assert set(f("jobs that are not remote or hybrid").remote_not) == {"remote", "hybrid"}


@pytest.mark.parametrize("question", ["roles without Kotlin", "which jobs don't need Kotlin?", "no Kotlin jobs"])
def test_a_negated_language_is_excluded(question):
    filters = f(question)
    assert filters.languages_not == ["Kotlin"] and filters.languages == []


def test_a_company_named_remote_is_not_a_remote_filter():
    assert f("what does Remote Labs pay its designers?").remote is None


# ---------------------------------------------------------------- quantities: years are never pay

@pytest.mark.parametrize("question, years", [
    ("roles needing at least 6 years experience", 6), ("jobs asking 3+ yrs", 3), ("positions with 4+ years", 4),
    ("openings that want over 7 years of experience", 7), ("jobs requiring minimum 2 years", 2),
])
def test_a_year_count_with_a_floor_is_experience_never_pay(question, years):
    filters = f(question)
    assert filters.min_years == years
    assert filters.salary_over is None and filters.salary_floor is None and filters.salary_under is None


@pytest.mark.parametrize("question, years", [
    ("jobs needing less than 2 years experience", 2), ("roles asking at most 3 yrs", 3),
    ("positions under 4 years of experience", 4), ("entry level jobs", 1),
])
def test_a_year_count_with_a_ceiling_is_the_most_experience_asked(question, years):
    filters = f(question)
    assert filters.max_years == years and filters.salary_under is None and filters.salary_top_under is None


@pytest.mark.parametrize("question", ["jobs with 40 hours a week over $30 an hour", "over 20 hours per week roles"])
def test_hours_are_neither_pay_nor_experience(question):
    filters = f(question)
    assert filters.min_years is None
    if "$30" in question:
        assert filters.salary_over == 30 * 2080
    else:
        assert filters.salary_over is None


# ---------------------------------------------------------------- pay bounds

@pytest.mark.parametrize("question, over", [
    ("roles paying over $95k", 95_000), ("jobs above 130,000 a year", 130_000), ("postings with pay > $88k", 88_000),
    ("jobs paying more than £45k", 45_000), ("which roles pay 140k+", 140_000), ("jobs 110k or more", 110_000),
    ("roles paying north of 175 grand", 175_000), ("jobs over $35 an hour", 35 * 2080),
    ("jobs over 160 a year", 160_000), ("six-figure roles", 99_999),
])
def test_over_a_figure_bounds_the_top_of_the_range(question, over):
    filters = f(question)
    assert filters.salary_over == pytest.approx(over)
    assert filters.salary_floor is None


@pytest.mark.parametrize("question, floor", [
    ("roles where pay starts at 105k/yr or more", 105_000), ("jobs starting at $28/hr", 28 * 2080),
    ("which jobs pay at least 90k even at the bottom?", 90_000), ("positions whose lowest pay is over $70k", 70_000),
    ("roles with a floor above 85k", 85_000), ("gigs that begin at 25/hr+", 25 * 2080),
    ("openings paying at least 22 dollars an hour to start", 22 * 2080), ("at least 95k to begin with?", 95_000),
])
def test_a_bottom_word_makes_the_figure_a_floor_on_the_bottom_of_the_range(question, floor):
    assert f(question).salary_floor == pytest.approx(floor)


@pytest.mark.parametrize("question, ceiling", [
    ("roles that top out under $65k", 65_000), ("jobs with a ceiling below 70k", 70_000),
])
def test_a_top_word_makes_the_figure_a_ceiling(question, ceiling):
    filters = f(question)
    assert filters.salary_top_under == pytest.approx(ceiling) and filters.salary_under is None


@pytest.mark.parametrize("question, ceiling", [
    ("roles paying $180k max", 180_000), ("jobs at most 75k a year", 75_000), ("postings paying up to 60k", 60_000),
    ("no more than $22 an hour jobs", 22 * 2080),
])
def test_at_most_keeps_the_figure_itself(question, ceiling):
    assert f(question).salary_top_under == pytest.approx(ceiling + 0.01)


@pytest.mark.parametrize("question, under", [
    ("jobs paying under $55k", 55_000), ("roles below 18/hr", 18 * 2080), ("positions less than 40k", 40_000),
])
def test_under_a_figure_bounds_the_bottom_of_the_range(question, under):
    filters = f(question)
    assert filters.salary_under == pytest.approx(under) and filters.salary_top_under is None


@pytest.mark.parametrize("question, low, high", [
    ("roles paying between $90k and $125k", 90_000, 125_000), ("jobs from 70k to 95k", 70_000, 95_000),
    ("positions paying $80k-$110k", 80_000, 110_000), ("jobs over 140k but under 190k", 140_000, 190_000),
    ("roles between 30 and 45 an hour", 30 * 2080, 45 * 2080),
])
def test_a_range_in_the_question_keeps_postings_whose_range_overlaps_it(question, low, high):
    filters = f(question)
    assert filters.salary_over == pytest.approx(low) and filters.salary_under == pytest.approx(high)


@pytest.mark.parametrize("question, currency", [
    ("jobs paying over €55k", "EUR"), ("roles above £40k", "GBP"), ("€70k roles", "EUR"),
    ("jobs over 50k EUR", "EUR"), ("roles paying over $100k", "USD"), ("jobs over 100k", "USD"),
])
def test_the_currency_named_is_kept_and_usd_is_the_default(question, currency):
    assert f(question).currency == currency


def test_german_thousands_separator_is_read_as_thousands():
    assert f("Stellen über 65.000 € jobs paying over 65.000 €").salary_over == 65_000


@pytest.mark.parametrize("question, period", [
    ("hourly roles over $30", "hourly"), ("which gigs pay by the hour over 25?", "hourly"),
    ("jobs over $30 an hour", "hourly"), ("roles over $120k a year", "yearly"), ("monthly paid jobs over 5k", "monthly"),
    ("roles over 120k", None), ("anything paying more than $95,000?", None),
])
def test_a_period_named_for_the_jobs_or_with_the_figure_keeps_pay_of_that_period(question, period):
    assert f(question).pay_period == period


@pytest.mark.parametrize("question, period", [
    ("cleaning gigs paid p/h", "hourly"), ("welding jobs paid per hr", "hourly"), ("analyst roles paid /yr", "yearly"),
    ("tutor jobs paid p.a.", "yearly"), ("locum roles paid per day", "daily"), ("nanny jobs paid per wk", "weekly"),
    ("remote roles in PA", None), ("shifts ending at 5 pm", None), ("jobs with flexible hours", None),
])
def test_a_period_written_as_an_abbreviation_of_the_money_vocabulary_is_read_as_that_period(question, period):
    assert f(question).pay_period == period


@pytest.mark.parametrize("question", ["top 5 remote roles", "jobs posted in 2024 in Ohio", "roles in 3 cities"])
def test_a_plain_number_outside_a_pay_context_is_not_pay(question):
    filters = f(question)
    assert filters.salary_over is None and filters.salary_under is None and filters.salary_floor is None


# ---------------------------------------------------------------- places

@pytest.mark.parametrize("question, states", [
    ("jobs in Ohio", ["OH"]), ("any roles in socal or cali?", ["CA"]), ("TX roles", ["TX"]), ("jobs in tx", ["TX"]),
    ("which postings are in NM?", ["NM"]), ("roles in Washington state", ["WA"]),
    ("jobs in new jersey or new york", ["NJ", "NY"]),
])
def test_states_by_name_code_and_nickname(question, states):
    assert [s for s in f(question).states] == states or set(states) <= set(f(question).states)


@pytest.mark.parametrize("question", ["can you tell me or show me jobs", "give me ok roles", "are any roles in it?"])
def test_words_that_are_state_codes_are_words(question):
    assert f(question).states == []


@pytest.mark.parametrize("question, city, state", [
    ("jobs in Tulsa", "tulsa", "OK"), ("denver roles?", "denver", "CO"), ("anything in Boise, ID", "boise", "ID"),
    ("omaha ne jobs", "omaha", "NE"), ("philly openings", "philadelphia", "PA"), ("NYC gigs", "new york city", "NY"),
])
def test_cities_by_name_with_state_and_by_nickname(question, city, state):
    filters = f(question)
    place = next(p for p in filters.places if p.kind == "city")
    assert place.value == city and place.state == state
    assert state not in filters.states  # "Boise, ID" is Boise, not all of Idaho


@pytest.mark.parametrize("question, country", [
    ("jobs in Germany", "DE"), ("roles in the UK", "GB"), ("any openings in Portugal?", "PT"),
])
def test_countries_by_name(question, country):
    assert [p.value for p in f(question).places if p.kind == "country"] == [country]


def test_a_city_the_catalog_knows_counts_before_a_job_noun():
    filters = f("lakewood jobs?", known_cities={"lakewood"})
    assert "lakewood" in filters.cities


# ---------------------------------------------------------------- work types and abbreviations

@pytest.mark.parametrize("question, work_type", [
    ("list the FT roles", "Full-time"), ("any pt jobs?", "Part-time"), ("freelance gigs", "Contract"),
    ("temp positions", "Temporary"), ("intern roles in Ohio", "Internship"), ("perm roles", "Full-time"),
    ("part time gigs", "Part-time"), ("co-op positions", "Internship"),
])
def test_work_types_and_their_abbreviations(question, work_type):
    assert f(question).work_type == work_type


@pytest.mark.parametrize("question", ["any gigs?", "gigs paying over $60/hr", "gigs in texas"])
def test_gig_alone_is_a_job_noun_and_names_no_work_type(question):
    assert f(question).work_type is None


@pytest.mark.parametrize("question", ["what does the PT clinic job pay?", "is the PT therapist role remote?"])
def test_pt_beside_a_clinic_word_is_not_part_time(question):
    assert f(question).work_type is None


# ---------------------------------------------------------------- typos

@pytest.mark.parametrize("typed, meant", [
    ("salery", "salary"), ("sallary", "salary"), ("locatoin", "location"), ("hybird", "hybrid"),
    ("kotiln", "kotlin"), ("contarct", "contract"), ("remtoe", "remote"), ("expereince", "experience"),
])
def test_typos_of_grammar_words_are_corrected(typed, meant):
    assert correct_word(typed) == meant


@pytest.mark.parametrize("word", ["pays", "hours", "roles", "remove", "Tallowfield", "brisket"])
def test_real_words_and_names_are_not_corrected(word):
    assert correct_word(word) is None


def test_a_word_the_postings_use_is_never_corrected():
    assert correct_word("remtoe", is_known=lambda w: w == "remtoe") is None


def test_a_typo_in_an_intent_word_still_gives_the_intent_and_the_filter():
    query = parse_question("any hybird roles with good salery?")
    assert query.filters.remote == "hybrid" and "salary" in query.intents


def test_a_capitalised_name_mid_sentence_is_not_corrected():
    assert parse_question("what does Remtoe pay?").filters.remote is None


# ---------------------------------------------------------------- the lexer

def test_lexer_types_money_years_hours_and_percent():
    kinds = [(t.kind, t.value) for t in lex("over $120k, 5+ years, 40 hours, 20% bonus")
             if t.kind in ("money", "years", "hours", "percent")]
    assert kinds == [("money", 120_000), ("years", 5), ("hours", 40), ("percent", 20)]


def test_lexer_keeps_currency_and_period_on_the_figure():
    money = [t for t in lex("from €4.5k/mo and 30 an hour") if t.kind == "money"]
    assert (money[0].currency, money[0].value, money[0].period) == ("EUR", 4500, "monthly")
    assert (money[1].value, money[1].period) == (30, "hourly")


def test_filter_words_are_not_subject_words():
    query = parse_question("how many jobs pay by the hour in cali?")
    assert {"hour", "cali"} <= query.filter_words


# ---------------------------------------------------------------- typos of places and job nouns

@pytest.mark.parametrize("question, state", [
    ("evening shifts in Nebraskaa", "NE"), ("part-time openings in oregn", "OR"), ("non-remote roles in Kanass", "KS"),
    ("welder jobs outside of Virgina", "VA"),
])
def test_a_typo_in_a_state_name_after_a_place_word_keeps_the_state(question, state):
    filters = f(question)
    assert state in filters.states + filters.states_not


@pytest.mark.parametrize("question, city", [
    ("any openings in Tuscon?", "tucson"), ("barista jobs near Spokanne", "spokane"), ("Fresnoo roles", "fresno"),
])
def test_a_typo_in_a_big_city_where_a_place_is_expected_keeps_the_city(question, city):
    assert f(question).cities == [city]


def test_the_catalogs_own_cities_are_in_the_place_vocabulary():
    query = parse_question("roles in Wexfordd", known_cities=frozenset({"wexford"}))
    assert "wexford" in query.text.lower()


@pytest.mark.parametrize("question", [
    "what does Tuscon Labs pay?",  # a capitalised name outside a place context
    "roles that need nebraskaa skills",  # no place word before it
])
def test_a_near_place_word_outside_a_place_context_is_left_alone(question):
    assert f(question).states == [] and f(question).cities == []


def test_a_place_typo_the_postings_use_is_never_corrected():
    query = parse_question("roles in Tuscon", known_word=lambda w: w == "tuscon")
    assert query.filters.cities == []


@pytest.mark.parametrize("question, work_type", [
    ("contract roes", "Contract"), ("which part-time postigns are there", "Part-time"),
    ("any freelance opennings?", "Contract"),
])
def test_a_typo_in_a_job_noun_keeps_the_list_and_its_filter(question, work_type):
    query = parse_question(question)
    assert query.is_list and query.filters.work_type == work_type


@pytest.mark.parametrize("word", ["rose", "robs", "ropes"])
def test_short_words_near_a_job_noun_are_not_corrected(word):
    assert correct_word(word) is None


def test_a_currency_word_is_never_corrected_to_a_place():
    assert parse_question("which roles pay in rupees?").filters.currency == "INR"


def test_a_typo_in_employment_is_still_the_work_type_question():
    assert parse_question("what kind of emplyoment is the Zentrix welder job?").intent == "employment_type"


# ---------------------------------------------------------------- filler and politeness

@pytest.mark.parametrize("question, bare", [
    ("pls list the welder roles", "list the welder roles"),
    ("hey bot, any barista jobs?", "any barista jobs?"),
    ("can you check how many plumber positions", "how many plumber positions"),
    ("any tutor jobs? (thanks in advance)", "any tutor jobs?"),
    ("list the chef roles, thank you", "list the chef roles"),
    ("could you tell me which roles are remote", "which roles are remote"),
    ("Hello! which openings are in Tulsa? Thanks so much!", "which openings are in Tulsa?"),
    ("can you list the courier roles please", "list the courier roles"),
])
def test_politeness_is_not_part_of_the_question(question, bare):
    assert parse_question(question).text == bare


@pytest.mark.parametrize("question", ["pls list the welder roles", "how many plumber positions thx",
                                      "hey bot, any barista jobs?"])
def test_a_polite_list_question_is_still_a_list(question):
    assert parse_question(question).is_list


@pytest.mark.parametrize("question", ["jobs in Atlanta", "is the Tyco role remote?", "Thanksgiving shift roles",
                                      "hiring at Heyday Labs?"])
def test_words_that_merely_contain_filler_are_kept(question):
    assert parse_question(question).text == question


def test_filler_is_exposed_as_filter_words_and_a_vocabulary():
    from bot.question import FILLER

    assert {"pls", "thx"} <= parse_question("pls any tutor jobs thx").filter_words
    assert {"please", "thanks", "thank", "pls", "hey"} <= FILLER


# ---------------------------------------------------------------- PT / FT from context

@pytest.mark.parametrize("question, work_type", [
    ("which jobs are PT?", "Part-time"), ("are any of the openings FT", "Full-time"),
    ("PT hourly jobs in Ohio", "Part-time"), ("find FT Kotlin openings", "Full-time"),
    ("remote pt data entry gigs", "Part-time"), ("PT/FT roles", "Part-time"),
])
def test_pt_and_ft_are_work_types_as_predicates_and_before_a_job_noun(question, work_type):
    assert f(question).work_type == work_type


@pytest.mark.parametrize("question", ["travel PT jobs in Ohio", "outpatient PT positions", "PT assistant roles",
                                      "home health PT jobs in Ohio"])
def test_pt_in_the_therapy_trade_is_the_therapist(question):
    assert f(question).work_type is None


def test_a_pt_list_question_is_a_list():
    assert parse_question("which openings are PT?").is_list


# ---------------------------------------------------------------- degree words in titles

@pytest.mark.parametrize("question, intent", [
    ("What does the Office asst (Graduate) role at Brindle pay?", "salary"),
    ("where is the graduate trainee position at Quorra?", "location"),
    ("is the BA role at Fenwick remote?", "remote"),
    ("which BA jobs pay over 90k?", "salary"),
    ("Master Plumber job at Hollin - pay?", "salary"),
])
def test_a_degree_word_inside_a_title_is_not_a_degree_question(question, intent):
    assert parse_question(question).intent == intent


@pytest.mark.parametrize("question", [
    "does the Fenwick analyst role need a BA?", "is a BA degree required for the Quorra role?",
    "do they want a BA or BS?", "must I be a college graduate for the Hollin job?", "does it require a masters?",
    "what degree does the Brindle job need?",
])
def test_a_degree_asked_for_is_a_degree_question(question):
    assert parse_question(question).intent == "degree"


def test_ba_before_a_role_noun_is_a_business_analyst():
    tokens = parse_question("any BA roles in Ohio?").tokens
    assert "business" in tokens and "analyst" in tokens
    assert "analyst" not in parse_question("do they need a BA?").tokens
