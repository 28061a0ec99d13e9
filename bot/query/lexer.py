"""The question lexer: a question becomes a sequence of typed tokens (pure).

Token kinds:
  money    amount (as typed, k/m applied), currency (ISO code or None), period (or None), plus ("120k+")
  years    a count of years ("5 years", "2+ yrs", "3-5 years")
  hours    a count of hours ("40 hours a week") — never pay
  percent  "20%"
  number   a number with no unit (pay only in a pay context, decided by the grammar)
  neg      a negator: not, no, non-, aren't, can't, without, never, except, excluding, other than, outside
  cmp      a comparator: op "gt" (over, above, more than), "ge" (at least, min, or more, +, and up),
           "lt" (under, below, less than), "le" (at most, max, up to, or less, no more than)
  between  "between" (X and Y); range "–"/"to" between two quantities is read by the grammar
  bottom   the bottom of a range is meant: starts at, starting, lowest, minimum, floor, base, even at the bottom
  top      the top of a range is meant: tops out, top, max, ceiling, highest, at the top
  stop     a scope boundary for negation: and, but, comma, semicolon, while, though
  word     anything else
Facets (remote, work types, places, languages) are found by their own vocabularies and merged in by the grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Tok:
    """One typed token of a question, with its character span."""

    kind: str
    text: str
    start: int
    end: int
    value: float | str | None = None
    currency: str | None = None
    period: str | None = None
    plus: bool = False
    high: float | None = None  # the upper figure of "3-5 years" / "$100k-$150k"


def currency_code(word: str) -> str | None:
    """ISO code of a currency symbol, code or word (the project's money vocabulary, index.money)."""
    from index.money import currency_code as money_currency

    return money_currency(word.strip()) if word.strip() else None


_PERIODS = [
    ("hourly", r"/\s?h(?:ou)?r|/\s?h\b|an hour|per hour|a hr|per hr|hourly|p/?h\b|ph\b|/hour|hr\b"),
    ("monthly", r"/\s?mo(?:nth)?|a month|per month|monthly|pm\b|p/m\b"),
    ("weekly", r"/\s?wk|/\s?week|a week|per week|weekly"),
    ("daily", r"/\s?day|a day|per day|daily|day rate"),
    ("yearly", r"/\s?y(?:ea)?r|/\s?annum|a year|per year|per annum|annually|yearly|annual|p\.?a\.?\b|/yr|yr\b"),
]
_PERIOD_RE = re.compile(r"\s*(" + "|".join(f"(?P<{name}>{rx})" for name, rx in _PERIODS) + r")", re.I)

_CUR_PREFIX = r"(?P<cur>us\$|a\$|c\$|\$|€|£|₹|¥|(?:usd|eur|gbp|inr|aud|cad|chf|jpy)\s?)"
_NUM = r"(?P<num>\d{1,3}(?:[,.\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_MULT = r"(?P<mult>k|K|thousand|grand|m|mm|million)?"
_CUR_SUFFIX = r"(?P<cur2>\s?(?:usd|eur|gbp|inr|aud|cad|chf|jpy|dollars?|euros?|pounds|bucks|quid|€|£)\b|€|£)?"
_HIGH = r"(?:\s?(?:-|–|—|to)\s?(?:us\$|\$|€|£|₹)?(?P<high>\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)(?P<mult2>k|K|m)?)?"
_QUANTITY = re.compile(
    r"(?<![\w.])" + _CUR_PREFIX + r"?" + _NUM + r"\s?" + _MULT + _HIGH + _CUR_SUFFIX + r"(?P<plus>\s?\+)?", re.I)
_YEARS_AFTER = re.compile(r"\s*(?:\+\s*)?(?:years?|yrs?|yoe)\b(?!\s*old)", re.I)
_HOURS_AFTER = re.compile(r"\s*(?:hours?|hrs)\b", re.I)
_PERCENT_AFTER = re.compile(r"\s*(?:%|percent)", re.I)

_WORD_TOKENS = [
    ("between", r"between|from"),
    ("cmp_ge", r"at least|min(?:imum)?(?: of)?|no less than|not less than|or more|or higher|or above|and up|"
               r"and above|and higher|plus|>=|≥|upwards of|starting from"),
    ("cmp_gt", r"over|above|more than|greater than|higher than|exceeding|exceeds|beyond|north of|>|better than"),
    ("cmp_le", r"at most|max(?:imum)?(?: of)?|up to|no more than|not more than|or less|or lower|or below|"
               r"<=|≤|tops?(?: out)?(?: at)?|capped at|ceiling(?: of)?"),
    ("cmp_lt", r"under|below|less than|lower than|fewer than|cheaper than|south of|<|beneath"),
    ("bottom", r"starts? at|starting(?: at| pay| salary)?|lowest|low end|bottom|floor|base(?: pay| salary)?|"
               r"entry point|even at the bottom|begins? at|beginning at"),
    ("top", r"tops? out|at the top|top of|top end|high end|highest|ceiling|max(?:imum)?|even the top|upper end"),
    ("six", r"six[- ]figures?|6[- ]figures?|\$?100k club"),
    ("neg", r"not|no|non-?|isn'?t|aren'?t|wasn'?t|can'?t|cannot|can not|won'?t|don'?t|doesn'?t|do not|does not|"
            r"never|without|except|excluding|exclude|other than|besides|but not|minus|nothing|none"),
    ("stop", r"and|but|while|though|although|whereas|yet|,|;"),
]
_WORD_RE = re.compile("|".join(
    rf"(?P<{kind}>(?<![\w-])(?:{rx})(?![\w]))" if kind not in ("stop",) else rf"(?P<{kind}>(?<![\w])(?:{rx})(?![\w])|[,;])"
    for kind, rx in _WORD_TOKENS), re.I)
_NON_PREFIX = re.compile(r"\bnon-?(?=[a-z])", re.I)


def _number(text: str) -> float:
    """'120,000' -> 120000; '60.000' (German thousands) -> 60000; '1.5' -> 1.5."""
    if re.fullmatch(r"\d{1,3}(?:[.,\s]\d{3})+", text):
        return float(re.sub(r"[.,\s]", "", text))
    return float(text.replace(",", ""))


def _scale(value: float, mult: str | None) -> float:
    mult = (mult or "").lower()
    if mult in ("k", "thousand", "grand"):
        return value * 1000
    if mult in ("m", "mm", "million"):
        return value * 1_000_000
    return value


def lex(text: str) -> list[Tok]:
    """The typed tokens of a question, in order (quantities first, so '120k+' is one token)."""
    tokens: list[Tok] = []
    taken: list[tuple[int, int]] = []
    for m in _QUANTITY.finditer(text):
        num, mult = m.group("num"), m.group("mult")
        # "5 m" is rarely a million here: only "5m" / "5 million" / with a currency
        if mult and mult.lower() == "m" and not m.group("cur") and not m.group("cur2") and " " in m.group(0):
            continue
        value = _scale(_number(num), mult)
        high = _scale(_number(m.group("high")), m.group("mult2") or mult) if m.group("high") else None
        end = m.end()
        rest = text[end:]
        cur_word = (m.group("cur") or m.group("cur2") or "").strip()
        currency = currency_code(cur_word) if cur_word else None
        plus = bool(m.group("plus"))
        if not currency and not mult:
            years = _YEARS_AFTER.match(rest)
            if years:
                plus = plus or "+" in years.group(0)
                end += years.end()
                tokens.append(Tok("years", text[m.start():end], m.start(), end, value, plus=plus, high=high))
                taken.append((m.start(), end))
                continue
            hours = _HOURS_AFTER.match(rest)
            if hours and not re.match(r"\s*(?:hours?|hrs)\s*(?:\+|or more)?\s*$", rest[:0]):
                end += hours.end()
                tokens.append(Tok("hours", text[m.start():end], m.start(), end, value, high=high))
                taken.append((m.start(), end))
                continue
            pct = _PERCENT_AFTER.match(rest)
            if pct:
                end += pct.end()
                tokens.append(Tok("percent", text[m.start():end], m.start(), end, value))
                taken.append((m.start(), end))
                continue
        period = None
        per = _PERIOD_RE.match(text[end:])
        if per and (currency or mult or per.group(0).strip().startswith("/") or re.match(
                r"\s*(?:an?|per)\s", per.group(0)) or per.lastgroup in ("hourly",) and "hourly" in per.group(0)):
            period = next(name for name, _rx in _PERIODS if per.group(name))
            end += per.end()
            plus_after = re.match(r"\s?\+", text[end:])
            if plus_after:
                plus, end = True, end + plus_after.end()
        kind = "money" if (currency or mult or period) else "number"
        tokens.append(Tok(kind, text[m.start():end], m.start(), end, value, currency, period, plus, high))
        taken.append((m.start(), end))
    for m in _WORD_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        kind = m.lastgroup or "word"
        value = None
        if kind.startswith("cmp_"):
            kind, value = "cmp", kind[4:]
        tokens.append(Tok(kind, m.group(0), m.start(), m.end(), value))
    for m in _NON_PREFIX.finditer(text):  # "non-remote", "nonprofit" is not a negation of "profit"
        if not any(t.start == m.start() for t in tokens) and re.match(r"non-", m.group(0), re.I):
            tokens.append(Tok("neg", m.group(0), m.start(), m.end()))
    tokens.sort(key=lambda t: (t.start, -t.end))
    return tokens


def words_between(text: str, start: int, end: int) -> int:
    """How many words lie between two positions."""
    return len(re.findall(r"[\w'$€£]+", text[start:end]))
