"""`postings-index`: rebuild the index from the posting folders, or show what it holds.

Exit codes: 0 success, 1 nothing usable found or a source folder is missing (the previous index is kept),
2 the store failed or a setting is invalid, 75 another rebuild of the index is running (try again later;
no failure is recorded, so no rebuild alert fires), 130 interrupted (the previous index is kept).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from pathlib import Path
from typing import Callable

from config import Settings, SettingsError, load_settings
from index.embedder import Embedder

log = logging.getLogger("postings_index")

EXIT_OK, EXIT_NOTHING, EXIT_STORE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BUSY = 75  # EX_TEMPFAIL: another rebuild holds the index; not a failure

EmbedderFactory = Callable[[Settings], Embedder]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="postings-index", description="Builds the postings index.")
    sub = parser.add_subparsers(dest="command", required=True)
    rebuild = sub.add_parser("rebuild", help="bring the index in line with the posting folders")
    rebuild.add_argument("--source", action="extend", nargs="+", type=Path, metavar="DIR",
                         help="folder or file of postings (repeatable; default: POSTINGS_SOURCE_DIRS)")
    rebuild.add_argument("--full", action="store_true", help="re-embed every posting, changed or not")
    rebuild.add_argument("--chroma-path", type=Path, metavar="DIR", help="index folder (default: POSTINGS_CHROMA_PATH)")
    rebuild.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    stats = sub.add_parser("stats", help="postings, chunks, generation and build time of the index")
    stats.add_argument("--chroma-path", type=Path, metavar="DIR", help="index folder (default: POSTINGS_CHROMA_PATH)")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def real_embedder(settings: Settings) -> Embedder:
    """all-MiniLM-L6-v2 from the installed package, on the CPU, loaded only once something needs embedding: with
    sentence-transformers, or its int8 export in onnxruntime (settings.embed_backend)."""
    from index.embedder import lazy_int8_embedder, lazy_sentence_transformer

    if settings.embed_backend == "onnx-int8":
        return lazy_int8_embedder(settings.embed_batch_size, settings.embed_threads)
    # Chunking counts the word pieces of long sentences on purpose; the tokenizer's "longer than 256" warning is noise.
    logging.getLogger("transformers.tokenization_utils_base").setLevel(logging.ERROR)
    return lazy_sentence_transformer(settings.model_path, settings.embed_batch_size, settings.embed_threads)


def main(argv: list[str] | None = None, embedder_factory: EmbedderFactory | None = None) -> int:
    """Entry point of `postings-index`; returns the exit code."""
    args = _parser().parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no "Loading weights" bar in logs
    overrides: dict[str, object] = {}
    if getattr(args, "source", None):
        overrides["source_dirs"] = args.source
    if args.chroma_path:
        overrides["chroma_path"] = args.chroma_path
    try:
        settings = load_settings(**overrides)
    except SettingsError as err:
        print(f"postings-index: {err}", file=sys.stderr)
        return EXIT_STORE
    from config.logs import configure, secret_values

    configure(settings.log_level, settings.log_format, secret_values(settings))
    if args.command == "stats":
        return _stats(settings, args.json)
    return _rebuild(settings, args.full, args.json, embedder_factory or real_embedder)


def _stats(settings: Settings, as_json: bool) -> int:
    from index.store import IndexStore, StoreUnavailable

    try:
        store = IndexStore.open(settings)
        figures = store.stats()
    except StoreUnavailable as err:
        print(f"postings-index: {err}", file=sys.stderr)
        return EXIT_STORE
    if as_json:
        print(json.dumps(figures, indent=2))
    elif not figures["generation"]:
        print("no index has been built yet (run `postings-index rebuild`)")
    else:
        print(f"postings: {figures['postings']}, chunks: {figures['chunks']}, generation: {figures['generation']}, "
              f"built at: {figures['built_at']}, model: {figures['model']}")
    return EXIT_OK if figures["generation"] else EXIT_NOTHING


def _rebuild(settings: Settings, full: bool, as_json: bool, embedder_factory: EmbedderFactory) -> int:
    from index.rebuild import RebuildSummary, problem_label, progress_for, rebuild
    from index.store import IndexStore, StoreUnavailable, now_iso

    started = now_iso()
    store = None
    try:
        store = IndexStore.open(settings)
        embedder = embedder_factory(settings)
        summary = rebuild(settings, embedder, store, full=full, progress=progress_for(sys.stderr))
        code = EXIT_OK if summary.ok else EXIT_BUSY if summary.busy else EXIT_NOTHING
    except StoreUnavailable as err:
        summary, code = RebuildSummary(error=str(err)), EXIT_STORE
    except KeyboardInterrupt:
        summary, code = RebuildSummary(error="interrupted; the previous index is unchanged"), EXIT_INTERRUPTED
    except Exception as err:  # a bug: report it briefly, the previous index is untouched
        log.exception("rebuild failed")
        message = f"rebuild failed ({type(err).__name__}); the previous index is unchanged"
        summary, code = RebuildSummary(error=message), EXIT_NOTHING
    summary.started_at, summary.finished_at = started, now_iso()
    if code == EXIT_OK and settings.snapshots:
        _write_snapshot(settings, store)
    if store is not None and code not in (EXIT_STORE, EXIT_BUSY):  # busy: the other rebuild records its outcome
        _record(store, summary)
    if code != EXIT_OK and summary.error and not summary.problems and not summary.postings_total:
        return _failed(summary, as_json, code)
    if as_json:
        print(summary.to_json())
    else:
        for problem in summary.problems:
            print(f"{problem_label(problem)}: {problem}", file=sys.stderr)
        print(summary.line())
    if not summary.ok:
        print(f"postings-index: {summary.error}", file=sys.stderr)
    return code


def _write_snapshot(settings: Settings, store) -> None:
    """Write the new generation's snapshot (bot/snapshot.py) so the next replica start on this host loads in
    seconds; a failure only warns: replicas then build their catalog from the store."""
    import time

    from bot.snapshot import Snapshots
    from index.store import StoreUnavailable, store_identity

    started = time.perf_counter()
    try:
        path = Snapshots(settings.snapshot_dir, store_identity(settings)).prepare(store)
    except StoreUnavailable as err:
        log.warning("index snapshot not written: %s", err)
        return
    if path is not None:
        log.info("index snapshot written in %.1f s: %s", time.perf_counter() - started, path)


def _record(store, summary) -> None:
    """Keep the rebuild's outcome in the store for /metrics and alerting; a failure here only warns."""
    from index.store import StoreUnavailable

    try:
        store.write_rebuild_report(dataclasses.asdict(summary))
    except StoreUnavailable as err:
        log.warning("could not record the rebuild report: %s", err)


def _failed(summary, as_json: bool, code: int) -> int:
    if as_json:
        print(summary.to_json())
    print(f"postings-index: {summary.error}", file=sys.stderr)
    return code
