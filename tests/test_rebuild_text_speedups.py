"""Chunking's cheaper text steps give exactly what the plain ones gave."""

from __future__ import annotations

import re
import sys

from index.chunking import chunk_posting
from index.models import Posting
from index.text import split_lines, split_sentences


def test_split_lines_folds_every_white_space_character_as_a_regex_would():
    spaces = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c not in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    line = f"- first{spaces}word {spaces} last{spaces}"
    assert split_lines(line) == [re.sub(r"\s+", " ", "first" + spaces + "word " + spaces + " last").strip()]
    assert split_lines(line) == ["first word last"]


def test_chunk_lines_are_the_sentences_of_the_text():
    text = "Harbor Kiln makes bricks. We ship by rail.\n• Lift 50 lb.\n2) Drive a forklift.Night shifts."
    posting = Posting(id="p", title="", company="", text=text)
    lines = [line for chunk in chunk_posting(posting, lambda t: len(t.split()), 200) for line in chunk.text.split("\n")]
    assert lines == split_sentences(text)
