"""The load memo: unchanged posting files and records are not parsed again, and what is loaded stays the same.

Also the manifest's chunk count, which lets an incremental rebuild read only the metadata of what it replaces.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import pickle
from dataclasses import asdict
from pathlib import Path

import pytest

from config import load_settings
from index import load_memo
from index.embedder import HashingEmbedder
from index.load_memo import LoadMemo
from index.loaders import load_postings
from index.rebuild import rebuild
from index.models import Posting
from index.store import IndexStore, Manifest

ROWS = [
    {"job_id": "r-1", "title": "Kiln Operator", "company_name": "Brackwater Ceramics", "location": "Stoke, UK",
     "description": "Run the tunnel kilns on the night shift. Pay is £14.20 an hour."},
    {"job_id": "r-2", "title": "Glaze Chemist", "company_name": "Brackwater Ceramics", "location": "Stoke, UK",
     "description": "Develop lead-free glazes. Three years of lab experience wanted."},
    {"job_id": "", "title": "Warehouse Lead", "company_name": "Fenlow Freight", "location": "Leeds, UK",
     "description": "Lead a team of twelve pickers across two shifts."},
    {"job_id": "r-4", "title": "No Text Here", "company_name": "Fenlow Freight", "location": "Leeds, UK",
     "description": ""},
]

NOTE = ("Title: Ferry Deckhand\nCompany: Gullrock Ferries\nLocation: Oban, Scotland\n\n"
        "Crew the morning sailings to the islands. A valid sea survival certificate is required.\n")


def write_csv(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def source(tmp_path) -> Path:
    folder = tmp_path / "postings"
    folder.mkdir()
    write_csv(folder / "export.csv", ROWS)
    (folder / "deckhand.txt").write_text(NOTE, encoding="utf-8")
    (folder / "notes.jsonl").write_text(
        json.dumps({"title": "Mobile Welder", "company": "Ironcleft", "description": "Weld on client sites."}) + "\n"
        + "{broken\n", encoding="utf-8")
    return folder


def loaded_view(result) -> list:
    """What a load gives the rebuild: every posting's fields, and every problem."""
    return [asdict(p) for p in result.postings], [(p.path, p.reason, p.row) for p in result.problems]


def test_a_second_load_of_unchanged_files_parses_none_of_them_and_loads_the_same(source, tmp_path):
    path = tmp_path / "memo.pickle"
    first = load_postings([source], memo=LoadMemo.open(path))
    memo = LoadMemo.open(path)
    second = load_postings([source], memo=memo)
    assert memo.file_hits == 3 and memo.misses == 0
    assert loaded_view(second) == loaded_view(first) == loaded_view(load_postings([source]))
    assert {p.id for p in second.postings} >= {"r-1", "r-2"} and len(second.problems) == 2  # no text; bad JSON line


def test_an_edited_row_is_the_only_record_mapped_again(source, tmp_path):
    path = tmp_path / "memo.pickle"
    load_postings([source], memo=LoadMemo.open(path))
    rows = [dict(r) for r in ROWS]
    rows[1]["description"] += " Four years is better."
    rows.insert(0, {"job_id": "r-0", "title": "Mould Maker", "company_name": "Brackwater Ceramics",
                    "location": "Stoke, UK", "description": "Make plaster moulds for new shapes."})
    write_csv(source / "export.csv", rows)
    memo = LoadMemo.open(path)
    result = load_postings([source], memo=memo)
    assert memo.file_hits == 2  # the text and JSONL files
    assert (memo.record_hits, memo.misses) == (3, 2)  # the new and the edited row
    assert loaded_view(result) == loaded_view(load_postings([source]))
    by_id = {p.id: p for p in result.postings}
    assert by_id["r-2"].text.endswith("Four years is better.") and by_id["r-1"].source.endswith("#row2")  # moved down a row


