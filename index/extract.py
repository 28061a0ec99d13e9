"""Facts extracted from one posting: each with the sentence (or listed field) it came from.

A fact the posting does not state stays None: nothing here guesses. Structured columns win over
the description; where the description states a different salary, both are kept.

This module composes the extractors of index.facts (one module per fact) and keeps the names other
modules import from here.
"""

from __future__ import annotations

from index.cues import fact_cues
from index.facts.common import COLUMN, TEXT, unglue
from index.facts.degree import extract_degree
from index.facts.employment import extract_employment_type
from index.facts.languages import extract_languages
from index.facts.location import extract_location, extract_location_text
from index.facts.remote import extract_remote
from index.facts.salary import extract_salary, salary_facts
from index.facts.years import extract_min_years
from index.models import Facts, Posting
from index.money import normalize_period, render_money, render_salary
from index.text import split_sentences

__all__ = [
    "COLUMN", "TEXT", "extract_degree", "extract_employment_type", "extract_facts", "extract_languages",
    "extract_location", "extract_min_years", "extract_remote", "extract_salary", "fact_cues", "normalize_period",
    "render_money", "render_salary", "unglue",
]


def extract_facts(posting: Posting) -> Facts:
    """All facts of one posting: salary (and its tiers), remote, employment type, languages, years, degree,
    location."""
    sentences = split_sentences(posting.text)
    pay = salary_facts(posting.columns, sentences, posting.location)
    return Facts(
        salary=pay.salary,
        salary_text=pay.salary_text,
        salary_tiers=pay.tiers,
        salary_other_periods=pay.other_periods,
        remote=extract_remote(posting.columns, posting.title, sentences),
        employment_type=extract_employment_type(posting.columns, posting.title, sentences),
        languages=extract_languages(sentences, posting.title),
        min_years=extract_min_years(sentences),
        degree=extract_degree(sentences),
        location=extract_location(posting.location),
        location_text=extract_location_text(posting.location, sentences),
    )
