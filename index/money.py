"""Money, the one module for it: currencies, pay periods, amounts, pay statements and how they are shown.

Used by the loader (salary columns), the fact extractor (pay in a description) and the question parser.
Vocabulary is kept as data tables here; babel supplies currency codes, symbols and names, price-parser
the number notation ("160,000", "32.000", "4,5", "120'000").

- `currency_code("€")` -> "EUR"; `normalize_period("pro Jahr")` -> "yearly";
- `parse_amount("120k")` -> 120000.0; `parse_amount("4 LPA")` -> 400000.0;
- `find_pay(text)` -> every pay statement (`PayMention`) in a sentence, funding and revenue left out;
- `parse_pay(field)` -> one `Salary` from a free-text salary field, or None;
- `pay_without_figure(text)` -> True for "DOE", "competitive salary", "attraktives Gehalt";
- `render_money(salary)` -> "€90,000–€120,000 a year"; `render_amount(120000, "CHF")` -> "CHF 120,000";
- `read_period("fortnightly")` -> ("weekly", 0.5): every period read is one of index.models.PERIODS.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from index.models import Salary

# ------------------------------------------------------------------------------------------------
# currencies

# Tokens babel does not resolve, or resolves to something a job posting does not mean.
CURRENCY_OVERRIDES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd$": "USD", "u.s. dollars": "USD", "dollar": "USD", "dollars": "USD",
    "bucks": "USD",
    "a$": "AUD", "au$": "AUD", "aud$": "AUD", "c$": "CAD", "ca$": "CAD", "can$": "CAD", "cad$": "CAD",
    "nz$": "NZD", "s$": "SGD", "sg$": "SGD", "hk$": "HKD", "r$": "BRL", "mx$": "MXN",
    "€": "EUR", "euro": "EUR", "euros": "EUR", "eur€": "EUR",
    "£": "GBP", "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "pounds sterling": "GBP", "quid": "GBP",
    "gbp£": "GBP",
    "₹": "INR", "rs": "INR", "rs.": "INR", "rupee": "INR", "rupees": "INR", "inr₹": "INR",
    "¥": "JPY", "yen": "JPY", "zł": "PLN", "zl": "PLN", "złoty": "PLN", "zloty": "PLN", "sfr.": "CHF",
    "fr.": "CHF", "franken": "CHF", "₩": "KRW", "₪": "ILS", "₺": "TRY", "₱": "PHP", "₦": "NGN",
}
# Codes written in running text (any case) next to a figure; other ISO codes count only via currency_code.
TEXT_CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "INR", "CHF", "PLN", "SEK", "NOK", "DKK", "JPY", "SGD",
              "HKD", "ZAR", "BRL", "MXN", "CZK", "HUF", "RON", "ILS", "AED", "CNY")
# Roughly how many units of a currency match one US dollar of wages (purchasing power, not the market rate):
# only to scale the plausible range of a wage and the sizes that tell hourly from yearly pay.
_UNITS_PER_USD = {"INR": 20, "JPY": 150, "KRW": 1300, "HUF": 350, "CZK": 23, "ZAR": 18, "MXN": 17, "SEK": 10,
                  "NOK": 10, "DKK": 7, "CNY": 7, "HKD": 8, "BRL": 5, "PLN": 4, "RON": 4.5, "ILS": 3.7, "AED": 3.7,
                  "TRY": 30, "PHP": 55, "NGN": 1500}


@functools.lru_cache(maxsize=1)
def _babel_currency_tokens() -> dict[str, str]:
    """Lower-cased symbols and names (English and German, singular and plural) -> ISO code, from babel (by way of a
    generated table: index/generated.py)."""
    from index.generated import table

    return table("currency_tokens")


def compute_currency_tokens() -> dict[str, str]:
    """The table of _babel_currency_tokens, computed from babel's locale data."""
    from babel.numbers import get_currency_name, get_currency_symbol, list_currencies

    tokens: dict[str, str] = {}
    codes = sorted(list_currencies())
    for locale in ("de", "en"):  # English last: it wins where the two disagree
        for code in codes:
            try:
                symbol = get_currency_symbol(code, locale)
                names = {get_currency_name(code, count, locale) for count in (1, 2)}
            except Exception:  # noqa: BLE001 - babel data gaps must not break money parsing
                continue
            if symbol and symbol != code:
                tokens.setdefault(symbol.lower(), code)
            for name in names:
                if name:
                    tokens[name.lower()] = code
    return dict(sorted(tokens.items()))  # (the same table in every process, whatever order sets come out in)


@functools.lru_cache(maxsize=1)
def _iso_codes() -> frozenset[str]:
    from index.generated import table

    return frozenset(table("currency_codes"))


