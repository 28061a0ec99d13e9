"""The index snapshot: a replica loads the catalog from local files, answers exactly as from the store, and never
trusts a snapshot of another generation, another index, or a damaged one."""

from __future__ import annotations

import copy
import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from bot.columns import PostingColumn
from bot.snapshot import Snapshots, StoredPosting, TextColumn, code_fingerprint
from config import load_settings
from index.embedder import HashingEmbedder
from index.models import Posting
from index.rebuild import rebuild
from index.store import IndexStore, store_identity

from catalogs import answer_rows

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "postings"
EMBEDDER = HashingEmbedder()
QUESTIONS = (
    "which roles want Python?",
    "remote roles over $120k",
    "what does the Harbortide backend role pay?",
    "roles that are not remote",
    "which jobs mention on-call rotations?",
    "how many years of experience does the Northwind platform role want?",
    "contract roles in Texas",
    "postings in Germany",
)


class CountingStore:
    """A real index store that counts how often the postings and chunks were read from it."""

    def __init__(self, store: IndexStore):
        self.store = store
        self.chunk_reads = 0

    def read_manifest(self):
        return self.store.read_manifest()

    def read_postings(self, manifest):
        return self.store.read_postings(manifest)

    def read_chunks(self, manifest):
        self.chunk_reads += 1
        return self.store.read_chunks(manifest)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("snapshot-index")
    settings = load_settings(_env_file=None, chroma_path=folder / "chroma", source_dirs=str(SAMPLES))
    store = IndexStore.open(settings)
    assert rebuild(settings, EMBEDDER, store).ok
    return settings, store


def _engine(store, folder: Path, identity: str = "test-store") -> Engine:
    return Engine(store, EMBEDDER, reload_interval=0, snapshots=Snapshots(folder, identity))


def _answers(engine: Engine) -> list[tuple]:
    return answer_rows(engine.ask, QUESTIONS)


def test_a_second_replica_loads_the_snapshot_instead_of_the_store_and_answers_identically(indexed, tmp_path):
    _settings, store = indexed
    first_store, second_store = CountingStore(store), CountingStore(store)
    first = _engine(first_store, tmp_path)
    assert first_store.chunk_reads == 1
    assert len(list(tmp_path.glob("gen*"))) == 1
    second = _engine(second_store, tmp_path)
    assert second_store.chunk_reads == 0
    assert _answers(second) == _answers(first)
    a, b = first.catalog(), second.catalog()
    assert [p.text for p in b.postings] == [p.text for p in a.postings]
    assert list(b.chunk_texts) == list(a.chunk_texts) and list(b.chunk_ids) == list(a.chunk_ids)
    np.testing.assert_array_equal(np.asarray(b.vectors), a.vectors)
    assert isinstance(b.vectors, np.memmap)


def test_a_plain_engine_without_snapshots_reads_the_store_each_time(indexed):
    _settings, store = indexed
    counting = CountingStore(store)
    Engine(counting, EMBEDDER, reload_interval=0)
    Engine(counting, EMBEDDER, reload_interval=0)
    assert counting.chunk_reads == 2


def test_a_snapshot_of_another_index_or_generation_is_not_used(indexed, tmp_path):
    _settings, store = indexed
    _engine(CountingStore(store), tmp_path, identity="store-a")
    other = CountingStore(store)
    _engine(other, tmp_path, identity="store-b")  # same folder, another store: its own snapshot
    assert other.chunk_reads == 1
    manifest = store.read_manifest()
    later = copy.copy(manifest)
    later.generation += 1
    assert Snapshots(tmp_path, "store-a").load(later) is None
    assert Snapshots(tmp_path, "store-a").load(manifest) is not None


