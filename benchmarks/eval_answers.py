"""Answer quality: the full pipeline against dense-only and keyword-only baselines, per intent.

Usage:
  .venv/bin/python benchmarks/eval_answers.py                 # real model, all question sets
  .venv/bin/python benchmarks/eval_answers.py --embedder hashing --sets samples
  .venv/bin/python benchmarks/eval_answers.py --query-embedder numpy --answers var/eval/answers-numpy.jsonl

Question sets: dev (../shared/data/questions/dev.jsonl), labeled (dev-labeled.jsonl), filters
(dev-filters.jsonl), all over the 500 LinkedIn postings in ../shared/data/postings/; wild (wild-dev.jsonl over
../shared/data/postings/wild/), all read at run time; heldout (our own questions) and samples
(samples/questions.jsonl over the shipped samples); wild-ours (our own questions about the wild postings
that wild-dev.jsonl does not label, written before any answer was seen: never tuned on). The judge (benchmarks/judge.py) reads the answer text. Indexes are built with the real rebuild into var/eval/ (incremental on later runs).
Writes benchmarks/results/eval.json and benchmarks/results/eval.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = ROOT.parent / "shared"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from harness import build_engine, machine, make_embedder  # noqa: E402
from judge import CORRECT, MISSED, NOT_STATED, WRONG, judge, rank_of  # noqa: E402

from bot import compose  # noqa: E402
from bot.answer import answer_to_json  # noqa: E402
from bot.catalog import keyword_tokens  # noqa: E402
from bot.engine import Answerer  # noqa: E402

SETS = {
    "dev": (SHARED / "data/questions/dev.jsonl", SHARED / "data/postings/linkedin_arshkon_sample500"),
    "labeled": (SHARED / "data/questions/dev-labeled.jsonl", SHARED / "data/postings/linkedin_arshkon_sample500"),
    "filters": (SHARED / "data/questions/dev-filters.jsonl", SHARED / "data/postings/linkedin_arshkon_sample500"),
    "wild": (SHARED / "data/questions/wild-dev.jsonl", SHARED / "data/postings/wild"),
    "wild-ours": (ROOT / "benchmarks/questions/wild-ours.jsonl", SHARED / "data/postings/wild"),
    "heldout": (ROOT / "benchmarks/questions/heldout.jsonl", SHARED / "data/postings/linkedin_arshkon_sample500"),
    "filters-ours": (ROOT / "benchmarks/questions/filters-ours.jsonl",
                     SHARED / "data/postings/linkedin_arshkon_sample500"),
    "samples": (ROOT / "samples/questions.jsonl", ROOT / "samples/postings"),
}
FACT_INTENT = {"salary": "salary", "salary_text": "salary", "location": "location", "remote": "remote",
               "work_type": "employment_type", "languages": "languages", "experience_years": "experience",
               "degree": "degree", "not_stated": None, "remote_no": "remote"}


class TopChunksBaseline:
    """What the common Slack RAG samples do: take the top-k chunks by one score, answer from the first posting."""

    def __init__(self, answerer: Answerer, mode: str, k: int = 5):
        self.answerer, self.mode, self.k = answerer, mode, k

    def ask(self, question: str):
        a = self.answerer
        query = a.parse(question)
        c = a.catalog
        if self.mode == "dense":
            scores = c.dense_scores(a.embedder.embed_query(query.text))
        else:
            scores = c.keyword_scores(keyword_tokens(query.text))
        rows = np.argsort(-scores, kind="stable")[: self.k]
        postings = []
        for row in rows:
            p = c.postings[int(c.chunk_posting[row])]
            if p not in postings:
                postings.append(p)
        if query.is_list:
            return compose.list_answer(query, postings)
        intent = query.intent if query.intent != "general" else "salary"
        return compose.fact_answer(query, intent, postings[:1])


def intent_for_fact(question: dict) -> str | None:
    if question["intent"] == "not_stated":
        return {"experience_years": "experience"}.get(question["expect"]["field"], question["expect"]["field"])
    return FACT_INTENT.get(question["intent"])


def evaluate(questions: list[dict], systems: dict, keep_answers: bool = False) -> dict:
    """Run every system over every question; tally outcomes and retrieval ranks per intent (and with
    keep_answers, each answer's text and posting ids, in question order)."""
    results: dict = {}
    for sys_name, system in systems.items():
        per_intent: dict = defaultdict(lambda: defaultdict(int))
        ranks: dict = defaultdict(list)
        latencies = []
        misses = []
        answers = []
        for row_number, q in enumerate(questions, 1):
            started = time.perf_counter()
            answer = answer_to_json(system.ask(q["question"]))
            latencies.append(time.perf_counter() - started)
            outcome = judge(q, answer)
            if keep_answers:
                answers.append({"question": q["question"], "intent": q["intent"], "outcome": outcome,
                                "answer": answer["answer"], "ids": [p["id"] for p in answer["postings"]]})
            per_intent[q["intent"]][outcome] += 1
            per_intent[q["intent"]]["n"] += 1
            if q.get("job_id"):
                ranks[q["intent"]].append(rank_of(answer, q["job_id"]))
            if outcome != CORRECT:
                misses.append({"intent": q["intent"], "row": row_number, "question": q["question"],
                               "outcome": outcome, "answer": answer["answer"][:300], "want": q.get("expect"),
                               "got_ids": [p["id"] for p in answer["postings"]][:5], "job_id": q.get("job_id")})
        table = {}
        for intent, counts in sorted(per_intent.items()):
            r = ranks.get(intent, [])
            row = {k: counts.get(k, 0) for k in (CORRECT, WRONG, NOT_STATED, MISSED)}
            row["n"] = counts["n"]
            row["correct_share"] = round(counts.get(CORRECT, 0) / counts["n"], 4)
            if r:
                row["hit@1"] = round(sum(1 for x in r if x == 1) / len(r), 4)
                row["hit@5"] = round(sum(1 for x in r if x and x <= 5) / len(r), 4)
                row["mrr"] = round(sum(1 / x for x in r if x) / len(r), 4)
            table[intent] = row
        lat = sorted(latencies)
        results[sys_name] = {
            "per_intent": table,
            "latency_ms": {"p50": round(1000 * statistics.median(lat), 2),
                           "p95": round(1000 * lat[int(0.95 * (len(lat) - 1))], 2),
                           "p99": round(1000 * lat[int(0.99 * (len(lat) - 1))], 2)} if lat else {},
            "misses": misses,
            **({"answers": answers} if keep_answers else {}),
        }
    return results


def markdown(all_results: dict) -> str:
    """A short Markdown table per question set: systems side by side, per intent."""
    out = []
    for set_name, results in all_results["sets"].items():
        out.append(f"\n### {set_name}\n")
        out.append("| intent | n | system | correct | wrong | not stated | missed | hit@1 | hit@5 | MRR |")
        out.append("|---|---|---|---|---|---|---|---|---|---|")
        intents = sorted(next(iter(results.values()))["per_intent"])
        for intent in intents:
            for sys_name, res in results.items():
                row = res["per_intent"][intent]
                out.append(
                    f"| {intent} | {row['n']} | {sys_name} | {row['correct_share']:.1%} | {row[WRONG]} | "
                    f"{row[NOT_STATED]} | {row[MISSED]} | {row.get('hit@1', '–')} | {row.get('hit@5', '–')} | "
                    f"{row.get('mrr', '–')} |")
        lat = results["full"]["latency_ms"]
        out.append(f"\nFull pipeline `ask` latency (warm, in process): p50 {lat['p50']} ms, p95 {lat['p95']} ms, "
                   f"p99 {lat['p99']} ms.")
    return "\n".join(out)


def without_question_texts(results: dict) -> dict:
    """The results as written to the results file: a miss names its question by its row in the set's file
    (1-based, blank lines skipped), never by its text, so evaluation text is not copied into the repository
    (--show-misses prints the text)."""
    out = {**results, "sets": {}}
    for set_name, systems in results.get("sets", {}).items():
        out["sets"][set_name] = {
            name: {**system, "misses": [{k: v for k, v in miss.items() if k != "question"}
                                        for miss in system.get("misses", [])]}
            for name, system in systems.items()
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", choices=["model", "hashing", "onnx-int8"], default="model")
    parser.add_argument("--sets", default="dev,labeled,filters,filters-ours,wild,wild-ours,heldout,samples")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/eval.json"))
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-baselines", action="store_true", help="run the full pipeline only")
    parser.add_argument("--var", default=None, help="folder for the indexes (default var/eval)")
    parser.add_argument("--query-embedder", choices=["numpy", "torch"], default=None,
                        help="embed questions with this backend of the model (default: the --embedder that "
                        "embedded the documents)")
    parser.add_argument("--answers", default=None, help="also write every full-pipeline answer (text and "
                        "posting ids) to this JSONL file, to compare two runs answer by answer")
    args = parser.parse_args(argv)

    embedder = make_embedder(args.embedder)
    query_embedder = None
    if args.query_embedder == "numpy":
        from index.embedder import NumpyEmbedder
        query_embedder = NumpyEmbedder()
    elif args.query_embedder == "torch":
        query_embedder = embedder if args.embedder == "model" else make_embedder("model")

    engines: dict = {}
    all_results = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
                   "embedder": embedder.name, "query_embedder": args.query_embedder or args.embedder,
                   "command": "benchmarks/eval_answers.py " + " ".join(argv or sys.argv[1:]),
                   "sets": {}}
    for set_name in args.sets.split(","):
        qpath, source = SETS[set_name]
        if not qpath.exists() or not source.exists():
            print(f"[{set_name}] skipped: {qpath} or {source} is missing (../shared is not beside this clone)",
                  file=sys.stderr)
            continue
        key = str(source)
        if key not in engines:
            var = Path(args.var) if args.var else ROOT / "var" / "eval"
            engines[key] = build_engine(f"{source.name}-{args.embedder}", source, var, embedder)
            if query_embedder is not None and query_embedder is not embedder:
                from bot.engine import Engine
                engines[key] = Engine(engines[key].store, query_embedder, top_k=engines[key].top_k, reload_interval=0)
        engine = engines[key]
        answerer = engine._current()
        questions = [json.loads(line) for line in qpath.open() if line.strip()]
        systems = {"full": engine}
        if not args.no_baselines:
            systems.update({"dense-only": TopChunksBaseline(answerer, "dense"),
                            "keyword-only": TopChunksBaseline(answerer, "keyword")})
        all_results["sets"][set_name] = evaluate(questions, systems, keep_answers=bool(args.answers))
        for intent, row in all_results["sets"][set_name]["full"]["per_intent"].items():
            print(f"[{set_name}] full {intent:18s} {row['correct_share']:.1%} correct, {row[WRONG]} wrong, "
                  f"{row[NOT_STATED]} not stated, {row[MISSED]} missed (n={row['n']})")
        if args.show_misses:
            for miss in all_results["sets"][set_name]["full"]["misses"]:
                print("  MISS", json.dumps(miss, ensure_ascii=False)[:600])
    import resource

    all_results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS of this process (model, both indexes, all systems): {all_results['peak_rss_mb']} MB",
          file=sys.stderr)
    if args.answers:
        with Path(args.answers).open("w", encoding="utf-8") as f:
            for set_name, results in all_results["sets"].items():
                for row in results["full"].pop("answers"):
                    f.write(json.dumps({"set": set_name, **row}, ensure_ascii=False) + "\n")
            for results in all_results["sets"].values():
                for system in results.values():
                    system.pop("answers", None)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(without_question_texts(all_results), indent=1, ensure_ascii=False))
    out.with_suffix(".md").write_text(
        f"Answer quality, {all_results['date']}, embedder {embedder.name}, machine {all_results['machine']}, "
        f"peak RSS {all_results['peak_rss_mb']} MB\n"
        + markdown(all_results) + "\n")
    print(f"wrote {out} and {out.with_suffix('.md')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
