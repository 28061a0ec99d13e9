"""The keyword index answers "which chunks have this word" from its posting lists, as scoring every chunk would."""

from __future__ import annotations

import numpy as np

from index.models import Posting

from catalogs import answerer_over


def _catalog():
    texts = ["Kotlin and Swift for our mobile apps.", "Forklift operators for the night shift.",
             "Swift payments team; Kotlin a plus.", "Night nurses wanted, weekend shifts.", ""]
    postings = [Posting(f"k{i}", f"Role {i}", f"Brackenfold {i}", text) for i, text in enumerate(texts)]
    return answerer_over(postings).catalog


def test_chunks_with_a_word_are_those_its_keyword_score_marks():
    catalog = _catalog()
    for word in [w for w in catalog._bm25_vocab if w]:  # ("" stands for an empty text: no word)
        scored = set(np.flatnonzero(catalog.keyword_scores([word]) > 0).tolist())
        assert set(catalog.chunks_with_word(word).tolist()) == scored, word


def test_a_word_no_chunk_has_has_no_chunks_and_no_postings():
    catalog = _catalog()
    assert len(catalog.chunks_with_word("zeppelin")) == 0
    assert not catalog.postings_with_words(["zeppelin"]).any()
    assert catalog.postings_with_words(["kotlin", "swift"]).tolist() == [True, False, True, False, False]
