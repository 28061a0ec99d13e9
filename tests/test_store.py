"""The Chroma store: round trips, manifest-only reads, garbage collection, failures as StoreUnavailable."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from config import load_settings
from index.chunking import chunk_for_embedding, embedding_text
from index.embedder import HashingEmbedder
from index.models import Fact, Facts, Posting, Salary
from index.store import (
    IndexStore,
    Manifest,
    PostingRecord,
    StoreUnavailable,
    chunk_metadata,
    make_tag,
    now_iso,
    open_client,
)

EMBEDDER = HashingEmbedder()
REPO = Path(__file__).resolve().parents[1]


def make_posting(pid: str, text: str, **facts) -> Posting:
    return Posting(
        id=pid,
        title=f"Engineer {pid}",
        company="Acme",
        text=text,
        location="Austin, TX",
        source=f"samples/{pid}.md",
        facts=Facts(**facts),
    )


PYTHON_JOB = make_posting(
    "py-1",
    "We build robots.\nRequirements:\n5+ years of Python.\nGo is a plus.\nBenefits:\nDental and vision.",
    salary=Fact(Salary(140000, 180000), "Salary: $140,000 - $180,000 a year"),
    remote=Fact("remote", "This role is fully remote."),
    languages=[Fact("Python", "5+ years of Python."), Fact("Go", "Go is a plus.")],
    min_years=Fact(5, "5+ years of Python."),
)
NURSE_JOB = make_posting("rn-2", "Night shift nurse wanted.\nWe pay $45 an hour.",
                         salary=Fact(Salary(45, 45, period="hourly"), "We pay $45 an hour."))


def record(posting: Posting, tag: str) -> PostingRecord:
    chunks = chunk_for_embedding(posting, EMBEDDER.count_tokens, 200)
    vectors = EMBEDDER.embed_documents([embedding_text(posting, c) for c in chunks])
    return PostingRecord(posting, tag, chunks, vectors)


def manifest(generation: int, postings: dict[str, str]) -> Manifest:
    return Manifest(generation, now_iso(), EMBEDDER.name, EMBEDDER.dim, postings)


@pytest.fixture
def settings(tmp_path):
    return load_settings(chroma_path=tmp_path / "chroma", collection_prefix="test")


@pytest.fixture
def store(settings):
    store = IndexStore.open(settings)
    yield store
    store.close()


def build(store: IndexStore, generation: int, records: list[PostingRecord]) -> Manifest:
    store.write_postings(records)
    m = manifest(generation, {r.posting.id: r.tag for r in records})
    store.write_manifest(m)
    return m


def test_an_empty_store_has_no_manifest(store):
    assert store.read_manifest() is None
    assert store.query(EMBEDDER.embed_query("python"), 5) == []
    assert store.stats()["postings"] == 0


def test_postings_round_trip_with_their_facts(store):
    m = build(store, 1, [record(PYTHON_JOB, "aaa-g1"), record(NURSE_JOB, "bbb-g1")])
    assert store.read_manifest() == m
    assert store.read_postings(m) == [PYTHON_JOB, NURSE_JOB]


def test_chunks_round_trip_row_aligned_and_normalised(store):
    records = [record(PYTHON_JOB, "aaa-g1"), record(NURSE_JOB, "bbb-g1")]
    m = build(store, 1, records)
    chunks, vectors = store.read_chunks(m)
    expected = [(r.posting.id, c, v) for r in records for c, v in zip(r.chunks, r.vectors)]
    assert [(c.posting_id, c.index, c.section, c.text) for c in chunks] == [
        (pid, c.index, c.section, c.text) for pid, c, _ in expected
    ]
    assert chunks[0].id == "py-1::aaa-g1::0"
    assert vectors.dtype == np.float32 and vectors.shape == (len(expected), EMBEDDER.dim)
    assert np.allclose(vectors, np.stack([v for _, _, v in expected]), atol=1e-6)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_records_outside_the_manifest_are_never_read(store):
    m = build(store, 1, [record(PYTHON_JOB, "aaa-g1")])
    changed = make_posting("py-1", "Completely different text about Rust.")
    store.write_postings([record(changed, "ccc-g2"), record(NURSE_JOB, "bbb-g2")])  # written, not switched
    assert store.read_manifest() == m
    assert store.read_postings(m) == [PYTHON_JOB]
    chunks, _ = store.read_chunks(m)
    assert {c.id.split("::")[1] for c in chunks} == {"aaa-g1"}


def test_garbage_collection_removes_everything_the_manifest_does_not_list(store):
    build(store, 1, [record(PYTHON_JOB, "aaa-g1"), record(NURSE_JOB, "bbb-g1")])
    changed = make_posting("py-1", "Completely different text about Rust.")
    m2 = build(store, 2, [record(changed, "ccc-g2")])  # nurse removed, python changed
    deleted = store.collect_garbage(m2)
    assert deleted > 0
    assert store.collect_garbage(m2) == 0
    chunks, _ = store.read_chunks(m2)
    hits = store.query(EMBEDDER.embed_query("nurse night shift"), 50)
    assert {cid for cid, _ in hits} == {c.id for c in chunks}
    assert store.stats() == {"postings": 1, "chunks": len(chunks), "generation": 2,
                             "built_at": m2.built_at, "model": EMBEDDER.name}


def test_query_returns_chunk_ids_with_cosine_similarity(store):
    r = record(NURSE_JOB, "bbb-g1")
    build(store, 1, [record(PYTHON_JOB, "aaa-g1"), r])
    hits = store.query(r.vectors[0], 3)
    assert hits[0][0] == "rn-2::bbb-g1::0"
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert all(-1.0 <= s <= 1.0 + 1e-6 for _, s in hits)


def test_chunk_metadata_holds_known_facts_and_omits_missing_ones():
    meta = chunk_metadata(PYTHON_JOB, "aaa-g1", record(PYTHON_JOB, "aaa-g1").chunks[0])
    assert meta["languages"] == ["Python", "Go"]
    assert meta["salary_min_yearly"] == 140000.0 and meta["salary_max_yearly"] == 180000.0
    assert meta["remote"] == "remote" and meta["min_years"] == 5
    assert "degree" not in meta and "employment_type" not in meta
    nurse = chunk_metadata(NURSE_JOB, "bbb-g1", record(NURSE_JOB, "bbb-g1").chunks[0])
    assert nurse["salary_min_yearly"] == 45 * 2080
    assert "languages" not in nurse and "remote" not in nurse
    assert None not in nurse.values()


def test_chunk_metadata_is_filterable_in_chroma(store):
    build(store, 1, [record(PYTHON_JOB, "aaa-g1"), record(NURSE_JOB, "bbb-g1")])
    chunks = store.client.get_collection("test_chunks")
    go = chunks.get(where={"languages": {"$contains": "Go"}}, include=["metadatas"])
    assert {m["posting_id"] for m in go["metadatas"]} == {"py-1"}
    rich = chunks.get(where={"salary_max_yearly": {"$gte": 150000}}, include=["metadatas"])
    assert {m["posting_id"] for m in rich["metadatas"]} == {"py-1"}


@pytest.mark.filterwarnings("ignore:legacy embedding function config")
def test_collections_use_cosine_space_and_no_default_embedder(store):
    build(store, 1, [record(PYTHON_JOB, "aaa-g1")])
    config = store.client.get_collection("test_chunks").configuration
    assert config["hnsw"]["space"] == "cosine"
    assert config["hnsw"]["ef_search"] == 100
    assert config.get("embedding_function") is None


def test_a_manifest_listing_missing_records_is_reported_not_half_read(store):
    m = build(store, 1, [record(PYTHON_JOB, "aaa-g1")])
    broken = manifest(2, {**m.postings, "rn-2": "zzz-g2"})
    with pytest.raises(StoreUnavailable):
        store.read_chunks(broken)
    with pytest.raises(StoreUnavailable):
        store.read_postings(broken)


def test_an_unreachable_server_raises_store_unavailable_without_details():
    settings = load_settings(chroma_url="http://user:hunter2@127.0.0.1:9")
    with pytest.raises(StoreUnavailable) as err:
        open_client(settings)
    assert "hunter2" not in str(err.value)
    assert "Traceback" not in str(err.value)


def test_a_closed_store_raises_store_unavailable(settings):
    store = IndexStore(open_client(settings), "test")
    store.heartbeat()
    store.client.close()
    with pytest.raises(StoreUnavailable):
        store.read_manifest()


def test_manifest_json_round_trip():
    m = manifest(7, {"a": "0123456789ab-g7", "b::c": "x-g1"})
    assert Manifest.from_json(m.to_json()) == m
    assert make_tag("0123456789abcdef", 7) == "0123456789ab-g7"


WRITER = textwrap.dedent(
    """
    import sys
    from config import load_settings
    from index.embedder import HashingEmbedder
    from index.models import Posting
    from index.store import IndexStore, Manifest, PostingRecord, now_iso
    e = HashingEmbedder()
    store = IndexStore.open(load_settings(chroma_path=sys.argv[1], collection_prefix="test"))
    from index.chunking import chunk_for_embedding, embedding_text
    records = []
    for i in range(50):
        p = Posting(id=f"new-{i}", title="Welder", company="Forge", text=f"Welding job number {i}.")
        chunks = chunk_for_embedding(p, e.count_tokens, 200)
        records.append(PostingRecord(p, "fff-g2", chunks, e.embed_documents([embedding_text(p, c) for c in chunks])))
    store.write_postings(records)
    store.write_manifest(Manifest(2, now_iso(), e.name, e.dim, {r.posting.id: r.tag for r in records}))
    store.close()
    """
)


def test_an_open_reader_picks_up_a_rebuild_by_another_process(store, settings):
    m1 = build(store, 1, [record(PYTHON_JOB, "aaa-g1")])
    store.read_chunks(m1)
    assert store.query(EMBEDDER.embed_query("welding"), 10)  # vectors are now loaded in this process
    subprocess.run([sys.executable, "-c", WRITER, str(settings.chroma_path)], check=True, cwd=REPO, timeout=120)

    m2 = store.read_manifest()  # sees generation 2 and reopens the local client
    assert m2 is not None and m2.generation == 2
    chunks, vectors = store.read_chunks(m2)
    assert len(chunks) == 50 and vectors.shape == (50, EMBEDDER.dim)
    ids = {cid for cid, _ in store.query(EMBEDDER.embed_query("welding job"), 60)}
    assert len({c.id for c in chunks} & ids) >= 40  # the ANN index now holds the new vectors (it is approximate)


def test_a_failed_reopen_is_retried_by_the_next_call(settings):
    attempts = []

    def reconnect():
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("database is locked")
        return open_client(settings)

    store = IndexStore(open_client(settings), "test", reconnect=reconnect)
    build(store, 1, [record(NURSE_JOB, "bbb-g1")])
    with pytest.raises(StoreUnavailable):
        store.reopen()
    assert store.read_manifest().generation == 1
    assert len(attempts) == 2
    store.close()
