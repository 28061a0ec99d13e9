"""Validate benchmarks/questions/heldout.jsonl against the postings CSV and the dev question files.

Usage:
  .venv/bin/python benchmarks/questions/check_heldout.py [--csv PATH] [--dev-dir DIR] [--file PATH]

Checks, for every line:
  * the schema (job_id, title, company, intent, question, expect; optional note, computation),
    and that no `evidence` field (posting quotes) is present;
  * the job_id exists in the CSV and appears in neither dev.jsonl nor dev-labeled.jsonl;
  * title and company equal the CSV row (whitespace-stripped);
  * column intents equal the columns: salary (min/max/period/currency; med_salary gives min = max),
    location (verbatim), remote (only rows with remote_allowed == "1.0"), work_type (formatted_work_type);
  * labeled intents have a well-formed expect (canonical degree names, numeric years, ...);
  * aggregate: expect.job_ids equals the result of evaluating `computation` over every CSV row;
  * no question is asked twice; a question shares no run of 8+ words with its posting's text and a note
    none of 6+ words (titles are allowed, quotes are not).
Exits 1 and lists the problems if anything fails.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHARED = ROOT.parent / "shared"
DEFAULT_CSV = SHARED / "data/postings/linkedin_arshkon_sample500/postings_sample.csv"
DEFAULT_DEV = SHARED / "data/questions"

INTENTS = {"salary", "location", "remote", "work_type", "languages", "experience_years", "degree",
           "salary_text", "not_stated", "aggregate"}
DEGREES = {"HighSchool", "Associate", "Bachelor", "Master", "PhD"}
PERIODS = {"hourly", "daily", "weekly", "monthly", "yearly"}
ALLOWED_KEYS = {"job_id", "title", "company", "intent", "question", "expect", "note", "computation"}


def load_rows(path: Path) -> list[dict]:
    csv.field_size_limit(10**9)
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def dev_ids(dev_dir: Path) -> tuple[set[str], set[str]]:
    """Job ids the dev questions are about, and ids that only occur in dev aggregate answer lists."""
    ids, listed = set(), set()
    for name in ("dev.jsonl", "dev-labeled.jsonl"):
        for line in open(dev_dir / name, encoding="utf-8"):
            if line.strip():
                q = json.loads(line)
                if q.get("job_id"):
                    ids.add(str(q["job_id"]))
                if q.get("intent") == "aggregate":
                    listed |= {str(j) for j in (q.get("expect") or {}).get("job_ids", [])}
    return ids, listed - ids


def column_salary(r: dict) -> dict:
    if r["min_salary"]:
        lo, hi = float(r["min_salary"]), float(r["max_salary"])
    else:
        lo = hi = float(r["med_salary"])
    return {"min": lo, "max": hi, "period": r["pay_period"].lower(), "currency": r["currency"]}


def copied_text(question: str, description: str, n_words: int = 8) -> bool:
    """True if the question shares a run of n_words consecutive words with the description."""
    words = re.findall(r"[a-z0-9']+", question.lower())
    desc = " " + " ".join(re.findall(r"[a-z0-9']+", description.lower())) + " "
    return any(" " + " ".join(words[i:i + n_words]) + " " in desc for i in range(len(words) - n_words + 1))


def check(path: Path, rows: list[dict], dev: set[str]) -> tuple[list[str], Counter]:
    by_id = {r["job_id"]: r for r in rows}
    problems: list[str] = []
    counts: Counter = Counter()
    seen_q: set[str] = set()
    seen_key: set[tuple] = set()
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        where = f"line {n}"
        try:
            q = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{where}: not JSON ({err})")
            continue
        bad = lambda msg: problems.append(f"{where} [{q.get('intent')} {q.get('job_id')}]: {msg}")  # noqa: E731
        extra = set(q) - ALLOWED_KEYS
        if extra:
            bad(f"unexpected keys {sorted(extra)} (no evidence/quotes allowed)")
        for k in ("job_id", "title", "company", "intent", "question", "expect"):
            if k not in q:
                bad(f"missing {k}")
        intent = q.get("intent")
        if intent not in INTENTS:
            bad(f"unknown intent {intent!r}")
            continue
        counts[intent] += 1
        text = (q.get("question") or "").strip()
        if not text:
            bad("empty question")
        if text.lower() in seen_q:
            bad("duplicate question text")
        seen_q.add(text.lower())
        e = q.get("expect") or {}

        if intent == "aggregate":
            if q["job_id"] is not None or q["title"] is not None or q["company"] is not None:
                bad("aggregate questions have job_id/title/company null")
            comp = q.get("computation")
            if not comp:
                bad("aggregate without computation")
                continue
            try:
                want = [r["job_id"] for r in rows if eval(comp, {"__builtins__": {"float": float, "int": int}}, {"r": r})]
            except Exception as err:  # noqa: BLE001
                bad(f"computation fails: {err}")
                continue
            got = e.get("job_ids")
            if not isinstance(got, list) or sorted(got) != sorted(want):
                bad(f"job_ids {got} != computation result {want}")
            elif len(set(got)) != len(got):
                bad("duplicate job_ids")
            elif not want:
                bad("computation selects nothing")
            continue

        jid = str(q.get("job_id"))
        r = by_id.get(jid)
        if r is None:
            bad("job_id not in the CSV")
            continue
        if jid in dev:
            bad("job_id is in the dev files")
        if q.get("computation") is not None:
            bad("computation only belongs to aggregate questions")
        if q["title"] != r["title"].strip():
            bad(f"title {q['title']!r} != CSV {r['title'].strip()!r}")
        if q["company"] != r["company_name"].strip():
            bad(f"company {q['company']!r} != CSV {r['company_name'].strip()!r}")
        if copied_text(text, r["description"]):
            bad("question copies a run of 8+ words from the posting text")
        note = q.get("note") or ""
        if note and copied_text(note, r["description"], 6):
            bad("note copies a run of 6+ words from the posting text")
        key = (jid, intent, e.get("field"))
        if key in seen_key:
            bad("same posting asked twice with the same intent")
        seen_key.add(key)

        if intent == "salary":
            if not r["pay_period"]:
                bad("salary question on a row without pay columns")
            elif e != column_salary(r):
                bad(f"expect {e} != columns {column_salary(r)}")
        elif intent == "location":
            if e != {"location": r["location"]}:
                bad(f"expect {e} != location column {r['location']!r}")
        elif intent == "remote":
            if r["remote_allowed"] != "1.0":
                bad(f"remote question on a row with remote_allowed={r['remote_allowed']!r}")
            if e != {"remote": True}:
                bad(f"expect {e} != {{'remote': True}}")
        elif intent == "work_type":
            if e != {"work_type": r["formatted_work_type"]}:
                bad(f"expect {e} != formatted_work_type {r['formatted_work_type']!r}")
        elif intent == "languages":
            all_of, none_of = e.get("all_of"), e.get("none_of")
            if not all_of or not isinstance(all_of, list) or not isinstance(none_of, list):
                bad("languages needs non-empty all_of and a none_of list")
            elif set(all_of) & set(none_of):
                bad("a language is in both all_of and none_of")
            if set(e) - {"all_of", "none_of"}:
                bad(f"unexpected expect keys {sorted(set(e) - {'all_of', 'none_of'})}")
        elif intent == "experience_years":
            if set(e) != {"min_years"} or not isinstance(e["min_years"], int) or e["min_years"] < 0:
                bad(f"experience expect must be {{'min_years': int >= 0}}, got {e}")
        elif intent == "degree":
            vals = e.get("any_of")
            if set(e) != {"any_of"} or not vals or not set(vals) <= DEGREES:
                bad(f"degree any_of must be a non-empty subset of {sorted(DEGREES)}, got {e}")
        elif intent == "salary_text":
            if set(e) != {"min", "max", "period", "currency"}:
                bad(f"salary_text expect keys {sorted(e)}")
            elif not (isinstance(e["min"], (int, float)) and isinstance(e["max"], (int, float)) and 0 < e["min"] <= e["max"]):
                bad("salary_text needs 0 < min <= max")
            elif e["period"] not in PERIODS or e["currency"] != "USD":
                bad(f"bad period/currency {e['period']!r}/{e['currency']!r}")
            if r["pay_period"]:
                bad("salary_text question on a row that has salary columns (pay must be stated only in the text)")
        elif intent == "not_stated":
            if e.get("not_stated") is not True or e.get("field") not in {"salary", "experience_years", "degree"}:
                bad(f"not_stated expect malformed: {e}")
            if e.get("field") == "salary" and r["pay_period"]:
                bad("salary not_stated on a row that has salary columns")
        if intent in {"languages", "experience_years", "degree", "salary_text", "not_stated"} and not note:
            bad("labeled question without a note")
    return problems, counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    ap.add_argument("--dev-dir", type=Path, default=DEFAULT_DEV)
    ap.add_argument("--file", type=Path, default=HERE / "heldout.jsonl")
    args = ap.parse_args()
    rows = load_rows(args.csv)
    dev, dev_listed = dev_ids(args.dev_dir)
    problems, counts = check(args.file, rows, dev)
    total = sum(counts.values())
    print(f"{args.file.name}: {total} questions; " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    subjects = {json.loads(line).get("job_id") for line in open(args.file, encoding="utf-8") if line.strip()}
    shared = sorted(j for j in subjects if j in dev_listed)
    print(f"postings asked about: {len(subjects - {None})}; of these {len(shared)} occur only inside dev "
          f"aggregate answer lists (allowed: the split is by the posting a question is about)")
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        for p in problems:
            print("  " + p)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
