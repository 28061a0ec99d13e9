"""A sentence-transformers BERT model (all-MiniLM-L6-v2) run in NumPy: no torch, loaded in a fraction of a second.

The pipeline is read from the model folder, not assumed: modules.json must be Transformer -> Pooling (mean
tokens) [-> Normalize]; max_seq_length comes from sentence_bert_config.json; the encoder's shape (hidden size,
heads, layers, GELU, LayerNorm eps) from config.json; the weights from model.safetensors; the word pieces from
tokenizer.json (truncated to max_seq_length, [CLS] ... [SEP] as the model's template says). Float32 throughout.

    encoder = MiniLMNumpy.load(folder)
    vectors = encoder.encode(["python engineer in Austin"])   # (1, 384), unit length

A folder that does not fit (another architecture or pooling, a missing file) raises ModelFolderError naming
the file and field, so the caller can fall back to sentence-transformers.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

F32 = np.float32


class ModelFolderError(ValueError):
    """The model folder is not one this encoder can run; the message names the file and field."""


@dataclass(frozen=True)
class BertShape:
    """The encoder's shape, from config.json."""

    hidden: int
    heads: int
    layers: int
    intermediate: int
    eps: float
    max_positions: int


@dataclass(frozen=True)
class Pipeline:
    """What sentence-transformers does around the encoder, from modules.json and its module folders."""

    max_seq_length: int
    dim: int
    normalize: bool


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ModelFolderError(f"{path}: cannot read it ({err.strerror or err})") from err
    except ValueError as err:
        raise ModelFolderError(f"{path}: not valid JSON ({err})") from err


def _field(data: Any, key: str, path: Path, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise ModelFolderError(f"{path}: field {key!r} is {value!r}, expected a number")
    return value


def read_shape(folder: Path) -> BertShape:
    """The BERT encoder's shape; raises ModelFolderError for anything but an absolute-position, erf-GELU BERT."""
    path = folder / "config.json"
    config = _read_json(path)
    for key, wanted in (("model_type", "bert"), ("hidden_act", "gelu")):
        if config.get(key) != wanted:
            raise ModelFolderError(f"{path}: field {key!r} is {config.get(key)!r}, this encoder runs only {wanted!r}")
    if config.get("position_embedding_type", "absolute") != "absolute":
        raise ModelFolderError(f"{path}: field 'position_embedding_type' is "
                               f"{config.get('position_embedding_type')!r}, this encoder runs only 'absolute'")
    shape = BertShape(
        hidden=_field(config, "hidden_size", path, int), heads=_field(config, "num_attention_heads", path, int),
        layers=_field(config, "num_hidden_layers", path, int),
        intermediate=_field(config, "intermediate_size", path, int),
        eps=float(_field(config, "layer_norm_eps", path, (int, float))),
        max_positions=_field(config, "max_position_embeddings", path, int),
    )
    if shape.hidden % shape.heads:
        raise ModelFolderError(f"{path}: hidden_size {shape.hidden} is not a multiple of num_attention_heads "
                               f"{shape.heads}")
    return shape


def read_pipeline(folder: Path) -> Pipeline:
    """Transformer -> mean Pooling [-> Normalize], as modules.json lists them; anything else raises."""
    path = folder / "modules.json"
    modules = _read_json(path)
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules] if isinstance(modules, list) else None
    if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        raise ModelFolderError(f"{path}: modules are {kinds}, this encoder runs Transformer, Pooling[, Normalize]")
    if modules[0].get("path", "") not in ("", "."):
        raise ModelFolderError(f"{path}: the Transformer module lives in {modules[0]['path']!r}, expected the "
                               f"folder itself")
    pooling_path = folder / str(modules[1].get("path", "")) / "config.json"
    pooling = _read_json(pooling_path)
    modes = sorted(k for k, on in pooling.items() if k.startswith("pooling_mode_") and on) \
        if isinstance(pooling, dict) else []
    if modes != ["pooling_mode_mean_tokens"]:
        raise ModelFolderError(f"{pooling_path}: pooling modes {modes}, this encoder runs only "
                               f"pooling_mode_mean_tokens")
    bert_config = folder / "sentence_bert_config.json"
    max_seq_length = _field(_read_json(bert_config), "max_seq_length", bert_config, int)
    dim = _field(pooling, "word_embedding_dimension", pooling_path, int)
    return Pipeline(max_seq_length=max_seq_length, dim=dim, normalize=kinds[-1] == "Normalize")


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=-1, keepdims=True)
    return centred / np.sqrt(var + F32(eps)) * weight + bias


def _gelu(x: np.ndarray, erf: Any) -> np.ndarray:
    """The exact GELU BERT's "gelu" is: x * (1 + erf(x / sqrt 2)) / 2 (in one temporary array)."""
    out = x * F32(1.0 / math.sqrt(2.0))
    erf(out, out=out)
    out += F32(1.0)
    out *= x
    out *= F32(0.5)
    return out