def test_postings_loaded_from_the_memo_are_fresh_objects(source, tmp_path):
    path = tmp_path / "memo.pickle"
    first = load_postings([source], memo=LoadMemo.open(path))
    for posting in first.postings:  # what the rebuild does to them: ids, facts, columns
        posting.id, posting.title = "changed", "changed"
        posting.columns["seen"] = True
    again = load_postings([source], memo=LoadMemo.open(path))
    assert "changed" not in {p.id for p in again.postings} and all("seen" not in p.columns for p in again.postings)


def test_the_same_record_in_two_files_gives_two_postings(source, tmp_path):
    (source / "copy.txt").write_text(NOTE, encoding="utf-8")
    result = load_postings([source], memo=LoadMemo.open(tmp_path / "memo.pickle"))
    copies = [p for p in result.postings if p.title == "Ferry Deckhand"]
    assert len(copies) == 2 and copies[0] is not copies[1] and len({p.id for p in copies}) == 2


def test_a_damaged_memo_is_ignored_with_a_warning_and_replaced(source, tmp_path, caplog):
    path = tmp_path / "memo.pickle"
    path.write_bytes(b"\x80\x05 not a pickle at all")
    with caplog.at_level(logging.WARNING, logger="index.load_memo"):
        memo = LoadMemo.open(path)
    assert "unusable" in caplog.text and str(path) in caplog.text
    result = load_postings([source], memo=memo)
    assert loaded_view(result) == loaded_view(load_postings([source]))
    assert LoadMemo.open(path)._old  # written anew


def test_a_memo_written_by_other_code_is_not_used(source, tmp_path, monkeypatch):
    path = tmp_path / "memo.pickle"
    load_postings([source], memo=LoadMemo.open(path))
    kept = pickle.loads(path.read_bytes())
    kept["code"] = "someone else's"
    path.write_bytes(pickle.dumps(kept))
    memo = LoadMemo.open(path)
    load_postings([source], memo=memo)
    assert memo.file_hits == memo.record_hits == 0


def test_the_memo_keeps_only_what_the_last_load_read(source, tmp_path):
    path = tmp_path / "memo.pickle"
    load_postings([source], memo=LoadMemo.open(path))
    size = len(LoadMemo.open(path)._old)
    for round_ in range(3):  # the text file changes each time: its old outcomes are dropped
        (source / "deckhand.txt").write_text(NOTE + f"Sailing season {round_}.\n", encoding="utf-8")
        load_postings([source], memo=LoadMemo.open(path))
    assert len(LoadMemo.open(path)._old) == size


def test_a_memo_that_cannot_be_written_only_warns(source, tmp_path, caplog):
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the memo's folder should be")
    with caplog.at_level(logging.WARNING, logger="index.load_memo"):
        result = load_postings([source], memo=LoadMemo.open(blocker / "memo.pickle"))
    assert len(result.postings) == 5 and "could not write the load memo" in caplog.text


def test_the_fingerprint_follows_the_index_code():
    assert len(load_memo.code_fingerprint()) == 32
    assert load_memo.code_fingerprint() == load_memo.code_fingerprint()


# ---------------------------------------------------------------- the rebuild with the memo and the chunk count

@pytest.fixture
def settings(tmp_path, source, monkeypatch):
    for name in list(os.environ):
        if name.startswith("POSTINGS_"):
            monkeypatch.delenv(name)
    return load_settings(source_dirs=[source], chroma_path=tmp_path / "chroma", collection_prefix="memo",
                         chunk_tokens=32)


def live_chunks(store: IndexStore) -> int:
    manifest = store.read_manifest()
    return sum(int(head["chunks"]) for head in store.posting_heads(manifest.postings).values())


