"""Removing old records after a switch: only the versions the switch replaced, unless a rebuild may have left others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config import load_settings
from index.embedder import HashingEmbedder
from index.rebuild import rebuild
from index.store import IndexStore, StoreUnavailable
from test_rebuild import isolated  # noqa: F401 (autouse: no POSTINGS_* settings of the shell, run in tmp_path)

POSTINGS = {
    "kestrel-welder.txt": (
        "Title: Pipe Welder\nCompany: Kestrel Fabrication\nLocation: Tulsa, OK\n\n"
        "Kestrel Fabrication builds pressure vessels for refineries.\n"
        "Requirements:\n- Three years of TIG welding.\n- A current 6G certification.\n"
        "Pay:\n$28 to $34 an hour.\n"
    ),
    "lumen-analyst.txt": (
        "Title: Data Analyst\nCompany: Lumen Orchard\nLocation: Remote\n\n"
        "Lumen Orchard sells seedlings to garden centres.\n"
        "Requirements:\n- SQL and Python.\n- Two years of reporting work.\n"
    ),
    "quarry-driver.txt": (
        "Title: Delivery Driver\nCompany: Quarry Lane Foods\nLocation: Reno, NV\n\n"
        "Quarry Lane Foods delivers to restaurants across northern Nevada.\n"
        "Requirements:\n- A clean driving record.\n- A Class B licence.\n"
    ),
}


def assert_only_live_records(store) -> None:
    """The store holds exactly the chunk and posting records its manifest lists."""
    chunk_ids, posting_ids = live_ids(store)
    assert set(records(store, "chunks")) == chunk_ids
    assert set(records(store, "postings")) == posting_ids


def make_source(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in POSTINGS.items():
        (folder / name).write_text(text)
    return folder


def settings_for(tmp_path: Path, name: str, source: Path):
    return load_settings(source_dirs=[source], chroma_path=tmp_path / name, collection_prefix="test",
                         chunk_tokens=64)


class NoListingStore(IndexStore):
    """A store that fails the test if every record id is listed (the O(N) sweep)."""

    listed = 0

    @staticmethod
    def _all_ids(collection):
        NoListingStore.listed += 1
        return IndexStore._all_ids(collection)


class SweepingStore(IndexStore):
    """A store that always says old records may be left over, so every rebuild sweeps every record."""

    def index_clean(self) -> bool:
        return False


class FailingWriteStore(IndexStore):
    """A store that writes the first batch of records, then fails."""

    def write_postings(self, records):
        super().write_postings(records[:1])
        raise StoreUnavailable("the index store is unavailable: could not write to the index (disk full)")


def records(store: IndexStore, kind: str) -> dict[str, tuple]:
    """Every record of a collection: id -> (document, metadata, vector)."""
    got = store.client.get_collection(f"test_{kind}").get(include=["documents", "metadatas", "embeddings"])
    return {rid: (doc, meta, [round(float(x), 6) for x in vec])
            for rid, doc, meta, vec in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])}


def live_ids(store: IndexStore) -> tuple[set[str], set[str]]:
    manifest = store.read_manifest()
    chunks, _ = store.read_chunks(manifest)
    return {c.id for c in chunks}, {f"{pid}::{tag}" for pid, tag in manifest.postings.items()}


def change_and_remove(source: Path) -> None:
    (source / "lumen-analyst.txt").write_text(POSTINGS["lumen-analyst.txt"] + "Benefits:\nA seed allowance.\n")
    (source / "quarry-driver.txt").unlink()
    (source / "wren-baker.txt").write_text("Title: Baker\nCompany: Wren Loaf\n\nWe bake bread at night.\n")


def test_an_incremental_rebuild_removes_the_replaced_versions_without_listing_every_record(tmp_path):
    source = make_source(tmp_path / "postings")
    settings = settings_for(tmp_path, "chroma", source)
    store = NoListingStore.open(settings)
    try:
        assert rebuild(settings, HashingEmbedder(), store).ok
        NoListingStore.listed = 0
        change_and_remove(source)
        summary = rebuild(settings, HashingEmbedder(), store)
        assert summary.ok and summary.updated == 1 and summary.removed == 1 and summary.added == 1
        assert NoListingStore.listed == 0
        assert_only_live_records(store)
        assert store.index_clean()
    finally:
        store.close()


def test_a_rebuild_without_changes_writes_and_removes_nothing(tmp_path):
    source = make_source(tmp_path / "postings")
    settings = settings_for(tmp_path, "chroma", source)
    store = NoListingStore.open(settings)
    try:
        rebuild(settings, HashingEmbedder(), store)
        before = records(store, "chunks"), records(store, "postings")
        NoListingStore.listed = 0
        assert rebuild(settings, HashingEmbedder(), store).ok
        assert NoListingStore.listed == 0
        assert (records(store, "chunks"), records(store, "postings")) == before
    finally:
        store.close()


def test_records_left_by_a_failed_rebuild_are_swept_by_the_next_one(tmp_path):
    source = make_source(tmp_path / "postings")
    settings = settings_for(tmp_path, "chroma", source)
    store = IndexStore.open(settings)
    try:
        rebuild(settings, HashingEmbedder(), store)
        change_and_remove(source)
        with pytest.raises(StoreUnavailable):
            rebuild(settings, HashingEmbedder(), FailingWriteStore(store.client, store.prefix))
        assert not store.index_clean()
        # the text changes again, so the next rebuild writes other tags than the ones left behind
        (source / "wren-baker.txt").write_text("Title: Baker\nCompany: Wren Loaf\n\nWe bake rye bread at night.\n")
        assert rebuild(settings, HashingEmbedder(), store).ok
        assert_only_live_records(store)
        assert store.index_clean()
    finally:
        store.close()


def test_an_index_without_a_cleanup_record_is_swept_once(tmp_path):
    """Indexes written before the cleanup record existed may hold leftovers: the first rebuild sweeps them."""
    source = make_source(tmp_path / "postings")
    settings = settings_for(tmp_path, "chroma", source)
    store = IndexStore.open(settings)
    try:
        rebuild(settings, HashingEmbedder(), store)
        store.client.get_collection("test_meta").delete(ids=["cleanup"])
        assert not store.index_clean()
        change_and_remove(source)
        assert rebuild(settings, HashingEmbedder(), store).ok
        assert store.index_clean()
    finally:
        store.close()


def test_deleting_replaced_versions_leaves_the_same_records_as_sweeping_everything(tmp_path):
    stores = []
    source = tmp_path / "postings"
    try:
        for name, kind in (("by-version", IndexStore), ("sweeping", SweepingStore)):
            shutil.rmtree(source, ignore_errors=True)
            make_source(source)
            settings = settings_for(tmp_path, name, source)
            store = kind.open(settings)
            stores.append(store)
            rebuild(settings, HashingEmbedder(), store)
            change_and_remove(source)
            assert rebuild(settings, HashingEmbedder(), store).ok
            (source / "kestrel-welder.txt").unlink()
            assert rebuild(settings, HashingEmbedder(), store).ok
        by_version, sweeping = stores
        for kind in ("chunks", "postings"):
            assert records(by_version, kind) == records(sweeping, kind)
        assert by_version.read_manifest().postings == sweeping.read_manifest().postings
    finally:
        for store in stores:
            store.close()

