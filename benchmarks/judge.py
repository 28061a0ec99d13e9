"""Judging an answer against a question's expectation: correct, wrong, not stated, missed.

The judge is as strict as a user: it reads the answer TEXT (figure, currency, period, count, yes/no), not only the
JSON. It reads the text with its own small reader (below), never with the product's parsers, so a product bug cannot
hide itself by being read back the same wrong way.
"""

from __future__ import annotations

import re
from typing import Any

CORRECT, WRONG, NOT_STATED, MISSED = "correct", "wrong", "not_stated", "missed"

_INTENT_FIELD = {"salary": "salary", "salary_text": "salary", "location": "location", "remote": "remote",
                 "remote_no": "remote", "work_type": "employment_type", "languages": "languages",
                 "experience_years": "experience", "degree": "degree"}

# How a currency or a period may be written in an answer (the judge's own reading, independent of the bot's).
_CURRENCY_MARKS = {
    "USD": (r"\$", r"\bUSD\b", r"\bdollars?\b"), "EUR": ("€", r"\bEUR\b", r"\beuros?\b"),
    "GBP": ("£", r"\bGBP\b", r"\bpounds?\b"), "INR": ("₹", r"\bINR\b", r"\brupees?\b", r"\bRs\.?"),
    "AUD": (r"A\$", r"AU\$", r"\bAUD\b"), "CAD": (r"C\$", r"CA\$", r"\bCAD\b"), "CHF": (r"\bCHF\b",),
    "PLN": (r"\bPLN\b", "zł"),
}
_OTHER_DOLLARS = re.compile(r"(?:A|AU|C|CA|NZ|S|HK)\$")
_PERIOD_MARKS = {
    "yearly": r"\b(?:a|per|each) year\b|\bannual(?:ly)?\b|\byearly\b|/\s?y(?:ea)?r\b|\bper annum\b|\ba\.?p\.?a\b",
    "monthly": r"\b(?:a|per|each) month\b|\bmonthly\b|/\s?mo(?:nth)?\b",
    "weekly": r"\b(?:a|per|each) week\b|\bweekly\b|/\s?w(?:ee)?k\b",
    "daily": r"\b(?:a|per|each) day\b|\bdaily\b|/\s?day\b",
    "hourly": r"\b(?:an|per|each) hour\b|\bhourly\b|/\s?h(?:ou)?r\b",
}
_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*([kK]\b|thousand\b|[mM]\b|million\b)?")
_DEGREE_MARKS = {
    "HighSchool": r"high school|\bGED\b|secondary school", "Associate": r"associate", "Bachelor": r"bachelor|\bBA\b|\bBS\b|\bBSc\b",
    "Master": r"master|\bMS\b|\bMSc\b|\bMBA\b", "PhD": r"\bph\.?d|doctor",
}
_NOT_STATED_TEXT = re.compile(r"\b(?:does not|doesn't|do not|don't|did not|didn't)\s+(?:state|say|give|mention|list)|"
                              r"\bnot stated\b|\bno (?:salary|pay|figure|degree|years?)\b", re.I)
_COUNTRY_ALIASES = [{"uk", "gb", "united kingdom", "england", "eng", "great britain"},
                    {"us", "usa", "united states", "u.s."}, {"de", "germany", "deutschland"}]


