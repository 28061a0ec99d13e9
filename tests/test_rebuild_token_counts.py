"""Counting word pieces for chunking: the fast batch count is the count of each text on its own."""

from __future__ import annotations

import pytest

from index.embedder import count_word_pieces, default_model_path


@pytest.fixture(scope="module")
def counter():
    try:
        path = default_model_path() / "tokenizer.json"
    except ImportError:
        pytest.skip("the model package is not installed")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


TEXTS = [
    "", "Senior Python Engineer — Acme Robotics.", "Pay: $45–$52/hr, DOE; 401(k) match!",
    "Gehalt: 55.000 € brutto, Homeoffice möglich", "工程师 (Shanghai) · 远程", "naïve café résumé",
    "word " * 400, "e.g. Kubernetes/Helm, CI/CD\tand\u00a0Terraform\nsecond line",
]


def test_the_batch_count_of_each_text_is_its_count_alone(counter):
    alone = [len(counter.encode(text, add_special_tokens=False).ids) for text in TEXTS]
    assert count_word_pieces(counter, TEXTS) == alone
    assert count_word_pieces(counter, TEXTS) == [len(e.ids) for e in counter.encode_batch(TEXTS, add_special_tokens=False)]


def test_a_counter_without_the_fast_batch_call_counts_the_same(counter):
    class Plain:
        encode_batch = staticmethod(counter.encode_batch)

    assert count_word_pieces(Plain(), TEXTS) == count_word_pieces(counter, TEXTS)
