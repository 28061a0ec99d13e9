"""Remote, hybrid or on-site: the listed field, else a statement in the text, else a title marker."""

from __future__ import annotations

import re
from typing import Any

from index.facts import german
from index.facts.common import COLUMN, TEXT, column_text as _column_text, unglue
from index.models import Fact
from index.text import any_of, folded

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


_GERMAN_WHERE = tuple((re.compile(rf"(?<!\w){phrase}", re.I), value) for phrase, value in german.REMOTE_PHRASES.items())
_GERMAN_BARE = tuple((re.compile(rf"(?<!\w)(?:{phrase})(?!\w)", re.I), value) for phrase, value in german.REMOTE_BARE.items())
_GERMAN_MAYBE = any_of(("homeoffice", "home-office", "mobil", "remote", "vor ort", "vor-ort", "präsenz", "hybrid",
                        "büro", "office"))


def _remote_in_sentence(sentence: str) -> str | None:
    """'remote', 'hybrid' or 'on-site' when one sentence says where this job is done (English or German)."""
    value = _english_remote_in_sentence(sentence)
    if value is None and _GERMAN_MAYBE(folded(sentence)):
        value = next((value for pattern, value in _GERMAN_WHERE if pattern.search(sentence)), None)
    return value


def _bare_remote_in_sentence(sentence: str) -> str | None:
    """A mention with no statement around it ("Homeoffice" in a list of benefits): a last resort."""
    return next((value for pattern, value in _GERMAN_BARE if pattern.search(sentence)), None)


def _english_remote_in_sentence(sentence: str) -> str | None:
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
    for sentence in sentences:
        if value := _bare_remote_in_sentence(unglue(sentence)):
            return Fact(value, sentence, TEXT)
    return None
