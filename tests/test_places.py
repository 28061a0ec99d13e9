"""Reading posting locations and the places questions name (gazetteer-backed; invented examples)."""

from __future__ import annotations

import pytest

from bot.places import city_of, country_of, find_city, parse_location, places_in_question, state_of


@pytest.mark.parametrize("location, city, state, country", [
    ("Tulsa, OK", "tulsa", "OK", "US"), ("Leeds, ENG, GB", "leeds", "", "GB"), ("TN, IN", "", "", "IN"),
    ("Valencia, Spain", "valencia", "", "ES"), ("Remote (US)", "", "", "US"), ("Estonia", "", "", "EE"),
    ("Greater Boston", "", "MA", "US"), ("Oregon, United States", "", "OR", "US"), ("Lyon", "lyon", "", "FR"),
    ("Calgary, AB, CA", "calgary", "", "CA"), ("Sacramento, CA", "sacramento", "CA", "US"),
    ("New York, NY", "new york", "NY", "US"), ("Astoria, NY, US", "astoria", "NY", "US"), ("", "", "", ""),
])
def test_posting_locations_in_many_layouts(location, city, state, country):
    assert (city_of(location), state_of(location) or "", country_of(location) or "") == (city, state, country)


def test_a_city_reaches_its_boroughs_but_not_across_a_state_line():
    nyc = next(p for p in places_in_question("NYC roles") if p.kind == "city")
    assert nyc.contains(parse_location("Staten Island, NY"))
    assert nyc.contains(parse_location("The Bronx, NY"))
    assert not nyc.contains(parse_location("Newark, NJ"))
    assert not nyc.contains(parse_location("Buffalo, NY"))


def test_a_borough_does_not_swallow_a_bigger_neighbour():
    brooklyn = next(p for p in places_in_question("jobs in Brooklyn") if p.kind == "city")
    assert not brooklyn.contains(parse_location("Manhattan, NY"))


def test_the_gazetteer_knows_exonyms_of_big_cities():
    assert find_city("Cologne").country == "DE"


@pytest.mark.parametrize("question", ["tell me more about remote roles", "do any sales roles pay well?"])
def test_ordinary_words_before_a_job_noun_are_not_cities(question):
    assert [p for p in places_in_question(question) if p.kind == "city"] == []


# ---------------------------------------------------------------- codes by case, countries, ambiguous names


@pytest.mark.parametrize("question, states", [
    ("which hybrid roles in ga?", ["GA"]), ("contract gigs in sc that pay hourly", ["SC"]),
    ("openings in ne", ["NE"]), ("roles in or near Boise", []), ("jobs in me", []), ("help me find pa roles", []),
])
def test_a_lower_case_code_that_is_a_rare_word_is_a_state_after_in(question, states):
    assert [p.value for p in places_in_question(question) if p.kind == "state"] == states


@pytest.mark.parametrize("question, states", [
    ("SHOW ME ROLES OVER $90,000", []), ("GIVE ME THE LIST OF OPENINGS", []), ("WHICH OPENINGS IN IN?", ["IN"]),
    ("FIND NURSE JOBS IN PA THAT PAY WELL", ["PA"]), ("GA ROLES", ["GA"]), ("SHOW US ROLES", []),
    ("ROLES IN OR NEAR SPOKANE", []),
])
def test_a_question_in_capitals_reads_codes_as_in_lower_case(question, states):
    assert [p.value for p in places_in_question(question) if p.kind == "state"] == states


def test_a_question_in_capitals_does_not_name_the_us_by_a_pronoun():
    assert [p for p in places_in_question("SHOW US REMOTE ROLES") if p.kind == "country"] == []
    assert [p.value for p in places_in_question("REMOTE ROLES IN THE US") if p.kind == "country"] == ["US"]


@pytest.mark.parametrize("question", ["roles based in india", "any jobs in peru?", "openings in Israel"])
def test_country_names_that_are_not_english_words_are_read_in_any_case(question):
    assert [p.kind for p in places_in_question(question)] == ["country"]


@pytest.mark.parametrize("question", ["jobs with jordan", "a turkey sandwich role", "guinea pig handler roles"])
def test_country_names_that_are_words_need_a_capital(question):
    assert [p for p in places_in_question(question) if p.kind == "country"] == []


def test_washington_alone_is_the_state_or_the_capital():
    places = places_in_question("nurse roles in Washington")
    assert {(p.kind, p.value) for p in places} == {("state", "WA"), ("city", "washington")}
    assert places[1].contains(parse_location("Washington, DC")) or places[0].contains(parse_location("Washington, DC"))
    assert [p.value for p in places_in_question("roles in Washington state")] == ["WA"]


@pytest.mark.parametrize("question", ["any openings in Fresno.", "jobs in Tucson.", "roles near Spokane."])
def test_a_full_stop_after_a_city_does_not_hide_it(question):
    assert [p.kind for p in places_in_question(question)] == ["city"]


@pytest.mark.parametrize("name, expected", [("San Francisco", "San Francisco, CA"), ("Berlin", "Berlin, Germany"),
                                            ("Austin", "Austin, TX")])
def test_a_big_city_without_a_namesake_of_its_size_is_well_known(name, expected):
    from bot.places import city_with_region, well_known_city

    assert city_with_region(well_known_city(name)) == expected


@pytest.mark.parametrize("name", ["Portland", "Springfield", "Birmingham", "Remote", "Regensburg"])
def test_a_shared_or_small_or_no_city_name_is_not_well_known(name):
    from bot.places import well_known_city

    assert well_known_city(name) is None
