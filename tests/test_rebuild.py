"""The rebuild: incremental updates, atomic switches, kept indexes on bad input, and the CLI's exit codes."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np
import pytest

from config import load_settings
from index import cli
from index.embedder import HashingEmbedder, LazyEmbedder
from index.rebuild import BackgroundWriter, LogProgress, RebuildSummary, _rebuild_lock, embed_in_order, rebuild
from index.store import IndexStore, StoreUnavailable

POSTINGS = {
    "acme-python.txt": (
        "Title: Senior Python Engineer\nCompany: Acme Robotics\nLocation: Austin, TX\n\n"
        "About us\nAcme Robotics builds warehouse robots. We are 120 people.\n\n"
        "Requirements:\n- 5+ years of professional Python experience.\n- Experience with Kubernetes.\n"
        + "\n".join(f"- You have shipped service number {i} to production." for i in range(25))
        + "\n\nBenefits:\nDental, vision and a 401(k) match.\n"
    ),
    "pine-nurse.txt": (
        "Title: Registered Nurse (Nights)\nCompany: Pinewhistle Health\nLocation: Boise, ID\n\n"
        "Pinewhistle Health is hiring a night-shift registered nurse for its surgical unit.\n"
        "Requirements:\n- An active RN license.\n- Two years of acute care experience.\n"
        "Pay:\nWe pay $45 to $52 an hour, depending on experience.\n"
    ),
    "tin-accountant.txt": (
        "Title: Staff Accountant\nCompany: Tinmoor Mutual\nLocation: Hartford, CT\n\n"
        "Tinmoor Mutual needs a staff accountant to close the books each month.\n"
        "Requirements:\n- A Bachelor's degree in Accounting.\n- Three years of experience with Excel.\n"
    ),
}


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting the texts it embeds; can fail after a number of calls."""

    def __init__(self, fail_after_calls: int | None = None, error: BaseException | None = None):
        super().__init__()
        self.texts: list[str] = []
        self.calls = 0
        self.fail_after_calls = fail_after_calls
        self.error = error or RuntimeError("model crashed")

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if self.fail_after_calls is not None and self.calls >= self.fail_after_calls:
            raise self.error
        self.calls += 1
        self.texts.extend(texts)
        return super().embed_documents(texts)


