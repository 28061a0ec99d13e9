"""Facts extracted from one posting: each with the sentence (or listed field) it came from.

A fact the posting does not state stays None: nothing here guesses. Structured columns win over
the description; where the description states a different salary, both are kept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from index.languages import languages_in_sentences
from index.models import DEGREES, EMPLOYMENT_TYPES, Fact, Facts, Posting, Salary
from index.text import any_of, folded, is_heading, seam_in_name, split_sentences

COLUMN, TEXT = "column", "text"


def extract_facts(posting: Posting) -> Facts:
    """All facts of one posting: salary, remote, employment type, languages, years, degree, location."""
    sentences = split_sentences(posting.text)
    salary, salary_text = extract_salary(posting.columns, sentences)
    return Facts(
        salary=salary,
        salary_text=salary_text,
        remote=extract_remote(posting.columns, posting.title, sentences),
        employment_type=extract_employment_type(posting.columns, posting.title, sentences),
        languages=extract_languages(sentences),
        min_years=extract_min_years(sentences),
        degree=extract_degree(sentences),
        location=extract_location(posting.location),
    )


# --------------------------------------------------------------------------------------------
# shared helpers

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}


# Scraped descriptions often lose the line break between list items ("therapyMaster's or greater",
# "EXPERIENCEBachelor's", "development1+ years"). Facts are matched in a copy where such a seam becomes
# "; " (a word and a figure get a space); the evidence quoted is always the original sentence.
_SEAM = re.compile(r"(?=[A-Z][a-z])(?:(?<=[a-z])|(?<=[A-Z]{2}))")
_FIGURE_SEAM = re.compile(r"(?<=[a-z])(?=\d|[A-Z]{2}|[A-Z]\.[A-Z])")
_SEAM_MAYBE = re.compile(r"[a-z][A-Z\d]|[A-Z]{3}[a-z]")  # where either seam could be; most sentences have none


@functools.lru_cache(maxsize=2048)  # every fact reads the same sentences of a posting
def unglue(sentence: str) -> str:
    """The sentence with the seams of glued list items marked ("fieldMaster's" -> "field; Master's").

    Camel-case names stay whole ("DevOps experience", "JavaScript", "LinkedIn").
    """
    if not _SEAM_MAYBE.search(sentence):
        return sentence

    def mark(match: re.Match[str], sep: str) -> str:
        return "" if seam_in_name(match.string, match.start()) else sep

    spaced = _SEAM.sub(lambda m: mark(m, "; "), sentence)
    return _FIGURE_SEAM.sub(lambda m: mark(m, " "), spaced)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _render_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _column_text(label: str, value: Any) -> str:
    return f"{label} (listed field): {value}"


# --------------------------------------------------------------------------------------------
# salary

_PERIOD_ALIASES = {
    "hourly": "hourly", "hour": "hourly", "hr": "hourly", "per hour": "hourly",
    "daily": "daily", "day": "daily", "per day": "daily",
    "weekly": "weekly", "week": "weekly", "wk": "weekly",
    "biweekly": "biweekly", "bi-weekly": "biweekly",
    "monthly": "monthly", "month": "monthly", "mo": "monthly",
    "yearly": "yearly", "year": "yearly", "annual": "yearly", "annually": "yearly", "yr": "yearly",
    "annum": "yearly",
}


def normalize_period(value: Any) -> str | None:
    """'HOURLY', 'per hour', 'annual' -> 'hourly' / 'yearly'; None when it is not a pay period."""
    if value is None:
        return None
    key = str(value).strip().lower().replace("_", " ")
    return _PERIOD_ALIASES.get(key)


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError:
        return None
    return number if number == number and number > 0 else None  # NaN and zero are "not given"


def render_salary(salary: Salary) -> str:
    """'17–20 USD hourly', 'from 75,000 USD yearly': a plain rendering for column evidence."""
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


def _column_salary(columns: dict[str, Any]) -> Fact | None:
    low, high = _float(columns.get("min_salary")), _float(columns.get("max_salary"))
    if low is None and high is None:
        low = high = _float(columns.get("med_salary"))
    currency = str(columns.get("currency") or "").strip().upper() or "USD"
    period = normalize_period(columns.get("pay_period"))
    if low is not None or high is not None:
        if period is None:
            period = _period_from_magnitude(high if high is not None else low)
        if period is None:
            return None
        if low is not None and high is not None and low > high:
            low, high = high, low
        salary = Salary(min=low, max=high, currency=currency, period=period)
        return Fact(salary, _column_text("Salary", render_salary(salary)), COLUMN)
    raw = str(columns.get("salary_string") or "").strip()
    if not raw:
        return None
    offers = _salary_offers(raw, assume_pay=True)
    if not offers:
        return None
    salary = offers[0].salary
    if period is not None:
        salary.period = period
    if columns.get("currency"):
        salary.currency = currency
    return Fact(salary, _column_text("Salary", raw), COLUMN)


_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "CA$": "CAD", "C$": "CAD", "A$": "AUD",
                     "AU$": "AUD", "₹": "INR", "¥": "JPY"}
_CUR = r"(?:US\$|CA\$|AU\$|C\$|A\$|\$|£|€|₹|(?:USD|EUR|GBP|CAD|AUD|INR)\s?[$£€]?)"
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
_K = r"(?:\s?[kK](?![a-zA-Z])|\s?thousand\b)"
_BIG = r"(?:\s?(?:million|billion|trillion|mil\b|mm\b|MM\b|bn\b|[MBT](?![a-zA-Z])))"
_MONEY = re.compile(
    rf"(?P<c1>{_CUR})?\s?(?P<n1>{_NUM})(?P<k1>{_K})?(?P<b1>{_BIG})?"
    rf"(?:\s*(?:-|–|—|~|to|and)\s*(?P<c2>{_CUR})?\s?(?P<n2>{_NUM})(?P<k2>{_K})?(?P<b2>{_BIG})?)?"
    rf"(?P<code>\s?(?:USD|EUR|GBP|CAD|AUD|dollars)\b)?",
)
# "Salary Range: $", "pay rate of $", "salary is $": the figure is labelled as pay
_PAY_LABEL = re.compile(
    r"\b(?:salary|pay|compensation|wages?|rate|earnings)\b(?: range| rate| scale)?\s*(?:is|of)?\s*:?\s*$",
    re.I,
)
# words that make a nearby figure pay ("pays between $18-$25", "expect to earn $43,000")
_PAY_NEAR = re.compile(
    r"\b(?:pay|pays|paying|salary|salaries|compensation|comp|wages?|rates?|base|range|earn\w*|income|"
    r"offering|offer|ote)\b",
    re.I,
)
# words that make a sentence about pay at all ("Paid $17.00/Hour", "STARTING at $16/hr")
_PAY_WORDS = re.compile(
    r"\b(?:paid|make|making|hourly|annual\w*|starting|starts|(?:depending|based) on experience|commensurate|doe)\b",
    re.I,
)
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
    r"award|prize|equity|stock|raise|cash)\b",
    re.I,
)
_PERIOD_AFTER = re.compile(
    r"^(?:\s*(?:USD|EUR|GBP|dollars|\+|plus|and up|or more|DOE|base|gross|range|"
    r"(?-i:\(?[A-Z]{3}\)?)))*\s*"
    r"(?:(?P<per>/\s?(?:one\s)?|per\s(?:one\s)?|an?\s|each\s)\s?"
    r"(?P<unit>hours?|hrs?|h\b|days?|weeks?|wks?|months?|mos?\b|years?|yrs?|annum)"
    r"|(?:for\s+)?(?P<adverb>hourly|daily|weekly|bi-?weekly|monthly|annually|annual|yearly|p\.a\.|salary\b))",
    re.I,
)
_PERIOD_BEFORE = re.compile(r"\b(?P<word>hourly|daily|weekly|monthly|annual|annually|yearly)\b", re.I)
_FROM = re.compile(r"\b(?:from|starting(?: at| from)?|starts at|start at|minimum(?: of)?|at least|min\.?)\s*$", re.I)
_UP_TO = re.compile(r"\b(?:up to|upto|max(?:imum)?(?: of)?|as much as)\s*$", re.I)
_PLUS_AFTER = re.compile(r"^\s*(?:\+|plus\b|and up\b|or more\b|and above\b)", re.I)
_BOUNDS = {"hourly": (5, 1000), "daily": (30, 5000), "weekly": (100, 20000), "biweekly": (200, 40000),
           "monthly": (500, 100000), "yearly": (8000, 5_000_000)}


@dataclass
class _Offer:
    salary: Salary
    labelled: bool  # "Salary Range: $..."
    near_pay: bool  # a pay word shortly before the figure
    period_word: bool  # the period is written, not inferred from the size
    pay_sentence: bool  # the sentence talks about pay somewhere

    @property
    def rank(self) -> int:
        return 4 * self.labelled + 2 * self.near_pay + self.period_word + self.pay_sentence

    @property
    def clear(self) -> bool:
        """Clear enough to set beside a listed salary that says otherwise."""
        return self.labelled or (self.near_pay and self.period_word)


def _period_from_magnitude(amount: float | None) -> str | None:
    """Below 300 a figure is hourly pay, from 20,000 yearly; in between it is not guessed."""
    if amount is None:
        return None
    if amount < 300:
        return "hourly"
    if amount >= 20000:
        return "yearly"
    return None


_DIGIT = re.compile(r"\d")  # in every _MONEY match


def _salary_offers(sentence: str, assume_pay: bool = False) -> list[_Offer]:
    """Pay statements in one sentence, each with how sure we are it is the wage."""
    if not _DIGIT.search(sentence):
        return []
    matches = list(_MONEY.finditer(sentence))
    money = [m for m in matches if m.group("c1") or m.group("c2") or m.group("code")]
    offers: list[_Offer] = []
    for match in matches:
        # the context of a figure stops at the neighbouring sums of money
        previous_end = max((m.end() for m in money if m.end() <= match.start()), default=0)
        next_start = min((m.start() for m in money if m.start() >= match.end()), default=len(sentence))
        before = sentence[max(previous_end, match.start() - 90) : match.start()]
        after = sentence[match.end() : min(next_start, match.end() + 60)]
        offer = _offer(match, before, after, sentence, assume_pay)
        if offer is not None:
            offers.append(offer)
    return offers


def _offer(match: re.Match[str], before: str, after: str, sentence: str, assume_pay: bool) -> _Offer | None:
    has_currency = bool(match.group("c1") or match.group("c2") or match.group("code"))
    labelled = bool(_PAY_LABEL.search(before[-40:]))
    if not has_currency and not (labelled or assume_pay):
        return None
    if match.group("b1") or match.group("b2"):
        return None  # millions and billions are revenue, funding or deal sizes, not a wage
    if re.match(r"^s\b|^\s?(?:%|percent)", after) or re.search(r"[\d.]$", before):
        return None  # "$70,000s", "10%", or part of a longer figure
    low = _number(match.group("n1"))
    high = _number(match.group("n2")) if match.group("n2") else None
    if match.group("k2") and high is not None:
        high *= 1000
        if not match.group("k1") and low < 1000:
            low *= 1000  # "$40 - $45K"
    if match.group("k1"):
        low *= 1000
        if high is not None and not match.group("k2") and high < 1000:
            high *= 1000  # "$120k-150"
    if low <= 0 or (high is not None and high < low):
        return None

    period_match = _PERIOD_AFTER.match(after)
    period = None
    if period_match:
        period = normalize_period(period_match.group("unit") or period_match.group("adverb").replace(".", ""))
        if period is None and period_match.group("unit"):
            unit = period_match.group("unit").lower().rstrip("s")
            period = normalize_period({"h": "hour", "annum": "year"}.get(unit, unit))
        if period is None and period_match.group("adverb"):
            period = "yearly" if period_match.group("adverb").lower().startswith(("annual", "p.a", "salary")) else None
    tail = after[period_match.end() :] if period_match else after
    head_words = before.split()[-5:]
    if _NON_PAY.search(" ".join(head_words)) and not _PAY_LABEL.search(before[-40:]):
        return None
    tail = re.split(r"[+,;:(.]|\bplus\b|\bwith\b|\band\b|\balong\b|(?<=[a-z])(?=[A-Z])", tail, maxsplit=1)[0]
    tail_words = tail.split()[:3]
    if _NON_PAY.search(" ".join(tail_words)):
        return None
    period_word = period is not None
    if period is None:
        before_period = _PERIOD_BEFORE.findall(before)
        if before_period:
            period = normalize_period(before_period[-1])
            period_word = period is not None
    if _PER_UNIT.search(" ".join(re.findall(r"[A-Za-z]+", before)[-2:])) or _PER_UNIT_AFTER.match(tail):
        return None  # "session compensation ($35 and up)", "40 USD for 1 person": pay per piece, not per period
    near_pay = bool(_PAY_NEAR.search(before[-60:])) or labelled or assume_pay
    # "EUR 65,000 – 80,000 per year." under "What we offer": a sum with its currency opens the sentence
    opens = has_currency and not sentence[: match.start()].strip(" \t-–•*·")
    pay_sentence = near_pay or opens or bool(_PAY_WORDS.search(sentence)) or bool(_PAY_NEAR.search(sentence))
    if period is None:
        if not near_pay:
            return None
        period = _period_from_magnitude(high if high is not None else low)
        if period is None:
            return None
    if not (near_pay or (period_word and pay_sentence)):
        return None
    lowest, highest = _BOUNDS.get(period, (0, float("inf")))
    if not all(lowest <= value <= highest for value in (low, high) if value is not None):
        return None

    currency = _currency(match)
    if high is None:
        if _UP_TO.search(before):
            low, high = None, low
        elif _FROM.search(before) or _PLUS_AFTER.match(after) or re.match(r"^\s*(?:per \w+\s*)?and up\b", after):
            high = None
        else:
            high = low
    salary = Salary(min=low, max=high, currency=currency, period=period)
    return _Offer(salary, labelled, near_pay, period_word, pay_sentence)


def _currency(match: re.Match[str]) -> str:
    for group in ("c1", "c2", "code"):
        raw = (match.group(group) or "").strip()
        if not raw:
            continue
        code = re.match(r"[A-Z]{3}", raw)
        if code:
            return code.group(0)
        if raw.lower() == "dollars":
            return "USD"
        return _CURRENCY_SYMBOLS.get(raw, "USD")
    return "USD"


def _same_salary(a: Salary, b: Salary) -> bool:
    def close(x: float | None, y: float | None) -> bool:
        return x is None or y is None or abs(x - y) <= 0.005 * max(abs(x), abs(y))

    return a.period == b.period and close(a.min, b.min) and close(a.max, b.max)


def extract_salary(columns: dict[str, Any], sentences: list[str]) -> tuple[Fact | None, Fact | None]:
    """(salary, salary_text): the column salary else the text's; salary_text when the text differs."""
    column = _column_salary(columns)
    offers = [(offer, sentence) for sentence in sentences for offer in _salary_offers(unglue(sentence))]
    if column is None:
        if not offers:
            return None, None
        best, sentence = max(offers, key=lambda item: item[0].rank)  # max keeps the first of equals
        return Fact(best.salary, sentence, TEXT), None
    if any(_same_salary(column.value, offer.salary) for offer, _ in offers):
        return column, None
    clear = [(offer, sentence) for offer, sentence in offers if offer.clear]
    if not clear:
        return column, None
    best, sentence = max(clear, key=lambda item: item[0].rank)
    return column, Fact(best.salary, sentence, TEXT)


