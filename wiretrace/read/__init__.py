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
from .jsonl import read_jsonl_file
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
                         (".jsonl", "jsonl"), (".warc", "warc")):
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


def read_paths(paths: list[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDoc | Problem]:
    for f in iter_files(paths):
        if isinstance(f, Problem):
            yield f
            continue
        kind = kind_of(f)
        if kind is None:
            yield Problem(str(f), None, "skipped: not a corpus file (.txt, .html, .htm, .jsonl, .warc, optionally .gz)")
            continue
        reader = {"text": read_text_file, "html": read_html_file,
                  "jsonl": read_jsonl_file, "warc": read_warc_file}[kind]
        try:
            yield from reader(f, max_bytes=max_bytes)
        except Exception as e:  # a reader bug must not stop the corpus either
            yield Problem(str(f), None, f"unreadable: {type(e).__name__}: {e}")
