"""Readers: one per input kind, and the dispatcher that walks files and folders.

Every reader yields ``RawDoc`` for what it could read and ``Problem`` for what
it could not (file, line, reason); nothing raises out of a reader, so one bad
file never stops a corpus.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from ..model import Problem, RawDoc
from .html import read_html_file
from .jsonfile import read_json_file
from .jsonl import read_jsonl_file
from .tabular import read_csv_file, read_parquet_file, read_tsv_file
from .text import read_text_file
from .warc import read_warc_file

#: Largest single article (a .txt/.html file, a JSONL line, a WARC record) read.
#: News articles are at most a few hundred KB; 20 MB leaves room for bloated
#: HTML while refusing dumps that were never one article.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    for suffix, kind in ((".txt", "text"), (".html", "html"), (".htm", "html"),
                         (".jsonl", "jsonl"), (".warc", "warc"), (".json", "json"),
                         (".csv", "csv"), (".tsv", "tsv"), (".parquet", "parquet")):
        if name.endswith(suffix):
            return kind
    return None


def iter_files(paths: list[str | Path]) -> Iterator[Path | Problem]:
    """Every file under ``paths`` (folders recursively, sorted for a stable order)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield Path(root) / f
        elif p.exists():
            yield p
        else:
            yield Problem(str(p), None, "no such file or folder")


NOT_CORPUS = "skipped: not a corpus file (.txt, .html, .htm, .jsonl, .json, .csv, .tsv, .warc, optionally .gz; .parquet)"
#: Readers of record-shaped inputs: they take the field mapping (``fields.py``).
RECORD_READERS = {"jsonl": read_jsonl_file, "json": read_json_file, "csv": read_csv_file,
                  "tsv": read_tsv_file, "parquet": read_parquet_file}


def read_paths(paths: list[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES,
               fields=None) -> Iterator[RawDoc | Problem]:
    """Every document under ``paths``; ``fields`` (a ``FieldMap`` or field -> column
    dict) maps the columns of JSONL, JSON, CSV, TSV and Parquet records."""
    for f in iter_files(paths):
        if isinstance(f, Problem):
            yield f
            continue
        kind = kind_of(f)
        if kind is None:
            yield Problem(str(f), None, NOT_CORPUS)
            continue
        try:
            if kind in RECORD_READERS:
                yield from RECORD_READERS[kind](f, max_bytes=max_bytes, fields=fields)
                continue
            reader = {"text": read_text_file, "html": read_html_file, "warc": read_warc_file}[kind]
            yield from reader(f, max_bytes=max_bytes)
        except Exception as e:  # a reader bug must not stop the corpus either
            yield Problem(str(f), None, f"unreadable: {type(e).__name__}: {e}")