# --------------------------------------------------------------------------------------------
# remote / hybrid / on-site

def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_NOT_REMOTE = _rx(
    r"\bnot (?:a |an )?(?:fully )?remote\b|\bno remote\b|\bremote work is not\b|\bnot eligible for remote\b"
)
_NEGATED_REMOTE = re.compile(r"\b(?:not|no|don't|do not|cannot|can't|never|without)\b[^.;]{0,50}\bremote", re.I)
_HYBRID = _rx(
    r"\bhybrid\b(?![ -](?:heat|cloud|vehicles?|cars?|apps?|mobile|solutions?|approach|infrastructure|"
    r"systems?|integration|model of care|electric))"
    r"(?!\s*(?:[/,&]|and|or)?\s*(?:remote|in-?person)?\s*(?:professionals|employees|teams?|workers|"
    r"workforce|colleagues|members|events?|meetings?|sessions?|classes|courses|learning|trainings?)(?-i:(?![a-z])))"
    r"|\b(?:[1-4]|one|two|three|four)\s+(?:days?|weeks?)\s+(?:a week\s+|per week\s+|each week\s+)?"
    r"(?:in|at|from)\s+(?:the\s+|our\s+)?(?:office|home|site)\b"
    r"|\bon-?site\s+(?:[1-4]|one|two|three|four)\s+days?\b"
    r"|\b(?:[1-4]|one|two|three|four)\s+days?\s+(?:a|per|each)\s+week\s+on-?site\b"
    r"|\bpart(?:ly|ially)? remote\b|\bremote and in-?(?:office|person)\b|\bin-?(?:office|person) and remote\b"
)
# "remote or hybrid", "Position is hybrid/remote": the job may be done remotely
_REMOTE_OR_HYBRID = _rx(
    r"\b(?:is|be|are|:|position|role|job|work|option|options)\s+(?:\w+\s+)?"
    r"(?:remote\s*(?:or|/)\s*hybrid|hybrid\s*(?:or|/)\s*remote)\b"
)
_REMOTE_STRONG = _rx(
    r"\b(?:fully|100\s?%|completely|entirely|permanently|totally|all|full[- ]time)[ -]remote\b"
    r"|💯\s?%\s?remote"
    r"|\bremote[ -](?:position|role|job|opportunity|contract|first|only|based|eligible|friendly|ok|options?|"
    r"internship|work is (?:allowed|available|possible))\b"
    r"|\b(?:position|role|job|work|this|internship)\s+(?:is|will be|can be|could be|may be)\s+(?:\w+\s+)?remote\b"
    r"|\blocation\s*:\s*(?:\w+\s*)?\(?(?:100\s?%\s*)?remote\b"
    r"|\bremote\s*\((?:us|u\.s\.|usa|united states|anywhere|[^)]{0,30}residents?)[^)]*\)"
    r"|\(remote\)|\bremote\s*\("
    r"|\b(?:position|role|job|you|you'll|you will|candidate|this)\b[^.;]{0,30}\bwork(?:s|ing)?\s+(?:\w+\s+)?remotely\b"
    r"|^\W*work remotely\b"
    r"|\bwork(?:s|ing)?\s+(?:\w+\s+)?from (?:home|anywhere)\b"
    r"|\bwork[- ]from[- ](?:home|anywhere)\b|\bwfh\b|\btelecommut\w*"
)
_ONSITE = _rx(
    r"\bon-?site (?:role|position|job|internship|only|opportunity)\b"
    r"|\b(?:work|works|working|located|based)\s+(?:\w+\s+)?on-?site\b|\(on-?site\)"
    r"|\blocation\s*:\s*on-?site\b"
    r"|\b(?:100\s?%|fully|full[- ]time|day one|must be|required to (?:work|be))\s+on-?site\b"
    r"|\bwork (?:location|setting)\s*:\s*in[- ]person\b|\bin-?person (?:role|position|job|internship)\b"
    r"|\bfull(?:y)? in-?person\b|\bin[- ]office (?:role|position|job|full[- ]time|only)\b"
    r"|\b(?:work|works|working) in[- ]office\b"
    r"|\bthis is (?:an? )?in[- ]office\b|\bmust (?:work|be) in (?:the |our )?office\b|\bsetting\s*:\s*in[- ]office\b"
    # "This position is on-site five days a week", "The internship is fully on-site"
    r"|\b(?:position|role|job|internship|contract|assignment|engagement|this|it|work)\s+(?:is|will be)\s+"
    r"(?:(?:fully|100\s?%|entirely|completely|strictly)\s+)?on-?site\b"
    # a sentence that opens with it: "On-site in Dallas, Monday through Friday."
    r"|^\W*(?:(?:fully|100\s?%)\s+)?on-?site\b(?=\s*(?:in|at)\s+(?-i:[A-Z])|\s*[,.;:–—-]|\s*$)"
)
# a listed "(Hybrid)" / "Remote" hint or a title marker: hybrid first, as "Hybrid remote" is hybrid
_WHERE_WORDS = (("hybrid", _rx(r"\bhybrid\b")), ("on-site", _rx(r"\bon-?site\b|\bin[- ]office\b|\bin[- ]person\b")),
                ("remote", _rx(r"\bremote\b")))


