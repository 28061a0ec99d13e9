"""A compact copy of the loaded catalog on local disk, so that a replica loads an index in seconds.

Chroma stays the store of record. The snapshot is derived from it: what `Catalog` builds from the store
(keyword index, mention index, fact columns, places), kept per index generation in a folder of files that
load without re-reading the store or re-deriving anything:

- ``vectors.npy``: the chunk vectors, float32, memory-mapped (pages are shared by replicas on one host and
  read only as the exact scan touches them);
- ``chunk_texts`` and ``chunk_ids``: strings end to end in one file each, read and decoded on demand
  (`TextColumn`, bot/columns.py), not held as Python strings nor mapped into the process;
- ``postings/``: the postings as columns (`PostingColumn`): id, title, company, location and text as text
  columns, the rest of each posting (url, source, facts with their evidence) pickled per posting in one
  file, read and decoded when that posting is used; no Python object per posting is built at load;
- ``bm25/``: the keyword index in bm25s's own format, loaded memory-mapped;
- ``keywords/``: each chunk's keyword tokens as word numbers into a vocabulary (`TokenLists`), memory-mapped
  and not read by a replica that answers: what the next generation's catalog reuses;
- ``state.pickle``: the rest (fact columns, places by location, the mention index as arrays);
- ``meta.json``: the key it was built for and the size of every file, written last.

The key hashes the manifest (generation, build time, every posting's tag), where the store is, the snapshot
format and the answering code: a snapshot of another generation, another index or older code is never used
(`load` returns None and the caller builds the catalog from the store, then saves a new snapshot). A folder is
written under a temporary name and renamed into place, so a reader never sees half of one; replicas that
write the same snapshot at once keep the first. The folder is the bot's own, like the Chroma folder: its
pickle is trusted as the index is.

The next generation's catalog is derived from the newest snapshot of the same store and code (`derive`): a
posting whose (id, tag) is unchanged comes with its chunks, vectors and keyword tokens from the snapshot, only
new or changed postings are read from the store, and the keyword, mention and fact indexes are rebuilt over the
result: the catalog Catalog.from_store would build, for a fraction of the reading and tokenizing. A snapshot that
does not fit (other model, parts that disagree, a damaged file) or a change of more than half the postings
builds the catalog whole.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.columns import PostingColumn, StoredPosting, TextColumn, TokenLists

__all__ = ["Snapshots", "SnapshotKey", "StoredPosting", "TextColumn", "code_fingerprint", "load", "save"]

log = logging.getLogger(__name__)

FORMAT = 3  # 2: postings as columns (bot/columns.py), the mention index as arrays; 3: each chunk's keyword tokens
KEEP = 2  # snapshots kept per folder: the newest, and the one before it (a replica may still be loading it)
_HEAVY = ("postings", "vectors", "chunk_texts", "chunk_ids", "chunk_posting", "_bm25", "_bm25_vocab", "keywords")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the answering code's source files: a snapshot built by other code is not used."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for package in ("bot", "index"):  # the code, and the generated tables it reads (index/data)
        for path in sorted([*(root / package).rglob("*.py"), *(root / package).rglob("*.json")]):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class SnapshotKey:
    """What a snapshot was built from: the manifest's generation and content, the store, format and code."""

    generation: int
    built_at: str
    digest: str  # sha256 of the manifest, the store's identity, the format and the code

    @classmethod
    def of(cls, manifest, store_identity: str) -> "SnapshotKey":
        digest = hashlib.sha256()
        for part in (manifest.to_json(), store_identity, str(FORMAT), code_fingerprint()):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return cls(int(manifest.generation), str(manifest.built_at), digest.hexdigest()[:24])

    @property
    def name(self) -> str:
        return f"gen{self.generation}-{self.digest}"


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "meta.json"}


def store_tag(store_identity: str) -> str:
    """A short hash of the store's identity, kept in a snapshot's meta (which store it is of, without saying where)."""
    return hashlib.sha256(store_identity.encode("utf-8")).hexdigest()[:16]