def compute_currency_codes() -> list[str]:
    """The ISO codes babel knows, upper-case (the table of _iso_codes)."""
    from babel.numbers import list_currencies

    return sorted({code.upper() for code in list_currencies()})


def currency_code(token: str) -> str | None:
    """The ISO code of a written currency ("$" -> "USD", "€" -> "EUR", "eur" -> "EUR", "rupees" -> "INR").

    None when the token is not a currency.
    """
    if token is None:
        return None
    text = re.sub(r"\s+", " ", str(token)).strip().strip("()").strip()
    if not text:
        return None
    key = text.lower()
    if key in CURRENCY_OVERRIDES:
        return CURRENCY_OVERRIDES[key]
    if re.fullmatch(r"[A-Za-z]{3}", text) and text.upper() in _iso_codes():
        return text.upper()
    code_and_symbol = re.fullmatch(r"([A-Za-z]{3})\s?([$€£¥₹])", text)  # "USD $", "EUR€"
    if code_and_symbol and code_and_symbol.group(1).upper() in _iso_codes():
        return code_and_symbol.group(1).upper()
    return _babel_currency_tokens().get(key)


# ------------------------------------------------------------------------------------------------
# periods

# Every way of writing a pay period, after "per", "a", "/" or "pro" are taken off (see normalize_period).
PERIOD_WORDS: dict[str, tuple[str, ...]] = {
    "hourly": ("hourly", "hour", "hours", "hr", "hrs", "h", "ph", "p/h", "p.h", "per hour", "an hour",
               "stunde", "stündlich", "std", "stundenlohn", "stundensatz", "hour rate", "hourly rate"),
    "daily": ("daily", "day", "days", "per day", "a day", "day rate", "daily rate", "tag", "täglich", "tagessatz",
              "pd", "p/d"),
    "weekly": ("weekly", "week", "weeks", "wk", "wks", "pw", "p/w", "woche", "wöchentlich"),
    "biweekly": ("biweekly", "bi-weekly", "fortnightly", "fortnight", "every two weeks", "two weeks"),
    "monthly": ("monthly", "month", "months", "mo", "mos", "mth", "pcm", "p/m", "pm", "monat", "monatlich", "mtl",
                "monatsgehalt"),
    "yearly": ("yearly", "year", "years", "yr", "yrs", "annual", "annually", "annum", "per annum", "pa", "p.a",
               "p/a", "a year", "jahr", "jährlich", "jahresgehalt", "bruttojahresgehalt", "lpa", "ctc",
               "salary", "annual salary"),
}
_PERIOD_LOOKUP = {word: period for period, words in PERIOD_WORDS.items() for word in words}
_PERIOD_PREFIX = re.compile(r"^(?:/\s*|(?:per|a|an|each|every|pro|im|je|in the|for the|the)\s+)", re.I)


# Periods written that are not one of index.models.PERIODS: the period they are kept in and the factor a figure
# is multiplied by ("$2,400 every two weeks" is $1,200 a week: the same pay a year, in a period every answer,
# filter and sort knows). Decision: one set of PERIODS everywhere rather than a sixth period few consumers know.
PERIOD_CONVERSIONS: dict[str, tuple[str, float]] = {"biweekly": ("weekly", 0.5)}


def period_key(value: Any) -> str | None:
    """The period as written, by its key in PERIOD_WORDS ("biweekly" included): for a listed column, whose
    figures are converted only when they are read (see read_period)."""
    if value is None or isinstance(value, bool):
        return None
    key = re.sub(r"[\s_]+", " ", str(value)).strip().lower().rstrip(".").strip()
    if not key:
        return None
    for candidate in (key, _PERIOD_PREFIX.sub("", key, count=1).strip()):
        found = _PERIOD_LOOKUP.get(candidate) or _PERIOD_LOOKUP.get(candidate.replace(".", ""))
        if found:
            return found
    return None


def read_period(value: Any) -> tuple[str, float] | None:
    """(period, factor): the period as one of index.models.PERIODS and the factor its figures are multiplied by
    ("fortnightly" -> ("weekly", 0.5); "per annum" -> ("yearly", 1.0)); None when it is not a period."""
    key = period_key(value)
    if key is None:
        return None
    return PERIOD_CONVERSIONS.get(key, (key, 1.0))


def normalize_period(value: Any) -> str | None:
    """'Annually', 'per annum', '/yr', 'p.a.', 'pro Jahr', 'LPA' -> 'yearly'; '/hr' -> 'hourly'; else None.

    Always one of index.models.PERIODS ("biweekly" -> "weekly"): a figure read with it is converted by the factor
    read_period gives.
    """
    found = read_period(value)
    return found[0] if found else None