def test_an_incremental_rebuild_counts_its_chunks_from_the_manifest_and_what_changed(settings, source):
    store = IndexStore.open(settings)
    try:
        first = rebuild(settings, HashingEmbedder(), store)
        assert settings.load_memo_file.exists()
        assert first.chunks_total == store.read_manifest().chunks == live_chunks(store)
        rows = [dict(r) for r in ROWS if r["title"] != "Warehouse Lead"]  # one removed
        rows[0]["description"] += " " + "Kiln safety training is given. " * 12  # one changed, longer
        write_csv(source / "export.csv", rows)
        (source / "welder.txt").write_text("Title: Pipe Welder\n\nWeld pipe runs for a refinery.\n")  # one added
        second = rebuild(settings, HashingEmbedder(), store)
        assert (second.added, second.updated, second.removed) == (1, 1, 1)
        assert second.chunks_total == store.read_manifest().chunks == live_chunks(store) != first.chunks_total
        assert store.stats()["chunks"] == second.chunks_total
    finally:
        store.close()


def test_a_manifest_without_a_chunk_count_is_counted_from_every_posting(settings, source):
    store = IndexStore.open(settings)
    try:
        rebuild(settings, HashingEmbedder(), store)
        old = store.read_manifest()
        store.write_manifest(Manifest(old.generation, old.built_at, old.model, old.dim, old.postings))  # as before
        (source / "deckhand.txt").write_text(NOTE + "Winter timetable from November.\n", encoding="utf-8")
        summary = rebuild(settings, HashingEmbedder(), store)
        assert summary.updated == 1 and summary.chunks_total == live_chunks(store) == store.read_manifest().chunks
    finally:
        store.close()


def test_a_rebuild_with_the_memo_lists_what_one_without_it_lists(settings, source, tmp_path):
    store = IndexStore.open(settings)
    try:
        rebuild(settings, HashingEmbedder(), store)
        (source / "deckhand.txt").write_text(NOTE.replace("morning", "evening"), encoding="utf-8")
        with_memo = rebuild(settings, HashingEmbedder(), store)
        manifest = store.read_manifest()
        settings.load_memo_file.unlink()
        without = rebuild(settings, HashingEmbedder(), store)
        assert with_memo.updated == 1 and without.unchanged == without.postings_total
        assert store.read_manifest().postings == manifest.postings
    finally:
        store.close()


def test_manifest_json_keeps_the_chunk_count_and_reads_one_without_it():
    with_count = Manifest(3, "2026-01-01T00:00:00Z", "m", 8, {"a": "t1"}, chunks=7)
    assert Manifest.from_json(with_count.to_json()) == with_count
    without = Manifest(3, "2026-01-01T00:00:00Z", "m", 8, {"a": "t1"})
    assert "chunks" not in json.loads(without.to_json()) and Manifest.from_json(without.to_json()).chunks is None


def test_the_memo_stays_beside_a_local_index_and_is_off_with_a_chroma_server_unless_placed(tmp_path):
    local = load_settings(_env_file=None, chroma_path=tmp_path / "chroma")
    assert local.load_memo_file == tmp_path / "chroma" / "load-memo.pickle"
    served = load_settings(_env_file=None, chroma_path=tmp_path / "chroma", chroma_url="http://127.0.0.1:8000")
    assert served.load_memo_file is None  # the rebuild host keeps nothing of a shared index
    placed = load_settings(_env_file=None, chroma_url="http://127.0.0.1:8000", load_memo_path=tmp_path / "memo.pickle")
    assert placed.load_memo_file == tmp_path / "memo.pickle"


def test_records_that_differ_in_any_value_or_its_type_have_different_keys():
    base = {"title": "Kiln Operator", "pay": 1, "remote": True, "tags": ["a", "b"], "extra": {"x": 1, "y": 2}}
    variants = [dict(base, pay="1"), dict(base, pay=1.0), dict(base, pay=True), dict(base, remote=1),
                dict(base, tags=["b", "a"]), dict(base, title="Kiln operator"), dict(base, pay=None),
                {k: v for k, v in base.items() if k != "extra"}]
    keys = {load_memo.record_key(r) for r in variants}
    assert len(keys) == len(variants) and load_memo.record_key(base) not in keys
    assert load_memo.record_key(dict(reversed(list(base.items())))) == load_memo.record_key(base)  # field order


