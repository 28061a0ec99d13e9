"""The next generation's catalog derived from the previous generation's snapshot: only new and changed postings are
read from the store, and the result is the catalog Catalog.from_store builds whole, field by field and answer by
answer. Anything that does not fit (no snapshot, another store or code, damaged or disagreeing files, too much
changed) builds the catalog whole instead."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from bot.answerer import Answerer
from bot.catalog import Catalog, KeywordTokenizer, _library_index, keyword_index, keyword_tokens
from bot.columns import TextColumn, TokenLists
from bot.engine import Engine
from bot.snapshot import Snapshots
from config import load_settings
from index.embedder import HashingEmbedder
from index.rebuild import rebuild
from index.store import IndexStore

from catalogs import answer_rows

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "postings"
EMBEDDER = HashingEmbedder()
IDENTITY = "incremental-test-store"

ADDED = (
    "Title: Quarry Data Analyst\nCompany: Quarrystone Freight\nLocation: Tulsa, OK\n\n"
    "Quarrystone Freight moves gravel and timber across the plains.\n"
    "Requirements:\n- Three years of SQL and dashboard work.\n- A Bachelor's degree in Statistics.\n"
    "Pay: $71,000 to $83,000 a year. This role is fully remote.\n"
)
CHANGED_FILE = "text/glowmoth-ios.txt"
REMOVED_FILE = "md/orchardline-intern.md"
APPENDED = "\nThe team ships a lighthouse-themed release every second Thursday.\n"
QUESTIONS = (
    "what does the Quarrystone data analyst role pay?",  # fact, about the added posting
    "which roles are remote?",  # list
    "roles in Oklahoma",  # list, by place
    "which roles pay over $70k?",  # list, by pay
    "which team ships a lighthouse-themed release?",  # general, words only the changed posting has
    "how many years of SQL does the analyst role want?",  # fact
    "what does the Orchardline internship offer?",  # about the removed posting
    "jobs that need Swift",  # general
)


class CountingStore:
    """A real index store that records which posting versions were read from it."""

    def __init__(self, store: IndexStore):
        self.store = store
        self.postings_read: list[str] = []
        self.chunk_postings_read: list[str] = []
        self.whole_reads = 0

    def __getattr__(self, name):
        return getattr(self.store, name)

    def read_postings(self, manifest):
        self.postings_read.extend(manifest.postings)
        return self.store.read_postings(manifest)

    def read_chunks(self, manifest):
        self.whole_reads += 1
        return self.store.read_chunks(manifest)

    def read_chunk_records(self, postings, dim):
        self.chunk_postings_read.extend(postings)
        return self.store.read_chunk_records(postings, dim)


def _rebuild(source: Path, chroma: Path) -> IndexStore:
    settings = load_settings(_env_file=None, chroma_path=chroma, source_dirs=str(source), snapshots=False)
    store = IndexStore.open(settings)
    summary = rebuild(settings, EMBEDDER, store)
    assert summary.ok, summary.error
    return store


@pytest.fixture(scope="module")
def generations(tmp_path_factory):
    """Generation 1 of a copy of the samples with its snapshot, then generation 2: one posting changed, one added,
    one removed. Returns (store, manifest 1, manifest 2, folder holding generation 1's snapshot)."""
    root = tmp_path_factory.mktemp("incremental")
    source = root / "postings"
    shutil.copytree(SAMPLES, source)
    store = _rebuild(source, root / "chroma")
    first = store.read_manifest()
    snaps = root / "snapshots"
    assert Snapshots(snaps, IDENTITY).prepare(store) is not None
    with open(source / CHANGED_FILE, "a", encoding="utf-8") as out:
        out.write(APPENDED)
    (source / "text" / "quarrystone-analyst.txt").write_text(ADDED, encoding="utf-8")
    (source / REMOVED_FILE).unlink()
    store = _rebuild(source, root / "chroma")
    second = store.read_manifest()
    assert second.generation == first.generation + 1
    return store, first, second, snaps


def _snapshots(generations, tmp_path) -> Snapshots:
    """A fresh copy of the folder holding generation 1's snapshot (a test may damage it)."""
    folder = tmp_path / "snaps"
    shutil.copytree(generations[3], folder)
    return Snapshots(folder, IDENTITY)


def _changed(first, second) -> set[str]:
    return {pid for pid, tag in second.postings.items() if first.postings.get(pid) != tag}


# ------------------------------------------------------------------------------------------------ comparing


def _bm25_columns(catalog) -> dict[str, tuple[bytes, bytes]]:
    """Each keyword's BM25 column (its chunks and their scores, as bytes): the index whatever its word numbers."""
    scores = catalog._bm25.scores
    out = {}
    for word, j in catalog._bm25_vocab.items():
        if j + 1 < len(scores["indptr"]):
            part = slice(int(scores["indptr"][j]), int(scores["indptr"][j + 1]))
            out[word] = (np.asarray(scores["indices"][part]).tobytes(), np.asarray(scores["data"][part]).tobytes())
    return out


def _same(a, b, where: str) -> None:
    """a and b hold the same values (arrays by value, objects by their fields, columns by their rows)."""
    if isinstance(a, (TextColumn, TokenLists)) or isinstance(b, (TextColumn, TokenLists)):
        assert list(a) == list(b), where
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype, where
        if a.dtype == object:
            assert a.tolist() == b.tolist(), where
        else:
            assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), where
    elif sparse.issparse(a):
        assert sparse.issparse(b) and a.shape == b.shape and (a != b).nnz == 0, where
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for key in a:
            _same(a[key], b[key], f"{where}[{key!r}]")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
    elif hasattr(a, "__dict__") and not isinstance(a, type):
        assert type(a) is type(b), where
        _same(vars(a), vars(b), where)
    else:
        assert a == b, where