# ------------------------------------------------------------------------------------------------
# amounts

# multipliers written after a figure, as data: word (lower case) -> factor
MULTIPLIERS: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "grand": 1e3, "tsd": 1e3, "tsd.": 1e3, "tausend": 1e3,
    "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "lpa": 1e5, "l": 1e5,
    "crore": 1e7, "crores": 1e7, "cr": 1e7,
    "m": 1e6, "mm": 1e6, "mil": 1e6, "million": 1e6, "millions": 1e6, "mio": 1e6, "mio.": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9,
}
_AMOUNT = re.compile(
    r"(?P<number>\d[\d.,'’\u00a0\u202f\u2009 ]*\d|\d)\s*(?:,-{1,2})?\s*"
    r"(?P<unit>thousand|grand|tsd\.?|tausend|lakhs?|lacs?|lpa|crores?|cr|millions?|mil|mio\.?|mm|bn|billion|[kmlb])?"
    r"(?![a-z])",
    re.I,
)


def _decimal_comma(number: str, locale_hint: str | None) -> bool:
    """Whether "," is the decimal mark in this figure ("4,5", "18,50", or a German locale hint with "1.500,00")."""
    if "," not in number:
        return False
    if "." in number:
        return number.rfind(",") > number.rfind(".")
    tail = number.rsplit(",", 1)[1]
    if len(tail) != 3:
        return True  # "4,5", "18,50"
    return bool(locale_hint) and locale_hint.lower().startswith(("de", "fr", "es", "it", "nl", "pl", "pt"))


def _plain_number(number: str, locale_hint: str | None = None) -> float | None:
    """A float from a written figure in any common notation, via price-parser."""
    from price_parser import Price

    cleaned = number.strip().replace("’", "'")
    decimal = "," if _decimal_comma(cleaned, locale_hint) else None
    if decimal is None and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", cleaned):
        decimal = ","  # "32.000": dots only ever group thousands in threes
    try:
        amount = Price.fromstring(cleaned, decimal_separator=decimal).amount
    except (InvalidOperation, ValueError):
        return None
    if amount is None:
        return None
    try:
        return float(Decimal(amount))
    except (InvalidOperation, ValueError):
        return None


