"""The model only when needed: fact and list questions never import torch; `serve` loads the model in the
background once the index is loaded; general questions wait for it.

These tests pin down WHAT a process imports and WHEN the model is loaded, never how long anything takes
(benchmarks/startup.py measures the seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from index.embedder import HashingEmbedder, LazyEmbedder
from processes import free_port, python_process, stop_with_sigterm, wait_for

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "postings"
sys.path.insert(0, str(ROOT / "tests" / "slack"))  # the fake Slack Web API

HEAVY = ("torch", "sentence_transformers", "transformers")

# `postings-bot ask` as a fresh process runs it, then which heavy modules it imported
ASK_THEN_REPORT_IMPORTS = textwrap.dedent("""
    import contextlib, io, json, sys
    from bot.cli import main
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["ask", "--json", "--chroma-path", sys.argv[1], sys.argv[2]])
    print(json.dumps({"code": code, "answer": json.loads(out.getvalue()) if code == 0 else None,
                      "heavy": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,))


def fresh_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTINGS_", "SLACK_"))}
    return {**env, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", **extra}


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory) -> Path:
    """The samples indexed with the hashing embedder (same dimension as the model; no question here embeds)."""
    from config import load_settings
    from index.rebuild import rebuild
    from index.store import IndexStore

    chroma = tmp_path_factory.mktemp("lazy-model") / "chroma"
    settings = load_settings(_env_file=None, source_dirs=str(SAMPLES), chroma_path=chroma)
    assert rebuild(settings, HashingEmbedder(), IndexStore.open(settings)).ok
    return chroma


def ask_in_fresh_process(chroma: Path, question: str, also: tuple[str, ...] = (), **env: str) -> dict:
    """The answer, and which heavy modules (and `also` modules) the process imported."""
    script = ASK_THEN_REPORT_IMPORTS.replace(repr(HEAVY), repr(HEAVY + also))
    done = subprocess.run([sys.executable, "-c", script, str(chroma), question], cwd=ROOT,
                          env=fresh_env(**env), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_fact_question_from_a_fresh_process_never_imports_torch(sample_index):
    report = ask_in_fresh_process(sample_index, "what does the harbortide backend role pay?")
    assert report["code"] == 0 and report["answer"]["intent"] == "salary"
    assert report["answer"]["postings"][0]["id"] == "scraped-harbortide-backend"
    assert report["heavy"] == []


def test_a_list_question_from_a_fresh_process_never_imports_torch(sample_index):
    report = ask_in_fresh_process(sample_index, "which roles are remote?")
    assert report["code"] == 0 and report["answer"]["is_list"] and report["answer"]["total"] > 1
    assert report["heavy"] == []


def test_a_general_question_from_a_fresh_process_embeds_it_without_torch(sample_index):
    report = ask_in_fresh_process(sample_index, "what is it like to work on the data platform team?",
                                  also=("index.minilm_numpy",))
    assert report["code"] == 0 and report["answer"]["intent"] == "general" and report["answer"]["postings"]
    assert report["heavy"] == ["index.minilm_numpy"]  # the question was embedded, by the NumPy model


@pytest.mark.slow
def test_a_general_question_with_the_torch_backend_imports_torch(sample_index):
    report = ask_in_fresh_process(sample_index, "what is it like to work on the data platform team?",
                                  POSTINGS_QUERY_EMBEDDER="torch")
    assert report["code"] == 0 and "torch" in report["heavy"]


def test_importing_the_bot_and_the_embedder_module_imports_no_model_library():
    code = "import sys, bot.cli, bot.engine, bot.answerer, index.embedder, index.store; " \
           "print(sorted(m for m in %r if m in sys.modules))" % (HEAVY,)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=fresh_env(), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_engine_built_from_settings_holds_the_model_unloaded(sample_index):
    from bot.engine import build_engine
    from config import load_settings

    settings = load_settings(_env_file=None, chroma_path=sample_index, reload_interval_seconds=0)
    engine = build_engine(settings)
    assert isinstance(engine.embedder, LazyEmbedder) and not engine.embedder.loaded
    assert (engine.embedder.name, engine.embedder.dim) == ("all-MiniLM-L6-v2", 384)


@pytest.mark.parametrize(("backend", "model"), [
    ("numpy", "NumpyEmbedder"),
    pytest.param("torch", "SentenceTransformerEmbedder", marks=pytest.mark.slow),
])
def test_the_engine_embeds_questions_with_the_chosen_backend_once_loaded(sample_index, backend, model):
    from bot.engine import build_engine
    from config import load_settings

    settings = load_settings(_env_file=None, chroma_path=sample_index, reload_interval_seconds=0,
                             query_embedder=backend)
    engine = build_engine(settings)
    assert isinstance(engine.embedder, LazyEmbedder) and not engine.embedder.loaded
    engine.embedder._model()  # what the first general question (or serve's background load) does
    assert type(engine.embedder._inner).__name__ == model


def test_an_unknown_query_embedder_setting_is_refused_by_name():
    from config import SettingsError, load_settings

    with pytest.raises(SettingsError, match="POSTINGS_QUERY_EMBEDDER"):
        load_settings(_env_file=None, query_embedder="onnx")


class Gate:
    """A model factory that waits until it is opened (the model 'takes a while to load')."""

    def __init__(self):
        self.opened = threading.Event()
        self.started = threading.Event()
        self.calls = 0

    def __call__(self):
        self.calls += 1
        self.started.set()
        assert self.opened.wait(30), "the gate was never opened"
        return HashingEmbedder()


def test_loading_in_the_background_returns_at_once_and_a_general_question_waits_for_it():
    gate = Gate()
    lazy = LazyEmbedder(gate, "hashing-384", 384, 256)
    loader = lazy.load_in_background()
    assert gate.started.wait(10) and not lazy.loaded
    vectors: list = []
    asker = threading.Thread(target=lambda: vectors.append(lazy.embed_query("python engineer")))
    asker.start()
    asker.join(0.2)
    assert asker.is_alive() and vectors == []  # waiting for the model, not loading a second one
    gate.opened.set()
    loader.join(10)
    asker.join(10)
    assert lazy.loaded and gate.calls == 1
    assert (vectors[0] == HashingEmbedder().embed_query("python engineer")).all()


def test_a_failed_background_load_is_tried_again_by_the_next_question():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise OSError("model folder unreadable")
        return HashingEmbedder()

    lazy = LazyEmbedder(flaky, "hashing-384", 384, 256)
    lazy.load_in_background().join(10)
    assert not lazy.loaded
    assert lazy.embed_query("nurse").shape == (384,)
    assert lazy.loaded and len(calls) == 2


def test_a_loaded_or_eager_embedder_starts_no_background_load():
    lazy = LazyEmbedder(HashingEmbedder, "hashing-384", 384, 256)
    lazy.embed_query("x")
    assert lazy.load_in_background() is None


# `postings-bot serve` with a model that loads only once a file appears, and says when it has loaded
SERVE_WITH_GATED_MODEL = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from bot.cli import main
    from index.embedder import HashingEmbedder, LazyEmbedder

    gate, loaded = Path(sys.argv[1]), Path(sys.argv[2])

    def load():
        while not gate.exists():
            time.sleep(0.05)
        loaded.write_text("loaded")
        return HashingEmbedder()

    sys.exit(main(["serve"], embedder=LazyEmbedder(load, "hashing-384", 384, 256)))
""")


def test_serve_is_healthy_before_the_model_loads_then_loads_it_without_a_question(sample_index, tmp_path):
    from fake_slack import FakeSlack
    from slack_harness import BOT_TOKEN, SIGNING_SECRET, http

    gate, loaded, port = tmp_path / "gate", tmp_path / "loaded", free_port()
    with FakeSlack() as fake:
        env = fresh_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                        SLACK_API_BASE_URL=fake.base_url, POSTINGS_HOST="127.0.0.1", POSTINGS_PORT=str(port),
                        POSTINGS_CHROMA_PATH=str(sample_index), POSTINGS_SOURCE_DIRS=str(SAMPLES))
        with python_process(SERVE_WITH_GATED_MODEL, str(gate), str(loaded), env=env, cwd=tmp_path) as process:
            health = wait_for(lambda: http("GET", f"http://127.0.0.1:{port}/healthz").status == 200, process,
                              "/healthz 200 while the model is held back")
            assert health and not loaded.exists()
            gate.write_text("open")
            assert wait_for(loaded.exists, process, "the model loaded in the background, with no question asked")
            stderr = stop_with_sigterm(process)
    assert process.returncode == 0, stderr


def never_load():
    raise AssertionError("the model was loaded")


def retriever_over_chunks(chunks: list[str], embedder):
    """A Retriever over one posting (no facts read) cut into the given chunks, vectors by the hashing fake."""
    from bot.catalog import Catalog
    from bot.question import Filters, Query
    from bot.retrieval import Retriever
    from index.models import Posting

    posting = Posting(id="p1", title="Data Analyst", company="Quillmere Labs", text="\n".join(chunks))
    catalog = Catalog([posting], ["p1"] * len(chunks), chunks, HashingEmbedder().embed_documents(chunks))
    query = Query(text="what degree does the quillmere analyst job need?", intent="degree", intents=["degree"],
                  is_list=False, wants_count=False, filters=Filters(), tokens=[])
    return Retriever(catalog, embedder), query


def test_a_fact_quoted_from_the_only_passage_that_speaks_of_it_needs_no_model():
    chunks = ["Quillmere Labs builds planning tools for small farms in Iowa.",
              "A bachelor's degree in statistics or economics is preferred for this role.",
              "We offer a yearly learning budget and flexible hours."]
    retriever, query = retriever_over_chunks(chunks, LazyEmbedder(never_load, "hashing-384", 384, 256))
    assert retriever.quote_for(query, "degree", 0) == chunks[1]


def test_a_fact_spoken_of_in_several_passages_is_quoted_from_the_best_ranked_by_the_model():
    from bot.retrieval import Retriever

    chunks = ["A bachelor's degree in statistics is preferred.",
              "Quillmere Labs builds planning tools for small farms in Iowa.",
              "A master's degree in economics is a plus for senior candidates."]
    lazy = LazyEmbedder(HashingEmbedder, "hashing-384", 384, 256)
    retriever, query = retriever_over_chunks(chunks, lazy)
    eager = Retriever(retriever.catalog, HashingEmbedder())
    assert retriever.quote_for(query, "degree", 0) == eager.quote_for(query, "degree", 0) in (chunks[0], chunks[2])
    assert lazy.loaded