# Words without which the patterns above cannot match, looked up in the folded sentence first (faster).
_WHERE_MAYBE = any_of(("remote", "hybrid", "site", "office", "person", "home", "telecommut", "wfh", "anywhere"))
_HYBRID_WORDS = any_of(("hybrid", "day", "week", "site", "remote"))
_REMOTE_STRONG_WORDS = any_of(("remote", "home", "anywhere", "wfh", "telecommut"))
_ONSITE_WORDS = any_of(("site", "person", "office"))


def _remote_in_sentence(sentence: str) -> str | None:
    """'remote', 'hybrid' or 'on-site' when one sentence says where this job is done."""
    lowered = folded(sentence)
    if not _WHERE_MAYBE(lowered):
        return None
    says_remote = "remote" in lowered  # _NOT_REMOTE, _NEGATED_REMOTE and _REMOTE_OR_HYBRID need it
    if says_remote and _NOT_REMOTE.search(sentence):
        return "on-site"
    negated = says_remote and bool(_NEGATED_REMOTE.search(sentence))
    either = says_remote and "hybrid" in lowered and bool(_REMOTE_OR_HYBRID.search(sentence))
    if _HYBRID_WORDS(lowered) and _HYBRID.search(sentence) and not either:
        return "hybrid"
    remote = not negated and (either or bool(_REMOTE_STRONG_WORDS(lowered) and _REMOTE_STRONG.search(sentence)))
    onsite = bool(_ONSITE_WORDS(lowered) and _ONSITE.search(sentence))
    if remote and onsite:
        return "hybrid"
    if remote:
        return "remote"
    if onsite:
        return "on-site"
    return None


