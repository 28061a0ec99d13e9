"""Text helpers shared by extraction and chunking: sentences, glued list items and section headings."""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–—]|\d{1,2}[.)])\s+")
# A sentence ends at . ! ? followed by space and an upper-case letter / digit / quote / bullet.
_SENT_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9•\-*])")
# Glued sentences in scraped text: "...in design.You will" or "...per hourBenefits:" are split.
_GLUED = re.compile(r"(?=[A-Z][a-z])(?<=[a-z0-9)][.!?])")  # the cheaper test first
_ABBREV = re.compile(r"\b(?:e\.g|i\.e|etc|vs|Sr|Jr|Inc|Ltd|Co|Corp|Dr|Mr|Ms|Mrs|St|No|approx|incl|min|max|yrs|hr|wk|mo|U\.S|a\.m|p\.m)\.$", re.I)
_ABBREV_TAIL = 10  # _ABBREV matches within the last 8 characters; 2 more keep the \b before it exact


# Characters that match an ASCII letter under re.IGNORECASE but do not lower-case to it ("ſ" matches "s").
_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})


@functools.lru_cache(maxsize=2048)  # several facts test the same sentences of a posting
def folded(text: str) -> str:
    """The text in lower case as re.IGNORECASE compares ASCII letters, white space runs as one space.

    For quick substring tests before slower patterns: a case-insensitive pattern can only match where
    the folded text holds its literal words in lower case ("Ph.D" -> "ph.d", "high\tschool" -> "high school").
    """
    if not text.isascii() and any(c in text for c in "İıſK"):
        text = text.translate(_FOLD)
    return " ".join(text.lower().split())


def any_of(words: Iterable[str]) -> Callable[[str], re.Match[str] | None]:
    """A search for any of these exact words in a text (one regex, faster than a loop of `in` tests)."""
    return re.compile("|".join(re.escape(word) for word in words)).search


