"""all-MiniLM-L6-v2 in NumPy: read from the model folder, no torch, the vectors sentence-transformers gives."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from index.embedder import default_model_path
from index.minilm_numpy import MiniLMNumpy, ModelFolderError, read_pipeline, read_shape

ROOT = Path(__file__).resolve().parents[1]
MODEL = default_model_path()


@pytest.fixture(scope="module")
def encoder() -> MiniLMNumpy:
    return MiniLMNumpy.load(MODEL)


def test_the_pipeline_and_shape_are_read_from_the_model_folder():
    pipeline, shape = read_pipeline(MODEL), read_shape(MODEL)
    assert (pipeline.max_seq_length, pipeline.dim, pipeline.normalize) == (256, 384, True)
    assert (shape.hidden, shape.heads, shape.layers, shape.intermediate) == (384, 12, 6, 1536)


def test_vectors_are_float32_unit_rows_in_the_order_given(encoder):
    texts = ["nurse in Ohio", "senior rust developer", ""]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    alone = np.stack([encoder.encode([t])[0] for t in texts])
    assert np.abs(vectors - alone).max() < 1e-6  # padding a batch to its longest text changes nothing
    assert encoder.encode([]).shape == (0, 384)


def test_related_texts_are_closer_than_unrelated_ones(encoder):
    pay, salary, forklift = encoder.encode(["what does the job pay?", "salary range for this role",
                                            "forklift operator, night shift"])
    assert pay @ salary > pay @ forklift + 0.2


def test_a_text_is_cut_at_the_models_max_sequence_length(encoder):
    words = [f"w{i}" for i in range(400)]  # several word pieces each: far beyond 256
    head = " ".join(words[:300])
    assert np.array_equal(encoder.encode([head])[0], encoder.encode([head + " tail words here"])[0])
    assert not np.array_equal(encoder.encode(["short text"])[0], encoder.encode(["short text tail"])[0])


# encoding from a fresh process: which model libraries it imported
ENCODE_THEN_REPORT_IMPORTS = textwrap.dedent("""
    import json, sys
    from index.embedder import NumpyEmbedder
    vector = NumpyEmbedder().embed_query("what is the team like?")
    print(json.dumps({"dim": len(vector), "heavy": sorted(m for m in ("torch", "sentence_transformers",
                      "transformers") if m in sys.modules)}))
