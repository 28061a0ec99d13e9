"""US states and metro areas: which state a posting's location is in, and places named in questions."""

from __future__ import annotations

import re

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho",
    "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia", "PR": "Puerto Rico",
}
_NAME_TO_CODE = {name.lower(): code for code, name in STATES.items()}
_NAME_TO_CODE["washington dc"] = "DC"
_NAME_TO_CODE["washington d.c."] = "DC"

# Metro areas job boards use without a state, by the state of their main city.
METROS = {
    "san francisco bay area": "CA", "bay area": "CA", "silicon valley": "CA", "los angeles metropolitan area": "CA",
    "greater los angeles": "CA", "san diego metropolitan area": "CA", "greater sacramento": "CA",
    "dallas-fort worth metroplex": "TX", "greater houston": "TX", "new york city metropolitan area": "NY",
    "greater new york city area": "NY", "greater philadelphia": "PA", "greater pittsburgh region": "PA",
    "greater boston": "MA", "greater chicago area": "IL", "chicagoland": "IL", "greater seattle area": "WA",
    "greater minneapolis-st. paul area": "MN", "greater phoenix area": "AZ", "greater tampa bay area": "FL",
    "miami-fort lauderdale area": "FL", "greater orlando": "FL", "washington dc-baltimore area": "DC",
    "raleigh-durham-chapel hill area": "NC", "greensboro--winston-salem--high point area": "NC",
    "charlotte metro": "NC", "greater asheville": "NC", "cincinnati metropolitan area": "OH",
    "louisville metropolitan area": "KY", "denver metropolitan area": "CO", "huntsville-decatur-albertville area": "AL",
    "metro detroit": "MI", "greater detroit": "MI", "atlanta metropolitan area": "GA", "nashville metropolitan area": "TN",
    "salt lake city metropolitan area": "UT", "kansas city metropolitan area": "MO", "st louis metropolitan area": "MO",
    "las vegas metropolitan area": "NV", "greater cleveland": "OH", "greater indianapolis": "IN",
}
# City nicknames people type in questions.
CITY_ALIASES = {"nyc": "New York", "sf": "San Francisco", "la": "Los Angeles", "dfw": "Dallas", "philly": "Philadelphia",
                "vegas": "Las Vegas", "dc": "Washington"}

_CODE_AFTER_COMMA = re.compile(r",\s*([A-Z]{2})\b")


def state_of(location: str) -> str | None:
    """The two-letter state of a posting location ('Austin, TX', 'Austin, Texas Metropolitan Area'), or None."""
    if not location:
        return None
    match = _CODE_AFTER_COMMA.search(location)
    if match and match.group(1) in STATES:
        return match.group(1)
    lowered = location.lower().strip()
    for metro, code in METROS.items():
        if lowered.startswith(metro):
            return code
    # "Texas, United States", "Columbus, Ohio Metropolitan Area", "Greater Philadelphia"
    for name in sorted(_NAME_TO_CODE, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", lowered):
            if name == "washington" and "dc" in lowered:
                return "DC"
            return _NAME_TO_CODE[name]
    return None


def city_of(location: str) -> str:
    """The city part of 'Austin, TX' (lower-case), or '' when the location is a state, country or metro."""
    if not location or "," not in location:
        return ""
    city = location.split(",", 1)[0].strip()
    if city.lower() in _NAME_TO_CODE or city.lower() == "united states":
        return ""
    return city.lower()


_STATE_NAMES = re.compile(
    r"\b(" + "|".join(re.escape(n) for n in sorted(_NAME_TO_CODE, key=len, reverse=True) if n != "washington")
    + r")\b")
_CODES_UPPER = re.compile(r"(?:\bin |, ?|\b)([A-Z]{2})\b")
_CODES_AFTER_IN = re.compile(r"\b(?:in|near|around) ([A-Z]{2})\b")
_AMBIGUOUS_CODES = {"IN", "OR", "ME", "OK", "HI", "DE", "PA", "MA"}


def states_in_question(question: str) -> list[str]:
    """States named in a question: full names anywhere, two-letter codes only when written in capitals."""
    found: list[str] = []
    for match in _STATE_NAMES.finditer(question.lower()):
        code = _NAME_TO_CODE[match.group(1)]
        if code not in found:
            found.append(code)
    if re.search(r"\bwashington state\b|\bin wa\b", question.lower()):
        found.append("WA")
    for code in _CODES_UPPER.findall(question):
        if code in STATES and code not in found and code not in _AMBIGUOUS_CODES:
            found.append(code)
    for code in _CODES_AFTER_IN.findall(question):
        if code in STATES and code not in found:
            found.append(code)
    return found


COUNTRIES = {
    "united kingdom": "GB", "uk": "GB", "england": "GB", "scotland": "GB", "london": "GB", "germany": "DE",
    "deutschland": "DE", "berlin": "DE", "munich": "DE", "france": "FR", "paris": "FR", "canada": "CA",
    "toronto": "CA", "vancouver": "CA", "india": "IN", "bangalore": "IN", "bengaluru": "IN", "ireland": "IE",
    "dublin": "IE", "netherlands": "NL", "amsterdam": "NL", "spain": "ES", "portugal": "PT", "poland": "PL",
    "mexico": "MX", "brazil": "BR", "australia": "AU", "singapore": "SG", "japan": "JP", "philippines": "PH",
    "united states": "US", "usa": "US", "us": "US", "u.s.": "US", "america": "US",
}


def country_of(location: str) -> str | None:
    """ISO-like country code of a location: 'US' for a US state or 'United States', 'DE' for 'Berlin, Germany'."""
    if not location:
        return None
    if state_of(location):
        return "US"
    lowered = location.lower()
    for name in sorted(COUNTRIES, key=len, reverse=True):
        if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", lowered):
            return COUNTRIES[name]
    return None


PLACE_WORDS = {
    word
    for name in list(STATES.values()) + list(COUNTRIES) + list(CITY_ALIASES) + list(METROS)
    for word in re.findall(r"[a-z]+", name.lower())
}
