"""Query latency and memory against corpus size: `ask` p50/p95/p99 in a warm process, RSS, build time.

Run: .venv/bin/python benchmarks/scale.py [--sizes 500 1000 10000 100000] [--questions 200] [--repeats 5]

For each size N (increasing), a corpus of N postings (the 500 real LinkedIn postings, then varied
copies of them, see benchmarks/corpus.py) is written to var/bench/scale-N/postings/ and indexed
with the real rebuild and the fast HashingEmbedder into var/bench/scale-N/chroma/ (reused on later
runs when the corpus and embedder match). Then a fresh process loads the Engine, warms it and
times `ask` over a question mix: fact questions from the dev.jsonl templates pointed at postings
of the corpus, list/filter questions and general questions. Each size is measured in its own
process, so RSS is the bot's own. Before measuring, a fresh process loads the index from the store as a
replica does after a rebuild, and writes the index snapshot (bot/snapshot.py); the measuring process then
loads from that snapshot, as every later replica start does (--no-snapshot: from the store). Questions are
embedded by the real model as the bot embeds them (all-MiniLM-L6-v2 in NumPy, POSTINGS_QUERY_EMBEDDER, one
thread, loaded in the background after the index is ready, as `serve` does; --query-embedder hashing for the
free stand-in).
Writes benchmarks/results/scale.json and docs/scale.png (needs matplotlib: pip install -e .[bench]).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import hashlib
import json
import logging
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

DEFAULT_SIZES = (500, 1000, 10000, 100000)
DEV_QUESTIONS = ROOT.parent / "shared/data/questions/dev.jsonl"
BENCH_DIR = ROOT / "var/bench"
RESULTS = ROOT / "benchmarks/results/scale.json"
PLOT = ROOT / "docs/scale.png"
TARGET_P95_MS = 50.0  # issue 11: p95 at 100k postings with the real question model
TARGET_SIZE = 100000
KINDS = ("fact", "list", "general")
WARM_QUESTIONS = 6

LIST_QUESTIONS = (
    "remote roles over $150k",
    "contract roles in Texas",
    "which roles want Python?",
    "part-time jobs in California",
    "remote roles over $100k",
    "which jobs want SQL?",
    "full-time nursing jobs in Texas",
    "hourly jobs in New York",
    "any internships?",
    "which roles are hybrid?",
)
GENERAL_QUESTIONS = (
    "who is hiring data engineers with Kafka experience?",
    "roles building dashboards in Tableau",
    "positions supporting customers over the phone",
    "work on mobile apps with React Native",
    "help with tax preparation and bookkeeping",
    "caring for patients in a hospital setting",
    "managing a warehouse team and forklift operations",
    "teaching children in a classroom",
)
FALLBACK_TEMPLATES = {  # the four dev.jsonl phrasings, used when ../shared is absent (tests)
    "salary": ["What is the salary range for the {title} position at {company}?"],
    "location": ["Where is the {title} job at {company} located?"],
    "work_type": ["Is the {title} job at {company} full-time, part-time or contract?"],
    "remote": ["Is the {title} role at {company} remote?"],
}


@dataclass
class Question:
    """One benchmark question: its kind (fact, list, general), template intent and target posting (fact only)."""

    kind: str
    intent: str
    text: str
    target: str = ""


# ---------------------------------------------------------------- pure helpers


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 and mean of latencies in ms (linear interpolation), and how many there were."""
    if not values_ms:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "mean": float("nan")}
    arr = np.asarray(values_ms, dtype=float)
    p50, p95, p99 = np.percentile(arr, [50, 95, 99])
    return {"n": int(arr.size), "p50": round(float(p50), 2), "p95": round(float(p95), 2),
            "p99": round(float(p99), 2), "mean": round(float(arr.mean()), 2)}


def median_of_passes(passes: Sequence[dict[str, float]]) -> dict[str, float]:
    """The median over passes of each percentile (the passes' n added up)."""
    if not passes:
        return percentiles([])
    out: dict[str, float] = {"n": int(sum(p["n"] for p in passes))}
    for key in ("p50", "p95", "p99", "mean"):
        out[key] = round(float(np.median([p[key] for p in passes])), 2)
    return out


def templates_from_dev(records: Sequence[dict]) -> dict[str, list[str]]:
    """Question templates per intent: dev questions with their title and company replaced by {title}/{company}."""
    found: dict[str, list[str]] = {}
    for record in records:
        title, company, text = record.get("title") or "", record.get("company") or "", record.get("question") or ""
        if not title or not company or text.count(title) != 1 or text.count(company) != 1:
            continue
        if title in company or company in title:
            continue
        template = text.replace(title, "{title}").replace(company, "{company}")
        intent = str(record.get("intent", "general"))
        if template not in found.setdefault(intent, []):
            found[intent].append(template)
    return found


def read_templates(path: Path) -> dict[str, list[str]]:
    """Templates from dev.jsonl, or the four built-in dev phrasings when the file is absent."""
    if not path.exists():
        return FALLBACK_TEMPLATES
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return templates_from_dev(records) or FALLBACK_TEMPLATES