def _remote_hint(raw: Any) -> str | None:
    text = str(raw or "")
    return next((value for value, pattern in _WHERE_WORDS if pattern.search(text)), None)


_WHERE_IN_TITLE = _rx(r"[(\[|\-–]\s*(remote|hybrid|on-?site)\b|\b(remote|hybrid|on-?site)\s*[)\]]")


def extract_remote(columns: dict[str, Any], title: str, sentences: list[str]) -> Fact | None:
    """Remote, hybrid or on-site: the listed field, else a statement in the text, else a title marker."""
    if columns.get("remote") is True:
        return Fact("remote", _column_text("Remote", "yes"), COLUMN)
    hint = _remote_hint(columns.get("remote_hint"))
    if hint:
        return Fact(hint, _column_text("Workplace", str(columns["remote_hint"]).strip()), COLUMN)
    found = [(value, sentence) for sentence in sentences if (value := _remote_in_sentence(unglue(sentence)))]
    if found:
        values = {value for value, _ in found}
        value = "hybrid" if "hybrid" in values else found[0][0]
        sentence = next(s for v, s in found if v == value)
        return Fact(value, sentence, TEXT)
    in_title = _WHERE_IN_TITLE.search(title or "")
    if in_title and (value := _remote_hint(in_title.group(0))):
        return Fact(value, _column_text("Title", title.strip()), COLUMN)
    return None


# --------------------------------------------------------------------------------------------
# employment type

_TYPE_WORDS = {
    "full-time": "Full-time", "full time": "Full-time", "fulltime": "Full-time", "ft": "Full-time",
    "part-time": "Part-time", "part time": "Part-time", "parttime": "Part-time", "pt": "Part-time",
    "contract": "Contract", "contractor": "Contract", "contract-to-hire": "Contract", "c2c": "Contract",
    "w2 contract": "Contract", "1099": "Contract", "freelance": "Contract",
    "temporary": "Temporary", "temp": "Temporary", "seasonal": "Temporary",
    "internship": "Internship", "intern": "Internship",
    "volunteer": "Volunteer",
}
_TYPE = (r"(full[- ]?time|part[- ]?time|contract(?:-to-hire|or)?|c2c|w2 contract|temporary|seasonal|internship|intern|"
         r"volunteer|freelance)")
