"""Columns that hold many values in a few flat buffers instead of one Python object each.

A catalog of 100,000 postings held as Python objects costs hundreds of MB of heap (a Posting, its Facts, every
Fact and evidence sentence, a list of tokens per title). Here the same data lives in flat buffers: bytes with
offsets (in memory, or in a snapshot file read by offset), or numpy arrays; a value becomes a Python object only
when it is read. `PostingColumn` is the catalog's sequence of postings: a `StoredPosting` is a small proxy that
reads its fields from the columns when they are used.
"""

from __future__ import annotations

import os
import pickle
import zlib
from dataclasses import fields
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence, TypeVar, overload

import numpy as np

from index.models import Posting


T = TypeVar("T")


class Rows(Sequence[T]):
    """A sequence read row by row (`_row`): slices, negative and out-of-range indexes handled here, once."""

    def _row(self, index: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        index = int(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"row {index} of {len(self)}")
        return self._row(index)

    def __iter__(self) -> Iterator[T]:
        return (self._row(i) for i in range(len(self)))


class BytesColumn(Rows[bytes]):
    """Byte strings end to end in one buffer with their offsets: in memory, or in the file ``NAME.txt`` (the bytes)
    beside ``NAME.offsets.npy`` (len + 1 offsets), from which a value is read (pread) when it is asked for.

    A file is read, not memory-mapped: a mapping keeps every page it touched (and the pages the kernel maps
    around it) in the process's resident memory, so a replica that quoted a few thousand passages would hold
    hundreds of MB of text it does not need; a read leaves them in the page cache, which the kernel reclaims."""

    def __init__(self, data: bytes | None, offsets: np.ndarray, file=None):
        self._data = data
        self._offsets = offsets
        self._file = file  # an open binary file read by offset when data is None

    @classmethod
    def of(cls, values: Iterable[bytes]) -> "BytesColumn":
        """A column in memory holding the values."""
        values = list(values)
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        if values:
            np.cumsum([len(v) for v in values], out=offsets[1:])
        return cls(b"".join(values), offsets)

    @staticmethod
    def _encode(value) -> bytes:
        return value

    def _decode(self, raw: bytes):
        return raw

    @classmethod
    def write(cls, path: Path, values: Iterable) -> None:
        """Write values as a column at path (a name without suffix)."""
        offsets = [0]
        with open(path.with_suffix(".txt"), "wb") as out:
            position = 0
            for value in values:
                encoded = cls._encode(value)
                out.write(encoded)
                position += len(encoded)
                offsets.append(position)
        np.save(path.with_suffix(".offsets.npy"), np.array(offsets, dtype=np.int64))

    def save(self, path: Path) -> None:
        """Write this column at path (a name without suffix), as `write` does."""
        end = int(self._offsets[-1]) if len(self._offsets) else 0
        with open(path.with_suffix(".txt"), "wb") as out:
            block = 1 << 24
            for start in range(0, end, block):
                out.write(self._read(start, min(end, start + block)))
        np.save(path.with_suffix(".offsets.npy"), np.asarray(self._offsets, dtype=np.int64))

    @classmethod
    def open(cls, path: Path):
        """The column written at path, read from its file on demand (the offsets memory-mapped)."""
        offsets = np.load(path.with_suffix(".offsets.npy"), mmap_mode="r")
        if offsets.ndim != 1 or len(offsets) == 0 or int(offsets[0]) != 0 or (np.diff(offsets) < 0).any():
            raise ValueError(f"{path.with_suffix('.offsets.npy')}: not the offsets of a column")
        file = open(path.with_suffix(".txt"), "rb")  # kept open: a snapshot removed meanwhile stays readable
        size = os.fstat(file.fileno()).st_size
        if size != int(offsets[-1]):
            file.close()
            raise ValueError(f"{path.with_suffix('.txt')}: {size} bytes, the offsets say {int(offsets[-1])}")
        return cls(None, offsets, file)

    def _read(self, start: int, end: int) -> bytes:
        if self._data is not None:
            return self._data[start:end]
        data = os.pread(self._file.fileno(), end - start, start)
        if len(data) != end - start:
            raise OSError(f"{self._file.name}: {len(data)} bytes at {start}, {end - start} expected")
        return data

    def buffer(self) -> tuple[bytes, np.ndarray]:
        """(every value end to end, the offsets), read in one go."""
        end = int(self._offsets[-1]) if len(self._offsets) else 0
        return self._read(0, end) if end else b"", np.asarray(self._offsets, dtype=np.int64)

    def values(self) -> list:
        """Every value, read in one go rather than row by row."""
        data, offsets = self.buffer()
        bounds = offsets.tolist()
        decode = self._decode
        return [decode(data[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]

    @property
    def nbytes(self) -> int:
        """Bytes held in memory (the values when in memory, the offsets)."""
        return (len(self._data) if self._data is not None else 0) + self._offsets.nbytes

    def raw(self, index: int) -> bytes:
        return self._read(int(self._offsets[index]), int(self._offsets[index + 1]))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _row(self, index: int):
        return self._decode(self.raw(index))

    def __reduce__(self):  # a copy or a pickle holds the values themselves, not the mapping
        return list, (list(self),)


class TextColumn(BytesColumn):
    """Strings stored end to end as UTF-8, decoded when read; nothing else is held in memory."""

    @classmethod
    def of(cls, values: Iterable[str]) -> "TextColumn":  # type: ignore[override]
        return super().of(cls._encode(v) for v in values)  # type: ignore[return-value]

    @staticmethod
    def _encode(value: str) -> bytes:  # type: ignore[override]
        return value.encode("utf-8", "surrogatepass")

    def _decode(self, raw: bytes) -> str:
        return raw.decode("utf-8", "surrogatepass")


# ------------------------------------------------------------------------------------------------ postings

_NAMED = ("id", "title", "company", "location")  # each its own text column: read for every posting named
_PICKLED = ("url", "source", "listed_at", "columns", "facts")  # one pickled tuple a posting: read when used
CACHE_SIZE = 4096  # postings kept decoded (a list answer reads the facts of each posting it lists)


class PostingColumn(Rows[Posting]):
    """The catalog's postings as columns: id, title, company, location and text as `TextColumn`s, the rest (url,
    source, listed_at, columns, facts) pickled per posting in one `BytesColumn`. Reading row i gives a
    `StoredPosting` that decodes a field when it is used; the last CACHE_SIZE postings read stay decoded."""

    PARTS = (*_NAMED, "text", "rest")

    def __init__(self, parts: dict[str, BytesColumn]):
        self.parts = parts
        self._named = {name: parts[name] for name in _NAMED}
        self._texts = parts["text"]
        self._rest = parts["rest"]
        self._cache: dict[int, StoredPosting] = {}
        self.decoded = 0  # postings whose pickled part was read (a figure for tests and benchmarks)
        if len({len(c) for c in parts.values()}) > 1:
            raise ValueError("the posting columns disagree on how many postings there are")

    @classmethod
    def of(cls, postings: Iterable[Posting]) -> "PostingColumn":
        """The postings as columns in memory."""
        postings = list(postings)
        parts: dict[str, BytesColumn] = {name: TextColumn.of(getattr(p, name) for p in postings)
                                         for name in (*_NAMED, "text")}
        parts["rest"] = BytesColumn.of(_pickle_rest(p) for p in postings)
        return cls(parts)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, column in self.parts.items():
            column.save(folder / name)

    @classmethod
    def open(cls, folder: Path) -> "PostingColumn":
        """The postings saved in folder, read from its files on demand."""
        return cls({name: (BytesColumn if name == "rest" else TextColumn).open(folder / name) for name in cls.PARTS})

    def column(self, name: str) -> TextColumn:
        """One field of every posting (id, title, company, location or text), read on demand."""
        return self.parts[name]  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._texts)

    def _row(self, index: int) -> Posting:
        found = self._cache.get(index)
        if found is not None:
            return found
        posting = StoredPosting.__new__(StoredPosting)
        posting.__dict__.update(_col=self, _row=index)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()  # (a plain dict, cleared when full: safe to share between threads)
        self._cache[index] = posting
        return posting

    def plain(self, rows: Sequence[int]) -> list[Posting]:
        """These rows as plain Postings (every field read), the columns read in one go rather than row by row."""
        named = {name: self._named[name].values() for name in _NAMED}
        texts = self._texts.values()
        rest = self._rest.values()
        out = []
        for row in rows:
            values = {name: named[name][row] for name in _NAMED}
            values["text"] = texts[row]
            values.update(zip(_PICKLED, pickle.loads(rest[row])))
            out.append(Posting(**values))
        return out

    def __reduce__(self):  # a copy or a pickle holds plain postings
        return list, ([p.plain() for p in self],)


def _pickle_rest(posting: Posting) -> bytes:
    return pickle.dumps(tuple(getattr(posting, name) for name in _PICKLED), protocol=pickle.HIGHEST_PROTOCOL)


def _named_field(name: str) -> property:
    def get(self):
        d = self.__dict__
        if name in d:
            return d[name]
        value = d[name] = d["_col"]._named[name][d["_row"]]
        return value

    def set_(self, value) -> None:
        self.__dict__[name] = value

    return property(get, set_)


def _pickled_field(name: str) -> property:
    def get(self):
        d = self.__dict__
        if name not in d:
            column = d["_col"]
            column.decoded += 1
            for key, value in zip(_PICKLED, pickle.loads(column._rest.raw(d["_row"]))):
                d.setdefault(key, value)  # a field set before stays as set
        return d[name]

    def set_(self, value) -> None:
        self.__dict__[name] = value

    return property(get, set_)


def _text_get(self) -> str:
    d = self.__dict__
    if "text" in d:
        return d["text"]
    return d["_col"]._texts[d["_row"]]  # not kept: the posting's description is read from the column when used


def _text_set(self, value: str) -> None:
    self.__dict__["text"] = value


class StoredPosting(Posting):
    """A posting of a `PostingColumn`: its fields are read from the columns when used (a field set on it is
    kept on it). Compares equal to a Posting with the same fields; a copy or a pickle is a plain Posting."""

    text = property(_text_get, _text_set)  # type: ignore[assignment]

    def plain(self) -> Posting:
        """This posting as a plain Posting (every field read)."""
        return Posting(**_fields(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Posting):
            return _fields(self) == _fields(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  (as a dataclass Posting: mutable, unhashable)

    def __reduce__(self):  # a copy or a pickle is a plain Posting with its text
        return _plain_posting, (_fields(self),)


for _name in _NAMED:
    setattr(StoredPosting, _name, _named_field(_name))
for _name in _PICKLED:
    setattr(StoredPosting, _name, _pickled_field(_name))


def _plain_posting(fields_: dict) -> Posting:
    return Posting(**fields_)


def _fields(posting: Posting) -> dict:
    return {f.name: getattr(posting, f.name) for f in fields(Posting)}


# ------------------------------------------------------------------------------------------------ token lists

class TokenLists(Rows[list]):
    """Lists of words stored as word numbers into a vocabulary, with offsets (CSR): row i is a new list of the
    words, in their order."""

    def __init__(self, vocabulary: Sequence[str], ids: np.ndarray, offsets: np.ndarray):
        self.vocabulary = vocabulary
        self.ids = ids
        self.offsets = offsets

    @classmethod
    def of(cls, lists: Sequence[Sequence[str]], vocabulary: Sequence[str], number: dict[str, int]) -> "TokenLists":
        """The lists, every word in `vocabulary` (number: word -> its position there)."""
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        if lists:
            np.cumsum([len(words) for words in lists], out=offsets[1:])
        ids = np.fromiter((number[w] for words in lists for w in words), dtype=np.int32, count=int(offsets[-1]))
        return cls(vocabulary, ids, offsets)

    @classmethod
    def build(cls, lists: Iterable[Sequence[str]]) -> "TokenLists":
        """The lists, their words numbered in the order they first appear."""
        flat: list[str] = []
        lengths: list[int] = []
        for words in lists:
            flat.extend(words)
            lengths.append(len(words))
        number = {word: j for j, word in enumerate(dict.fromkeys(flat))}
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        if lengths:
            np.cumsum(lengths, out=offsets[1:])
        return cls(list(number), np.fromiter(map(number.__getitem__, flat), dtype=np.int32, count=len(flat)), offsets)

    def extended(self, lists: Iterable[Sequence[str]]) -> "TokenLists":
        """These lists followed by more, numbered into this vocabulary (new words added at its end)."""
        vocabulary = self.vocabulary.values() if isinstance(self.vocabulary, BytesColumn) else list(self.vocabulary)
        number = {w: j for j, w in enumerate(vocabulary)}
        if len(number) != len(vocabulary):
            raise ValueError("a word is twice in the vocabulary")
        flat: list[int] = []
        lengths: list[int] = []
        for words in lists:
            flat.extend(number.setdefault(w, len(number)) for w in words)
            lengths.append(len(words))
        vocabulary.extend(list(number)[len(vocabulary):])
        ids = np.concatenate([np.asarray(self.ids, dtype=np.int32), np.array(flat, dtype=np.int32)])
        offsets = np.concatenate([np.asarray(self.offsets, dtype=np.int64),
                                  int(self.offsets[-1]) + np.cumsum(lengths, dtype=np.int64)])
        return TokenLists(vocabulary, ids, offsets)

    def select(self, rows: np.ndarray) -> "TokenLists":
        """The lists of these rows, in this order (same vocabulary)."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = np.asarray(self.offsets[:-1], dtype=np.int64)[rows]
        lengths = np.asarray(self.offsets[1:], dtype=np.int64)[rows] - starts
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        # position k of the result reads ids[starts[row] + (k - offsets[row])]
        positions = np.arange(int(offsets[-1]), dtype=np.int64) + np.repeat(starts - offsets[:-1], lengths)
        return TokenLists(self.vocabulary, np.asarray(self.ids)[positions].astype(np.int32, copy=False), offsets)

    def save(self, folder: Path) -> None:
        """Write the lists into folder: the vocabulary as a text column, the word numbers and offsets as arrays."""
        folder.mkdir(parents=True, exist_ok=True)
        TextColumn.write(folder / "vocabulary", self.vocabulary)
        np.save(folder / "ids.npy", np.asarray(self.ids, dtype=np.int32))
        np.save(folder / "offsets.npy", np.asarray(self.offsets, dtype=np.int64))

    @classmethod
    def open(cls, folder: Path) -> "TokenLists":
        """The lists saved in folder: the arrays memory-mapped, the vocabulary read on demand; checked to agree
        (offsets from 0, in order, up to the number of word numbers) but the word numbers are not read here."""
        vocabulary = TextColumn.open(folder / "vocabulary")
        ids = np.load(folder / "ids.npy", mmap_mode="r")
        offsets = np.load(folder / "offsets.npy", mmap_mode="r")
        if (ids.ndim != 1 or offsets.ndim != 1 or len(offsets) == 0 or int(offsets[0]) != 0
                or int(offsets[-1]) != len(ids) or (np.diff(offsets) < 0).any()):
            raise ValueError(f"{folder}: the word lists' offsets do not fit their word numbers")
        return cls(vocabulary, ids, offsets)

    def valid(self) -> bool:
        """True when every word number is one of the vocabulary (reads every number)."""
        ids = np.asarray(self.ids)
        return len(ids) == 0 or (int(ids.min()) >= 0 and int(ids.max()) < len(self.vocabulary))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def _row(self, index: int) -> list:
        vocabulary = self.vocabulary
        return [vocabulary[j] for j in self.ids[self.offsets[index]:self.offsets[index + 1]].tolist()]


# ------------------------------------------------------------------------------------------------ ids

class IdIndex(Mapping[str, int]):
    """Posting id -> row, as a dict {id: row} answers (the last row of an id wins), held as two arrays: a stable
    hash of each id, sorted, and its row; a lookup checks the ids column itself. A dict of 100k ids costs
    ~13 MB of str and int objects; this, 0.8 MB."""

    def __init__(self, ids: Sequence[str]):
        self.ids = ids
        hashes = np.fromiter((_id_hash(i) for i in ids), dtype=np.uint32, count=len(ids))
        order = np.lexsort((np.arange(len(ids)), hashes))
        self._hashes = hashes[order]
        self._rows = order.astype(np.int32)

    @classmethod
    def of_column(cls, ids: Sequence[str], hashes: np.ndarray, rows: np.ndarray) -> "IdIndex":
        index = cls.__new__(cls)
        index.ids, index._hashes, index._rows = ids, hashes, rows
        return index

    def __reduce__(self):  # a pickle holds the arrays; the ids column is attached again (bot/snapshot.py)
        return IdIndex.of_column, ((), self._hashes, self._rows)

    def get(self, key, default=None):
        if not isinstance(key, str):
            return default
        h = _id_hash(key)
        start = int(np.searchsorted(self._hashes, h, side="left"))
        found = default
        for position in range(start, len(self._hashes)):
            if self._hashes[position] != h:
                break
            row = int(self._rows[position])
            if self.ids[row] == key:
                found = row  # rows of one hash are in order: the last match wins, as in a dict
        return found

    def __getitem__(self, key: str) -> int:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return row

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def __len__(self) -> int:
        return len(set(self.ids))

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(self.ids))


def _id_hash(posting_id: str) -> int:
    return zlib.crc32(posting_id.encode("utf-8", "surrogatepass"))
