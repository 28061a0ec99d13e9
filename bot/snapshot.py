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
- ``state.pickle``: the rest (fact columns, places by location, the mention index as arrays);
- ``meta.json``: the key it was built for and the size of every file, written last.

The key hashes the manifest (generation, build time, every posting's tag), where the store is, the snapshot
format and the answering code: a snapshot of another generation, another index or older code is never used
(`load` returns None and the caller builds the catalog from the store, then saves a new snapshot). A folder is
written under a temporary name and renamed into place, so a reader never sees half of one; replicas that
write the same snapshot at once keep the first. The folder is the bot's own, like the Chroma folder: its
pickle is trusted as the index is.
"""

from __future__ import annotations

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

from bot.columns import PostingColumn, StoredPosting, TextColumn

__all__ = ["Snapshots", "SnapshotKey", "StoredPosting", "TextColumn", "code_fingerprint", "load", "save"]

log = logging.getLogger(__name__)

FORMAT = 2  # 2: postings as columns (bot/columns.py), the mention index as arrays
KEEP = 2  # snapshots kept per folder: the newest, and the one before it (a replica may still be loading it)
_HEAVY = ("postings", "vectors", "chunk_texts", "chunk_ids", "chunk_posting", "_bm25", "_bm25_vocab")


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
        catalog._bm25, catalog._bm25_vocab = None, {}
        if (path / "bm25").is_dir():
            import bm25s

            catalog._bm25 = bm25s.BM25.load(str(path / "bm25"), mmap=True, show_progress=False)
            catalog._bm25_vocab = catalog._bm25.vocab_dict
        if not (len(catalog.postings) == meta["postings"] == len(catalog.min_years) and len(catalog.chunk_texts) == meta["chunks"]
                == len(catalog.vectors) == len(catalog.chunk_posting) == len(catalog.chunk_ids)):
            raise ValueError("its parts disagree on how many postings or chunks there are")
    except Exception as err:  # a damaged snapshot is rebuilt from the store, never trusted
        log.warning("snapshot %s is unusable (%s: %s); removed, building the catalog from the store", path,
                    type(err).__name__, err)
        shutil.rmtree(path, ignore_errors=True)  # so that the catalog built from the store is saved anew
        return None
    return catalog


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

    def latest(self):
        """(catalog, manifest) of the newest snapshot of this store written by this code, or None: what a replica
        that starts while the store cannot be read answers from (stale) until the store is back."""
        from index.store import Manifest

        tag = store_tag(self.store_identity)
        try:
            folders = sorted((p for p in self.folder.glob("gen*-*") if p.is_dir()),
                             key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return None
        for path in folders:
            try:
                meta = json.loads((path / "meta.json").read_text())
                if (meta.get("store"), meta.get("code"), meta.get("format")) != (tag, code_fingerprint(), FORMAT):
                    continue
                manifest = Manifest.from_json((path / "manifest.json").read_text())
            except (OSError, ValueError, KeyError):
                continue
            catalog = self.load(manifest)  # checks the key: the manifest is the one it was built from
            if catalog is not None:
                return catalog, manifest
        return None

    def prepare(self, store) -> Path | None:
        """Make sure the snapshot of the store's current generation exists (after a rebuild: the next replica
        start loads it); its path, or None when there is no index or it could not be written."""
        from bot.catalog import Catalog

        manifest = store.read_manifest()
        if manifest is None:
            return None
        key = self.key(manifest)
        if _valid_meta(self.folder / key.name, key) is not None:
            return self.folder / key.name
        return self.save(Catalog.from_store(store, manifest), manifest)

    def save(self, catalog, manifest) -> Path | None:
        """Save the catalog's snapshot; a failure (disk full, read-only folder) is logged, never raised."""
        try:
            return save(catalog, self.folder, self.key(manifest), manifest, self.store_identity)
        except Exception as err:
            log.warning("could not write the index snapshot in %s (%s: %s); replicas will build the catalog "
                        "from the store", self.folder, type(err).__name__, err)
            return None