# "Job Type: Full-time", "Schedule: Full-time, 36 hours", UK "Contract: Permanent, full-time"
_TYPE_LABEL = re.compile(
    rf"\b(?:(?:job|position|employment|work|role|contract)?\s*(?:types?|status)|employment|contract|schedule|hours)"
    rf"\s*:\s*(?:permanent\s*(?:[,/&]|and)?\s*)?{_TYPE}\b",
    re.I,
)
# a job board's chips: "Full-time · Mid-Senior level", "Engineering · Full-time"
_TYPE_CHIP = re.compile(rf"(?:^\s*{_TYPE}\s*[·|•]|[·|•]\s*{_TYPE}\s*(?:[·|•]|$))", re.I)
_TYPE_STATEMENT = re.compile(
    rf"\b(?:this|the|a|an|is|as)\s+(?:is\s+)?(?:an?\s+)?(?:\w+[, ]+){{0,3}}?{_TYPE}[, ]+"
    r"(?:(?:\w+|on-site|in-person)[, ]+){0,2}?(?:role|position|job|opportunity|assignment|engagement|employment|"
    r"internship|program|hire)\b",
    re.I,
)
_INTERNSHIP = re.compile(r"\b(?:this|the|an?|our)\s+(?:[\w-]+\s+){0,3}?(internship)\b", re.I)
_TYPE_TITLE = re.compile(rf"[(\[|\-–,]\s*{_TYPE}\s*[)\]]?|{_TYPE}\s*[)\]]", re.I)
_NOT_THIS_JOB = re.compile(
    r"\b(?:grow|growing|transition|transitions|convert|conversion|lead|leads|path|potential|possibility|become|"
    r"move|moving|promoted|eventually|future|not|other|our|all|existing)\b[^.;]{0,30}$"
    r"|\bcontract (?:for|of) employment\b",
    re.I,
)
_CONTRACT_HINT = re.compile(
    r"\b(?:c2c|corp[- ]to[- ]corp|w2 contract|contract[- ]to[- ]hire|1099 (?:contractor|position|role)|"
    r"independent contractor|contract (?:role|position|job|assignment|engagement))\b",
    re.I,
)


def _employment_value(raw: str) -> str | None:
    key = re.sub(r"\s+", " ", raw.strip().lower())
    value = _TYPE_WORDS.get(key) or _TYPE_WORDS.get(key.replace("-", " "))
    return value if value in EMPLOYMENT_TYPES else None


def extract_employment_type(columns: dict[str, Any], title: str, sentences: list[str]) -> Fact | None:
    """Full-time, part-time, contract...: the listed field, else a statement about this job."""
    listed = str(columns.get("work_type") or "").strip()
    if listed:
        value = listed if listed in EMPLOYMENT_TYPES else _employment_value(listed.replace("_", " "))
        if value:
            return Fact(value, _column_text("Work type", listed), COLUMN)
    for pattern in (_TYPE_LABEL, _TYPE_CHIP, _TYPE_STATEMENT, _INTERNSHIP):
        for sentence in sentences:
            plain = unglue(sentence)
            for match in pattern.finditer(plain):
                if _NOT_THIS_JOB.search(plain[max(0, match.start() - 40) : match.start()] + match.group(0)):
                    continue  # "grow into a full-time position", "not a contract for employment"
                if value := _employment_value(next(g for g in match.groups() if g)):
                    return Fact(value, sentence, TEXT)
    in_title = _TYPE_TITLE.search(title or "")
    if in_title:
        raw = next(g for g in in_title.groups() if g)
        if value := _employment_value(raw):
            return Fact(value, _column_text("Title", title.strip()), COLUMN)
    for sentence in sentences:
        if _CONTRACT_HINT.search(unglue(sentence)):
            return Fact("Contract", sentence, TEXT)
    return None


# --------------------------------------------------------------------------------------------
# programming languages


def extract_languages(sentences: list[str]) -> list[Fact]:
    """Each programming language named, once, with the first sentence naming it."""
    return [Fact(language, sentence, TEXT) for language, sentence in languages_in_sentences(sentences)]


# --------------------------------------------------------------------------------------------
# years of experience