def test_a_record_the_key_cannot_write_is_mapped_every_time():
    assert load_memo.record_key({"title": "Kiln Operator", "when": lambda: None}) is None
    assert load_memo.record_key({1: "a", "b": 2}) is None  # names that do not sort


def test_a_kept_posting_comes_back_as_a_fresh_posting_with_its_own_columns():
    posting = Posting(id="", title="Glaze Chemist", company="Brackwater", text="Develop glazes.",
                      location="Stoke", columns={"pay": "£30k"})
    first, second = (load_memo.posting_for(load_memo.kept(posting), f"/data/export.csv#row{r}") for r in (1, 2))
    first.columns["pay"] = "changed"
    assert second.columns == {"pay": "£30k"} and posting.columns == {"pay": "£30k"}
    assert (first.title, first.source, second.source) == ("Glaze Chemist", "/data/export.csv#row1",
                                                          "/data/export.csv#row2")


def test_a_posting_from_the_memo_carries_the_content_hash_its_fields_give(source, tmp_path):
    path = tmp_path / "memo.pickle"
    load_postings([source], memo=LoadMemo.open(path))
    again = load_postings([source], memo=LoadMemo.open(path))
    for posting in again.postings:
        fresh = Posting(**{name: value for name, value in asdict(posting).items() if name != "facts"})
        assert "_content_hash" in posting.__dict__ and posting.content_hash == fresh.content_hash
    assert len({p.content_hash for p in again.postings}) == len(again.postings)


def test_the_record_hash_follows_everything_stored_and_the_chunking_but_not_the_facts():
    from dataclasses import replace

    from index.models import Fact
    from index.rebuild import record_hash

    base = Posting(id="kiln-1", title="Kiln Operator", company="Brackwater", text="Run the kilns at night.",
                   location="Stoke", url="https://jobs.example/kiln", source="/data/a.csv#row2",
                   listed_at="2026-11-02", columns={"pay": "£14"})
    digest = record_hash(base, 200)
    changed = [replace(base, **{name: value}) for name, value in (
        ("id", "kiln-2"), ("title", "Kiln Lead"), ("company", "Fenlow"), ("text", "Run the kilns by day."),
        ("location", "Leeds"), ("url", "https://jobs.example/k"), ("source", "/data/b.csv#row2"),
        ("listed_at", "2026-11-03"), ("columns", {"pay": "£15"}))]
    assert all(record_hash(p, 200) != digest for p in changed)
    assert record_hash(base, 180) != digest and record_hash(base, 200, max_chunks=3) != digest
    with_facts = replace(base)
    with_facts.facts.remote = Fact("on-site", "On site only.")
    assert record_hash(with_facts, 200) == digest == record_hash(replace(base), 200)


def test_an_edited_json_lines_record_is_the_only_line_decoded_again_and_a_bad_line_stays_reported(tmp_path):
    folder = tmp_path / "postings"
    folder.mkdir()
    lines = [json.dumps({"id": "w-1", "title": "Mobile Welder", "company": "Ironcleft",
                         "description": "Weld on client sites."}),
             "[1, 2]",
             json.dumps({"id": "w-2", "title": "Pipe Fitter", "company": "Ironcleft",
                         "description": "Fit steam pipes in a hospital plant room."})]
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = tmp_path / "memo.pickle"
    load_postings([folder], memo=LoadMemo.open(path))
    lines[2] = lines[2].replace("hospital", "school")
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    memo = LoadMemo.open(path)
    result = load_postings([folder], memo=memo)
    assert (memo.file_hits, memo.record_hits, memo.misses) == (0, 2, 1)
    assert loaded_view(result) == loaded_view(load_postings([folder]))
    assert [(p.row, p.reason) for p in result.problems] == [(2, "not a JSON object (got a list)")]
    assert {p.id: p.text for p in result.postings}["w-2"].endswith("in a school plant room.")