def save(catalog, folder: Path, key: SnapshotKey, manifest=None, store_identity: str = "") -> Path:
    """Write the catalog's snapshot for key into folder (atomically); returns its path. Older ones are pruned."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / key.name
    if _valid_meta(final, key) is not None:
        return final
    tmp = folder / f".tmp-{key.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        _write(catalog, tmp)
        if manifest is not None:  # lets a replica that restarts while the store is down start from it (stale)
            (tmp / "manifest.json").write_text(manifest.to_json())
        meta = {"format": FORMAT, "generation": key.generation, "built_at": key.built_at, "digest": key.digest,
                "store": store_tag(store_identity), "code": code_fingerprint(),
                "postings": len(catalog.postings), "chunks": catalog.chunk_count, "files": _files(tmp),
                "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
        if final.exists():  # a broken or half-removed one: replaced
            shutil.rmtree(final, ignore_errors=True)
        try:
            os.rename(tmp, final)
        except OSError:  # another replica renamed its copy first: keep that one
            if _valid_meta(final, key) is None:
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    _prune(folder, keep=final)
    return final


def _write(catalog, folder: Path) -> None:
    state = {name: value for name, value in vars(catalog).items() if name not in _HEAVY}
    with open(folder / "state.pickle", "wb") as out:
        pickle.dump(state, out, protocol=pickle.HIGHEST_PROTOCOL)
    postings = catalog.postings
    if not isinstance(postings, PostingColumn):
        postings = PostingColumn.of(postings)
    postings.save(folder / "postings")
    for name in ("chunk_texts", "chunk_ids"):
        column = getattr(catalog, name)
        if isinstance(column, TextColumn):
            column.save(folder / name)
        else:
            TextColumn.write(folder / name, column)
    np.save(folder / "vectors.npy", np.ascontiguousarray(catalog.vectors, dtype=np.float32))
    np.save(folder / "chunk_posting.npy", np.asarray(catalog.chunk_posting, dtype=np.int32))
    if catalog._bm25 is not None:
        catalog._bm25.save(str(folder / "bm25"), show_progress=False)
    if getattr(catalog, "keywords", None) is not None:  # what the next generation's catalog reuses (derive)
        catalog.keywords.save(folder / "keywords")


def _valid_meta(path: Path, key: SnapshotKey) -> dict | None:
    """The snapshot's meta when it was built for key and every file has the size it was written with."""
    try:
        meta = json.loads((path / "meta.json").read_text())
    except (OSError, ValueError):
        return None
    if (meta.get("format"), meta.get("generation"), meta.get("built_at"), meta.get("digest")) != (
            FORMAT, key.generation, key.built_at, key.digest):
        return None
    try:
        if _files(path) != meta.get("files"):
            return None
    except OSError:
        return None
    return meta


def load(folder: Path, key: SnapshotKey):
    """The catalog saved for key in folder, or None when there is none or it does not match (never trusted)."""
    from bot.catalog import Catalog

    path = folder / key.name
    meta = _valid_meta(path, key)
    if meta is None:
        return None
    try:
        with open(path / "state.pickle", "rb") as f:
            state = pickle.load(f)
        catalog = Catalog.__new__(Catalog)
        vars(catalog).update(state)
        catalog.postings = PostingColumn.open(path / "postings")
        catalog.by_id.ids = catalog.postings.column("id")
        catalog.vectors = np.load(path / "vectors.npy", mmap_mode="r")
        catalog.chunk_posting = np.load(path / "chunk_posting.npy")
        catalog.chunk_texts = TextColumn.open(path / "chunk_texts")
        catalog.chunk_ids = TextColumn.open(path / "chunk_ids")
        catalog.keywords = TokenLists.open(path / "keywords") if (path / "keywords").is_dir() else None
        catalog._bm25, catalog._bm25_vocab = None, {}
        if (path / "bm25").is_dir():
            import bm25s

            catalog._bm25 = bm25s.BM25.load(str(path / "bm25"), mmap=True, show_progress=False)
            catalog._bm25_vocab = catalog._bm25.vocab_dict
        if not (len(catalog.postings) == meta["postings"] == len(catalog.min_years) and len(catalog.chunk_texts) == meta["chunks"]
                == len(catalog.vectors) == len(catalog.chunk_posting) == len(catalog.chunk_ids)) or (
                catalog.keywords is not None and len(catalog.keywords) != meta["chunks"]):
            raise ValueError("its parts disagree on how many postings or chunks there are")
    except Exception as err:  # a damaged snapshot is rebuilt from the store, never trusted
        log.warning("snapshot %s is unusable (%s: %s); removed, building the catalog from the store", path,
                    type(err).__name__, err)
        shutil.rmtree(path, ignore_errors=True)  # so that the catalog built from the store is saved anew
        return None
    return catalog