_WORDS = "|".join(_WORD_NUMBERS)
# a figure: digits ("5", "(1)" and, once unglued, "development 1+"), a number word, or "a" after "at least"
_FIGURE = rf"(?:(?<![\d$/])(?<!\w-)(?<!\d[.,])\(?\d{{1,2}}\)?|\b(?:{_WORDS})\b|(?<=at least )a\b|(?<=minimum of )a\b)"
_PAREN = r"(?:\s*\(\d{1,2}(?:\s*[-–]\s*\d{1,2})?\+?\))?"  # "seven (7)", "two to five (2-5)"
_YEARS = re.compile(
    rf"(?P<n1>{_FIGURE}){_PAREN}\s*\+?"
    rf"(?:\s*(?:-|–|—|to|or)\s*(?P<n2>\d{{1,2}}|{_WORDS}){_PAREN})?"
    r"\s*(?:\+|plus\b|or more\b|or greater\b)?\s*(?:full[- ]time\s+)?(?:years?|yrs?)\b\.?(?:\s*\(s\))?\s*\+?(?!-)",
    re.I,
)
# "Min 10 to12+ strong development experience": a figure with no "years" right after a minimum word.
_YEARS_BARE = re.compile(
    rf"\b(?:min(?:imum)?\.?|at least)\s+(?:of\s+)?(?P<n1>\d{{1,2}})(?:\s*(?:-|to)\s*(?P<n2>\d{{1,2}}))?\s*\+?"
    r"\s+(?:\w+\s+){0,3}?(?:experience|exp)\b",
    re.I,
)
_NO_EXPERIENCE = re.compile(
    r"\bno (?:prior |previous |professional |work |formal )?experience (?:is |is not )?(?:required|necessary|needed)\b",
    re.I,
)
# after the figure: "of relevant .NET/C# development experience", "in sales", "(Required)"
_EXPERIENCE_AFTER = re.compile(
    r"^[\s'’]*(?:[^\s;:]+\s+){0,12}?(?:experience|exp\b|experienced|background|work\w*|employment|history in|"
    r"on the job)",
    re.I,
)
# "6+ years of professional iOS development", "5 years of hands-on C# programming": the practice itself
_PRACTICE_AFTER = re.compile(
    r"^[\s'’]*of\s+(?:[^\s;:]+\s+){0,4}?(?:development|programming|coding|software engineering)\b", re.I
)
_FIELD_AFTER = re.compile(
    r"^[\s'’]*(?:of\s+)?(?:in|as an?|as|doing|selling|managing|leading|teaching|practicing)\s+\w", re.I
)
_REQUIRED_AFTER = re.compile(r"^[\s'’]*(?:of\s+)?(?:[^\s;:.]+\s+){0,6}?(?:required|needed|minimum)\b", re.I)
_EXPERIENCE_BEFORE = re.compile(r"\bexperience\b[^.]{0,60}$|\bexp\s*:\s*$|:\s*$", re.I)
_REQUIRED_NEAR = re.compile(r"\b(?:minimum|min\.?|at least|required|requires?|must|need(?:ed|s)?|demonstrated)\b", re.I)
_MINIMUM_BEFORE = re.compile(r"\b(?:minimum(?: of)?|min\.?|at least|must have|requires?|required)\s*:?\s*$", re.I)
_PREFERRED_AFTER = re.compile(
    r"^[^.;:]{0,80}?\b(?:preferred|a plus|desired|desirable|nice to have|is a bonus|an advantage|ideal(?:ly)?)\b", re.I
)
# "with over 44 years of experience, we ...", "serving Omaha for 30 years": the company's history
_HISTORY_BEFORE = re.compile(
    r"\b(?:over|more than|for|nearly|almost|since|past|last|after|within|every|each|first|in the|than|"
    r"celebrat\w*|established|founded|anniversary)\s+(?:the\s+)?(?:past\s+|last\s+)?$",
    re.I,
)
_HISTORY_AFTER = re.compile(
    r"^\s*(?:old|of age|ago|in business|of service|of operation|in operation|history|in a row|consecutive|"
    r"anniversary|later|from now|or older|of (?:our|their) (?:history|existence)|"
    r"(?:of|in) (?:college|school|university|high school)|college|degree|program|of (?:college|school))\b",
    re.I,
)
_TERM_AFTER = re.compile(r"^\s*(?:contract|term|lease|warranty|commitment|agreement|assignment)\b", re.I)
_COMPANY_SUBJECT = re.compile(
    r"\b(?:we|we've|we're|our|us|company|firm|agency|organization|has been|have been|founded|serving|served|"
    r"established|history|legacy)\b",
    re.I,
)
_CANDIDATE_WORDS = re.compile(
    r"\b(?:you|your|candidates?|applicants?|individuals?|someone|person|required|requires?|requirements?|must|"
    r"minimum|preferred|qualifications?|ideal|seek\w*|looking for|need for|hire|hiring)\b",
    re.I,
)
_WE_BEFORE = re.compile(r"\b(?:we|we've|we're|our|us)\b[^.;]{0,40}$", re.I)
_PREFERRED_HEADING = re.compile(r"prefer|desired|nice to have|bonus|plus|ideal", re.I)


@dataclass
class _Years:
    value: int
    score: int
    order: int
    sentence: str


def _to_int(raw: str) -> int:
    raw = raw.strip().strip("()").lower()
    if raw == "a":
        return 1
    return int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]


_find_years_word = any_of(("year", "yr"))  # in every _YEARS match
_find_minimum_word = any_of(("min", "at least"))  # with "exp", in every _YEARS_BARE match


def _years_in_sentence(sentence: str, preferred_section: bool) -> list[tuple[int, int]]:
    """(years, score) for each experience requirement in one sentence."""
    lowered = folded(sentence)
    stated = _find_years_word(lowered) is not None
    bare = "exp" in lowered and _find_minimum_word(lowered) is not None
    if not (stated or bare):
        return []
    found: list[tuple[int, int]] = []
    for match in _YEARS.finditer(sentence) if stated else ():
        before, raw_after = sentence[: match.start()], sentence[match.end() :]
        after = re.sub(r"^\s*\([^)]{0,60}\)", " ", raw_after)  # "3 years (5+ preferred) experience"
        if _HISTORY_AFTER.match(after):
            continue
        experience_after = bool(_EXPERIENCE_AFTER.match(after[:160]))
        if _TERM_AFTER.match(after) and not _EXPERIENCE_AFTER.match(after[:40]):
            continue  # "a 2 year contract"
        if _HISTORY_BEFORE.search(before[-25:]) and (
            _COMPANY_SUBJECT.search(sentence) or not _CANDIDATE_WORDS.search(sentence)
        ):
            continue
        if _WE_BEFORE.search(before) and not _CANDIDATE_WORDS.search(before):
            continue  # "we have 20 years of experience in roofing"
        if re.search(r"\b(?:enrolled|pursuing|student)\b[^.;]{0,80}$", before, re.I):
            continue  # "enrolled in an undergraduate program for at least 2 years"
        labelled = bool(_EXPERIENCE_BEFORE.search(before[-70:])) and bool(re.search(r"experience|exp\b", before, re.I))
        marked = bool(re.match(r"^\s*\((?:required|preferred)\)", raw_after, re.I))
        minimum = bool(_MINIMUM_BEFORE.search(before[-25:]))
        stated = bool(_FIELD_AFTER.match(after) or _REQUIRED_AFTER.match(after) or _PRACTICE_AFTER.match(after))
        if not (experience_after or labelled or marked or minimum or stated):
            continue
        low = _to_int(match.group("n1"))
        high = _to_int(match.group("n2")) if match.group("n2") else None
        if low > 40 or (high is not None and high < low):
            continue
        found.append((low, _years_score(before, after)))
    for match in _YEARS_BARE.finditer(sentence) if bare else ():
        before, after = sentence[: match.start()], sentence[match.end() :]
        low = int(match.group("n1"))
        if 0 < low <= 40 and not any(True for m in _YEARS.finditer(match.group(0))):
            found.append((low, _years_score(before + "minimum ", after)))
    if preferred_section:
        found = [(value, score - 2) for value, score in found]
    return found


_LABEL = re.compile(r"([A-Za-z][A-Za-z /&'’-]{2,60}):")


