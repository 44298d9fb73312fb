"""The embedded store: one SQLite file holding the corpus and every stage's results.

Schema and migrations live here and nowhere else.  Documents are keyed by
the content hash of what was read; stage results are keyed by the hash of
their input, so re-running over a grown corpus only computes what is new.
Every write happens inside a transaction: a run killed at any point leaves
the file consistent, and the next run picks up from the last commit.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from ..model import RawDoc

SCHEMA_VERSION = 2           # 2: values too large for one row are kept in ``parts``

#: A JSON value longer than this many characters is stored in parts of this size
#: (SQLite holds at most 1,000,000,000 bytes in one value; a character is at most
#: 4 bytes of UTF-8, so a part is at most 256 MB).  The corpus result of a million
#: articles is several GB of JSON.  8M characters: a part is gathered, joined and
#: encoded for SQLite at once, so its size is held about three times over while it is
#: written (64M parts: the realistic 10k run's writing rose from 330 to 616 MB PSS;
#: with 8M parts the peak was 392 MB, in the corpus steps; bench/README
#: "100k after the eighth session").
PART_CHARS = 8 * 1024 * 1024

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    hash TEXT PRIMARY KEY,           -- content hash of the text/html read
    id   TEXT NOT NULL,              -- the first id seen for this content
    raw  TEXT NOT NULL               -- the RawDoc as JSON
);
CREATE TABLE IF NOT EXISTS doc_ids (
    id   TEXT PRIMARY KEY,           -- every id this content was read under
    hash TEXT NOT NULL REFERENCES documents(hash)
);
CREATE TABLE IF NOT EXISTS results (
    stage TEXT NOT NULL,             -- e.g. 'article' (per-document), 'corpus' (whole-run stages)
    key   TEXT NOT NULL,             -- hash of the stage's input and version
    value TEXT NOT NULL,             -- JSON
    PRIMARY KEY (stage, key)
);
CREATE TABLE IF NOT EXISTS parts (
    owner TEXT NOT NULL,             -- 'results/<stage>/<key>' or 'analyses/<name>'
    seq   INTEGER NOT NULL,          -- 0, 1, ...: the value is their concatenation
    value TEXT NOT NULL,
    PRIMARY KEY (owner, seq)
);
CREATE TABLE IF NOT EXISTS analyses (
    name  TEXT PRIMARY KEY,          -- 'latest'
    key   TEXT NOT NULL,             -- hash of the documents analysed
    value TEXT NOT NULL              -- the analysis.json document
);
"""