def assert_same_catalog(derived: Catalog, whole: Catalog) -> None:
    assert vars(derived).keys() == vars(whole).keys()
    assert [p.plain() for p in derived.postings] == [p.plain() for p in whole.postings]
    assert list(derived.chunk_texts) == list(whole.chunk_texts)
    assert list(derived.chunk_ids) == list(whole.chunk_ids)
    np.testing.assert_array_equal(derived.chunk_posting, whole.chunk_posting)
    assert derived.vectors.dtype == whole.vectors.dtype
    np.testing.assert_array_equal(np.asarray(derived.vectors), np.asarray(whole.vectors))
    assert list(derived.keywords) == list(whole.keywords)
    assert derived._bm25_vocab.keys() == whole._bm25_vocab.keys()
    assert _bm25_columns(derived) == _bm25_columns(whole)
    assert dict(derived.by_id) == dict(whole.by_id)
    heavy = {"postings", "chunk_texts", "chunk_ids", "chunk_posting", "vectors", "keywords", "_bm25", "_bm25_vocab",
             "by_id"}
    for name in vars(whole).keys() - heavy:  # fact arrays, places, mention index, listing fields
        _same(getattr(derived, name), getattr(whole, name), name)
    for words in (["swift"], ["sql", "dashboard"], ["lighthouse", "release"], ["nurse"], ["python", "kubernetes"]):
        np.testing.assert_array_equal(derived.keyword_scores(words), whole.keyword_scores(words))


def _answers(catalog: Catalog) -> list[tuple]:
    return answer_rows(Answerer(catalog, EMBEDDER).ask, QUESTIONS)


# ------------------------------------------------------------------------------------------------ deriving


def test_the_derived_catalog_is_the_whole_catalog_field_by_field_and_answers_the_same(generations, tmp_path):
    store, first, second, _snaps = generations
    counting = CountingStore(store)
    derived = _snapshots(generations, tmp_path).derive(counting, second)
    assert derived is not None
    whole = Catalog.from_store(store, second)
    changed = _changed(first, second)
    assert len(changed) == 2 and len(first.postings.keys() - second.postings.keys()) == 1  # changed + added; removed
    assert sorted(counting.postings_read) == sorted(counting.chunk_postings_read) == sorted(changed)
    assert counting.whole_reads == 0
    assert_same_catalog(derived, whole)
    reference = _answers(whole)
    assert _answers(derived) == reference
    assert any("Quarrystone" in text for _status, text, _ids, _evidence in reference)  # the added posting is found


