"""Score extract_facts against the labeled dev questions over the LinkedIn sample.

Run: .venv/bin/python benchmarks/extraction_check.py [--data /work/shared/data] [--quiet]
Prints a table per intent and every miss with the labeler's note; writes
benchmarks/results/extraction.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.extract import extract_facts  # noqa: E402
from index.models import Facts, Posting, Salary  # noqa: E402

CSV_NAME = "postings/linkedin_arshkon_sample500/postings_sample.csv"
RESULTS = ROOT / "benchmarks" / "results" / "extraction.json"


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


def main(argv: list[str] | None = None) -> int:
    """Entry point: score, print, write the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=Path("/work/shared/data"), help="folder with postings/ and questions/"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON report")
    parser.add_argument("--quiet", action="store_true", help="do not print each miss")
    args = parser.parse_args(argv)
    if not (args.data / CSV_NAME).exists():
        print(f"no data at {args.data / CSV_NAME}", file=sys.stderr)
        return 2
    report = run(args.data, quiet=args.quiet)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