class Store:
    def __init__(self, path: str | Path = "wiretrace.db"):
        self.path = Path(path)
        if self.path.parent and not self.path.parent.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- schema -------------------------------------------------------------
    def _migrate(self) -> None:
        with self.transaction():
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    self.db.execute(stmt)
            row = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path} was written by a newer wiretrace (schema {row[0]})")
            elif int(row[0]) < SCHEMA_VERSION:       # 1 -> 2: a table added, nothing rewritten
                self.db.execute("UPDATE meta SET value=? WHERE key='schema'", (str(SCHEMA_VERSION),))

    def size_on_disk(self) -> int:
        """Bytes of the store file with its write-ahead log and shared-memory index."""
        total = 0
        for suffix in ("", "-wal", "-shm"):
            f = self.path.with_name(self.path.name + suffix)
            if f.exists():
                total += f.stat().st_size
        return total

    def transaction(self):
        return _Tx(self.db)

    def close(self) -> None:
        self.db.close()

    # -- documents ----------------------------------------------------------
    def add_documents(self, docs: Iterable[tuple[str, RawDoc]], latest: Iterable[int] = ()) -> list[tuple[str, bool]]:
        """Store (hash, doc) pairs in one transaction; returns (hash, is_new) for each.
        Content already stored under another id records the new id as an alias.
        ``latest``: positions in ``docs`` of readings that replace the stored reading of
        their content when it differs (a corrected date, another outlet or title): the
        input as it is now is what an analysis of it uses."""
        out = []
        latest = set(latest)
        with self.transaction():
            for n, (h, doc) in enumerate(docs):
                # the stored reading is read back only for a reading that may replace it
                col = "raw" if n in latest else "1"
                row = self.db.execute(f"SELECT {col} FROM documents WHERE hash=?", (h,)).fetchone()
                if row is None:
                    self.db.execute("INSERT INTO documents VALUES (?,?,?)",
                                    (h, doc.id, json.dumps(asdict(doc), ensure_ascii=False)))
                elif n in latest:
                    raw = json.dumps(asdict(doc), ensure_ascii=False)
                    if row[0] != raw:
                        self.db.execute("UPDATE documents SET id=?, raw=? WHERE hash=?", (doc.id, raw, h))
                self.db.execute("INSERT OR REPLACE INTO doc_ids VALUES (?,?)", (doc.id, h))
                out.append((h, row is None))
        return out

    def document(self, h: str) -> RawDoc:
        row = self.db.execute("SELECT raw FROM documents WHERE hash=?", (h,)).fetchone()
        if row is None:
            raise KeyError(h)
        return RawDoc(**json.loads(row[0]))

    def documents(self, hashes: list[str], chunk: int = 500) -> Iterator[tuple[str, RawDoc]]:
        """(hash, document) for each of ``hashes``, in their order, read ``chunk`` at a
        time (never all of them in memory)."""
        for h, raw in self.raw_documents(hashes, chunk):
            yield h, raw_doc(raw)

    def raw_documents(self, hashes: list[str], chunk: int = 500) -> Iterator[tuple[str, str]]:
        """(hash, the document's stored JSON) for each of ``hashes``, as ``documents``
        (for a worker to parse: what passes between processes is one string)."""
        for i in range(0, len(hashes), chunk):
            part = hashes[i:i + chunk]
            q = f"SELECT hash, raw FROM documents WHERE hash IN ({','.join('?' * len(part))})"
            raw = dict(self.db.execute(q, part).fetchall())
            for h in part:
                if h not in raw:
                    raise KeyError(h)
                yield h, raw[h]

    def ids_of(self, h: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM doc_ids WHERE hash=? ORDER BY rowid", (h,))]

    def all_hashes(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT hash FROM documents ORDER BY rowid")]

    def count_documents(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    # -- stage results ------------------------------------------------------
    def get_results(self, stage: str, keys: list[str]) -> dict[str, object]:
        found: dict[str, object] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            q = f"SELECT key, value FROM results WHERE stage=? AND key IN ({','.join('?' * len(chunk))})"
            for k, v in self.db.execute(q, (stage, *chunk)):
                found[k] = self._load(v, f"results/{stage}/{k}")
        return found

    def put_results(self, stage: str, items: Iterable[tuple[str, object]], *, keep_order: bool = False) -> None:
        """Store each value as JSON, its keys sorted (the same value is the same
        text, whatever order it was built in), or with ``keep_order`` in their order:
        a corpus stage's result read back gives analysis.json the key order it was made with."""
        self.put_many(((stage, k, v) for k, v in items), keep_order=keep_order)

    def put_json_results(self, stage: str, items: Iterable[tuple[str, str]]) -> None:
        """Like ``put_results`` for values already written as JSON (the text
        ``json.dumps(value, ensure_ascii=False, sort_keys=True)`` gives, which is what
        ``put_results`` stores), in one transaction."""
        with self.transaction():
            for k, text in items:
                owner = f"results/{stage}/{k}"
                if len(text) >= PART_CHARS:
                    text = self._dump(json.loads(text), owner)
                else:
                    self.db.execute("DELETE FROM parts WHERE owner=?", (owner,))
                self.db.execute("INSERT OR REPLACE INTO results VALUES (?,?,?)", (stage, k, text))

    def put_many(self, items: Iterable[tuple[str, str, object]], *, keep_order: bool = False) -> None:
        """(stage, key, value) results of several stages, in one transaction."""
        with self.transaction():
            for st, k, v in items:
                self.db.execute("INSERT OR REPLACE INTO results VALUES (?,?,?)",
                                (st, k, self._dump(v, f"results/{st}/{k}", sort_keys=not keep_order)))

    # -- analyses -----------------------------------------------------------
    def save_analysis(self, key: str, analysis: dict, name: str = "latest", copy_to=None) -> None:
        """Keep ``analysis`` (the analysis.json document, maybe lazy: ``Analysis.to_doc``)
        as the text analysis.json has (``render.jsonfile.json_lines``); ``copy_to``, an
        open text stream, gets the same text as it is made (analysis.json and the
        store's copy from one encoding of the document)."""
        from ..render.jsonfile import json_lines
        pieces = json_lines(analysis)
        if copy_to is not None:
            pieces = _tee(pieces, copy_to)
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO analyses VALUES (?,?,?)",
                            (name, key, self._dump_pieces(pieces, f"analyses/{name}")))

    def load_analysis(self, name: str = "latest") -> dict | None:
        row = self.db.execute("SELECT value FROM analyses WHERE name=?", (name,)).fetchone()
        return self._load(row[0], f"analyses/{name}") if row else None

    def analysis_key(self, name: str = "latest") -> str | None:
        row = self.db.execute("SELECT key FROM analyses WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    # -- values of any size (inside a caller's transaction) --------------------
    def _dump(self, value: object, owner: str, sort_keys: bool = True) -> str:
        """The JSON of ``value`` for its row; a value over ``PART_CHARS`` goes into
        ``parts`` (written piece by piece, never as one string) and its row holds a marker."""
        return self._dump_pieces(iter_json(value, sort_keys), owner)

    def _dump_pieces(self, pieces: Iterable[str], owner: str) -> str:
        self.db.execute("DELETE FROM parts WHERE owner=?", (owner,))
        buf: list[str] = []
        size, seq = 0, 0
        for piece in pieces:
            buf.append(piece)
            size += len(piece)
            if size >= PART_CHARS:
                self.db.execute("INSERT INTO parts VALUES (?,?,?)", (owner, seq, "".join(buf)))
                buf, size, seq = [], 0, seq + 1
        if seq == 0:
            return "".join(buf)
        if buf:
            self.db.execute("INSERT INTO parts VALUES (?,?,?)", (owner, seq, "".join(buf)))
            seq += 1
        return json.dumps({_PARTS: seq})

    def _load(self, text: str, owner: str) -> object:
        value = json.loads(text)
        if isinstance(value, dict) and len(value) == 1 and _PARTS in value:
            pieces = [r[0] for r in self.db.execute("SELECT value FROM parts WHERE owner=? ORDER BY seq", (owner,))]
            if len(pieces) != value[_PARTS]:
                raise RuntimeError(f"{self.path}: {owner} has {len(pieces)} of its {value[_PARTS]} parts")
            return json.loads("".join(pieces))
        return value

    def dump(self) -> Iterator[tuple]:
        """Every content row, in a stable order (for comparing two stores)."""
        for table, order in (("documents", "hash"), ("doc_ids", "id"), ("results", "stage, key"),
                             ("parts", "owner, seq"), ("analyses", "name")):
            for row in self.db.execute(f"SELECT * FROM {table} ORDER BY {order}"):
                yield (table, *row)


class _Tx:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False


def _tee(pieces: Iterable[str], out) -> Iterator[str]:
    for piece in pieces:
        out.write(piece)
        yield piece


def raw_doc(text: str) -> RawDoc:
    """A document from its stored JSON (``Store.raw_documents``)."""
    return RawDoc(**json.loads(text))


_PARTS = "$wiretrace.parts"
#: Lists longer than this are written element by element (each with the C encoder).
_SPLIT_LIST = 256
#: Values of a numeric array written at once.
_ARRAY_BLOCK = 65536


def iter_json(value: object, sort_keys: bool = True) -> Iterator[str]:
    """The JSON text of ``value`` (as ``json.dumps(value, ensure_ascii=False)``) in
    pieces: dicts key by key and long lists element by element, so a value of
    several GB is never one string.  Small values are one piece from the C encoder."""
    if isinstance(value, dict) and value:
        yield "{"
        items = sorted(value.items()) if sort_keys else value.items()
        for n, (k, v) in enumerate(items):
            yield (", " if n else "") + json.dumps(str(k), ensure_ascii=False) + ": "
            if isinstance(v, (dict, list)) and len(v) > _SPLIT_LIST // 16 or _streamed(v):
                yield from iter_json(v, sort_keys)
            else:
                yield json.dumps(v, ensure_ascii=False, sort_keys=sort_keys)
        yield "}"
    elif isinstance(value, np.ndarray) and value.ndim == 1:
        # a numeric array as the list ``tolist`` gives, a block of values at a time
        yield "["
        for i in range(0, len(value), _ARRAY_BLOCK):
            yield (", " if i else "") + json.dumps(value[i:i + _ARRAY_BLOCK].tolist())[1:-1]
        yield "]"
    elif isinstance(value, (list, tuple)) and len(value) > _SPLIT_LIST or _lazy(value):
        yield "["
        for n, v in enumerate(value):
            yield (", " if n else "") + json.dumps(v, ensure_ascii=False, sort_keys=sort_keys)
        yield "]"
    else:
        yield json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)


def _streamed(value: object) -> bool:
    """Written piece by piece whatever its length: a lazy sequence, a numeric array, or
    a dict holding one."""
    return (_lazy(value) or isinstance(value, np.ndarray)
            or isinstance(value, dict) and any(_streamed(v) for v in value.values()))


def _lazy(value: object) -> bool:
    """A sequence that is not a list or tuple (``model.analysis.Mapped``): its elements
    are made as they are read, so it is written element by element, never as one."""
    return isinstance(value, Sequence) and not isinstance(value, (str, bytes, list, tuple))
