"""Chunking: limits, headings, nothing lost or duplicated, determinism."""

from __future__ import annotations

import pytest

from index.chunking import chunk_for_embedding, chunk_posting, embedding_text, heading_name
from index.embedder import HashingEmbedder
from index.models import Posting
from index.text import split_sentences

hashing_count = HashingEmbedder().count_tokens


def strict_count(text: str) -> int:
    """A harsher counter than WordPiece: a piece per 3 characters, and line breaks cost extra."""
    return -(-len(text) // 3) + text.count("\n")


COUNTERS = [pytest.param(hashing_count, id="hashing"), pytest.param(strict_count, id="strict")]

LONG_SENTENCE = " ".join(f"word{i}" for i in range(400))  # no punctuation at all
LONG_WORD = "https://example.com/" + "x" * 900

TEXT = f"""Acme Robotics builds warehouse robots. We are 120 people in Austin, e.g. engineers and operators.

## About the role
You will design control software for our fleet. You will work with hardware, QA and support.
Our stack is Python, Go and a little C++.

Requirements:
- 5+ years of professional Python experience.
- A Bachelor's degree in Computer Science or a related field.
- Experience with Kubernetes. Experience with PostgreSQL.
{LONG_SENTENCE}

WHAT YOU'LL DO
Ship features every week.You will own the planner.
Review code and mentor two junior engineers.
Links: {LONG_WORD}

Job Type:
Full-time

Benefits:
Dental, vision and a 401(k) match.
Salary: $140,000 - $180,000 a year
"""


def posting(text: str = TEXT, pid: str = "p1") -> Posting:
    return Posting(id=pid, title="Senior Robotics Software Engineer", company="Acme Robotics", text=text)


def squash(text: str) -> str:
    """The text's characters without white space and heading marks, to compare content."""
    return "".join(text.split()).replace("#", "").replace(":", "")


def content_without_repeated_headings(chunks) -> str:
    parts: list[str] = []
    for i, chunk in enumerate(chunks):
        lines = chunk.text.split("\n")
        if i and chunk.section and f"{chunk.section}:" in chunks[i - 1].text.split("\n"):
            assert lines[0] == f"{chunk.section}:"
            lines = lines[1:]  # a continuation chunk repeats its heading
        parts.extend(lines)
    return squash("\n".join(parts))


@pytest.mark.parametrize("count", COUNTERS)
@pytest.mark.parametrize("max_tokens", [24, 60, 200])
def test_every_chunk_stays_within_the_token_limit(count, max_tokens):
    chunks = chunk_posting(posting(), count, max_tokens)
    assert chunks
    assert all(count(c.text) <= max_tokens for c in chunks)


@pytest.mark.parametrize("count", COUNTERS)
@pytest.mark.parametrize("max_tokens", [24, 60, 200])
def test_no_text_is_lost_or_duplicated(count, max_tokens):
    chunks = chunk_posting(posting(), count, max_tokens)
    assert content_without_repeated_headings(chunks) == squash("\n".join(split_sentences(TEXT)))


@pytest.mark.parametrize("count", COUNTERS)
def test_chunks_are_numbered_in_order_and_belong_to_the_posting(count):
    chunks = chunk_posting(posting(pid="job-7"), count, 60)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    assert {c.posting_id for c in chunks} == {"job-7"}


def test_chunking_is_deterministic():
    assert chunk_posting(posting(), strict_count, 60) == chunk_posting(posting(), strict_count, 60)


def test_sections_are_carried_and_start_the_chunk_text():
    chunks = chunk_posting(posting(), hashing_count, 60)
    sections = [c.section for c in chunks]
    assert "Requirements" in sections
    assert "WHAT YOU'LL DO" in sections
    assert "About the role" in sections
    for chunk in chunks:
        if chunk.section:
            assert chunk.text.startswith(f"{chunk.section}:\n")


def test_continuation_chunks_repeat_their_heading():
    chunks = chunk_posting(posting(), hashing_count, 60)
    requirements = [c for c in chunks if c.section == "Requirements"]
    assert len(requirements) > 2  # the 400-word sentence alone needs several chunks
    assert all(c.text.startswith("Requirements:\n") for c in requirements)


def test_a_long_sentence_is_cut_at_word_boundaries():
    chunks = chunk_posting(posting(LONG_SENTENCE), hashing_count, 50)
    words = [w for c in chunks for w in c.text.split()]
    assert words == LONG_SENTENCE.split()
    assert len(chunks) > 1


def test_text_before_the_first_heading_has_no_section():
    chunks = chunk_posting(posting(), hashing_count, 60)
    assert chunks[0].section == ""
    assert chunks[0].text.startswith("Acme Robotics builds warehouse robots.")


def test_tiny_sections_are_merged_with_the_next_section():
    text = "Job Type:\nFull-time\nRequirements:\n" + "\n".join(f"You know tool number {i} well." for i in range(12))
    chunks = chunk_posting(posting(text), hashing_count, 200)
    assert len(chunks) == 1
    assert chunks[0].section == "Job Type"
    assert chunks[0].text.startswith("Job Type:\nFull-time\nRequirements:\n")


def test_sections_that_do_not_fit_together_stay_apart():
    body = "\n".join(f"You know tool number {i} well." for i in range(20))
    text = f"Requirements:\n{body}\nBenefits:\n{body}"
    chunks = chunk_posting(posting(text), hashing_count, 200)
    assert [c.section for c in chunks] == ["Requirements", "Benefits"]


def test_empty_text_gives_no_chunks():
    assert chunk_posting(posting("  \n\n "), hashing_count) == []


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Requirements:", "Requirements"),
        ("## Benefits", "Benefits"),
        ("WHAT YOU'LL DO", "WHAT YOU'LL DO"),
        ("Salary: $100,000 - $120,000", None),  # a fact line, not a heading
        ("You will design control software for our fleet.", None),
    ],
)
def test_heading_names(line, name):
    assert heading_name(line) == name


