"""Embedders: the lazy model, its shape read without loading it, and word-piece counting."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from index.embedder import (
    DIM,
    MODEL_NAME,
    HashingEmbedder,
    LazyEmbedder,
    NumpyEmbedder,
    _splits_at_white_space_first,
    _word_piece_counter,
    default_model_path,
    lazy_query_embedder,
    lazy_sentence_transformer,
    model_shape,
    query_backend,
)


class Loads:
    """A model factory that counts how often it was called."""

    def __init__(self, model=None):
        self.model = model or HashingEmbedder()
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.model


def never_load():
    raise AssertionError("the model was loaded")


def test_a_lazy_embedder_knows_its_name_and_shape_without_loading():
    lazy = LazyEmbedder(never_load, "hashing-384", 384, 256)
    assert (lazy.name, lazy.dim, lazy.max_tokens, lazy.loaded) == ("hashing-384", 384, 256, False)


def test_a_lazy_embedder_loads_once_on_first_use_and_then_answers_like_the_model():
    load = Loads()
    lazy = LazyEmbedder(load, "hashing-384", 384, 256)
    text = "Senior Python engineer in Austin"
    assert lazy.count_tokens(text) == load.model.count_tokens(text)
    assert (lazy.embed_query(text) == load.model.embed_query(text)).all()
    assert (lazy.embed_documents([text, "nurse"]) == load.model.embed_documents([text, "nurse"])).all()
    assert lazy.count_tokens_batch([text, ""]) == [load.model.count_tokens(text), load.model.count_tokens("")]
    assert load.calls == 1 and lazy.loaded


def test_threads_asking_at_once_load_the_model_once():
    load = Loads()
    lazy = LazyEmbedder(load, "hashing-384", 384, 256)
    threads = [threading.Thread(target=lazy.count_tokens, args=("a b c",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert load.calls == 1


def test_a_loaded_model_of_another_shape_is_refused():
    lazy = LazyEmbedder(Loads(HashingEmbedder(dim=128)), "hashing-384", 384, 256)
    with pytest.raises(RuntimeError, match="not the expected"):
        lazy.embed_query("anything")
    assert not lazy.loaded


def test_the_installed_model_shape_is_read_from_its_files():
    assert model_shape() == (DIM, 256)


def test_the_cli_model_is_not_loaded_until_used():
    lazy = lazy_sentence_transformer()
    assert isinstance(lazy, LazyEmbedder) and not lazy.loaded
    assert (lazy.name, lazy.dim, lazy.max_tokens) == (MODEL_NAME, DIM, 256)


def _model_folder(tmp_path: Path, modules: list[dict], pooling: dict, max_seq_length=128) -> Path:
    (tmp_path / "modules.json").write_text(json.dumps(modules))
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": max_seq_length}))
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    return tmp_path


TRANSFORMER = {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}
POOLING = {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}
DENSE = {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}
MEAN = {"word_embedding_dimension": 768, "pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False}


def test_a_plain_mean_pooled_folder_gives_its_shape(tmp_path):
    assert model_shape(_model_folder(tmp_path, [TRANSFORMER, POOLING], MEAN)) == (768, 128)


@pytest.mark.parametrize(
    ("modules", "pooling"),
    [
        ([TRANSFORMER, POOLING, DENSE], MEAN),  # a projection changes the dimension
        ([TRANSFORMER, POOLING], {**MEAN, "pooling_mode_cls_token": True}),  # two poolings are concatenated
    ],
    ids=["dense", "two-poolings"],
)
def test_a_folder_whose_shape_is_not_plain_is_left_to_loading(tmp_path, modules, pooling):
    assert model_shape(_model_folder(tmp_path, modules, pooling)) is None


def test_a_folder_without_config_files_is_left_to_loading(tmp_path):
    assert model_shape(tmp_path) is None


# --- word pieces: the real tokenizer, without the model


@pytest.fixture(scope="module")
def tokenizer():
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(default_model_path()))


TEXTS = [
    "Senior Python Engineer — Acme Robotics. Requirements:",
    "5+ years of experience with C++/C# and T-SQL; e.g. résumé, naïve café.",
    "Übersetzung und Qualitätssicherung 日本語 テキスト",
    "[CLS] tokens [SEP] in the text, [MASK] too",
    "emoji 🚀 and a\u00a0non-breaking space, a\u0301 combining mark",
    "\u0301 starts with a combining mark",
    "https://example.com/" + "x" * 150,
    "",
]


def test_the_counter_counts_what_the_tokenizer_counts_even_after_the_model_truncated(tokenizer):
    counter = _word_piece_counter(tokenizer)
    tokenizer(TEXTS, truncation=True, max_length=8)  # as the model's encode does: the backend now truncates
    assert [len(counter.encode(t, add_special_tokens=False).ids) for t in TEXTS] == [
        len(tokenizer.tokenize(t)) for t in TEXTS
    ]


def test_word_piece_counts_of_lines_add_up_as_chunking_assumes(tokenizer):
    counter = _word_piece_counter(tokenizer)
    assert _splits_at_white_space_first(counter)

    def count(text: str) -> int:
        return len(counter.encode(text, add_special_tokens=False).ids)

    for first in TEXTS:
        for second in TEXTS:
            assert count(f"{first}\n{second}") == count(first) + count(second)
            assert count(f"{first} {second}") == count(first) + count(second)


# --- the NumPy model: for questions, without torch


def test_the_numpy_embedder_has_the_models_name_and_shape():
    embedder = NumpyEmbedder()
    assert (embedder.name, embedder.dim, embedder.max_tokens) == (MODEL_NAME, DIM, 256)
    vector = embedder.embed_query("what is the team like?")
    assert vector.shape == (DIM,) and vector.dtype == np.float32
    assert np.allclose(embedder.embed_documents(["what is the team like?"])[0], vector, atol=1e-6)
    assert embedder.embed_documents([]).shape == (0, DIM)


def test_the_numpy_embedder_counts_word_pieces_without_markers_or_cutting():
    embedder = NumpyEmbedder()
    assert embedder.count_tokens("") == 0
    assert embedder.count_tokens("hello world") == 2
    long = " ".join(["engineer"] * 400)
    assert embedder.count_tokens(long) == 400 and embedder.count_tokens_batch([long, "hello"]) == [400, 1]
    assert embedder.counts_add_up


def test_numpy_questions_are_chosen_when_the_folder_fits_it():
    assert query_backend("numpy") == "numpy"
    assert query_backend("torch") == "torch"


def test_a_folder_the_numpy_model_cannot_run_falls_back_to_torch(tmp_path):
    folder = _model_folder(tmp_path, [TRANSFORMER, POOLING], MEAN)
    (folder / "config.json").write_text(json.dumps({"model_type": "bert", "hidden_act": "relu"}))
    assert query_backend("numpy", folder) == "torch"


def test_an_unknown_backend_is_refused_by_name():
    with pytest.raises(ValueError, match="query embedder 'onnx'"):
        query_backend("onnx")


def test_the_lazy_query_embedder_is_not_loaded_until_a_question_embeds():
    lazy = lazy_query_embedder("numpy")
    assert isinstance(lazy, LazyEmbedder) and not lazy.loaded
    assert (lazy.name, lazy.dim, lazy.max_tokens) == (MODEL_NAME, DIM, 256)
    assert lazy.embed_query("nurse").shape == (DIM,)
    assert lazy.loaded and isinstance(lazy._inner, NumpyEmbedder)


@pytest.mark.slow
def test_a_folder_without_safetensors_weights_is_embedded_by_sentence_transformers(tmp_path, caplog):
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(default_model_path(), folder, ignore=shutil.ignore_patterns("model.safetensors"))
    import torch
    from safetensors.torch import load_file

    weights = load_file(str(default_model_path() / "model.safetensors"))
    torch.save(weights, folder / "pytorch_model.bin")  # the same weights in the older format only
    lazy = lazy_query_embedder("numpy", folder)
    assert not lazy.loaded
    with caplog.at_level("WARNING", logger="index.embedder"):
        vector = lazy.embed_query("site reliability engineer")
    assert "NumPy model cannot load" in caplog.text and "model.safetensors: missing" in caplog.text
    assert type(lazy._inner).__name__ == "SentenceTransformerEmbedder"
    assert np.allclose(vector, NumpyEmbedder().embed_query("site reliability engineer"), atol=1e-5)


# --- the int8 ONNX backend (POSTINGS_EMBED_BACKEND=onnx-int8)

INT8_TEXTS = ["Senior backend engineer — Go and Postgres, remote within the EU, €70k–€85k.",
              "Kiln operator for the night shift. Pay is £14.20 an hour.",
              "Pflegefachkraft (m/w/d) in Teilzeit, Bremen",
              "ok"]


def test_the_int8_backend_embeds_close_to_the_model_under_its_own_name():
    from index.embedder import INT8_NAME, OnnxInt8Embedder

    int8, fp32 = OnnxInt8Embedder(batch_size=2), NumpyEmbedder()
    vectors = int8.embed_documents(INT8_TEXTS)
    assert vectors.shape == (4, DIM) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.all(np.sum(vectors * fp32.embed_documents(INT8_TEXTS), axis=1) > 0.995)  # measured: 0.9985 or more
    assert INT8_NAME != MODEL_NAME and int8.name == INT8_NAME  # another model's vectors: never in one index
    # padding to a batch's longest text does not move a short text's vector
    np.testing.assert_allclose(int8.embed_query("ok"), vectors[3], atol=1e-5)


def test_the_int8_backend_is_chosen_for_the_rebuild_and_for_questions_and_loads_on_first_use(tmp_path):
    from bot.engine import build_engine
    from config import load_settings
    from index.cli import real_embedder
    from index.embedder import INT8_NAME

    settings = load_settings(source_dirs=[tmp_path], chroma_path=tmp_path / "chroma", embed_backend="onnx-int8",
                             snapshots=False)
    rebuild_embedder = real_embedder(settings)
    assert isinstance(rebuild_embedder, LazyEmbedder) and not rebuild_embedder.loaded
    assert (rebuild_embedder.name, rebuild_embedder.dim, rebuild_embedder.max_tokens) == (INT8_NAME, DIM, 256)
    engine = build_engine(settings)
    assert engine.embedder.name == INT8_NAME and not engine.embedder.loaded
    assert real_embedder(load_settings(source_dirs=[tmp_path])).name == MODEL_NAME


def test_the_int8_backend_with_another_model_folder_is_an_invalid_setting(tmp_path):
    from config import load_settings
    from config.settings import SettingsError

    with pytest.raises(SettingsError, match="POSTINGS_EMBED_BACKEND: .*unset POSTINGS_MODEL_PATH"):
        load_settings(source_dirs=[tmp_path], model_path=tmp_path, embed_backend="onnx-int8")


def test_a_bot_whose_questions_use_another_model_than_the_index_says_so_once(tmp_path, caplog):
    import logging

    from bot.engine import build_engine
    from config import load_settings
    from index.embedder import INT8_NAME
    from index.rebuild import rebuild
    from index.store import IndexStore

    (tmp_path / "postings").mkdir()
    (tmp_path / "postings" / "baker.txt").write_text("Title: Night Baker\nCompany: Crumb & Co\n\nBake bread overnight.")
    settings = load_settings(source_dirs=[tmp_path / "postings"], chroma_path=tmp_path / "chroma", snapshots=False)
    store = IndexStore.open(settings)
    try:
        assert rebuild(settings, HashingEmbedder(), store).ok  # an index of another model ("hashing")
    finally:
        store.close()
    with caplog.at_level(logging.WARNING, logger="bot.engine"):
        engine = build_engine(settings.model_copy(update={"embed_backend": "onnx-int8"}))
        engine.reload()  # the same generation again: no second warning
    warnings = [r.getMessage() for r in caplog.records if "questions are embedded by" in r.getMessage()]
    assert len(warnings) == 1 and INT8_NAME in warnings[0] and "POSTINGS_EMBED_BACKEND" in warnings[0]