def parse_amount(text: str, locale_hint: str | None = None) -> float | None:
    """One written amount as a number: "120k" -> 120000, "$1.2M" -> 1200000, "32.000 €" -> 32000,
    "4,5" -> 4.5, "4 LPA" -> 400000, "1.5 crore" -> 15000000. None when there is no figure."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
        return value if value == value else None
    match = _AMOUNT.search(str(text))
    if not match:
        return None
    value = _plain_number(match.group("number"), locale_hint)
    if value is None:
        return None
    unit = (match.group("unit") or "").lower()
    return value * MULTIPLIERS.get(unit, 1.0)


# ------------------------------------------------------------------------------------------------
# pay statements in text


@dataclass
class PayMention:
    """One pay statement in a text: the figures as written (scaled by k / lakh), currency and period if written.

    `labelled`, `near_pay`, `period_word` and `pay_sentence` say how sure it is that this is the wage.
    """

    min: float | None
    max: float | None
    currency: str | None
    period: str | None
    kind: str  # "range" | "from" | "up_to" | "exact"
    start: int
    end: int
    text: str
    labelled: bool = False  # "Salary range: ..." right before the figure
    near_pay: bool = False  # a pay word shortly before the figure
    period_word: bool = False  # the period is written, not inferred from the size
    pay_sentence: bool = False  # the sentence talks about pay somewhere
    dollar_sign: bool = False  # the currency is a bare "$": USD unless the posting's place uses another dollar

    @property
    def likely_period(self) -> str | None:
        """The written period, else one read from the size of the figure (below 300 hourly, from 20,000 yearly)."""
        return self.period or period_from_magnitude(self.max if self.max is not None else self.min, self.currency)

    @property
    def rank(self) -> int:
        return 4 * self.labelled + 2 * self.near_pay + self.period_word + self.pay_sentence

    @property
    def clear(self) -> bool:
        """Clear enough to set beside a listed salary that says otherwise."""
        return self.labelled or (self.near_pay and self.period_word)

    def to_salary(self, default_currency: str = "USD") -> Salary | None:
        """This mention as a Salary (the currency defaulting when none is written); None without a period."""
        period = self.likely_period
        if period is None:
            return None
        return Salary(min=self.min, max=self.max, currency=self.currency or default_currency, period=period)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_CODES = _alternation(list(TEXT_CODES))
# a currency written before a figure: "US$", "€", "EUR", "EUR €", "Rs."
_CUR = (rf"(?:(?:US|CA|AU|NZ|HK|SG|MX|CAN|[ACSR])\$|[$£€₹¥₩₪₺₱₦]|"
        rf"(?<![A-Za-z])(?i:{_CODES})(?![A-Za-z])\s?[$£€₹]?|(?<![A-Za-z])(?:Rs\.?|CHF|Fr\.|SFr\.)(?![A-Za-z]))")
# a currency written after a figure: "32.000 €", "120 000 zł", "50k EUR", "60 dollars"
_CUR_AFTER = (rf"(?:[$£€₹¥](?!\s?\d)|zł|(?<![A-Za-z])(?i:{_CODES})(?![A-Za-z])|(?i:euros?|dollars?|rupees|francs|"
              r"Franken)\b|(?i:kr)\b\.?)")
_NUM = (r"(?:\d{1,2}(?:,\d{2})+,\d{3}(?!\d)"  # Indian grouping: "6,00,000"
        r"|\d{2,3}(?:\s\d{3})+(?=\s?(?:€|zł|kr|CHF|EUR|PLN|SEK|NOK|DKK|CZK|HUF))"
        r"|\d{1,3}(?:[,.'’\u00a0\u202f\u2009]\d{3})+(?![\d])(?:[.,]\d{1,2}(?!\d))?(?:,-{1,2})?"
        r"|\d+(?:[.,]\d{1,2}(?!\d))?(?:,-{1,2})?)")
_K = r"(?:\s?[kK](?![a-zA-Z])|\s?(?i:thousand|grand|tsd\.?|tausend)\b)"
_LAKH = r"(?:\s?(?i:lakhs?|lacs?|lpa|crores?|cr)\b)"
_BIG = r"(?:\s?(?:million|billion|trillion|mil\b|mio\b\.?|mm\b|MM\b|bn\b|[MBT](?![a-zA-Z])))"
_SEP = r"(?:-|–|—|~|to|and|bis|und|through)"
_RANGE_UNITS = r"(?:hours?|hrs?|h|years?|yrs?|yr|annum|months?|mo|weeks?|wks?|days?)\b"
# regex fragments, for modules that look for money without reading it (index.cues)
CURRENCY_BEFORE, CURRENCY_AFTER, FIGURE, THOUSANDS = _CUR, _CUR_AFTER, _NUM, _K
_MONEY = re.compile(
    rf"(?P<c1>{_CUR})?\s?(?P<n1>{_NUM})(?P<k1>{_K})?(?P<l1>{_LAKH})?(?P<b1>{_BIG})?(?P<t1>\s?{_CUR_AFTER})?"
    rf"(?:(?P<p1>\s?(?:/|per\s)\s?(?:{_RANGE_UNITS}))?"  # "£14/hr to £16/hr": the period after each figure
    rf"\s*{_SEP}\s*(?P<c2>{_CUR})?\s?(?P<n2>{_NUM})(?P<k2>{_K})?(?P<l2>{_LAKH})?(?P<b2>{_BIG})?"
    rf"(?(p1)(?=\s?(?:/|per\s|an?\s)\s?{_RANGE_UNITS})))?"
    rf"(?P<code>\s?{_CUR_AFTER})?",
)
# "Salary Range: $", "pay rate of $", "salary is $", "Gehalt: ", "Vergütung: ab": the figure is labelled as pay
_PAY_LABEL = re.compile(
    r"\b(?:salary|pay|compensation|wages?|rate|earnings|ctc|\w*gehalt|\w*vergütung|\w*lohn|entgelt|verdienst|"
    r"gehaltsrahmen|gehaltsspanne)\b"
    r"(?: range| rate| scale| band)?\s*(?:is|of|liegt bei|beträgt)?\s*(?:\([^)]{0,20}\))?\s*:?\s*"
    r"(?:(?:between|from|up to|ab|bis zu|zwischen|starting at|approx\.?|ca\.?|~)\s*)?$",
    re.I,
)
# words that make a nearby figure pay ("pays between $18-$25", "expect to earn $43,000")
_PAY_NEAR = re.compile(
    r"\b(?:pay|pays|paying|salary|salaries|compensation|comp|wages?|rates?|base|range|earn\w*|income|"
    r"offering|offer|ote|ctc|package|\w*gehalt\w*|\w*vergütung|\w*lohn|entgelt|verdienst|verdienen|bieten|"
    r"brutto\w*)\b",
    re.I,
)
# words that make a sentence about pay at all ("Paid $17.00/Hour", "STARTING at $16/hr")
_PAY_WORDS = re.compile(
    r"\b(?:paid|make|making|hourly|annual\w*|starting|starts|(?:depending|based) on experience|commensurate|doe|"
    r"brutto|jährlich|monatlich)\b",
    re.I,
)
_PAY_SENTENCE_CUE = re.compile(_PAY_NEAR.pattern + "|" + _PAY_WORDS.pattern + r"|\b(?:equity|salary|gehalt)\b", re.I)
_PER_UNIT = re.compile(
    r"\b(?:sessions?|visits?|shifts?|class(?:es)?|lessons?|projects?|pieces?|units?|appointments?|enrollments?|"
    r"calls?|cases?|patients?|words?|articles?|posts?|jobs?|clients?|customers?|persons?|person|groups?)\b",
    re.I,
)
_PER_UNIT_AFTER = re.compile(r"^\s*(?:per|a|an|each|for (?:each|every|1|one))\s+" + _PER_UNIT.pattern, re.I)
# money near these words is a bonus, a benefit, the company's business or a deal size, not the wage
_NON_PAY = re.compile(
    r"\b(?:bonus\w*|sign[- ]?on|signing|referrals?|relocation|reimburse\w*|401\(?k\)?|403\(?b\)?|tuition|"
    r"stipends?|allowances?|insurance|coverage|premiums?|match\w*|sales|revenues?|arr|funding|raised|"
    r"invest\w*|budgets?|fees?|transactions?|assets|capital|loans?|costs?|purchases?|differentials?|"
    r"tips|commissions?|deductibles?|valued|worth|fund|gift|gifts|donations?|grants?|scholarships?|"
    r"life insurance|policy|enrollments?|per transaction|per sale|per referral|every|start ?up|deposit|"
    r"mile|miles|savings|discounts?|credit|spend\w*|value|contracts? (?:worth|valued)|portfolio|"
    r"award|prize|equity|stock|raise|cash|deals?|series|seed|valuation|umsatz|finanzierung|zuschuss|"
    r"budget|jobticket|urlaubsgeld|weihnachtsgeld)\b",
    re.I,
)
_PERIOD_UNITS = (r"hours?|hrs?|h\b|days?|weeks?|wks?|months?|mos?\b|mth\b|years?|yrs?|annum|"
                 r"jahr\b|monat\b|stunde\b|std\b\.?|woche\b|tag\b")
_PERIOD_AFTER = re.compile(
    r"^(?:\s*(?:USD|EUR|GBP|dollars|\+|plus|and up|or more|DOE|base|gross|brutto|netto|range|"
    r"\((?:gross|brutto|base)\)|(?-i:\(?[A-Z]{3}\)?)))*\s*"
    rf"(?:(?P<per>/\s?(?:one\s)?|per\s(?:one\s)?|an?\s|each\s|pro\s|im\s|je\s|in the\s)\s?(?P<unit>{_PERIOD_UNITS})"
    r"|(?:for\s+)?(?P<adverb>every\s+(?:two|2)\s+weeks|(?:a|per|every)\s+fortnight|hourly|daily|weekly|bi-?weekly|fortnightly|monthly|annually|annual|yearly|"
    r"p\.\s?a\.?|pa\b|p/a\b|p/h\b|ph\b|pcm\b|per annum|salary\b|jährlich|monatlich|stündlich|mtl\b\.?|"
    r"(?:brutto)?jahresgehalt\b|monatsgehalt\b|stundenlohn\b))",
    re.I,
)
_PERIOD_BEFORE = re.compile(
    r"\b(?P<word>hourly|daily|weekly|monthly|annual|annually|yearly|day rate|daily rate|jahresgehalt|"
    r"bruttojahresgehalt|monatsgehalt|stundenlohn|stundensatz|tagessatz|jährlich|monatlich)\b",
    re.I,
)
_FROM = re.compile(
    r"\b(?:from|starting(?: at| from)?|starts at|start at|minimum(?: of)?|at least|min\.?|ab)\s*:?\s*$", re.I
)
_UP_TO = re.compile(r"\b(?:up to|upto|max(?:imum)?(?: of)?|as much as|bis zu|bis)\s*:?\s*$", re.I)
_PLUS_AFTER = re.compile(r"^\s*(?:\+|plus\b|and up\b|or more\b|and above\b|und mehr\b)", re.I)
# plausible wage per period, in US dollars (scaled by _UNITS_PER_USD for other currencies)
_BOUNDS = {"hourly": (2, 1000), "daily": (30, 5000), "weekly": (100, 20000), "biweekly": (200, 40000),
           "monthly": (500, 100000), "yearly": (8000, 5_000_000)}
_DIGIT = re.compile(r"\d")


def period_from_magnitude(amount: float | None, currency: str | None = None) -> str | None:
    """Below 300 a figure is hourly pay, from 20,000 yearly (in dollars; scaled for other currencies)."""
    if amount is None:
        return None
    scale = _UNITS_PER_USD.get(currency or "", 1)
    if amount < 300 * scale:
        return "hourly"
    if amount >= 20000 * scale:
        return "yearly"
    return None


def _figure(number: str, with_k: str | None, with_lakh: str | None) -> float:
    value = _plain_number(number.rstrip("-").rstrip(","), None)
    if value is None:
        value = float(re.sub(r"[^\d.]", "", number) or 0)
    if with_k:
        value *= 1000
    if with_lakh:
        value *= MULTIPLIERS[with_lakh.strip().lower().rstrip(".")]
    return value


def _written_currency(match: re.Match[str]) -> str | None:
    for group in ("c1", "t1", "c2", "code"):
        raw = (match.group(group) or "").strip()
        if raw:
            code = currency_code(raw) or currency_code(re.sub(r"[$£€₹]$", "", raw).strip())
            if code:
                return code
    return None


def _bare_dollar(match: re.Match[str]) -> bool:
    """Whether the currency written is a bare "$" (no "US$", "USD", "A$"): a dollar of the posting's place."""
    for group in ("c1", "t1", "c2", "code"):
        raw = (match.group(group) or "").strip()
        if raw:
            return raw == "$"
    return False