def _years_score(before: str, after: str) -> int:
    score = 2
    labels = _LABEL.findall(before[-160:])
    if labels and _PREFERRED_HEADING.search(labels[-1]):
        score -= 2  # "Desired Skills and Experience: ... 7 years"
    if _REQUIRED_NEAR.search(before[-40:]) or re.match(r"^[^.;]{0,80}\b(?:required|needed)\b", after, re.I):
        score += 1
    if _PREFERRED_AFTER.match(after) or re.search(r"\b(?:preferred|preferably|ideally)\s*:?\s*$", before[-30:], re.I):
        if not re.match(r"^[^.;:]{0,40}\bpreferably\b", after, re.I):
            score -= 2
    return score


def extract_min_years(sentences: list[str]) -> Fact | None:
    """The minimum years of experience the main requirement asks for (the low end of a range)."""
    candidates: list[_Years] = []
    section_preferred = False
    order = 0
    for sentence in sentences:
        if is_heading(sentence):
            section_preferred = bool(_PREFERRED_HEADING.search(sentence))
        for value, score in _years_in_sentence(unglue(sentence), section_preferred):
            candidates.append(_Years(value, score, order, sentence))
            order += 1
    if candidates:
        best = max(candidates, key=lambda c: (c.score, -c.order))
        return Fact(best.value, best.sentence, TEXT)
    for sentence in sentences:
        if _NO_EXPERIENCE.search(unglue(sentence)):
            return Fact(0, sentence, TEXT)
    return None


# --------------------------------------------------------------------------------------------
# degree

def _any(*alternatives: str) -> str:
    return "|".join(alternatives)


def _dotted(word: str) -> tuple[str, ...]:
    """Every spelling of an abbreviation with or without a dot after each letter but the last ("mba", "m.b.a")."""
    spellings = [word[0]]
    for letter in word[1:]:
        spellings = [f"{s}{dot}{letter}" for s in spellings for dot in ("", ".")]
    return tuple(spellings)


