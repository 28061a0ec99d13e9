"""Company and title named in a posting's body, for postings whose title/company fields are empty or generic.

Hacker News comments and pasted pages often come without a company field, or with a title such as
"Untitled posting", "Company Description" or "Avatar for Kestrel" (page chrome). The body still names
them; this module reads those names (pure functions), so the mention index can find such a posting when
a question names its company or role:

* a header line split by "|" ("Kestrel Cloud | Platform Engineer | Remote (EU) | €70k"): the first segment
  that is not a place, a work mode, pay or a link is the company; segments with a role noun are titles;
* phrases: "At X, we …", "We are X", "X is hiring", "Join X", "X is seeking / looking for", "About X";
* a title field that is really chrome naming the company: "Avatar for X", "X is hiring a";
* the apply link's domain: "jobs.kestrel.io" -> "kestrel", "boards.greenhouse.io/kestrelcloud" -> "kestrelcloud".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

# Titles that name no role (loader placeholders and page headings).
GENERIC_TITLE = re.compile(
    r"^\s*(untitled(?: posting)?|company description|job description|description|overview|about(?: the)?"
    r"(?: role| job| company| us| position)?|job|position|opening|posting|role|job details|details|"
    r"stellenbeschreibung|stellenangebot|über uns)\s*$", re.I)
# Title fields that are page chrome naming the company.
_TITLE_IS_COMPANY = [re.compile(p, re.I) for p in (
    r"^\s*(?:avatar|logo|image|photo) (?:for|of) (?P<name>.+?)\s*$",
    r"^\s*(?P<name>.+?) is hiring(?: an?| for)?\b.*$",
    r"^\s*(?:jobs|careers|work|karriere) (?:at|bei) (?P<name>.+?)\s*$",
)]
# Nouns that make a header segment a role title rather than a company (data, English and German).
ROLE_NOUNS = re.compile(
    r"\b(engineer\w*|developer\w*|programmer|architect|designer|manager\w*|lead|head|director|analyst|scientist|"
    r"specialist|consultant|administrator|admin|technician|support|intern(?:ship)?|founding|cto|vp|officer|"
    r"coordinator|nurse|assistant|associate|operative|recruiter|writer|researcher|sre|devops|"
    r"entwickler\w*|berater\w*|mitarbeiter\w*|leiter\w*|kaufmann|kauffrau|ingenieur\w*|referent\w*)\b", re.I)
# Header segments that are facets, not names.
_FACET = re.compile(
    r"\b(remote\w*|on-?site|hybrid|in[- ]office|full[- ]?time|part[- ]?time|contract\w*|freelance|visa\w*|"
    r"relocation|sponsorship|equity|interns?|co-?ops?|citizenship|clearance|salary|benefits|"
    r"vollzeit|teilzeit|homeoffice)\b", re.I)
_PAY_OR_LINK = re.compile(r"[$€£₹¥]|\d|https?://|www\.|\.(?:com|io|ai|co|org|net|dev|app|de|uk)\b", re.I)
_NAME = r"(?P<name>[A-Z][\w.&'’-]*[\w](?:\s+(?:[A-Z][\w.&'’-]*[\w]|&|of|and)){0,3})"
_PHRASES = [re.compile(p) for p in (
    r"(?:^|[.!?]\s+|\n)\s*At " + _NAME + r",",
    r"\b(?:We are|We're|We’re|Welcome to|Join) " + _NAME + r"\b",
    r"(?:^|\n)\s*About " + _NAME + r"\s*(?:\n|$)",
    r"(?:^|[.!?]\s+|\n)\s*" + _NAME + r" (?:is|are) (?:hiring|seeking|looking for|recruiting|building|a |an |the )",
    r"\bhere (?:from|at) " + _NAME + r"\b",
    r"\b(?:Wir sind|Bei|Die|Das) " + _NAME + r" (?:sind|ist|suchen|sucht|bieten|machen)\b",
)]
# Capitalised words that start sentences but name nobody.
_NOT_NAMES = {
    "we", "our", "the", "this", "that", "you", "your", "us", "a", "an", "it", "they", "role", "company",
    "position", "team", "job", "about", "remote", "hybrid", "onsite", "senior", "junior", "staff", "full", "part",
    "hiring", "description", "overview", "the role", "the company", "the team", "our team", "i", "hi", "hello",
    "here", "what", "who", "why", "how", "wir", "sie", "du", "ihr", "uns", "unser", "unsere", "der", "die", "das",
}
# Hosts that are job boards or link services, never the employer.
_BOARD_HOSTS = {
    "indeed", "linkedin", "arbeitnow", "remotive", "wellfound", "angel", "weworkremotely", "remoteok", "ycombinator",
    "github", "google", "glassdoor", "ziprecruiter", "monster", "stepstone", "xing", "bit", "forms", "docs",
    "notion", "calendly", "twitter", "x", "facebook", "youtube", "medium", "substack", "t",
}
# Applicant-tracking hosts: the employer is the first path segment or the subdomain.
_ATS_HOSTS = {"greenhouse", "lever", "ashbyhq", "workable", "recruitee", "personio", "bamboohr", "smartrecruiters",
              "breezy", "jobvite", "teamtailor", "workday", "myworkdayjobs", "rippling", "gem", "dover"}
_URL = re.compile(r"https?://[^\s|)>\]]+|\bwww\.[^\s|)>\]]+", re.I)
_GENERIC_SUBDOMAINS = {"www", "jobs", "careers", "apply", "boards", "job-boards", "app", "en", "de", "hire"}


@dataclass
class BodyNames:
    """Names read from a posting's body: companies and role titles, most trustworthy first."""

    companies: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)

    def add_company(self, name: str) -> None:
        name = _clean(name)
        if name and name.lower() not in _NOT_NAMES and name.lower() not in (c.lower() for c in self.companies):
            self.companies.append(name)

    def add_title(self, name: str) -> None:
        name = _clean(name)
        if name and name.lower() not in (t.lower() for t in self.titles):
            self.titles.append(name)