def split_lines(text: str) -> list[str]:
    """Non-empty lines with bullets removed and whitespace folded."""
    out = []
    for line in text.splitlines():
        line = " ".join(_BULLET.sub("", line).split())  # str.split() and re's \s agree on every character
        if line:
            out.append(line)
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of a posting: split at line breaks, bullets, glued list items and sentence punctuation."""
    return [sentence for line in split_lines(text) for sentence in line_sentences(line)]


_CACHED_LINE_CHARS = 20_000  # longer lines are split again each time (they are rare; the cache stays small)


def line_sentences(line: str) -> tuple[str, ...]:
    """The sentences of one line as split_lines gives it (split_sentences is these, line by line)."""
    return _split_line(line) if len(line) > _CACHED_LINE_CHARS else _split_line_cached(line)


def _split_line(line: str) -> tuple[str, ...]:
    sentences: list[str] = []
    line = _GLUED.sub(" ", line) if _GLUED.search(line) else line
    for piece in split_glued(line):
        parts = _SENT_END.split(piece)
        buffer = ""
        for part in parts:
            buffer = f"{buffer} {part}".strip() if buffer else part.strip()
            if _ABBREV.search(buffer[-_ABBREV_TAIL:]):
                continue  # "e.g." or "Inc." is not the end of a sentence
            if buffer:
                sentences.append(buffer)
            buffer = ""
        if buffer:
            sentences.append(buffer)
    return tuple(sentences)


# Extraction and chunking split the same posting one after the other: the second split is a look-up.
_split_line_cached = functools.lru_cache(maxsize=1024)(_split_line)


# --------------------------------------------------------------------------------------------
# glued list items in scraped text

# Words written in camel case on purpose: a lower-to-upper seam inside them is not two glued items.
_CAMEL_NAMES = frozenset(
    word.lower()
    for word in (
        "JavaScript", "TypeScript", "CoffeeScript", "ActionScript", "PowerShell", "PowerPoint", "PowerApps",
        "PowerBI", "DevOps", "DevSecOps", "MLOps", "DataOps", "GitHub", "GitLab", "BitBucket", "LinkedIn",
        "YouTube", "TikTok", "WhatsApp", "FaceTime", "WordPress", "SharePoint", "OneDrive", "OneNote",
        "QuickBooks", "HubSpot", "MailChimp", "ZoomInfo", "ZipRecruiter", "CareerBuilder", "PeopleSoft",
        "NetSuite", "ServiceNow", "SuccessFactors", "PagerDuty", "DataDog", "SolarWinds", "CrowdStrike",
        "SailPoint", "CyberArk", "MuleSoft", "DocuSign", "SendGrid", "ClickUp", "SmartSheet", "FileMaker",
        "InDesign", "PhotoShop", "AutoCad", "AutoDesk", "SolidWorks", "SketchUp", "MicroStation", "ProCore",
        "ProPresenter", "RevIt", "ArcGis", "MongoDB", "DynamoDB", "CosmosDB", "BigQuery", "SnowFlake",
        "RabbitMQ", "OpenShift", "OpenStack", "OpenAI", "CentOS", "FreeBSD", "VirtualBox", "CloudFormation",
        "CloudWatch", "TensorFlow", "PyTorch", "NumPy", "SciPy", "PySpark", "FastAPI", "NodeJS", "NextJS",
        "NestJS", "ReactJS", "VueJS", "ExpressJS", "AngularJS", "JavaFX", "JUnit", "TestNG", "PyTest",
        "SwiftUI", "UIKit", "HealthKit", "WidgetKit", "SwiftData", "CoreData", "WebKit", "WebGL", "WebRTC",
        "WebSocket", "WebSockets", "WebSphere", "WebLogic", "IntelliJ", "JetBrains", "PlayStation",
        "MacBook", "FedEx", "BlackRock", "JPMorgan", "DoorDash", "AirBnb", "PayPal", "eBay", "iPhone", "iPad",
        "iOS", "macOS", "jQuery", "PhD", "PharmD", "PsyD", "EdD", "CapEx", "OpEx", "FinTech", "EdTech",
        "HealthTech", "MedTech", "InsurTech", "PropTech", "EnCompass", "MidTown", "SkillFit", "PreScouter",
    )
)
# "Mc" + "Donald", "La" + "Bella": the left piece of a name, not a word that ended a list item
_NAME_PREFIXES = frozenset({"mc", "mac", "la", "le", "de", "di", "da", "du", "van", "von"})
# "Hub", "Script", "Ops": the right piece of a product or company name
_NAME_SUFFIXES = frozenset({
    "script", "ops", "hub", "lab", "labs", "point", "books", "press", "shell", "soft", "works", "spot", "tok",
    "sign", "chimp", "tube", "base", "kit", "flow", "force", "suite", "stack", "sheet", "store", "tech",
})


def is_camel_name(word: str) -> bool:
    """True for a word written in camel case on purpose ("JavaScript", "LinkedIn", "McDonald", "iPhone")."""
    word = re.sub(r"['’]s?$", "", word)
    if word.lower() in _CAMEL_NAMES:
        return True
    seam = re.search(r"(?<=[a-z])(?=[A-Z])", word)
    if seam is None:
        return False
    left, right = word[: seam.start()], word[seam.start() :]
    if len(left) == 1:
        return True  # "iPhone", "eDiscovery", "jQuery"
    if not left[0].isupper():
        return False  # "skillsAbility": a list item glued to the next one
    first = re.match(r"[A-Z][a-z]*", right)
    right_word = first.group(0).lower() if first else ""
    return (
        left.lower() in _NAME_PREFIXES
        or (len(left) <= 3 and right_word not in _SEAM_HEADINGS)  # "GoTu", "ProCore", not "JobDescription"
        or right_word in _NAME_SUFFIXES
    )


# Words that start a section; glued to a list item they mark a new item ("QualificationsBachelor's",
# "insuranceBenefits", "EXPERIENCEBachelor's").
_SEAM_HEADINGS = frozenset({
    "about", "requirements", "requirement", "qualifications", "qualification", "responsibilities",
    "responsibility", "duties", "benefits", "perks", "compensation", "salary", "pay", "skills", "experience",
    "education", "overview", "summary", "description", "schedule", "location", "technologies", "preferred",
    "required", "minimum",
})
# "required" and "preferred" end a requirement ("Bachelor's degreeRequired") as often as they head a list
_LEFT_ONLY_HEADINGS = frozenset({"preferred", "required"})
# Words that open a requirement or a benefit; after a lower-case word ("skillsAbility to lift",
# "plusBachelor's degree") they start a new item. After a capital they may end a name ("OsteoStrong").
_ITEM_STARTS = frozenset({
    "ability", "able", "must", "knowledge", "proficiency", "proficient", "strong", "excellent", "familiarity",
    "demonstrated", "bachelor", "bachelor's", "bachelor’s", "master's", "master’s", "masters", "associate",
    "associate's", "associate’s", "high", "health", "dental", "vision", "paid", "flexible", "familiar",
    "previous", "prior", "proven", "understanding", "working", "solid", "comfortable", "attention", "life",
    "professional", "parental", "retirement", "employee", "tuition",
})
_SEAM = re.compile(r"(?=[A-Z][a-z])(?:(?<=[a-z0-9)%+])|(?<=[A-Z]{2}))")  # "wordWord", "WORDWord", "1Word"
# "development1+ years", "Milford, CT.5+ years": a years requirement glued to the item before it
_YEARS_SEAM = re.compile(
    r"(?:(?<=[a-z]{3})|(?<=[A-Za-z]\.))(?=\d{1,2}\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b)"
)
# Words that open a job board's labels ("Work Location:", "Job Type:", "Shift:").
_LABEL_WORDS = _SEAM_HEADINGS | {
    "job", "work", "shift", "shifts", "hours", "type", "status", "position", "employment", "rate", "wage",
    "wages", "title", "department", "reports", "supervisor", "classification", "travel", "language", "license",
    "licensure", "certification", "certifications", "what",
}
# "Pay:", "Job Type:", "What We Are Looking For:": a label (up to five words) and its colon
_LABEL = re.compile(r"[A-Z][A-Za-z'’]*(?:[ /&-][A-Za-z][A-Za-z'’]*){0,4}\s?:(?!//)")


def _word_around(line: str, index: int) -> tuple[str, str]:
    """(the letters before index, the letters after it) of the word a seam at index sits in."""
    start = index
    while start > 0 and (line[start - 1].isalpha() or line[start - 1] in "'’"):
        start -= 1
    end = index
    while end < len(line) and (line[end].isalpha() or line[end] in "'’"):
        end += 1
    return line[start:index], line[index:end]


_LAST_PART = re.compile(r"(?:[A-Z]+|[A-Z]?[a-z'’]+)$")
_FIRST_PART = re.compile(r"[A-Z][a-z'’]*")


def seam_in_name(line: str, index: int) -> bool:
    """True when a lower-to-upper seam at index sits inside a camel-case name ("Java|Script", "Dev|Ops")."""
    left, right = _word_around(line, index)
    if not left or not right or not left[-1].isalpha():
        return False
    left_part, right_part = _LAST_PART.search(left), _FIRST_PART.match(right)
    pair = (left_part.group(0) if left_part else left) + (right_part.group(0) if right_part else right)
    return re.sub(r"['’]s?$", "", left + right).lower() in _CAMEL_NAMES or is_camel_name(pair)


def _new_item_at(line: str, index: int) -> bool:
    """True when a seam at index clearly starts a new list item or label."""
    if seam_in_name(line, index):
        return False
    left, right = _word_around(line, index)
    first, last = _FIRST_PART.match(right), _LAST_PART.search(left)
    right_word = first.group(0).lower() if first else ""
    left_part = last.group(0) if last else ""  # "" after a digit or ")": "$50,000Schedule:"
    after_lower = not left_part or left_part.islower()
    if _LABEL.match(line, index) and (after_lower or right_word in _LABEL_WORDS):
        return True  # "Full-timePay:", "$50,000Schedule:", "FridayWork Location:"; not "GlobalStake:"
    if right_word in _SEAM_HEADINGS and right_word not in _LEFT_ONLY_HEADINGS:
        return True
    if right_word in _ITEM_STARTS and after_lower:
        return True  # "skillsAbility to", not "OsteoStrong"
    return left_part.lower() in _SEAM_HEADINGS


def split_glued(line: str) -> list[str]:
    """A line cut where scraped text glued a label or a section word onto the item before it.

    "Job Type: Full-timePay: $18-20/hour" -> ["Job Type: Full-time", "Pay: $18-20/hour"];
    "QualificationsBachelor's degree" -> ["Qualifications", "Bachelor's degree"];
    "Python development1+ years" -> ["Python development", "1+ years"]. Names such as "JavaScript",
    "McDonald", "iOS", "LinkedIn" or "PhD" are never cut.
    """
    cuts = [m.start() for m in _SEAM.finditer(line) if _new_item_at(line, m.start())]
    if "year" in line or "yr" in line:  # in every _YEARS_SEAM match
        cuts += [m.start() for m in _YEARS_SEAM.finditer(line)]
    if not cuts:
        return [line]
    pieces, last = [], 0
    for cut in sorted(set(cuts)):
        pieces.append(line[last:cut].strip())
        last = cut
    pieces.append(line[last:].strip())
    return [piece for piece in pieces if piece]


_HEADING_WORDS = (
    "about", "requirements", "qualifications", "responsibilities", "duties", "benefits", "perks",
    "compensation", "salary", "pay", "what you", "who you", "you will", "you'll", "your role", "the role",
    "skills", "experience", "education", "nice to have", "preferred", "bonus", "location", "schedule",
    "job type", "overview", "summary", "description", "what we", "why", "our team", "how to apply",
    "must have", "minimum", "basic", "essential", "key", "day to day", "role",
)


@functools.lru_cache(maxsize=2048)  # extraction asks once per fact, chunking once more
def is_heading(line: str) -> bool:
    """True for a short line that names a section ("Requirements:", "## Benefits", "WHAT YOU'LL DO")."""
    stripped = line.strip().lstrip("#").strip().rstrip(":").strip()
    if not stripped or len(stripped) > 60 or stripped.endswith((".", ",", ";")):
        return False
    lowered = stripped.lower()
    if line.strip().startswith("#") or line.strip().endswith(":"):
        return len(stripped.split()) <= 8
    if stripped.isupper() and len(stripped.split()) <= 6 and any(c.isalpha() for c in stripped):
        return True
    return len(stripped.split()) <= 5 and any(lowered.startswith(w) for w in _HEADING_WORDS)
