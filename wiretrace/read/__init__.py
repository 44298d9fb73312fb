"""Readers: one per input kind, and the dispatcher that walks files and folders.

Every reader yields ``RawDoc`` for what it could read and ``Problem`` for what
it could not (file, line, reason); nothing raises out of a reader, so one bad
file never stops a corpus.
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Iterator

from ..model import Problem, RawDoc
from .files import not_regular_reason
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


#: Reasons of the problems the walk reports for a folder while listing its parent.
HIDDEN_FOLDER = "skipped: hidden folder"
FOLDER_AGAIN = "skipped: symbolic link to a folder already read (a link loop?)"
#: The start of the reason for a folder that cannot be listed.
CANNOT_LIST = "cannot read folder"


def folder_note(problem: Problem) -> bool:
    """Whether the walk reported ``problem`` for a folder while listing its parent
    (these come after the parent's files, before its subfolders' contents)."""
    return problem.reason in (HIDDEN_FOLDER, FOLDER_AGAIN)


def _link_problem(path: Path, e: OSError) -> Problem:
    """Why ``path`` (found, but not to be opened) is skipped."""
    if e.errno == errno.ELOOP:
        return Problem(str(path), None, "skipped: symbolic link loop")
    if isinstance(e, FileNotFoundError) and os.path.islink(path):
        return Problem(str(path), None, f"skipped: broken symbolic link (to {os.readlink(path)!r}, which does not exist)")
    if isinstance(e, FileNotFoundError):
        return Problem(str(path), None, "no such file or folder")
    return Problem(str(path), None, f"cannot read: {e.strerror or e}")


def _check_file(path: Path) -> Path | Problem:
    """``path`` if it is (or links to) a regular file, else the Problem: a FIFO,
    socket or device is never opened; broken links and link loops are named."""
    try:
        mode = os.stat(path).st_mode
    except OSError as e:
        return _link_problem(path, e)
    if not stat.S_ISREG(mode):
        return Problem(str(path), None, not_regular_reason(mode))
    return path


def _walk(top: Path) -> Iterator[Path | Problem]:
    """The files under folder ``top``: a folder's files (sorted) before its
    subfolders (sorted, recursively).  Hidden files and folders are skipped and
    each named once (not the files inside a hidden folder); a folder that cannot
    be listed is a problem; a folder reached twice through symbolic links is
    read once (a link loop is named)."""
    errors: list[OSError] = []
    seen: set[tuple[int, int]] = set()
    try:
        st = os.stat(top)
        seen.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    for root, dirs, files in os.walk(top, onerror=errors.append, followlinks=True):
        for e in errors:
            yield Problem(e.filename or root, None, f"{CANNOT_LIST}: {e.strerror or e}")
        errors.clear()
        rootp = Path(root)
        for f in sorted(files):
            if f.startswith("."):
                yield Problem(str(rootp / f), None, "skipped: hidden file")
            else:
                yield _check_file(rootp / f)
        keep = []
        for d in sorted(dirs):
            if d.startswith("."):
                yield Problem(str(rootp / d), None, HIDDEN_FOLDER)
                continue
            try:
                st = os.stat(rootp / d)
            except OSError as e:
                yield _link_problem(rootp / d, e)
                continue
            if (st.st_dev, st.st_ino) in seen:
                yield Problem(str(rootp / d), None, FOLDER_AGAIN)
                continue
            seen.add((st.st_dev, st.st_ino))
            keep.append(d)
        dirs[:] = keep
    for e in errors:
        yield Problem(e.filename or str(top), None, f"{CANNOT_LIST}: {e.strerror or e}")


def iter_files(paths: list[str | Path]) -> Iterator[Path | Problem]:
    """Every regular file under ``paths`` (folders recursively, sorted for a stable
    order), and a Problem for every path skipped and why."""
    for p in paths:
        p = Path(p)
        try:
            mode = os.stat(p).st_mode
        except OSError as e:
            yield _link_problem(p, e)
            continue
        if stat.S_ISDIR(mode):
            yield from _walk(p)
        else:
            yield _check_file(p)


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