def _clean(name: str) -> str:
    name = re.sub(r"\s*\([^)]*\)\s*", " ", name)  # "Engineer (Full-stack)" -> "Engineer"; kept in the title words
    return re.sub(r"\s+", " ", name).strip(" -–—:;,.")


def is_generic_title(title: str) -> bool:
    """True for a title that names no role ('Untitled posting', 'Company Description', '')."""
    return not title.strip() or bool(GENERIC_TITLE.match(title)) or any(p.match(title) for p in _TITLE_IS_COMPANY)


def company_in_title(title: str) -> str:
    """The company a chrome title names ('Avatar for Kestrel' -> 'Kestrel'), else ''."""
    for pattern in _TITLE_IS_COMPANY:
        match = pattern.match(title)
        if match:
            return _clean(match.group("name"))
    return ""


def _is_place(segment: str) -> bool:
    from bot.places import country_of, find_city

    bare = re.sub(r"\([^)]*\)", " ", segment).strip()
    if not bare:
        return True
    if "," in bare:
        return True  # "Bilbao, Spain", "Austin, TX"
    return find_city(bare) is not None or country_of(bare) is not None


def header_names(text: str, names: BodyNames) -> None:
    """Names from a 'Company | Role | Place | Pay' header line (the first line with two or more '|')."""
    lines = [line for line in text.splitlines() if line.strip()][:3]
    for number, line in enumerate(lines):
        segments = [s.strip() for s in line.split("|")]
        if len(segments) < 3 and not (len(segments) == 2 and number == 0):
            continue
        for segment in segments:
            if not segment or len(segment) > 60 or _PAY_OR_LINK.search(segment):
                continue
            if ROLE_NOUNS.search(segment):
                names.add_title(segment)
            elif _FACET.search(segment) or _is_place(segment):
                continue
            elif not names.companies:
                names.add_company(segment)
        return


def phrase_names(text: str, names: BodyNames, limit_chars: int = 3000) -> None:
    """Names from 'At X, we', 'We are X', 'X is hiring', 'Join X', 'About X' near the top of the text."""
    head = text[:limit_chars]
    found: list[tuple[int, str]] = []
    for pattern in _PHRASES:
        for match in pattern.finditer(head):
            name = match.group("name")
            words = name.split()
            while words and words[-1].lower() in ("and", "of", "&"):
                words.pop()
            if words and " ".join(words).lower() not in _NOT_NAMES and words[0].lower() not in _NOT_NAMES:
                found.append((match.start(), " ".join(words)))
    for _start, name in sorted(found):
        names.add_company(name)


def domain_name(url: str) -> str:
    """The employer a link names: 'https://jobs.kestrel.io/x' -> 'kestrel', ATS links by their path or subdomain."""
    try:
        parsed = urlparse(url if "://" in url else f"https://{url}")
    except ValueError:
        return ""
    labels = [label for label in (parsed.hostname or "").lower().split(".") if label]
    if len(labels) < 2:
        return ""
    # the registrable label: "kestrel" in jobs.kestrel.io, "kestrel" in kestrel.co.uk
    core = labels[-3] if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac") else labels[-2]
    if core in _ATS_HOSTS:
        path = [p for p in parsed.path.split("/") if p]
        sub = [label for label in labels[:-2] if label not in _GENERIC_SUBDOMAINS]
        candidate = path[0] if path and path[0] not in ("jobs", "job", "o", "embed", "careers", "en") else (
            sub[0] if sub else "")
        return candidate.lower() if candidate.isalnum() else ""
    if core in _BOARD_HOSTS:
        return ""
    return core


def names_in_body(title: str, company: str, text: str, url: str = "") -> BodyNames:
    """Companies and titles a posting names in its body (and in chrome title fields), best first."""
    names = BodyNames()
    chrome = company_in_title(title)
    if chrome:
        names.add_company(chrome)
    header_names(text, names)
    phrase_names(text, names)
    for link in [url] + _URL.findall(text[:2000]):
        name = domain_name(link) if link else ""
        if name and len(name) >= 3:
            names.add_company(name)
    return names
