"""The manifest of a local index folder, read from Chroma's own SQLite file without importing chromadb.

A fresh `postings-bot ask` checks the store's manifest (the store of record) before it trusts a snapshot. Through
chromadb that costs more than the rest of a fact question: importing chromadb (its telemetry, embedding
functions and HTTP clients come with it) and opening a PersistentClient take ~0.6 s on an idle core, reading the
one record a few milliseconds. So a store on a local folder (`PeekingIndexStore`, what the bot opens) reads the
manifest record straight from ``chroma.sqlite3`` while it has no client open, and opens the client only when
something needs more than the manifest (building a catalog without a snapshot, a rebuild's writes).

Chroma (1.x, embedded) writes each record to a log (``embeddings_queue``) and applies it to the collection's
SQLite metadata segment, which holds the documents; ``max_seq_id`` says how far each segment has applied the
log. `peek_manifest` answers only when it can be sure it reads what the client would: the file and the tables it
reads exist with the columns it reads, the database is not locked for longer than a second, and every log entry
of the meta collection is applied. Otherwise it returns UNSURE and the caller reads through chromadb as before
(a missing folder, another Chroma layout, a rebuild mid-write). The file is opened read-only: nothing here writes.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from index.store import MANIFEST_ID, IndexStore, Manifest, open_client

log = logging.getLogger(__name__)

UNSURE = object()  # peek_manifest could not be sure: read the manifest through chromadb
SQLITE_FILE = "chroma.sqlite3"
TENANT, DATABASE = "default_tenant", "default_database"  # where a PersistentClient keeps its collections
DOCUMENT_KEY = "chroma:document"
BUSY_SECONDS = 1.0
# the tables and columns read below: another layout (a newer Chroma) is not guessed at
COLUMNS = {
    "databases": {"id", "name", "tenant_id"},
    "collections": {"id", "name", "database_id"},
    "segments": {"id", "scope", "collection"},
    "embeddings": {"id", "segment_id", "embedding_id"},
    "embedding_metadata": {"id", "key", "string_value"},
    "max_seq_id": {"segment_id", "seq_id"},
    "embeddings_queue": {"seq_id", "topic"},
}


def peek_manifest(folder: Path, prefix: str) -> Manifest | None | Any:
    """The manifest of the index in a local Chroma folder; None when no index was built there; UNSURE when the
    file cannot be read with certainty (see the module notes)."""
    path = Path(folder) / SQLITE_FILE
    if not path.is_file():
        return UNSURE  # a folder the client creates on first use
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None)) as db:
            db.execute("BEGIN")  # one read transaction: every query below sees the same state
            try:
                return _read(db, f"{prefix}_meta")
            finally:
                db.execute("ROLLBACK")
    except (sqlite3.Error, ValueError, KeyError, TypeError) as err:
        log.debug("manifest not read from %s (%s: %s); reading it through chromadb", path, type(err).__name__, err)
        return UNSURE


def _read(db: sqlite3.Connection, collection_name: str) -> Manifest | None | Any:
    for table, columns in COLUMNS.items():
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not columns <= present:
            return UNSURE
    found = db.execute(
        "SELECT c.id FROM collections c JOIN databases d ON d.id = c.database_id "
        "WHERE c.name = ? AND d.name = ? AND d.tenant_id = ?", (collection_name, DATABASE, TENANT)).fetchall()
    if not found:
        return None  # nothing was ever built in this folder
    if len(found) != 1:
        return UNSURE
    collection = found[0][0]
    segments = db.execute("SELECT id FROM segments WHERE collection = ? AND scope = 'METADATA'",
                          (collection,)).fetchall()
    if len(segments) != 1:
        return UNSURE
    segment = segments[0][0]
    applied = db.execute("SELECT seq_id FROM max_seq_id WHERE segment_id = ?", (segment,)).fetchall()
    applied_seq = applied[0][0] if applied else 0
    if not isinstance(applied_seq, int):
        return UNSURE
    pending = db.execute("SELECT 1 FROM embeddings_queue WHERE seq_id > ? AND topic LIKE ? LIMIT 1",
                         (applied_seq, "%/" + collection)).fetchone()
    if pending is not None:
        return UNSURE  # the log holds a write the metadata segment has not applied yet: the client applies it
    documents = db.execute(
        "SELECT m.string_value FROM embeddings e JOIN embedding_metadata m ON m.id = e.id "
        "WHERE e.segment_id = ? AND e.embedding_id = ? AND m.key = ?", (segment, MANIFEST_ID, DOCUMENT_KEY)).fetchall()
    if not documents:
        exists = db.execute("SELECT 1 FROM embeddings WHERE segment_id = ? AND embedding_id = ?",
                            (segment, MANIFEST_ID)).fetchone()
        return UNSURE if exists else None  # a manifest record without a document is not ours to read
    if len(documents) != 1 or not isinstance(documents[0][0], str):
        return UNSURE
    return Manifest.from_json(documents[0][0])


class PeekingIndexStore(IndexStore):
    """The store of a local index folder that opens its Chroma client on first use, not on start: while no client
    is open, the manifest is read with peek_manifest (and through the client when that is unsure)."""

    def __init__(self, settings):
        super().__init__(None, settings.collection_prefix, reconnect=lambda: open_client(settings))
        self.folder = Path(settings.chroma_path)

    def read_manifest(self) -> Manifest | None:
        if self.client is None:
            found = peek_manifest(self.folder, self.prefix)
            if found is not UNSURE:
                return found
        return super().read_manifest()
