"""The programming-language vocabulary: canonical names, aliases, and finding them in a posting."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from index.text import any_of, folded, split_sentences

# Canonical names, in the order answers list them when nothing else decides.
LANGUAGES = (
    "Python", "Java", "JavaScript", "TypeScript", "C", "C++", "C#", "F#", "Go", "Rust", "Kotlin",
    "Swift", "Objective-C", "Scala", "Ruby", "PHP", "Perl", "R", "SQL", "Bash", "Shell", "PowerShell",
    "MATLAB", "SAS", "VBA", "Visual Basic", "Dart", "Elixir", "Erlang", "Haskell", "Clojure", "Lua",
    "Julia", "Groovy", "COBOL", "Fortran", "Assembly", "Solidity", "Apex", "ABAP",
)

# Lower-case spellings a question may use for one language (canonical names are added below).
_ALIASES = {
    "golang": "Go", "go lang": "Go", "go-lang": "Go",
    "c sharp": "C#", "csharp": "C#", "c-sharp": "C#",
    "f sharp": "F#", "fsharp": "F#",
    "cpp": "C++", "c plus plus": "C++",
    "js": "JavaScript", "java script": "JavaScript", "ecmascript": "JavaScript",
    "ts": "TypeScript", "type script": "TypeScript",
    "objective c": "Objective-C", "objc": "Objective-C", "obj-c": "Objective-C",
    "shell scripting": "Shell", "shell script": "Shell", "shell scripts": "Shell",
    "t-sql": "SQL", "tsql": "SQL", "pl/sql": "SQL", "plsql": "SQL",
    "vb": "Visual Basic", "vb.net": "Visual Basic", "vb6": "Visual Basic",
    "rlang": "R", "r language": "R",
    "posh": "PowerShell",
}
_LOOKUP = {name.lower(): name for name in LANGUAGES} | _ALIASES


def canonical_language(token: str) -> str | None:
    """The canonical name for one spelling ("golang" -> "Go", "c sharp" -> "C#"), or None."""
    key = re.sub(r"\s+", " ", token.strip().lower())
    return _LOOKUP.get(key)


# How much a match needs around it before it counts:
#   ALWAYS  - the spelling is unambiguous ("Python", "C++", "T-SQL");
#   CODE    - a word about code/software, or another language, is in the same sentence ("Swift", "Bash");
#   LIST    - another language is in the same sentence and the name sits in a list ("C", "R", "Go").
#   SALESFORCE - the sentence is about Salesforce ("Apex").
ALWAYS, CODE, LIST, SALESFORCE = "always", "code", "list", "salesforce"


@dataclass(frozen=True)
class _Pattern:
    language: str
    regex: re.Pattern[str]
    needs: str = ALWAYS
    keys: tuple[str, ...] = ()  # one of these is in every match (in the folded sentence when ignore_case)
    ignore_case: bool = True

    _find_key: Callable[[str], re.Match[str] | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_find_key", any_of(self.keys))  # frozen: set once here

    def may_match(self, sentence: str, lowered: str) -> bool:
        """False when no key is in the sentence (lowered: index.text.folded of it), so the regex cannot match."""
        return self._find_key(lowered if self.ignore_case else sentence) is not None


def _p(language: str, pattern: str, needs: str = ALWAYS, ignore_case: bool = True,
       keys: tuple[str, ...] | None = None) -> _Pattern:
    """keys default to the canonical name (lower case when ignore_case)."""
    pattern = pattern.replace("{start}", _START).replace("{end}", _END)
    if keys is None:
        keys = (language.lower() if ignore_case else language,)
    return _Pattern(language, re.compile(pattern, re.I if ignore_case else 0), needs, keys, ignore_case)



# A word start or end, also inside scraped text whose list items were glued together
# ("developmentPython", "ReactNodeTypescriptComfortability with GraphQL").
_START = r"(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))"
_END = r"(?:\b|(?-i:(?<=[a-z])(?=[A-Z])))"


# "JS" alone is JavaScript; "Node.JS", "React JS", "Vue JS" name frameworks.
_FRAMEWORK_JS = r"(?<!\.)(?<!node )(?<!react )(?<!vue )(?<!angular )(?<!next )(?<!express )(?<!ember )(?<!d3 )"

_PATTERNS = (
    # multi-word and punctuated names first; overlapping shorter matches are dropped
    _p("JavaScript", r"{start}java[ -]?script{end}|\becmascript\b", keys=("java", "ecmascript")),
    _p("JavaScript", _FRAMEWORK_JS + r"(?<![\w.])(?-i:JS)\b(?![.\-])", keys=("js",)),
    _p("TypeScript", r"{start}type[ -]?script{end}", keys=("type",)),
    _p("Objective-C", r"\bobjective[ -]c\b|\bobj-?c\b", keys=("obj",)),
    # "C++17" and glued "C++Previous experience" too
    _p("C++", r"(?:(?<![\w+])|(?-i:(?<=[a-z])(?=C)))c\+\+(?!(?-i:[a-z_]))"),
    _p("C#", r"(?<![\w#])c(?:#|\s?sharp\b)(?![\w#])", keys=("c#", "sharp")),
    _p("F#", r"(?<![\w#])f#(?![\w#])"),
    _p("Go", r"{start}go[ -]?lang{end}|\bGo \(golang\)", keys=("lang",)),
    _p("Go", r"(?<![\w\-\"'“])Go(?![\w\-'’\"”])"
       r"(?! (?:to|the|out|into|above|beyond|live|get|far|further|deep|back|on|for|ahead|with)\b)",
       LIST, ignore_case=False),
    _p("Go", r"\bGo (?=(?i:programming|language|developers?|engineers?|programmers?|code|services|microservices|"
       r"backend|back-end|stack|team|expert|experience)\b)", CODE, ignore_case=False),
    # Go the language in a language context: "we write Go", "100% Go", "our backend is Go", "built in Go"
    _p("Go", r"(?:(?i:\b(?:write|writes|writing|written|wrote|code|coding|coded|program|programming|built|build|"
       r"building|develop|developing|developed|implemented|ship|shipping)\s+(?:(?:in|with)\s+)?"
       r"(?:mostly\s+|mainly\s+|primarily\s+|entirely\s+|only\s+)?)|\d{1,3}\s?%\s?|"
       r"(?i:\b(?:backend|back-end|stack|codebase|code base|services?|server|platform|api|tooling|infrastructure)\s+"
       r"(?:is|are)\s+(?:(?:all|mostly|mainly|primarily|entirely|written in|built (?:in|with))\s+)*))"
       r"Go(?![\w\-'’\"”])(?! (?:to|live|ahead|out|back|for|on)\b)", ignore_case=False, keys=("Go",)),
    _p("Go", r"(?<=\bin )Go(?=\s*[.,;)]|\s*$)", CODE, ignore_case=False),  # "internal tooling in Go."
    _p("SQL", r"(?<![\w/\-])(?:t-sql|pl/sql|pl-sql|sql)(?![a-z])", keys=("sql",)),
    _p("PowerShell", r"\bpower ?shell\b", keys=("shell",)),
    _p("Shell", r"\b(?:unix |linux |bourne |korn )?shell[ -]script(?:s|ing)?\b", keys=("shell",)),
    _p("Shell", r"\bshell\b(?![ -]?(?:out|company|oil|gas|plc|station))", LIST),
    _p("Bash", r"\bbash\b", CODE),
    _p("Visual Basic", r"\bvisual basic\b|\bvb\.net\b|\bvb6\b", keys=("visual basic", "vb")),
    _p("VBA", r"\bvba\b"),
    _p("Visual Basic", r"(?<![\w.])VB(?![\w.])", LIST, ignore_case=False, keys=("VB",)),
    _p("Java", r"{start}java{end}(?![ -]?script)"),
    _p("Python", r"{start}python\d?{end}"),
    _p("Kotlin", r"{start}kotlin{end}"),
    _p("Swift", r"\bSwift(?:UI)?\b", CODE, ignore_case=False),
    _p("Rust", r"\bRust\b", CODE, ignore_case=False),
    _p("Scala", r"\bscala\b", CODE),
    _p("Ruby", r"\bRuby\b", CODE, ignore_case=False),
    _p("PHP", r"{start}php\d?\b"),
    _p("Perl", r"\bperl\b"),
    _p("MATLAB", r"{start}matlab\b"),
    _p("SAS", r"\bSAS(?=/R\b)|(?<=\bR/)SAS\b", ignore_case=False),
    _p("SAS", r"(?<![\w/])SAS\b(?!\s*(?:drives?|disks?|controllers?|interface|expanders?))", CODE, ignore_case=False),
    _p("Dart", r"\bDart\b", CODE, ignore_case=False),
    _p("Elixir", r"\bElixir\b", CODE, ignore_case=False),
    _p("Erlang", r"\berlang\b"),
    _p("Haskell", r"\bhaskell\b"),
    _p("Clojure", r"\bclojure\b"),
    _p("Lua", r"\bLua\b", CODE, ignore_case=False),
    _p("Julia", r"\bJulia\b", LIST, ignore_case=False),
    _p("Groovy", r"\bGroovy\b", CODE, ignore_case=False),
    _p("COBOL", r"\bcobol\b"),
    _p("Fortran", r"\bfortran\b"),
    _p("Assembly", r"\b(?:x86 |arm |mips )?assembly (?:language|code|programming)\b|\b(?:x86|arm|mips) assembly\b",
       keys=("assembly",)),
    _p("Assembly", r"\bAssembly\b", LIST, ignore_case=False),
    _p("Solidity", r"\bSolidity\b", CODE, ignore_case=False),
    _p("Apex", r"\bapex\b(?= (?:code|classes|triggers|programming|development))"),
    _p("Apex", r"\b(?:Apex|APEX)\b", SALESFORCE, ignore_case=False, keys=("Apex", "APEX")),
    _p("Apex", r"\b(?:Apex|APEX)\b", LIST, ignore_case=False, keys=("Apex", "APEX")),
    _p("ABAP", r"\babap\b"),
    # single letters: "C/C++", "C, C++", "Python or R", "SAS/R", "R programming"; never "R&D", "A/R", "C-suite"
    _p("C", r"(?<![\w+#.\-&/'’])C(?![\w+#\-&'’]|\.\w|/(?!C\+\+))", LIST, ignore_case=False),
    _p("C", r"(?<![\w+#.\-&/'’])C(?= (?:programming|language|code)\b)", CODE, ignore_case=False),
    # "firmware in C", also glued to the next item: "programming in CSoftware design"
    _p("C", r"(?<=\bin )C(?![\w+#\-&'’/]|\.\w)|(?<=\bin )C(?=[A-Z][a-z])", CODE, ignore_case=False),
    _p("R", r"(?<![\w&.\-'’])(?<!A/)(?<!P/)R(?![\w&\-'’+]|\.\w|/\d|\s*&)", LIST, ignore_case=False),
    _p("R", r"(?<![\w&.\-'’])R(?= (?:programming|language|studio|shiny|packages?)\b)|\bRStudio\b", CODE,
       ignore_case=False),
    _p("R", r"(?<=\bin )R(?![\w&\-'’+]|\.\w|\s*&)", CODE, ignore_case=False),  # "models in R"
)

# Words that say a sentence is about software (for CODE matches). Salesforce words serve Apex.
_CODE_WORDS = re.compile(
    r"\b(?:program\w*|languages?|coding|code|coder|scripts?|scripting|software|develop\w*|engineer\w*|"
    r"back-?end|front-?end|full[ -]?stack|stack|apis?|frameworks?|librar(?:y|ies)|sdk|ios|android|apps?|"
    r"applications?|automat\w*|linux|unix|git|data|analytics?|tooling|firmware|embedded|microcontrollers?|"
    r"statistic\w*|smart contracts?|blockchain|web3|tools?)\b",
    re.I,
)
_SALESFORCE_WORDS = re.compile(r"\b(?:salesforce|sfdc|soql|lightning|visualforce|lwc|force\.com)\b", re.I)
# A LIST match must sit next to list punctuation or a conjunction ("Python, R", "C/C++", "SAS or R").
_LIST_BEFORE = re.compile(r"(?:[,/(;:&+]|\band|\bor|\bin|\bwith|\bof|\busing|\blike|\bas)\s*$", re.I)
_LIST_AFTER = re.compile(r"^\s*(?:[,/);:&+]|and\b|or\b|$|\.\s*$|\.\s)", re.I)


def _in_list(sentence: str, start: int, end: int) -> bool:
    return bool(_LIST_BEFORE.search(sentence[:start]) or _LIST_AFTER.search(sentence[end:]))


_NEEDS_ORDER = {ALWAYS: 0, CODE: 1, SALESFORCE: 2, LIST: 3}  # of two matches on one span, the surer one counts


def _matches(sentence: str, lowered: str) -> list[tuple[int, int, _Pattern]]:
    """All pattern matches in one sentence, longest first where two overlap."""
    found = [
        (m.start(), m.end(), p) for p in _PATTERNS if p.may_match(sentence, lowered) for m in p.regex.finditer(sentence)
    ]
    found.sort(key=lambda item: (item[0], -(item[1] - item[0]), _NEEDS_ORDER[item[2].needs]))
    kept: list[tuple[int, int, _Pattern]] = []
    for start, end, pattern in found:
        if any(start < k_end and end > k_start for k_start, k_end, _ in kept):
            continue
        kept.append((start, end, pattern))
    return kept


# A quick test that a sentence may name a language at all (most do not); the patterns are slower.
# Substrings of the folded sentence: the test a case-insensitive regex of these words makes, faster.
_MAYBE_WORDS = (
    "java", "script", "python", "c++", "#", "sharp", "golang", "go", "sql", "shell", "bash", "basic", "vb", "kotlin",
    "swift", "rust", "scala", "ruby", "php", "perl", "matlab", "sas", "dart", "elixir", "erlang", "haskell",
    "clojure", "lua", "julia", "groovy", "cobol", "fortran", "assembly", "solidity", "apex", "abap", "obj", "js",
)
_LETTER = re.compile(r"(?<![\w])[CR](?![\w])|(?<![\w])C(?=[A-Z][a-z])")


_find_maybe_word = any_of(_MAYBE_WORDS)


def _may_name_language(sentence: str, lowered: str) -> bool:
    if _find_maybe_word(lowered):
        return True
    return ("C" in sentence or "R" in sentence) and bool(_LETTER.search(sentence))


def languages_in_sentence(sentence: str, known: Collection[str] = ()) -> list[str]:
    """Canonical languages named in one sentence, in order of mention, each once.

    known: languages the same posting names plainly elsewhere; a mention of one here is the context an
    ambiguous name needs ("Strong C; experience with Rust" names C once Rust is known).
    """
    return _accepted(sentence, _matches_if_any(sentence), known)


def _matches_if_any(sentence: str) -> list[tuple[int, int, _Pattern]]:
    lowered = folded(sentence)
    if not _may_name_language(sentence, lowered):
        return []
    return _matches(sentence, lowered)


def _accepted(sentence: str, matches: list[tuple[int, int, _Pattern]], known: Collection[str]) -> list[str]:
    """The languages of one sentence's matches that count (see languages_in_sentence)."""
    if not matches:
        return []
    confirmed = {
        p.language for start, end, p in matches
        if p.language in known and (p.needs != LIST or _in_list(sentence, start, end))
    }
    always = {p.language for _, _, p in matches if p.needs == ALWAYS}
    code_context = bool(_CODE_WORDS.search(sentence)) or bool(always) or bool(confirmed)
    salesforce = bool(_SALESFORCE_WORDS.search(sentence))
    accepted: list[tuple[int, str]] = []
    for start, end, pattern in matches:
        if (
            pattern.needs == ALWAYS
            or (pattern.needs == CODE and code_context)
            or (pattern.needs == SALESFORCE and salesforce)
        ):
            accepted.append((start, pattern.language))
    named = {language for _, language in accepted} | confirmed
    for start, end, pattern in matches:
        if pattern.needs != LIST:
            continue
        others = named - {pattern.language}
        if others and _in_list(sentence, start, end):
            accepted.append((start, pattern.language))
    accepted.sort()
    out: list[str] = []
    for _, language in accepted:
        if language not in out:
            out.append(language)
    return out


def languages_in_sentences(sentences: list[str]) -> list[tuple[str, str]]:
    """(canonical name, the first sentence naming it) for each language of one posting, in order of mention.

    A second reading lets a language named plainly in one sentence support an ambiguous name in
    another ("Write Bash scripts." makes "writing Go and Bash" name Go).
    """
    matched = [(index, sentence, found) for index, sentence in enumerate(sentences)
               if (found := _matches_if_any(sentence))]  # read once, judged twice
    first: dict[str, tuple[int, str]] = {}
    for index, sentence, found in matched:
        for language in _accepted(sentence, found, ()):
            first.setdefault(language, (index, sentence))
    if first:
        known = frozenset(first)
        for index, sentence, found in matched:
            for language in _accepted(sentence, found, known):
                first.setdefault(language, (index, sentence))
    ordered = sorted(first.items(), key=lambda item: item[1][0])
    return [(language, sentence) for language, (_, sentence) in ordered]


def find_languages(text: str) -> list[tuple[str, str]]:
    """(canonical name, the sentence naming it) for each language, in order of first mention."""
    return languages_in_sentences(split_sentences(text))
