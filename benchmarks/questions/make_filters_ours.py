"""Write filters-ours.jsonl: list and filter questions in our own words over the LinkedIn sample, with the expected
postings computed here from the CSV columns by the rules of ../shared/data/questions/README.md (independently of
the bot's code: remote is remote_allowed == 1.0; pay is compared yearly, hourly x 2,080, monthly x 12; a place is
the location column).

The questions were written before the bot answered any of them; none is tuned on. After the first run two
questions were reworded because they had come out in the dev files' words, and the expectations gained the metro
areas the README counts as places (both said in docs/benchmarks.md with the figures before and after). Run:
    .venv/bin/python benchmarks/questions/make_filters_ours.py      # needs ../shared
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT.parent / "shared/data/postings/linkedin_arshkon_sample500/postings_sample.csv"
OUT = Path(__file__).with_name("filters-ours.jsonl")
FACTOR = {"YEARLY": 1, "HOURLY": 2080, "MONTHLY": 12, "WEEKLY": 52}
STATES = {"TX": "Texas", "CA": "California", "NY": "New York", "FL": "Florida", "OH": "Ohio", "IL": "Illinois",
          "GA": "Georgia", "WA": "Washington", "MA": "Massachusetts", "NC": "North Carolina", "CO": "Colorado",
          "PA": "Pennsylvania", "NJ": "New Jersey", "AZ": "Arizona", "MI": "Michigan", "VA": "Virginia"}


# metro areas the location column names, by the state of their main city (the README: a metro area is a place)
METROS = {"los angeles": "CA", "san francisco bay": "CA", "san diego": "CA", "cincinnati": "OH", "cleveland": "OH",
          "columbus": "OH", "denver": "CO", "phoenix": "AZ", "dallas": "TX", "houston": "TX", "austin": "TX",
          "new york city": "NY", "atlanta": "GA", "miami": "FL", "chicago": "IL", "seattle": "WA", "boston": "MA"}


def in_state(row: dict, code: str) -> bool:
    loc = row["location"]
    metro = re.search(r"(?i)^(?:greater\s+)?(.+?)(?:\s+metropolitan)?\s+area$", loc)
    if metro and any(metro.group(1).lower().startswith(m) for m, st in METROS.items() if st == code):
        return True
    return bool(re.search(rf",\s*{code}$", loc)) or STATES[code].lower() in loc.lower()


def remote(row: dict) -> bool:
    return row["remote_allowed"] == "1.0"


def hybrid_in_text(row: dict) -> bool:
    """A crude, independent reading: the description says "hybrid" somewhere."""
    return "hybrid" in row["description"].lower()


def work(row: dict, kind: str) -> bool:
    return row["formatted_work_type"] == kind


def yearly(row: dict) -> tuple[float | None, float | None]:
    """(bottom, top) of the listed pay as yearly figures; None where not given."""
    factor = FACTOR.get(row["pay_period"])
    if factor is None:
        return None, None
    nums = {k: float(row[k]) * factor for k in ("min_salary", "max_salary", "med_salary") if row[k]}
    bottom = nums.get("min_salary", nums.get("med_salary", nums.get("max_salary")))
    top = nums.get("max_salary", nums.get("med_salary", nums.get("min_salary")))
    return bottom, top


def period(row: dict, name: str) -> bool:
    return row["pay_period"] == name and yearly(row)[0] is not None


def top_over(x: float):
    return lambda r: (yearly(r)[1] or 0) > x


def bottom_at_least(x: float):
    return lambda r: yearly(r)[0] is not None and yearly(r)[0] >= x


def top_under(x: float):
    return lambda r: yearly(r)[1] is not None and yearly(r)[1] < x


def all_of(*tests):
    return lambda r: all(t(r) for t in tests)


def neg(test):
    return lambda r: not test(r)


# (family, question, rule): written in our words, not the dev files'
SPECS = [
    ("negation", "show me contract positions that are not remote", all_of(lambda r: work(r, "Contract"), neg(remote))),
    ("negation", "full time jobs in florida that you can't do from home",
     all_of(lambda r: work(r, "Full-time"), lambda r: in_state(r, "FL"), neg(remote))),
    ("negation", "which california roles aren't full-time?", all_of(lambda r: in_state(r, "CA"),
                                                                   neg(lambda r: work(r, "Full-time")))),
    ("negation", "remote jobs outside of texas", all_of(remote, neg(lambda r: in_state(r, "TX")))),
    ("negation", "part-time openings that are on-site only",
     all_of(lambda r: work(r, "Part-time"), neg(remote), neg(hybrid_in_text))),
    ("pay_floor", "roles starting at 100k a year or more", bottom_at_least(100_000)),
    ("pay_floor", "jobs with a starting salary of at least $80,000", bottom_at_least(80_000)),
    ("pay_floor", "jobs paid at least 30 bucks an hour to start",
     all_of(lambda r: period(r, "HOURLY"), bottom_at_least(30 * 2080))),
    ("pay_ceiling", "positions paying more than 180k", top_over(180_000)),
    ("pay_ceiling", "positions whose max pay is below 50 grand per year", top_under(50_000)),
    ("pay_ceiling", "gigs paying over $60/hr", all_of(lambda r: period(r, "HOURLY"), top_over(60 * 2080))),
    ("place", "any openings in georgia?", lambda r: in_state(r, "GA")),
    ("place", "jobs located in Ohio", lambda r: in_state(r, "OH")),
    ("place", "what's open in colorado", lambda r: in_state(r, "CO")),
    ("place", "list the arizona postings", lambda r: in_state(r, "AZ")),
    ("work_type", "internships?", lambda r: work(r, "Internship")),
    ("work_type", "list every temp job", lambda r: work(r, "Temporary")),
    ("work_type", "volunteer positions please", lambda r: work(r, "Volunteer")),
    ("combined", "remote contract roles paying over 100k",
     all_of(remote, lambda r: work(r, "Contract"), top_over(100_000))),
    ("combined", "full-time jobs in illinois paying more than $90k",
     all_of(lambda r: work(r, "Full-time"), lambda r: in_state(r, "IL"), top_over(90_000))),
    ("combined", "part time remote roles", all_of(lambda r: work(r, "Part-time"), remote)),
    ("combined", "new jersey jobs over 70k that aren't remote",
     all_of(lambda r: in_state(r, "NJ"), top_over(70_000), neg(remote))),
    ("count", "how many internships are listed?", lambda r: work(r, "Internship")),
    ("count", "number of remote roles in new york state", all_of(remote, lambda r: in_state(r, "NY"))),
    ("count", "how many part-time jobs pay by the hour", all_of(lambda r: work(r, "Part-time"),
                                                               lambda r: period(r, "HOURLY"))),
]


def _period_named(question: str) -> str | None:
    if re.search(r"\b(?:a|per) year\b|/yr\b|\bannual", question, re.I):
        return "YEARLY"
    if re.search(r"\b(?:an|per) hour\b|/hr\b|\bhourly\b", question, re.I):
        return "HOURLY"
    return None


def main() -> int:
    if not CSV.is_file():
        print(f"needs {CSV}", file=sys.stderr)
        return 1
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    by_id = {r["job_id"]: r for r in rows}
    with OUT.open("w", encoding="utf-8") as out:
        for family, question, rule in SPECS:
            ids = sorted(r["job_id"] for r in rows if rule(r))
            if family == "count":
                record = {"source": "linkedin", "intent": "count", "family": family, "question": question,
                          "expect": {"count": len(ids)}}
            else:
                record = {"source": "linkedin", "intent": "filter", "family": family, "question": question,
                          "expect": {"job_ids": ids}}
                named = _period_named(question)
                if named and family.startswith("pay"):  # the README's fair other reading: that period's pay only
                    record["expect"]["alt_job_ids"] = [i for i in ids if by_id[i]["pay_period"] == named]
            out.write(json.dumps(record) + "\n")
    print(f"wrote {OUT} ({len(SPECS)} questions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