def _mention(match: re.Match[str], before: str, after: str, sentence: str, assume_pay: bool) -> PayMention | None:
    """A pay statement from one figure (or range) and the words around it; None when it is not the wage."""
    currency = _written_currency(match)
    lakh = match.group("l1") or match.group("l2")
    has_currency = currency is not None or bool(lakh)
    labelled = bool(_PAY_LABEL.search(before[-40:]))
    # "75k-110k+ (based on experience)": a range in thousands, in a sentence about pay, is pay without a currency
    k_range = bool(match.group("n2") and (match.group("k1") or match.group("k2")))
    if not has_currency and not (labelled or assume_pay or (k_range and _PAY_SENTENCE_CUE.search(sentence))):
        return None
    if match.group("b1") or match.group("b2"):
        return None  # millions and billions are revenue, funding or deal sizes, not a wage
    if re.match(r"^s\b|^\s?(?:%|percent|prozent)", after) or re.search(r"[\d.]$", before):
        return None  # "$70,000s", "10%", or part of a longer figure
    if re.search(r"\b401\s?\(?$", before) or re.match(r"^\s?\(k\)", after):
        return None  # "401(k)"
    low = _figure(match.group("n1"), match.group("k1"), match.group("l1"))
    high = _figure(match.group("n2"), match.group("k2"), match.group("l2")) if match.group("n2") else None
    if high is not None:
        if (match.group("k2") or match.group("l2")) and not (match.group("k1") or match.group("l1")):
            scale = 1000 if match.group("k2") else MULTIPLIERS[match.group("l2").strip().lower()]
            if low * scale <= high:
                low *= scale  # "$40 - $45K", "4 to 6 LPA"
        if (match.group("k1") or match.group("l1")) and not (match.group("k2") or match.group("l2")) and high < low:
            scale = 1000 if match.group("k1") else MULTIPLIERS[match.group("l1").strip().lower()]
            high *= scale  # "$120k-150"
    if low <= 0 or (high is not None and high < low):
        return None
    if currency is None and lakh:
        currency = "INR"

    period = None
    period_match = _PERIOD_AFTER.match(after)
    if period_match:
        raw = period_match.group("unit") or period_match.group("adverb")
        period = period_key(raw) or period_key(raw.replace(".", "").replace(" ", ""))
    if period is None and lakh and lakh.strip().lower() == "lpa":
        period = "yearly"
    tail = after[period_match.end():] if period_match else after
    head_words = re.split(r"[|•·]", before)[-1].split()[-5:]  # "Equity | 75k-110k": a field of its own
    if _NON_PAY.search(" ".join(head_words)) and not _PAY_LABEL.search(before[-40:]):
        return None
    tail = re.split(r"[+,;:(.]|\bplus\b|\bwith\b|\band\b|\balong\b|(?<=[a-z])(?=[A-Z])", tail, maxsplit=1)[0]
    if _NON_PAY.search(" ".join(tail.split()[:3])):
        return None
    period_word = period is not None
    if period is None:
        before_period = _PERIOD_BEFORE.findall(before)
        if before_period:
            period = period_key(before_period[-1])
            period_word = period is not None
    if _PER_UNIT.search(" ".join(re.findall(r"[A-Za-z]+", before)[-2:])) or _PER_UNIT_AFTER.match(tail):
        return None  # "session compensation ($35 and up)", "40 USD for 1 person": pay per piece, not per period
    near_pay = bool(_PAY_NEAR.search(before[-60:])) or labelled or assume_pay
    # "EUR 65,000 – 80,000 per year." under "What we offer": a sum with its currency opens the sentence
    opens = has_currency and not sentence[: match.start()].strip(" \t-–•*·~")
    pay_sentence = near_pay or opens or bool(_PAY_WORDS.search(sentence)) or bool(_PAY_NEAR.search(sentence))
    is_range = high is not None and (has_currency or k_range) and high > low
    likely = period or period_from_magnitude(high if high is not None else low, currency)
    if period is None:
        if likely is None or not (near_pay or (is_range and likely == "yearly")):
            return None  # a lone figure with no pay word and no period is not read as pay
    elif not (near_pay or pay_sentence or is_range or has_currency):
        return None
    lowest, highest = _BOUNDS.get(likely, (0, float("inf")))
    scale = _UNITS_PER_USD.get(currency or "", 1)
    if not all(lowest * scale <= value <= highest * scale for value in (low, high) if value is not None):
        return None

    if high is None:
        if _UP_TO.search(before):
            low, high, kind = None, low, "up_to"
        elif _FROM.search(before) or _PLUS_AFTER.match(after) or re.match(r"^\s*(?:per \w+\s*)?and up\b", after):
            kind = "from"
        else:
            high, kind = low, "exact"
    else:
        kind = "range" if high != low else "exact"
    if period in PERIOD_CONVERSIONS:  # "$2,400 every two weeks" -> $1,200 a week
        period, factor = PERIOD_CONVERSIONS[period]
        low, high = (None if v is None else round(v * factor, 2) for v in (low, high))
    end = period_match.end() + match.end() if period_match else match.end()
    start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
    return PayMention(min=low, max=high, currency=currency, period=period, kind=kind, start=start, end=end,
                      text=sentence[start:end].strip(), labelled=labelled, near_pay=near_pay,
                      period_word=period_word, pay_sentence=pay_sentence, dollar_sign=_bare_dollar(match))


