"""Score extract_facts against the labeled dev questions, and table its coverage per corpus.

Run: .venv/bin/python benchmarks/extraction_check.py [--data /work/shared/data] [--quiet]
     [--corpus NAME=PATH ...] [--no-score] [--out JSON] [--md MARKDOWN]

Two sections:

* scoring (needs the LinkedIn sample and its dev questions under --data): a table per intent and every
  miss with the labeler's note;
* the coverage table, per corpus (default: the LinkedIn sample, the wild folder, samples/postings) and
  per fact: how many postings state it, how many have a value (from a column or from the text), and
  which have a cue in the text but no value -- where extraction falls short.

Writes benchmarks/results/extraction.json and benchmarks/results/extraction.md. No embedding: seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.extract import extract_facts  # noqa: E402
from index.models import Facts, Posting, Salary  # noqa: E402

CSV_NAME = "postings/linkedin_arshkon_sample500/postings_sample.csv"
RESULTS = ROOT / "benchmarks" / "results" / "extraction.json"
MARKDOWN = ROOT / "benchmarks" / "results" / "extraction.md"


def postings_from_csv(path: Path) -> list[Posting]:
    """Posting objects built straight from the CSV rows (the loader's column conventions)."""
    csv.field_size_limit(10**9)
    out = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            columns: dict[str, Any] = {}
            for key in ("min_salary", "max_salary", "med_salary"):
                if row.get(key, "").strip():
                    columns[key] = float(row[key])
            if row.get("pay_period", "").strip():
                columns["pay_period"] = row["pay_period"].strip().lower()
            if row.get("currency", "").strip():
                columns["currency"] = row["currency"].strip()
            if row.get("remote_allowed", "").strip() == "1.0":
                columns["remote"] = True
            if row.get("formatted_work_type", "").strip():
                columns["work_type"] = row["formatted_work_type"].strip()
            if row.get("formatted_experience_level", "").strip():
                columns["experience_level"] = row["formatted_experience_level"].strip()
            if row.get("skills_desc", "").strip():
                columns["skills"] = row["skills_desc"].strip()
            out.append(
                Posting(
                    id=row["job_id"],
                    title=row["title"].strip(),
                    company=row["company_name"].strip(),
                    location=row["location"].strip(),
                    text=row["description"],
                    source=f"{path}:row {number}",
                    columns=columns,
                )
            )
    return out


def load(path: Path) -> tuple[list[Posting], str]:
    """Postings via index.loaders.load_postings when it exists and works, else from the CSV directly."""
    try:
        from index.loaders import load_postings  # type: ignore[import-not-found]

        result = load_postings([path])
        postings = getattr(result, "postings", result)
        postings = list(postings[0] if isinstance(postings, tuple) else postings)
        if len(postings) == 500 and all(isinstance(p, Posting) for p in postings):
            return postings, "index.loaders.load_postings"
    except Exception as err:  # the loader is being written concurrently; fall back quietly
        print(f"(index.loaders not usable: {type(err).__name__}: {err}; building postings from the CSV)")
    return postings_from_csv(path), "csv fallback"


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 0.005 * max(abs(a), abs(b), 1)


def salary_matches(salary: Salary | None, expect: dict[str, Any]) -> bool:
    """Both expected figures and the period; a one-sided 'from $X' matches an expected X–X."""
    if salary is None or salary.period != expect["period"]:
        return False
    low, high = salary.min, salary.max
    if low is None:
        low = high if _same(expect["min"], expect["max"]) else None
    if high is None:
        high = low if _same(expect["min"], expect["max"]) else None
    currency_ok = salary.currency == expect.get("currency", salary.currency)
    return _same(low, expect["min"]) and _same(high, expect["max"]) and currency_ok


def score_labeled(question: dict[str, Any], facts: Facts) -> tuple[bool, str]:
    """(correct, what we extracted) for one dev-labeled question."""
    intent, expect = question["intent"], question["expect"]
    if intent == "languages":
        got = [f.value for f in facts.languages]
        ok = all(x in got for x in expect["all_of"]) and not any(x in got for x in expect["none_of"])
        return ok, str(got)
    if intent == "experience_years":
        got = facts.min_years.value if facts.min_years else None
        return got == expect["min_years"], f"{got} | {facts.min_years.evidence[:160] if facts.min_years else ''}"
    if intent == "degree":
        got = facts.degree.value if facts.degree else None
        return got in expect["any_of"], f"{got} | {facts.degree.evidence[:160] if facts.degree else ''}"
    if intent == "salary_text":
        fact = facts.salary_text or facts.salary
        salary = fact.value if fact else None
        return salary_matches(salary, expect), f"{salary} ({fact.origin if fact else '-'})"
    if intent == "not_stated":
        field = {"salary": "salary", "experience_years": "min_years", "degree": "degree"}[expect["field"]]
        fact = getattr(facts, field)
        extra = facts.salary_text if field == "salary" else None
        ok = fact is None and extra is None
        return ok, "None" if ok else f"{fact.value if fact else None} | {fact.evidence[:160] if fact else ''}"
    raise ValueError(intent)


def score_structured(question: dict[str, Any], facts: Facts) -> tuple[bool, str]:
    """(correct, what we extracted) for one dev.jsonl question (the column path)."""
    intent, expect = question["intent"], question["expect"]
    if intent == "salary":
        fact = facts.salary
        salary = fact.value if fact else None
        ok = (
            fact is not None
            and fact.origin == "column"
            and salary.period == expect["period"]
            and salary.currency == expect["currency"]
            and _same(salary.min, expect["min"])
            and _same(salary.max, expect["max"])
        )
        return ok, str(salary)
    if intent == "work_type":
        got = facts.employment_type.value if facts.employment_type else None
        return got == expect["work_type"], str(got)
    if intent == "remote":
        got = facts.remote.value if facts.remote else None
        return (got == "remote") == bool(expect["remote"]), str(got)
    if intent == "location":
        got = facts.location.value if facts.location else None
        return got == expect["location"], str(got)
    raise ValueError(intent)


def run(data: Path, quiet: bool = False) -> dict[str, Any]:
    """Extract facts from all 500 postings and score both question files."""
    postings, how = load(data / CSV_NAME)
    started = time.perf_counter()
    facts_by_id = {p.id: extract_facts(p) for p in postings}
    elapsed = time.perf_counter() - started
    report: dict[str, Any] = {"postings": len(postings), "loaded_by": how, "extract_seconds": round(elapsed, 3)}

    for name, scorer, skip in (
        ("dev-labeled", score_labeled, {"aggregate"}),
        ("dev", score_structured, set()),
    ):
        path = data / "questions" / f"{name}.jsonl"
        if not path.exists():
            continue
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        misses = []
        for line in path.read_text(encoding="utf-8").splitlines():
            question = json.loads(line)
            if question["intent"] in skip or question.get("job_id") not in facts_by_id:
                continue
            key = question["intent"]
            if key == "not_stated":
                key = f"not_stated:{question['expect']['field']}"
            ok, got = scorer(question, facts_by_id[question["job_id"]])
            totals[key][0] += ok
            totals[key][1] += 1
            if not ok:
                misses.append({"intent": key, "job_id": question["job_id"], "title": question.get("title"),
                               "expect": question["expect"], "got": got, "note": question.get("note", "")})
        table = {k: {"correct": c, "total": t, "accuracy": round(c / t, 4)} for k, (c, t) in sorted(totals.items())}
        report[name] = {"by_intent": table, "misses": misses}
        print(f"\n{name}.jsonl ({how})")
        print(f"  {'intent':28} {'correct':>8} {'total':>6} {'accuracy':>9}")
        for key, row in table.items():
            print(f"  {key:28} {row['correct']:>8} {row['total']:>6} {row['accuracy']:>9.1%}")
        if not quiet:
            for miss in misses:
                print(f"  MISS {miss['intent']} {miss['job_id']} {miss['title']!r}: expected {miss['expect']}, "
                      f"got {miss['got']}\n       note: {miss['note']}")

    coverage = {
        "salary": sum(f.salary is not None for f in facts_by_id.values()),
        "salary_from_text": sum(f.salary is not None and f.salary.origin == "text" for f in facts_by_id.values()),
        "salary_text_differs": sum(f.salary_text is not None for f in facts_by_id.values()),
        "remote": sum(f.remote is not None for f in facts_by_id.values()),
        "employment_type": sum(f.employment_type is not None for f in facts_by_id.values()),
        "languages": sum(bool(f.languages) for f in facts_by_id.values()),
        "min_years": sum(f.min_years is not None for f in facts_by_id.values()),
        "degree": sum(f.degree is not None for f in facts_by_id.values()),
    }
    report["coverage"] = coverage
    print(f"\npostings with each fact (of {len(postings)}): {coverage}")
    print(f"extract_facts on {len(postings)} postings: {elapsed:.2f}s")
    return report


# ------------------------------------------------------------------------------------------ coverage table

# The facts tabled, in order; "experience_years" is Facts.min_years.
FACTS = ("salary", "remote", "employment_type", "location", "languages", "experience_years", "degree")
# Facts whose cue comes from the extractor's own detector (index.extract.fact_cues); the others from the
# bot's cue vocabulary (index.cues), which also covers where the job is done, its work type and its place.
EXTRACTOR_CUE_FACTS = ("salary", "experience_years", "degree")
BOT_CUE_FACTS = ("remote", "employment_type", "location")
IDS_IN_MARKDOWN = 10
# Facts whose value is a figure: a cue sentence holding a digit but no value read is a likelier extraction miss
# than "salary commensurate with experience".
FIGURE_FACTS = ("salary", "experience_years")
_DIGIT = __import__("re").compile(r"\d")

# Structured fields that state a fact, by the loader's column names (index.formats.columns).
_COLUMNS_STATING = {
    "salary": ("min_salary", "max_salary", "med_salary", "salary_string"),
    "remote": ("remote", "remote_hint"),
    "employment_type": ("work_type",),
}


def default_corpora(data: Path) -> list[tuple[str, Path]]:
    """(name, folder) of the corpora tabled by default."""
    return [
        ("linkedin_sample500", data / "postings" / "linkedin_arshkon_sample500"),
        ("wild", data / "postings" / "wild"),
        ("samples", ROOT / "samples" / "postings"),
    ]


class CueDetectors:
    """The two text-cue detectors, each asked at most once per posting; a broken one is reported, not raised."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}
        try:
            from index.extract import fact_cues

            self._extractor = fact_cues
        except ImportError as err:
            self._extractor = None
            self.errors["index.extract.fact_cues"] = f"not importable: {err}"
        try:
            from index.cues import own_sentence_cues
            from index.text import split_sentences

            self._bot = own_sentence_cues
            self._split = split_sentences
        except ImportError as err:
            self._bot = None
            self.errors["index.cues"] = f"not importable: {err}"

    def extractor(self, text: str) -> set[str] | None:
        """index.extract.fact_cues(text), or None when it is missing or fails."""
        if self._extractor is None:
            return None
        try:
            return set(self._extractor(text))
        except Exception as err:  # being written concurrently: report, keep tabling the rest
            self.errors.setdefault("index.extract.fact_cues", f"{type(err).__name__}: {err}")
            return None

    def figure_in_cue(self, text: str, fact: str) -> bool:
        """Whether a sentence index.cues finds speaking of the fact holds a digit (False when unavailable)."""
        if self._bot is None:
            return False
        try:
            return any(_DIGIT.search(s) and fact in self._bot(s) for s in self._split(text))
        except Exception:
            return False

    def bot(self, text: str) -> set[str] | None:
        """The fact keys some sentence of the text speaks of by index.cues' own vocabulary, or None."""
        if self._bot is None:
            return None
        try:
            found: set[str] = set()
            for sentence in self._split(text):
                found |= self._bot(sentence)
            return found
        except Exception as err:
            self.errors.setdefault("index.cues", f"{type(err).__name__}: {err}")
            return None


def column_states(posting: Posting, fact: str) -> bool | None:
    """Whether the posting's structured fields state the fact; None when no structured field could."""
    if fact == "location":
        return bool((posting.location or "").strip())
    names = _COLUMNS_STATING.get(fact)
    if names is None:
        return None
    if fact == "remote":
        # remote=False says "not fully remote", which leaves hybrid and on-site open: not a statement of the fact
        return posting.columns.get("remote") is True or bool(str(posting.columns.get("remote_hint") or "").strip())
    if fact == "salary" and not any(posting.columns.get(n) not in (None, "") for n in names if n != "salary_string"):
        # a free-text pay field without a figure ("competitive compensation") states no salary
        return bool(_DIGIT.search(str(posting.columns.get("salary_string") or "")))
    return any(posting.columns.get(name) not in (None, "") for name in names)


def fact_value(facts: Facts, fact: str) -> tuple[bool, bool]:
    """(has a value from a column, has a value from the text) for one fact of one posting.

    Salary counts as "text" when the salary itself was read from the text; a text salary that differs
    from a column (Facts.salary_text) does not make it a text value here.
    """
    if fact == "languages":
        return False, bool(facts.languages)
    found = getattr(facts, "min_years" if fact == "experience_years" else fact)
    if found is None:
        return False, False
    return found.origin == "column", found.origin != "column"


def _stated_definition(fact: str, column_possible: bool, cue_source: str | None) -> str:
    parts = []
    if column_possible:
        fields = "location" if fact == "location" else ", ".join(_COLUMNS_STATING[fact])
        note = {"remote": "; remote only when true", "salary": "; salary_string only with a digit"}.get(fact, "")
        parts.append(f"structured field ({fields}{note})")
    if cue_source:
        parts.append(f"text cue ({cue_source})")
    return " or ".join(parts) if parts else "n/a (no column, no cue detector): parsed only"


def coverage(postings: list[Posting], facts_by_id: dict[str, Facts], cues: CueDetectors | None = None
             ) -> dict[str, dict[str, Any]]:
    """Per fact: postings, stated, column / text cue counts, parsed (column / text), and the ids with a
    cue but no value, a stating column but no value, and a text value without a cue."""
    cues = cues or CueDetectors()
    extractor_cues = {p.id: cues.extractor(p.text or "") for p in postings}
    bot_cues = {p.id: cues.bot(p.text or "") for p in postings}
    table: dict[str, dict[str, Any]] = {}
    for fact in FACTS:
        if fact in EXTRACTOR_CUE_FACTS:
            primary, source, other, other_source = extractor_cues, "index.extract.fact_cues", bot_cues, "index.cues"
        elif fact in BOT_CUE_FACTS:
            primary, source, other, other_source = bot_cues, "index.cues", extractor_cues, "index.extract.fact_cues"
        else:
            primary = source = other = other_source = None
        if primary is not None and postings and not any(fact in (v or set()) for v in primary.values()):
            # the detector is missing, broken or silent on this fact (a stub): use the other one and say so,
            # or say n/a, rather than count zero cues
            if other is not None and any(fact in (v or set()) for v in other.values()):
                primary, other = other, primary
                source, other_source = f"{other_source} (as {source} reports none)", source
            else:
                source = None
        column_possible = any(column_states(p, fact) is not None for p in postings) and fact in (
            *_COLUMNS_STATING, "location")
        row: dict[str, Any] = {
            "postings": len(postings),
            "stated_definition": _stated_definition(fact, column_possible, source),
            "cue_source": source,
            "stated": 0 if (column_possible or source) else None,
            "column_states": 0 if column_possible else None,
            "text_cue": 0 if source else None,
            "parsed": 0, "parsed_column": 0, "parsed_text": 0,
            "cue_no_value": 0 if source else None, "cue_no_value_ids": [],
            "cue_no_value_with_figure": 0 if source and fact in FIGURE_FACTS else None,
            "cue_no_value_with_figure_ids": [],
            "column_no_value": 0 if column_possible else None, "column_no_value_ids": [],
            "text_value_no_cue": 0 if source else None, "text_value_no_cue_ids": [],
        }
        other_row = {"source": other_source, "text_cue": 0, "cue_no_value": 0, "cue_no_value_ids": []}
        other_works = other is not None and any(fact in (v or set()) for v in other.values())
        for posting in postings:
            facts = facts_by_id[posting.id]
            from_column, from_text = fact_value(facts, fact)
            has_value = from_column or from_text
            row["parsed"] += has_value
            row["parsed_column"] += from_column
            row["parsed_text"] += from_text
            by_column = bool(column_states(posting, fact)) if column_possible else False
            cue = bool(source) and fact in (primary.get(posting.id) or set())
            if column_possible:
                row["column_states"] += by_column
                if by_column and not has_value:
                    row["column_no_value_ids"].append(posting.id)
            if source:
                row["text_cue"] += cue
                if cue and not has_value:
                    row["cue_no_value_ids"].append(posting.id)
                    if fact in FIGURE_FACTS and cues.figure_in_cue(posting.text or "", fact):
                        row["cue_no_value_with_figure_ids"].append(posting.id)
                if from_text and not cue:
                    row["text_value_no_cue_ids"].append(posting.id)
            if row["stated"] is not None:
                row["stated"] += by_column or cue
            if other_works and fact in (other.get(posting.id) or set()):
                other_row["text_cue"] += 1
                if not has_value:
                    other_row["cue_no_value_ids"].append(posting.id)
        for key in ("cue_no_value", "cue_no_value_with_figure", "column_no_value", "text_value_no_cue"):
            if row[key] is not None:
                row[key] = len(row[f"{key}_ids"])
        if other_works:
            other_row["cue_no_value"] = len(other_row["cue_no_value_ids"])
            row["other_detector"] = other_row
        table[fact] = row
    return table


def coverage_for(name: str, folder: Path, cues: CueDetectors | None = None) -> dict[str, Any]:
    """Load one corpus with index.loaders, extract, and table its coverage."""
    from index.loaders import load_postings

    started = time.perf_counter()
    loaded = load_postings([folder])
    facts_by_id = {p.id: extract_facts(p) for p in loaded.postings}
    table = coverage(loaded.postings, facts_by_id, cues)
    return {
        "name": name,
        "path": str(folder),
        "postings": len(loaded.postings),
        "files_read": loaded.files_read,
        "load_problems": [str(problem) for problem in loaded.problems],
        "seconds": round(time.perf_counter() - started, 2),
        "facts": table,
    }


def _cell(value: Any) -> str:
    return "n/a" if value is None else str(value)


def coverage_lines(corpus: dict[str, Any], ids: int = IDS_IN_MARKDOWN) -> list[str]:
    """One corpus's coverage as a Markdown table (plus its definitions)."""
    lines = [
        f"### {corpus['name']} ({corpus['postings']} postings, {corpus['files_read']} files; "
        f"`{corpus['path']}`)",
        "",
        "| fact | states it | by column | by text cue | parsed | from column | from text | cue, no value "
        f"| first {ids} ids (cue, no value) | …with a figure | column, no value | text value, no cue |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for fact, row in corpus["facts"].items():
        shown = ", ".join(f"`{i}`" for i in row["cue_no_value_ids"][:ids])
        if len(row["cue_no_value_ids"]) > ids:
            shown += ", …"
        lines.append(
            f"| {fact} | {_cell(row['stated'])} | {_cell(row['column_states'])} | {_cell(row['text_cue'])} "
            f"| {row['parsed']} | {row['parsed_column']} | {row['parsed_text']} | {_cell(row['cue_no_value'])} "
            f"| {shown} | {_cell(row['cue_no_value_with_figure'])} | {_cell(row['column_no_value'])} "
            f"| {_cell(row['text_value_no_cue'])} |"
        )
    lines += ["", "Definitions of \"states it\", per fact:", ""]
    lines += [f"- {fact}: {row['stated_definition']}" for fact, row in corpus["facts"].items()]
    others = [(fact, row["other_detector"]) for fact, row in corpus["facts"].items() if "other_detector" in row]
    if others:
        lines += ["", "The other cue detector, for comparison (cue / cue, no value):", ""]
        lines += [f"- {fact}: {o['source']}: {o['text_cue']} / {o['cue_no_value']}" for fact, o in others]
    if corpus["load_problems"]:
        lines += ["", "Load problems: " + "; ".join(corpus["load_problems"])]
    return lines + [""]


def coverage_markdown(report: dict[str, Any]) -> str:
    """The Markdown report: when, where, how it was run, then one table per corpus."""
    run_info = report["run"]
    lines = [
        "# Extraction coverage",
        "",
        f"- date: {run_info['date']}",
        f"- machine: {run_info['machine']}",
        f"- command: `{run_info['command']}`",
        f"- seconds (load + extract + cues, all corpora): {run_info['seconds']}",
        "",
        "Columns: *states it* = a structured field states the fact or a text cue speaks of it (definition per "
        "fact under each table; n/a where neither exists); *parsed* = the fact has a value, *from column* "
        "(a structured field, or for employment type a title marker) or *from text* (the description); "
        "*cue, no value* = the text has a cue but no value was extracted (where extraction falls short, or the "
        "posting speaks of the fact without a value: \"salary commensurate with experience\"); *…with a figure* "
        "(salary, years) = of those, the ones where a sentence index.cues finds speaking of the fact holds a digit: likelier misses; "
        "*column, no value* = a structured field states it but no value came of it; *text value, no cue* = "
        "a value read from the text where the cue detector saw nothing (a cue gap or a false value). "
        "Languages has neither a field nor a cue detector: only its parsed count means anything.",
        "",
    ]
    if report.get("cue_errors"):
        lines += ["Cue detector problems: " + "; ".join(f"{k}: {v}" for k, v in report["cue_errors"].items()), ""]
    for corpus in report["corpora"]:
        lines += coverage_lines(corpus)
    for name, why in report.get("skipped", {}).items():
        lines.append(f"- skipped {name}: {why}")
    return "\n".join(lines).rstrip() + "\n"


def coverage_report(corpora: list[tuple[str, Path]], command: str) -> dict[str, Any]:
    """The coverage of every corpus that exists, with the run's date, machine and command."""
    started = time.perf_counter()
    cues = CueDetectors()
    done, skipped = [], {}
    for name, folder in corpora:
        if not folder.exists():
            skipped[name] = f"{folder} not found"
            continue
        done.append(coverage_for(name, folder, cues))
    return {
        "run": {
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.node()} ({platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
                       f"Python {platform.python_version()})",
            "command": command,
            "seconds": round(time.perf_counter() - started, 2),
        },
        "cue_errors": cues.errors,
        "corpora": done,
        "skipped": skipped,
    }


def print_coverage(report: dict[str, Any]) -> None:
    """The coverage tables on stdout (plain text)."""
    for corpus in report["corpora"]:
        print(f"\ncoverage: {corpus['name']} ({corpus['postings']} postings, {corpus['seconds']}s)")
        print(f"  {'fact':17} {'stated':>6} {'column':>6} {'cue':>5} {'parsed':>6} {'col':>5} {'text':>5} "
              f"{'cue,no value':>12}  first ids")
        for fact, row in corpus["facts"].items():
            print(f"  {fact:17} {_cell(row['stated']):>6} {_cell(row['column_states']):>6} "
                  f"{_cell(row['text_cue']):>5} {row['parsed']:>6} {row['parsed_column']:>5} "
                  f"{row['parsed_text']:>5} {_cell(row['cue_no_value']):>12}  "
                  f"{', '.join(row['cue_no_value_ids'][:5])}")
    for name, why in report.get("skipped", {}).items():
        print(f"coverage: skipped {name}: {why}")
    for source, error in report.get("cue_errors", {}).items():
        print(f"coverage: cue detector {source}: {error}")


def _corpus_arg(value: str) -> tuple[str, Path]:
    name, sep, path = value.partition("=")
    if not sep:
        return Path(value).name, Path(value)
    return name, Path(path)


def main(argv: list[str] | None = None) -> int:
    """Entry point: score (when the labeled data is there), table the coverage, print, write JSON and Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path("/work/shared/data"), help="folder with postings/ and questions/"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON report")
    parser.add_argument("--md", type=Path, default=MARKDOWN, help="where to write the Markdown coverage report")
    parser.add_argument("--quiet", action="store_true", help="do not print each miss")
    parser.add_argument("--no-score", action="store_true", help="skip scoring against the dev questions")
    parser.add_argument("--corpus", action="append", type=_corpus_arg, metavar="NAME=PATH",
                        help="a corpus to table (repeatable; default: LinkedIn sample, wild, samples/postings)")
    args = parser.parse_args(argv)
    command = "benchmarks/extraction_check.py " + " ".join(sys.argv[1:] if argv is None else argv)

    report: dict[str, Any] = {}
    if args.no_score:
        pass
    elif (args.data / CSV_NAME).exists():
        report = run(args.data, quiet=args.quiet)
    else:
        print(f"scoring skipped: no data at {args.data / CSV_NAME}", file=sys.stderr)
    coverage_part = coverage_report(args.corpus or default_corpora(args.data), command.strip())
    report["coverage_table"] = coverage_part
    print_coverage(coverage_part)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text(coverage_markdown(coverage_part), encoding="utf-8")
    print(f"wrote {args.out} and {args.md}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