DERIVE_LIMIT = 0.5  # more of the postings new or changed than this share: the catalog is read whole from the store


@dataclass
class _Previous:
    """What a derived catalog reuses of an earlier generation's snapshot (read from its files, checked)."""

    manifest: object
    postings: PostingColumn
    rows: dict[str, int]  # posting id -> its row
    chunk_start: np.ndarray  # chunks of posting row r: chunk_start[r]:chunk_start[r + 1]
    chunk_ids: list[str]
    chunk_id_buffer: tuple[bytes, np.ndarray]
    chunk_texts: TextColumn
    vectors: np.ndarray  # memory-mapped
    keywords: TokenLists


def _open_previous(path: Path, manifest, meta: dict) -> _Previous:
    """The parts of the snapshot at path (built for manifest) a derived catalog reuses; ValueError (or OSError)
    when they are missing or disagree with each other."""
    postings = PostingColumn.open(path / "postings")
    chunk_posting = np.load(path / "chunk_posting.npy")
    chunk_id_column = TextColumn(*TextColumn.open(path / "chunk_ids").buffer())  # read in one go
    chunk_ids = chunk_id_column.values()
    chunk_texts = TextColumn.open(path / "chunk_texts")
    vectors = np.load(path / "vectors.npy", mmap_mode="r")
    keywords = TokenLists.open(path / "keywords")
    ids = postings.column("id").values()
    n, chunks = int(meta["postings"]), int(meta["chunks"])
    if not (len(ids) == n == len(manifest.postings) and len(chunk_posting) == len(chunk_ids) == len(chunk_texts)
            == len(vectors) == len(keywords) == chunks):
        raise ValueError("its parts disagree on how many postings or chunks there are")
    if vectors.ndim != 2 or vectors.shape[1] != int(manifest.dim):
        raise ValueError(f"vectors of shape {vectors.shape} for dimension {manifest.dim}")
    if chunks and ((np.diff(chunk_posting) < 0).any() or not 0 <= int(chunk_posting[0]) <= int(chunk_posting[-1]) < n):
        raise ValueError("its chunks are not grouped by posting")
    rows = {posting_id: row for row, posting_id in enumerate(ids)}
    if len(rows) != n or set(rows) != set(manifest.postings):
        raise ValueError("its postings are not those of its manifest")
    if not keywords.valid():
        raise ValueError("its keyword lists name words outside their vocabulary")
    chunk_start = np.searchsorted(chunk_posting, np.arange(n + 1), side="left").astype(np.int64)
    return _Previous(manifest, postings, rows, chunk_start, chunk_ids, chunk_id_column.buffer(), chunk_texts, vectors,
                     keywords)


