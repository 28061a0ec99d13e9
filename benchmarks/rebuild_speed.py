"""Rebuild speed on the 500 real postings: pipeline vs raw model throughput, incremental rebuilds, peak RSS.

Run: .venv/bin/python benchmarks/rebuild_speed.py [--csv PATH] [--out benchmarks/results/rebuild_speed.json]
Takes a few minutes (three embedding passes over ~1,800 chunks). Skips with a message when the data is absent.
Also times a no-change `postings-index rebuild` in a fresh process (it must not load the model), and, on
synthetic corpora (benchmarks/corpus.py) of --hashing-sizes postings, the rebuild with the free hashing
embedder: chunks/s, milliseconds a chunk outside the model, and an incremental rebuild with 1% changed.
The ratio to raw model throughput at the largest of those sizes comes from the model on a sample
(--model-sample-chunks texts of postings picked at random from a --model-sample-postings corpus, embedded as
the rebuild embeds them): model ms a chunk / (model ms + the hashing run's ms a chunk outside the model).
--workers-experiment instead embeds the same 2,000 corpus chunks in 1 process x 2 threads, 2 processes x 1
thread and 1 process x 1 thread, and writes benchmarks/results/rebuild_speed_workers.json.
Example: .venv/bin/python benchmarks/rebuild_speed.py --hashing-sizes 100000 --model-sample-postings 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CSV = ROOT.parent / "shared/data/postings/linkedin_arshkon_sample500/postings_sample.csv"
CHANGED_SHARE = 0.01


class TimedEmbedder:
    """Wraps an embedder, adding up the seconds (and the calling thread's CPU seconds) spent in embed_documents."""

    def __init__(self, inner):
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.max_tokens = getattr(inner, "max_tokens", 256)
        self.seconds = 0.0
        self.cpu_seconds = 0.0  # of the calling thread: the hashing embedder's own work (torch uses other threads)
        self.texts = 0
        if not hasattr(inner, "count_tokens_batch"):
            self.count_tokens_batch = None  # the rebuild counts one text at a time, as with the inner embedder

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return self.inner.embed_documents(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.thread_time() - cpu
            self.texts += len(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.inner.embed_query(text)

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens_batch(texts)

    @property
    def counts_add_up(self) -> bool:
        return bool(getattr(self.inner, "counts_add_up", False))


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import chromadb
    import sentence_transformers
    import torch

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "sentence_transformers": sentence_transformers.__version__,
        "chromadb": chromadb.__version__,
        "load_average_at_start": os.getloadavg()[0],
    }


def change_rows(path: Path, share: float) -> int:
    """Append a sentence to the description of every 1/share-th row of a posting CSV; returns how many."""
    csv.field_size_limit(10**9)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    step = max(1, round(1 / share))
    changed = 0
    for i in range(0, len(rows), step):
        rows[i]["description"] += "\nApplications close at the end of the month."
        changed += 1
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return changed


def model_start_seconds() -> float:
    """Importing and loading the model in a fresh process: what a CLI run that loads it eagerly pays."""
    code = "from index.embedder import SentenceTransformerEmbedder; SentenceTransformerEmbedder()"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, timeout=600)
    return time.perf_counter() - started


def cli_no_change(source: Path, chroma: Path, prefix: str) -> dict:
    """A no-change rebuild through the CLI in a fresh process: wall seconds, and whether the summary says so."""
    env = {**os.environ, "POSTINGS_COLLECTION_PREFIX": prefix, "POSTINGS_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "index", "rebuild", "--source", str(source), "--chroma-path", str(chroma),
               "--json"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - started
    summary = json.loads(done.stdout) if done.returncode == 0 else {}
    return {"seconds": round(seconds, 2), "exit_code": done.returncode,
            "chunks_embedded": summary.get("chunks_embedded")}


def change_jsonl(folder: Path, share: float) -> int:
    """Append a sentence to the description of every 1/share-th posting of the JSONL files; returns how many."""
    step, seen, changed = max(1, round(1 / share)), 0, 0
    for path in sorted(folder.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if seen % step == 0:
                record = json.loads(line)
                record["description"] += "\nApplications close at the end of the month."
                lines[i] = json.dumps(record, ensure_ascii=False)
                changed += 1
            seen += 1
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (the rebuild's extraction worker and
    writer process end with each rebuild)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def hashing_point(n: int, csv_path: Path, work: Path) -> dict:
    """A full rebuild of n synthetic postings with the hashing embedder, then one with 1% of them changed.

    Wall seconds are the rebuild up to the manifest switch and the removal of old records (rebuild()); the
    command line then also writes the bot's snapshot (bot/snapshot.py): timed apart as snapshot_seconds (after
    the full rebuild, built whole from the store; after the 1% one, derived from the full one's snapshot).
    CPU seconds add up every process of the rebuild: what competes with the model for the cores when it embeds
    on all of them.
    """
    from benchmarks import corpus
    from config import load_settings
    from index.embedder import HashingEmbedder
    from index.rebuild import rebuild
    from index.store import IndexStore

    folder = work / f"hashing-{n}"
    corpus.build_corpus(csv_path, folder / "postings", n)
    settings = load_settings(source_dirs=[folder / "postings"], chroma_path=folder / "chroma",
                             collection_prefix="bench", reload_interval_seconds=0)
    embedder = TimedEmbedder(HashingEmbedder())
    store = IndexStore.open(settings)
    try:
        load_before, cpu = os.getloadavg()[0], cpu_seconds()
        full = rebuild(settings, embedder, store)
        full_cpu = cpu_seconds() - cpu
        assert full.ok, full.error
        full_embed, full_embed_cpu = embedder.seconds, embedder.cpu_seconds
        full_snapshot = snapshot_write(settings, store)
        changed = change_jsonl(folder / "postings", CHANGED_SHARE)
        embedder.seconds = 0.0
        cpu = cpu_seconds()
        one_pct = rebuild(settings, embedder, store)
        one_pct_cpu = cpu_seconds() - cpu
        assert one_pct.ok and one_pct.updated == changed, (one_pct.error, one_pct.updated, changed)
        one_pct_snapshot = snapshot_write(settings, store)
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    outside = full.seconds - full_embed
    return {"postings": full.postings_total, "chunks": full.chunks_total, "seconds": full.seconds,
            "chunks_per_s": round(full.chunks_total / full.seconds, 1),
            "embed_seconds": round(full_embed, 2), "outside_model_seconds": round(outside, 2),
            "outside_model_ms_per_chunk": round(1000 * outside / full.chunks_total, 3),
            "outside_model_chunks_per_s": round(full.chunks_total / outside, 1), "target_chunks_per_s": 1000,
            "cpu_seconds_all_processes": round(full_cpu, 2), "embed_cpu_seconds": round(full_embed_cpu, 2),
            "outside_model_cpu_ms_per_chunk": round(1000 * (full_cpu - full_embed_cpu) / full.chunks_total, 3),
            "load_average_before": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2),
            "snapshot_seconds": full_snapshot["seconds"], "snapshot_derived": full_snapshot["derived"],
            "one_percent_changed": {"postings_changed": changed, "seconds": one_pct.seconds,
                                    "chunks_embedded": one_pct.chunks_embedded,
                                    "share_of_full": round(one_pct.seconds / full.seconds, 4),
                                    "cpu_seconds_all_processes": round(one_pct_cpu, 2),
                                    "cpu_share_of_full": round(one_pct_cpu / full_cpu, 4),
                                    "target_share": 0.03,
                                    "snapshot_seconds": one_pct_snapshot["seconds"],
                                    "snapshot_derived": one_pct_snapshot["derived"],
                                    "with_snapshot_share_of_full": round(
                                        (one_pct.seconds + one_pct_snapshot["seconds"])
                                        / (full.seconds + full_snapshot["seconds"]), 4)}}


def snapshot_write(settings, store) -> dict:
    """Seconds of the snapshot write `postings-index rebuild` does after a rebuild (Snapshots.prepare), and whether
    its catalog was derived from the previous generation's snapshot (else built whole from the store)."""
    import logging

    from bot.snapshot import Snapshots
    from index.store import store_identity

    class Derived(logging.Handler):
        seen = False

        def emit(self, record: logging.LogRecord) -> None:
            Derived.seen = Derived.seen or "derived from the snapshot" in record.getMessage()

    logger, handler = logging.getLogger("bot.snapshot"), Derived(logging.INFO)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        started = time.perf_counter()
        path = Snapshots(settings.snapshot_dir, store_identity(settings)).prepare(store)
        seconds = time.perf_counter() - started
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert path is not None, "the snapshot was not written"
    return {"seconds": round(seconds, 2), "derived": Derived.seen}


def corpus_posting(originals: Sequence, locations: Sequence[str], k: int, seed: int = 0):
    """Posting k of the scale corpus (benchmarks/corpus.py generate), made on its own."""
    from benchmarks import corpus

    base = originals[k % len(originals)]
    copy = k // len(originals)
    if copy == 0:
        return base
    return corpus.vary_posting(base, f"{base.id}-v{copy}", random.Random(f"{seed}:{k}"), locations)


def sample_postings(originals: Sequence, n_postings: int, seed: int = 0) -> Iterable:
    """Postings of an n-posting scale corpus in a random (seeded) order, made one at a time."""
    locations = sorted({p.location for p in originals if p.location})
    for k in random.Random(f"sample:{seed}").sample(range(n_postings), n_postings):
        yield corpus_posting(originals, locations, k, seed)


def embedding_texts(postings: Iterable, counter, limit: int, n_chunks: int) -> tuple[list[str], float]:
    """The first n_chunks texts the rebuild would embed for these postings, chunked with counter's word
    pieces; also the CPU seconds chunking took."""
    from index.chunking import chunk_for_embedding, embedding_text

    batch, adds_up = getattr(counter, "count_tokens_batch", None), bool(getattr(counter, "counts_add_up", False))
    texts: list[str] = []
    seconds = 0.0
    for posting in postings:
        started = time.process_time()  # CPU: chunking with the model's tokenizer also runs its Rust threads
        chunks = chunk_for_embedding(posting, counter.count_tokens, limit, batch, adds_up)
        seconds += time.process_time() - started
        texts += [embedding_text(posting, c) for c in chunks]
        if len(texts) >= n_chunks:
            break
    return texts[:n_chunks], seconds


def model_sample(model, csv_path: Path, n_postings: int, n_chunks: int, limit: int, batch_size: int) -> dict:
    """The model's ms a chunk on n_chunks texts of random postings of an n-posting corpus, embedded as the
    rebuild embeds them (longest first, in its batches); also chunking's ms a chunk with the model's
    tokenizer and with the hashing embedder's word count (which the hashing rebuilds chunk with)."""
    from benchmarks import corpus
    from index.embedder import HashingEmbedder
    from index.rebuild import SilentProgress, embed_in_order

    originals = corpus.load_originals(csv_path)
    texts, chunk_seconds = embedding_texts(sample_postings(originals, n_postings), model, limit, n_chunks)
    _, hashing_chunk_seconds = embedding_texts(sample_postings(originals, n_postings), HashingEmbedder(), limit,
                                               n_chunks)
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    embed_in_order(model, texts, batch_size, SilentProgress())
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    tokens = model.count_tokens_batch(texts) if hasattr(model, "count_tokens_batch") else [0]
    return {"corpus_postings": n_postings, "chunks": len(texts), "tokens_median": float(np.median(tokens)),
            "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
            "model_ms_per_chunk": round(1000 * seconds / len(texts), 3),
            "chunks_per_s": round(len(texts) / seconds, 2),
            "model_cpu_ms_per_chunk": round(1000 * cpu_seconds / len(texts), 3),
            "chunking_cpu_ms_per_chunk_model_tokenizer": round(1000 * chunk_seconds / len(texts), 3),
            "chunking_cpu_ms_per_chunk_hashing_counter": round(1000 * hashing_chunk_seconds / len(texts), 3),
            "tokenizer_extra_cpu_ms_per_chunk": round(1000 * (chunk_seconds - hashing_chunk_seconds) / len(texts), 3),
            "load_average_before": round(load, 2), "load_average_after": round(os.getloadavg()[0], 2)}


def scale_builds(paths: Sequence[Path], hashing: Sequence[dict]) -> list[dict]:
    """The hashing-embedder builds benchmarks/scale.py recorded (bench.json): ms a chunk in all, and outside the
    model, taking the hashing embedder's own ms a chunk from this run's hashing points (0 without them)."""
    embed_ms = (1000 * sum(h["embed_seconds"] for h in hashing) / sum(h["chunks"] for h in hashing)) if hashing else 0.0
    out = []
    for path in paths:
        try:
            record = json.loads(Path(path).read_text())
            build, signature = record["build"], record["signature"]
            total_ms = 1000 * build["seconds"] / build["chunks"]
        except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError) as err:
            print(f"  {path}: not a scale.py build record ({type(err).__name__}: {err}); left out")
            continue
        if signature.get("embedder") != "hashing-384":
            continue
        out.append({"file": str(path), "postings": build["postings"], "chunks": build["chunks"],
                    "seconds": build["seconds"], "built_at": build.get("built_at"), "ms_per_chunk": round(total_ms, 3),
                    "hashing_embed_ms_per_chunk": round(embed_ms, 3),
                    "outside_model_ms_per_chunk": round(total_ms - embed_ms, 3)})
    return sorted(out, key=lambda b: b["postings"])


def projected_ratio(model_ms: float, outside_ms: float) -> float:
    """Pipeline throughput over raw model throughput when the work outside the model adds to it (2 cores, both
    busy in the model, so the rest does not hide behind it)."""
    return model_ms / (model_ms + outside_ms)


def projected_point(hashing: dict, sample: dict) -> dict:
    """The ratio to raw model throughput at a hashing run's size, two ways, both adding what counting the
    model's word pieces costs over the hashing embedder's word count (sample["tokenizer_extra_cpu_ms_per_chunk"]):

    - by wall: model ms a chunk / (that + the hashing run's wall ms a chunk outside the model), i.e. the
      rebuild's own work that holds up its embedding thread (what runs in the extraction worker and the
      writer process and keeps up does not);
    - by CPU: model CPU ms a chunk / (that + the CPU ms a chunk of every process of the hashing run, its
      embedding left out): the bound when the model keeps both cores busy, so all other work takes from it.
    """
    extra = max(0.0, sample["tokenizer_extra_cpu_ms_per_chunk"])
    wall_outside = hashing["outside_model_ms_per_chunk"] + extra
    cpu_outside = hashing["outside_model_cpu_ms_per_chunk"] + extra
    return {"postings": hashing["postings"],
            "how": "model ms a chunk from model_sample / (that + hashing run's ms a chunk outside the model + the "
                   "tokenizer's extra counting); ratio_by_cpu the same in CPU ms of all processes",
            "model_ms_per_chunk": sample["model_ms_per_chunk"], "outside_model_ms_per_chunk": round(wall_outside, 3),
            "ratio": round(projected_ratio(sample["model_ms_per_chunk"], wall_outside), 3),
            "model_cpu_ms_per_chunk": sample["model_cpu_ms_per_chunk"],
            "outside_model_cpu_ms_per_chunk": round(cpu_outside, 3),
            "ratio_by_cpu": round(projected_ratio(sample["model_cpu_ms_per_chunk"], cpu_outside), 3),
            "target_ratio": 0.95}


WORKER_CHUNKS = 2000


def embed_child(threads: int) -> int:
    """A worker child: read a JSON file of texts named on stdin, load the model on `threads` torch threads,
    say "ready", wait for "go", embed as the rebuild does and print seconds as JSON."""
    from index.embedder import SentenceTransformerEmbedder
    from index.rebuild import SilentProgress, embed_in_order

    texts = json.loads(Path(sys.stdin.readline().strip()).read_text())
    model = SentenceTransformerEmbedder(threads=threads)
    model.embed_documents(texts[:32])
    print("ready", flush=True)
    sys.stdin.readline()
    started, cpu = time.perf_counter(), time.process_time()
    embed_in_order(model, texts, model.batch_size, SilentProgress())
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                      "chunks": len(texts)}), flush=True)
    return 0


