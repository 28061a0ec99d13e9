"""Programming languages named in a posting (the vocabulary lives in index.languages)."""

from __future__ import annotations

from index.facts.common import COLUMN, TEXT, column_text
from index.languages import languages_in_sentence, languages_in_sentences
from index.models import Fact


def extract_languages(sentences: list[str], title: str = "") -> list[Fact]:
    """Each programming language named, once: a language the title names ("Senior Go Engineer", "Python
    Developer") first, with the title as evidence, unless the text names it too (then its sentence is quoted);
    then the text's, with the first sentence naming each. A title's languages are also the context an
    ambiguous name in the text needs ("Go" in "our services are Go" under a Go Engineer title)."""
    in_title = languages_in_sentence(title.strip()) if title and title.strip() else []
    in_text = dict(languages_in_sentences(sentences))
    if in_title:
        for language, sentence in _named_once_known(sentences, in_title):
            in_text.setdefault(language, sentence)
    facts = [Fact(language, in_text[language], TEXT) if language in in_text
             else Fact(language, column_text("Title", title.strip()), COLUMN) for language in in_title]
    facts += [Fact(language, sentence, TEXT) for language, sentence in in_text.items() if language not in in_title]
    return facts


def _named_once_known(sentences: list[str], known: list[str]) -> list[tuple[str, str]]:
    """(language, sentence) for the known languages a sentence names once they are known (the title's)."""
    found: dict[str, str] = {}
    for sentence in sentences:
        for language in languages_in_sentence(sentence, known):
            if language in known:
                found.setdefault(language, sentence)
    return list(found.items())
