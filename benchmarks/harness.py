"""What the benchmarks share: the machine the figures come from, the embedder, and an index built for a folder."""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name ('' when /proc/cpuinfo cannot be read)."""
    try:
        return next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name")), "")
    except OSError:
        return ""


def machine() -> dict:
    """The machine the figures come from: cores, CPU, Python, platform."""
    return {"cores": os.cpu_count(), "cpu": cpu_model(), "python": platform.python_version(),
            "platform": platform.platform()}


def make_embedder(kind: str):
    """The real model ("model") or the deterministic hashing fake ("hashing": list and fact questions don't need
    the model)."""
    if kind == "model":
        from index.embedder import SentenceTransformerEmbedder
        return SentenceTransformerEmbedder()
    if kind == "onnx-int8":  # the int8 export, measured as an option (benchmarks/onnx_int8.py)
        from index.embedder import OnnxInt8Embedder
        return OnnxInt8Embedder()
    from index.embedder import HashingEmbedder
    return HashingEmbedder()


def build_engine(name: str, source: Path, var: Path, embedder):
    """Rebuild (incrementally) the index of one folder under var/name and return an Engine over it."""
    from bot.engine import Engine
    from config import load_settings
    from index.rebuild import rebuild
    from index.store import IndexStore

    settings = load_settings(source_dirs=[source], chroma_path=var / name, reload_interval_seconds=0)
    store = IndexStore.open(settings)
    started = time.perf_counter()
    summary = rebuild(settings, embedder, store)
    if not summary.ok:
        raise RuntimeError(f"rebuilding the index of {source} failed: {summary.error or summary.problems[:3]}")
    print(f"[{name}] {summary.line()} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return Engine(store, embedder, top_k=settings.top_k, reload_interval=0)