def embed_in_processes(texts: Sequence[str], processes: int, threads: int, work: Path) -> dict:
    """Wall seconds for `processes` children of `threads` torch threads each to embed the texts between them
    (dealt out in turn, so their lengths are alike), timed from a common start after every model is loaded."""
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads),
           "OPENBLAS_NUM_THREADS": "1", "POSTINGS_LOG_LEVEL": "WARNING", "TOKENIZERS_PARALLELISM": "false"}
    children = []
    try:
        for i in range(processes):
            share = work / f"share-{processes}x{threads}-{i}.json"
            share.write_text(json.dumps(list(texts[i::processes])))
            child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--embed-child", str(threads)],
                                     cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            child.stdin.write(f"{share}\n")
            child.stdin.flush()
            children.append(child)
        for child in children:
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError(f"an embedding child ({processes} x {threads}) failed to start")
        load = os.getloadavg()[0]
        started = time.perf_counter()
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        done = [json.loads(child.stdout.readline()) for child in children]
        wall = time.perf_counter() - started
    finally:
        for child in children:
            child.stdin.close()
            child.wait(timeout=60)
    return {"processes": processes, "threads_each": threads, "chunks": len(texts), "wall_seconds": round(wall, 2),
            "chunks_per_s": round(len(texts) / wall, 2),
            "cpu_seconds": round(sum(d["cpu_seconds"] for d in done), 2),
            "child_seconds": [round(d["seconds"], 2) for d in done], "load_average_before": round(load, 2)}


