"""The catalog holds postings and the mention index as columns (bot/columns.py), not as a Python object per
posting: values are read when used, a question decodes only the postings it answers with, and the answers are
those of plain postings."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass

import numpy as np
import pytest

from bot.catalog import Catalog
from bot.columns import CACHE_SIZE, BytesColumn, IdIndex, PostingColumn, StoredPosting, TextColumn, TokenLists
from bot.engine import Engine
from bot.snapshot import Snapshots
from index.embedder import HashingEmbedder
from index.models import Fact, Posting, Salary

EMBEDDER = HashingEmbedder()
LANGUAGES = ("Python", "Go", "Rust", "Kotlin")
PLACES = ("Tulsa, OK", "Austin, TX", "Leipzig, Germany", "Remote", "")


def _posting(i: int) -> Posting:
    """Invented postings: 12 companies, titles from a few role words, places and languages in turn."""
    company = f"Quillmark {['Labs', 'Freight', 'Dental', 'Foods'][i % 4]} {i % 3}"
    title = ["Backend Engineer", "Dental Hygienist", "Forklift Operator", "Data Analyst", "Night Nurse"][i % 5]
    p = Posting(id=f"q{i}", title=title, company=company, text=f"{title} at {company}. Posting number {i}.",
                location=PLACES[i % len(PLACES)], url=f"https://example.invalid/{i}", source=f"jobs.csv#row{i}",
                columns={"row": i})
    p.facts.salary = Fact(Salary(40_000 + 1000 * i, 60_000 + 1000 * i), f"Pays ${40 + i}k", "column")
    p.facts.languages = [Fact(LANGUAGES[i % len(LANGUAGES)], f"uses {LANGUAGES[i % len(LANGUAGES)]}", "text")]
    if i % 7 == 0:
        p.facts.remote = Fact("remote", "Fully remote.", "text")
    return p


POSTINGS = [_posting(i) for i in range(60)]


def _catalog(postings=POSTINGS) -> Catalog:
    texts = [p.text for p in postings]
    return Catalog(postings, [p.id for p in postings], texts, EMBEDDER.embed_documents(texts))


def test_text_and_byte_columns_round_trip_in_memory_and_on_disk(tmp_path):
    strings = ["", "Zürich — 50 000 €", "工程师", "\ud800 lone surrogate", "plain"]
    in_memory = TextColumn.of(strings)
    assert list(in_memory) == strings and in_memory[-1] == "plain" and in_memory[1:3] == strings[1:3]
    in_memory.save(tmp_path / "text")
    assert list(TextColumn.open(tmp_path / "text")) == strings
    blobs = [b"", b"\x00\x01", b"abc"]
    BytesColumn.write(tmp_path / "bytes", blobs)
    assert list(BytesColumn.open(tmp_path / "bytes")) == blobs == list(BytesColumn.of(blobs))
    with pytest.raises(IndexError):
        in_memory[len(strings)]
    assert list(TextColumn.of([])) == [] and pickle.loads(pickle.dumps(in_memory)) == strings


def test_a_column_whose_offsets_do_not_fit_its_file_is_refused(tmp_path):
    TextColumn.write(tmp_path / "text", ["one", "two"])
    np.save(tmp_path / "text.offsets.npy", np.array([0, 5, 3], dtype=np.int64))
    with pytest.raises(ValueError):
        TextColumn.open(tmp_path / "text")


def test_a_posting_column_gives_back_every_field_of_every_posting(tmp_path):
    column = PostingColumn.of(POSTINGS)
    column.save(tmp_path / "postings")
    for postings in (column, PostingColumn.open(tmp_path / "postings")):
        assert len(postings) == len(POSTINGS)
        assert all(isinstance(p, StoredPosting) for p in postings)
        assert list(postings) == POSTINGS and postings[-1] == POSTINGS[-1] and postings[2:4] == POSTINGS[2:4]
        assert [p.facts for p in postings] == [p.facts for p in POSTINGS]
        assert [p.columns for p in postings] == [p.columns for p in POSTINGS]
        assert list(postings.column("title")) == [p.title for p in POSTINGS]


def test_a_stored_posting_decodes_its_facts_only_when_they_are_read():
    column = PostingColumn.of(POSTINGS)
    labels = [f"{p.title} at {p.company}" for p in column]
    assert len(labels) == len(POSTINGS) and column.decoded == 0  # names are columns of their own
    assert column[5].facts.salary.value.min == 45_000 and column.decoded == 1
    assert column[5].url and column.decoded == 1  # one decode gives every pickled field
    assert column[5] is column[5]  # read again: the same (cached) posting


def test_a_stored_posting_keeps_what_is_set_on_it_and_copies_as_a_plain_posting():
    stored = PostingColumn.of(POSTINGS)[3]
    stored.title = "Renamed"
    stored.facts = copy.deepcopy(POSTINGS[0].facts)
    assert stored.title == "Renamed" and stored.facts == POSTINGS[0].facts and stored != POSTINGS[3]
    plain = copy.copy(stored)
    assert type(plain) is Posting and plain.title == "Renamed"
    assert type(pickle.loads(pickle.dumps(stored))) is Posting


def test_reading_more_postings_than_the_cache_holds_keeps_it_bounded():
    column = PostingColumn.of([_posting(i) for i in range(CACHE_SIZE + 10)])
    assert [p.id for p in column][-1] == f"q{CACHE_SIZE + 9}"
    assert len(column._cache) <= CACHE_SIZE


def test_token_lists_give_each_row_its_words_in_order():
    rows = [["data", "analyst"], [], ["night", "nurse", "night"]]
    vocabulary = sorted({w for r in rows for w in r})
    lists = TokenLists.of(rows, vocabulary, {w: i for i, w in enumerate(vocabulary)})
    assert list(lists) == rows and lists[-1] == rows[-1] and len(lists) == 3


def test_a_catalog_holds_no_posting_objects_and_its_arrays_match_the_postings():
    catalog = _catalog()
    assert isinstance(catalog.postings, PostingColumn) and isinstance(catalog.chunk_texts, TextColumn)
    assert list(catalog.postings) == POSTINGS
    assert [catalog.where[i] for i in range(len(POSTINGS))] == list(catalog.where)
    assert [w.state for w in catalog.where] == list(catalog.state_str)
    assert list(catalog.location_lower) == [p.location.lower() for p in POSTINGS]
    m = catalog.mentions
    assert m.title_tokens[1] == ["dental", "hygienist"] and len(m.company_tokens) == len(POSTINGS)
    same = m.same_company(0)
    assert same == sorted(same) and 0 in same
    assert all(m.company_tokens[i] == m.company_tokens[0] for i in same)
    assert all(m.company_tokens[i] != m.company_tokens[0] for i in set(range(len(POSTINGS))) - set(same))


QUESTIONS = ("which roles want Rust?", "what does the Quillmark Dental 2 hygienist role pay?",
             "remote roles over $50k", "forklift jobs in Texas", "how many Go roles are there?",
             "who works with patients at night?")


def _answers(answerer) -> list[tuple]:
    out = []
    for question in QUESTIONS:
        a = answerer.ask(question)
        out.append((a.status, a.text, [p.id for p in a.postings], [(e.posting_id, e.text) for e in a.evidence]))
    return out


def test_questions_decode_only_the_postings_they_answer_with():
    from bot.answerer import Answerer

    catalog = _catalog()
    answerer = Answerer(catalog, EMBEDDER)
    catalog.postings.decoded = 0
    catalog.postings._cache.clear()
    answers = _answers(answerer)
    answered = {pid for _s, _t, ids, _e in answers for pid in ids}
    assert catalog.postings.decoded <= len(answered) < len(POSTINGS)


def test_a_catalog_of_columns_answers_as_one_of_plain_postings_and_so_does_its_snapshot(tmp_path):
    from bot.answerer import Answerer

    @dataclass
    class StoredChunk:
        id: str
        posting_id: str
        text: str

    class Store:  # the smallest store an Engine reads: one manifest, these postings
        def read_manifest(self):
            from index.store import Manifest

            return Manifest(generation=1, built_at="2026-01-01T00:00:00Z", model="hashing", dim=EMBEDDER.dim,
                            postings={p.id: "t" for p in POSTINGS})

        def read_postings(self, _manifest):
            return copy.deepcopy(POSTINGS)

        def read_chunks(self, _manifest):
            chunks = [StoredChunk(f"{p.id}::0", p.id, p.text) for p in POSTINGS]
            return chunks, EMBEDDER.embed_documents([c.text for c in chunks])

    reference = _answers(Answerer(_catalog(), EMBEDDER))
    first = Engine(Store(), EMBEDDER, reload_interval=0, snapshots=Snapshots(tmp_path, "s"))
    second = Engine(Store(), EMBEDDER, reload_interval=0, snapshots=Snapshots(tmp_path, "s"))
    assert isinstance(second.catalog().vectors, np.memmap)  # from the snapshot
    assert _answers(first._current()) == reference == _answers(second._current())


def test_the_id_index_answers_as_a_dict_of_ids_to_rows_would():
    ids = ["a", "b", "a", "Zürich-1", ""] + [f"p{i}" for i in range(500)]
    index = IdIndex(TextColumn.of(ids))
    expected = {pid: row for row, pid in enumerate(ids)}  # the last row of an id wins
    assert dict(index) == {pid: expected[pid] for pid in index} and set(index) == set(expected)
    assert all(index[pid] == row for pid, row in expected.items()) and len(index) == len(expected)
    assert "missing" not in index and index.get("missing", -1) == -1 and index.get(None) is None
    with pytest.raises(KeyError):
        index["missing"]
    again = pickle.loads(pickle.dumps(index))
    again.ids = TextColumn.of(ids)
    assert all(again[pid] == row for pid, row in expected.items())