class BertEncoder:
    """The BERT encoder's forward pass over word-piece ids; token embeddings out."""

    def __init__(self, weights: dict[str, np.ndarray], shape: BertShape, source: Path):
        from scipy.special import erf  # float32 in, float32 out; the exact erf torch's gelu uses

        self.shape, self._erf = shape, erf
        h, i = shape.hidden, shape.intermediate
        # a BertModel saved inside another head carries a "bert." prefix
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""

        def take(name: str, dims: tuple[int | None, ...]) -> np.ndarray:
            """The named tensor as contiguous float32, checked against dims (None: any length)."""
            tensor = weights.get(prefix + name)
            if tensor is None:
                raise ModelFolderError(f"{source}: tensor {prefix + name!r} is missing")
            if len(tensor.shape) != len(dims) or any(w not in (None, g) for w, g in zip(dims, tensor.shape)):
                raise ModelFolderError(f"{source}: tensor {name!r} has shape {tensor.shape}, config.json says {dims}")
            return np.ascontiguousarray(tensor, dtype=F32)

        self.word = take("embeddings.word_embeddings.weight", (None, h))
        self.position = take("embeddings.position_embeddings.weight", (shape.max_positions, h))
        self.token_type = take("embeddings.token_type_embeddings.weight", (None, h))
        self.ln = (take("embeddings.LayerNorm.weight", (h,)), take("embeddings.LayerNorm.bias", (h,)))
        self.layers = []
        for n in range(shape.layers):
            q = f"encoder.layer.{n}."
            qkv_w = np.concatenate([take(q + f"attention.self.{part}.weight", (h, h)) for part in
                                    ("query", "key", "value")])
            qkv_b = np.concatenate([take(q + f"attention.self.{part}.bias", (h,)) for part in
                                    ("query", "key", "value")])
            self.layers.append({
                # Linear layers are stored (out, in) and computed x @ W.T: a transposed view, which BLAS reads
                # in place (no copy at load)
                "qkv_w": qkv_w.T, "qkv_b": qkv_b,
                "out_w": take(q + "attention.output.dense.weight", (h, h)).T,
                "out_b": take(q + "attention.output.dense.bias", (h,)),
                "ln1": (take(q + "attention.output.LayerNorm.weight", (h,)),
                        take(q + "attention.output.LayerNorm.bias", (h,))),
                "up_w": take(q + "intermediate.dense.weight", (i, h)).T,
                "up_b": take(q + "intermediate.dense.bias", (i,)),
                "down_w": take(q + "output.dense.weight", (h, i)).T,
                "down_b": take(q + "output.dense.bias", (h,)),
                "ln2": (take(q + "output.LayerNorm.weight", (h,)), take(q + "output.LayerNorm.bias", (h,))),
            })

    def forward(self, ids: Sequence[np.ndarray], type_ids: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Token embeddings of several sequences packed one after another, no padding: (tokens, hidden), and
        each sequence's start row (one more at the end).

        Dense layers run on all tokens at once; attention runs per sequence and head over that sequence's
        tokens only, which is what BERT's attention mask does to padded keys (their weight is exactly 0).
        """
        lengths = [len(i) for i in ids]
        starts = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        h, heads, eps = self.shape.hidden, self.shape.heads, self.shape.eps
        d = h // heads
        positions = np.concatenate([np.arange(n) for n in lengths])
        x = self.word[np.concatenate(ids)] + self.token_type[np.concatenate(type_ids)] + self.position[positions]
        x = _layer_norm(x, *self.ln, eps)
        scale = F32(1.0 / math.sqrt(d))
        for layer in self.layers:
            qkv = (x @ layer["qkv_w"] + layer["qkv_b"]).reshape(-1, 3, heads, d)
            qkv[:, 0] *= scale
            context = np.empty_like(x).reshape(-1, heads, d)
            for a, b in zip(starts[:-1], starts[1:]):
                # per head, 2-D products on strided views: BLAS reads them in place (NumPy's stacked matmul
                # on small matrices is several times slower, and worse with threads)
                scores = np.empty((heads, b - a, b - a), dtype=F32)
                for j in range(heads):
                    np.dot(qkv[a:b, 0, j], qkv[a:b, 1, j].T, out=scores[j])
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                for j in range(heads):
                    context[a:b, j] = scores[j] @ qkv[a:b, 2, j]
            x = _layer_norm(context.reshape(-1, h) @ layer["out_w"] + layer["out_b"] + x, *layer["ln1"], eps)
            up = _gelu(x @ layer["up_w"] + layer["up_b"], self._erf)
            x = _layer_norm(up @ layer["down_w"] + layer["down_b"] + x, *layer["ln2"], eps)
        return x, starts


def _load_weights(folder: Path) -> tuple[dict[str, np.ndarray], Path]:
    path = folder / "model.safetensors"
    if not path.is_file():
        extra = " (pytorch_model.bin is there, but reading it needs torch)" if (
            folder / "pytorch_model.bin").exists() else ""
        raise ModelFolderError(f"{path}: missing{extra}")
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    try:
        return load_file(str(path)), path
    except (SafetensorError, OSError, ValueError) as err:
        raise ModelFolderError(f"{path}: cannot read it ({err})") from err


def model_tokenizer(folder: Path) -> tuple[Any, Pipeline]:
    """The folder's tokenizer as the model runs it (see _tokenizer) and its pipeline, without reading the weights."""
    pipeline = read_pipeline(folder)
    return _tokenizer(folder, pipeline.max_seq_length), pipeline


def _tokenizer(folder: Path, max_length: int) -> Any:
    from tokenizers import Tokenizer

    path = folder / "tokenizer.json"
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as err:  # noqa: BLE001 (tokenizers raises its own Exception type for a bad file)
        raise ModelFolderError(f"{path}: cannot read it ({err})") from err
    # the file's own truncation (128) and fixed padding are not what sentence-transformers uses: it truncates at
    # max_seq_length, [CLS] and [SEP] included, and pads each batch to its longest text
    tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer


def blas_threads(threads: int) -> contextlib.AbstractContextManager:
    """A context in which NumPy's BLAS uses `threads` threads (0: leave it as it is), restored on exit.

    The limit is process-wide while it holds (threadpoolctl; without it, nothing is limited). One thread is
    what small products want: with OpenBLAS's second thread one question took 2x (p50) to 9x (p95) as long on
    a busy 2-core machine, and 500 documents 3.6x (benchmarks/results/startup.json).
    """
    controller = _blas_controller() if threads > 0 else None
    if controller is None:
        return contextlib.nullcontext()
    return controller.limit(limits=threads, user_api="blas")


@functools.lru_cache(maxsize=1)
def _blas_controller() -> Any:
    """threadpoolctl's view of the loaded BLAS libraries, made once: making one scans the process's libraries
    (~10 ms, as much as embedding a question); None without threadpoolctl."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


class MiniLMNumpy:
    """Tokenizer, encoder and pooling of a sentence-transformers folder; `encode` gives what model.encode does.

    threads: BLAS threads while encoding (see blas_threads; 0 leaves NumPy's default).
    """

    def __init__(self, tokenizer: Any, encoder: BertEncoder, pipeline: Pipeline, threads: int = 1):
        self.tokenizer, self.encoder, self.pipeline, self.threads = tokenizer, encoder, pipeline, threads
        self.dim, self.max_seq_length = pipeline.dim, pipeline.max_seq_length

    @classmethod
    def load(cls, folder: Path, threads: int = 1) -> "MiniLMNumpy":
        """Read a model folder (see the module docstring); raises ModelFolderError when it does not fit."""
        folder = Path(folder)
        pipeline, shape = read_pipeline(folder), read_shape(folder)
        if pipeline.dim != shape.hidden:
            raise ModelFolderError(f"{folder}: pooling dimension {pipeline.dim} differs from hidden_size "
                                   f"{shape.hidden} in config.json")
        if pipeline.max_seq_length > shape.max_positions:
            raise ModelFolderError(f"{folder / 'sentence_bert_config.json'}: max_seq_length "
                                   f"{pipeline.max_seq_length} exceeds max_position_embeddings {shape.max_positions}")
        weights, source = _load_weights(folder)
        encoder = BertEncoder(weights, shape, source)
        return cls(_tokenizer(folder, pipeline.max_seq_length), encoder, pipeline, threads)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length (if the pipeline normalises) float32 rows, one per text, in the order given.

        Texts are run batch_size at a time, packed without padding (see BertEncoder.forward).
        """
        out = np.zeros((len(texts), self.dim), dtype=F32)
        if not len(texts):
            return out
        encodings = self.tokenizer.encode_batch([str(t) for t in texts])
        step = max(1, batch_size)
        with blas_threads(self.threads):
            for first in range(0, len(texts), step):
                batch = encodings[first:first + step]
                tokens, starts = self.encoder.forward([np.asarray(e.ids, dtype=np.int64) for e in batch],
                                                      [np.asarray(e.type_ids, dtype=np.int64) for e in batch])
                out[first:first + len(batch)] = self._pool(tokens, starts)
        return out

    def _pool(self, tokens: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Mean over each sequence's tokens (all attended: nothing is padded), then L2 normalisation."""
        summed = np.add.reduceat(tokens, starts[:-1], axis=0)
        vectors = summed / np.diff(starts).astype(F32)[:, None]
        if self.pipeline.normalize:  # torch.nn.functional.normalize: x / max(|x|, 1e-12)
            vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), F32(1e-12))
        return vectors.astype(F32, copy=False)