def workers_experiment(csv_path: Path, out: Path) -> int:
    """1 process x 2 threads vs 2 processes x 1 thread (and 1 x 1) on the same 2,000 corpus chunks."""
    from benchmarks import corpus
    from index.embedder import SentenceTransformerEmbedder

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    host = machine()
    counter = SentenceTransformerEmbedder()
    limit = min(200, counter.max_tokens - 2)
    texts, _ = embedding_texts(corpus.generate(corpus.load_originals(csv_path), 5000), counter, limit, WORKER_CHUNKS)
    del counter
    work = Path(tempfile.mkdtemp(prefix="rebuild-workers-"))
    try:
        runs = [embed_in_processes(texts, p, t, work) for p, t in ((1, 2), (2, 1), (1, 1), (1, 2))]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    threads2 = max(r["chunks_per_s"] for r in runs if (r["processes"], r["threads_each"]) == (1, 2))
    procs2 = next(r["chunks_per_s"] for r in runs if r["processes"] == 2)
    single = next(r["chunks_per_s"] for r in runs if (r["processes"], r["threads_each"]) == (1, 1))
    results = {
        "date": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "command": "python benchmarks/rebuild_speed.py --workers-experiment",
        "machine": host, "runs": runs,
        "processes_over_threads": round(procs2 / threads2, 3),
        "thread_scaling_1_to_2": round(threads2 / single, 3),
        "process_scaling_1_to_2": round(procs2 / single, 3),
        "load_average_at_end": round(os.getloadavg()[0], 2),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    for r in runs:
        print(f"{r['processes']} process(es) x {r['threads_each']} thread(s): {r['chunks_per_s']:.1f} chunks/s "
              f"({r['wall_seconds']:.1f} s, CPU {r['cpu_seconds']:.1f} s, load {r['load_average_before']:.2f})")
    print(f"2 processes / 1 process of 2 threads: {results['processes_over_threads']:.3f}; from 1 to 2 cores, "
          f"threads scale {results['thread_scaling_1_to_2']:.2f}x, processes {results['process_scaling_1_to_2']:.2f}x")
    print(f"wrote {out}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/rebuild_speed.json")
    parser.add_argument("--hashing-sizes", type=int, nargs="*", default=[5000],
                        help="synthetic corpus sizes rebuilt with the hashing embedder (none: skip)")
    parser.add_argument("--model-sample-postings", type=int, default=100000,
                        help="corpus size the model's sample is drawn from")
    parser.add_argument("--model-sample-chunks", type=int, default=5000,
                        help="chunks of that corpus embedded with the model (0: skip)")
    parser.add_argument("--scale-build", type=Path, nargs="*", default=sorted(ROOT.glob("var/bench/scale-*/bench.json")),
                        help="bench.json files of benchmarks/scale.py builds (hashing embedder): their chunks/s give "
                             "the work outside the model at their sizes (default: those in var/bench)")
    parser.add_argument("--workers-experiment", action="store_true",
                        help="only compare embedding in processes vs threads (writes rebuild_speed_workers.json)")
    parser.add_argument("--embed-child", type=int, default=0, help=argparse.SUPPRESS)  # threads of a worker child
    args = parser.parse_args()
    if args.embed_child:
        return embed_child(args.embed_child)
    if args.workers_experiment:
        return workers_experiment(args.csv, args.out.with_name("rebuild_speed_workers.json")
                                  if args.out.name == "rebuild_speed.json" else args.out)
    if not args.csv.exists():
        print(f"skipped: {args.csv} is absent (it lives in ../shared/data)")
        return 0
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    host = machine()

    from config import load_settings
    from index.chunking import chunk_for_embedding, embedding_text
    from index.embedder import SentenceTransformerEmbedder
    from index.extract import extract_facts
    from index.loaders import load_postings
    from index.rebuild import chunk_limit, rebuild
    from index.store import IndexStore

    work = Path(tempfile.mkdtemp(prefix="rebuild-speed-"))
    try:
        source = work / "postings"
        source.mkdir()
        shutil.copy(args.csv, source / args.csv.name)
        settings = load_settings(source_dirs=[source], chroma_path=work / "chroma", collection_prefix="bench")
        model = SentenceTransformerEmbedder(settings.model_path, settings.embed_batch_size, settings.embed_threads)
        model.embed_documents(["warm up the model"] * settings.embed_batch_size)

        # The exact texts the pipeline embeds, and what preparing them costs.
        t0 = time.perf_counter()
        loaded = load_postings(settings.source_dirs, int(settings.max_file_mb * 1e6))
        t1 = time.perf_counter()
        for posting in loaded.postings:
            posting.facts = extract_facts(posting)
        t2 = time.perf_counter()
        limit = chunk_limit(settings, model)
        texts = [embedding_text(p, c) for p in loaded.postings
                 for c in chunk_for_embedding(p, model.count_tokens, limit, model.count_tokens_batch,
                                              model.counts_add_up)]
        t3 = time.perf_counter()
        tokens = [model.count_tokens(t) for t in texts]

        def raw_pass() -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            model.embed_documents(texts)
            return time.perf_counter() - started, time.process_time() - cpu

        raw_before, raw_cpu_before = raw_pass()

        embedder = TimedEmbedder(model)
        store = IndexStore.open(settings)
        cpu = time.process_time()
        full = rebuild(settings, embedder, store)
        full_cpu = time.process_time() - cpu
        assert full.ok and full.chunks_embedded == len(texts), (full.error, full.chunks_embedded, len(texts))
        full_embed_seconds = embedder.seconds

        started = time.perf_counter()
        same = rebuild(settings, embedder, store)
        same_seconds = time.perf_counter() - started
        assert same.ok and same.chunks_embedded == 0
        cli_same = cli_no_change(source, work / "chroma", "bench")
        model_load_seconds = model_start_seconds()

        changed = change_rows(source / args.csv.name, CHANGED_SHARE)
        embedder.seconds = 0.0
        started = time.perf_counter()
        one_pct = rebuild(settings, embedder, store)
        one_pct_seconds = time.perf_counter() - started
        assert one_pct.ok and one_pct.updated == changed, (one_pct.updated, changed)

        raw_after, raw_cpu_after = raw_pass()
        store.close()
        sample = (model_sample(model, args.csv, args.model_sample_postings, args.model_sample_chunks, limit,
                               settings.embed_batch_size) if args.model_sample_chunks else None)
        hashing = [hashing_point(n, args.csv, work) for n in args.hashing_sizes]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n = len(texts)
    raw_seconds = (raw_before + raw_after) / 2
    raw_rate = n / raw_seconds
    pipeline_rate = n / full.seconds
    cpu_ratio = (raw_cpu_before + raw_cpu_after) / 2 / full_cpu  # less sensitive to other processes on the cores
    results = {
        "date": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "machine": host,
        "data": {"csv": args.csv.name, "postings": len(loaded.postings), "problems": len(loaded.problems),
                 "chunks": n, "tokens_median": float(np.median(tokens)), "tokens_max": int(max(tokens)),
                 "chunk_limit": limit, "batch_size": settings.embed_batch_size},
        "raw_model": {"seconds_before": round(raw_before, 2), "seconds_after": round(raw_after, 2),
                      "chunks_per_s": round(raw_rate, 2), "cpu_seconds_before": round(raw_cpu_before, 2),
                      "cpu_seconds_after": round(raw_cpu_after, 2)},
        "full_rebuild": {"seconds": full.seconds, "chunks_per_s": round(pipeline_rate, 2),
                         "ratio_to_raw": round(pipeline_rate / raw_rate, 3), "target_ratio": 0.90,
                         "cpu_seconds": round(full_cpu, 2), "cpu_ratio_to_raw": round(cpu_ratio, 3),
                         "embed_seconds": round(full_embed_seconds, 2),
                         "other_seconds": round(full.seconds - full_embed_seconds, 2),
                         "load_seconds": round(t1 - t0, 2), "extract_seconds": round(t2 - t1, 2),
                         "chunk_seconds": round(t3 - t2, 2)},
        "no_change_rebuild": {"seconds": round(same_seconds, 3), "speedup_vs_full": round(full.seconds / same_seconds, 1),
                              "target_speedup": 50},
        "cli_no_change_rebuild": {**cli_same, "speedup_vs_full": round(full.seconds / cli_same["seconds"], 1),
                                  "model_start_seconds_avoided": round(model_load_seconds, 2)},
        "one_percent_changed": {"postings_changed": changed, "seconds": round(one_pct_seconds, 2),
                                "chunks_embedded": one_pct.chunks_embedded,
                                "embed_seconds": round(embedder.seconds, 2),
                                "share_of_full": round(one_pct_seconds / full.seconds, 4), "target_share": 0.03},
        "hashing_embedder": hashing,
        "scale_builds": scale_builds(args.scale_build, hashing),
        "model_sample": sample,
        "ratio_to_raw_by_size": [
            {"postings": len(loaded.postings), "ratio": round(pipeline_rate / raw_rate, 3), "how": "measured, model"},
            *[projected_point(h, sample) for h in hashing if sample],
            *[{"postings": b["postings"], "how": "model ms a chunk from model_sample / (that + a scale.py build's ms "
                                                 "a chunk outside the model)",
               "model_ms_per_chunk": sample["model_ms_per_chunk"],
               "outside_model_ms_per_chunk": b["outside_model_ms_per_chunk"],
               "ratio": round(projected_ratio(sample["model_ms_per_chunk"], b["outside_model_ms_per_chunk"]), 3),
               "target_ratio": 0.95} for b in scale_builds(args.scale_build, hashing) if sample]],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "load_average_at_end": os.getloadavg()[0],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")

    rows = [
        ("postings / chunks", f"{len(loaded.postings)} / {n} (median {np.median(tokens):.0f} word pieces)"),
        ("raw model", f"{raw_rate:.1f} chunks/s ({raw_before:.1f} s before, {raw_after:.1f} s after)"),
        ("full rebuild", f"{pipeline_rate:.1f} chunks/s in {full.seconds:.1f} s, ratio {pipeline_rate / raw_rate:.3f} "
                         f"(target 0.90); by CPU time {cpu_ratio:.3f}"),
        ("  of which", f"embedding {full_embed_seconds:.1f} s, everything else {full.seconds - full_embed_seconds:.1f} s "
                       f"(load {t1 - t0:.2f}, extract {t2 - t1:.2f}, chunk {t3 - t2:.2f})"),
        ("no-change rebuild", f"{same_seconds:.3f} s, {full.seconds / same_seconds:.0f}x faster than full (target 50x)"),
        ("  from the CLI", f"{cli_same['seconds']:.2f} s in a fresh process (exit {cli_same['exit_code']}), "
                           f"{full.seconds / cli_same['seconds']:.0f}x faster than full; importing and loading "
                           f"the model ({model_load_seconds:.1f} s in a fresh process) is skipped"),
        ("1% changed", f"{changed} postings, {one_pct.chunks_embedded} chunks embedded, {one_pct_seconds:.2f} s "
                       f"= {100 * one_pct_seconds / full.seconds:.1f}% of full (target 3%)"),
        *[(f"hashing, {h['postings']:,} postings",
           f"{h['chunks']:,} chunks in {h['seconds']:.1f} s: {h['chunks_per_s']:.0f} chunks/s; outside the model "
           f"{h['outside_model_ms_per_chunk']:.2f} ms a chunk ({h['outside_model_chunks_per_s']:.0f} chunks/s, "
           f"target 1,000); 1% changed ({h['one_percent_changed']['postings_changed']} postings) "
           f"{h['one_percent_changed']['seconds']:.2f} s = {100 * h['one_percent_changed']['share_of_full']:.1f}% "
           f"of full (target 3%; by CPU {100 * h['one_percent_changed']['cpu_share_of_full']:.1f}%); CPU of all "
           f"processes outside the model {h['outside_model_cpu_ms_per_chunk']:.2f} ms a chunk") for h in hashing],
        *([("model sample", f"{sample['chunks']:,} chunks of a {sample['corpus_postings']:,}-posting corpus: "
                            f"{sample['model_ms_per_chunk']:.1f} ms a chunk ({sample['chunks_per_s']:.1f} chunks/s); "
                            f"chunking {sample['chunking_cpu_ms_per_chunk_model_tokenizer']:.2f} CPU ms a chunk with "
                            f"the model's tokenizer, {sample['chunking_cpu_ms_per_chunk_hashing_counter']:.2f} with "
                            f"the hashing count")] if sample else []),
        *[(f"ratio to raw, {r['postings']:,}", f"{r['ratio']:.3f}"
           + (f", by CPU {r['ratio_by_cpu']:.3f}" if "ratio_by_cpu" in r else "") + f" ({r['how']})")
          for r in results["ratio_to_raw_by_size"]],
        ("peak RSS", f"{results['peak_rss_mb']:.0f} MB"),
        ("load average", f"{results['machine']['load_average_at_start']:.2f} at start, "
                         f"{results['load_average_at_end']:.2f} at end (other processes share the cores)"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