def _runs(sources: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(source, start, end) row ranges with neighbours that continue each other joined into one."""
    runs: list[tuple[int, int, int]] = []
    for source, start, end in sources:
        if end <= start:
            continue
        if runs and runs[-1][0] == source and runs[-1][2] == start:
            runs[-1] = (source, runs[-1][1], end)
        else:
            runs.append((source, start, end))
    return runs


def _gather_text(runs, old: tuple[bytes, np.ndarray], new: tuple[bytes, np.ndarray], kind=TextColumn):
    """The column of these runs: source 0 rows of `old`, source 1 rows of `new` (each: bytes, offsets), copied as
    bytes (not decoded)."""
    parts, lengths = [], []
    for source, start, end in runs:
        data, offsets = old if source == 0 else new
        parts.append(data[int(offsets[start]):int(offsets[end])])
        lengths.append(np.diff(offsets[start:end + 1]))
    offsets = np.zeros(sum(len(x) for x in lengths) + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=offsets[1:])
    return kind(b"".join(parts), offsets)


def derive(previous: _Previous, store, manifest):
    """The catalog of manifest built from an earlier generation's snapshot and the store: postings whose (id, tag)
    is unchanged come with their chunks, vectors and keyword tokens from the snapshot, only new or changed ones
    are read from the store, removed ones are left out. The same catalog as Catalog.from_store gives (postings
    in id order, their chunks in order); None when too much changed for it to pay."""
    from bot.catalog import Catalog, KeywordTokenizer
    from index.store import Manifest

    if (previous.manifest.model, int(previous.manifest.dim)) != (manifest.model, int(manifest.dim)):
        return None  # vectors of another model
    old_tags = previous.manifest.postings
    order = sorted(manifest.postings.items())
    fresh = {pid: tag for pid, tag in order if old_tags.get(pid) != tag}
    if len(fresh) > DERIVE_LIMIT * len(order):
        return None
    subset = Manifest(generation=manifest.generation, built_at=manifest.built_at, model=manifest.model,
                      dim=manifest.dim, postings=fresh)
    fresh_postings = store.read_postings(subset) if fresh else []
    fresh_chunks, fresh_vectors = store.read_chunk_records(fresh, manifest.dim) if fresh else ([], None)
    if [p.id for p in fresh_postings] != list(fresh):
        raise ValueError("the store gave other postings than those asked for")
    fresh_start: dict[str, int] = {}
    fresh_end: dict[str, int] = {}
    for i, chunk in enumerate(fresh_chunks):
        fresh_start.setdefault(chunk.posting_id, i)
        fresh_end[chunk.posting_id] = i + 1
    kept = [previous.rows[pid] for pid, _tag in order if pid not in fresh]
    reused = iter(previous.postings.plain(kept))
    by_fresh_id = {p.id: p for p in fresh_postings}
    postings, sources, posting_sources, chunk_posting_ids = [], [], [], []
    starts = previous.chunk_start
    fresh_row = {pid: i for i, pid in enumerate(fresh)}
    for pid, tag in order:
        if pid in fresh:
            postings.append(by_fresh_id[pid])
            posting_sources.append((1, fresh_row[pid], fresh_row[pid] + 1))
            start, end = fresh_start.get(pid, 0), fresh_end.get(pid, 0)
            sources.append((1, start, end))
        else:
            posting = next(reused)
            row = previous.rows[pid]
            start, end = int(starts[row]), int(starts[row + 1])
            if posting.id != pid or previous.chunk_ids[start:end] != [f"{pid}::{tag}::{i}" for i in range(end - start)]:
                raise ValueError(f"posting {pid}: its chunks in the snapshot are not those of version {tag}")
            postings.append(posting)
            posting_sources.append((0, row, row + 1))
            sources.append((0, start, end))
        chunk_posting_ids.extend([pid] * (end - start))
    # the postings as columns: the unchanged ones' bytes copied from the snapshot, not encoded and pickled again
    posting_runs, fresh_columns = _runs(posting_sources), PostingColumn.of(fresh_postings)
    columns = PostingColumn({name: _gather_text(posting_runs, previous.postings.parts[name].buffer(),
                                                fresh_columns.parts[name].buffer(), type(fresh_columns.parts[name]))
                             for name in PostingColumn.PARTS})
    runs = _runs(sources)
    count = len(chunk_posting_ids)
    if manifest.chunks is not None and count != int(manifest.chunks):
        raise ValueError(f"{count} chunks, the manifest says {manifest.chunks}")
    vectors = np.empty((count, int(manifest.dim)), dtype=np.float32)
    at, rows = 0, []
    offset = len(previous.keywords)  # fresh chunks' keyword lists follow the previous ones
    for source, start, end in runs:
        vectors[at:at + end - start] = (previous.vectors if source == 0 else fresh_vectors)[start:end]
        rows.append(np.arange(start, end) + (0 if source == 0 else offset))
        at += end - start
    tokens = KeywordTokenizer()
    keywords = previous.keywords.extended(
        tokens(f"{by_fresh_id[c.posting_id].title} {by_fresh_id[c.posting_id].company} {c.text}")
        for c in fresh_chunks)
    keywords = keywords.select(np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64))
    fresh_texts = TextColumn.of(c.text for c in fresh_chunks).buffer()
    chunk_texts = _gather_text(runs, previous.chunk_texts.buffer(), fresh_texts)
    chunk_ids = _gather_text(runs, previous.chunk_id_buffer, TextColumn.of(c.id for c in fresh_chunks).buffer())
    return Catalog(postings, chunk_posting_ids, chunk_texts, vectors, chunk_ids=chunk_ids, keywords=keywords,
                   columns=columns)


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the newest KEEP snapshots (and temporary folders older than an hour)."""
    now = time.time()
    done = sorted((p for p in folder.glob("gen*-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in done if p != keep][KEEP - 1:]:
        shutil.rmtree(old, ignore_errors=True)  # a replica still reading it keeps its open mappings
    for tmp in folder.glob(".tmp-*"):
        try:
            if now - tmp.stat().st_mtime > 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        except OSError:
            pass


class Snapshots:
    """Snapshots of one store's catalogs in a local folder: load the one for a manifest, or save it."""

    def __init__(self, folder: Path, store_identity: str):
        self.folder = Path(folder)
        self.store_identity = store_identity

    def key(self, manifest) -> SnapshotKey:
        return SnapshotKey.of(manifest, self.store_identity)

    def load(self, manifest):
        """The catalog for manifest from its snapshot, or None."""
        return load(self.folder, self.key(manifest))

    def _own(self):
        """(folder, meta, manifest) of each snapshot of this store written by this code, newest first; folders
        that cannot be read are passed over."""
        from index.store import Manifest

        tag = store_tag(self.store_identity)
        try:
            folders = sorted((p for p in self.folder.glob("gen*-*") if p.is_dir()),
                             key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for path in folders:
            try:
                meta = json.loads((path / "meta.json").read_text())
                if (meta.get("store"), meta.get("code"), meta.get("format")) != (tag, code_fingerprint(), FORMAT):
                    continue
                manifest = Manifest.from_json((path / "manifest.json").read_text())
            except (OSError, ValueError, KeyError, AttributeError, TypeError):
                continue
            yield path, meta, manifest

    def latest(self):
        """(catalog, manifest) of the newest snapshot of this store written by this code, or None: what a replica
        that starts while the store cannot be read answers from (stale) until the store is back."""
        for _path, _meta, manifest in self._own():
            catalog = self.load(manifest)  # checks the key: the manifest is the one it was built from
            if catalog is not None:
                return catalog, manifest
        return None

    def _previous(self, manifest) -> _Previous | None:
        """The reusable parts of the newest snapshot of this store written by this code (not manifest's own)."""
        for path, meta, earlier in self._own():
            try:
                if _valid_meta(path, self.key(earlier)) is None:  # built for that manifest, every file whole
                    continue
                return _open_previous(path, earlier, meta)
            except Exception as err:  # damaged or half-removed: not used (the next older one may be)
                log.warning("snapshot %s cannot be reused (%s: %s)", path, type(err).__name__, err)
        return None

    def derive(self, store, manifest):
        """The catalog of manifest derived from the newest snapshot of this store (see `derive`), or None when
        there is none, it does not fit, or too much changed. The store's own failures (StoreUnavailable) are
        raised; anything else wrong is logged and gives None (the caller builds the catalog whole)."""
        from index.store import StoreUnavailable

        try:
            previous = self._previous(manifest)
            if previous is None:
                return None
            started = time.perf_counter()
            catalog = derive(previous, store, manifest)
        except StoreUnavailable:
            raise
        except Exception as err:
            log.warning("could not derive the catalog of generation %s from the snapshot (%s: %s); building it "
                        "from the store", manifest.generation, type(err).__name__, err)
            return None
        if catalog is not None:
            log.info("catalog of generation %s derived from the snapshot of generation %s in %.2f s",
                     manifest.generation, previous.manifest.generation, time.perf_counter() - started)
        return catalog

    def build(self, store, manifest):
        """The catalog of manifest: derived from the newest snapshot of this store when it can be, else read whole
        from the store (Catalog.from_store)."""
        from bot.catalog import Catalog

        enabled = gc.isenabled()  # no cyclic collection meanwhile: it would walk the many objects made again and
        gc.disable()  # again (a replica's reload pauses it already; the command line's snapshot write did not)
        try:
            catalog = self.derive(store, manifest)
            return catalog if catalog is not None else Catalog.from_store(store, manifest)
        finally:
            if enabled:
                gc.enable()

    def prepare(self, store) -> Path | None:
        """Make sure the snapshot of the store's current generation exists (after a rebuild: the next replica
        start loads it), derived from the previous one when it can be; its path, or None when there is no index
        or it could not be written."""
        manifest = store.read_manifest()
        if manifest is None:
            return None
        key = self.key(manifest)
        if _valid_meta(self.folder / key.name, key) is not None:
            return self.folder / key.name
        return self.save(self.build(store, manifest), manifest)

    def save(self, catalog, manifest) -> Path | None:
        """Save the catalog's snapshot; a failure (disk full, read-only folder) is logged, never raised."""
        try:
            return save(catalog, self.folder, self.key(manifest), manifest, self.store_identity)
        except Exception as err:
            log.warning("could not write the index snapshot in %s (%s: %s); replicas will build the catalog "
                        "from the store", self.folder, type(err).__name__, err)
            return None