def _close(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= max(0.01, 0.005 * abs(float(b)))


def _salary_matches(sal: dict | None, expect: dict) -> bool:
    """Same figures and period (and currency when expected); a floor matches an expectation of min == max."""
    if not sal or sal.get("period") != expect.get("period") or not _close(sal.get("min"), expect.get("min")):
        return False
    if expect.get("currency") and sal.get("currency") and sal["currency"] != expect["currency"]:
        return False
    if sal.get("max") is None:
        return expect.get("max") == expect.get("min")
    return _close(sal.get("max"), expect.get("max"))


def numbers_in(text: str) -> list[float]:
    """Every figure written in a text: '$90,000', '90k', '4.5', '1.2 million'."""
    out = []
    for number, unit in _NUMBER.findall(text):
        value = float(number.replace(",", ""))
        unit = unit.lower()
        if unit in ("k", "thousand"):
            value *= 1000
        elif unit in ("m", "million"):
            value *= 1_000_000
        out.append(value)
    return out


def text_states_salary(text: str, expect: dict) -> bool:
    """The answer text gives the expected figures, with the expected currency and period."""
    figures = numbers_in(text)
    for key in ("min", "max"):
        if expect.get(key) is not None and not any(_close(f, expect[key]) for f in figures):
            return False
    currency = expect.get("currency") or "USD"
    marks = _CURRENCY_MARKS.get(currency, (rf"\b{currency}\b",))
    if currency == "USD":
        plain = _OTHER_DOLLARS.sub("", text)
        if not any(re.search(m, plain, re.I) for m in marks):
            return False
    elif not any(re.search(m, text, re.I) for m in marks):
        return False
    period = expect.get("period")
    return not period or bool(re.search(_PERIOD_MARKS.get(period, re.escape(period)), text, re.I))


def _place_parts(location: str) -> list[str]:
    return [p.strip().lower() for p in location.split(",") if p.strip()]


def text_states_location(text: str, location: str) -> bool:
    """Every part of the expected place ('Bilbao, Spain') is in the text; a country may be written another way."""
    lowered = text.lower()
    for part in _place_parts(location):
        names = next((group for group in _COUNTRY_ALIASES if part in group), {part})
        if not any(re.search(rf"(?<![a-z]){re.escape(n)}(?![a-z])", lowered) for n in names):
            return False
    return True


def text_says_remote(text: str) -> bool | None:
    """True when the answer says the role is remote, False when it says it is not (or hybrid/on-site), else None."""
    first = text.strip().split("\n", 1)[0]
    if re.search(r"\b(?:not|isn't|is not|no)\b[^.]{0,20}\bremote\b|^\s*no\b|\bon-?site\b|\bhybrid\b", first, re.I):
        return False
    if re.search(r"\bremote\b", first, re.I):
        return True
    return None


def _quote_shows(intent: str, expect: dict, text: str) -> bool:
    """A quoted passage that shows the expected value (figures with currency and period, years, degree)."""
    if intent in ("salary", "salary_text"):
        return text_states_salary(text, expect)
    if intent == "experience_years":
        return bool(re.search(rf"(?<![\d.]){expect['min_years']}\+?\s*(?:years?|yrs?)\b", text, re.I))
    if intent == "degree":
        return any(re.search(_DEGREE_MARKS[d], text, re.I) for d in expect["any_of"] if d in _DEGREE_MARKS)
    if intent == "location":
        return text_states_location(text, expect["location"])
    return False


def rank_of(answer: dict[str, Any], job_id: str | None) -> int | None:
    """1-based position of the expected posting among the answer's postings, or None."""
    ids = [p["id"] for p in answer.get("postings", [])]
    return ids.index(job_id) + 1 if job_id in ids else None


def _count_in_text(text: str, count: int) -> bool:
    if count == 0 and re.search(r"\b(?:no|none of the|zero)\s+(?:\w+\s+){0,2}?(?:postings?|jobs?|roles?)\b", text, re.I):
        return True  # "No postings match (…)" states a count of 0
    return bool(re.search(rf"(?<![\d,.]){count:,}(?![\d,])|(?<![\d,.]){count}(?![\d,])", text))


def judge(question: dict[str, Any], answer: dict[str, Any]) -> str:
    """One of correct / wrong / not_stated / missed for a question and the bot's answer (JSON and text)."""
    intent = question["intent"]
    expect = question.get("expect") or {}
    postings = answer.get("postings", [])
    text = answer.get("answer", "")
    if intent in ("aggregate", "filter"):
        got = {p["id"] for p in postings}
        for key in ("job_ids", "alt_job_ids"):
            want = set(expect.get(key) or [])
            if key in expect and got == want and _count_in_text(text, len(want)):
                return CORRECT
        return WRONG if got - set(expect["job_ids"]) - set(expect.get("alt_job_ids") or []) else MISSED
    if intent == "count":
        if _count_in_text(text, expect["count"]) and answer.get("total") == expect["count"]:
            return CORRECT
        return WRONG if answer.get("status") == "answered" else MISSED
    if intent == "no_match":
        if answer.get("status") in ("no_match", "not_stated"):
            return CORRECT
        return WRONG if answer.get("status") == "answered" and postings else MISSED
    if not postings:
        return MISSED
    top = postings[0]
    if top["id"] != question["job_id"] or len(postings) > 1:
        # facts about another posting are wrong facts when they were stated
        return WRONG if answer.get("status") == "answered" and top["id"] != question["job_id"] else MISSED
    status = answer.get("status")
    if intent == "remote_no":
        # a posting that is not remote: any answer about it that does not say "remote" is right
        if top.get("remote") == "remote" or text_says_remote(text) is True:
            return WRONG
        return CORRECT
    if intent == "not_stated":
        field = {"experience_years": "min_years"}.get(expect["field"], expect["field"])
        if top.get(field) not in (None, [], ""):
            return WRONG
        if field == "salary" and any(re.search(m, text) for m in ("\\$", "€", "£", "₹")) and numbers_in(text):
            return WRONG  # a figure in the text is a stated salary
        # "doesn't give a figure, but says: 'competitive pay'" is honest too: no value, the gap said
        if status in ("not_stated", "quoted") and _NOT_STATED_TEXT.search(text):
            return CORRECT
        return MISSED
    if answer.get("intent") != _INTENT_FIELD.get(intent):
        return MISSED
    if status == "not_stated":
        return NOT_STATED
    if status == "quoted":
        # no value was read, the posting's own sentence is quoted: right when the quote shows the expected
        # value as a user would need it, otherwise an honest gap (never a wrong fact: it is the posting's words)
        return CORRECT if _quote_shows(intent, expect, text) else NOT_STATED
    if intent in ("salary", "salary_text"):
        got = _salary_matches(top.get("salary_in_text"), expect) or _salary_matches(top.get("salary"), expect)
        if intent == "salary":
            got = _salary_matches(top.get("salary"), expect) or got
        return CORRECT if got and text_states_salary(text, expect) else WRONG
    if intent == "location":
        return CORRECT if text_states_location(text, expect["location"]) else WRONG
    if intent == "remote":
        want = "remote" if expect["remote"] is True else expect["remote"]
        said = text_says_remote(text)
        if want == "remote":
            return CORRECT if top.get("remote") == "remote" and said is True else WRONG
        return CORRECT if top.get("remote") == want and re.search(re.escape(want), text, re.I) else WRONG
    if intent == "work_type":
        ok = top.get("employment_type") == expect["work_type"]
        return CORRECT if ok and re.search(re.escape(expect["work_type"]).replace("\\-", "[- ]?"), text, re.I) else WRONG
    if intent == "languages":
        got = set(top.get("languages") or [])
        said = {n for n in set(expect.get("all_of", [])) | set(expect.get("none_of", []))
                if re.search(rf"(?<![\w+#]){re.escape(n)}(?![\w+#])", text)}
        if got & set(expect.get("none_of", [])) or said & set(expect.get("none_of", [])):
            return WRONG
        return CORRECT if set(expect.get("all_of", [])) <= got and set(expect.get("all_of", [])) <= said else MISSED
    if intent == "experience_years":
        n = expect["min_years"]
        in_text = re.search(rf"(?<![\d.]){n}\+?\s*(?:-|–|to)?\s*(?:\d+\s*)?(?:years?|yrs?)\b", text, re.I)
        return CORRECT if top.get("min_years") == n and in_text else WRONG
    if intent == "degree":
        ok = top.get("degree") in expect["any_of"]
        said = any(re.search(_DEGREE_MARKS[d], text, re.I) for d in expect["any_of"] if d in _DEGREE_MARKS)
        return CORRECT if ok and said else WRONG
    return MISSED
