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