def make_questions(postings: Sequence[tuple[str, str, str]], templates: dict[str, list[str]], n: int,
                   seed: int = 0) -> list[Question]:
    """n questions: half fact questions about random postings (id, title, company), a quarter list, a quarter general."""
    rng = random.Random(f"{seed}:questions")
    named = [p for p in postings if p[1] and p[2]]
    intents = sorted(templates)
    n_fact = n // 2 if named and intents else 0
    n_list = (n - n_fact) // 2
    n_general = n - n_fact - n_list
    questions = []
    for i in range(n_fact):
        pid, title, company = rng.choice(named)
        intent = intents[i % len(intents)]
        template = rng.choice(templates[intent])
        questions.append(Question("fact", intent, template.format(title=title, company=company), pid))
    questions += [Question("list", "list", LIST_QUESTIONS[i % len(LIST_QUESTIONS)]) for i in range(n_list)]
    questions += [Question("general", "general", GENERAL_QUESTIONS[i % len(GENERAL_QUESTIONS)])
                  for i in range(n_general)]
    return questions


def deep_size(obj: Any) -> int:
    """Bytes held by an object and everything it refers to (numpy arrays count their buffers once)."""
    import types

    skip = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
            types.CodeType, types.FrameType)
    seen: set[int] = set()
    stack = [obj]
    total = 0
    while stack:
        item = stack.pop()
        if id(item) in seen or isinstance(item, skip):
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            total += sys.getsizeof(item)  # the buffer too when the array owns it; a view's header only
            owner = item
            while isinstance(owner.base, np.ndarray):
                owner = owner.base
            if owner is not item and id(owner) not in seen:
                seen.add(id(owner))
                total += sys.getsizeof(owner)
            continue
        total += sys.getsizeof(item)
        stack.extend(gc.get_referents(item))
    return total


def rss_mb() -> float:
    """Resident memory of this process now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def rss_parts_mb() -> dict[str, float]:
    """Resident memory by kind: anonymous (the heap: objects, arrays), file-backed (memory-mapped snapshot
    files and libraries: shared between processes, dropped under memory pressure and read again)."""
    parts = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("RssAnon", "RssFile", "RssShmem"):
            parts[name.lower().replace("rss", "rss_") + "_mb"] = round(int(value.split()[0]) / 1024, 1)
    return parts


def peak_rss_mb() -> float:
    """The highest resident memory this process reached (ru_maxrss), in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def trim_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc), so RSS shows what is held."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def machine() -> dict[str, Any]:
    """nproc, CPU model, load and the versions that matter here."""
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    import bm25s
    import chromadb

    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(), "numpy": np.__version__,
            "chromadb": chromadb.__version__, "bm25s": getattr(bm25s, "__version__", "?"),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "load_average_at_start": round(os.getloadavg()[0], 2)}


def code_version() -> dict[str, Any]:
    """The commit measured, and which files of the answering code differ from it (read-only git)."""
    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    modified = [line[3:] for line in git("status", "--porcelain", "--", "bot", "index", "config").splitlines() if line]
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "modified": modified}


def code_fingerprint() -> str:
    """A short hash of the answering code (bot/, index/, config/ sources) as this process loaded it."""
    digest = hashlib.sha256()
    for folder in ("bot", "index", "config"):
        for file in sorted((ROOT / folder).rglob("*.py")):
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def file_sha256(path: Path) -> str:
    """sha256 of a file, or of the sorted files of a folder."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def corpus_signature(n: int, seed: int, source: Path, embedder: str) -> dict[str, Any]:
    """What an index folder must have been built from to be reused."""
    return {"postings": n, "seed": seed, "generator": corpus.GENERATOR_VERSION, "source": source.name,
            "source_sha256": file_sha256(source), "embedder": embedder}


# ---------------------------------------------------------------- the two child steps


def _settings(folder: Path):
    from config import load_settings

    return load_settings(source_dirs=[folder / "postings"], chroma_path=folder / "chroma",
                         collection_prefix="scale", reload_interval_seconds=0)


def build_step(n: int, folder: Path, source: Path, seed: int) -> dict[str, Any]:
    """Write the corpus and index it with the real rebuild and the hashing embedder (in a clean folder)."""
    from index.embedder import HashingEmbedder
    from index.rebuild import rebuild
    from index.store import IndexStore

    embedder = HashingEmbedder()
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    info = corpus.build_corpus(source, folder / "postings", n, seed)
    corpus_seconds = time.perf_counter() - started
    store = IndexStore.open(_settings(folder))
    summary = rebuild(_settings(folder), embedder, store)
    store.close()
    if not summary.ok:
        raise RuntimeError(f"rebuild failed: {summary.error}")
    build = {"corpus_seconds": round(corpus_seconds, 1), "files": len(info.files), "seconds": summary.seconds,
             "postings": summary.postings_total, "chunks": summary.chunks_total,
             "chunks_per_s": round(summary.chunks_total / max(summary.seconds, 1e-9), 1),
             "problems": summary.skipped, "peak_rss_mb": peak_rss_mb(), "built_at": now_iso()}
    (folder / "bench.json").write_text(json.dumps(
        {"signature": corpus_signature(n, seed, source, embedder.name), "build": build}, indent=2) + "\n")
    return build


def _memory_parts(catalog: Any) -> dict[str, float]:
    """MB held by the catalog's parts: chunk vectors, BM25 index, chunk texts, postings, mention index."""
    mb = 1024 * 1024
    parts = {"vectors_mb": catalog.vectors.nbytes / mb}  # memory-mapped from a snapshot: file pages, shared
    bm25 = getattr(catalog, "_bm25", None)
    parts["bm25_mb"] = (deep_size(bm25) + deep_size(getattr(catalog, "_bm25_vocab", set()))) / mb if bm25 else 0.0
    parts["chunk_texts_mb"] = (deep_size(catalog.chunk_texts) + deep_size(catalog.chunk_ids)) / mb
    parts["postings_mb"] = deep_size(catalog.postings) / mb
    parts["mention_index_mb"] = deep_size(catalog.mentions) / mb
    return {k: round(v, 1) for k, v in parts.items()}


