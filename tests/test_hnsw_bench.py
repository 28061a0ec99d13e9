"""Helpers of benchmarks/hnsw_recall.py and the sampling of benchmarks/rebuild_speed.py (no timing is asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, hnsw_recall, rebuild_speed  # noqa: E402
from index.embedder import HashingEmbedder  # noqa: E402
from index.models import Posting  # noqa: E402


def _originals() -> list[Posting]:
    return [
        Posting(id="201", title="Data Engineer", company="Quillmark Analytics", location="Austin, TX",
                text="Quillmark builds pipelines.\nYou write Python and SQL. Pay: $120,000 - $150,000 a year.",
                columns={"min_salary": 120000.0, "max_salary": 150000.0, "pay_period": "yearly"}),
        Posting(id="202", title="Registered Nurse", company="Fernhollow Health", location="Denver, CO",
                text="Fernhollow is hiring a nurse for nights.\n$38.50 an hour plus differentials.\nA BSN is preferred."),
        Posting(id="203", title="Warehouse Associate", company="", location="Reno, NV",
                text="Pick and pack orders. Lift up to 50 pounds. Work weekends when needed."),
    ]


# ---------------------------------------------------------------- exact top-k and recall


def test_top_k_is_best_first_with_ties_broken_by_position():
    scores = np.array([0.1, 0.9, 0.5, 0.9, 0.2], dtype=np.float32)
    assert hnsw_recall.top_k(scores, 3).tolist() == [1, 3, 2]
    assert hnsw_recall.top_k(scores, 10).tolist() == [1, 3, 2, 4, 0]


def test_recall_counts_the_share_of_the_exact_top_k_found():
    assert hnsw_recall.recall_at([4, 2, 9, 1], [2, 7, 4, 1], 2) == 0.5
    assert hnsw_recall.recall_at([4, 2, 9, 1], [2, 7, 4, 1], 4) == 0.75


def test_tolerant_recall_counts_a_row_that_ties_with_the_kth_best_as_found():
    scores = np.array([0.90, 0.80, 0.7995, 0.10])
    # exact top 2 is rows 0, 1; row 2 ties with row 1 within the tolerance, row 3 does not
    assert hnsw_recall.recall_at([0, 1], [0, 2], 2) == 0.5
    assert hnsw_recall.tolerant_recall_at(scores, [0, 1], [0, 2], 2) == 1.0
    assert hnsw_recall.tolerant_recall_at(scores, [0, 1], [0, 3], 2) == 0.5


# ---------------------------------------------------------------- the cache of real vectors


def test_the_signature_of_more_postings_extends_the_signature_of_the_first_ones():
    first, more = [["a", "b"], ["c"]], [["d"]]
    whole = hnsw_recall.texts_signature(first + more)
    assert hnsw_recall.texts_signature(more, hnsw_recall.texts_signature(first)) == whole
    assert hnsw_recall.texts_signature([["a", "b"], ["c"], ["e"]]) != whole
    assert hnsw_recall.texts_signature([["ab"], ["c"], ["d"]]) != whole  # text boundaries count


def test_the_vector_cache_is_reused_only_for_the_same_texts(tmp_path):
    texts = [["one posting, first chunk", "one posting, second chunk"], ["another posting"]]
    vectors = HashingEmbedder().embed_documents([t for ts in texts for t in ts])
    key = {"model": "hashing-384", "limit": 200}
    cache = hnsw_recall.VectorCache(tmp_path, key)
    cache.extend(texts[:1], vectors[:2])
    cache.extend(texts[1:], vectors[2:])

    again = hnsw_recall.VectorCache(tmp_path, key)
    again.load(lambda n: texts[:n])
    assert again.posting_chunks == [2, 1]
    assert np.array_equal(again.vectors, vectors)

    edited = [["one posting, first chunk", "one posting, edited"], ["another posting"]]
    stale = hnsw_recall.VectorCache(tmp_path, key)
    stale.load(lambda n: edited[:n])
    assert len(stale.vectors) == 0 and stale.posting_chunks == []

    other_model = hnsw_recall.VectorCache(tmp_path, {**key, "model": "another"})
    other_model.load(lambda n: texts[:n])
    assert len(other_model.vectors) == 0


def test_repeated_rows_keep_their_order_and_type():
    rows = np.arange(6, dtype=np.float32).reshape(3, 2)
    out = hnsw_recall.repeat_rows(rows, 7, np.float16)
    assert out.dtype == np.float16 and out.shape == (7, 2)
    assert out[:, 0].tolist() == [0, 2, 4, 0, 2, 4, 0]


# ---------------------------------------------------------------- Chroma's HNSW against the exact scan


def test_hnsw_on_a_few_rows_finds_the_exact_top_rows_and_reports_recall(tmp_path):
    rng = np.random.default_rng(5)  # distinct rows, so that no two scores tie
    vectors = rng.normal(size=(40, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = vectors[[3, 17, 29]] + 0.1 * rng.normal(size=(3, 16)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    scores = queries @ vectors.T
    truth = np.stack([hnsw_recall.top_k(s, len(vectors)) for s in scores])
    client = hnsw_recall.chroma_client(tmp_path / "chroma")
    collection, _ = hnsw_recall.build_collection(client, "bench", vectors, hnsw_recall.CHROMA_DEFAULT)
    point = hnsw_recall.hnsw_point(collection, queries, scores, truth, reps=1)
    assert collection.count() == len(vectors)
    assert point["recall@5"] == 1.0 and point["recall@10"] == 1.0
    assert point[f"recall@{hnsw_recall.DEPTH}"] == 1.0  # every row asked for, every row returned
    assert set(point["ms_top10"]) == {"p50", "p95", "mean"}


# ---------------------------------------------------------------- rebuild_speed's sample of a large corpus


def test_a_corpus_posting_made_alone_is_the_one_the_corpus_holds_at_that_place():
    originals = _originals()
    locations = sorted({p.location for p in originals if p.location})
    generated = list(corpus.generate(originals, 11, seed=0))
    for k in (0, 2, 3, 7, 10):
        alone = rebuild_speed.corpus_posting(originals, locations, k, seed=0)
        assert (alone.id, alone.title, alone.company, alone.text, alone.location, alone.columns) == (
            generated[k].id, generated[k].title, generated[k].company, generated[k].text, generated[k].location,
            generated[k].columns)


def test_the_sample_visits_each_posting_once_in_a_seeded_order():
    originals = _originals()
    ids = [p.id for p in rebuild_speed.sample_postings(originals, 9)]
    assert sorted(ids) == sorted(p.id for p in corpus.generate(originals, 9))
    assert ids == [p.id for p in rebuild_speed.sample_postings(originals, 9)]
    assert ids != [p.id for p in corpus.generate(originals, 9)]


def test_embedding_texts_stop_at_the_chunks_asked_for_and_carry_the_prefix():
    texts, seconds = rebuild_speed.embedding_texts(corpus.generate(_originals(), 30), HashingEmbedder(), 20, 7)
    assert len(texts) == 7 and seconds >= 0
    assert texts[0].startswith("Data Engineer — Quillmark Analytics. ")


def test_the_projected_ratio_adds_the_work_outside_the_model_to_it():
    assert round(rebuild_speed.projected_ratio(25.0, 3.9), 3) == 0.865
    assert rebuild_speed.projected_ratio(25.0, 0.0) == 1.0


def test_a_scale_build_record_gives_the_work_outside_the_model_and_a_bad_one_is_left_out(tmp_path, capsys):
    good = tmp_path / "scale-100" / "bench.json"
    good.parent.mkdir()
    good.write_text('{"signature": {"embedder": "hashing-384"}, '
                    '"build": {"postings": 100, "chunks": 400, "seconds": 2.0, "built_at": "2026-12-06T00:00:00Z"}}')
    model_built = tmp_path / "scale-50.json"
    model_built.write_text('{"signature": {"embedder": "all-MiniLM-L6-v2"}, '
                           '"build": {"postings": 50, "chunks": 160, "seconds": 9.0}}')
    broken = tmp_path / "broken.json"
    broken.write_text('{"build": ')
    hashing = [{"embed_seconds": 0.4, "chunks": 1000}]  # 0.4 ms a chunk in the hashing embedder itself
    builds = rebuild_speed.scale_builds([broken, model_built, good], hashing)
    assert [b["postings"] for b in builds] == [100]
    assert builds[0]["ms_per_chunk"] == 5.0 and builds[0]["outside_model_ms_per_chunk"] == 4.6
    assert "broken.json" in capsys.readouterr().out
