"""German vocabulary for the fact extractors, kept as data (German job boards: Arbeitnow, StepStone...).

Each extractor builds its patterns from these tables; pay words and periods live in index.money.

Degree decision: "abgeschlossene Ausbildung" (completed vocational training, the dual system) is not a
degree; by ISCED 2011 it is upper-secondary / post-secondary non-tertiary (levels 3-4), below an associate
degree (level 5). It is mapped to "HighSchool", the closest canonical value that does not overstate it, and
the evidence quotes the posting's own words, so an answer shows it is vocational training.
"""

from __future__ import annotations

# number words for years ("drei Jahre Berufserfahrung"); "ein/eine" are left out, they are also "a"
NUMBER_WORDS: dict[str, int] = {
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
}
YEAR_WORDS = ("jahr", "jahre", "jahren", "jahres")
EXPERIENCE_WORDS = ("erfahrung", "berufserfahrung", "praxiserfahrung", "berufspraxis", "arbeitserfahrung",
                    "praxis", "projekterfahrung", "fachpraxis")
MINIMUM_WORDS = ("mindestens", "wenigstens", "mind.", "min.")
# "seit 20 Jahren", "vor 5 Jahren", "über 30 Jahre am Markt": the company's history, not a requirement
HISTORY_BEFORE = ("seit", "vor", "über", "mehr als", "nach")

# where the work is done: phrase (a case-insensitive regex fragment) -> value
REMOTE_PHRASES: dict[str, str] = {  # the first that matches decides: negations first
    r"(?:kein|keine)\s+(?:homeoffice|home-office|remote)": "on-site",
    r"(?:ausschließlich|nur)\s+vor ort|vor-ort-(?:tätigkeit|einsatz)|präsenz(?:pflicht|tätigkeit)": "on-site",
    r"100\s?%\s?(?:homeoffice|home-office|remote|mobil(?:es)? arbeiten)": "remote",
    r"(?:vollständig|komplett|ausschließlich|voll)\s+(?:im\s+)?(?:homeoffice|home-office|remote|mobil)": "remote",
    r"remote[- ]first": "remote",
    r"(?:deutschlandweit|bundesweit|ortsunabhängig)(?:es)?\s+(?:remote|arbeiten|homeoffice)": "remote",
    r"\d\s*(?:tage?|x)\s+(?:pro\s+woche\s+|die\s+woche\s+|wöchentlich\s+)?(?:im\s+)?(?:homeoffice|home-office|"
    r"büro|office|remote)": "hybrid",
    r"(?:homeoffice|home-office|remote|mobiles arbeiten)[- ](?:möglich|option|anteil|tage?|regelung)": "hybrid",
    r"(?:möglichkeit|option)\s+(?:zum|zu|auf)\s+(?:homeoffice|home-office|mobile[mn]? arbeiten|remote)": "hybrid",
    r"mobile[sn]? arbeiten": "hybrid",
    r"(?:teilweise|anteilig)\s+(?:im\s+)?(?:homeoffice|home-office|remote)": "hybrid",
    r"hybride[sn]?\s+arbeiten|hybrides?\s+(?:arbeitsmodell|modell)": "hybrid",
    r"flexible[sn]? (?:homeoffice|home-office)": "hybrid",
}
# a bare mention that means the job can be done from home at least partly ("Homeoffice" in a benefits list)
REMOTE_BARE = {r"homeoffice|home-office": "hybrid"}

# employment type: word (lower case) -> EMPLOYMENT_TYPES value
EMPLOYMENT_WORDS: dict[str, str] = {
    "vollzeit": "Full-time", "vollzeitstelle": "Full-time", "vollzeitbeschäftigung": "Full-time",
    "teilzeit": "Part-time", "teilzeitstelle": "Part-time", "minijob": "Part-time",
    "werkstudent": "Part-time", "werkstudentin": "Part-time", "werkstudierende": "Part-time",
    "werkstudententätigkeit": "Part-time",
    "praktikum": "Internship", "pflichtpraktikum": "Internship", "praktikant": "Internship",
    "praktikantin": "Internship",
    "befristet": "Temporary", "befristete": "Temporary", "befristeter": "Temporary", "befristetes": "Temporary",
    "aushilfe": "Temporary",
    "freiberuflich": "Contract", "freiberufler": "Contract", "freelancer": "Contract", "werkvertrag": "Contract",
    "ehrenamt": "Volunteer", "ehrenamtlich": "Volunteer",
}
# abbreviations used as written (case matters): "3000 € mtl in VZ"
EMPLOYMENT_ABBREVIATIONS: dict[str, str] = {"VZ": "Full-time", "TZ": "Part-time"}
# "unbefristet" is permanent, not temporary: never read as "befristet"
NOT_EMPLOYMENT = ("unbefristet", "unbefristete", "unbefristeter", "unbefristetes")

# degree: (regex fragment, case-insensitive; level; words one of which is in every match, lower case)
DEGREE_PHRASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (r"promotion\s+(?:in|im|der)\b|promoviert|doktortitel|doktorgrad|\bdr\.\s?rer", "PhD",
     ("promotion", "promoviert", "doktor", "dr.")),
    (r"\bdiplom\b(?!\s*\(fh\))|diplom-(?:informatiker|ingenieur|kaufmann)|magister|masterabschluss|masterstudium",
     "Master", ("diplom", "magister", "master")),
    (r"(?:abgeschlossene[sn]?|erfolgreich abgeschlossene[sn]?)\s+(?:\w+\s+){0,2}?(?:hochschul|fachhochschul|"
     r"universitäts|bachelor)?studium|hochschulabschluss|universitätsabschluss|fachhochschulabschluss|"
     r"studienabschluss|bachelorabschluss|bachelorstudium|diplom\s*\(fh\)|studium\s+(?:der|im|in|als)\b",
     "Bachelor", ("studium", "abschluss", "diplom")),
    (r"(?:abgeschlossene[sn]?|erfolgreich abgeschlossene[sn]?)\s+(?:\w+\s+){0,2}?(?:berufs)?ausbildung|"
     r"ausbildung\s+(?:als|zum|zur)\b|\bfachabitur\b|\babitur\b|hochschulreife|berufsausbildung",
     "HighSchool", ("ausbildung", "abitur", "hochschulreife")),
)
DEGREE_REQUIRED = ("vorausgesetzt", "erforderlich", "zwingend", "notwendig", "voraussetzung")
DEGREE_PREFERRED = ("wünschenswert", "von vorteil", "idealerweise", "vorteilhaft", "optional", "ein plus")

# words that cue a fact even when no value is read (index.cues)
PAY_CUES = ("gehalt", "vergütung", "lohn", "entgelt", "verdienst", "bezahlung", "jahresgehalt", "stundenlohn")
DEGREE_CUES = ("studium", "hochschulabschluss", "ausbildung", "abschluss", "diplom", "promotion", "abitur")
