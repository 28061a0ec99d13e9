"""The real thing, end to end: the real model and a real Chroma folder, rebuild the samples, then ask."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main as bot_main
from index.cli import main as index_main

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "postings"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model():
    from index.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, model):
    path = tmp_path_factory.mktemp("e2e") / "chroma"
    mp = pytest.MonkeyPatch()
    mp.setenv("POSTINGS_CHROMA_PATH", str(path))
    code = index_main(["rebuild", "--source", str(SAMPLES), "--json"], embedder_factory=lambda _settings: model)
    mp.undo()
    assert code == 0
    return path


def _ask(question, index_dir, model, monkeypatch, capsys):
    monkeypatch.setenv("POSTINGS_CHROMA_PATH", str(index_dir))
    assert bot_main(["ask", "--json", question], embedder=model) == 0
    return json.loads(capsys.readouterr().out)


def test_rebuilt_sample_index_answers_a_salary_question_with_its_source_sentence(index_dir, model, monkeypatch,
                                                                                capsys):
    data = _ask("what does the Harbortide backend role pay?", index_dir, model, monkeypatch, capsys)
    assert data["answer"].startswith("$155,000–$190,000 a year")
    assert data["postings"][0]["company"] == "Harbortide Data"
    # the page's own "Salary: $155K/yr - $190K/yr" field is the source (its text says the same in full)
    assert any(("155,000" in e["text"] or "155K" in e["text"]) and "190" in e["text"] for e in data["evidence"])


def test_list_question_counts_every_matching_sample(index_dir, model, monkeypatch, capsys):
    data = _ask("which roles want Go?", index_dir, model, monkeypatch, capsys)
    assert data["is_list"] and data["total"] == len(data["postings"]) >= 2
    assert all("Go" in p["languages"] for p in data["postings"])


def test_general_question_is_answered_by_hybrid_retrieval_with_the_real_model(index_dir, model, monkeypatch, capsys):
    data = _ask("who works on corrosion detection with drones?", index_dir, model, monkeypatch, capsys)
    assert data["postings"] and data["postings"][0]["company"] == "Saltmarsh Robotics"


def test_unchanged_rebuild_embeds_nothing(index_dir, model, monkeypatch, capsys):
    monkeypatch.setenv("POSTINGS_CHROMA_PATH", str(index_dir))
    capsys.readouterr()
    code = index_main(["rebuild", "--source", str(SAMPLES), "--json"], embedder_factory=lambda _settings: model)
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["chunks_embedded"] == 0 and summary["unchanged"] == summary["postings_total"]