def test_embedding_text_names_the_role_company_and_section():
    p = posting()
    chunk = next(c for c in chunk_posting(p, hashing_count, 200) if c.section == "Requirements")
    text = embedding_text(p, chunk)
    assert text.startswith("Senior Robotics Software Engineer — Acme Robotics. Requirements:\n")
    assert text.endswith(chunk.text)


def test_embedding_text_adds_the_section_when_the_chunk_text_lacks_it():
    from index.models import Chunk

    text = embedding_text(posting(), Chunk(posting_id="p1", index=0, text="Dental and vision.", section="Benefits"))
    assert text == "Senior Robotics Software Engineer — Acme Robotics. Benefits: Dental and vision."


@pytest.mark.parametrize("count", COUNTERS)
@pytest.mark.parametrize("max_tokens", [60, 254])
def test_embedding_texts_stay_within_the_model_limit(count, max_tokens):
    p = posting()
    p.title = "Principal " * 30 + "Engineer"  # a huge title is clipped in the prefix
    chunks = chunk_for_embedding(p, count, max_tokens)
    assert all(count(embedding_text(p, c)) <= max_tokens for c in chunks)
    assert content_without_repeated_headings(chunks) == squash("\n".join(split_sentences(TEXT)))


def test_the_prefix_adds_no_second_full_stop():
    from index.chunking import embedding_prefix

    baker = Posting(id="b", title="Bookkeeper", company="Crumbwell Bakery Co.", text="Count things.")
    assert embedding_prefix(baker) == "Bookkeeper — Crumbwell Bakery Co. "
    assert embedding_prefix(Posting(id="c", title="Cook", company="", text="")) == "Cook. "


# --- faster counting, same chunks


def word_count(text: str) -> int:
    """An additive counter: a piece per white-space separated word (lines and words add up exactly)."""
    return len(text.split())


class BatchCounter:
    """Counts a batch with `count`, remembering how many texts it was given and in how many calls."""

    def __init__(self, count):
        self.count, self.calls, self.texts = count, 0, 0

    def __call__(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return [self.count(t) for t in texts]


class SingleCounter:
    """Counts with `count`, adding up the characters it was given."""

    def __init__(self, count):
        self.count, self.chars = count, 0

    def __call__(self, text):
        self.chars += len(text)
        return self.count(text)


MIXED = TEXT + "\nExtras:\n" + " ".join(f"tool{i}" for i in range(300)) + "\n" + LONG_WORD + "\nTiny:\nYes.\n"


@pytest.mark.parametrize("count", [*COUNTERS, pytest.param(word_count, id="words")])
@pytest.mark.parametrize("max_tokens", [24, 60, 200])
def test_a_batch_counter_gives_the_same_chunks(count, max_tokens):
    p = posting(MIXED)
    batch = BatchCounter(count)
    assert chunk_for_embedding(p, count, max_tokens, count_batch=batch) == chunk_for_embedding(p, count, max_tokens)
    assert batch.calls and batch.texts


@pytest.mark.parametrize("max_tokens", [24, 60, 200])
def test_a_counter_whose_lines_add_up_gives_the_same_chunks_counting_less_text(max_tokens):
    p = posting(MIXED)
    p.title = "Principal " * 30 + "Engineer"
    plain, summed = SingleCounter(word_count), SingleCounter(word_count)
    expected = chunk_for_embedding(p, plain, max_tokens)
    assert chunk_for_embedding(p, summed, max_tokens, lines_add_up=True) == expected
    assert chunk_for_embedding(p, word_count, max_tokens, BatchCounter(word_count), lines_add_up=True) == expected
    assert summed.chars < plain.chars / 2