class GcTimer:
    """Counts garbage collections by generation and the ms they take, while installed in gc.callbacks."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.ms = [0.0, 0.0, 0.0]
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            generation = int(info.get("generation", 0))
            self.count[generation] += 1
            self.ms[generation] += (time.perf_counter() - self._started) * 1000

    def report(self) -> dict[str, Any]:
        return {"collections": self.count, "ms": [round(m, 1) for m in self.ms],
                "gen2_ms_per_collection": round(self.ms[2] / self.count[2], 1) if self.count[2] else None}


@dataclass(frozen=True)
class Outcome:
    """What is kept of an answer: its status and the ids of the postings it is about (answers are dropped, as
    the bot drops them once sent: keeping them alive would make the garbage collector's work grow)."""

    status: str
    posting_ids: tuple[str, ...]


def _ask_all(engine: Any, questions: Sequence[Question]) -> list[tuple[Question, float, Outcome]]:
    out = []
    for q in questions:
        started = time.perf_counter()
        answer = engine.ask(q.text)
        ms = (time.perf_counter() - started) * 1000
        out.append((q, ms, Outcome(answer.status, tuple(p.id for p in answer.postings[:5]))))
        del answer
    return out


def process_seconds() -> float:
    """Seconds since this process started (from /proc: start ticks after boot, and the boot time)."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime"))
        return round(time.time() - (boot + ticks / os.sysconf("SC_CLK_TCK")), 2)
    except (OSError, ValueError, StopIteration, IndexError):
        return float("nan")


def _snapshots(folder: Path, settings: Any) -> Any:
    from bot.snapshot import Snapshots
    from index.store import store_identity

    return Snapshots(folder / "snapshot", store_identity(settings))


def snapshot_step(folder: Path) -> dict[str, Any]:
    """A replica's first load after a rebuild: read the store, build the catalog, write the snapshot."""
    from bot.engine import Engine
    from index.embedder import HashingEmbedder
    from index.store import IndexStore

    shutil.rmtree(folder / "snapshot", ignore_errors=True)
    settings = _settings(folder)
    started = time.perf_counter()
    Engine(IndexStore.open(settings), HashingEmbedder(), top_k=settings.top_k, reload_interval=0,
           snapshots=_snapshots(folder, settings))
    seconds = time.perf_counter() - started
    files = [p for p in (folder / "snapshot").rglob("*") if p.is_file()]
    return {"seconds_store_to_snapshot": round(seconds, 2), "peak_rss_mb": peak_rss_mb(),
            "snapshot_mb": round(sum(p.stat().st_size for p in files) / 1024 / 1024, 1)}


def measure_step(n: int, folder: Path, questions: int, repeats: int, seed: int, profile: str = "never",
                 what_if_gc_freeze: bool = False, snapshot: bool = True, query_model: bool = True) -> dict[str, Any]:
    """Load the Engine over the index in folder and time `ask` over the question mix, `repeats` passes.

    profile: "always", "never" or "auto" (when a kind's p95 misses the target). what_if_gc_freeze: time the
    passes again after gc.freeze() (what the engine would gain by freezing the loaded index). snapshot: load
    from the index snapshot (else from the store). query_model: embed questions with the real model.
    """
    from bot.engine import Engine
    from index.embedder import HashingEmbedder, lazy_query_embedder
    from index.store import IndexStore

    rss_start = rss_mb()
    settings = _settings(folder)
    # as build_engine: the model the bot embeds questions with (POSTINGS_QUERY_EMBEDDER, NumPy by default)
    embedder = (lazy_query_embedder(settings.query_embedder, None, 32, settings.embed_threads or 1) if query_model
                else HashingEmbedder())
    started = time.perf_counter()
    engine = Engine(IndexStore.open(settings), embedder, top_k=settings.top_k, reload_interval=0,
                    snapshots=_snapshots(folder, settings) if snapshot else None)
    load_seconds = time.perf_counter() - started
    stats = engine.stats()
    load = {"seconds": round(load_seconds, 2), "from": "snapshot" if snapshot else "store",
            "seconds_from_process_start": process_seconds(), "rss_mb_before": rss_start,
            "rss_mb_after_load": rss_mb(), "peak_rss_mb_after_load": peak_rss_mb()}
    trim_memory()
    load["rss_mb_after_trim"] = rss_mb()
    if query_model:  # as `serve` does once it is ready: the model loads in the background
        started = time.perf_counter()
        thread = getattr(embedder, "load_in_background", lambda: None)()
        if thread is not None:
            thread.join()
        load["model_seconds_after_ready"] = round(time.perf_counter() - started, 2)
        load["model_ready_from_process_start"] = process_seconds()
        trim_memory()
        load["rss_mb_with_model"] = rss_mb()
        load["rss_parts_with_model"] = rss_parts_mb()
    catalog = engine._answerer.catalog  # the loaded catalog: no public accessor, read for the memory breakdown
    memory = _memory_parts(catalog)

    postings = [(p.id, p.title, p.company) for p in catalog.postings]
    mix = make_questions(postings, read_templates(DEV_QUESTIONS), questions, seed)
    _ask_all(engine, _warm_questions(mix))

    latency, passes, all_results, gc_report = timed_passes(engine, mix, repeats, seed)
    first = all_results[: len(mix)]
    statuses: dict[str, dict[str, int]] = {}
    for q, _ms, answer in first:
        counts = statuses.setdefault(q.kind, {})
        counts[answer.status] = counts.get(answer.status, 0) + 1
    slowest = sorted(first, key=lambda t: -t[1])[:5]
    result = {
        "postings": stats.postings, "chunks": stats.chunks, "code": code_fingerprint(), "load": load,
        "memory": memory, "peak_rss_mb": peak_rss_mb(), "rss_mb_after_questions": rss_mb(),
        "rss_parts_after_questions": rss_parts_mb(),
        "query_embedder": getattr(embedder, "name", type(embedder).__name__),
        "latency_ms": latency, "passes": passes, "gc_during_questions": gc_report,
        "answer_status": statuses,
        "fact_answers": fact_answer_checks([(q, a) for q, _ms, a in first if q.kind == "fact"], catalog.postings),
        "slowest": [{"question": q.text, "kind": q.kind, "ms": round(ms, 1)} for q, ms, _ in slowest],
        "load_average": round(os.getloadavg()[0], 2),
    }
    fact = next((q.text for q in mix if q.kind == "fact"), LIST_QUESTIONS[0])
    result["primitives_ms"] = primitive_timings(catalog, embedder, fact)
    if what_if_gc_freeze:
        gc.collect()  # what an engine would do once its index is loaded: collect, then freeze what is left
        gc.freeze()
        frozen, _passes, _results, frozen_gc = timed_passes(engine, mix, repeats, seed)
        gc.unfreeze()
        result["what_if_gc_freeze"] = {"latency_ms": frozen, "gc_during_questions": frozen_gc}
    worst_p95 = max(latency["by_kind"][k]["p95"] for k in KINDS if latency["by_kind"][k]["n"])
    if profile == "always" or (profile == "auto" and worst_p95 > TARGET_P95_MS):
        result["profile"] = profile_questions(engine, mix)
    return result


def primitive_timings(catalog: Any, embedder: Any, fact_question: str, reps: int = 15) -> dict[str, Any]:
    """Median ms of the catalog's building blocks over all chunks/postings (what a question pays per call)."""
    from bot.catalog import keyword_tokens
    from bot.question import parse_question

    general = GENERAL_QUESTIONS[0]
    qvec = embedder.embed_query(general)
    dense = catalog.dense_scores(qvec)
    fact = parse_question(fact_question)
    steps = {
        "dense_scores, all chunks": lambda: catalog.dense_scores(qvec),
        "keyword_scores (BM25), all chunks": lambda: catalog.keyword_scores(keyword_tokens(general)),
        "np.argsort(kind='stable') of all chunk scores": lambda: np.argsort(-dense, kind="stable"),
        "np.argpartition top 200 of all chunk scores (alternative)": lambda: np.argpartition(-dense, 200),
        "filter_mask('contract roles in Texas')": lambda: catalog.filter_mask(
            parse_question("contract roles in Texas").filters),
        "mentions.match(a fact question)": lambda: catalog.mentions.match(fact.tokens, fact.raw_tokens),
    }
    out: dict[str, Any] = {}
    for name, step in steps.items():
        try:
            step()
            times = []
            for _ in range(reps):
                started = time.perf_counter()
                step()
                times.append((time.perf_counter() - started) * 1000)
            out[name] = round(float(np.median(times)), 3)
        except Exception as err:  # the engine's internals move: report, don't fail the benchmark
            out[name] = f"not measured ({type(err).__name__}: {err})"
    return out


def timed_passes(engine: Any, mix: Sequence[Question], repeats: int, seed: int
                 ) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[Question, float, Outcome]], dict[str, Any]]:
    """Ask the mix `repeats` times (shuffled each pass): median-of-passes latency, the passes, every result, GC."""
    passes: list[dict[str, Any]] = []
    all_results: list[tuple[Question, float, Outcome]] = []
    gc_timer = GcTimer()
    gc.callbacks.append(gc_timer)
    try:
        for r in range(repeats):
            order = list(mix)
            random.Random(f"{seed}:pass:{r}").shuffle(order)
            results = _ask_all(engine, order)
            all_results += results
            by_kind = {k: percentiles([ms for q, ms, _ in results if q.kind == k]) for k in KINDS}
            passes.append({"overall": percentiles([ms for _, ms, _ in results]), "by_kind": by_kind})
    finally:
        gc.callbacks.remove(gc_timer)
    latency = {"overall": median_of_passes([p["overall"] for p in passes]),
               "by_kind": {k: median_of_passes([p["by_kind"][k] for p in passes]) for k in KINDS},
               "by_intent": {i: percentiles([ms for q, ms, _ in all_results if q.intent == i])
                             for i in sorted({q.intent for q in mix})}}
    gc_report = {**gc_timer.report(), "tracked_objects": len(gc.get_objects())}
    return latency, passes, all_results, gc_report