def find_pay(text: str, *, assume_pay: bool = False) -> list[PayMention]:
    """Every pay statement in a sentence or a field, in order.

    assume_pay: the text is a salary field, so a bare figure is pay. Funding rounds, revenue, 401(k), bonuses,
    percentages, counts and dates are left out.
    """
    if not text or not _DIGIT.search(text):
        return []
    matches = [m for m in _MONEY.finditer(text) if m.group("n1")]
    money = [m for m in matches if _written_currency(m) or m.group("l1") or m.group("l2")]
    mentions: list[PayMention] = []
    for index, match in enumerate(matches):
        # the context of a figure stops at the neighbouring sums of money
        previous_end = max((m.end() for m in money if m.end() <= match.start()), default=0)
        next_start = min((m.start() for m in money if m.start() >= match.end()), default=len(text))
        before = text[max(previous_end, match.start() - 90): match.start()]
        after = text[match.end(): min(next_start, match.end() + 60)]
        alternative = _alternative_after(text, matches, index)
        if alternative is not None and not _PERIOD_AFTER.match(after):
            after = alternative
        mention = _mention(match, before, after, text, assume_pay)
        if mention is not None:
            mentions.append(mention)
    return mentions


_ALTERNATIVE = re.compile(r"^\s*(?:or|oder|/|\|)\s*(?:(?:about|approx\.?|ca\.?|~)\s*)?$", re.I)


