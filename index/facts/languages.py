"""Programming languages named in a posting (the vocabulary lives in index.languages)."""

from __future__ import annotations

from index.facts.common import TEXT
from index.languages import languages_in_sentences
from index.models import Fact

def extract_languages(sentences: list[str]) -> list[Fact]:
    """Each programming language named, once, with the first sentence naming it."""
    return [Fact(language, sentence, TEXT) for language, sentence in languages_in_sentences(sentences)]