class HalfWritingStore(IndexStore):
    """A store whose disk fills up half-way through writing records."""

    def write_postings(self, records):
        super().write_postings(records[: len(records) // 2])
        raise StoreUnavailable("the index store is unavailable: could not write to the index (disk full)")


class SwitchFailingStore(IndexStore):
    """A store that writes records but cannot write the manifest."""

    def write_manifest(self, manifest):
        raise StoreUnavailable("the index store is unavailable: could not write the manifest (OSError)")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    """No POSTINGS_* variables or .env from the developer's shell; logging restored after CLI runs."""
    for name in list(os.environ):
        if name.startswith("POSTINGS_") or name.startswith("SLACK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
def source(tmp_path) -> Path:
    folder = tmp_path / "postings"
    folder.mkdir()
    for name, text in POSTINGS.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def settings(tmp_path, source):
    return load_settings(source_dirs=[source], chroma_path=tmp_path / "chroma", collection_prefix="test",
                         embed_batch_size=1, chunk_tokens=64)  # small chunks and batches: many embed calls


@pytest.fixture
def store(settings):
    store = IndexStore.open(settings)
    yield store
    store.close()


def snapshot(store: IndexStore):
    """Everything a reader sees: the manifest, the postings and the chunks with their vectors."""
    manifest = store.read_manifest()
    if manifest is None:
        return None
    chunks, vectors = store.read_chunks(manifest)
    return manifest, store.read_postings(manifest), chunks, vectors.tolist()


def all_record_ids(store: IndexStore, kind: str) -> set[str]:
    return set(store.client.get_collection(f"test_{kind}").get(include=[])["ids"])


def test_a_first_rebuild_adds_every_posting(settings, store):
    embedder = CountingEmbedder()
    summary = rebuild(settings, embedder, store)
    assert summary.ok and summary.error is None
    assert (summary.added, summary.updated, summary.removed, summary.unchanged, summary.skipped) == (3, 0, 0, 0, 0)
    assert summary.generation == 1 and summary.postings_total == 3
    assert summary.chunks_embedded == summary.chunks_total == len(embedder.texts) > 3
    manifest, postings, chunks, _ = snapshot(store)
    assert sorted(p.title for p in postings) == ["Registered Nurse (Nights)", "Senior Python Engineer", "Staff Accountant"]
    assert len(chunks) == summary.chunks_total
    assert all(p.facts is not None for p in postings)
    assert any(t.startswith("Senior Python Engineer — Acme Robotics. Requirements:") for t in embedder.texts)


def test_a_rebuild_without_changes_embeds_nothing_and_keeps_the_generation(settings, store):
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    embedder = CountingEmbedder()
    summary = rebuild(settings, embedder, store)
    assert summary.ok
    assert embedder.texts == []
    assert (summary.added, summary.updated, summary.removed, summary.unchanged) == (0, 0, 0, 3)
    assert summary.generation == 1
    assert summary.chunks_total == len(before[2])
    assert snapshot(store) == before


def test_a_changed_posting_is_re_embedded_and_its_old_version_removed(settings, store, source):
    rebuild(settings, CountingEmbedder(), store)
    old_ids = {c.id for c in snapshot(store)[2] if c.posting_id.endswith("pine-nurse")}
    (source / "pine-nurse.txt").write_text(POSTINGS["pine-nurse.txt"].replace("$45 to $52", "$48 to $55"))
    embedder = CountingEmbedder()
    summary = rebuild(settings, embedder, store)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 2)
    assert embedder.texts and all("Registered Nurse" in t for t in embedder.texts)
    manifest, postings, chunks, _ = snapshot(store)
    assert manifest.generation == 2
    nurse = next(p for p in postings if p.title.startswith("Registered Nurse"))
    assert "$48 to $55" in nurse.text
    assert not old_ids & all_record_ids(store, "chunks")
    assert all_record_ids(store, "chunks") == {c.id for c in chunks}


def test_a_posting_whose_text_is_unchanged_keeps_its_vectors(settings, store, source):
    rebuild(settings, CountingEmbedder(), store)
    _, _, chunks_before, vectors_before = snapshot(store)
    (source / "pine-nurse.txt").write_text(POSTINGS["pine-nurse.txt"].replace("Boise, ID", "Nampa, ID"))
    embedder = CountingEmbedder()
    summary = rebuild(settings, embedder, store)
    assert summary.ok and (summary.updated, summary.unchanged, summary.chunks_embedded) == (1, 2, 0)
    assert embedder.texts == []
    manifest, postings, chunks, vectors = snapshot(store)
    assert manifest.generation == 2
    assert next(p for p in postings if p.title.startswith("Registered Nurse")).location == "Nampa, ID"
    assert [(c.posting_id, c.text) for c in chunks] == [(c.posting_id, c.text) for c in chunks_before]
    assert vectors == vectors_before
    assert all_record_ids(store, "chunks") == {c.id for c in chunks}


def test_new_extraction_code_refreshes_facts_without_re_embedding(settings, store, monkeypatch):
    import index.rebuild as rebuild_module
    from index.models import Fact

    rebuild(settings, CountingEmbedder(), store)
    real_extract = rebuild_module.extract_facts

    def better_extract(posting):
        facts = real_extract(posting)
        facts.degree = Fact("PhD", "a better extractor found this")
        return facts

    monkeypatch.setattr(rebuild_module, "extract_facts", better_extract)
    monkeypatch.setattr(rebuild_module, "extraction_fingerprint", lambda: "new extraction code")
    embedder = CountingEmbedder()
    summary = rebuild(settings, embedder, store)
    assert summary.ok and (summary.updated, summary.chunks_embedded) == (3, 0)
    assert embedder.texts == []
    manifest, postings, chunks, _ = snapshot(store)
    assert {p.facts.degree.value for p in postings} == {"PhD"}
    assert summary.chunks_total == len(chunks)


def test_a_removed_posting_disappears(settings, store, source):
    rebuild(settings, CountingEmbedder(), store)
    (source / "tin-accountant.txt").unlink()
    embedder = CountingEmbedder()
    summary = rebuild(settings, embedder, store)
    assert summary.ok and (summary.removed, summary.unchanged) == (1, 2)
    assert embedder.texts == []
    manifest, postings, chunks, _ = snapshot(store)
    assert "Staff Accountant" not in {p.title for p in postings}
    assert len(manifest.postings) == 2
    assert all_record_ids(store, "chunks") == {c.id for c in chunks}
    assert len(all_record_ids(store, "postings")) == 2


def test_a_full_rebuild_re_embeds_everything_under_new_tags(settings, store):
    first = rebuild(settings, CountingEmbedder(), store)
    old_tags = set(store.read_manifest().postings.values())
    embedder = CountingEmbedder()
    summary = rebuild(settings, embedder, store, full=True)
    assert summary.ok and summary.updated == 3 and summary.unchanged == 0
    assert len(embedder.texts) == first.chunks_total == summary.chunks_embedded
    manifest = store.read_manifest()
    assert manifest.generation == 2
    assert all(tag.endswith("-g2") for tag in manifest.postings.values())
    assert not old_tags & set(manifest.postings.values())
    assert all_record_ids(store, "chunks") == {c.id for c in store.read_chunks(manifest)[0]}


def test_postings_without_text_are_reported_and_skipped(settings, store, source):
    (source / "blank.json").write_text(json.dumps({"id": "blank-1", "title": "Cook", "company": "Diner",
                                                   "description": "   "}))
    summary = rebuild(settings, CountingEmbedder(), store)
    assert summary.ok and summary.added == 3
    assert summary.skipped == 1 and "blank" in summary.problems[0]


@pytest.mark.parametrize("error", [RuntimeError("model crashed"), KeyboardInterrupt()], ids=["crash", "ctrl-c"])
def test_a_failure_while_embedding_leaves_the_previous_index_answering(settings, store, source, error):
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    for name, text in POSTINGS.items():  # every posting changes, so the rebuild has much to embed
        (source / name).write_text(text + "\nApply by June 1.\n")
    embedder = CountingEmbedder(fail_after_calls=2, error=error)
    with pytest.raises(type(error)):
        rebuild(settings, embedder, store)
    assert embedder.calls == 2  # it failed half-way, not before starting
    assert snapshot(store) == before
    assert not writer_threads()


def test_a_store_failing_half_way_through_writing_leaves_the_previous_index(settings, store, source):
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    (source / "new.txt").write_text("Title: Welder\nCompany: Forge Works\n\nWe need a certified welder.\n")
    (source / "pine-nurse.txt").write_text(POSTINGS["pine-nurse.txt"] + "\nNight differential: 15%.\n")
    flaky = HalfWritingStore(store.client, store.prefix)
    with pytest.raises(StoreUnavailable):
        rebuild(settings, CountingEmbedder(), flaky)
    assert snapshot(store) == before

    summary = rebuild(settings, CountingEmbedder(), store)  # the next rebuild succeeds and cleans up
    assert summary.ok and (summary.added, summary.updated) == (1, 1)
    manifest, postings, chunks, _ = snapshot(store)
    assert all_record_ids(store, "chunks") == {c.id for c in chunks}
    assert "Welder" in {p.title for p in postings}


def test_a_failed_switch_leaves_the_previous_index(settings, store, source):
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    (source / "new.txt").write_text("Title: Welder\nCompany: Forge Works\n\nWe need a certified welder.\n")
    with pytest.raises(StoreUnavailable):
        rebuild(settings, CountingEmbedder(), SwitchFailingStore(store.client, store.prefix))
    assert snapshot(store) == before


class SecondWriteFailingStore(IndexStore):
    """A store whose second batch of records fails to write."""

    writes = 0

    def write_postings(self, records):
        self.writes += 1
        if self.writes == 2:
            raise StoreUnavailable("the index store is unavailable: could not write to the index (disk full)")
        super().write_postings(records)


def writer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "index-writer"]


def test_a_store_failing_on_a_later_group_leaves_the_previous_index(settings, store, source, monkeypatch):
    import index.rebuild as rebuild_module

    monkeypatch.setattr(rebuild_module, "overlap_writes", lambda settings: True)
    monkeypatch.setattr(rebuild_module, "OVERLAP_GROUP_CHUNKS", 1)  # one posting per group: three writes
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    for name, text in POSTINGS.items():
        (source / name).write_text(text + "\nApply by June 1.\n")
    with pytest.raises(StoreUnavailable, match="disk full"):
        rebuild(settings, CountingEmbedder(), SecondWriteFailingStore(store.client, store.prefix))
    assert snapshot(store) == before
    assert not writer_threads()

    summary = rebuild(settings, CountingEmbedder(), store)
    assert summary.ok and summary.updated == 3
    assert all_record_ids(store, "chunks") == {c.id for c in snapshot(store)[2]}


def test_a_group_is_written_while_the_next_one_is_embedded(settings, store, monkeypatch):
    import index.rebuild as rebuild_module

    monkeypatch.setattr(rebuild_module, "overlap_writes", lambda settings: True)
    monkeypatch.setattr(rebuild_module, "OVERLAP_GROUP_CHUNKS", 1)
    writing, embedded_meanwhile, overlapped = threading.Event(), threading.Event(), []

    class SlowStore(IndexStore):
        def write_postings(self, records):
            if not writing.is_set():
                writing.set()
                overlapped.append(embedded_meanwhile.wait(timeout=60))  # a synchronous write would wait in vain
            super().write_postings(records)

    class WatchingEmbedder(CountingEmbedder):
        def embed_documents(self, texts):
            if writing.is_set():
                embedded_meanwhile.set()
            return super().embed_documents(texts)

    summary = rebuild(settings, WatchingEmbedder(), SlowStore(store.client, store.prefix))
    assert summary.ok and summary.added == 3
    assert overlapped == [True]


def test_the_background_writer_writes_every_batch_in_order_off_the_calling_thread():
    written, threads = [], set()

    def write(records):
        written.append(records)
        threads.add(threading.current_thread().name)

    writer = BackgroundWriter(write)
    for i in range(5):
        writer.put([i])
    writer.close()
    writer.stop()
    assert written == [[0], [1], [2], [3], [4]]
    assert threads == {"index-writer"}


def test_a_failed_write_is_raised_to_the_caller_and_nothing_after_it_is_written():
    written = []

    def write(records):
        if records == [1]:
            raise StoreUnavailable("the index store is unavailable: disk full")
        written.append(records)

    writer = BackgroundWriter(write)
    try:
        with pytest.raises(StoreUnavailable, match="disk full"):
            for i in range(10):
                writer.put([i])
            writer.close()
    finally:
        writer.stop()
    assert written == [[0]]
    assert not writer_threads()


class CleanupFailingStore(IndexStore):
    """A store that fails while removing old records, after the switch."""

    def collect_garbage(self, manifest):
        raise StoreUnavailable("the index store is unavailable: could not remove old records (OSError)")

    def delete_versions(self, versions):
        raise StoreUnavailable("the index store is unavailable: could not remove old records (OSError)")


def test_a_failed_cleanup_after_the_switch_is_reported_and_done_next_time(settings, store, source):
    rebuild(settings, CountingEmbedder(), store)
    (source / "tin-accountant.txt").unlink()
    summary = rebuild(settings, CountingEmbedder(), CleanupFailingStore(store.client, store.prefix))
    assert summary.ok and summary.removed == 1
    assert "not removed" in summary.problems[-1]
    manifest, postings, chunks, _ = snapshot(store)
    assert len(postings) == 2 and manifest.generation == 2
    assert all_record_ids(store, "chunks") > {c.id for c in chunks}  # leftovers, invisible to readers
    rebuild(settings, CountingEmbedder(), store)
    assert all_record_ids(store, "chunks") == {c.id for c in chunks}


def test_a_missing_source_folder_keeps_the_previous_index(settings, store, tmp_path):
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    missing = settings.model_copy(update={"source_dirs": [tmp_path / "unmounted"]})
    summary = rebuild(missing, CountingEmbedder(), store)
    assert not summary.ok
    assert "unmounted" in summary.error and summary.problems
    assert snapshot(store) == before


def test_an_empty_source_folder_keeps_the_previous_index(settings, store, tmp_path):
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    (tmp_path / "empty").mkdir()
    summary = rebuild(settings.model_copy(update={"source_dirs": [tmp_path / "empty"]}), CountingEmbedder(), store)
    assert not summary.ok and "no usable postings" in summary.error
    assert snapshot(store) == before


def test_unreadable_files_are_reported_and_the_rest_indexed(settings, store, source):
    (source / "broken.json").write_text("{ not json")
    summary = rebuild(settings, CountingEmbedder(), store)
    assert summary.ok and summary.added == 3 and summary.skipped == 1
    assert "broken.json" in summary.problems[0]


def test_a_rebuild_refuses_to_run_beside_another(settings, store):
    with _rebuild_lock(settings) as held:
        assert held
        summary = rebuild(settings, CountingEmbedder(), store)
    assert not summary.ok and "another rebuild" in summary.error
    assert store.read_manifest() is None


def test_another_model_re_embeds_everything(settings, store):
    rebuild(settings, CountingEmbedder(), store)
    other = CountingEmbedder()
    other.name = "another-model"
    summary = rebuild(settings, other, store)
    assert summary.ok and summary.chunks_embedded == summary.chunks_total
    assert store.read_manifest().model == "another-model"


def test_embedding_in_length_order_returns_rows_in_input_order():
    embedder = HashingEmbedder()
    texts = ["short", "a much longer text about welding and nursing", "mid length text", "x"]
    vectors = embed_in_order(embedder, texts, batch_size=1, progress=LogProgress())
    assert np.allclose(vectors, embedder.embed_documents(texts))


def test_progress_lines_show_rate_and_eta(caplog):
    now = [100.0]
    progress = LogProgress(logger=logging.getLogger("test.progress"), clock=lambda: now[0])
    progress.start(2500)
    with caplog.at_level(logging.INFO, logger="test.progress"):
        now[0] = 120.0
        progress.advance(640)
    assert caplog.messages == ["embedded 640/2500 chunks, 32 chunks/s, ETA 58 s"]


def test_progress_lines_are_not_logged_for_every_batch(caplog):
    now = [0.0]
    progress = LogProgress(logger=logging.getLogger("test.progress"), clock=lambda: now[0])
    progress.start(1000)
    with caplog.at_level(logging.INFO, logger="test.progress"):
        for _ in range(100):
            now[0] += 0.01
            progress.advance(10)
    assert len(caplog.messages) == 10  # every 10%, the last one at 1000/1000
    assert caplog.messages[-1].startswith("embedded 1000/1000 chunks")


def test_summary_line_and_json():
    summary = RebuildSummary(added=24, updated=1, skipped=2, chunks_embedded=130, chunks_total=150, seconds=41.23,
                             ok=True, generation=3)
    assert summary.line() == ("postings: 24 added, 1 updated, 0 removed, 0 unchanged, 2 skipped; "
                              "chunks: 130 embedded (150 in index); 41.2 s")
    assert json.loads(summary.to_json())["chunks_total"] == 150


# --- the CLI, run in-process


def run_cli(args: list[str], embedder=None) -> int:
    return cli.main(args, embedder_factory=lambda settings: embedder or CountingEmbedder())


def test_cli_rebuild_succeeds_and_prints_a_summary(source, tmp_path, capsys):
    code = run_cli(["rebuild", "--source", str(source), "--chroma-path", str(tmp_path / "idx")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("postings: 3 added, 0 updated, 0 removed, 0 unchanged, 0 skipped; chunks: ")


def test_cli_rebuild_json(source, tmp_path, capsys):
    code = run_cli(["rebuild", "--source", str(source), "--chroma-path", str(tmp_path / "idx"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["ok"] and data["added"] == 3 and data["generation"] == 1


def test_cli_rebuild_records_its_outcome_in_the_store_for_alerting(source, tmp_path, capsys, monkeypatch):
    path = tmp_path / "idx"
    assert run_cli(["rebuild", "--source", str(source), "--chroma-path", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["started_at"] and data["finished_at"] >= data["started_at"]
    monkeypatch.setenv("POSTINGS_CHROMA_PATH", str(path))
    report = IndexStore.open(load_settings()).read_rebuild_report()
    assert report["ok"] is True and report["added"] == 3 and report["finished_at"] == data["finished_at"]
    assert run_cli(["rebuild", "--source", str(tmp_path / "missing"), "--chroma-path", str(path)]) == 1
    assert IndexStore.open(load_settings()).read_rebuild_report()["ok"] is False


def test_cli_stats(source, tmp_path, capsys):
    assert run_cli(["stats", "--chroma-path", str(tmp_path / "idx")]) == 1  # nothing built yet
    run_cli(["rebuild", "--source", str(source), "--chroma-path", str(tmp_path / "idx")])
    capsys.readouterr()
    assert run_cli(["stats", "--chroma-path", str(tmp_path / "idx"), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["postings"] == 3 and figures["chunks"] > 3 and figures["generation"] == 1


def test_cli_exits_1_when_nothing_usable_is_found(tmp_path, capsys):
    code = run_cli(["rebuild", "--source", str(tmp_path / "nope"), "--chroma-path", str(tmp_path / "idx")])
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


def test_cli_exits_2_when_the_store_is_unreachable(source, monkeypatch, capsys):
    monkeypatch.setenv("POSTINGS_CHROMA_URL", "http://127.0.0.1:9")
    assert run_cli(["rebuild", "--source", str(source)]) == 2
    assert "unavailable" in capsys.readouterr().err


def test_cli_exits_2_naming_an_invalid_setting(source, monkeypatch, capsys):
    monkeypatch.setenv("POSTINGS_EMBED_BATCH_SIZE", "0")
    assert run_cli(["rebuild", "--source", str(source)]) == 2
    assert "POSTINGS_EMBED_BATCH_SIZE" in capsys.readouterr().err


def test_cli_exits_130_on_ctrl_c_and_keeps_the_index(source, tmp_path, capsys):
    index = str(tmp_path / "idx")
    assert run_cli(["rebuild", "--source", str(source), "--chroma-path", index]) == 0
    (source / "pine-nurse.txt").write_text(POSTINGS["pine-nurse.txt"] + "\nNight differential: 15%.\n")
    code = run_cli(["rebuild", "--source", str(source), "--chroma-path", index],
                   embedder=CountingEmbedder(fail_after_calls=0, error=KeyboardInterrupt()))
    assert code == 130
    assert "interrupted" in capsys.readouterr().err
    settings = load_settings(chroma_path=tmp_path / "idx")
    store = IndexStore.open(settings)
    try:
        assert store.read_manifest().generation == 1
    finally:
        store.close()


def never_load():
    raise AssertionError("the model was loaded")


def test_a_cli_rebuild_with_nothing_to_embed_does_not_load_the_model(source, tmp_path):
    index = str(tmp_path / "idx")
    assert run_cli(["rebuild", "--source", str(source), "--chroma-path", index]) == 0
    lazy = LazyEmbedder(never_load, CountingEmbedder().name, 384, 256)
    assert run_cli(["rebuild", "--source", str(source), "--chroma-path", index], embedder=lazy) == 0
    assert not lazy.loaded


def test_the_cli_model_loads_only_when_used(tmp_path):
    embedder = cli.real_embedder(load_settings(chroma_path=tmp_path / "idx"))
    assert isinstance(embedder, LazyEmbedder) and not embedder.loaded


@pytest.mark.slow
def test_the_real_model_indexes_and_finds_postings_end_to_end(settings, store):
    from index.chunking import embedding_text
    from index.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(batch_size=8)
    summary = rebuild(settings, embedder, store)
    assert summary.ok and summary.added == 3
    manifest = store.read_manifest()
    assert manifest.model == "all-MiniLM-L6-v2" and manifest.dim == 384
    postings = {p.id: p for p in store.read_postings(manifest)}
    chunks, vectors = store.read_chunks(manifest)
    assert vectors.shape == (summary.chunks_total, 384)
    from index.models import Chunk

    for c in chunks:  # what was embedded fits the model: nothing was silently cut
        text = embedding_text(postings[c.posting_id], Chunk(c.posting_id, c.index, c.text, c.section))
        assert embedder.count_tokens(text) <= 254
    question = embedder.embed_query("night shift nurse pay per hour")
    best = chunks[int(np.argmax(vectors @ question))]
    assert postings[best.posting_id].title == "Registered Nurse (Nights)"
    hit_id, similarity = store.query(question, 1)[0]
    assert hit_id.split("::")[0] == best.posting_id and 0.2 < similarity <= 1.0


# --- the extraction report: postings whose text speaks of a fact the extractor did not read

GAP_POSTING = (
    "Title: Kiln Technician\nCompany: Furnacewood Ceramics\nLocation: Stoke, UK\n\n"
    "Furnacewood Ceramics fires tableware for restaurants.\n"
    "Remuneration: to be agreed at interview, in line with the market.\n"
    "You bring several years around industrial kilns.\n"
)


def test_the_summary_lists_postings_with_a_cue_but_no_value(settings, store, source):
    (source / "furnace-kiln.txt").write_text(GAP_POSTING)
    summary = rebuild(settings, CountingEmbedder(), store)
    assert summary.ok
    assert summary.extraction_gaps.get("salary") == ["furnace-kiln"]
    assert summary.extraction_gaps.get("experience_years") == ["furnace-kiln"]
    assert "degree" not in summary.extraction_gaps  # no posting speaks of a degree without one being read
    assert "a cue but no value: salary 1 (furnace-kiln)" in summary.line()
    assert json.loads(summary.to_json())["extraction_gaps"]["salary"] == ["furnace-kiln"]


def test_unchanged_postings_keep_their_gaps_from_the_last_report(settings, store, source):
    (source / "furnace-kiln.txt").write_text(GAP_POSTING)
    first = rebuild(settings, CountingEmbedder(), store)
    store.write_rebuild_report(json.loads(first.to_json()))  # what the command line records
    again = rebuild(settings, CountingEmbedder(), store)
    assert again.unchanged == 4 and again.extraction_gaps == first.extraction_gaps
    (source / "furnace-kiln.txt").unlink()
    store.write_rebuild_report(json.loads(again.to_json()))
    assert rebuild(settings, CountingEmbedder(), store).extraction_gaps == {}


def test_the_cli_json_summary_has_the_extraction_gaps(settings, source, tmp_path, capsys):
    (source / "furnace-kiln.txt").write_text(GAP_POSTING)
    code = cli.main(["rebuild", "--json", "--source", str(source), "--chroma-path", str(tmp_path / "gaps")],
                    embedder_factory=lambda _s: HashingEmbedder())
    assert code == 0
    assert json.loads(capsys.readouterr().out)["extraction_gaps"]["salary"] == ["furnace-kiln"]


# ---------------------------------------------------------------- what the rebuild tells schedulers and operators


def test_a_name_with_a_newline_cannot_forge_a_line_of_the_text_summary(source, tmp_path, capsys):
    (source / "bad\npostings: 99 added, 0 updated, 0 removed.txt").write_bytes(b"")  # empty: reported by name
    code = run_cli(["rebuild", "--source", str(source), "--chroma-path", str(tmp_path / "idx")])
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).splitlines()
    assert code == 0
    assert not any(line.startswith("postings: 99") for line in lines)
    [skipped] = [line for line in lines if line.startswith("skipped: ")]
    assert '\\npostings: 99 added' in skipped and skipped.endswith(": empty file")


def test_a_rebuild_refused_because_another_runs_exits_75_and_records_no_failure(source, tmp_path, capsys,
                                                                                 monkeypatch):
    path = tmp_path / "idx"
    assert run_cli(["rebuild", "--source", str(source), "--chroma-path", str(path)]) == 0
    monkeypatch.setenv("POSTINGS_CHROMA_PATH", str(path))
    with _rebuild_lock(load_settings()) as held:
        assert held
        code = run_cli(["rebuild", "--source", str(source), "--chroma-path", str(path)])
    assert code == 75
    assert "another rebuild" in capsys.readouterr().err
    store = IndexStore.open(load_settings())
    try:
        assert store.read_rebuild_report()["ok"] is True  # the last real outcome stays for /metrics
    finally:
        store.close()


def test_a_good_folder_and_a_missing_one_refuse_the_rebuild_and_keep_the_index(settings, store, source, tmp_path):
    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    (source / "tin-accountant.txt").unlink()
    both = settings.model_copy(update={"source_dirs": [source, tmp_path / "typo"]})
    summary = rebuild(both, CountingEmbedder(), store)
    assert not summary.ok and "typo" in summary.error and "previous index is kept" in summary.error
    assert snapshot(store) == before  # the missing folder's postings (and every other change) wait for a fix


def test_the_readme_says_what_the_rebuild_does_with_a_missing_folder():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    paragraph = " ".join(readme.split())
    assert "a missing folder — is reported" not in paragraph  # it is not skipped: the whole rebuild is refused
    assert "a source folder that does not exist refuses the whole rebuild" in paragraph.lower()


def test_a_posting_over_the_chunk_cap_is_cut_and_reported_by_id(settings, store, source):
    duties = "\n".join(f"Duty number {i}: file the forms of desk {i}." for i in range(400))
    (source / "huge-posting.txt").write_text("Title: Data Clerk\nCompany: Acme\n\n" + duties)
    capped = settings.model_copy(update={"max_chunks_per_posting": 5})
    summary = rebuild(capped, CountingEmbedder(), store)
    assert summary.ok and summary.added == 4
    heads = store.posting_heads(store.read_manifest().postings)
    assert heads["huge-posting"]["chunks"] == 5
    [cut] = [p for p in summary.problems if "huge-posting" in p]
    assert "cut" in cut and "5 chunks" in cut
    assert summary.skipped == 0  # cut, not skipped


def test_links_out_of_a_source_folder_are_followed_only_when_the_setting_says_so(settings, store, source, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text(POSTINGS["pine-nurse.txt"].replace("Pinewhistle", "Farwater"))
    (source / "linked.txt").symlink_to(outside)
    summary = rebuild(settings, CountingEmbedder(), store)
    assert summary.added == 3 and any("outside the source folder" in p for p in summary.problems)
    summary = rebuild(settings.model_copy(update={"follow_symlinks": True}), CountingEmbedder(), store)
    assert summary.added == 1 and "linked" in store.read_manifest().postings


def test_a_new_file_whose_name_makes_a_taken_id_gets_its_own_and_the_old_posting_keeps_its(settings, store, source):
    (source / "acme").mkdir()
    (source / "acme" / "python.txt").write_text(POSTINGS["acme-python.txt"])
    (source / "acme-python.txt").unlink()
    rebuild(settings, CountingEmbedder(), store)
    (source / "acme-python.txt").write_text(POSTINGS["acme-python.txt"].replace("Acme Robotics", "Acme Drones"))
    summary = rebuild(settings, CountingEmbedder(), store)  # the new root file is walked first, yet:
    assert summary.ok and summary.added == 1 and summary.unchanged == 3 and summary.updated == 0
    postings = store.read_postings(store.read_manifest())
    assert {p.id: p.source for p in postings}["acme-python"] == str(source / "acme" / "python.txt")


# --- fact extraction in a worker process (index/prepare.py), overlapping chunking, embedding and writing

needs_fork = pytest.mark.skipif(not __import__("index.prepare").prepare.FORK,
                                reason="the extraction worker is forked, which this platform does not do")


def extract_in_a_worker(monkeypatch, tmp_path, fail_on: str | None = None, die_on: str | None = None) -> Path:
    """Make every rebuild extract facts in the worker, noting the pid of each extraction in a file (returned);
    the worker raises for posting `fail_on` and exits for `die_on`."""
    import index.prepare as prepare
    import index.rebuild as rebuild_module

    pids = tmp_path / "extracting-pids"
    real = prepare.extract_facts
    parent = os.getpid()

    def noting(posting):
        with pids.open("a") as handle:
            handle.write(f"{os.getpid()}\n")
        if posting.id == fail_on:
            raise ValueError("extractor bug")
        if posting.id == die_on and os.getpid() != parent:
            os._exit(3)
        return real(posting)

    monkeypatch.setattr(prepare, "extract_facts", noting)
    monkeypatch.setattr(rebuild_module, "use_worker", lambda postings, cpus: True)
    return pids


def same_index_elsewhere(settings, tmp_path, name: str):
    other = settings.model_copy(update={"chroma_path": tmp_path / name})
    return other, IndexStore.open(other)


def readable(snap):
    manifest, postings, chunks, vectors = snap
    return manifest.postings, [json.dumps(p.facts, default=str, sort_keys=True) for p in postings], chunks, vectors


@needs_fork
def test_facts_extracted_in_a_worker_process_make_the_same_index_as_inline(settings, store, tmp_path, monkeypatch):
    rebuild(settings, CountingEmbedder(), store)
    inline = snapshot(store)
    pids = extract_in_a_worker(monkeypatch, tmp_path)
    other_settings, other = same_index_elsewhere(settings, tmp_path, "chroma-worker")
    try:
        summary = rebuild(other_settings, CountingEmbedder(), other)
        assert summary.ok and summary.added == 3
        assert readable(snapshot(other)) == readable(inline)  # same ids, chunk order, facts and vectors
    finally:
        other.close()
    assert {int(p) for p in pids.read_text().split()} - {os.getpid()}  # extracted in another process
    assert not __import__("multiprocessing").active_children()


@needs_fork
def test_a_posting_whose_extraction_fails_in_the_worker_is_reported_and_the_rest_indexed(settings, store, tmp_path,
                                                                                         monkeypatch):
    extract_in_a_worker(monkeypatch, tmp_path, fail_on="pine-nurse")
    summary = rebuild(settings, CountingEmbedder(), store)
    assert summary.ok and summary.added == 2 and summary.skipped == 1
    assert "fact extraction failed (ValueError)" in summary.problems[0]
    assert sorted(store.read_manifest().postings) == ["acme-python", "tin-accountant"]


@needs_fork
def test_when_the_worker_dies_the_rest_is_extracted_inline(settings, store, tmp_path, monkeypatch):
    rebuild(settings, CountingEmbedder(), store)
    inline = snapshot(store)
    extract_in_a_worker(monkeypatch, tmp_path, die_on="pine-nurse")
    other_settings, other = same_index_elsewhere(settings, tmp_path, "chroma-died")
    try:
        summary = rebuild(other_settings, CountingEmbedder(), other)
        assert summary.ok and summary.added == 3 and not summary.problems
        assert readable(snapshot(other)) == readable(inline)
    finally:
        other.close()


@needs_fork
def test_a_failing_writer_thread_with_the_worker_running_keeps_the_previous_index(settings, store, source,
                                                                                  tmp_path, monkeypatch):
    import multiprocessing

    import index.rebuild as rebuild_module

    rebuild(settings, CountingEmbedder(), store)
    before = snapshot(store)
    extract_in_a_worker(monkeypatch, tmp_path)
    monkeypatch.setattr(rebuild_module, "overlap_writes", lambda settings: True)
    monkeypatch.setattr(rebuild_module, "OVERLAP_GROUP_CHUNKS", 1)  # one posting per group: three writes
    for name, text in POSTINGS.items():
        (source / name).write_text(text + "\nApply by June 1.\n")
    with pytest.raises(StoreUnavailable, match="disk full"):
        rebuild(settings, CountingEmbedder(), SecondWriteFailingStore(store.client, store.prefix))
    assert snapshot(store) == before
    assert not writer_threads() and not multiprocessing.active_children()


def _slow_batch_noting_the_process(postings):
    """extract_batch, slowed down in a worker process, each result marked with the process that made it."""
    import time

    from index.prepare import extract_one

    if os.getpid() != _TEST_PROCESS:
        time.sleep(0.15)
    return [_noted(extract_one(p)) for p in postings]


def _noted(extracted):
    extracted.detail = str(os.getpid())
    return extracted


_TEST_PROCESS = os.getpid()


@needs_fork
def test_while_the_caller_waits_for_the_worker_it_extracts_queued_batches_and_the_order_holds(monkeypatch):
    import index.prepare as prepare
    from index.extract import extract_facts
    from index.models import Posting

    monkeypatch.setattr(prepare, "extract_batch", _slow_batch_noting_the_process)
    postings = [Posting(id=f"p{i}", title="Night Baker", company="Crumb & Co",
                        text=f"Bake bread overnight. Pay is ${18 + i % 5} an hour. {i} years of experience.")
                for i in range(prepare.BATCH_POSTINGS * 8)]
    with prepare.Extraction(postings, worker=True) as extraction:
        got = list(extraction)
    assert [e.posting_id for e in got] == [p.id for p in postings]
    assert [e.facts for e in got] == [extract_facts(p) for p in postings]
    makers = {e.detail for e in got}
    assert str(os.getpid()) in makers and len(makers) == 2  # both processes extracted
    assert got[0].detail != str(os.getpid())  # the first batch is the worker's


def test_the_model_embeds_a_group_before_the_rebuild_waits_for_its_facts(settings, store, monkeypatch):
    import index.rebuild as rebuild_module
    from index.prepare import Extraction

    events: list[str] = []

    class NotingExtraction(Extraction):
        def __iter__(self):
            for extracted in super().__iter__():
                events.append("facts")
                yield extracted

    class NotingEmbedder(CountingEmbedder):
        def embed_documents(self, texts):
            events.append("embed")
            return super().embed_documents(texts)

    monkeypatch.setattr(rebuild_module, "Extraction", NotingExtraction)
    summary = rebuild(settings, NotingEmbedder(), store)
    assert summary.ok and summary.added == 3
    assert events.index("embed") < events.index("facts")  # one group: all of it embedded, then its facts taken
    assert events.count("facts") == 3