def _alternative_after(text: str, matches: list[re.Match[str]], index: int) -> str | None:
    """"45-70 USD or 180-280 PLN per hour": the words after the last of a chain of alternative sums (each in its
    own currency), which every one of them shares; None when the figure is not followed by an alternative."""
    last = index
    while last + 1 < len(matches) and _ALTERNATIVE.match(text[matches[last].end(): matches[last + 1].start()]) \
            and _written_currency(matches[last + 1]):
        last += 1
    if last == index:
        return None
    return text[matches[last].end(): matches[last].end() + 60]


def currencies_written(text: str) -> list[str]:
    """The currency of every figure written with one, pay or not ("a €1,200 budget" -> ["EUR"]), in order."""
    if not text or not _DIGIT.search(text):
        return []
    out = []
    for match in _MONEY.finditer(text):
        code = _written_currency(match) if match.group("n1") else None
        if code is None and (match.group("l1") or match.group("l2")):
            code = "INR"
        if code:
            out.append(code)
    return out


# ------------------------------------------------------------------------------------------------
# salary fields and pay without a figure

_NO_FIGURE = re.compile(
    r"\b(?:doe|d\.o\.e|competitive|negotiable|commensurate|tbd|tba|depending on (?:experience|skills)|"
    r"based on experience|dependent on experience|market rate|attractive (?:salary|pay|package)|"
    r"verhandlungssache|nach vereinbarung|attraktive[sn]? (?:gehalt|vergütung)|wettbewerbsfähige[sn]? "
    r"(?:gehalt|vergütung)|leistungsgerechte[sn]? (?:gehalt|vergütung|bezahlung)|überdurchschnittliche[sn]? "
    r"(?:gehalt|vergütung)|faire[sn]? (?:gehalt|vergütung|bezahlung))\b",
    re.I,
)
_PAY_TOPIC = re.compile(
    r"\b(?:salary|pay|compensation|wages?|remuneration|package|rate|gehalt|vergütung|bezahlung|lohn|doe)\b",
    re.I,
)


