"""`postings-bot ask` from a fresh process: seconds to an answer for a fact, a list and a general question.

For each corpus (the shipped samples/postings, and ../shared's LinkedIn sample of 500 when present) the index
is rebuilt with the real model into var/startup/ (incremental on later runs), then each question is asked
--runs times, each in a new process, as a user runs it (`python -m bot ask --chroma-path ...`), and the median
wall time is reported. One extra, untimed run per question says what the answer was (intent, list or not)
and whether the process imported torch, sentence-transformers or transformers.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--code DIR] [--out benchmarks/results/startup.json]

--code runs the `ask` of another checkout of this repository (e.g. an export of an older commit, to measure
before and after on the same machine); the indexes are built by this checkout. The machine may be shared:
the figures are medians and the load average at start is recorded.
Prints the figures and writes benchmarks/results/startup.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from harness import build_engine, machine, make_embedder  # noqa: E402

LINKEDIN = ROOT.parent / "shared/data/postings/linkedin_arshkon_sample500"
CORPORA = {
    "samples": (ROOT / "samples" / "postings", {
        "fact": "what does the harbortide backend role pay?",
        "list": "which roles are remote?",
        "general": "what is it like to work on the data platform team?",
    }),
    "linkedin500": (LINKEDIN, {
        "fact": "what's the pay range for the assistant restaurant manager job at the national exemplar?",
        "list": "show me contract positions that are not remote",
        "general": "what does a typical day look like for a delivery driver?",
    }),
}
TARGETS = {"fact": 1.5, "list": 1.5, "general": 3.0}  # seconds, issue 11
HEAVY = ("torch", "sentence_transformers", "transformers")

# what a question's answer was, and which model libraries the process imported to give it
CHECK = """
import contextlib, io, json, sys
from bot.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["ask", "--json", "--chroma-path", sys.argv[1], sys.argv[2]])
answer = json.loads(out.getvalue()) if code == 0 else {}
print(json.dumps({"exit_code": code, "intent": answer.get("intent"), "is_list": answer.get("is_list"),
                  "status": answer.get("status"), "imported": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def child_env() -> dict[str, str]:
    """The user's environment without POSTINGS_* settings, offline, telemetry off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTINGS_")}
    return {**env, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def run_seconds(command: list[str], cwd: Path) -> float:
    """Wall seconds of one fresh process (raises when it fails)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=child_env(), capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} … failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds


def check(code: Path, chroma: Path, question: str) -> dict:
    """The answer's kind and the model libraries imported, from one untimed fresh process."""
    done = subprocess.run([sys.executable, "-c", CHECK, str(chroma), question], cwd=code, env=child_env(),
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return {"error": done.stderr[-300:]}
    return json.loads(done.stdout.splitlines()[-1])


def median_seconds(command: list[str], cwd: Path, runs: int) -> dict:
    times = [run_seconds(command, cwd) for _ in range(runs)]
    return {"median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
            "max_s": round(max(times), 2), "runs": runs}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose `ask` is timed")
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "startup", help="folder for the indexes")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/startup.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    result = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
              "load_average_at_start": round(os.getloadavg()[0], 2), "code": str(args.code.resolve()),
              "command": "benchmarks/startup.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "targets_s": TARGETS, "baseline": {}, "corpora": {}}
    python = [sys.executable]
    for name, code in (("python_start", "pass"), ("import_sentence_transformers", "import sentence_transformers")):
        result["baseline"][name] = median_seconds(python + ["-c", code], args.code, args.runs)
        print(f"[baseline] {name}: {result['baseline'][name]['median_s']:.2f} s (median of {args.runs})")

    embedder = None
    for corpus, (source, questions) in CORPORA.items():
        if not source.exists():
            print(f"[{corpus}] skipped: {source} is absent (../shared is not beside this clone)", file=sys.stderr)
            continue
        embedder = embedder or make_embedder("model")
        engine = build_engine(f"{source.name}-model", source, args.var, embedder)
        postings = engine.stats().postings
        chroma = args.var / f"{source.name}-model"
        rows = {}
        for kind, question in questions.items():
            command = python + ["-m", "bot", "ask", "--chroma-path", str(chroma), question]
            row = {"question": question, **median_seconds(command, args.code, args.runs),
                   **check(args.code, chroma, question)}
            row["meets_target"] = row["median_s"] <= TARGETS[kind]
            rows[kind] = row
            print(f"[{corpus}, {postings} postings] {kind:7s} {row['median_s']:.2f} s median "
                  f"({row['min_s']:.2f}–{row['max_s']:.2f}; target ≤ {TARGETS[kind]} s) "
                  f"imported {row.get('imported') or 'no model library'}: {question}")
        result["corpora"][corpus] = {"source": str(source), "postings": postings, "questions": rows}

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
