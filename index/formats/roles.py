"""Does a short line name a job (a title)? The nouns job titles end in, in English and German, kept as data."""

from __future__ import annotations

import re

# Nouns a job title is built on ("Senior Backend *Engineer*", "Night Shift *Supervisor*"), lower case.
ROLE_WORDS = {
    "engineer", "developer", "programmer", "designer", "manager", "analyst", "scientist", "architect",
    "specialist", "consultant", "administrator", "admin", "technician", "nurse", "supervisor", "operative",
    "assistant", "associate", "coordinator", "director", "officer", "lead", "head", "intern", "internship",
    "representative", "rep", "accountant", "writer", "editor", "recruiter", "agent", "driver", "clerk", "teacher",
    "tutor", "researcher", "sre", "devops", "cto", "cfo", "ceo", "coo", "vp", "president", "strategist",
    "marketer", "advisor", "adviser", "producer", "artist", "operator", "mechanic", "electrician", "plumber",
    "worker", "handler", "picker", "packer", "cashier", "cook", "chef", "therapist", "physician", "doctor",
    "pharmacist", "radiologist", "counselor", "counsellor", "paralegal", "attorney", "lawyer", "auditor",
    "controller", "bookkeeper", "planner", "buyer", "estimator", "inspector", "surveyor", "machinist", "welder",
    "carpenter", "expert", "generalist", "trainer", "instructor", "hygienist", "receptionist", "secretary",
    "apprentice", "fellow", "owner", "partner", "principal", "executive", "member", "professional", "staffer",
    "steward", "guard", "courier", "caregiver", "aide", "dentist", "veterinarian", "mathematician", "statistician",
    "biostatistician", "economist", "translator", "copywriter", "illustrator", "animator", "photographer",
    "support", "helpdesk", "founder", "cofounder", "co-founder", "dispatcher", "keeper", "baker", "cleaner",
    "janitor", "housekeeper", "barista", "bartender", "loader", "sorter", "stocker", "restocker", "merchandiser",
    "salesperson", "seller", "adjuster", "underwriter", "actuary", "pilot", "captain", "crew", "hand", "labourer",
    "laborer", "foreman", "installer", "fitter", "porter", "valet", "nanny", "tester", "qa", "ux", "ui",
    # German
    "entwickler", "entwicklerin", "ingenieur", "ingenieurin", "mitarbeiter", "mitarbeiterin", "kaufmann",
    "kauffrau", "berater", "beraterin", "leiter", "leiterin", "referent", "referentin", "sachbearbeiter",
    "sachbearbeiterin", "werkstudent", "werkstudentin", "praktikant", "praktikantin", "managerin", "fachkraft",
    "techniker", "technikerin", "pfleger", "pflegerin", "informatiker", "informatikerin", "assistenz",
}
# Gender markers German and Austrian titles carry: "(m/w/d)", "(m/f/d)", "(all genders)".
_GENDER_MARK = re.compile(r"\((?:[mwfdx]\s*/\s*){1,3}[mwfdx]\)|\(all genders?\)|\(gn\)", re.I)
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:-[A-Za-zÀ-ÿ]+)*")


def without_gender_mark(title: str) -> str:
    """A title without its gender marker ("IT-Support (m/w/d)" -> "IT-Support"): the marker names no role."""
    return _GENDER_MARK.sub(" ", title).strip()


def has_role_word(line: str) -> bool:
    """True when a line names a kind of job: a role noun ("engineer", "nurse") or a "(m/w/d)" marker."""
    if _GENDER_MARK.search(line):
        return True
    for word in _WORD.findall(line):
        lowered = word.lower()
        if lowered in ROLE_WORDS or lowered.rstrip("s") in ROLE_WORDS:
            return True
        if any(part in ROLE_WORDS for part in lowered.split("-")):
            return True
        if lowered.endswith(("entwickler", "ingenieur", "kaufmann", "kauffrau", "manager", "engineer")):
            return True
    return False


def looks_like_title(line: str) -> bool:
    """A short line, not a sentence, that names a job: "Staff Data Engineer", "Bürokaufmann (m/w/d)"."""
    line = line.strip()
    if not (0 < len(line) <= 110) or len(line.split()) > 14 or line.endswith((".", "!", "?", ":", ",", ";")):
        return False
    if re.search(r"https?://|@|[$€£₹]\s?\d", line):
        return False
    return has_role_word(line)