def test_the_snapshot_written_after_a_small_change_is_derived_and_loads_as_the_whole_catalog(generations, tmp_path):
    store, first, second, _snaps = generations
    snapshots = _snapshots(generations, tmp_path)
    counting = CountingStore(store)
    path = snapshots.prepare(counting)
    assert path is not None and path.name == snapshots.key(second).name
    assert sorted(counting.postings_read) == sorted(_changed(first, second)) and counting.whole_reads == 0
    loaded = snapshots.load(second)
    whole = Catalog.from_store(store, second)
    assert_same_catalog(loaded, whole)
    # a catalog derived from the derived snapshot (nothing changed since) is the whole one too
    again = snapshots.derive(CountingStore(store), second)
    assert again is not None
    assert_same_catalog(again, whole)
    assert _answers(loaded) == _answers(whole) == _answers(again)


def test_a_replica_that_sees_a_new_generation_derives_its_catalog_from_its_snapshot(generations, tmp_path):
    store, first, second, _snaps = generations
    snapshots = _snapshots(generations, tmp_path)
    counting = CountingStore(store)
    engine = Engine(counting, EMBEDDER, reload_interval=0, snapshots=snapshots)  # generation 2: no snapshot yet
    assert counting.whole_reads == 0 and sorted(counting.postings_read) == sorted(_changed(first, second))
    assert isinstance(engine.catalog().vectors, np.memmap)  # then answered from the snapshot it wrote
    assert (snapshots.folder / snapshots.key(second).name).is_dir()
    plain = Engine(store, EMBEDDER, reload_interval=0)
    for question in QUESTIONS:
        mine, theirs = engine.ask(question), plain.ask(question)
        assert (mine.status, mine.text, [p.id for p in mine.postings]) == (
            theirs.status, theirs.text, [p.id for p in theirs.postings])


# ------------------------------------------------------------------------------------------------ falling back


def test_without_a_previous_snapshot_the_catalog_is_built_whole(generations, tmp_path):
    store, _first, second, _snaps = generations
    snapshots = Snapshots(tmp_path / "empty", IDENTITY)
    counting = CountingStore(store)
    assert snapshots.derive(counting, second) is None
    assert counting.postings_read == [] and counting.whole_reads == 0
    built = snapshots.build(counting, second)
    assert counting.whole_reads == 1
    assert_same_catalog(built, Catalog.from_store(store, second))


def test_a_snapshot_of_another_store_or_other_code_is_not_derived_from(generations, tmp_path, monkeypatch):
    store, _first, second, _snaps = generations
    snapshots = _snapshots(generations, tmp_path)
    assert Snapshots(snapshots.folder, "another-store").derive(CountingStore(store), second) is None
    import bot.snapshot as snapshot_module

    monkeypatch.setattr(snapshot_module, "code_fingerprint", lambda: "0123456789abcdef")
    assert snapshots.derive(CountingStore(store), second) is None