""")


def test_encoding_in_a_fresh_process_never_imports_torch():
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("POSTINGS_")}, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", ENCODE_THEN_REPORT_IMPORTS], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"dim": 384, "heavy": []}


# --- model folders this encoder cannot run say which file and field


def copied_model(tmp_path: Path) -> Path:
    """The installed model's small files copied, its weights linked."""
    folder = tmp_path / "model"
    shutil.copytree(MODEL, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    (folder / "model.safetensors").symlink_to(MODEL / "model.safetensors")
    return folder


def edit_json(path: Path, **changes) -> None:
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def test_a_copied_model_folder_loads_and_encodes_alike(tmp_path, encoder):
    copy = MiniLMNumpy.load(copied_model(tmp_path))
    assert np.array_equal(copy.encode(["data engineer"]), encoder.encode(["data engineer"]))


def test_another_pooling_is_refused_naming_the_pooling_config(tmp_path):
    folder = copied_model(tmp_path)
    edit_json(folder / "1_Pooling" / "config.json", pooling_mode_cls_token=True, pooling_mode_mean_tokens=False)
    with pytest.raises(ModelFolderError, match=r"1_Pooling/config.json.*pooling_mode_cls_token"):
        MiniLMNumpy.load(folder)


def test_another_activation_is_refused_naming_the_field(tmp_path):
    folder = copied_model(tmp_path)
    edit_json(folder / "config.json", hidden_act="gelu_new")
    with pytest.raises(ModelFolderError, match=r"config.json: field 'hidden_act' is 'gelu_new'"):
        MiniLMNumpy.load(folder)


def test_a_missing_max_sequence_length_is_refused_naming_the_file(tmp_path):
    folder = copied_model(tmp_path)
    (folder / "sentence_bert_config.json").write_text(json.dumps({"do_lower_case": False}))
    with pytest.raises(ModelFolderError, match=r"sentence_bert_config.json: field 'max_seq_length'"):
        MiniLMNumpy.load(folder)


def test_a_folder_without_safetensors_weights_says_so(tmp_path):
    folder = copied_model(tmp_path)
    (folder / "model.safetensors").unlink()
    (folder / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(ModelFolderError, match=r"model.safetensors: missing \(pytorch_model.bin .* needs torch\)"):
        MiniLMNumpy.load(folder)


def test_damaged_weights_are_refused_naming_the_file(tmp_path):
    folder = copied_model(tmp_path)
    (folder / "model.safetensors").unlink()
    (folder / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}garbage")
    with pytest.raises(ModelFolderError, match=r"model.safetensors"):
        MiniLMNumpy.load(folder)


def test_a_malformed_config_is_refused_naming_the_file(tmp_path):
    folder = copied_model(tmp_path)
    (folder / "modules.json").write_text("[{")
    with pytest.raises(ModelFolderError, match=r"modules.json: not valid JSON"):
        MiniLMNumpy.load(folder)


# --- parity with sentence-transformers (loads torch: slow)

SHORT = ["what does the {} role pay?", "is the {} job remote?", "which {} positions are in Berlin?",
         "how many years of experience does a {} need?", "tell me about the {} team",
         "{} jobs paying over $120k", "any part-time {} openings near Leeds?", "does the {} posting need a degree?",
         "{}", "Suche {} (m/w/d) in Teilzeit"]
ROLES = ["backend engineer", "registered nurse", "forklift operator", "UX designer", "data analyst",
         "sous chef", "accountant", "high-school teacher", "site reliability engineer", "warehouse associate",
         "paralegal", "truck driver (CDL-A)", "product manager", "HVAC technician", "pharmacist",
         "marketing coordinator", "C++ developer", "barista", "dental hygienist", "electrician"]
GERMAN = ["Wir suchen eine*n Softwareentwickler*in (m/w/d) in Vollzeit für unser Team in München.",
          "Ihre Aufgaben: Pflege und Weiterentwicklung unserer Java-Anwendungen, Code-Reviews, Übergaben.",
          "Gehalt: 55.000–65.000 € brutto jährlich, 30 Tage Urlaub, Homeoffice nach Absprache.",
          "Was Sie mitbringen: abgeschlossenes Studium der Informatik oder eine vergleichbare Ausbildung.",
          "Bewerbungen bitte bis zum 31.03. über unser Karriereportal – wir freuen uns auf Sie!",
          "Teilzeit möglich; Schichtzulage für Nacht- und Wochenenddienste; Fahrtkostenzuschuss."]
SYMBOLS = ["", " ", "\n\t", "?", "$$$ 100k–150k/yr + equity (0.1%)", "C# / F# / .NET ≥ 6; T-SQL & PL/SQL",
           "[CLS] literal [SEP] markers [MASK] in text", "emoji 🚀🔥 and ümlauts, naïve café, résumé",
           "日本語のテキスト 和 中文 混合", "https://careers.example.com/jobs/12345?ref=abc&utm=xyz",
           "a\u00a0non-breaking\u00a0space and a\u0301 combining mark", "ALL CAPS HEADLINE!!! URGENT HIRING",
           "#hashtag @mention 50% off ~approx~ <b>bold</b> &amp;", "1234567890 " * 20, "x" * 300]


def paragraph(seed: int) -> str:
    """A long posting paragraph of our own making (well beyond 256 word pieces)."""
    rng = np.random.default_rng(seed)
    parts = ["We are a growing logistics company looking for a motivated {} to join our {} team.",
             "You will own the {} roadmap, work closely with {} and report to the head of operations.",
             "Requirements: {} years of experience, strong communication skills, and a valid driver's licence.",
             "Benefits include medical, dental and vision coverage, a 401(k) match of {}%, and {} days of PTO.",
             "The role is {} with occasional travel to our {} warehouse; relocation support is available.",
             "Salary: ${},000 - ${},000 per year depending on experience; sign-on bonus for {} shifts."]
    fills = ["analyst", "platform", "customer", "finance", "2-4", "5+", "hybrid", "remote", "Dallas", "Reno",
             "night", "weekend", "85", "110", "4", "6", "15", "25"]
    sentences = [p.format(*rng.choice(fills, size=p.count("{}"))) for p in rng.choice(parts, size=30)]
    return " ".join(sentences)


def varied_texts() -> list[str]:
    texts = [q.format(r) for q in SHORT for r in ROLES]  # 200 short questions and titles
    texts += [paragraph(seed) for seed in range(10)] + GERMAN + SYMBOLS
    texts += [t.upper() for t in GERMAN[:3]] + [f"  {r}  " for r in ROLES[:5]]
    return texts


@pytest.mark.slow
def test_vectors_match_sentence_transformers_for_every_text(encoder):
    from index.embedder import SentenceTransformerEmbedder

    texts = varied_texts()
    assert len(texts) >= 200
    assert max(len(encoder.tokenizer.encode(t).ids) for t in texts) == 256  # some were cut
    reference = SentenceTransformerEmbedder().embed_documents(texts)
    every = list(range(len(texts)))
    some = every[::7]  # also one at a time, as questions are embedded
    batched = encoder.encode(texts)
    alone = np.stack([encoder.encode([texts[i]])[0] for i in some])
    for rows, ours in ((every, batched), (some, alone)):
        theirs = reference[rows]
        worst = np.abs(ours - theirs).max(axis=1)
        cosine = (ours * theirs).sum(axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(theirs, axis=1)
        assert worst.max() <= 1e-5, (worst.max(), texts[rows[int(worst.argmax())]][:80])
        assert cosine.min() >= 0.99999, (cosine.min(), texts[rows[int(cosine.argmin())]][:80])


def test_encoding_limits_blas_threads_only_while_it_runs(encoder):
    threadpoolctl = pytest.importorskip("threadpoolctl")
    seen = []
    forward = encoder.encoder.forward

    def watching(*args):
        seen.append([lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"])
        return forward(*args)

    before = [lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"]
    encoder.encoder.forward = watching
    try:
        encoder.encode(["one question"])
    finally:
        del encoder.encoder.forward
    assert seen == [[1] * len(before)]
    assert [lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"] == before
