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
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Iterator

from ..model import RawDoc

SCHEMA_VERSION = 1

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

    def transaction(self):
        return _Tx(self.db)

    def close(self) -> None:
        self.db.close()

    # -- documents ----------------------------------------------------------
    def add_documents(self, docs: Iterable[tuple[str, RawDoc]]) -> list[tuple[str, bool]]:
        """Store (hash, doc) pairs in one transaction; returns (hash, is_new) for each.
        Content already stored under another id records the new id as an alias."""
        out = []
        with self.transaction():
            for h, doc in docs:
                row = self.db.execute("SELECT 1 FROM documents WHERE hash=?", (h,)).fetchone()
                if row is None:
                    self.db.execute("INSERT INTO documents VALUES (?,?,?)",
                                    (h, doc.id, json.dumps(asdict(doc), ensure_ascii=False)))
                self.db.execute("INSERT OR REPLACE INTO doc_ids VALUES (?,?)", (doc.id, h))
                out.append((h, row is None))
        return out

    def document(self, h: str) -> RawDoc:
        row = self.db.execute("SELECT raw FROM documents WHERE hash=?", (h,)).fetchone()
        if row is None:
            raise KeyError(h)
        return RawDoc(**json.loads(row[0]))

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
                found[k] = json.loads(v)
        return found

    def put_results(self, stage: str, items: Iterable[tuple[str, object]]) -> None:
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?)",
                                ((stage, k, json.dumps(v, ensure_ascii=False, sort_keys=True)) for k, v in items))

    def put_many(self, items: Iterable[tuple[str, str, object]]) -> None:
        """(stage, key, value) results of several stages, in one transaction."""
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO results VALUES (?,?,?)",
                                ((st, k, json.dumps(v, ensure_ascii=False, sort_keys=True)) for st, k, v in items))

    # -- analyses -----------------------------------------------------------
    def save_analysis(self, key: str, analysis: dict, name: str = "latest") -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO analyses VALUES (?,?,?)",
                            (name, key, json.dumps(analysis, ensure_ascii=False)))

    def load_analysis(self, name: str = "latest") -> dict | None:
        row = self.db.execute("SELECT value FROM analyses WHERE name=?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def analysis_key(self, name: str = "latest") -> str | None:
        row = self.db.execute("SELECT key FROM analyses WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def dump(self) -> Iterator[tuple]:
        """Every content row, in a stable order (for comparing two stores)."""
        for table, order in (("documents", "hash"), ("doc_ids", "id"), ("results", "stage, key"), ("analyses", "name")):
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