@pytest.mark.parametrize("damage", ["truncate vectors", "truncate postings", "remove meta", "corrupt state", "edit meta"])
def test_a_damaged_snapshot_is_rebuilt_from_the_store_never_trusted(indexed, tmp_path, damage):
    _settings, store = indexed
    reference = _answers(_engine(CountingStore(store), tmp_path))
    [snap] = tmp_path.glob("gen*")
    if damage == "truncate vectors":
        data = (snap / "vectors.npy").read_bytes()
        (snap / "vectors.npy").write_bytes(data[: len(data) // 2])
    elif damage == "truncate postings":
        data = (snap / "postings" / "rest.txt").read_bytes()
        (snap / "postings" / "rest.txt").write_bytes(data[: len(data) // 2])
    elif damage == "remove meta":
        (snap / "meta.json").unlink()
    elif damage == "corrupt state":
        size = (snap / "state.pickle").stat().st_size
        (snap / "state.pickle").write_bytes(b"\0" * size)  # same size: only loading it can tell
    else:
        meta = json.loads((snap / "meta.json").read_text())
        meta["generation"] += 1
        (snap / "meta.json").write_text(json.dumps(meta))
    counting = CountingStore(store)
    engine = _engine(counting, tmp_path)
    assert counting.chunk_reads == 1
    assert _answers(engine) == reference
    again = CountingStore(store)
    _engine(again, tmp_path)  # the rewritten snapshot is used
    assert again.chunk_reads == 0


def test_a_snapshot_folder_that_cannot_be_written_costs_the_snapshot_only(indexed, tmp_path):
    _settings, store = indexed
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the snapshot folder should be")
    engine = _engine(CountingStore(store), blocker)
    assert engine.ask(QUESTIONS[0]).status


def test_only_the_newest_snapshots_are_kept(indexed, tmp_path):
    _settings, store = indexed
    manifest = store.read_manifest()
    catalog = _engine(CountingStore(store), tmp_path).catalog()
    snapshots = Snapshots(tmp_path, "test-store")
    for generation in range(manifest.generation + 1, manifest.generation + 4):
        later = copy.copy(manifest)
        later.generation = generation
        assert snapshots.save(catalog, later) is not None
    kept = sorted(p.name.split("-")[0] for p in tmp_path.glob("gen*"))
    assert kept == [f"gen{manifest.generation + 2}", f"gen{manifest.generation + 3}"]
    assert not list(tmp_path.glob(".tmp-*"))


def test_build_engine_keeps_snapshots_beside_the_index_and_can_be_told_not_to(indexed, tmp_path):
    from bot.engine import build_engine

    settings, _store = indexed
    engine = build_engine(settings, embedder=EMBEDDER)
    assert engine.snapshots is not None and engine.snapshots.folder == settings.chroma_path / "snapshot"
    assert engine.snapshots.store_identity == store_identity(settings)
    assert list((settings.chroma_path / "snapshot").glob("gen*"))
    off = load_settings(_env_file=None, chroma_path=settings.chroma_path, source_dirs=str(SAMPLES), snapshots=False)
    assert build_engine(off, embedder=EMBEDDER).snapshots is None
    elsewhere = load_settings(_env_file=None, chroma_path=settings.chroma_path, source_dirs=str(SAMPLES),
                              snapshot_path=tmp_path / "cache")
    assert build_engine(elsewhere, embedder=EMBEDDER).snapshots.folder == tmp_path / "cache"


def test_text_columns_round_trip_any_text_and_read_rows_on_demand(tmp_path):
    strings = ["", "plain", "Zürich — 50 000 €", "工程师", "line\nbreak", "\ud800 lone surrogate", ""]
    TextColumn.write(tmp_path / "col", strings)
    column = TextColumn.open(tmp_path / "col")
    assert len(column) == len(strings)
    assert list(column) == strings and column[-2] == strings[-2] and column[1:3] == strings[1:3]
    with pytest.raises(IndexError):
        column[len(strings)]
    assert pickle.loads(pickle.dumps(column)) == strings
    TextColumn.write(tmp_path / "empty", [])
    assert list(TextColumn.open(tmp_path / "empty")) == []


def test_a_stored_posting_reads_its_fields_from_the_columns_and_copies_as_a_plain_posting(tmp_path):
    plain = Posting(id="p1", title="Data Engineer", company="Acme", text="Build pipelines in Go.", location="Austin, TX")
    PostingColumn.of([plain]).save(tmp_path / "postings")
    stored = PostingColumn.open(tmp_path / "postings")[0]
    assert isinstance(stored, StoredPosting) and set(vars(stored)) == {"_col", "_row"}  # nothing decoded yet
    assert stored.text == plain.text and stored == plain and plain == stored
    again = pickle.loads(pickle.dumps(stored))
    assert type(again) is Posting and again == plain
    assert type(copy.copy(stored)) is Posting
    stored.text = "changed"
    assert stored.text == "changed" and stored != plain


def test_the_code_fingerprint_is_stable_within_a_run():
    assert code_fingerprint() == code_fingerprint() and len(code_fingerprint()) == 16


def test_removing_the_snapshot_folder_under_a_loaded_replica_does_not_break_its_answers(indexed, tmp_path):
    _settings, store = indexed
    engine = _engine(CountingStore(store), tmp_path / "snaps")
    reference = _answers(engine)
    replica = _engine(CountingStore(store), tmp_path / "snaps")
    shutil.rmtree(tmp_path / "snaps")  # open mappings stay valid after the files are removed
    assert _answers(replica) == reference


def test_the_rebuild_command_writes_the_snapshot_that_the_next_replica_loads(tmp_path, monkeypatch):
    from bot.engine import build_engine
    from index.cli import main

    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    chroma = tmp_path / "chroma"
    assert main(["rebuild", "--source", str(SAMPLES), "--chroma-path", str(chroma)],
                embedder_factory=lambda _settings: EMBEDDER) == 0
    [written] = (chroma / "snapshot").glob("gen*")
    assert json.loads((written / "meta.json").read_text())["postings"] > 0
    settings = load_settings(_env_file=None, chroma_path=chroma, source_dirs=str(SAMPLES))
    engine = build_engine(settings, embedder=EMBEDDER)
    assert isinstance(engine.catalog().vectors, np.memmap)  # loaded from the snapshot, not built from the store
    monkeypatch.setenv("POSTINGS_SNAPSHOTS", "false")
    assert main(["rebuild", "--full", "--source", str(SAMPLES), "--chroma-path", str(chroma)],
                embedder_factory=lambda _settings: EMBEDDER) == 0
    assert [p.name for p in (chroma / "snapshot").glob("gen*")] == [written.name]  # off: none written


def test_a_replica_that_starts_while_the_store_is_down_answers_from_its_snapshot_and_says_it_is_stale(indexed,
                                                                                                       tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_store_outage import FailingStore

    _settings, store = indexed
    reference = _answers(_engine(CountingStore(store), tmp_path))
    down = FailingStore(store, down=True)
    told = []
    replica = _engine(down, tmp_path)
    replica.on_new_generation(lambda catalog, manifest: told.append(manifest.generation))
    assert _answers(replica) == reference
    assert replica.stats().stale and told == []  # saved searches wait for the store
    down.down = False
    assert replica.reload() and not replica.stats().stale
    assert told == [store.read_manifest().generation]
    assert _answers(replica) == reference


def test_without_a_snapshot_of_that_store_a_replica_that_starts_while_it_is_down_refuses_as_before(indexed, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from bot.engine import IndexUnavailable
    from test_store_outage import FailingStore

    _settings, store = indexed
    _engine(CountingStore(store), tmp_path, identity="another-store")
    replica = _engine(FailingStore(store, down=True), tmp_path, identity="this-store")
    with pytest.raises(IndexUnavailable):
        replica.ask(QUESTIONS[0])


def test_warming_up_builds_what_the_first_question_would_otherwise_build(indexed, tmp_path):
    from bot.engine import warm_up

    _settings, store = indexed
    engine = _engine(CountingStore(store), tmp_path)
    namer = engine._current().namer
    assert getattr(namer, "_title_index_words", None) is None
    warm_up(engine).join(timeout=60)
    assert namer._title_index_words  # built by the warm-up, not by a user's question


def test_the_replica_that_writes_a_snapshot_answers_from_it_and_lets_the_store_built_catalog_go(indexed, tmp_path):
    _settings, store = indexed
    plain = Engine(store, EMBEDDER, reload_interval=0)  # no snapshots: the catalog built from the store
    counting = CountingStore(store)
    writer = _engine(counting, tmp_path)
    assert counting.chunk_reads == 1 and len(list(tmp_path.glob("gen*"))) == 1
    assert isinstance(writer.catalog().vectors, np.memmap)  # the snapshot's mapped vectors, not the store's copy
    assert _answers(writer) == _answers(plain)