def fact_answer_checks(asked: Sequence[tuple[Question, Outcome]], postings: Sequence[Any]) -> dict[str, Any]:
    """Whom fact answers were about: the asked posting first, among several, another posting, or none.

    "another_posting" answers are listed (the question, and who was answered instead), and split by whether
    another posting has the same title and company (then the question cannot tell them apart).
    """
    same_name: dict[tuple[str, str], int] = {}
    for p in postings:
        same_name[(p.title, p.company)] = same_name.get((p.title, p.company), 0) + 1
    by_id = {p.id: p for p in postings}
    counts = {"first": 0, "among_several": 0, "another_posting": 0, "none": 0}
    wrong: list[dict[str, Any]] = []
    for q, answer in asked:
        ids = list(answer.posting_ids)
        if ids and ids[0] == q.target:
            counts["first"] += 1
        elif q.target in ids:
            counts["among_several"] += 1
        elif ids:
            counts["another_posting"] += 1
            target = by_id.get(q.target)
            twins = same_name.get((target.title, target.company), 1) if target else 1
            wrong.append({"question": q.text, "status": answer.status, "twins": twins - 1,
                          "answered_about": [f"{by_id[i].title} at {by_id[i].company}" for i in ids[:3] if i in by_id]})
        else:
            counts["none"] += 1
    return {**counts, "asked": len(asked), "another_posting_with_a_twin": sum(1 for w in wrong if w["twins"]),
            "another_posting_examples": wrong[:10]}