def test_another_model_or_most_postings_changed_builds_whole(generations, tmp_path):
    store, _first, second, _snaps = generations
    snapshots = _snapshots(generations, tmp_path)
    other_model = copy.deepcopy(second)
    other_model.model = "another-model"
    counting = CountingStore(store)
    assert snapshots.derive(counting, other_model) is None
    most_changed = copy.deepcopy(second)
    for pid in sorted(most_changed.postings)[: len(most_changed.postings) // 2 + 1]:
        most_changed.postings[pid] = "000000000000-g99"
    assert snapshots.derive(counting, most_changed) is None
    assert counting.postings_read == [] and counting.chunk_postings_read == []


def _gen1_folder(snapshots: Snapshots) -> Path:
    [folder] = snapshots.folder.glob("gen*")
    return folder


@pytest.mark.parametrize("damage", ["keywords out of vocabulary", "keywords removed", "chunk ids of another version",
                                    "truncated vectors", "manifest of another generation"])
def test_a_damaged_or_disagreeing_snapshot_is_not_derived_from_and_the_whole_build_is_saved(generations, tmp_path,
                                                                                              damage):
    store, _first, second, _snaps = generations
    snapshots = _snapshots(generations, tmp_path)
    folder = _gen1_folder(snapshots)
    if damage == "keywords out of vocabulary":
        ids = np.load(folder / "keywords" / "ids.npy")
        ids[len(ids) // 2] = 10 ** 6  # same size: only reading the numbers tells
        np.save(folder / "keywords" / "ids.npy", ids)
    elif damage == "keywords removed":
        shutil.rmtree(folder / "keywords")
    elif damage == "chunk ids of another version":
        text = (folder / "chunk_ids.txt").read_text()
        (folder / "chunk_ids.txt").write_text(text.replace("-g1::", "-g7::"))  # same size, another tag
    elif damage == "truncated vectors":
        data = (folder / "vectors.npy").read_bytes()
        (folder / "vectors.npy").write_bytes(data[: len(data) // 2])
    else:
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["generation"] += 5
        (folder / "manifest.json").write_text(json.dumps(manifest))
    counting = CountingStore(store)
    assert snapshots.derive(counting, second) is None
    path = snapshots.prepare(counting)
    assert path is not None and counting.whole_reads == 1
    assert_same_catalog(snapshots.load(second), Catalog.from_store(store, second))


# ------------------------------------------------------------------------------------------------ the parts


VARIED = (
    "Senior C# and C++ engineers: Node.js, ASP.NET & Vue.js; O'Neil's team at Acme.io.",
    "Über-cool Café in Zürich für Köln — naïve résumés, façade, Straße, ΟΔΟΣ, İstanbul.",
    "The nurses' station isn't staffed; Sales teams' quotas. Analysis; bus; status; is; glass.",
    "工程师 and データ — mixed scripts, numbers 401(k), 3.5%, $120,000/yr, U.S.-based, e-mail, on-call.",
    "under_score snake_case __init__ words…   tabs\tand\nnew lines; “curly” ‘quotes’ and the company’s plans",
    "", "   ", "&&& ### +++ ...", "A a AN an The THE remote Remote REMOTE salaries Salary engineers Engineer’s",
)


def test_the_build_tokenizer_gives_the_same_keyword_tokens_as_keyword_tokens():
    tokens = KeywordTokenizer()
    for _round in range(2):  # the second round reads every word from the tokenizer's memo
        for text in VARIED:
            assert tokens(text) == keyword_tokens(text), text
    assert tokens(" ".join(VARIED)) == keyword_tokens(" ".join(VARIED))
    texts = [*VARIED, " ".join(VARIED), *reversed(VARIED)]
    assert list(KeywordTokenizer().token_lists(texts)) == [keyword_tokens(text) for text in texts]
    assert list(tokens.token_lists([])) == []


def test_the_keyword_index_equals_the_one_bm25s_builds_bit_for_bit():
    tokens = KeywordTokenizer()
    lists = [tokens(text) for text in VARIED] + [["python"] * 7 + ["go"], [], ["go", "rust", "go"]]
    built = TokenLists.build(lists)
    derived = TokenLists.build([["unused", "words"]]).extended(lists).select(np.arange(1, len(lists) + 1))
    reference = _library_index(built)
    for keywords in (built, derived):
        index = keyword_index(keywords)
        assert index.vocab_dict.keys() == reference.vocab_dict.keys()  # "unused" is not in the index
        assert index.scores["num_docs"] == reference.scores["num_docs"]
        for word, j in reference.vocab_dict.items():
            if word == "":
                continue
            k = index.vocab_dict[word]
            mine = slice(int(index.scores["indptr"][k]), int(index.scores["indptr"][k + 1]))
            theirs = slice(int(reference.scores["indptr"][j]), int(reference.scores["indptr"][j + 1]))
            assert index.scores["indices"][mine].tolist() == reference.scores["indices"][theirs].tolist(), word
            assert index.scores["data"][mine].tobytes() == reference.scores["data"][theirs].tobytes(), word
        for query in (["python"], ["go", "rust"], ["_"], ["c#", "c++", "zurich"], ["nurse"]):
            known = [w for w in query if w in index.vocab_dict]
            if known:
                np.testing.assert_array_equal(index.get_scores(known), reference.get_scores(known))
    assert keyword_index(TokenLists.build([])) is None


def test_token_lists_round_trip_extend_select_and_refuse_offsets_that_do_not_fit(tmp_path):
    lists = [["a", "b", "a"], [], ["c"], ["b", "d"]]
    built = TokenLists.build(lists)
    assert list(built) == lists and built.vocabulary == ["a", "b", "c", "d"]
    longer = built.extended([["e", "a"], []])
    assert list(longer) == lists + [["e", "a"], []] and longer.vocabulary == ["a", "b", "c", "d", "e"]
    assert list(longer.select(np.array([4, 0, 1, 3]))) == [["e", "a"], ["a", "b", "a"], [], ["b", "d"]]
    longer.save(tmp_path / "kw")
    opened = TokenLists.open(tmp_path / "kw")
    assert list(opened) == list(longer) and opened.valid()
    np.save(tmp_path / "kw" / "offsets.npy", np.array([0, 3, 2, 9], dtype=np.int64))
    with pytest.raises(ValueError):
        TokenLists.open(tmp_path / "kw")
    assert not TokenLists(["a"], np.array([0, 1], dtype=np.int32), np.array([0, 2])).valid()
    with pytest.raises(ValueError):
        TokenLists(["a", "a"], np.zeros(0, dtype=np.int32), np.zeros(1, dtype=np.int64)).extended([["b"]])


def test_a_catalog_given_its_keyword_tokens_equals_one_that_computes_them():
    from index.models import Posting

    postings = [Posting(id="p1", title="Data Engineers", company="Acme", text="Spark and Scala pipelines."),
                Posting(id="p2", title="Nurse", company="Pinecrest Care", text="Night shifts, RN license.")]
    texts = ["Spark and Scala pipelines.", "Night shifts.", "RN license.", "orphan chunk"]
    owners = ["p1", "p2", "p2", "gone"]
    vectors = EMBEDDER.embed_documents(texts)
    computed = Catalog(postings, owners, texts, vectors)
    given = [keyword_tokens(f"{postings[i].title} {postings[i].company} {t}") for i, t in zip([0, 1, 1], texts)]
    from_tokens = Catalog(postings, owners, texts, vectors, keywords=given + [["orphan", "chunk"]])
    assert list(computed.keywords) == given
    assert_same_catalog_small(from_tokens, computed)
    with pytest.raises(ValueError):
        Catalog(postings, owners, texts, vectors, keywords=given)  # one list short


def assert_same_catalog_small(a: Catalog, b: Catalog) -> None:
    assert list(a.keywords) == list(b.keywords) and _bm25_columns(a) == _bm25_columns(b)
    for words in (["spark"], ["nurse", "license"], ["engineer"]):
        np.testing.assert_array_equal(a.keyword_scores(words), b.keyword_scores(words))


def test_building_the_catalog_pauses_the_cyclic_collector_and_restores_it(generations, tmp_path):
    import gc

    store, _first, second, _snaps = generations
    snapshots = _snapshots(generations, tmp_path)
    seen = []

    class Watching(CountingStore):
        def read_postings(self, manifest):
            seen.append(gc.isenabled())
            return super().read_postings(manifest)

    assert gc.isenabled()
    snapshots.build(Watching(store), second)
    assert seen == [False] and gc.isenabled()
    gc.disable()  # as a replica's reload has it: left disabled
    try:
        snapshots.build(Watching(store), second)
        assert not gc.isenabled()
    finally:
        gc.enable()