def pay_without_figure(text: str) -> bool:
    """Pay is mentioned but no figure given: "DOE", "competitive salary", "attraktives Gehalt"."""
    if not text:
        return False
    if find_pay(text) or find_pay(text, assume_pay=bool(_PAY_LABEL.search(text))):
        return False
    no_figure = _NO_FIGURE.search(text)
    if not no_figure:
        return False
    field_like = len(text.split()) <= 3  # a salary field that only says "Competitive" or "DOE"
    return field_like or bool(_PAY_TOPIC.search(text))


def parse_pay(text: str) -> Salary | None:
    """A whole free-text salary field ("$80k - $100k", "USD 50,000-60,000 per year") as a Salary, else None.

    No written currency means USD, as the project assumes for columns; "Competitive" or "DOE" give None.
    """
    if text is None:
        return None
    text = re.sub(r"\s+", " ", str(text)).strip()
    if not text or not _DIGIT.search(text):
        return None
    mentions = find_pay(text, assume_pay=True)
    if not mentions:
        return None
    best = max(mentions, key=lambda m: (m.rank, m.kind == "range"))
    return best.to_salary()


# ------------------------------------------------------------------------------------------------
# rendering

# how each of index.models.PERIODS is said after a figure
PERIOD_PHRASES = {"hourly": "an hour", "daily": "a day", "weekly": "a week", "monthly": "a month", "yearly": "a year"}


def _render_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def money_symbol(currency: str | None) -> str:
    """How a currency is written before a figure: "$", "€", "£", "₹", "A$"; else the code and a space."""
    code = (currency or "USD").upper()
    symbol = _english_symbols().get(code, code)
    return f"{code} " if not symbol or symbol == code else symbol


@functools.lru_cache(maxsize=1)
def _english_symbols() -> dict[str, str]:
    from index.generated import table

    return table("currency_symbols")


def compute_currency_symbols() -> dict[str, str]:
    """ISO code -> the symbol English writes for it (babel's "en" locale; the table of money_symbol)."""
    from babel import Locale

    return dict(sorted(Locale.parse("en").currency_symbols.items()))


def render_amount(value: float, currency: str | None = "USD") -> str:
    """One sum as answers write it: "$160,000", "€55,000", "A$35.32", "CHF 120,000" (whole numbers without cents)."""
    return f"{money_symbol(currency)}{_render_number(value)}"


def render_money(salary: Salary) -> str:
    """The one rendering of a salary for answers: "€90,000–€120,000 a year", "£11.48 an hour", "from $75,000 a
    year"; figure, currency and period always visible."""
    symbol = money_symbol(salary.currency)
    low, high = salary.min, salary.max
    if low is not None and high is not None and low != high:
        amount = f"{symbol}{_render_number(low)}–{symbol}{_render_number(high)}"
    elif low is not None and high is not None:
        amount = f"{symbol}{_render_number(low)}"
    elif low is not None:
        amount = f"from {symbol}{_render_number(low)}"
    else:
        amount = f"up to {symbol}{_render_number(high or 0)}"
    period = PERIOD_PHRASES.get(salary.period, salary.period or "")
    return f"{amount} {period}".strip()


def render_salary(salary: Salary) -> str:
    """'17–20 USD hourly', 'from 75,000 USD yearly': the plain rendering used in column evidence."""
    low, high = salary.min, salary.max
    if low is not None and high is not None and low != high:
        amount = f"{_render_number(low)}–{_render_number(high)}"
    elif low is not None and high is not None:
        amount = _render_number(low)
    elif low is not None:
        amount = f"from {_render_number(low)}"
    else:
        amount = f"up to {_render_number(high or 0)}"
    return f"{amount} {salary.currency} {salary.period}"