def _warm_questions(mix: Sequence[Question]) -> list[Question]:
    """A few questions of every kind, asked before timing (lazy imports, first-touch of arrays)."""
    per_kind = max(1, WARM_QUESTIONS // len(KINDS))
    return [q for kind in KINDS for q in [m for m in mix if m.kind == kind][:per_kind]]


def profile_questions(engine: Any, mix: Sequence[Question], top: int = 30) -> dict[str, Any]:
    """cProfile one pass of the mix per kind: the functions where the time goes (ms per call and per question)."""
    import cProfile
    import pstats

    out: dict[str, Any] = {}
    for kind in KINDS:
        asked = [q for q in mix if q.kind == kind]
        if not asked:
            continue
        profiler = cProfile.Profile()
        profiler.enable()
        for q in asked:
            engine.ask(q.text)
        profiler.disable()
        stats = pstats.Stats(profiler)
        rows = []
        for (file, line, func), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
            rows.append({"function": func, "where": f"{_short(file)}:{line}", "calls": calls,
                         "calls_per_question": round(calls / len(asked), 2),
                         "cum_ms_per_question": round(cumtime * 1000 / len(asked), 2),
                         "self_ms_per_question": round(tottime * 1000 / len(asked), 2),
                         "cum_ms_per_call": round(cumtime * 1000 / max(calls, 1), 3)})
        rows.sort(key=lambda r: -r["cum_ms_per_question"])
        by_self = sorted(rows, key=lambda r: -r["self_ms_per_question"])[:top]
        out[kind] = {"questions": len(asked), "by_cumulative": rows[:top], "by_self": by_self}
    return out


def _short(file: str) -> str:
    for marker in (str(ROOT) + "/", "site-packages/"):
        if marker in file:
            return file.split(marker, 1)[1]
    return file


def model_query_ms(questions: Sequence[str]) -> dict[str, Any] | None:
    """ms of the real model's embed_query (what the hashing embedder stands in for), with torch's default
    threads and with one thread (a busy machine makes torch's threads wait for each other)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    from index.embedder import SentenceTransformerEmbedder

    try:
        model = SentenceTransformerEmbedder()
    except Exception as err:  # the model package is missing: report without it
        logging.getLogger(__name__).warning("real model not measured: %s", err)
        return None
    out: dict[str, Any] = {}
    for label, threads in (("default_threads", torch.get_num_threads()), ("one_thread", 1)):
        torch.set_num_threads(threads)
        for q in questions[:5]:
            model.embed_query(q)
        times = []
        for q in questions:
            started = time.perf_counter()
            model.embed_query(q)
            times.append((time.perf_counter() - started) * 1000)
        out[label] = {**percentiles(times), "threads": threads}
    out["load_average"] = round(os.getloadavg()[0], 2)
    return out


def now_iso() -> str:
    """The current UTC time, ISO 8601 with a Z."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------- orchestration


def run_child(step: str, extra: Sequence[str]) -> dict[str, Any]:
    """Run one step in a fresh Python process (its own RSS), returning the JSON it writes."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", step, "--child-out", str(out), *extra]
        subprocess.run(cmd, check=True, cwd=ROOT)
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def reusable(folder: Path, signature: dict[str, Any]) -> dict[str, Any] | None:
    """The recorded build of an index folder when it was built from this corpus, else None."""
    try:
        recorded = json.loads((folder / "bench.json").read_text())
    except (OSError, ValueError):
        return None
    if recorded.get("signature") != signature or not (folder / "chroma").is_dir():
        return None
    return recorded.get("build")


def table(results: Sequence[dict[str, Any]]) -> str:
    """The summary as a Markdown table: one row per size, then per-kind latency."""
    lines = ["| postings | chunks | build s (chunks/s) | first load s (store, writes snapshot) | load s (from) "
             "| process start to ready s | RSS after load MB | RSS with model MB | RSS after questions MB (heap / "
             "mapped files) | peak RSS MB | p50 ms | p95 ms | p99 ms |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        b, lo, lat = r["build"], r["load"], r["latency_ms"]["overall"]
        reused = " (reused)" if b.get("reused") else ""
        first = r.get("first_load") or {}
        first_s = f"{first['seconds_store_to_snapshot']:.1f}" if first else "-"
        with_model = f"{lo['rss_mb_with_model']:,.0f}" if "rss_mb_with_model" in lo else "-"
        parts = r.get("rss_parts_after_questions") or {}
        after = f"{r.get('rss_mb_after_questions', float('nan')):,.0f}" + (
            f" ({parts['rss_anon_mb']:,.0f} / {parts['rss_file_mb']:,.0f})" if parts else "")
        lines.append(f"| {r['postings']:,} | {r['chunks']:,} | {b['seconds']:.0f} ({b['chunks_per_s']:,.0f}){reused} "
                     f"| {first_s} | {lo['seconds']:.1f} ({lo.get('from', 'store')}) "
                     f"| {lo.get('seconds_from_process_start', float('nan')):.1f} | {lo['rss_mb_after_load']:,.0f} "
                     f"| {with_model} | {after} | {r['peak_rss_mb']:,.0f} | {lat['p50']:.1f} | {lat['p95']:.1f} "
                     f"| {lat['p99']:.1f} |")
    lines += ["", "| postings | " + " | ".join(f"{k} p50 / p95 / p99 ms" for k in KINDS) + " |",
              "|---:|" + "---:|" * len(KINDS)]
    for r in results:
        cells = [f"{r['latency_ms']['by_kind'][k]['p50']:.1f} / {r['latency_ms']['by_kind'][k]['p95']:.1f} / "
                 f"{r['latency_ms']['by_kind'][k]['p99']:.1f}" for k in KINDS]
        lines.append(f"| {r['postings']:,} | " + " | ".join(cells) + " |")
    if all("what_if_gc_freeze" in r for r in results):
        lines += ["", "| postings | full GCs (ms each) | p50 / p95 / p99 ms | with gc.freeze() after load: p50 / p95 / "
                  "p99 ms | fact answers: asked posting first / among several / another posting / none |",
                  "|---:|---:|---:|---:|---:|"]
        for r in results:
            g, lat, fz = r["gc_during_questions"], r["latency_ms"]["overall"], r["what_if_gc_freeze"]["latency_ms"]
            f = r["fact_answers"]
            each = f"{g['gen2_ms_per_collection']:.0f}" if g["gen2_ms_per_collection"] is not None else "-"
            lines.append(f"| {r['postings']:,} | {g['collections'][2]} ({each}) | {lat['p50']:.1f} / {lat['p95']:.1f} / "
                         f"{lat['p99']:.1f} | {fz['overall']['p50']:.1f} / {fz['overall']['p95']:.1f} / "
                         f"{fz['overall']['p99']:.1f} | {f['first']} / {f['among_several']} / {f['another_posting']} / "
                         f"{f['none']} of {f['asked']} |")
    return "\n".join(lines)


def profile_summary(profile: dict[str, Any], rows: int = 8) -> str:
    """The top functions by cumulative time per question kind, as text lines."""
    lines = []
    for kind, data in profile.items():
        lines.append(f"  {kind} ({data['questions']} questions): cumulative ms/question, self ms/question, "
                     "calls/question, ms/call, function")
        for r in [r for r in data["by_cumulative"] if not r["where"].startswith(("~", "benchmarks/"))][:rows]:
            lines.append(f"    {r['cum_ms_per_question']:8.2f} {r['self_ms_per_question']:8.2f} "
                         f"{r['calls_per_question']:9.1f} {r['cum_ms_per_call']:9.3f}  {r['function']} ({r['where']})")
    return "\n".join(lines)


def plot(results: Sequence[dict[str, Any]], path: Path, subtitle: str) -> None:
    """Two panels against corpus size (log x): ask latency p50/p95, and memory (RSS, vectors + BM25)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    sizes = [r["postings"] for r in results]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4))
    for key, style in (("p50", "o-"), ("p95", "s-"), ("p99", "^-")):
        left.plot(sizes, [r["latency_ms"]["overall"][key] for r in results], style, label=key,
                  linewidth=1 if key == "p99" else 1.8, alpha=0.6 if key == "p99" else 1.0)
    if all("what_if_gc_freeze" in r for r in results):
        left.plot(sizes, [r["what_if_gc_freeze"]["latency_ms"]["overall"]["p99"] for r in results], "v:",
                  color="tab:green", label="p99 with gc.freeze() after load")
    left.axhline(TARGET_P95_MS, color="grey", linestyle="--", linewidth=1, label=f"target p95 {TARGET_P95_MS:.0f} ms")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_ylabel("ask latency, ms (log scale)")
    left.set_title("Warm `ask` latency (all questions)")
    left.grid(True, which="both", alpha=0.3)
    left.legend(fontsize=8)
    right.plot(sizes, [r["load"]["rss_mb_after_load"] for r in results], "o-", label="RSS after load")
    right.plot(sizes, [r["peak_rss_mb"] for r in results], "^--", label="peak RSS")
    if all("rss_parts_after_questions" in r for r in results):
        right.plot(sizes, [r["rss_mb_after_questions"] for r in results], "D-", label="RSS after the questions")
        right.plot(sizes, [r["rss_parts_after_questions"]["rss_anon_mb"] for r in results], "v:",
                   label="of which heap (not mapped snapshot files)")
    right.plot(sizes, [r["memory"]["vectors_mb"] + r["memory"]["bm25_mb"] for r in results], "s-",
               label="chunk vectors + BM25 index")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_ylabel("memory, MB (log scale)")
    right.set_title("Bot process memory")
    right.grid(True, which="both", alpha=0.3)
    right.legend(fontsize=8)
    for axis in (left, right):
        axis.set_xticks(sizes, [_short_count(n) for n in sizes])
        axis.set_xlabel("postings in the index (log scale)\nchunks: " + ", ".join(_short_count(r["chunks"], 3)
                                                                                  for r in results), fontsize=9)
        axis.xaxis.set_minor_locator(matplotlib.ticker.NullLocator())
    fig.suptitle(f"postings-bot at scale: index built with the hashing embedder, loaded from its snapshot; "
                 f"medians of passes — {subtitle}", fontsize=10)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _short_count(n: int, digits: int = 0) -> str:
    """500, 1k, 100k; with significant digits, 1.77k, 320k."""
    if n < 1000:
        return str(n)
    return f"{n / 1000:.{digits}g}k" if digits and n % 1000 else f"{n // 1000}k"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--questions", type=int, default=200, help="questions per pass (half fact, a quarter each "
                        "list and general)")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes per size; medians are reported")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", type=Path, default=corpus.DEFAULT_SOURCE)
    parser.add_argument("--bench-dir", type=Path, default=BENCH_DIR)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--plot", type=Path, default=PLOT)
    parser.add_argument("--rebuild", action="store_true", help="rebuild indexes even when they can be reused")
    parser.add_argument("--profile", choices=("auto", "always", "never"), default="auto",
                        help="cProfile the largest size after timing it (auto: when a kind's p95 misses the target)")
    parser.add_argument("--no-what-if", action="store_true",
                        help="skip timing the passes again with the loaded index frozen (gc.freeze)")
    parser.add_argument("--no-model", action="store_true", help="skip timing the real model's embed_query")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="load every size from the store (as before the snapshot), not from the snapshot")
    parser.add_argument("--query-embedder", choices=("model", "hashing"), default="model",
                        help="what embeds the questions while timing (the index is built with the hashing one)")
    parser.add_argument("--child", choices=("build", "snapshot", "measure", "model"), help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def child(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="  [%(name)s] %(message)s", stream=sys.stderr)
    for noisy in ("chromadb", "httpx", "bm25s", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    folder = args.bench_dir / f"scale-{args.size}"
    if args.child == "build":
        result = build_step(args.size, folder, args.source, args.seed)
    elif args.child == "snapshot":
        result = snapshot_step(folder)
    elif args.child == "measure":
        result = measure_step(args.size, folder, args.questions, args.repeats, args.seed, args.profile,
                              what_if_gc_freeze=not args.no_what_if, snapshot=not args.no_snapshot,
                              query_model=args.query_embedder == "model")
    else:
        result = {"model_query_ms": model_query_ms(list(GENERAL_QUESTIONS + LIST_QUESTIONS) * 3)}
    args.child_out.write_text(json.dumps(result))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args)
    if not args.source.exists():
        print(f"skipped: {args.source} is absent (it lives in ../shared/data)")
        return 0
    from index.embedder import HashingEmbedder

    started = time.monotonic()
    code = code_version()  # before measuring: other people may be editing the engine meanwhile
    command = "python benchmarks/scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    common = ["--seed", str(args.seed), "--source", str(args.source), "--bench-dir", str(args.bench_dir)]
    results = []
    sizes = sorted(set(args.sizes))
    for n in sizes:
        folder = args.bench_dir / f"scale-{n}"
        signature = corpus_signature(n, args.seed, args.source, HashingEmbedder().name)
        build = None if args.rebuild else reusable(folder, signature)
        if build is not None:
            build = {**build, "reused": True}
            print(f"[{time.monotonic() - started:6.0f} s] {n:,} postings: reusing the index in {folder}")
        else:
            print(f"[{time.monotonic() - started:6.0f} s] {n:,} postings: writing the corpus and building the index")
            build = run_child("build", [*common, "--size", str(n)])
            print(f"[{time.monotonic() - started:6.0f} s]   built {build['chunks']:,} chunks in {build['seconds']:.0f} s "
                  f"({build['chunks_per_s']:,.0f} chunks/s), peak RSS {build['peak_rss_mb']:,.0f} MB")
        first_load = None
        if not args.no_snapshot:
            first_load = run_child("snapshot", [*common, "--size", str(n)])
            print(f"[{time.monotonic() - started:6.0f} s]   first load from the store and snapshot written in "
                  f"{first_load['seconds_store_to_snapshot']:.1f} s ({first_load['snapshot_mb']:,.0f} MB on disk, "
                  f"peak RSS {first_load['peak_rss_mb']:,.0f} MB)")
        profile = args.profile if n == max(sizes) else "never"
        measured = run_child("measure", [*common, "--size", str(n), "--questions", str(args.questions),
                                         "--repeats", str(args.repeats), "--profile", profile,
                                         "--query-embedder", args.query_embedder,
                                         *(["--no-what-if"] if args.no_what_if else []),
                                         *(["--no-snapshot"] if args.no_snapshot else [])])
        lat = measured["latency_ms"]["overall"]
        lo = measured["load"]
        model = (f"; model loaded {lo['model_seconds_after_ready']:.1f} s later, RSS {lo['rss_mb_with_model']:,.0f} MB"
                 if "rss_mb_with_model" in lo else "")
        print(f"[{time.monotonic() - started:6.0f} s]   loaded from the {lo['from']} in {lo['seconds']:.1f} s "
              f"({lo['seconds_from_process_start']:.1f} s from process start), RSS {lo['rss_mb_after_load']:,.0f} MB"
              f"{model}; ask p50 {lat['p50']:.1f} / p95 {lat['p95']:.1f} / p99 {lat['p99']:.1f} ms")
        results.append({**measured, "size": n, "build": build, "first_load": first_load})
    if len({r["code"] for r in results}) > 1:
        print("warning: the answering code changed between sizes (see code in the results); rerun for a clean set")

    model = None if args.no_model else run_child("model", common)["model_query_ms"]
    biggest = results[-1]
    report = {
        "date": now_iso(), "command": command, "machine": machine(), "code": code,
        "settings": {"embedder": HashingEmbedder().name, "query_embedder": args.query_embedder,
                     "snapshot": not args.no_snapshot, "questions_per_pass": args.questions,
                     "repeats": args.repeats, "seed": args.seed, "source": args.source.name,
                     "note": "latencies are medians over passes of each pass's percentiles; other work shared "
                             "the cores, so figures are noisy"},
        "target": {"p95_ms": TARGET_P95_MS, "postings": TARGET_SIZE,
                   "met": (biggest["latency_ms"]["overall"]["p95"] <= TARGET_P95_MS
                           if biggest["postings"] >= TARGET_SIZE else None)},
        "real_model_embed_query_ms": model,
        "sizes": results,
        "seconds": round(time.monotonic() - started, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(table(results))
    print("\nbuilding blocks, median ms per call: " + ", ".join(f"{r['postings']:,}" for r in results) + " postings")
    for name in biggest.get("primitives_ms", {}):
        cells = [r.get("primitives_ms", {}).get(name) for r in results]
        print(f"  {name:<58} " + "  ".join(f"{c:8.3f}" if isinstance(c, float) else f"{str(c):>8}" for c in cells))
    if "profile" in biggest:
        print(f"\nwhere the time goes at {biggest['postings']:,} postings (cProfile, ms per question, inflated by "
              "the profiler; see the JSON for more):")
        print(profile_summary(biggest["profile"]))
    if model:
        print("\nreal model embed_query (add to the figures above): " + "; ".join(
            f"{m['threads']} thread(s) p50 {m['p50']:.1f} / p95 {m['p95']:.1f} ms"
            for m in (model["default_threads"], model["one_thread"])) + f" (load average {model['load_average']})")
    print(f"wrote {args.out}")
    try:
        plot(results, args.plot, f"{report['machine']['nproc']} cores, {report['date'][:10]}")
        print(f"wrote {args.plot}")
    except ImportError:
        print("matplotlib is missing (pip install -e .[bench]); no plot")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
