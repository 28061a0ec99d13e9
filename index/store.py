"""The Chroma store of record: chunks, postings and the manifest (the only module that imports chromadb).

Three collections per prefix:
- ``{prefix}_chunks``: one record per chunk, id ``"{posting_id}::{tag}::{i}"``, the chunk text, its
  vector and filterable facts as metadata;
- ``{prefix}_postings``: one record per posting, id ``"{posting_id}::{tag}"``, the posting as JSON
  (facts included) and the normalised mean of its chunk vectors;
- ``{prefix}_meta``: the one ``"manifest"`` record, mapping each live posting id to its tag (beside it the
  last rebuild's report and the ``"cleanup"`` record, see ``index_clean``).

A tag is ``"{hash[:12]}-g{generation}"``. Writers add records under new tags, then switch the
manifest, then delete the versions the switch replaced (every record the manifest does not list, when
``index_clean`` says a rebuild may have left others). Readers only return records the
manifest lists, so a rebuild that stops half-way leaves the previous index answering as before.

Processes (measured with chromadb 1.5.9): a ``PersistentClient`` that is already open sees a
manifest written by another process afterwards (``get`` of documents and metadata reads SQLite),
but its in-memory vector segment does not: ``query`` keeps answering from the vectors it loaded
and ``get(include=["embeddings"])`` of the new records fails ("Error finding id"). So a store opened
with ``IndexStore.open`` on a local folder reopens its client by itself when ``read_manifest`` sees
another generation than the one it saw last; ``reopen()`` does it on demand. Reopening only
refreshes anything when no other client in the process holds the same folder (Chroma shares one
system per path). A client of a Chroma server (``chroma_url``) always sees the server's state.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence
from urllib.parse import urlsplit

import numpy as np

from config import Settings
from index.models import Chunk, Posting, posting_from_dict, posting_to_dict

log = logging.getLogger(__name__)

WRITE_BATCH = 2000  # records per write or delete call when the client states no maximum
READ_BATCH = 5000  # records per get call
EF_SEARCH = 100
MANIFEST_ID = "manifest"
REBUILD_REPORT_ID = "last_rebuild"  # the last rebuild's summary (for /metrics and alerts), beside the manifest
# {"clean": false} while a rebuild writes; {"clean": true} once records no manifest lists are gone (see index_clean)
CLEANUP_ID = "cleanup"


class StoreUnavailable(Exception):
    """The store cannot be read or written right now (a short message, safe to show)."""


@dataclass
class Manifest:
    """The live index: which tag of each posting is current, and how it was built."""

    generation: int
    built_at: str  # ISO 8601, UTC
    model: str
    dim: int
    postings: dict[str, str] = field(default_factory=dict)  # posting id -> tag
    chunks: int | None = None  # chunks of the postings listed (None: a manifest written before it was kept)

    def to_json(self) -> str:
        """The manifest as a JSON document (built by hand: asdict would deep-copy 100k tags first)."""
        document = {"built_at": self.built_at, "dim": self.dim, "generation": self.generation,
                    "model": self.model, "postings": self.postings}
        if self.chunks is not None:
            document["chunks"] = self.chunks
        return json.dumps(document, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        """Parse a manifest written by to_json."""
        data = json.loads(text)
        return cls(
            generation=int(data["generation"]),
            built_at=str(data["built_at"]),
            model=str(data["model"]),
            dim=int(data["dim"]),
            postings={str(k): str(v) for k, v in data["postings"].items()},
            chunks=int(data["chunks"]) if data.get("chunks") is not None else None,
        )


@dataclass
class StoredChunk:
    """One chunk as read back from the store."""

    id: str
    posting_id: str
    index: int
    section: str
    text: str


@dataclass
class PostingRecord:
    """What the rebuild writes for one posting: the posting, its tag, its chunks and their vectors."""

    posting: Posting
    tag: str
    chunks: list[Chunk]
    vectors: np.ndarray  # (len(chunks), dim), L2-normalised
    text_hash: str = ""  # hash of what was embedded: a later version with the same one reuses the vectors


def now_iso() -> str:
    """The current time as ISO 8601 UTC with a Z."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def make_tag(content_hash: str, generation: int) -> str:
    """The tag of a posting version: its hash prefix and the generation it was written in."""
    return f"{content_hash[:12]}-g{generation}"


