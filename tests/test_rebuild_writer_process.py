"""A large rebuild's records are written by a child process: the same records as writing them inline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import index.rebuild as rebuild_module
from config import load_settings
from index.embedder import HashingEmbedder
from index.models import Chunk, Posting
from index.rebuild import rebuild
from index.store import IndexStore, PostingRecord, StoreUnavailable
from index.write_process import ProcessWriter
from test_rebuild import isolated  # noqa: F401 (autouse: no POSTINGS_* settings of the shell, run in tmp_path)

POSTINGS = {
    "heron-electrician.txt": (
        "Title: Maintenance Electrician\nCompany: Heron Mills\nLocation: Dayton, OH\n\n"
        "Heron Mills runs two paper machines around the clock.\n"
        "Requirements:\n- A journeyman electrician licence.\n- Four years of industrial maintenance.\n"
        + "\n".join(f"- You have wired control panel number {i} from drawings." for i in range(20))
        + "\n\nPay:\n$38 to $44 an hour.\n"
    ),
    "sable-designer.txt": (
        "Title: Product Designer\nCompany: Sable Kite\nLocation: Remote\n\n"
        "Sable Kite makes budgeting software for small charities.\n"
        "Requirements:\n- A portfolio of shipped work.\n- Three years of product design.\n"
    ),
    "moss-cook.txt": (
        "Title: Line Cook\nCompany: Moss & Ember\nLocation: Portland, OR\n\n"
        "Moss & Ember is a wood-fired restaurant with forty seats.\n"
        "Requirements:\n- Two years on a busy line.\n- A food handler card.\n"
    ),
}


def write_source(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, text in POSTINGS.items():
        (folder / name).write_text(text)


def records(store: IndexStore, kind: str) -> dict[str, tuple]:
    got = store.client.get_collection(f"test_{kind}").get(include=["documents", "metadatas", "embeddings"])
    return {rid: (doc, meta, [round(float(x), 6) for x in vec])
            for rid, doc, meta, vec in zip(got["ids"], got["documents"], got["metadatas"], got["embeddings"])}


def build_twice(tmp_path: Path, name: str, monkeypatch) -> IndexStore:
    """A first rebuild, then one with a changed posting and new extraction code (the others keep their vectors)."""
    source = tmp_path / "postings"
    write_source(source)
    settings = load_settings(source_dirs=[source], chroma_path=tmp_path / name, collection_prefix="test",
                             chunk_tokens=48)
    store = IndexStore.open(settings)
    assert rebuild(settings, HashingEmbedder(), store).ok
    (source / "moss-cook.txt").write_text(POSTINGS["moss-cook.txt"] + "Benefits:\nA shift meal.\n")
    monkeypatch.setattr(rebuild_module, "extraction_fingerprint", lambda: "new extraction code")
    assert rebuild(settings, HashingEmbedder(), store).ok
    monkeypatch.undo()
    return store


def test_a_writer_process_writes_the_same_records_as_the_rebuild_itself(tmp_path, monkeypatch):
    started = []

    class CountedWriter(ProcessWriter):
        def __init__(self, settings):
            started.append(settings.chroma_path)
            super().__init__(settings)

    monkeypatch.setattr(rebuild_module, "PROCESS_WRITE_MIN_CHUNKS", 10**9)
    inline = build_twice(tmp_path, "inline", monkeypatch)
    monkeypatch.setattr(rebuild_module, "PROCESS_WRITE_MIN_CHUNKS", 1)
    monkeypatch.setattr(rebuild_module, "ProcessWriter", CountedWriter)
    child = build_twice(tmp_path, "child", monkeypatch)
    try:
        assert started == [tmp_path / "child", tmp_path / "child"]
        for kind in ("chunks", "postings"):
            assert records(child, kind) == records(inline, kind)
        assert child.read_manifest().postings == inline.read_manifest().postings
        chunks, vectors = child.read_chunks(child.read_manifest())  # vectors readable after the child's writes
        assert len(chunks) == len(vectors) > 0
    finally:
        inline.close()
        child.close()
    reopened = IndexStore.open(load_settings(chroma_path=tmp_path / "child", collection_prefix="test"))
    try:
        chunks, vectors = reopened.read_chunks(reopened.read_manifest())
        assert len(chunks) == len(records(reopened, "chunks"))
    finally:
        reopened.close()


def test_a_writer_process_that_cannot_write_raises_store_unavailable(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the index folder should be")
    writer = ProcessWriter(load_settings(chroma_path=blocked, collection_prefix="test"))
    posting = Posting(id="p1", title="Welder", company="Kestrel", location="", text="Weld pipe.", source="a.txt")
    record = PostingRecord(posting, "abc-g1", [Chunk("p1", 0, "Weld pipe.", "")], HashingEmbedder().embed_documents(
        ["Weld pipe."]), "h")
    try:
        with pytest.raises(StoreUnavailable, match="unavailable"):
            writer.put([record])
            writer.close()
    finally:
        writer.stop()