@dataclass(frozen=True)
class _DegreePattern:
    level: str
    regex: re.Pattern[str]
    keys: tuple[str, ...]  # every match holds one of these: in the folded sentence, or as written when case matters
    ignore_case: bool

    _find_key: Callable[[str], re.Match[str] | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_find_key", any_of(self.keys))  # frozen: set once here

    def may_match(self, sentence: str, lowered: str) -> bool:
        """False when no key is in the sentence (lowered: index.text.folded of it), so the regex cannot match."""
        return self._find_key(lowered if self.ignore_case else sentence) is not None


# (level, pattern, flags, keys); abbreviations that are also ordinary words ("MS Office", "BA" analyst, "MA" the
# state) count only next to "degree", "in", or another degree ("BS/MS"). Keys: see _DegreePattern.
_DEGREE_PATTERNS: tuple[_DegreePattern, ...] = tuple(
    _DegreePattern(level, re.compile(pattern, flags), keys, bool(flags & re.I))
    for level, pattern, flags, keys in (
        ("PhD", _any(
            r"\bph\.?\s?d\b\.?", r"\bdoctor(?:ate|al)\b(?! students?)", r"\bmedical degree\b",
            r"\bdoctor of (?:medicine|veterinary|pharmacy|osteopath\w*|physical therapy|psychology|philosophy|"
            r"education|nursing|jurisprudence|dental|chiropractic|optometry|audiology)\b",
            r"\bpsy\.?\s?d\b", r"\bed\.?\s?d\b(?=\W)", r"\bpharm\.?\s?d\b", r"\bd\.?v\.?m\b", r"\bd\.?d\.?s\b",
            r"\bd\.?p\.?t\b", r"\bjuris doctor\b", r"\bj\.d\.", r"\bJD\b(?= degree|\s*\(|\s+from)", r"\bM\.D\.",
            r"\bMD(?=/DO|\s+or\s+DO|\s+degree)", r"\bDNP\b"), re.I,
         ("phd", "ph.d", "ph d", "ph. d", "doctor", "medical degree", "psy", "edd", "ed.d", "ed d", "ed. d", "pharm",
          *_dotted("dvm"), *_dotted("dds"), *_dotted("dpt"), "j.d.", "jd", "m.d.", "md", "dnp")),
        ("Master", _any(
            r"\bmaster['’]s\b",
            r"\bmasters?['’]?\s+(?:degree|in\b|or\b|of (?:science|arts|business|social|education|public|fine|"
            r"engineering|architecture|health|library|accountancy|laws|professional))",
            r"\bmasters\b(?=\s*(?:preferred|required|\(|/))", r"\bM\.?B\.?A\b",
            r"\bM\.[SA]\.(?=\s*(?:in\b|degree|or\b|/|,|\)|preferred|required))", r"\bMSc\b", r"\bMSW\b", r"\bMSN\b",
            r"\bMPH\b", r"\b(?-i:M\.?Ed)\b", r"\bMFA\b", r"\bMPA\b", r"\bgraduate(?:[- ]level)? degree\b",
            r"\bpost-?graduate degree\b"), re.I,
         ("master", *_dotted("mba"), "m.s.", "m.a.", "msc", "msw", "msn", "mph", "med", "m.ed", "mfa", "mpa",
          "graduate")),
        ("Master", _any(
            r"(?<![\w.])MS(?=\s*(?:/|or)\s*Ph\.?\s?D|\s+(?:degree|in)\b)", r"(?<=BS/)MS\b", r"(?<=B\.S\./)M\.?S\b",
            r"(?<![\w.])MA(?=\s+(?:degree|in)\b)"), 0, ("MS", "M.S", "MA")),
        ("Bachelor", _any(
            r"\bbachelor'?s?['’]?s?\b", r"\bbaccalaureate degree\b", r"\bB\.S\.(?=\W)", r"\bB\.A\.(?=\W)", r"\bBSc\b",
            r"\bBSN\b", r"\bB\.?S\.?E\.?E\b", r"\bBBA\b", r"\bundergraduate degree\b",
            r"\b(?:4|four)[- ]year [^.;]{0,60}?degree\b", r"\bcollege degree\b", r"\buniversity degree\b",
            r"\b(?:graduat\w+|degree) from (?:an? )?(?:accredited )?(?:4|four)[- ]year (?:college|university)"), re.I,
         ("bachelor", "baccalaureate", "b.s.", "b.a.", "bsc", "bsn", *_dotted("bsee"), "bba", "degree", "graduat")),
        ("Bachelor", _any(
            r"(?<!\w)(?:BS|BA)(?=\s*(?:/|or)\s*(?:BS|BA|MS|MA|M\.S)|\s+(?:degree|in)\b)", r"(?<=BA/)BS\b",
            r"(?<=BS/)BA\b"), 0, ("BS", "BA")),
        ("Associate", _any(
            r"\bassociate'?s?['’]?s?\s+(?:degree|of (?:arts|science|applied))",
            r"\bassociate'?s?['’]?s? or (?:a )?(?:bachelor|higher|college)", r"\bA\.A\.S?\b", r"\bAAS\b(?= degree)",
            r"\b(?:2|two)[- ]year (?:college )?degree\b",
            r"\b(?:an|have an|minimum of an) associate'?s?['’]?s?\s+(?:or|/|degree)\b"), re.I,
         ("associate", "a.a.", "aas", "degree")),
        ("HighSchool", _any(
            r"\bhigh[- ]school (?:diploma|degree|education|graduate|equivalen\w*|or (?:equivalent|GED))",
            r"\bhigh[- ]school\s*/\s*GED\b", r"\bHS\s*(?:diploma|/\s*GED|or GED)\b", r"\bGED\b",
            r"\bsecondary school (?:diploma|certificate)"), re.I,
         ("high school", "high-school", "hs", "ged", "secondary school")),
    )
)
_DEGREE_WORDS = any_of(key for p in _DEGREE_PATTERNS if p.ignore_case for key in p.keys)
_DEGREE_ABBREVIATIONS = any_of(key for p in _DEGREE_PATTERNS if not p.ignore_case for key in p.keys)
_DEGREE_NOT_HELD = re.compile(
    r"\b(?:currently enrolled|enrolled in|pursuing|current(?:ly)? (?:a )?student|students? (?:in|of|enrolled)|"
    r"rising (?:junior|senior)|working towards?)\b",
    re.I,
)
@dataclass
class _Degree:
    level: str
    preferred: bool


# A test that a sentence may name a degree at all, made after the keys (it misses a few spellings the patterns
# know, "D.D.S", "Psy D", "graduated from a four-year university": such a sentence is left unread, as before).
_DEGREE_MAYBE = re.compile(
    r"bachelor|master|degree|diploma|ged|ph\.?\s?d|doctor|associate|baccalaureate|high[- ]school|secondary|"
    r"psy\.?d|pharm|juris|[BM]\.?[SA]|MBA|MS[WN]|MPH|M\.?Ed|MFA|MPA|BSc|BSN|BBA|AAS|A\.A|HS|J\.?D|M\.?D|DNP|"
    r"D\.?V\.?M|DDS|DPT|Ed\.?D",
    re.I,
)


def _degrees_in_sentence(sentence: str, preferred_section: bool) -> list[_Degree]:
    """Each degree a sentence names, and whether the sentence only prefers it."""
    lowered = folded(sentence)
    if not (_DEGREE_WORDS(lowered) or _DEGREE_ABBREVIATIONS(sentence)):
        return []  # most sentences: no pattern can match
    patterns = [p for p in _DEGREE_PATTERNS if p.may_match(sentence, lowered)]
    if not patterns or not _DEGREE_MAYBE.search(sentence):
        return []
    found = sorted((m.start(), m.end(), p.level) for p in patterns for m in p.regex.finditer(sentence))
    if not found or (_DEGREE_NOT_HELD.search(sentence) and not re.search(r"\bcompleted?\b", sentence, re.I)):
        return []
    out = []
    for index, (start, end, level) in enumerate(found):
        clause = _degree_clause(sentence, end, found[index + 1][0] if index + 1 < len(found) else None)
        head = sentence[max(0, start - 40) : start]
        decided = _REQUIRED_OR_PREFERRED.search(clause)
        if decided:
            preferred = not decided.group(0).lower().startswith("required")
        else:
            preferred = preferred_section or bool(re.search(r"\b(?:preferred|preferably|ideally)\s*:?\s*$", head, re.I))
        out.append(_Degree(level, preferred))
    return out


# the first of these after a degree decides: "HS/GED Required; Associate degree preferred, but not required"
_REQUIRED_OR_PREFERRED = re.compile(
    r"\brequired\b|\bnot required\b|\b(?:preferred|preferably|a plus|is a bonus|desired|desirable|nice to have|"
    r"valued|advantage|advantageous|ideal|big plus)\b",
    re.I,
)


def _degree_clause(sentence: str, end: int, next_start: int | None) -> str:
    """What a sentence says right after a degree: up to the clause end or the next degree of another item.

    "Master's or PhD preferred" keeps the alternatives together; "BS in ME, MS in ME preferred" does not.
    """
    stop = re.search(r"[;.](?:\s|$)", sentence[end:])
    limit = end + (stop.start() if stop else len(sentence) - end)
    if next_start is not None and next_start < limit and re.search(r",|\band\b|\bwith\b", sentence[end:next_start]):
        limit = next_start
    clause = sentence[end : min(limit, end + 160)]
    return re.sub(r"\([^)]*\)", " ", clause)  # "(Mechanical Engineering preferred)" is about the field


def extract_degree(sentences: list[str]) -> Fact | None:
    """The lowest degree the posting accepts (a required one if any is required)."""
    candidates: list[tuple[_Degree, str]] = []
    section_preferred = False
    for sentence in sentences:
        if is_heading(sentence):
            section_preferred = bool(_PREFERRED_HEADING.search(sentence))
        candidates.extend(
            (degree, sentence) for degree in _degrees_in_sentence(unglue(sentence), section_preferred)
        )
    if not candidates:
        return None
    required = [c for c in candidates if not c[0].preferred]
    best, sentence = min(required or candidates, key=lambda c: DEGREES.index(c[0].level))
    return Fact(best.level, sentence, TEXT)


# --------------------------------------------------------------------------------------------
# location


def extract_location(location: str) -> Fact | None:
    """The listed location, as a column fact."""
    location = (location or "").strip()
    if not location:
        return None
    return Fact(location, _column_text("Location", location), COLUMN)