def tag_hash(tag: str) -> str:
    """The hash prefix inside a tag."""
    return tag.rsplit("-g", 1)[0]


def posting_record_id(posting_id: str, tag: str) -> str:
    """Id of a posting record."""
    return f"{posting_id}::{tag}"


def chunk_record_id(posting_id: str, tag: str, index: int) -> str:
    """Id of a chunk record."""
    return f"{posting_id}::{tag}::{index}"


def _owner(record_id: str, parts: int) -> tuple[str, str] | None:
    """(posting_id, tag) of a record id with `parts` '::'-separated fields after the posting id."""
    pieces = record_id.rsplit("::", parts)
    return (pieces[0], pieces[1]) if len(pieces) == parts + 1 else None


def _scalar(value: Any) -> str | int | float | bool:
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def chunk_metadata(posting: Posting, tag: str, chunk: Chunk) -> dict[str, Any]:
    """Metadata of a chunk record: where it belongs, and the posting's filterable facts (missing ones omitted)."""
    facts = posting.facts
    meta: dict[str, Any] = {
        "posting_id": posting.id,
        "tag": tag,
        "chunk_index": chunk.index,
        "section": chunk.section,
        "title": posting.title,
        "company": posting.company,
    }
    for key, fact in (("remote", facts.remote), ("employment_type", facts.employment_type), ("degree", facts.degree)):
        if fact is not None and fact.value is not None:
            meta[key] = _scalar(fact.value)
    if facts.min_years is not None and isinstance(facts.min_years.value, (int, float)):
        meta["min_years"] = facts.min_years.value
    salary = facts.salary.value if facts.salary else None
    if salary is not None:
        if salary.yearly_min is not None:
            meta["salary_min_yearly"] = float(salary.yearly_min)
        if salary.yearly_max is not None:
            meta["salary_max_yearly"] = float(salary.yearly_max)
    languages = [str(f.value) for f in facts.languages if f.value]
    if languages:
        meta["languages"] = languages
    return meta


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


@contextmanager
def _guard(action: str) -> Iterator[None]:
    """Turn any chromadb, network or sqlite failure into StoreUnavailable with a short message."""
    try:
        yield
    except StoreUnavailable:
        raise
    except Exception as err:  # chromadb raises many types (ValueError, httpx, sqlite, Rust bindings)
        raise StoreUnavailable(f"the index store is unavailable: could not {action} ({type(err).__name__})") from err


def store_identity(settings: Settings) -> str:
    """Which index a store holds, as a string: the server's URL or the folder's real path, and the prefix."""
    where = settings.chroma_url.rstrip("/") if settings.chroma_url else str(Path(settings.chroma_path).resolve())
    return f"{where}#{settings.collection_prefix}"


