"""The manifest read from a local Chroma folder's SQLite file (index/store_peek.py): the same manifest chromadb
reads, after every rebuild; and UNSURE, never a guess, whenever the file is not what it expects (the caller then
reads through chromadb)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from config import load_settings
from index.embedder import HashingEmbedder
from index.rebuild import rebuild
from index.store import IndexStore
from index.store_peek import UNSURE, PeekingIndexStore, peek_manifest

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "postings"
EMBEDDER = HashingEmbedder()


def settings_for(chroma: Path, source: Path = SAMPLES, prefix: str = "postings"):
    return load_settings(_env_file=None, source_dirs=str(source), chroma_path=chroma, collection_prefix=prefix)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    chroma = tmp_path_factory.mktemp("peek") / "chroma"
    settings = settings_for(chroma)
    store = IndexStore.open(settings)
    assert rebuild(settings, EMBEDDER, store).ok
    store.close()
    return chroma


def copy_of(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(folder, target)
    return target


def test_the_manifest_peeked_is_the_one_chromadb_reads(built):
    peeked = peek_manifest(built, "postings")
    assert peeked is not UNSURE and peeked is not None
    assert peeked == IndexStore.open(settings_for(built)).read_manifest()


def test_each_rebuild_s_new_manifest_is_peeked_once_it_is_written(tmp_path):
    source = tmp_path / "postings"
    shutil.copytree(SAMPLES, source)
    settings = settings_for(tmp_path / "chroma", source)
    store = IndexStore.open(settings)
    assert rebuild(settings, EMBEDDER, store).ok
    first = peek_manifest(settings.chroma_path, "postings")
    removed = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".md", ".txt"))[0]
    removed.unlink()
    assert rebuild(settings, EMBEDDER, store).ok  # the writer's client stays open, as a rebuild's would
    second = peek_manifest(settings.chroma_path, "postings")
    assert second == store.read_manifest()
    assert second.generation == first.generation + 1 and len(second.postings) == len(first.postings) - 1


def test_a_folder_without_an_index_of_that_prefix_has_no_manifest(built):
    assert peek_manifest(built, "other") is None


def test_a_folder_without_chroma_s_file_is_unsure(tmp_path):
    assert peek_manifest(tmp_path / "nothing-here", "postings") is UNSURE
    (tmp_path / "empty").mkdir()
    assert peek_manifest(tmp_path / "empty", "postings") is UNSURE


@pytest.mark.parametrize("content", [b"", b"not a database at all" * 100])
def test_a_file_that_is_not_a_database_is_unsure(tmp_path, content):
    (tmp_path / "chroma.sqlite3").write_bytes(content)
    assert peek_manifest(tmp_path, "postings") is UNSURE


def test_another_layout_of_chroma_s_tables_is_unsure(built, tmp_path):
    folder = copy_of(built, tmp_path)
    with sqlite3.connect(folder / "chroma.sqlite3") as db:
        db.execute("ALTER TABLE embedding_metadata RENAME COLUMN string_value TO text_value")
    assert peek_manifest(folder, "postings") is UNSURE


def test_a_log_entry_of_the_manifest_s_collection_not_yet_applied_is_unsure(built, tmp_path):
    folder = copy_of(built, tmp_path)
    with sqlite3.connect(folder / "chroma.sqlite3") as db:
        collection = db.execute("SELECT id FROM collections WHERE name = 'postings_meta'").fetchone()[0]
        newest = db.execute("SELECT max(seq_id) FROM embeddings_queue").fetchone()[0] or 0
        db.execute("INSERT INTO embeddings_queue (seq_id, operation, topic, id) VALUES (?, 0, ?, 'manifest')",
                   (newest + 1000, f"persistent://default/default/{collection}"))
    assert peek_manifest(folder, "postings") is UNSURE


def test_a_log_entry_of_another_collection_does_not_matter(built, tmp_path):
    folder = copy_of(built, tmp_path)
    with sqlite3.connect(folder / "chroma.sqlite3") as db:
        collection = db.execute("SELECT id FROM collections WHERE name = 'postings_chunks'").fetchone()[0]
        newest = db.execute("SELECT max(seq_id) FROM embeddings_queue").fetchone()[0] or 0
        db.execute("INSERT INTO embeddings_queue (seq_id, operation, topic, id) VALUES (?, 0, ?, 'x')",
                   (newest + 1000, f"persistent://default/default/{collection}"))
    assert peek_manifest(folder, "postings") == peek_manifest(built, "postings")


def test_a_manifest_that_is_not_json_is_unsure(built, tmp_path):
    folder = copy_of(built, tmp_path)
    with sqlite3.connect(folder / "chroma.sqlite3") as db:
        db.execute("UPDATE embedding_metadata SET string_value = '{not json' WHERE key = 'chroma:document' AND id IN "
                   "(SELECT id FROM embeddings WHERE embedding_id = 'manifest')")
    assert peek_manifest(folder, "postings") is UNSURE


def test_a_database_locked_by_a_writer_is_unsure_after_a_short_wait(built, tmp_path, monkeypatch):
    import index.store_peek as store_peek

    monkeypatch.setattr(store_peek, "BUSY_SECONDS", 0.05)
    folder = copy_of(built, tmp_path)
    writer = sqlite3.connect(folder / "chroma.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN EXCLUSIVE")
        assert peek_manifest(folder, "postings") is UNSURE
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert peek_manifest(folder, "postings") is not UNSURE


def test_the_peeking_store_opens_no_client_to_read_the_manifest_and_one_when_unsure(built, tmp_path):
    store = PeekingIndexStore(settings_for(built))
    assert store.read_manifest() == peek_manifest(built, "postings")
    assert store.client is None
    elsewhere = PeekingIndexStore(settings_for(tmp_path / "new-folder"))  # no Chroma file yet: the client makes it
    assert elsewhere.read_manifest() is None
    assert elsewhere.client is not None
    elsewhere.close()


def test_the_peeking_store_reads_the_rest_through_its_client(built):
    store = PeekingIndexStore(settings_for(built))
    manifest = store.read_manifest()
    postings = store.read_postings(manifest)
    assert store.client is not None and {p.id for p in postings} == set(manifest.postings)
    assert store.read_manifest() == manifest  # through the client now
    store.close()
