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