def open_client(settings: Settings) -> Any:
    """A Chroma HttpClient for settings.chroma_url, else a PersistentClient at settings.chroma_path."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlsplit(settings.chroma_url)
        ssl = url.scheme == "https"
        with _guard("connect to the Chroma server"):
            port = url.port or (443 if ssl else 8000)
            return chromadb.HttpClient(host=url.hostname or "localhost", port=port, ssl=ssl, settings=chroma_settings)
    path = Path(settings.chroma_path)
    with _guard("open the index folder"):
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


class IndexStore:
    """Reads and writes the three collections of one prefix through a Chroma client."""

    def __init__(self, client: Any, prefix: str, reconnect: Callable[[], Any] | None = None,
                 connect: Callable[[], Any] | None = None):
        """Wrap a client; `reconnect` makes a fresh one (local folders: see the module notes); `connect`
        makes one on first use when `client` is None (a Chroma server that was not reachable yet)."""
        self.client = client
        self.prefix = prefix
        self._reconnect = reconnect
        self._connect = connect
        self._collections: dict[str, Any] = {}
        self._seen_generation: int | None = None  # generation of the last manifest read or written
        self._batch: int | None = None  # records per write call (see _write_batch)

    @classmethod
    def open(cls, settings: Settings) -> "IndexStore":
        """The store the settings point at (a server, or a local folder that reopens on a new manifest)."""
        if settings.chroma_url:  # the server may be down or not up yet: connect on first use, and keep trying
            try:
                client = open_client(settings)
            except StoreUnavailable as err:
                log.warning("%s; connecting again on the next read", err)
                client = None
            return cls(client, settings.collection_prefix, connect=lambda: open_client(settings))
        return cls(open_client(settings), settings.collection_prefix, reconnect=lambda: open_client(settings))

    # --- connection

    @property
    def sees_other_processes(self) -> bool:
        """True when, after reopen(), this store shows records another process wrote: a server's store, or a
        local folder's opened with IndexStore.open (a bare client cannot reconnect)."""
        return self._connect is not None or self._reconnect is not None

    def reopen(self) -> None:
        """Close and reopen the client, so reads see vectors another process wrote (local folders)."""
        if self._reconnect is None:
            return
        try:
            self.close()
        except StoreUnavailable:
            log.warning("closing the old index client failed; opening a new one anyway")
        self.client = None  # if reconnecting fails now, the next call tries again
        self._connected()

    def close(self) -> None:
        """Release the client (a local folder's files and threads)."""
        self._collections.clear()
        close = getattr(self.client, "close", None)
        if close is not None:
            with _guard("close the index"):
                close()

    def _connected(self) -> Any:
        if self.client is None:
            factory = self._reconnect or self._connect
            if factory is None:
                raise StoreUnavailable("the index store is closed")
            with _guard("reopen the index"):
                self.client = factory()
        return self.client

    def heartbeat(self) -> None:
        """Raise StoreUnavailable unless the store answers."""
        with _guard("reach the index"):
            self._connected().heartbeat()

    def _collection(self, kind: str, create: bool = False) -> Any | None:
        """The {prefix}_{kind} collection; None when it does not exist and create is False."""
        if kind in self._collections:
            return self._collections[kind]
        name = f"{self.prefix}_{kind}"
        if create:
            config = {"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}}
            collection = self._connected().get_or_create_collection(name, configuration=config, embedding_function=None)
        else:
            from chromadb.errors import NotFoundError

            try:
                collection = self._connected().get_collection(name, embedding_function=None)
            except NotFoundError:
                return None
        self._collections[kind] = collection
        return collection

    # --- reading (the bot)

    def read_manifest(self) -> Manifest | None:
        """The live manifest, or None when nothing was ever built (reopens a local client on a new one)."""
        try:
            with _guard("read the manifest"):
                meta = self._collection("meta")
                got = meta.get(ids=[MANIFEST_ID], include=["documents"]) if meta is not None else {"ids": []}
                manifest = Manifest.from_json(got["documents"][0]) if got["ids"] else None
        except StoreUnavailable:
            self._collections.clear()  # a server restarted on another folder has new collection ids: look again
            raise
        generation = manifest.generation if manifest else 0
        if self._reconnect is not None and self._seen_generation not in (None, generation):
            log.info("index generation %s appeared; reopening the local index", generation)
            self.reopen()
        self._seen_generation = generation
        return manifest

    def _get_by_ids(self, kind: str, ids: list[str], include: list[str]) -> dict[str, dict[str, Any]]:
        """Records by id, in batches; raises StoreUnavailable when any is missing (a rebuild removed it)."""
        collection = self._collection(kind)
        if collection is None:
            if ids:
                raise StoreUnavailable(f"the index store is unavailable: the {kind} collection is missing")
            return {}
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), READ_BATCH):
            got = collection.get(ids=ids[start : start + READ_BATCH], include=include)
            for i, record_id in enumerate(got["ids"]):
                found[record_id] = {name: got[name][i] for name in include}
        if len(found) < len(set(ids)):
            raise StoreUnavailable("the index changed while it was being read; try again")
        return found

    def read_postings(self, manifest: Manifest) -> list[Posting]:
        """The postings the manifest lists (facts included), in posting-id order."""
        ids = [posting_record_id(pid, tag) for pid, tag in sorted(manifest.postings.items())]
        with _guard("read postings"):
            found = self._get_by_ids("postings", ids, ["documents"])
            return [posting_from_dict(json.loads(found[i]["documents"])) for i in ids]

    def read_chunks(self, manifest: Manifest) -> tuple[list[StoredChunk], np.ndarray]:
        """The chunks the manifest lists and their vectors: float32 (n, dim), L2-normalised, row-aligned."""
        return self.read_chunk_records(manifest.postings, manifest.dim)

    def read_chunk_records(self, postings: dict[str, str], dim: int) -> tuple[list[StoredChunk], np.ndarray]:
        """The chunks of these posting versions (id -> tag), in posting-id then chunk order, with their vectors."""
        heads = self.posting_heads(postings)
        ids = [
            chunk_record_id(pid, tag, i) for pid, tag in sorted(postings.items()) for i in range(int(heads[pid]["chunks"]))
        ]
        with _guard("read chunks"):
            found = self._get_by_ids("chunks", ids, ["embeddings", "documents", "metadatas"])
            chunks = []
            vectors = np.zeros((len(ids), dim), dtype=np.float32)
            for row, record_id in enumerate(ids):
                record = found[record_id]
                meta = record["metadatas"]
                chunks.append(StoredChunk(record_id, meta["posting_id"], int(meta["chunk_index"]),
                                          meta.get("section", ""), record["documents"]))
                vectors[row] = record["embeddings"]
        return chunks, _normalise(vectors)

    def query(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Nearest chunk records (ANN, unfiltered) as (chunk id, cosine similarity); may include non-live ids."""
        with _guard("search the index"):
            chunks = self._collection("chunks")
            if chunks is None or k <= 0:
                return []
            got = chunks.query(query_embeddings=[np.asarray(vector, dtype=np.float32)], n_results=k, include=["distances"])
            return [(rid, 1.0 - float(d)) for rid, d in zip(got["ids"][0], got["distances"][0])]

    # --- writing (the rebuild)

    def write_postings(self, records: Sequence[PostingRecord]) -> None:
        """Write posting and chunk records (under their tags, invisible until a manifest lists them)."""
        ids, vectors, documents, metadatas = [], [], [], []
        p_ids, p_vectors, p_documents, p_metadatas = [], [], [], []
        for record in records:
            posting, tag = record.posting, record.tag
            for chunk, vector in zip(record.chunks, record.vectors):
                ids.append(chunk_record_id(posting.id, tag, chunk.index))
                vectors.append(vector)
                documents.append(chunk.text)
                metadatas.append(chunk_metadata(posting, tag, chunk))
            p_ids.append(posting_record_id(posting.id, tag))
            p_vectors.append(_normalise(np.mean(record.vectors, axis=0)))
            p_documents.append(json.dumps(posting_to_dict(record.posting), default=str))
            p_metadatas.append(
                {"posting_id": posting.id, "tag": tag, "chunks": len(record.chunks), "text_hash": record.text_hash}
            )
        with _guard("write to the index"):
            self._upsert("chunks", ids, vectors, documents, metadatas)
            self._upsert("postings", p_ids, p_vectors, p_documents, p_metadatas)

    def _write_batch(self) -> int:
        """Records per write call: the most the client takes in one call (asked once), else WRITE_BATCH."""
        if self._batch is None:
            getter = getattr(self._connected(), "get_max_batch_size", None)
            self._batch = max(1, int(getter())) if getter is not None else WRITE_BATCH
        return self._batch

    def _upsert(self, kind: str, ids: list, vectors: list, documents: list, metadatas: list) -> None:
        collection = self._collection(kind, create=True)
        batch = self._write_batch()
        for start in range(0, len(ids), batch):
            end = start + batch
            collection.upsert(
                ids=ids[start:end],
                embeddings=np.asarray(vectors[start:end], dtype=np.float32),
                documents=documents[start:end],
                metadatas=metadatas[start:end],
            )

    def write_manifest(self, manifest: Manifest) -> None:
        """Switch the live index to this manifest (one record: the switch is atomic)."""
        with _guard("write the manifest"):
            meta = self._collection("meta", create=True)
            meta.upsert(ids=[MANIFEST_ID], embeddings=[[1.0]], documents=[manifest.to_json()])
        self._seen_generation = manifest.generation

    def write_rebuild_report(self, report: dict[str, Any]) -> None:
        """Record the last rebuild's summary (ok, error, seconds, ...), stamped with recorded_at, for every reader."""
        document = json.dumps({**report, "recorded_at": now_iso()}, default=str, sort_keys=True)
        with _guard("write the rebuild report"):
            meta = self._collection("meta", create=True)
            meta.upsert(ids=[REBUILD_REPORT_ID], embeddings=[[1.0]], documents=[document])

    def read_rebuild_report(self) -> dict[str, Any] | None:
        """The last rebuild's summary as written by write_rebuild_report, or None when none was recorded."""
        with _guard("read the rebuild report"):
            meta = self._collection("meta")
            got = meta.get(ids=[REBUILD_REPORT_ID], include=["documents"]) if meta is not None else {"ids": []}
        return json.loads(got["documents"][0]) if got["ids"] else None

    def index_clean(self) -> bool:
        """True when the store holds no record the manifest leaves out but the versions its last switch replaced.

        False while a rebuild writes (until it has removed what it replaced), after a rebuild that failed or was
        stopped, and for an index written before this record existed: the next rebuild then sweeps every record.
        """
        with _guard("read the cleanup record"):
            meta = self._collection("meta")
            got = meta.get(ids=[CLEANUP_ID], include=["documents"]) if meta is not None else {"ids": []}
        if not got["ids"]:
            return False
        try:
            return json.loads(got["documents"][0]).get("clean") is True
        except (ValueError, AttributeError):
            return False

    def mark_clean(self, clean: bool) -> None:
        """Record whether only live records and the versions the last switch replaced are left (index_clean)."""
        with _guard("write the cleanup record"):
            meta = self._collection("meta", create=True)
            meta.upsert(ids=[CLEANUP_ID], embeddings=[[1.0]], documents=[json.dumps({"clean": clean})])

    def delete_versions(self, versions: dict[str, tuple[str, int]]) -> int:
        """Delete these posting versions (id -> (tag, chunks)): their posting and chunk records; returns how many."""
        chunk_ids = [chunk_record_id(pid, tag, i) for pid, (tag, chunks) in versions.items() for i in range(chunks)]
        posting_ids = [posting_record_id(pid, tag) for pid, (tag, _) in versions.items()]
        with _guard("remove old records"):
            for kind, ids in (("chunks", chunk_ids), ("postings", posting_ids)):
                collection = self._collection(kind)
                if collection is None:
                    continue
                self._delete(collection, ids)
        return len(chunk_ids) + len(posting_ids)

    def collect_garbage(self, manifest: Manifest) -> int:
        """Delete every chunk and posting record the manifest does not list; returns how many."""
        deleted = 0
        with _guard("remove old records"):
            for kind, parts in (("chunks", 2), ("postings", 1)):
                collection = self._collection(kind)
                if collection is None:
                    continue
                stale = []
                for record_id in self._all_ids(collection):
                    owner = _owner(record_id, parts)
                    if owner is None or manifest.postings.get(owner[0]) != owner[1]:
                        stale.append(record_id)
                self._delete(collection, stale)
                deleted += len(stale)
        return deleted

    def _delete(self, collection: Any, ids: list[str]) -> None:
        """Delete in as many records a call as the client takes (a local delete costs ~0.4 ms a record at 420k
        records; fewer calls save only the per-call part, docs/benchmarks.md)."""
        batch = self._write_batch()
        for start in range(0, len(ids), batch):
            collection.delete(ids=ids[start : start + batch])

    @staticmethod
    def _all_ids(collection: Any) -> list[str]:
        ids: list[str] = []
        while True:
            got = collection.get(include=[], limit=READ_BATCH, offset=len(ids))
            ids.extend(got["ids"])
            if len(got["ids"]) < READ_BATCH:
                return ids

    def posting_heads(self, postings: dict[str, str]) -> dict[str, dict[str, Any]]:
        """Metadata of these posting versions (id -> tag): posting_id, tag, chunks, text_hash."""
        ids = {posting_record_id(pid, tag): pid for pid, tag in postings.items()}
        with _guard("read postings"):
            heads = self._get_by_ids("postings", list(ids), ["metadatas"])
        return {ids[rid]: head["metadatas"] for rid, head in heads.items()}

    def stats(self) -> dict[str, Any]:
        """Postings, chunks, generation and build time of the live index."""
        manifest = self.read_manifest()
        if manifest is None:
            return {"postings": 0, "chunks": 0, "generation": 0, "built_at": None, "model": None}
        return {
            "postings": len(manifest.postings),
            "chunks": manifest.chunks if manifest.chunks is not None else sum(
                int(head["chunks"]) for head in self.posting_heads(manifest.postings).values()),
            "generation": manifest.generation,
            "built_at": manifest.built_at,
            "model": manifest.model,
        }
